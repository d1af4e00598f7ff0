"""A session's summary as text."""

from __future__ import annotations

from core.i18n import Lang
from services.labels import SESSION_KIND_LABELS
from services.summaries.text import (
    capitalised,
    distribution,
    label_of,
    number,
    percent,
    score_line,
    score_notes,
    turnout_lines,
    when_text,
    with_comments,
)
from services.summaries.values import SessionSummary


def render_session_summary(lang: Lang, summary: SessionSummary) -> str:
    """The summary of a session as plain text in `lang` (at most MAX_TEXT characters: long
    comment lists are cut, the exports hold them all)."""
    s = summary
    head = [
        lang.t("📊 SESSION SUMMARY"),
        capitalised(
            lang.t(
                "{kind} of “{host}”, {when}",
                kind=SESSION_KIND_LABELS[s.kind],
                host=s.host,
                when=when_text(lang, s.starts_at),
            )
        ),
        lang.t("Plan {plan}: {title}", plan=s.plan_number, title=s.plan_title),
    ]
    if s.topic:
        head.append(lang.t("Topic: {topic}", topic=s.topic))
    head += ["", lang.t("👥 Attendance"), *turnout_lines(lang, s.turnout)]
    if len(s.categories) > 1 or (s.categories and s.categories[0].label):
        for row in s.categories:
            head.append(
                lang.t(
                    "• {label}: {present}/{invited} present ({rate})",
                    label=row.label or lang.t("Other"),
                    present=row.turnout.present,
                    invited=row.turnout.invited,
                    rate=percent(lang, row.turnout.rate),
                )
            )
    head += [
        "",
        lang.nt("⭐ Ratings ({n} delegate)", "⭐ Ratings ({n} delegates)", s.feedback_count),
    ]
    if s.feedback_count:
        for c in s.criteria:
            head.append(
                lang.t(
                    "• {label} ({weight} points): {distribution}",
                    label=label_of(lang, c),
                    weight=c.weight,
                    distribution=distribution(lang, c.counts),
                )
            )
        head.append(
            lang.t(
                "• Overall, in the delegates' view: {distribution}",
                distribution=distribution(lang, s.overall),
            )
        )
    head.append(score_line(lang, s.score))
    if s.score is not None and s.score.attendance_points is not None:
        head.append(
            lang.t(
                "(of which attendance: {points}/{weight})",
                points=number(lang, s.score.attendance_points),
                weight=s.config.attendance_weight,
            )
        )
    head += score_notes(lang, s.score, s.config)
    tail: list[str] = []
    if s.closes_at is not None:
        tail = [
            "",
            lang.t("Feedback closed at {closes}.", closes=when_text(lang, s.closes_at))
            if s.closed
            else lang.t("Feedback is open until {closes}.", closes=when_text(lang, s.closes_at)),
        ]
    return with_comments(lang, head, s.comments, tail)
