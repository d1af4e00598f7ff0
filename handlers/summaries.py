"""/tonghop (/summary): leaders and organisers read the summary of a plan or of one session,
with charts, and download the exports (roll and feedback as XLSX, the "Báo cáo tổng hợp ý
kiến đại biểu" as DOCX). Organisers of the issuing unit also set how the plan's sessions are
scored and whether comments reach leaders with names.

Every choice is a stateless button carrying ids (`sum:…`), re-checked by the services; only
typing new weights or thresholds is a conversation step.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from core.i18n import N_, Lang, Msgid
from handlers import router
from handlers.flow import enter, fallbacks, typed_text
from handlers.step import END, Turn, retry_if_invalid, step
from services import feedback, reports, summaries
from services.feedback import ATTENDANCE_KEY, LEVEL_LABELS, Level, ScoringConfig
from services.plans import get_plan
from services.vn_datetime import format_datetime_short
from storage.models import Plan, Role
from ui.actions import Action
from ui.common import cancel_choice, paged
from ui.screen import Choice, Expect, FileAttachment, ImageAttachment, Mode, Screen, column

TYPE_WEIGHTS, TYPE_THRESHOLDS = range(2)
DAYS_CHOICES = (1, 3, 5, 7)
RETRY = N_("Please type it again, or /huy to stop.")


@dataclass(frozen=True, slots=True)
class PlansPage(Action, prefix="sum:p:page"):
    page: int


@dataclass(frozen=True, slots=True)
class PlanPicked(Action, prefix="sum:p"):
    plan_id: int


@dataclass(frozen=True, slots=True)
class SessionsPage(Action, prefix="sum:sp"):
    plan_id: int
    word: Literal["page"]
    page: int


@dataclass(frozen=True, slots=True)
class SessionPicked(Action, prefix="sum:sp"):
    plan_id: int
    session_id: int


class Export(StrEnum):
    ROLL = "roll"
    FEEDBACK = "fb"
    PLAN_FEEDBACK = "fbp"
    REPORT = "docx"


@dataclass(frozen=True, slots=True)
class ExportPressed(Action, prefix="sum:x"):
    what: Export
    ident: int  # the session (the plan for PLAN_FEEDBACK)


@dataclass(frozen=True, slots=True)
class ShowSettings(Action, prefix="sum:cfg"):
    plan_id: int


@dataclass(frozen=True, slots=True)
class SetNames(Action, prefix="sum:cfg"):
    plan_id: int
    word: Literal["names"]
    show: bool


@dataclass(frozen=True, slots=True)
class SetDays(Action, prefix="sum:cfg"):
    plan_id: int
    word: Literal["days"]
    days: int


@dataclass(frozen=True, slots=True)
class ResetScoring(Action, prefix="sum:cfg"):
    plan_id: int
    word: Literal["reset"]


@dataclass(frozen=True, slots=True)
class AskWeights(Action, prefix="sumw"):
    plan_id: int


@dataclass(frozen=True, slots=True)
class AskThresholds(Action, prefix="sumt"):
    plan_id: int


@dataclass(slots=True)
class ScoringDraft:
    """The plan whose weights or thresholds are being typed."""

    plan_id: int
    thresholds: bool


# What each export is called in reports.file_name, its type and its caption.
_EXPORTS: dict[Export, tuple[str, str, Msgid]] = {
    Export.ROLL: ("roll", reports.XLSX_MIME, N_("The roll of the session.")),
    Export.FEEDBACK: (
        "feedback",
        reports.XLSX_MIME,
        N_("The delegates' feedback, one row each."),
    ),
    Export.PLAN_FEEDBACK: (
        "plan_feedback",
        reports.XLSX_MIME,
        N_("The delegates' feedback on every session of the plan."),
    ),
    Export.REPORT: (
        "report",
        reports.DOCX_MIME,
        N_("The feedback report, ready to edit, sign and send."),
    ),
}
NOT_YOURS = N_(
    "Only the organisers of the committee that issued the plan can change how it is scored."
)


# --------------------------------------------------------------------------- plans


async def _plans(turn: Turn, page: int, *, flip: bool) -> None:
    lang = turn.lang
    choices = await summaries.plans_for(turn.ctx, turn.me.person)
    if not choices:
        turn.say(
            lang.t(
                "Summaries are for the organisers and leaders of the committee that issued a "
                "plan. If you need one, please ask them."
            )
        )
        return
    items = [(f"{c.plan.number} — {c.plan.title}", PlanPicked(c.plan.id)) for c in choices]  # type: ignore[arg-type]
    screen = Screen.of(
        lang.t("Which plan do you want a summary of?"),
        rows=paged(lang, items, page, PlansPage),
        expect=Expect.CHOICE,
    )
    turn.show(screen.replacing() if flip else screen)


@step
async def show_plans(turn: Turn) -> None:
    """/tonghop: the plans the person may read a summary of."""
    await _plans(turn, 0, flip=False)


@step(action=PlansPage)
async def plans_page(turn: Turn, pressed: PlansPage) -> None:
    await _plans(turn, pressed.page, flip=True)


@step(action=PlanPicked)
async def plan_picked(turn: Turn, pressed: PlanPicked) -> None:
    """The plan's summary and charts (when the person reads the whole plan), then its sessions
    to choose from."""
    me, plan_id = turn.me, pressed.plan_id
    plan = await get_plan(turn.ctx, plan_id)
    full = await summaries.can_read_plan(turn.ctx, me.person, plan)
    summary = await summaries.plan_summary(turn.ctx, me.person, plan_id) if full else None  # type: ignore[arg-type]
    manager = await feedback.can_configure(turn.ctx, me.person, plan)
    sessions = await summaries.sessions_for(turn.ctx, me.person, plan_id)
    lang = turn.lang
    if summary is not None:
        choices = [
            Choice(
                lang.t("📄 Feedback of the whole plan (XLSX)"),
                ExportPressed(Export.PLAN_FEEDBACK, plan_id),
            )
        ]
        if manager:
            choices.append(Choice(lang.t("⚙️ Scoring and feedback settings"), ShowSettings(plan_id)))
        turn.show(Screen.of(summaries.render_plan_summary(lang, summary), rows=column(choices)))
        pictures = await asyncio.to_thread(
            lambda: (
                summaries.plan_attendance_chart(lang, summary),
                summaries.plan_ratings_chart(lang, summary),
            )
        )
        for png in pictures:
            if png is not None:
                turn.show(Screen(text="", attachments=(ImageAttachment(png),)))
    _session_picker(turn, plan, sessions, 0, flip=False)


def _session_picker(
    turn: Turn, plan: Plan, sessions: list[summaries.SessionChoice], page: int, *, flip: bool
) -> None:
    lang = turn.lang
    if not sessions:
        turn.say(lang.t("No session of this plan has taken place yet."))
        return
    tz = turn.settings.tz
    plan_id = plan.id
    assert plan_id is not None
    items = [
        (
            f"{c.host}, {format_datetime_short(c.session.starts_at, lang.locale, tz)}",  # type: ignore[arg-type]
            SessionPicked(plan_id, c.session.id),  # type: ignore[arg-type]
        )
        for c in sessions
    ]
    screen = Screen.of(
        lang.t("Choose a session of plan {plan} to see its summary:", plan=plan.number),
        rows=paged(lang, items, page, lambda n: SessionsPage(plan_id, "page", n)),
        expect=Expect.CHOICE,
    )
    turn.show(screen.replacing() if flip else screen)


@step(action=SessionsPage)
async def sessions_page(turn: Turn, pressed: SessionsPage) -> None:
    plan = await get_plan(turn.ctx, pressed.plan_id)
    sessions = await summaries.sessions_for(turn.ctx, turn.me.person, pressed.plan_id)
    _session_picker(turn, plan, sessions, pressed.page, flip=True)


# --------------------------------------------------------------------------- a session


@step(action=SessionPicked)
async def session_picked(turn: Turn, pressed: SessionPicked) -> None:
    """The session's summary, its chart and the exports."""
    session_id = pressed.session_id
    summary = await summaries.session_summary(turn.ctx, turn.me.person, session_id)
    lang = turn.lang
    exports = column(
        [
            Choice(lang.t("📋 Roll (XLSX)"), ExportPressed(Export.ROLL, session_id)),
            Choice(
                lang.t("📄 Delegates' feedback (XLSX)"), ExportPressed(Export.FEEDBACK, session_id)
            ),
            Choice(lang.t("📝 Feedback report (DOCX)"), ExportPressed(Export.REPORT, session_id)),
        ]
    )
    text = summaries.render_session_summary(lang, summary)
    chart = await asyncio.to_thread(summaries.session_ratings_chart, lang, summary)
    if chart is None:
        turn.show(Screen.of(text, rows=exports))
        return
    turn.say(text)
    turn.show(Screen.of("", rows=exports, attachments=[ImageAttachment(chart)]))


