"""/dangky: the answers — this run's buttons (each for one question; a button of another run
or of an earlier question gets a kind word and the question again) and the typed details.
Each answer is checked by the services as it comes; nothing is written before ✅ Confirm,
when services.sessions.create_session checks everything again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from core.i18n import N_
from handlers import flow
from handlers.common import error_text
from handlers.schedule.words import (
    examples_line,
    kind_label,
    month_label,
    outcome_lines,
    view_choice,
    when_label,
)
from handlers.sessions_report.asking import ask, host_items, picker_rows, plan_items
from handlers.sessions_report.draft import (
    DURATIONS,
    STATE,
    TEXT_STEPS,
    BackToSummary,
    ChangeDetail,
    ConfirmReport,
    DetailPicked,
    DurationPicked,
    HostPage,
    HostPicked,
    KeepDetail,
    KindPicked,
    PlanPage,
    PlanPicked,
    ReportDraft,
    SameAddress,
    Step,
    StopReport,
)
from handlers.step import END, Handler, Turn, step
from services import sessions
from services.errors import Conflict, InvalidInput, ServiceError
from services.session_actions import report_refusal
from services.units import get_unit
from services.vn_datetime import MonthOnly, format_datetime_long
from storage.models import SessionKind
from ui.actions import Action
from ui.common import stale_screen
from ui.screen import Screen

A = TypeVar("A", bound=Action)
Answer = Callable[[Turn, Any, ReportDraft], Awaitable[int | None]]
RETRY = N_("Please type it again, or /huy to stop.")
CHOOSE = N_("Please choose with the buttons below.")


async def _end(turn: Turn, exc: ServiceError, *_: object) -> int | None:
    """Any refusal the flow cannot mend ends it (the standard error answer follows)."""
    turn.drop(ReportDraft)
    raise exc


async def not_now(turn: Turn, draft: ReportDraft) -> int:
    """A button of another run or of an earlier question: say so and ask again."""
    lang = turn.lang
    turn.show(Screen(text="", toast=lang.t("This button is no longer active.")))
    return await ask(
        turn, draft, lang.t("That button belongs to an earlier question. Nothing was changed.")
    )


def press(
    action: type[A], at: Step | None, recover: Callable[..., Awaitable[int | None]] = _end
) -> Callable[[Answer], Handler]:
    """A step for a press of this run's button asked at question `at` (None: at any)."""

    def wrap(answer: Answer) -> Handler:
        async def handle(turn: Turn, pressed: Any) -> int | None:
            draft = turn.get(ReportDraft)
            if draft is None:
                turn.show(stale_screen(turn.lang))
                return END
            if pressed.nonce != draft.nonce or (at is not None and draft.step != at):
                return await not_now(turn, draft)
            flow.drop_all(turn.context)  # a press here ends any other step that waited for text
            turn.put(draft)
            return await answer(turn, pressed, draft)

        handle.__name__ = handle.__qualname__ = answer.__name__
        return step(action=action, on_error=END, recover=recover)(handle)

    return wrap


@step(on_error=END, recover=_end)
async def begin(turn: Turn) -> int:
    """/dangky, the menu button, or a hand-over from another step: a fresh report."""
    flow.drop_all(turn.context)
    person = turn.me.person
    hosts = await sessions.hosts_person_can_report_for(turn.ctx, person) if person else []
    if not hosts:
        turn.say(
            turn.lang.t(
                "Only party cell secretaries, deputy secretaries and organisers can report "
                "model sessions. To see the sessions of your unit, tap 📅 Session schedule."
            )
        )
        return END
    draft = ReportDraft.fresh()
    turn.put(draft)
    return await ask(turn, draft)


@step
async def stray_press(turn: Turn) -> int:
    """`sr:` data that is none of this flow's buttons."""
    draft = turn.get(ReportDraft)
    if draft is None:
        turn.show(stale_screen(turn.lang))
        return END
    return await not_now(turn, draft)


# --------------------------------------------------------------------------- plan and host


async def _recheck_kind(turn: Turn, draft: ReportDraft) -> str:
    """After the plan or host changed, the chosen kind may no longer fit: ask it again."""
    if draft.kind is None or draft.host is None or draft.plan is None:
        return ""
    refusal = await report_refusal(turn.ctx, turn.me.person, draft.plan, draft.host, draft.kind)
    if refusal is None:
        return ""
    draft.kind = None
    draft.topic = None
    return error_text(turn.lang, refusal)


