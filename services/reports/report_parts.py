"""The parts of the "Báo cáo tổng hợp ý kiến đại biểu" that hold figures and comments: the
attendance table, the ratings table (its printed points add up to the printed total), and
the comments as dashed items."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from core.i18n import Lang
from services.feedback import LEVEL_LABELS, LEVELS_BEST_FIRST, MAX_POINTS, RATING_POINTS
from services.reports.docx_layout import grid
from services.summaries import Comment, SessionSummary, Turnout, label_of, number, percent

ITEM_MARKS = ("- ", "-", "• ", "•", "+ ", "* ", "– ")


def turnout_table(doc: Any, lang: Lang, s: SessionSummary, available_pt: float) -> Any:
    def line(label: str, t: Turnout) -> list[Any]:
        return [
            label,
            t.invited,
            t.present,
            percent(lang, t.rate),
            t.late,
            t.absent_with_reason,
            t.absent_without_reason,
        ]

    rows = [line(row.label or lang.t("Other"), row.turnout) for row in s.categories]
    rows.append(line(lang.t("Total"), s.turnout))
    headers = [
        lang.t("Participant group"),
        lang.t("Invited"),
        lang.t("Present"),
        lang.t("Rate"),
        lang.t("Late"),
        lang.t("Absent with a reason"),
        lang.t("Absent without a reason"),
    ]
    return grid(doc, headers, rows, available_pt=available_pt, bold_last=True)


def exact_parts(s: SessionSummary) -> tuple[list[float | None], float | None]:
    """The points each criterion and the attendance contribute to the score, unrounded, the
    way services.feedback.compute_score adds them up."""
    config = s.config
    rated_weight = sum(c.weight for c in s.criteria if c.average is not None)
    scale = config.criteria_weight / rated_weight if rated_weight else 0.0
    rate = s.turnout.rate
    attendance: float | None = None
    if rate is None:
        full = config.criteria_weight + config.attendance_weight
        scale *= full / config.criteria_weight if config.criteria_weight else 0.0
    else:
        target = config.min_attendance_pct / 100
        fraction = min(1.0, rate / target) if target > 0 else 1.0
        attendance = config.attendance_weight * fraction
    criteria = [
        c.weight * c.average / MAX_POINTS * scale if c.average is not None else None
        for c in s.criteria
    ]
    return criteria, attendance


def round_to_total(parts: Sequence[float | None], total: float) -> list[float | None]:
    """Parts rounded to one decimal so that they add up to `total` (itself rounded to one
    decimal): the largest remainders get the spare tenths."""
    target = round(total * 10)
    known = [(i, p * 10) for i, p in enumerate(parts) if p is not None]
    floors = {i: math.floor(v + 1e-9) for i, v in known}
    spare = target - sum(floors.values())
    by_remainder = sorted(known, key=lambda item: item[1] - floors[item[0]], reverse=True)
    for index, _ in by_remainder[: max(0, spare)]:
        floors[index] += 1
    return [floors[i] / 10 if i in floors else None for i in range(len(parts))]


def ratings_rows(lang: Lang, s: SessionSummary) -> list[list[Any]]:
    """One row per criterion, the attendance, and the total: the printed points add up."""
    criteria, attendance = exact_parts(s)
    printed: list[float | None] = [*criteria, attendance]
    if s.score is not None:
        printed = round_to_total(printed, s.score.points)
    rows: list[list[Any]] = []
    for c, points in zip(s.criteria, printed, strict=False):
        rows.append(
            [
                label_of(lang, c),
                c.weight,
                *(c.counts.get(RATING_POINTS[lv], 0) for lv in LEVELS_BEST_FIRST),
                number(lang, points) if points is not None else "—",
            ]
        )
    weights = sum(c.weight for c in s.criteria)
    if attendance is not None:
        weights += s.config.attendance_weight
        rows.append(
            [
                lang.t("Attendance (from the roll)"),
                s.config.attendance_weight,
                *([""] * len(LEVELS_BEST_FIRST)),
                number(lang, printed[-1]) if printed[-1] is not None else "—",
            ]
        )
    rows.append(
        [
            lang.t("Total score"),
            weights,
            *([""] * len(LEVELS_BEST_FIRST)),
            number(lang, s.score.points) if s.score is not None else "—",
        ]
    )
    return rows


def ratings_table(doc: Any, lang: Lang, s: SessionSummary, available_pt: float) -> Any:
    headers = [
        lang.t("Criterion"),
        lang.t("Weight"),
        *(lang.t(LEVEL_LABELS[lv]) for lv in LEVELS_BEST_FIRST),
        lang.t("Points earned"),
    ]
    return grid(doc, headers, ratings_rows(lang, s), available_pt=available_pt, bold_last=True)


def overall_sentence(lang: Lang, s: SessionSummary) -> str:
    return lang.t(
        "The delegates' own overall level: {distribution}.",
        distribution="; ".join(
            f"{lang.t(LEVEL_LABELS[lv])} {s.overall.get(RATING_POINTS[lv], 0)}"
            for lv in LEVELS_BEST_FIRST
        ),
    )


def _items(text: str) -> list[str]:
    items = []
    for line in text.split("\n"):
        clean = line.strip()
        for mark in ITEM_MARKS:
            if clean.startswith(mark):
                clean = clean[len(mark) :].strip()
                break
        if clean:
            items.append(clean)
    return items


def comment_lines(lang: Lang, comment: Comment) -> list[str]:
    """A comment as dashed items: each line of a multi-line comment is an item of its own
    (under "- Đồng chí …:" as "+" items when the plan shows names)."""
    items = _items(comment.text)
    if not items:
        return []
    if comment.name is None:
        return [f"- {item}" for item in items]
    who = lang.t("Comrade {name}: ", name=comment.name)
    if len(items) == 1:
        return [f"- {who}{items[0]}"]
    return [f"- {who.rstrip()}", *(f"+ {item}" for item in items)]