# --------------------------------------------------------------------------- exports


@step(action=ExportPressed)
async def export_pressed(turn: Turn, pressed: ExportPressed) -> None:
    """Build the file and send it."""
    me, lang, ident = turn.me, turn.lang, pressed.ident
    if pressed.what == Export.ROLL:
        data = await reports.roll_xlsx(turn.ctx, me.person, ident, lang)
    elif pressed.what == Export.FEEDBACK:
        data = await reports.feedback_xlsx(turn.ctx, me.person, lang, session_id=ident)
    elif pressed.what == Export.PLAN_FEEDBACK:
        data = await reports.feedback_xlsx(turn.ctx, me.person, lang, plan_id=ident)
    else:
        data = await reports.summary_docx(turn.ctx, me.person, ident, lang)
    kind, mime, caption = _EXPORTS[pressed.what]
    name = reports.file_name(kind, ident)
    turn.show(
        Screen.of(
            lang.t(caption),
            attachments=[FileAttachment(data, name, mime)],
            toast=lang.t("Preparing the file…"),
        )
    )


# --------------------------------------------------------------------------- settings


def _config_text(lang: Lang, plan: Plan, config: ScoringConfig) -> str:
    lines = [
        lang.t("⚙️ Scoring and feedback, plan {plan}", plan=plan.number),
        lang.t("Criteria and weights (100 points in all):"),
    ]
    for index, c in enumerate(config.criteria, 1):
        label = lang.t(c.label) if c.default else c.label
        lines.append(f"{index}. {label}: {c.weight}")
    lines.append(
        f"{len(config.criteria) + 1}. "
        + lang.t("Attendance (from the roll): {weight}", weight=config.attendance_weight)
    )
    lines.append(
        lang.t(
            "Levels: {good} from {good_from} · {fair} from {fair_from} · {average} from "
            "{average_from} · below: {poor}",
            good=LEVEL_LABELS[Level.GOOD],
            fair=LEVEL_LABELS[Level.FAIR],
            average=LEVEL_LABELS[Level.AVERAGE],
            poor=LEVEL_LABELS[Level.POOR],
            good_from=config.good_from,
            fair_from=config.fair_from,
            average_from=config.average_from,
        )
    )
    lines.append(
        lang.t(
            "For Good: attendance above {pct}% and at least {minutes} minutes.",
            pct=config.min_attendance_pct,
            minutes=config.min_minutes,
        )
    )
    lines.append(
        lang.nt(
            "Feedback stays open {n} day after a session ends.",
            "Feedback stays open {n} days after a session ends.",
            config.feedback_days,
        )
    )
    lines.append(
        lang.t("Comments reach leaders with the names of their authors.")
        if config.show_names
        else lang.t("Comments reach leaders without names (anonymised).")
    )
    return "\n".join(lines)


