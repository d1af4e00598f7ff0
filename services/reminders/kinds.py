"""The kinds of rows the scheduler plans on its own, and when it speaks (the policy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.i18n import N_, Msgid
from storage.models import (
    ModelSession,
)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = time(8, 0)
CHASE_DAYS = (3, 1, 0)  # days before the due day, at 08:00
OVERDUE_GRACE = timedelta(days=14)  # an overdue notice older than this is no longer useful

CHASE = "chase"
OVERDUE = "overdue"
LATE_DIGEST = "late_digest"

LEFT: dict[int, Msgid] = {
    3: N_("in 3 days"),
    2: N_("in 2 days"),
    1: N_("tomorrow"),
    0: N_("today"),
}


def morning_of(day: date) -> datetime:
    return datetime.combine(day, MORNING, tzinfo=VN_TZ).astimezone(UTC)


def days_left(now: datetime, due_on: date) -> int:
    """Whole days from today (Vietnam time) to the due day: what a chaser says is counted when
    it is sent (a chaser planned for 3 days before and sent a day late says 2)."""
    return (due_on - now.astimezone(VN_TZ).date()).days


# --------------------------------------------------------------------------- sessions

REMINDER = "session_reminder"
CHECKLIST = "host_checklist"
FEEDBACK_REQUEST = "feedback_request"
FEEDBACK_NUDGE = "feedback_nudge"
SUMMARY = "session_summary"
SESSION_KINDS = (REMINDER, CHECKLIST, FEEDBACK_REQUEST, FEEDBACK_NUDGE, SUMMARY)
PLANNED_WITH_SESSION = (REMINDER, CHECKLIST, SUMMARY)


@dataclass
class Policy:
    """When the scheduler speaks about a session (set from the settings at start-up)."""

    reminder_offsets: tuple[timedelta, ...] = (timedelta(days=1), timedelta(hours=2))
    checklist_before: timedelta = timedelta(days=1)
    feedback_nudge_after: timedelta = timedelta(days=1)


POLICY = Policy()
MAX_FEEDBACK_DAYS = 30  # no plan keeps feedback open longer (services.feedback checks it)


def session_end(session: ModelSession) -> datetime:
    assert session.starts_at is not None
    return session.starts_at + timedelta(minutes=session.duration_minutes)


def place_of(session: ModelSession) -> str:
    """Where a session is, said once: the venue and its address, the address left out when it
    repeats the venue ("same as the venue"); "—" when neither is known."""
    venue, address = session.venue.strip(), session.address.strip()
    if not address or address.casefold() in venue.casefold():
        return venue or "—"
    if not venue or venue.casefold() in address.casefold():
        return address
    return f"{venue}, {address}"


def start_stamp(session: ModelSession) -> str:
    assert session.starts_at is not None
    return session.starts_at.strftime("%Y%m%d%H%M")
