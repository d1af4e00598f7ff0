"""Changing a session from its card: reschedule (a new time, then a reason or none), fix the
day of a session planned for a month, or cancel it with a reason. Each is checked when the
button is pressed and again by services.sessions when it is done; the people concerned are
told by the services' notices."""

from __future__ import annotations

from datetime import datetime

from core.i18n import N_
from handlers import flow
from handlers.common import error_text
from handlers.schedule import words
from handlers.schedule.actions import (
    CancelSession,
    Change,
    ChangeDraft,
    FirmUp,
    NoReason,
    Reschedule,
)
from handlers.step import END, Turn, retry_if_invalid, step
from services import sessions
from services.errors import InvalidInput, ServiceError
from services.notifications import Outcome
from services.session_actions import moves_by_month
from services.sessions.checks import check_typed_reason
from services.units import get_unit
from services.vn_datetime import MonthOnly, format_datetime_long
from storage.models import ModelSession
from ui.common import cancel_choice, stale_screen
from ui.screen import Choice, Expect, Screen

MOVE_WHEN, MOVE_REASON, FIRM_WHEN, CANCEL_REASON = range(4)
AGAIN = N_("Please type it again, or /huy.")


async def _begin(turn: Turn, session_id: int, change: Change) -> int:
    """Check that the person may change the session now, then ask."""
    lang = turn.lang
    session = await sessions.require_can_change(
        turn.ctx, turn.me.person, session_id, firm_up=change == Change.FIRM
    )
    host = await get_unit(turn.ctx, session.host_unit_id)
    flow.drop_all(turn.context)  # one typed step at a time
    turn.put(ChangeDraft(session_id, change))
    head = lang.t(
        "{kind} of “{host}”, {when}.",
        kind=words.kind_label(lang, session.kind),
        host=host.name,
        when=words.when_label(lang, sessions.when_of(session), turn.settings.tz),
    )
    expect = Expect.DATE
    if change == Change.MOVE:
        ask = lang.t("Type the new day and time, for example: 28/3 8h or 8h30 ngày mai.")
        if moves_by_month(session):
            ask += "\n" + lang.t(
                "To move it to another month only, type the month, for example: dự kiến tháng 5."
            )
        state = MOVE_WHEN
    elif change == Change.FIRM:
        ask = lang.t(
            "Type the day and time in {month}/{year}, for example: 15/{month} 8h.",
            month=session.tentative_month,
            year=session.tentative_year,
        )
        state = FIRM_WHEN
    else:
        ask = lang.t(
            "Why is the session cancelled? Everyone invited will read the reason. "
            "Type it, for example: Trùng lịch họp của Đảng ủy."
        )
        state, expect = CANCEL_REASON, Expect.TEXT
    turn.show(
        Screen.of(
            head + "\n" + ask + "\n" + lang.t("Type /huy to stop."),
            rows=[[cancel_choice(lang)]],
            expect=expect,
        )
    )
    return state


@step(action=Reschedule, on_error=END)
async def begin_move(turn: Turn, pressed: Reschedule) -> int:
    return await _begin(turn, pressed.session_id, Change.MOVE)


@step(action=FirmUp, on_error=END)
async def begin_firm(turn: Turn, pressed: FirmUp) -> int:
    return await _begin(turn, pressed.session_id, Change.FIRM)


@step(action=CancelSession, on_error=END)
async def begin_cancel(turn: Turn, pressed: CancelSession) -> int:
    return await _begin(turn, pressed.session_id, Change.CANCEL)


@step(needs=ChangeDraft, on_error=retry_if_invalid, retry=words.examples_line)
async def move_when_typed(turn: Turn, draft: ChangeDraft) -> int:
    lang = turn.lang
    moment = await sessions.check_reschedule(turn.ctx, turn.me.person, draft.session_id, turn.text)
    if isinstance(moment, MonthOnly):
        draft.when = f"{moment.year:04d}-{moment.month:02d}"
        shown = words.month_label(lang, moment.year, moment.month)
    else:
        draft.when = moment.starts_at.isoformat()
        shown = format_datetime_long(moment.starts_at, lang.locale, turn.settings.tz)
    turn.show(
        Screen.of(
            lang.t("New time: {when}.", when=shown)
            + "\n"
            + lang.t(
                "Type the reason for the change (everyone told will read it), or tap “No reason”."
            ),
            rows=[
                [Choice(lang.t("No reason"), NoReason(draft.session_id))],
                [cancel_choice(lang)],
            ],
            expect=Expect.TEXT,
        )
    )
    return MOVE_REASON


