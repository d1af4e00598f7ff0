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
from handlers.schedule import words
from handlers.sessions_report.asking import ask, host_items, picker_rows, plan_items
from handlers.sessions_report.draft import (
    DURATIONS,
    STATE,
    TEXT_STEPS,
    DetailPicked,
    KindPicked,
    PageTurned,
    Pick,
    Picked,
    Pressed,
    ReportDraft,
    ReportFor,
    Step,
    Verb,
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


Refused = Callable[..., Awaitable[int | None]]
Where = Step | None | Callable[[Any], Step | None]


def press(action: type[A], at: Where, recover: Refused = _end) -> Callable[[Answer], Handler]:
    """A step for a press of this run's button asked at question `at` (None: at any; or a
    function of the press)."""

    def wrap(answer: Answer) -> Handler:
        async def handle(turn: Turn, pressed: Any) -> int | None:
            draft = turn.get(ReportDraft)
            if draft is None:
                turn.show(stale_screen(turn.lang))
                return END
            wanted = at(pressed) if callable(at) else at
            if pressed.nonce != draft.nonce or (wanted is not None and draft.step != wanted):
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


@step(action=ReportFor, on_error=END, recover=_end)
async def begin_for(turn: Turn, pressed: ReportFor) -> int:
    """📝 on a notice of what a plan asks of a unit: a report for that plan and unit (a đảng
    ủy cơ sở's secretary is asked which of its chi bộ hosts)."""
    flow.drop_all(turn.context)
    offered = {v for _, v in await plan_items(turn)}
    if pressed.plan_id not in offered:
        turn.say(turn.lang.t("There is no plan you can report sessions in now."))
        return END
    draft = ReportDraft.fresh()
    draft.plan, draft.single_plan, draft.within = pressed.plan_id, True, pressed.unit_id
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


PICK_STEP = {Pick.PLAN: Step.PLAN, Pick.HOST: Step.HOST, Pick.DURATION: Step.DURATION}


@press(PageTurned, lambda pressed: PICK_STEP[pressed.what])
async def page_turned(turn: Turn, pressed: PageTurned, draft: ReportDraft) -> int:
    if pressed.what == Pick.PLAN:
        items = await plan_items(turn)
    elif pressed.what == Pick.HOST:
        items = await host_items(turn, draft.plan, draft.within)  # type: ignore[arg-type]
    else:
        return await not_now(turn, draft)
    step_now = PICK_STEP[pressed.what]
    turn.swap_choices(picker_rows(turn, draft, step_now, items, pressed.page))
    return STATE[step_now]


@press(Picked, lambda pressed: PICK_STEP[pressed.what])
async def picked(turn: Turn, pressed: Picked, draft: ReportDraft) -> int:
    value = pressed.value
    if pressed.what == Pick.DURATION:
        if value not in DURATIONS:
            return await not_now(turn, draft)
        turn.drop_choices()
        draft.duration = sessions.check_duration(value)
        draft.finish_edit(Step.DURATION)
        return await ask(turn, draft)
    if pressed.what == Pick.PLAN:
        offered = await plan_items(turn)
    else:
        offered = await host_items(turn, draft.plan, draft.within)  # type: ignore[arg-type]
    if value not in {v for _, v in offered}:
        return await not_now(turn, draft)
    turn.drop_choices()
    note = ""
    if pressed.what == Pick.PLAN and draft.plan != value:
        draft.plan = value
        hosts = {v for _, v in await host_items(turn, value, draft.within)}
        if draft.host is not None and draft.host not in hosts:
            draft.host = None
        note = await _recheck_kind(turn, draft)
    elif pressed.what == Pick.HOST and draft.host != value:
        draft.host = value
        note = await _recheck_kind(turn, draft)
    draft.finish_edit(PICK_STEP[pressed.what])
    return await ask(turn, draft, note)


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


async def _same_address(turn: Turn, draft: ReportDraft) -> int:
    if not draft.venue:
        return await not_now(turn, draft)
    turn.drop_choices()
    draft.address = draft.venue
    draft.finish_edit(Step.ADDRESS)
    return await ask(turn, draft)


async def _confirm(turn: Turn, draft: ReportDraft) -> int:
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
        kind=words.kind_label(lang, session.kind),
        host=host.name,
        when=words.when_label(lang, sessions.when_of(session), turn.settings.tz),
    )
    lines = words.outcome_lines(lang, saved, outcome.notices, outcome.warnings)
    turn.show(Screen.of("\n".join(lines), rows=[[words.view_choice(lang, session.id)]]))  # type: ignore[arg-type]
    return END


