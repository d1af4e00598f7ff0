"""A plan's summary as text."""

from __future__ import annotations

from core.i18n import Lang
from services.feedback import (
    LEVELS_BEST_FIRST,
    level_for,
)
from services.summaries.text import distribution, label_of, level_label, number, turnout_lines
from services.summaries.values import MAX_TEXT, PlanSummary
from storage.models import (
    SessionStatus,
)


def render_plan_summary(lang: Lang, summary: PlanSummary) -> str:
    s = summary
    st = s.statuses
    lines = [
        lang.t("📊 PLAN SUMMARY"),
        lang.t("Plan {plan}: {title}", plan=s.number, title=s.title),
        "",
        lang.t(
            "Sessions: held {held} · scheduled {scheduled} · tentative {tentative} · "
            "cancelled {cancelled}",
            held=st.get(SessionStatus.HELD, 0),
            scheduled=st.get(SessionStatus.SCHEDULED, 0),
            tentative=st.get(SessionStatus.TENTATIVE, 0),
            cancelled=st.get(SessionStatus.CANCELLED, 0),
        ),
    ]
    if s.compliance:
        lines += ["", lang.t("📌 Requirements by unit (on time / late / missing / not due yet)")]
        shown = s.compliance[:15]
        for u in shown:
            lines.append(
                lang.t(
                    "• {unit}: {on_time} / {late} / {missing} / {pending}",
                    unit=u.unit_name,
                    on_time=u.on_time,
                    late=u.late,
                    missing=u.missing,
                    pending=u.pending,
                )
            )
        if len(s.compliance) > len(shown):
            lines.append(lang.t("… and {n} more units", n=len(s.compliance) - len(shown)))
    lines += [
        "",
        lang.nt(
            "👥 Attendance over {n} session that has taken place",
            "👥 Attendance over {n} sessions that have taken place",
            len(s.lines),
        ),
        *turnout_lines(lang, s.turnout),
        "",
        lang.nt("⭐ Ratings ({n} delegate)", "⭐ Ratings ({n} delegates)", s.feedback_count),
    ]
    if s.feedback_count:
        for c in s.criteria:
            lines.append(
                lang.t(
                    "• {label} ({weight} points): {distribution}",
                    label=label_of(lang, c),
                    weight=c.weight,
                    distribution=distribution(lang, c.counts),
                )
            )
        lines.append(
            lang.t(
                "• Overall, in the delegates' view: {distribution}",
                distribution=distribution(lang, s.overall),
            )
        )
    if s.average_score is not None:
        lines.append(
            lang.t(
                "Average score of the sessions: {points}/100 ({level})",
                points=number(lang, s.average_score),
                level=level_label(lang, level_for(s.average_score, s.config)),
            )
        )
        lines.append(
            lang.t(
                "Sessions by level: {distribution}",
                distribution=" · ".join(
                    f"{level_label(lang, lv)} {s.levels.get(lv, 0)}" for lv in LEVELS_BEST_FIRST
                ),
            )
        )
    return "\n".join(lines)[:MAX_TEXT]
