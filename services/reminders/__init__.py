"""What the scheduler pushes on its own: deadline chasers, overdue notices and the late-units
digest (deadlines), session reminders, the host's checklist, the summary and feedback
requests (session_rows, session_prepare).

Rows are planned in the same transaction as their cause, with unique keys: services record
events and services.reactions calls the planners here. Each kind registers its preparer
(services.preparers), which checks a row again when due: a chaser for a unit that has
meanwhile delivered is dropped, and a digest is written from the state at that moment, so
nothing stale ever goes out.
"""

from __future__ import annotations

from services.preparers import Prepared, prepare
from services.reminders.deadlines import plan_requirement
from services.reminders.kinds import (
    CHASE,
    CHASE_DAYS,
    CHECKLIST,
    FEEDBACK_NUDGE,
    FEEDBACK_REQUEST,
    LATE_DIGEST,
    LEFT,
    MAX_FEEDBACK_DAYS,
    MORNING,
    OVERDUE,
    OVERDUE_GRACE,
    PLANNED_WITH_SESSION,
    POLICY,
    REMINDER,
    SESSION_KINDS,
    SUMMARY,
    VN_TZ,
    Policy,
    days_left,
    morning_of,
    place_of,
    session_end,
    start_stamp,
)
from services.reminders.session_prepare import CONTENT_LABELS, current_session
from services.reminders.session_rows import (
    FEEDBACK_NUDGE_TEXT,
    FEEDBACK_REQUEST_TEXT,
    feedback_closes,
    plan_feedback_request,
    plan_invitee_reminders,
    replan_plan,
    replan_session,
    session_notice_params,
    summary_readers,
)

__all__ = [
    "CHASE",
    "CHASE_DAYS",
    "CHECKLIST",
    "CONTENT_LABELS",
    "FEEDBACK_NUDGE",
    "FEEDBACK_NUDGE_TEXT",
    "FEEDBACK_REQUEST",
    "FEEDBACK_REQUEST_TEXT",
    "LATE_DIGEST",
    "LEFT",
    "MAX_FEEDBACK_DAYS",
    "MORNING",
    "OVERDUE",
    "OVERDUE_GRACE",
    "PLANNED_WITH_SESSION",
    "POLICY",
    "REMINDER",
    "SESSION_KINDS",
    "SUMMARY",
    "VN_TZ",
    "Policy",
    "Prepared",
    "current_session",
    "days_left",
    "feedback_closes",
    "morning_of",
    "place_of",
    "plan_feedback_request",
    "plan_invitee_reminders",
    "plan_requirement",
    "prepare",
    "replan_plan",
    "replan_session",
    "session_end",
    "session_notice_params",
    "start_stamp",
    "summary_readers",
]