def _config_screen(lang: Lang, plan: Plan, config: ScoringConfig, *, edit: bool) -> Screen:
    plan_id = plan.id
    assert plan_id is not None
    names = (
        Choice(lang.t("🙈 Hide names"), SetNames(plan_id, "names", False))
        if config.show_names
        else Choice(lang.t("👤 Show names"), SetNames(plan_id, "names", True))
    )
    days = [
        Choice(
            ("• " if n == config.feedback_days else "") + lang.nt("{n} day", "{n} days", n),
            SetDays(plan_id, "days", n),
        )
        for n in DAYS_CHOICES
    ]
    return Screen.of(
        _config_text(lang, plan, config),
        rows=[
            [names],
            days,
            [
                Choice(lang.t("✏️ Weights"), AskWeights(plan_id)),
                Choice(lang.t("✏️ Thresholds"), AskThresholds(plan_id)),
            ],
            [Choice(lang.t("↩ Default scoring"), ResetScoring(plan_id, "reset"))],
            [cancel_choice(lang)],
        ],
        mode=Mode.REPLACE if edit else Mode.NEW,
    )


@step(action=ShowSettings)
async def show_settings(turn: Turn, pressed: ShowSettings) -> None:
    plan = await get_plan(turn.ctx, pressed.plan_id)
    if not await feedback.can_configure(turn.ctx, turn.me.person, plan):
        turn.say(turn.lang.t(NOT_YOURS))
        return
    config = await feedback.config_for(turn.ctx, pressed.plan_id)
    turn.show(_config_screen(turn.lang, plan, config, edit=False))


async def _change(turn: Turn, pressed: SetNames | SetDays | ResetScoring) -> None:
    """Change one setting and show them all again in place."""
    plan = await get_plan(turn.ctx, pressed.plan_id)
    person, plan_id = turn.me.person, pressed.plan_id
    if isinstance(pressed, SetNames):
        config = await feedback.configure(turn.ctx, person, plan_id, show_names=pressed.show)
    elif isinstance(pressed, SetDays):
        config = await feedback.configure(turn.ctx, person, plan_id, feedback_days=pressed.days)
    else:
        config = await feedback.configure(turn.ctx, person, plan_id, reset_scoring=True)
    turn.show(_config_screen(turn.lang, plan, config, edit=True))


