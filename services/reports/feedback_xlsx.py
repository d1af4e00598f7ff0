"""The delegates' feedback as an XLSX workbook an office can print: title rows, one bordered
row per feedback (levels in words, the score the delegate's ratings give, the three texts,
wrapped in rows tall enough for them), and a second sheet with how many delegates chose each
level per criterion."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from core.i18n import Lang
from services.context import Ctx
from services.feedback import (
    LEVEL_LABELS,
    LEVELS_BEST_FIRST,
    PART_LABELS,
    POINT_LEVELS,
    RATING_POINTS,
    Criterion,
    Part,
)
from services.plans import get_plan
from services.reports.feedback_rows import FeedbackTable, feedback_table
from services.reports.heading import session_heading
from services.reports.roll_xlsx import title_lines
from services.reports.sheets import (
    DECIMAL_FORMAT,
    fit_columns,
    fit_rows,
    print_setup,
    write_table,
    write_title,
)
from services.vn_datetime import VN_TZ, format_datetime_short
from storage.models import Person

FEEDBACK_PAGE_UNITS = 200.0  # many columns and long texts: printed at about 75%
AVERAGE_FORMAT = "[$-42A]0.00"


def _level(lang: Lang, points: int | None) -> str:
    return lang.t(LEVEL_LABELS[POINT_LEVELS[points]]) if points in POINT_LEVELS else ""


def _criterion_text(lang: Lang, criterion: Criterion) -> str:
    return lang.t(criterion.label) if criterion.default else criterion.label


def _headers(table: FeedbackTable, lang: Lang) -> list[str]:
    headers: list[str] = [lang.t("No.")]
    if table.by_session:
        headers.append(lang.t("Session"))
    headers.append(lang.t("Full name") if table.show_names else lang.t("Delegate"))
    if table.show_names:
        headers.append(lang.t("Position"))
    headers += [_criterion_text(lang, c) for c in table.criteria]
    headers += [
        lang.t("Overall level (delegate)"),
        lang.t("Score (out of 100)"),
        lang.t("Level (computed)"),
        lang.t(PART_LABELS[Part.WENT_WELL]),
        lang.t(PART_LABELS[Part.SHORTCOMINGS]),
        lang.t(PART_LABELS[Part.PROPOSALS]),
    ]
    if table.show_names:
        headers.append(lang.t("Last changed"))
    return headers


def _rows(table: FeedbackTable, lang: Lang) -> list[list[Any]]:
    numbers: dict[int, int] = {}
    out: list[list[Any]] = []
    for index, row in enumerate(table.rows, 1):
        numbers[row.session_id] = numbers.get(row.session_id, 0) + 1
        values: list[Any] = [index]
        if table.by_session:
            values.append(row.session)
        values.append(
            row.name
            if row.name is not None
            else lang.t("Delegate {n}", n=f"{numbers[row.session_id]:02d}")
        )
        if table.show_names:
            values.append(row.position or "")
        values += [_level(lang, row.ratings.get(c.key)) for c in table.criteria]
        values += [
            _level(lang, row.overall),
            row.score.points if row.score is not None else None,
            lang.t(LEVEL_LABELS[row.score.level]) if row.score is not None else "",
            row.went_well or "",
            row.shortcomings or "",
            row.proposals or "",
        ]
        if table.show_names:
            values.append(
                row.updated_at.astimezone(VN_TZ).replace(tzinfo=None) if row.updated_at else None
            )
        out.append(values)
    return out


def build_feedback_xlsx(table: FeedbackTable, lang: Lang, titles: list[str] | None = None) -> bytes:
    """The workbook; `titles` are the rows above each sheet's table (none without)."""
    book = Workbook()
    sheet = book.active
    sheet.title = lang.t("Feedback")[:31]
    headers = _headers(table, lang)
    top = write_title(sheet, titles, len(headers)) if titles else 1
    score_column = headers.index(lang.t("Score (out of 100)"))
    write_table(sheet, top, headers, _rows(table, lang), formats={score_column: DECIMAL_FORMAT})
    widths = fit_columns(sheet, top, len(headers), page_units=FEEDBACK_PAGE_UNITS)
    fit_rows(sheet, top, widths)
    print_setup(sheet, top)
    _distribution_sheet(book.create_sheet(lang.t("Summary")[:31]), table, lang, titles)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _distribution_sheet(
    sheet: Worksheet, table: FeedbackTable, lang: Lang, titles: list[str] | None
) -> None:
    headers = [
        lang.t("Criterion"),
        lang.t("Weight"),
        *(lang.t(LEVEL_LABELS[lv]) for lv in LEVELS_BEST_FIRST),
        lang.t("Average (1–4)"),
    ]
    lines: list[list[Any]] = []
    for c in table.criteria:
        values = [r.ratings[c.key] for r in table.rows if c.key in r.ratings]
        lines.append(_distribution(_criterion_text(lang, c), c.weight, values))
    lines.append(
        _distribution(lang.t("Overall level (delegate)"), None, [r.overall for r in table.rows])
    )
    top = write_title(sheet, titles, len(headers)) if titles else 1
    write_table(sheet, top, headers, lines, formats={len(headers) - 1: AVERAGE_FORMAT})
    fit_rows(sheet, top, fit_columns(sheet, top, len(headers)))
    print_setup(sheet, top)


def _distribution(label: str, weight: int | None, values: list[int]) -> list[Any]:
    counts = [sum(1 for v in values if v == RATING_POINTS[lv]) for lv in LEVELS_BEST_FIRST]
    average = round(sum(values) / len(values), 2) if values else None
    return [label, weight, *counts, average]


async def feedback_titles(
    ctx: Ctx, lang: Lang, now: datetime, *, session_id: int | None, plan_id: int | None
) -> list[str]:
    """The title rows: the session's (as on the roll), or the plan's."""
    title = lang.t("DELEGATES' FEEDBACK")
    if session_id is not None:
        return title_lines(lang, await session_heading(ctx, session_id), title, now)
    plan = await get_plan(ctx, plan_id)  # type: ignore[arg-type]
    return [
        title,
        lang.t("Plan {number}: {title}", number=plan.number, title=plan.title),
        lang.t("Every session of the plan"),
        lang.t("Figures as of {time}", time=format_datetime_short(now, lang.locale)),
    ]


async def feedback_xlsx(
    ctx: Ctx,
    actor: Person | None,
    lang: Lang,
    *,
    session_id: int | None = None,
    plan_id: int | None = None,
) -> bytes:
    table = await feedback_table(ctx, actor, session_id=session_id, plan_id=plan_id)
    now = ctx.clock.now()
    titles = await feedback_titles(ctx, lang, now, session_id=session_id, plan_id=plan_id)
    return build_feedback_xlsx(table, lang, titles)
