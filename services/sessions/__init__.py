"""Model sessions of a plan: report, edit, reschedule, firm up, cancel, mark held; and the
queries the handlers show (upcoming sessions, a plan's schedule, where a person can report).

Who may change a session: the secretary or deputy secretary of the host unit, or an
organiser of the host unit or of a unit above it. Every change is kept in `SessionChange`.

Times: `When` is what the user typed (read with `vn_datetime.parse_when` against the clock),
or an already parsed `ExactTime` / `MonthOnly`, or an aware `datetime`. An exact time makes
a scheduled session, a month alone a tentative one. Nothing may be planned in the past.
"""

from __future__ import annotations

from services.read.sessions import (
    get_session,
    require_changeable,
    session_audience,
    session_params,
    sort_key,
    when_of,
)
from services.sessions.access import (
    HistoryEntry,
    can_change_session,
    check_report,
    get_visible_session,
    history_for,
    hosts_for_plan,
    require_can_change,
)
from services.sessions.changes import (
    CHANGED_KIND,
    HELD_KIND,
    REPORTED_KIND,
    create_session,
    update_session,
)
from services.sessions.checks import (
    DEFAULT_DURATION,
    MAX_DURATION,
    MAX_REASON,
    MIN_DURATION,
    OPEN_STATUSES,
    When,
    check_address,
    check_duration,
    check_reason,
    check_topic,
    check_venue,
    kinds_for_host,
    resolve_when,
)
from services.sessions.held import hold_ended, mark_held, mark_not_held
from services.sessions.moves import (
    cancel_session,
    check_reschedule,
    firm_up_session,
    reschedule_session,
)
from services.sessions.queries import (
    hosts_person_can_report_for,
    plan_sessions,
    plans_person_can_report_in,
    session_history,
    upcoming_for,
)

__all__ = [
    "CHANGED_KIND",
    "DEFAULT_DURATION",
    "HELD_KIND",
    "MAX_DURATION",
    "MAX_REASON",
    "MIN_DURATION",
    "OPEN_STATUSES",
    "REPORTED_KIND",
    "HistoryEntry",
    "When",
    "can_change_session",
    "cancel_session",
    "check_address",
    "check_duration",
    "check_reason",
    "check_report",
    "check_reschedule",
    "check_topic",
    "check_venue",
    "create_session",
    "firm_up_session",
    "get_session",
    "get_visible_session",
    "history_for",
    "hold_ended",
    "hosts_for_plan",
    "hosts_person_can_report_for",
    "kinds_for_host",
    "mark_held",
    "mark_not_held",
    "plan_sessions",
    "plans_person_can_report_in",
    "require_can_change",
    "require_changeable",
    "reschedule_session",
    "resolve_when",
    "session_audience",
    "session_history",
    "session_params",
    "sort_key",
    "upcoming_for",
    "update_session",
    "when_of",
]