@press(PlanPage, Step.PLAN)
async def plan_page(turn: Turn, pressed: PlanPage, draft: ReportDraft) -> int:
    turn.swap_choices(picker_rows(turn, draft, Step.PLAN, await plan_items(turn), pressed.page))
    return STATE[Step.PLAN]


@press(PlanPicked, Step.PLAN)
async def plan_picked(turn: Turn, pressed: PlanPicked, draft: ReportDraft) -> int:
    if pressed.plan_id not in {value for _, value in await plan_items(turn)}:
        return await not_now(turn, draft)
    turn.drop_choices()
    note = ""
    if draft.plan != pressed.plan_id:
        draft.plan = pressed.plan_id
        hosts = {value for _, value in await host_items(turn, pressed.plan_id)}
        if draft.host is not None and draft.host not in hosts:
            draft.host = None
        note = await _recheck_kind(turn, draft)
    draft.finish_edit(Step.PLAN)
    return await ask(turn, draft, note)


@press(HostPage, Step.HOST)
async def host_page(turn: Turn, pressed: HostPage, draft: ReportDraft) -> int:
    items = await host_items(turn, draft.plan)  # type: ignore[arg-type]
    turn.swap_choices(picker_rows(turn, draft, Step.HOST, items, pressed.page))
    return STATE[Step.HOST]


@press(HostPicked, Step.HOST)
async def host_picked(turn: Turn, pressed: HostPicked, draft: ReportDraft) -> int:
    items = await host_items(turn, draft.plan)  # type: ignore[arg-type]
    if pressed.unit_id not in {value for _, value in items}:
        return await not_now(turn, draft)
    turn.drop_choices()
    note = ""
    if draft.host != pressed.unit_id:
        draft.host = pressed.unit_id
        note = await _recheck_kind(turn, draft)
    draft.finish_edit(Step.HOST)
    return await ask(turn, draft, note)


# --------------------------------------------------------------------------- the other buttons


@press(KindPicked, Step.KIND)
async def kind_picked(turn: Turn, pressed: KindPicked, draft: ReportDraft) -> int:
    refusal = await report_refusal(
        turn.ctx,
        turn.me.person,
        draft.plan,  # type: ignore[arg-type]
        draft.host,  # type: ignore[arg-type]
        pressed.kind,
    )
    if isinstance(refusal, InvalidInput | Conflict):
        # Another kind may still fit (a quota says what is missing): the question stays.
        return await ask(turn, draft, error_text(turn.lang, refusal))
    if refusal is not None:
        raise refusal
    turn.drop_choices()
    draft.kind = pressed.kind
    if pressed.kind != SessionKind.CHUYEN_DE:
        draft.topic = None
    draft.finish_edit(Step.KIND)
    return await ask(turn, draft)


@press(DurationPicked, Step.DURATION)
async def duration_picked(turn: Turn, pressed: DurationPicked, draft: ReportDraft) -> int:
    if pressed.minutes not in DURATIONS:
        return await not_now(turn, draft)
    turn.drop_choices()
    draft.duration = sessions.check_duration(pressed.minutes)
    draft.finish_edit(Step.DURATION)
    return await ask(turn, draft)


@press(SameAddress, Step.ADDRESS)
async def same_address(turn: Turn, pressed: SameAddress, draft: ReportDraft) -> int:
    if not draft.venue:
        return await not_now(turn, draft)
    turn.drop_choices()
    draft.address = draft.venue
    draft.finish_edit(Step.ADDRESS)
    return await ask(turn, draft)


async def _confirm_refused(turn: Turn, exc: ServiceError, *_: object) -> int | None:
    """A detail no longer fits (a time that has passed meanwhile): it can be changed. Any
    other refusal ends the flow."""
    draft = turn.get(ReportDraft)
    if not isinstance(exc, InvalidInput) or draft is None:
        return await _end(turn, exc)
    lang = turn.lang
    return await ask(
        turn, draft, error_text(lang, exc) + "\n" + lang.t("Tap ✏️ Change to correct it.")
    )


