"""Pieces of summary text in the reader's language: numbers, percentages, levels, scores,
turnout and comments."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from core.i18n import Lang
from services.feedback import (
    LEVEL_LABELS,
    LEVELS_BEST_FIRST,
    PART_LABELS,
    RATING_POINTS,
    Level,
    Part,
    Score,
    ScoringConfig,
)
from services.summaries.values import (
    MAX_COMMENT_SHOWN,
    MAX_TEXT,
    Comment,
    CriterionRatings,
    Turnout,
)
from services.vn_datetime import format_datetime_long

# --------------------------------------------------------------------------- rendering


def number(lang: Lang, value: float, digits: int = 1) -> str:
    """93.3 → "93,3" in Vietnamese, "93.3" in English; whole numbers without decimals."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang.locale == "vi" else text


def percent(lang: Lang, rate: float | None) -> str:
    return "—" if rate is None else number(lang, rate * 100) + "%"


def level_label(lang: Lang, level: Level) -> str:
    return lang.t(LEVEL_LABELS[level])


def label_of(lang: Lang, criterion: CriterionRatings) -> str:
    return lang.t(criterion.label) if criterion.default else criterion.label


def distribution(lang: Lang, counts: Mapping[int, int]) -> str:
    return " · ".join(
        f"{level_label(lang, level)} {counts.get(RATING_POINTS[level], 0)}"
        for level in LEVELS_BEST_FIRST
    )


def score_line(lang: Lang, score: Score | None) -> str:
    if score is None:
        return lang.t("Score: no ratings yet.")
    return lang.t(
        "Score: {points}/100 — {level}",
        points=number(lang, score.points),
        level=level_label(lang, score.level),
    )


def score_notes(lang: Lang, score: Score | None, config: ScoringConfig) -> list[str]:
    if score is None:
        return []
    lines = []
    if score.attendance_ok is False:
        lines.append(
            lang.t(
                "⚠️ Attendance did not exceed {pct}%, so the session cannot be rated Good.",
                pct=config.min_attendance_pct,
            )
        )
    if not score.duration_ok:
        lines.append(
            lang.t(
                "⚠️ The session was planned for less than {minutes} minutes, so it cannot be "
                "rated Good.",
                minutes=config.min_minutes,
            )
        )
    return lines


def turnout_lines(lang: Lang, t: Turnout) -> list[str]:
    return [
        lang.t(
            "Invited: {invited} · present: {present} ({rate}) · late: {late}",
            invited=t.invited,
            present=t.present,
            rate=percent(lang, t.rate),
            late=t.late,
        ),
        lang.t(
            "Absent with a reason: {with_reason} · without a reason: {without} · guests: {guests}",
            with_reason=t.absent_with_reason,
            without=t.absent_without_reason,
            guests=t.guests,
        ),
    ]


def when_text(lang: Lang, starts_at: datetime | None) -> str:
    return format_datetime_long(starts_at, lang.locale) if starts_at else "—"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_PART_ICONS = {Part.WENT_WELL: "✅", Part.SHORTCOMINGS: "⚠️", Part.PROPOSALS: "💡"}


def with_comments(
    lang: Lang, head: list[str], comments: Mapping[Part, list[Comment]], tail: list[str]
) -> str:
    """Head, then the comments under their headings as far as MAX_TEXT allows (each clipped,
    in order; a note says how many were left out), then tail."""
    reserve = 80  # per heading: its "(none)" or "… and n more" line
    titles = [
        f"{_PART_ICONS[part]} {lang.t(PART_LABELS[part])} ({len(comments.get(part, []))})"
        for part in Part
    ]
    budget = MAX_TEXT - len("\n".join(head + tail)) - sum(len(t) + 2 + reserve for t in titles)
    out = list(head)
    for part, title in zip(Part, titles, strict=True):
        items = comments.get(part, [])
        out += ["", title]
        shown = 0
        for comment in items:
            text = _clip(comment.text, MAX_COMMENT_SHOWN)
            line = f"- {comment.name}: {text}" if comment.name else f"- {text}"
            if len(line) + 1 > budget:
                break
            out.append(line)
            budget -= len(line) + 1
            shown += 1
        if not items:
            out.append(lang.t("(none)"))
        elif shown < len(items):
            out.append(lang.t("… and {n} more (see the report)", n=len(items) - shown))
    out += tail
    return "\n".join(out)[:MAX_TEXT]
