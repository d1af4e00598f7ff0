"""➕ New plan: the typed form that creates a draft plan (organisers only).

number → title → issuer (asked only when the person organises several units) → date of issue
(or Today) → place (or Skip) → legal bases (or Skip) → the form to confirm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from core.i18n import N_, Lang
from handlers.common import error_text
from handlers.flow import drop_all, fallbacks, typed_text
from handlers.plans.actions import NewPlan
from handlers.plans.card import plan_card
from handlers.step import END, Handler, Turn, step
from services import plans, roles
from services.context import Ctx
from services.errors import Conflict
from services.units import get_unit
from services.validation import check_label
from services.vn_datetime import format_date_long
from ui.actions import Action
from ui.common import cancel_choice, short_label
from ui.screen import Choice, Expect

NUMBER, TITLE, ISSUER, ISSUED_ON, PLACE, BASES, CONFIRM = range(7)
TRY_AGAIN = N_("Please type it again, or /huy to stop.")
PRESS_A_BUTTON = N_("Please choose with the buttons above, or /huy to stop.")


@dataclass(frozen=True, slots=True)
class IssuerPicked(Action, prefix="pnew:iss"):
    unit_id: int


@dataclass(frozen=True, slots=True)
class Today(Action, prefix="pnew:today"):
    """The date of issue is today."""


@dataclass(frozen=True, slots=True)
class SkipPlace(Action, prefix="pnew:skip:place"):
    pass


@dataclass(frozen=True, slots=True)
class SkipBases(Action, prefix="pnew:skip:bases"):
    pass


@dataclass(frozen=True, slots=True)
class ConfirmPlan(Action, prefix="pnew:ok"):
    pass


@dataclass(slots=True)
class PlanDraft:
    """The answers so far; None: not asked yet ('' for place and bases: skipped)."""

    issuer: int | None = None
    number: str | None = None
    title: str | None = None
    issued_on: date | None = None
    place: str | None = None
    bases: str | None = None


def _one_choice(lang: Lang, choice: Choice) -> list[list[Choice]]:
    return [[choice, cancel_choice(lang)]]


async def _ask_next(turn: Turn, draft: PlanDraft) -> int:
    """Ask the first question not answered yet; the form when all are."""
    lang = turn.lang
    if draft.number is None:
        turn.say(
            lang.t("Type the plan number as written on it, for example: 82-KH/ĐU."),
            expect=Expect.TEXT,
        )
        return NUMBER
    if draft.title is None:
        turn.say(
            lang.t(
                "Type the title of the plan, for example: "
                "Tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu."
            ),
            expect=Expect.TEXT,
        )
        return TITLE
    if draft.issuer is None:
        issuers = await plans.issuer_units(turn.ctx, turn.me.person)
        rows = [[Choice(short_label(u.name), IssuerPicked(u.id))] for u in issuers]  # type: ignore[arg-type]
        rows.append([cancel_choice(lang)])
        turn.say(lang.t("Which unit issues the plan?"), rows=rows, expect=Expect.CHOICE)
        return ISSUER
    if draft.issued_on is None:
        turn.say(
            lang.t("Type the date of issue, for example: 02/01/2025, or tap Today."),
            rows=_one_choice(lang, Choice(lang.t("Today"), Today())),
            expect=Expect.DATE,
        )
        return ISSUED_ON
    if draft.place is None:
        turn.say(
            lang.t("Type the place of issue, for example: Hà Nội, or tap Skip."),
            rows=_one_choice(lang, Choice(lang.t("Skip"), SkipPlace())),
            expect=Expect.TEXT,
        )
        return PLACE
    if draft.bases is None:
        turn.say(
            lang.t(
                "Type the legal bases of the plan, one per line, for example:\n"
                "Chỉ thị số 10-CT/TW ngày 30/3/2007 của Ban Bí thư\n"
                "Hướng dẫn số 12-HD/BTCTW ngày 06/7/2017 của Ban Tổ chức Trung ương\n"
                "or tap Skip."
            ),
            rows=_one_choice(lang, Choice(lang.t("Skip"), SkipBases())),
            expect=Expect.TEXT,
        )
        return BASES
    issuer = await get_unit(turn.ctx, draft.issuer)
    bases = draft.bases.split("\n") if draft.bases else []
    lines = [
        lang.t("Please check the new plan:"),
        lang.t("Number: {number}", number=draft.number),
        lang.t("Title: {title}", title=draft.title),
        lang.t("Issued by: {unit}", unit=issuer.name),
        lang.t("Date of issue: {day}", day=format_date_long(draft.issued_on, lang.locale)),
        lang.t("Place of issue: {place}", place=draft.place or "—"),
        lang.t("Legal bases:") + (" —" if not bases else ""),
        *[f"• {line}" for line in bases],
        "",
        lang.t("It will be saved as a draft: nobody is told until you issue it."),
    ]
    confirm = Choice(lang.t("✅ Confirm"), ConfirmPlan())
    turn.say("\n".join(lines), rows=_one_choice(lang, confirm), expect=Expect.CHOICE)
    return CONFIRM


@step(action=NewPlan)
async def new_plan(turn: Turn, pressed: NewPlan) -> int:
    """Start the form (organisers only)."""
    issuers = await plans.issuer_units(turn.ctx, turn.me.person)
    drop_all(turn.context)  # a conversation left open below this one takes no more answers
    if not issuers:
        turn.say(
            turn.lang.t(
                "Only organisers (Ban Tổ chức, Văn phòng) can create plans. "
                "If you need this, ask your committee's organisers."
            )
        )
        return END
    draft = PlanDraft(issuer=issuers[0].id if len(issuers) == 1 else None)
    turn.put(draft)
    return await _ask_next(turn, draft)


Check = Callable[[Ctx, str], object]


def _answer(field: str, check: Check) -> Handler:
    """A typed answer: checked, kept in the draft, then the next question. A refused answer
    is asked again (the error and TRY_AGAIN)."""

    async def typed(turn: Turn, draft: PlanDraft) -> int:
        setattr(draft, field, check(turn.ctx, turn.text))
        return await _ask_next(turn, draft)

    typed.__name__ = f"{field}_typed"
    return step(needs=PlanDraft, retry=TRY_AGAIN)(typed)


number_typed = _answer("number", lambda ctx, t: plans.check_plan_number(t))
title_typed = _answer("title", lambda ctx, t: check_label(t, max_length=300, what=N_("plan title")))
date_typed = _answer("issued_on", lambda ctx, t: plans.parse_day(ctx, t, allow_past=True))
place_typed = _answer(
    "place", lambda ctx, t: check_label(t, max_length=120, what=N_("place of issue"))
)
bases_typed = _answer("bases", lambda ctx, t: "\n".join(plans.check_legal_bases(t)))


@step(action=IssuerPicked, needs=PlanDraft)
async def issuer_picked(turn: Turn, pressed: IssuerPicked, draft: PlanDraft) -> int:
    unit = await get_unit(turn.ctx, pressed.unit_id)
    await roles.require_organiser(turn.ctx, turn.me.person, unit.id)  # type: ignore[arg-type]
    draft.issuer = unit.id
    return await _ask_next(turn, draft)


@step(action=Today, needs=PlanDraft)
async def today_pressed(turn: Turn, pressed: Today, draft: PlanDraft) -> int:
    draft.issued_on = plans.local_today(turn.ctx)
    return await _ask_next(turn, draft)


@step(action=SkipPlace, needs=PlanDraft)
async def place_skipped(turn: Turn, pressed: SkipPlace, draft: PlanDraft) -> int:
    draft.place = ""
    return await _ask_next(turn, draft)


@step(action=SkipBases, needs=PlanDraft)
async def bases_skipped(turn: Turn, pressed: SkipBases, draft: PlanDraft) -> int:
    draft.bases = ""
    return await _ask_next(turn, draft)


@step(action=ConfirmPlan, needs=PlanDraft, on_error=END)
async def confirmed(turn: Turn, pressed: ConfirmPlan, draft: PlanDraft) -> int:
    if draft.issuer is None or draft.issued_on is None or draft.number is None:
        return await _ask_next(turn, draft)
    try:
        plan = await plans.create_plan(
            turn.ctx,
            turn.me.person,  # type: ignore[arg-type]
            draft.issuer,
            number=draft.number,
            title=draft.title or "",
            issued_on=draft.issued_on,
            place=draft.place or "",
            legal_bases=draft.bases or "",
        )
    except Conflict as exc:
        # The number is taken (checked before anything is written): ask for another number.
        draft.number = None
        turn.say(error_text(turn.lang, exc))
        return await _ask_next(turn, draft)
    turn.drop(PlanDraft)
    turn.say(
        turn.lang.t(
            "Saved plan {plan} as a draft. Add its report requirements, then tap Issue.",
            plan=plan.number,
        )
    )
    turn.show(await plan_card(turn, plan.id))  # type: ignore[arg-type]
    return END


@step
async def press_a_button(turn: Turn) -> None:
    turn.say(turn.lang.t(PRESS_A_BUTTON))


def conversation() -> ConversationHandler:  # type: ignore[type-arg]
    text = typed_text()
    return ConversationHandler(
        name="plan_new",
        persistent=True,
        entry_points=[CallbackQueryHandler(new_plan, pattern=NewPlan.pattern())],
        states={
            NUMBER: [MessageHandler(text, number_typed)],
            TITLE: [MessageHandler(text, title_typed)],
            ISSUER: [
                CallbackQueryHandler(issuer_picked, pattern=IssuerPicked.pattern()),
                MessageHandler(text, press_a_button),
            ],
            ISSUED_ON: [
                MessageHandler(text, date_typed),
                CallbackQueryHandler(today_pressed, pattern=Today.pattern()),
            ],
            PLACE: [
                MessageHandler(text, place_typed),
                CallbackQueryHandler(place_skipped, pattern=SkipPlace.pattern()),
            ],
            BASES: [
                MessageHandler(text, bases_typed),
                CallbackQueryHandler(bases_skipped, pattern=SkipBases.pattern()),
            ],
            CONFIRM: [
                CallbackQueryHandler(confirmed, pattern=ConfirmPlan.pattern()),
                MessageHandler(text, press_a_button),
            ],
        },
        fallbacks=fallbacks(PlanDraft),
        allow_reentry=True,
    )