def _decode_when(value: str) -> datetime | MonthOnly:
    if len(value) == 7:
        year, month = value.split("-")
        return MonthOnly(int(year), int(month))
    return datetime.fromisoformat(value)


async def _reschedule(turn: Turn, draft: ChangeDraft, reason: str | None) -> int:
    if draft.when is None:  # no time yet: it is asked first
        return MOVE_WHEN
    outcome = await sessions.reschedule_session(
        turn.ctx, turn.me.person, draft.session_id, _decode_when(draft.when), reason=reason
    )  # type: ignore[arg-type]
    done = N_("Rescheduled: the {kind} of “{host}” is now {when}.")
    return await done_screen(turn, done, outcome)


async def _time_refused(turn: Turn, exc: ServiceError, draft: ChangeDraft) -> int:
    """The new time no longer fits (it has passed meanwhile): ask for it again. A refused
    reason, or any other error, gets the standard answer."""
    if not isinstance(exc, InvalidInput) or draft.when is None:
        raise exc
    if turn.update.callback_query is None:
        check_typed_reason(turn.text)  # the reason was the fault: the question stands
    draft.when = None
    lang = turn.lang
    turn.say(error_text(lang, exc) + "\n" + lang.t("Please type the new day and time again."))
    return MOVE_WHEN


@step(needs=ChangeDraft, on_error=retry_if_invalid, retry=AGAIN, recover=_time_refused)
async def move_reason_typed(turn: Turn, draft: ChangeDraft) -> int:
    return await _reschedule(turn, draft, check_typed_reason(turn.text))


async def _no_reason_refused(
    turn: Turn, exc: ServiceError, pressed: NoReason, draft: ChangeDraft
) -> int:
    return await _time_refused(turn, exc, draft)


@step(action=NoReason, needs=ChangeDraft, on_error=END, recover=_no_reason_refused)
async def move_no_reason(turn: Turn, pressed: NoReason, draft: ChangeDraft) -> int | None:
    if pressed.session_id != draft.session_id or draft.when is None:
        turn.show(stale_screen(turn.lang))
        return None
    return await _reschedule(turn, draft, None)


# What a typed answer does for a firm-up and a cancel: the change, what to say, whether the
# service's warnings (overlapping sessions) are worth repeating.
_TYPED = {
    Change.FIRM: (
        sessions.firm_up_session,
        N_("The day is fixed: the {kind} of “{host}” is {when}."),
        True,
    ),
    Change.CANCEL: (
        sessions.cancel_session,
        N_("Cancelled: the {kind} of “{host}” ({when})."),
        False,
    ),
}


async def _typed_change(turn: Turn, draft: ChangeDraft) -> int:
    change, done, advise = _TYPED[draft.change]
    outcome = await change(turn.ctx, turn.me.person, draft.session_id, turn.text)  # type: ignore[operator,arg-type]
    return await done_screen(turn, done, outcome, advise=advise)


firm_when_typed = step(needs=ChangeDraft, on_error=retry_if_invalid, retry=AGAIN)(_typed_change)
cancel_reason_typed = step(needs=ChangeDraft, on_error=retry_if_invalid)(_typed_change)


async def done_screen(
    turn: Turn, done: str, outcome: Outcome[ModelSession], *, advise: bool = True
) -> int:
    """The change is made: say so, how many people will be told, what to look at again
    (`advise`: the overlaps the service warns of)."""
    turn.drop(ChangeDraft)
    lang, session = turn.lang, outcome.value
    host = await get_unit(turn.ctx, session.host_unit_id)
    sentence = lang.t(
        done,
        kind=words.kind_label(lang, session.kind),
        host=host.name,
        when=words.when_label(lang, sessions.when_of(session), turn.settings.tz),
    )
    lines = words.outcome_lines(lang, sentence, outcome.notices, outcome.warnings if advise else [])
    turn.show(Screen.of("\n".join(lines), rows=[[words.view_choice(lang, session.id)]]))  # type: ignore[arg-type]
    return END
