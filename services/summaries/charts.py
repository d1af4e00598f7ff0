"""Rating and attendance charts of the summaries (PNG, drawn by services.charts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.i18n import Lang
from services import charts
from services.feedback import (
    LEVELS_BEST_FIRST,
    RATING_POINTS,
)
from services.summaries.text import label_of, level_label
from services.summaries.values import CHART_SESSIONS, CriterionRatings, PlanSummary, SessionSummary
from services.vn_datetime import VN_TZ

# --------------------------------------------------------------------------- charts


def _level_labels(lang: Lang) -> list[str]:
    return [level_label(lang, level) for level in LEVELS_BEST_FIRST]


def _rows(
    lang: Lang, criteria: Sequence[CriterionRatings], overall: Mapping[int, int]
) -> tuple[list[str], list[list[int]]]:
    labels = [label_of(lang, c) for c in criteria] + [lang.t("Overall level")]
    counts = [[c.counts.get(RATING_POINTS[lv], 0) for lv in LEVELS_BEST_FIRST] for c in criteria]
    counts.append([overall.get(RATING_POINTS[lv], 0) for lv in LEVELS_BEST_FIRST])
    return labels, counts


def session_ratings_chart(lang: Lang, summary: SessionSummary) -> bytes | None:
    """The rating distribution of a session (stacked bars), or None without ratings."""
    if not summary.feedback_count:
        return None
    labels, counts = _rows(lang, summary.criteria, summary.overall)
    return charts.ratings_chart(
        labels,
        counts,
        _level_labels(lang),
        title=lang.t(
            "Ratings by {n} delegates: {host}", n=summary.feedback_count, host=summary.host
        ),
        xlabel=lang.t("Delegates"),
    )


def plan_ratings_chart(lang: Lang, summary: PlanSummary) -> bytes | None:
    if not summary.feedback_count:
        return None
    labels, counts = _rows(lang, summary.criteria, summary.overall)
    return charts.ratings_chart(
        labels,
        counts,
        _level_labels(lang),
        title=lang.t("Ratings across the plan ({n} delegates)", n=summary.feedback_count),
        xlabel=lang.t("Delegates"),
    )


def plan_attendance_chart(lang: Lang, summary: PlanSummary) -> bytes | None:
    """Attendance rate per session (bars; the latest CHART_SESSIONS sessions)."""
    lines = [line for line in summary.lines if line.turnout.invited][-CHART_SESSIONS:]
    if not lines:
        return None
    return charts.attendance_chart(
        [charts.session_label(line.host, line.starts_at, VN_TZ) for line in lines],
        [line.turnout.rate or 0.0 for line in lines],
        title=lang.t("Attendance per session (%)"),
        ylabel=lang.t("Present / invited (%)"),
        target=summary.config.min_attendance_pct / 100,
        target_label=lang.t("Expected: above {pct}%", pct=summary.config.min_attendance_pct),
        met_label=lang.t("Above the expected rate"),
        below_label=lang.t("At or below the expected rate"),
    )