@press(ConfirmReport, Step.CONFIRM, recover=_confirm_refused)
async def confirm(turn: Turn, pressed: ConfirmReport, draft: ReportDraft) -> int:
    if draft.missing():
        return await not_now(turn, draft)
    outcome = await sessions.create_session(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        draft.plan,  # type: ignore[arg-type]
        draft.host,  # type: ignore[arg-type]
        draft.kind,  # type: ignore[arg-type]
        draft.when_value(),  # type: ignore[arg-type]
        topic=draft.topic,
        duration_minutes=draft.duration,  # type: ignore[arg-type]
        venue=draft.venue,
        address=draft.address,
    )
    session = outcome.value
    host = await get_unit(turn.ctx, session.host_unit_id)
    turn.drop_choices()
    turn.drop(ReportDraft)
    lang = turn.lang
    saved = lang.t(
        "Saved: {kind} of “{host}”, {when}.",
        kind=kind_label(lang, session.kind),
        host=host.name,
        when=when_label(lang, sessions.when_of(session), turn.settings.tz),
    )
    lines = outcome_lines(lang, saved, outcome.notices, outcome.warnings)
    turn.show(Screen.of("\n".join(lines), rows=[[view_choice(lang, session.id)]]))  # type: ignore[arg-type]
    return END


@press(ChangeDetail, Step.CONFIRM)
async def change_detail(turn: Turn, pressed: ChangeDetail, draft: ReportDraft) -> int:
    turn.drop_choices()
    draft.step = Step.EDIT
    return await ask(turn, draft)


@press(DetailPicked, Step.EDIT)
async def detail_picked(turn: Turn, pressed: DetailPicked, draft: ReportDraft) -> int:
    field = pressed.field
    if field not in draft.needed():
        return await not_now(turn, draft)
    turn.drop_choices()
    draft.old, draft.editing = draft.get(field), field
    draft.set(field, None)
    draft.step = field
    return await ask(turn, draft)


@press(BackToSummary, Step.EDIT)
async def back_to_summary(turn: Turn, pressed: BackToSummary, draft: ReportDraft) -> int:
    turn.drop_choices()
    draft.step = Step.CONFIRM
    return await ask(turn, draft)


@press(KeepDetail, None)
async def keep_detail(turn: Turn, pressed: KeepDetail, draft: ReportDraft) -> int:
    if draft.editing is None or draft.editing != draft.step:
        return await not_now(turn, draft)
    turn.drop_choices()
    draft.set(draft.editing, draft.old)
    draft.finish_edit(draft.editing)
    return await ask(turn, draft)


@press(StopReport, None)
async def stop(turn: Turn, pressed: StopReport, draft: ReportDraft) -> int:
    turn.drop_choices()
    turn.drop(ReportDraft)
    turn.say(turn.lang.t("Stopped. Nothing was changed."))
    return END


# --------------------------------------------------------------------------- typed answers


async def _typed(turn: Turn, draft: ReportDraft) -> int | None:
    lang, step_now = turn.lang, draft.step
    if step_now not in TEXT_STEPS:
        return await ask(turn, draft, lang.t(CHOOSE))
    text = turn.text
    value: Any
    if step_now == Step.TOPIC:
        value = sessions.check_topic(draft.kind, text)  # type: ignore[arg-type]
    elif step_now == Step.VENUE:
        value = sessions.check_venue(text)
    elif step_now == Step.ADDRESS:
        value = sessions.check_address(text)
    else:
        moment = sessions.resolve_when(turn.ctx, text)
        value = (
            f"{moment.year:04d}-{moment.month:02d}"
            if isinstance(moment, MonthOnly)
            else moment.starts_at.isoformat()
        )
    draft.set(step_now, value)
    draft.finish_edit(step_now)
    note = ""
    if step_now == Step.WHEN and draft.next_step() != Step.CONFIRM:  # the summary shows it
        when = draft.when_value()
        shown = (
            month_label(lang, when.year, when.month)
            if isinstance(when, MonthOnly)
            else format_datetime_long(when, lang.locale, turn.settings.tz)  # type: ignore[arg-type]
        )
        note = lang.t("Time: {when}.", when=shown)
    return await ask(turn, draft, note)


text_typed = step(needs=ReportDraft, retry=RETRY)(_typed)
when_typed = step(needs=ReportDraft, retry=examples_line)(_typed)


@step(needs=ReportDraft)
async def use_buttons(turn: Turn, draft: ReportDraft) -> int:
    """Anything but a button where a button is expected."""
    return await ask(turn, draft, turn.lang.t(CHOOSE))


PRESSES: list[tuple[type[Action], Handler]] = [
    (PlanPage, plan_page),
    (PlanPicked, plan_picked),
    (HostPage, host_page),
    (HostPicked, host_picked),
    (KindPicked, kind_picked),
    (DurationPicked, duration_picked),
    (SameAddress, same_address),
    (ConfirmReport, confirm),
    (ChangeDetail, change_detail),
    (DetailPicked, detail_picked),
    (BackToSummary, back_to_summary),
    (KeepDetail, keep_detail),
    (StopReport, stop),
]
