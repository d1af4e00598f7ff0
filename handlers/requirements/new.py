"""➕ Report requirement (from the plan card): kind → target units → session quota → deadline
(typed) → description (typed or skipped) → confirmation. Nothing is kept before ✅ Confirm."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from core.i18n import N_, Lang, Msgid
from handlers.flow import drop_all
from handlers.plans import TRY_AGAIN, plan_card
from handlers.plans.actions import NewRequirement
from handlers.step import END, Turn, retry_if_invalid, step
from services import plans, requirements
from services.requirements import TargetScope
from services.units import get_unit
from services.vn_datetime import format_date_long
from storage.models import PlanStatus, RequirementKind, SessionKind, UnitKind
from ui.actions import Action
from ui.common import cancel_choice, paged, short_label
from ui.screen import Choice, Expect, Screen

KIND, TARGETS, PICK, QUOTA, DUE, DESCRIPTION, CONFIRM = range(7)
MAX_NAMES = 15


class KindCode(StrEnum):
    REPORT = "report"
    DOC = "doc"


class TargetCode(StrEnum):
    GRASSROOTS = "grassroots"
    CELL = "cell"
    PICK = "pick"


class QuotaCode(StrEnum):
    TK_CD = "tk_cd"
    TK = "tk"
    CD = "cd"
    HT = "ht"


KINDS: dict[KindCode, tuple[RequirementKind, Msgid]] = {
    KindCode.REPORT: (RequirementKind.REPORT_SESSIONS, N_("Report model sessions")),
    KindCode.DOC: (RequirementKind.DOCUMENT, N_("Send a document (tham luận…)")),
}
QUOTAS: dict[QuotaCode, tuple[Msgid, dict[SessionKind, int]]] = {
    QuotaCode.TK_CD: (
        N_("1 regular + 1 thematic session"),
        {SessionKind.THUONG_KY: 1, SessionKind.CHUYEN_DE: 1},
    ),
    QuotaCode.TK: (N_("1 regular session"), {SessionKind.THUONG_KY: 1}),
    QuotaCode.CD: (N_("1 thematic session"), {SessionKind.CHUYEN_DE: 1}),
    QuotaCode.HT: (N_("1 workshop"), {SessionKind.HOI_THAO: 1}),
}
SCOPES = {TargetCode.GRASSROOTS: UnitKind.GRASSROOTS, TargetCode.CELL: UnitKind.CELL}


@dataclass(frozen=True, slots=True)
class KindPicked(Action, prefix="req:k"):
    kind: KindCode


@dataclass(frozen=True, slots=True)
class TargetsPicked(Action, prefix="req:t"):
    target: TargetCode


@dataclass(frozen=True, slots=True)
class UnitToggled(Action, prefix="req:u"):
    unit_id: int


@dataclass(frozen=True, slots=True)
class UnitsPage(Action, prefix="req:u:page"):
    page: int


@dataclass(frozen=True, slots=True)
class UnitsDone(Action, prefix="req:u:done"):
    pass


@dataclass(frozen=True, slots=True)
class QuotaPicked(Action, prefix="req:q"):
    quota: QuotaCode


@dataclass(frozen=True, slots=True)
class SkipDescription(Action, prefix="req:skip"):
    pass


@dataclass(frozen=True, slots=True)
class ConfirmRequirement(Action, prefix="req:ok"):
    pass


@dataclass(slots=True)
class RequirementDraft:
    plan_id: int
    number: str
    issuer: str
    units: list[int] = field(default_factory=list)  # picked one by one
    page: int = 0
    kind: KindCode | None = None
    scope: TargetCode | None = None  # all units of a kind, instead of `units`
    names: list[str] = field(default_factory=list)
    quota: QuotaCode | None = None
    due: date | None = None
    description: str | None = None


def _names(lang: Lang, names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    if len(names) > MAX_NAMES:
        shown += " " + lang.t("and {n} more", n=len(names) - MAX_NAMES)
    return shown


def _with_cancel(lang: Lang, rows: list[list[Choice]]) -> list[list[Choice]]:
    return [*rows, [cancel_choice(lang)]]


@step(action=NewRequirement, on_error=END)
async def begin(turn: Turn, pressed: NewRequirement) -> int:
    drop_all(turn.context)  # a conversation left open below this one takes no more answers
    plan = await requirements.check_new_requirement(turn.ctx, turn.me.person, pressed.plan_id)
    issuer = await get_unit(turn.ctx, plan.issuer_unit_id)
    turn.put(RequirementDraft(plan.id, plan.number, issuer.name))  # type: ignore[arg-type]
    lang = turn.lang
    rows = [[Choice(lang.t(label), KindPicked(code))] for code, (_, label) in KINDS.items()]
    turn.say(
        lang.t("New requirement of plan {plan}. What must the units do?", plan=plan.number),
        rows=_with_cancel(lang, rows),
        expect=Expect.CHOICE,
    )
    return KIND


@step(action=KindPicked, needs=RequirementDraft)
async def kind_picked(turn: Turn, pressed: KindPicked, draft: RequirementDraft) -> int:
    draft.kind = pressed.kind
    lang, issuer = turn.lang, draft.issuer
    grassroots = lang.t("All grassroots organisations under {unit}", unit=issuer)
    cells = lang.t("All party cells under {unit}", unit=issuer)
    rows = [
        [Choice(short_label(grassroots), TargetsPicked(TargetCode.GRASSROOTS))],
        [Choice(short_label(cells), TargetsPicked(TargetCode.CELL))],
        [Choice(lang.t("Choose units one by one"), TargetsPicked(TargetCode.PICK))],
    ]
    turn.say(
        lang.t("Which units does it apply to?"),
        rows=_with_cancel(lang, rows),
        expect=Expect.CHOICE,
    )
    return TARGETS


@step(action=TargetsPicked, needs=RequirementDraft, on_error=retry_if_invalid)
async def targets_picked(turn: Turn, pressed: TargetsPicked, draft: RequirementDraft) -> int | None:
    if pressed.target == TargetCode.PICK:
        return await _picker(turn, draft, flip=False)
    return await _targets_chosen(turn, draft, pressed.target)


async def _picker(turn: Turn, draft: RequirementDraft, *, flip: bool) -> int | None:
    rows = await requirements.target_choices(turn.ctx, turn.me.person, draft.plan_id)
    lang = turn.lang
    chosen = set(draft.units)
    items = [
        (
            ("☑ " if r.unit.id in chosen else "☐ ") + "· " * r.depth + r.unit.name,
            UnitToggled(r.unit.id),
        )  # type: ignore[arg-type]
        for r in rows
    ]
    if not items:
        turn.say(lang.t("There is no unit under {unit} yet.", unit=draft.issuer))
        return None
    choices = paged(lang, items, draft.page, UnitsPage, cancel=False)
    done = Choice(lang.t("✅ Done ({n})", n=len(chosen)), UnitsDone())
    choices.append([done, cancel_choice(lang)])
    screen = Screen.of(
        lang.t("Tap the units it applies to, then ✅ Done."), rows=choices, expect=Expect.CHOICE
    )
    turn.show(screen.replacing() if flip else screen)
    return PICK


@step(action=UnitToggled, needs=RequirementDraft, on_error=END)
async def unit_toggled(turn: Turn, pressed: UnitToggled, draft: RequirementDraft) -> int | None:
    """(The units are checked against the plan when ✅ Done is pressed.)"""
    if pressed.unit_id in draft.units:
        draft.units.remove(pressed.unit_id)
    else:
        draft.units.append(pressed.unit_id)
    return await _picker(turn, draft, flip=True)


@step(action=UnitsPage, needs=RequirementDraft, on_error=END)
async def units_page(turn: Turn, pressed: UnitsPage, draft: RequirementDraft) -> int | None:
    draft.page = pressed.page
    return await _picker(turn, draft, flip=True)


@step(action=UnitsDone, needs=RequirementDraft, on_error=retry_if_invalid)
async def units_done(turn: Turn, pressed: UnitsDone, draft: RequirementDraft) -> int | None:
    return await _targets_chosen(turn, draft, None)


async def _targets_chosen(turn: Turn, draft: RequirementDraft, scope: TargetCode | None) -> int:
    """Check the targets with the service (and keep their names for the form)."""
    plan = await plans.get_plan(turn.ctx, draft.plan_id)
    target_scope = TargetScope(plan.issuer_unit_id, SCOPES[scope]) if scope else None  # type: ignore[arg-type]
    shown = await requirements.preview_targets(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        plan.id,  # type: ignore[arg-type]
        [] if scope else list(draft.units),
        target_scope,
    )
    draft.scope = scope
    draft.names = [u.name for u in shown]
    lang = turn.lang
    if draft.kind == KindCode.REPORT:
        rows = [[Choice(lang.t(label), QuotaPicked(code))] for code, (label, _) in QUOTAS.items()]
        turn.say(
            lang.t("How many model sessions must each unit report?"),
            rows=_with_cancel(lang, rows),
            expect=Expect.CHOICE,
        )
        return QUOTA
    return _ask_due(turn)


def _ask_due(turn: Turn) -> int:
    turn.say(
        turn.lang.t("Type the deadline, for example: 20/02/2025 or “trước ngày 20/2”."),
        expect=Expect.DATE,
    )
    return DUE


@step(action=QuotaPicked, needs=RequirementDraft)
async def quota_picked(turn: Turn, pressed: QuotaPicked, draft: RequirementDraft) -> int:
    draft.quota = pressed.quota
    return _ask_due(turn)


@step(needs=RequirementDraft, retry=TRY_AGAIN)
async def due_typed(turn: Turn, draft: RequirementDraft) -> int:
    draft.due = requirements.parse_due_day(turn.ctx, turn.text)
    lang = turn.lang
    turn.say(
        lang.t(
            "Type what the units must do (it is shown to them), for example: "
            "Gửi bài tham luận về kinh nghiệm sinh hoạt chi bộ. Or tap Skip."
        ),
        rows=[[Choice(lang.t("Skip"), SkipDescription()), cancel_choice(lang)]],
        expect=Expect.TEXT,
    )
    return DESCRIPTION


def _default_description(lang: Lang, draft: RequirementDraft) -> str:
    if draft.kind == KindCode.REPORT and draft.quota is not None:
        return lang.t("Report model sessions: {quota}", quota=lang.t(QUOTAS[draft.quota][0]))
    return lang.t("Send a document (tham luận)")


@step(needs=RequirementDraft, retry=TRY_AGAIN)
async def description_typed(turn: Turn, draft: RequirementDraft) -> int:
    draft.description = requirements.check_description(turn.text)
    return _form(turn, draft)


@step(action=SkipDescription, needs=RequirementDraft)
async def description_skipped(turn: Turn, pressed: SkipDescription, draft: RequirementDraft) -> int:
    draft.description = _default_description(turn.lang, draft)
    return _form(turn, draft)


def _form(turn: Turn, draft: RequirementDraft) -> int:
    lang = turn.lang
    kind, label = KINDS[draft.kind or KindCode.DOC]
    lines = [
        lang.t("Please check the new requirement of plan {plan}:", plan=draft.number),
        lang.t("Kind: {kind}", kind=lang.t(label)),
    ]
    if kind == RequirementKind.REPORT_SESSIONS and draft.quota is not None:
        lines.append(lang.t("Each unit reports: {quota}", quota=lang.t(QUOTAS[draft.quota][0])))
    lines += [
        lang.nt(
            "Applies to {n} unit: {names}",
            "Applies to {n} units: {names}",
            len(draft.names),
            names=_names(lang, draft.names),
        ),
        lang.t(
            "Deadline: end of {day}",
            day=format_date_long(draft.due, lang.locale) if draft.due else "—",
        ),
        lang.t("Description: {text}", text=draft.description),
    ]
    confirm = Choice(lang.t("✅ Confirm"), ConfirmRequirement())
    turn.say("\n".join(lines), rows=[[confirm, cancel_choice(lang)]], expect=Expect.CHOICE)
    return CONFIRM


@step(action=ConfirmRequirement, needs=RequirementDraft, on_error=END)
async def confirmed(turn: Turn, pressed: ConfirmRequirement, draft: RequirementDraft) -> int:
    if draft.kind is None or draft.due is None or draft.description is None:
        return _ask_due(turn)  # (a confirmation older than its answers: from the deadline on)
    plan = await plans.get_plan(turn.ctx, draft.plan_id)
    scope = draft.scope
    outcome = await requirements.create_requirement(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        draft.plan_id,
        KINDS[draft.kind][0],
        draft.due,
        description=draft.description,
        target_unit_ids=[] if scope else list(draft.units),
        scope=TargetScope(plan.issuer_unit_id, SCOPES[scope]) if scope else None,  # type: ignore[arg-type]
        quota=QUOTAS[draft.quota][1] if draft.quota else None,
    )
    turn.drop(RequirementDraft)
    lang = turn.lang
    if plan.status == PlanStatus.DRAFT:
        text = lang.t("Requirement added. The units will be told when the plan is issued.")
    else:
        text = lang.t("Requirement added.")
        if outcome.notices:
            told = len(outcome.notices)
            text += " " + lang.nt("{n} person is being told.", "{n} people are being told.", told)
    turn.say(text)
    turn.show(await plan_card(turn, draft.plan_id))
    return END