set_names = step(action=SetNames)(_change)
set_days = step(action=SetDays)(_change)
reset_scoring = step(action=ResetScoring)(_change)


async def _ask_numbers(turn: Turn, plan_id: int, *, thresholds: bool) -> int:
    """Ask for the weights or the thresholds."""
    lang = turn.lang
    plan = await get_plan(turn.ctx, plan_id)
    if not await feedback.can_configure(turn.ctx, turn.me.person, plan):
        turn.say(lang.t(NOT_YOURS))
        return END
    config = await feedback.config_for(turn.ctx, plan_id)
    turn.put(ScoringDraft(plan_id, thresholds))
    if not thresholds:
        example = " ".join(str(c.weight) for c in config.criteria) + f" {config.attendance_weight}"
        turn.say(
            lang.t(
                "Type the {count} weights in the order shown, adding up to 100, for example: "
                "{example}",
                count=len(config.criteria) + 1,
                example=example,
            ),
            expect=Expect.TEXT,
        )
        return TYPE_WEIGHTS
    turn.say(
        lang.t(
            "Type the lowest scores for Good, Fair and Average, for example: {example}",
            example=f"{config.good_from} {config.fair_from} {config.average_from}",
        ),
        expect=Expect.TEXT,
    )
    return TYPE_THRESHOLDS


@step(action=AskWeights, on_error=END)
async def ask_weights(turn: Turn, pressed: AskWeights) -> int:
    return await _ask_numbers(turn, pressed.plan_id, thresholds=False)


@step(action=AskThresholds, on_error=END)
async def ask_thresholds(turn: Turn, pressed: AskThresholds) -> int:
    return await _ask_numbers(turn, pressed.plan_id, thresholds=True)


@step(needs=ScoringDraft, on_error=retry_if_invalid, retry=RETRY)
async def numbers_typed(turn: Turn, draft: ScoringDraft) -> int:
    person, plan_id = turn.me.person, draft.plan_id
    plan = await get_plan(turn.ctx, plan_id)
    config = await feedback.config_for(turn.ctx, plan_id)
    if draft.thresholds:
        good, fair, average = feedback.parse_numbers(turn.text, 3)
        config = await feedback.configure(
            turn.ctx, person, plan_id, thresholds=(good, fair, average)
        )
    else:
        values = feedback.parse_numbers(turn.text, len(config.criteria) + 1)
        weights = dict(zip([*config.keys, ATTENDANCE_KEY], values, strict=True))
        config = await feedback.configure(turn.ctx, person, plan_id, weights=weights)
    turn.drop(ScoringDraft)
    turn.say(turn.lang.t("Saved."))
    turn.show(_config_screen(turn.lang, plan, config, edit=False))
    return END


# --------------------------------------------------------------------------- registration


ACTION = router.add(
    router.Action(
        key="summary",
        label=N_("📈 Summaries"),
        description=N_("Summaries of sessions and plans: attendance, ratings, comments, exports"),
        commands=("tonghop", "summary"),
        callback=show_plans,
        roles=frozenset({Role.ORGANISER, Role.LEADER}),
        menu_row=2,
    )
)
router.press(PlansPage, plans_page)
router.press(PlanPicked, plan_picked)
router.press(SessionsPage, sessions_page)
router.press(SessionPicked, session_picked)
router.press(ExportPressed, export_pressed)
router.press(ShowSettings, show_settings)
router.press(SetNames, set_names)
router.press(SetDays, set_days)
router.press(ResetScoring, reset_scoring)

_CONVERSATION: ConversationHandler | None = None  # type: ignore[type-arg]

router.press(AskWeights, enter(lambda: _CONVERSATION))
router.press(AskThresholds, enter(lambda: _CONVERSATION))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    typed = MessageHandler(typed_text(), numbers_typed)
    _CONVERSATION = ConversationHandler(
        name="summary_settings",
        persistent=True,
        entry_points=[
            CallbackQueryHandler(ask_weights, pattern=AskWeights.pattern()),
            CallbackQueryHandler(ask_thresholds, pattern=AskThresholds.pattern()),
        ],
        states={TYPE_WEIGHTS: [typed], TYPE_THRESHOLDS: [typed]},
        fallbacks=fallbacks(ScoringDraft),
        allow_reentry=True,
    )
    return [_CONVERSATION]
