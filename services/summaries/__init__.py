"""Summaries for leaders and organisers: one session (attendance, ratings, score, comments)
and a whole plan (sessions by status, requirement compliance by unit, attendance and ratings
across sessions).

Every count comes from SQL aggregates (GROUP BY in the database); only the comments are
fetched as rows. Texts are channel-free and rendered in the reader's language through the
catalogs (`render_session_summary`, `render_plan_summary`); `summary_message` is what the
scheduler sends to leaders and organisers when feedback on a session closes.

Readers: organisers and leaders of the plan's issuing unit or of a unit above it read
everything; organisers over a session's host unit read that session's summary. Whether the
comments carry their authors' names is the plan's choice (`show_names`, anonymised by
default); anonymised comments come in an order that does not follow who wrote first.
"""

from __future__ import annotations

from services.summaries.aggregates import anonymous_order
from services.summaries.charts import (
    plan_attendance_chart,
    plan_ratings_chart,
    session_ratings_chart,
)
from services.summaries.notice import summary_message
from services.summaries.plan import plan_summary
from services.summaries.plan_text import render_plan_summary
from services.summaries.readers import (
    PlanChoice,
    SessionChoice,
    can_read_plan,
    can_read_session,
    plans_for,
    require_plan_reader,
    require_session_reader,
    sessions_for,
)
from services.summaries.session import build_session_summary, session_summary
from services.summaries.session_text import render_session_summary
from services.summaries.text import label_of, level_label, number, percent, score_line, score_notes
from services.summaries.values import (
    CHART_SESSIONS,
    MAX_COMMENT_SHOWN,
    MAX_TEXT,
    CategoryTurnout,
    Comment,
    CriterionRatings,
    PlanSummary,
    SessionLine,
    SessionSummary,
    Turnout,
    UnitCompliance,
)

__all__ = [
    "CHART_SESSIONS",
    "MAX_COMMENT_SHOWN",
    "MAX_TEXT",
    "CategoryTurnout",
    "Comment",
    "CriterionRatings",
    "PlanChoice",
    "PlanSummary",
    "SessionChoice",
    "SessionLine",
    "SessionSummary",
    "Turnout",
    "UnitCompliance",
    "anonymous_order",
    "build_session_summary",
    "can_read_plan",
    "can_read_session",
    "label_of",
    "level_label",
    "number",
    "percent",
    "plan_attendance_chart",
    "plan_ratings_chart",
    "plan_summary",
    "plans_for",
    "render_plan_summary",
    "render_session_summary",
    "require_plan_reader",
    "require_session_reader",
    "score_line",
    "score_notes",
    "session_ratings_chart",
    "session_summary",
    "sessions_for",
    "summary_message",
]