async def _change_detail(turn: Turn, draft: ReportDraft) -> int:
    turn.drop_choices()
    draft.step = Step.EDIT
    return await ask(turn, draft)


async def _back_to_summary(turn: Turn, draft: ReportDraft) -> int:
    turn.drop_choices()
    draft.step = Step.CONFIRM
    return await ask(turn, draft)


async def _keep_detail(turn: Turn, draft: ReportDraft) -> int:
    if draft.editing is None or draft.editing != draft.step:
        return await not_now(turn, draft)
    turn.drop_choices()
    draft.set(draft.editing, draft.old)
    draft.finish_edit(draft.editing)
    return await ask(turn, draft)


async def _stop(turn: Turn, draft: ReportDraft) -> int:
    turn.drop_choices()
    turn.drop(ReportDraft)
    turn.say(turn.lang.t("Stopped. Nothing was changed."))
    return END


# What each button without a value does, and at which question (None: at any).
VERBS: dict[Verb, tuple[Step | None, Callable[[Turn, ReportDraft], Awaitable[int]]]] = {
    Verb.SAME: (Step.ADDRESS, _same_address),
    Verb.CONFIRM: (Step.CONFIRM, _confirm),
    Verb.CHANGE: (Step.CONFIRM, _change_detail),
    Verb.BACK: (Step.EDIT, _back_to_summary),
    Verb.KEEP: (None, _keep_detail),
    Verb.STOP: (None, _stop),
}


async def _refused(turn: Turn, exc: ServiceError, pressed: Pressed) -> int | None:
    """On ✅ a detail that no longer fits (a time that has passed meanwhile) can be changed;
    any other refusal ends the flow."""
    draft = turn.get(ReportDraft)
    if pressed.verb != Verb.CONFIRM or not isinstance(exc, InvalidInput) or draft is None:
        return await _end(turn, exc)
    lang = turn.lang
    return await ask(
        turn, draft, error_text(lang, exc) + "\n" + lang.t("Tap ✏️ Change to correct it.")
    )


@press(Pressed, lambda pressed: VERBS[pressed.verb][0], recover=_refused)
async def pressed_verb(turn: Turn, pressed: Pressed, draft: ReportDraft) -> int:
    return await VERBS[pressed.verb][1](turn, draft)


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
            words.month_label(lang, when.year, when.month)
            if isinstance(when, MonthOnly)
            else format_datetime_long(when, lang.locale, turn.settings.tz)  # type: ignore[arg-type]
        )
        note = lang.t("Time: {when}.", when=shown)
    return await ask(turn, draft, note)


text_typed = step(needs=ReportDraft, retry=RETRY)(_typed)
when_typed = step(needs=ReportDraft, retry=words.examples_line)(_typed)


@step(needs=ReportDraft)
async def use_buttons(turn: Turn, draft: ReportDraft) -> int:
    """Anything but a button where a button is expected."""
    return await ask(turn, draft, turn.lang.t(CHOOSE))


PRESSES: list[tuple[type[Action], Handler]] = [
    (PageTurned, page_turned),
    (Picked, picked),
    (KindPicked, kind_picked),
    (DetailPicked, detail_picked),
    (Pressed, pressed_verb),
]
