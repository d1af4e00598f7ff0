"""Exports for the organisers (Ban Tổ chức) and leaders: the roll and the delegates' feedback
as XLSX workbooks, and the "Báo cáo tổng hợp ý kiến đại biểu" as a DOCX document laid out like
a Vietnamese party report (header block, title, sections I–IV, signature and "Nơi nhận"),
which the Ban Tổ chức edits and signs.

Readers are those of the summaries (services.summaries); names go into the feedback export
and the report only when the plan shows comments with names (else "Delegate 01", … in an
order unrelated to who wrote first). Every text comes from the catalogs, in the reader's
language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from core.i18n import N_, Lang
from services import roll
from services.context import Ctx
from services.feedback import (
    LEVEL_LABELS,
    LEVELS_BEST_FIRST,
    PART_LABELS,
    POINT_LEVELS,
    RATING_POINTS,
    Criterion,
    Part,
    Score,
    compute_score,
    config_for,
)
from services.plans import SESSION_KIND_LABELS, get_plan
from services.sessions import get_session
from services.summaries import (
    SessionSummary,
    Turnout,
    anonymous_order,
    label_of,
    number,
    percent,
    require_plan_reader,
    require_session_reader,
    session_summary,
)
from services.units import sort_key
from services.vn_datetime import VN_TZ, format_datetime_long
from storage.models import (
    CheckIn,
    Feedback,
    FeedbackRating,
    Invitation,
    ModelSession,
    Person,
    Unit,
)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
_FORMULA_START = ("=", "+", "-", "@")


# --------------------------------------------------------------------------- the roll


async def roll_xlsx(ctx: Ctx, actor: Person | None, session_id: int, lang: Lang) -> bytes:
    """The session's roll (services.roll), one row per invitee and guest, with the counts."""
    rows = await roll.roll_rows(ctx, actor, session_id)
    counts = await roll.roll(ctx, actor, session_id)
    labels = {key: lang.t(msgid) for key, msgid in roll.ROLL_LABELS.items()}
    return roll.export_roll_xlsx(rows, labels, summary=counts)


# --------------------------------------------------------------------------- feedback rows


@dataclass(frozen=True, slots=True)
class FeedbackRow:
    session_id: int
    session: str  # "host, dd/mm/yyyy" (for exports spanning a plan)
    name: str | None  # None: anonymised
    position: str | None
    ratings: dict[str, int]  # criterion → points 1–4
    overall: int
    score: Score | None  # from the delegate's ratings and the session's attendance
    went_well: str | None
    shortcomings: str | None
    proposals: str | None
    updated_at: datetime | None  # None when anonymised


@dataclass(frozen=True, slots=True)
class FeedbackTable:
    criteria: tuple[Criterion, ...]
    show_names: bool
    rows: list[FeedbackRow]
    by_session: bool  # the rows span several sessions (a plan)


async def feedback_table(
    ctx: Ctx, actor: Person | None, *, session_id: int | None = None, plan_id: int | None = None
) -> FeedbackTable:
    """Every feedback of a session, or of every session of a plan: one row each."""
    if (session_id is None) == (plan_id is None):
        raise ValueError("give a session or a plan")
    if session_id is not None:
        session = await get_session(ctx, session_id)
        plan = await get_plan(ctx, session.plan_id)
        await require_session_reader(ctx, actor, session, plan)
        where: Any = col(Feedback.session_id) == session_id
    else:
        plan = await get_plan(ctx, plan_id)  # type: ignore[arg-type]
        await require_plan_reader(ctx, actor, plan)
        where = col(ModelSession.plan_id) == plan_id
    config = await config_for(ctx, plan.id)  # type: ignore[arg-type]
    found = await ctx.session.exec(
        select(Feedback, Person.full_name, Person.position, ModelSession, Unit.name)
        .join(Person, col(Person.id) == Feedback.person_id)
        .join(ModelSession, col(ModelSession.id) == Feedback.session_id)
        .join(Unit, col(Unit.id) == ModelSession.host_unit_id)
        .where(where)
    )
    records = list(found.all())
    ratings: dict[int, dict[str, int]] = {}
    rating_rows = await ctx.session.exec(
        select(FeedbackRating.feedback_id, FeedbackRating.criterion, FeedbackRating.value)
        .join(Feedback, col(Feedback.id) == FeedbackRating.feedback_id)
        .join(ModelSession, col(ModelSession.id) == Feedback.session_id)
        .where(where)
    )
    for fid, criterion, value in rating_rows.all():
        ratings.setdefault(fid, {})[criterion] = int(value)
    rates = await _attendance_rates(ctx, {s.id for _, _, _, s, _ in records})  # type: ignore[misc]

    def order(record: Any) -> tuple[Any, ...]:
        feedback, name, _, session, _ = record
        start = session.starts_at or datetime.max.replace(tzinfo=VN_TZ)
        who = (
            (sort_key(name or ""), feedback.id)
            if config.show_names
            else (anonymous_order(session.id, feedback.id),)
        )
        return (start, session.id, *who)

    records.sort(key=order)
    rows = []
    for feedback, name, position, session, host in records:
        given = ratings.get(feedback.id, {})
        score = compute_score(
            config,
            {k: float(v) for k, v in given.items()},
            rates.get(session.id),
            session.duration_minutes,
        )
        when = session.starts_at.astimezone(VN_TZ).strftime("%d/%m/%Y") if session.starts_at else ""
        rows.append(
            FeedbackRow(
                session_id=session.id,
                session=f"{host}, {when}" if when else host,
                name=name if config.show_names else None,
                position=position if config.show_names else None,
                ratings=given,
                overall=feedback.overall,
                score=score,
                went_well=feedback.went_well,
                shortcomings=feedback.shortcomings,
                proposals=feedback.proposals,
                updated_at=feedback.updated_at if config.show_names else None,
            )
        )
    return FeedbackTable(config.criteria, config.show_names, rows, by_session=plan_id is not None)


async def _attendance_rates(ctx: Ctx, session_ids: set[int]) -> dict[int, float | None]:
    if not session_ids:
        return {}
    result = await ctx.session.exec(
        select(  # type: ignore[call-overload]
            Invitation.session_id, func.count(col(Invitation.id)), func.count(col(CheckIn.id))
        )
        .select_from(Invitation)
        .outerjoin(
            CheckIn,
            (col(CheckIn.session_id) == col(Invitation.session_id))
            & (col(CheckIn.person_id) == col(Invitation.person_id)),
        )
        .where(col(Invitation.session_id).in_(session_ids))
        .group_by(Invitation.session_id)
    )
    rates: dict[int, float | None] = dict.fromkeys(session_ids)
    for sid, invited, present in result.all():
        rates[sid] = int(present) / int(invited) if invited else None
    return rates


# --------------------------------------------------------------------------- XLSX


def _set(cell: Any, value: Any) -> None:
    """Write a value; text is always text (a comment starting with "=" is no formula)."""
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"


def _level(lang: Lang, points: int | None) -> str:
    return lang.t(LEVEL_LABELS[POINT_LEVELS[points]]) if points in POINT_LEVELS else ""


def _criterion_text(lang: Lang, criterion: Criterion) -> str:
    return lang.t(criterion.label) if criterion.default else criterion.label


def build_feedback_xlsx(table: FeedbackTable, lang: Lang) -> bytes:
    """One row per feedback (levels in words, the score the delegate's ratings give, the three
    texts), and a second sheet with how many delegates chose each level per criterion."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = lang.t("Feedback")[:31]
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
    for index, header in enumerate(headers, 1):
        _set(sheet.cell(row=1, column=index), header)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.cell(row=1, column=index).alignment = Alignment(wrap_text=True, vertical="top")
    numbers: dict[int, int] = {}
    for line, row in enumerate(table.rows, 2):
        numbers[row.session_id] = numbers.get(row.session_id, 0) + 1
        values: list[Any] = [line - 1]
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
        for index, value in enumerate(values, 1):
            cell = sheet.cell(row=line, column=index)
            _set(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
    from openpyxl.utils import get_column_letter

    for index, header in enumerate(headers, 1):
        wide = header in {
            lang.t(PART_LABELS[Part.WENT_WELL]),
            lang.t(PART_LABELS[Part.SHORTCOMINGS]),
            lang.t(PART_LABELS[Part.PROPOSALS]),
        }
        sheet.column_dimensions[get_column_letter(index)].width = (
            6 if index == 1 else 45 if wide else 16
        )
    sheet.freeze_panes = "A2"
    _distribution_sheet(book, table, lang)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _distribution_sheet(book: Any, table: FeedbackTable, lang: Lang) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(lang.t("Summary")[:31])
    headers = [
        lang.t("Criterion"),
        lang.t("Weight"),
        *(lang.t(LEVEL_LABELS[lv]) for lv in LEVELS_BEST_FIRST),
        lang.t("Average (1–4)"),
    ]
    for index, header in enumerate(headers, 1):
        _set(sheet.cell(row=1, column=index), header)
        sheet.cell(row=1, column=index).font = Font(bold=True)
    lines: list[tuple[str, int | None, list[int]]] = []
    for c in table.criteria:
        values = [r.ratings[c.key] for r in table.rows if c.key in r.ratings]
        lines.append((_criterion_text(lang, c), c.weight, values))
    lines.append((lang.t("Overall level (delegate)"), None, [r.overall for r in table.rows]))
    for line, (label, weight, values) in enumerate(lines, 2):
        counts = [sum(1 for v in values if v == RATING_POINTS[lv]) for lv in LEVELS_BEST_FIRST]
        average = round(sum(values) / len(values), 2) if values else None
        for index, value in enumerate([label, weight, *counts, average], 1):
            _set(sheet.cell(row=line, column=index), value)
    sheet.column_dimensions["A"].width = 40


async def feedback_xlsx(
    ctx: Ctx,
    actor: Person | None,
    lang: Lang,
    *,
    session_id: int | None = None,
    plan_id: int | None = None,
) -> bytes:
    table = await feedback_table(ctx, actor, session_id=session_id, plan_id=plan_id)
    return build_feedback_xlsx(table, lang)


# --------------------------------------------------------------------------- DOCX report


REPORT_TITLE = N_("Summary of the delegates' feedback")


def _suffix(plan_number: str) -> str:
    """ "82-KH/ĐU" → "ĐU": the issuer's abbreviation in document numbers."""
    return plan_number.split("/", 1)[1] if "/" in plan_number else "…"


def _admin_day(day: date) -> tuple[str, str]:
    """Day and month as administrative documents write them (01–09; months 01, 02)."""
    return (f"{day.day:02d}" if day.day < 10 else str(day.day)), (
        f"{day.month:02d}" if day.month < 3 else str(day.month)
    )


def build_summary_docx(summary: SessionSummary, lang: Lang, today: date) -> bytes:
    """The "Báo cáo tổng hợp ý kiến đại biểu" of a session (see the module's doc)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    s = summary
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(3)
    doc.core_properties.title = lang.t(REPORT_TITLE)
    doc.core_properties.author = s.issuer

    def para(
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        size: float | None = None,
        align: Any = None,
        indent: bool = False,
        cell: Any = None,
    ) -> Any:
        target = cell if cell is not None else doc
        paragraph = target.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Cm(1)
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size is not None:
            run.font.size = Pt(size)
        return paragraph

    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY

    # Header block: issuing body (left), party name, place and date (right).
    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    left, right = header.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(9)
    left.paragraphs[0].alignment = center
    if s.issuer_parent:
        left.paragraphs[0].add_run(s.issuer_parent.upper()).font.size = Pt(13)
        para(s.issuer.upper(), bold=True, size=13, align=center, cell=left)
    else:
        run = left.paragraphs[0].add_run(s.issuer.upper())
        run.bold, run.font.size = True, Pt(13)
    para("*", align=center, cell=left)
    para(
        lang.t("No. {number}-BC/{suffix}", number="…", suffix=_suffix(s.plan_number)),
        size=13,
        align=center,
        cell=left,
    )
    right.paragraphs[0].alignment = center
    party = right.paragraphs[0].add_run(lang.t("VIETNAMESE COMMUNIST PARTY"))
    party.bold, party.underline, party.font.size = True, True, Pt(14)
    para("", cell=right)
    day, month = _admin_day(today)
    para(
        lang.t(
            "{place}, {day}/{month}/{year}",
            place=s.plan_place or "…",
            day=day,
            month=month,
            year=today.year,
        ),
        italic=True,
        size=13,
        align=center,
        cell=right,
    )

    # Title.
    para("")
    para(lang.t("REPORT"), bold=True, size=15, align=center)
    para(lang.t(REPORT_TITLE), bold=True, align=center)
    para(
        lang.t("at the {kind} of “{host}”", kind=SESSION_KIND_LABELS[s.kind], host=s.host),
        bold=True,
        align=center,
    )
    para("-----", align=center)
    issued = (
        lang.t(" of {day}", day=s.plan_issued_on.strftime("%d/%m/%Y")) if s.plan_issued_on else ""
    )
    topic = lang.t(" on the topic “{topic}”", topic=s.topic) if s.topic else ""
    para(
        lang.t(
            "Carrying out plan No. {plan}{issued} of {issuer} on “{title}”, at {when} “{host}” "
            "held its {kind}{topic}. The Organising Board sums up the delegates' feedback as "
            "follows:",
            plan=s.plan_number,
            issued=issued,
            issuer=s.issuer,
            title=s.plan_title,
            when=format_datetime_long(s.starts_at, lang.locale) if s.starts_at else "…",
            host=s.host,
            kind=SESSION_KIND_LABELS[s.kind],
            topic=topic,
        ),
        align=justify,
        indent=True,
    )

    # I. Attendance and ratings.
    t = s.turnout
    para(lang.t("I. ATTENDANCE"), bold=True)
    para(
        lang.t(
            "Delegates invited: {invited}; present: {present} ({rate}), of whom late: {late}; "
            "absent: {absent} (with a reason: {with_reason}, without a reason: {without}). "
            "Guests without an invitation: {guests}.",
            invited=t.invited,
            present=t.present,
            rate=percent(lang, t.rate),
            late=t.late,
            absent=t.absent,
            with_reason=t.absent_with_reason,
            without=t.absent_without_reason,
            guests=t.guests,
        ),
        align=justify,
        indent=True,
    )
    if s.categories:
        _turnout_table(doc, lang, s)
    para(
        lang.t(
            "Delegates who gave feedback: {n}. {score}",
            n=s.feedback_count,
            score=_score_sentence(lang, s),
        ),
        align=justify,
        indent=True,
    )
    for note in _score_notes(lang, s):
        para(note, italic=True, align=justify, indent=True)
    if s.feedback_count:
        _ratings_table(doc, lang, s)

    # II–IV. The comments.
    headings = {
        Part.WENT_WELL: N_("II. WHAT WENT WELL"),
        Part.SHORTCOMINGS: N_("III. SHORTCOMINGS"),
        Part.PROPOSALS: N_("IV. PROPOSALS AND RECOMMENDATIONS"),
    }
    for part in Part:
        para(lang.t(headings[part]), bold=True)
        comments = s.comments.get(part, [])
        if not comments:
            para(lang.t("No comments."), italic=True, indent=True)
        for comment in comments:
            for index, line in enumerate(comment.text.split("\n")):
                prefix = "- " if index == 0 else "  "
                if index == 0 and comment.name:
                    prefix += lang.t("Comrade {name}: ", name=comment.name)
                para(prefix + line, align=justify, indent=True)

    # Signature and recipients.
    para("")
    sign = doc.add_table(rows=1, cols=2)
    sign.autofit = False
    recipients, signature = sign.rows[0].cells
    recipients.width, signature.width = Cm(8), Cm(8.5)
    first = recipients.paragraphs[0].add_run(lang.t("Recipients:"))
    first.bold, first.italic, first.font.size = True, True, Pt(12)
    for line in (
        lang.t("- The standing committee of {issuer} (to report),", issuer=s.issuer),
        lang.t("- {host},", host=s.host),
        lang.t("- Filed by the Organising Board."),
    ):
        para(line, size=11, cell=recipients)
    signature.paragraphs[0].alignment = center
    on_behalf = signature.paragraphs[0].add_run(lang.t("ON BEHALF OF THE ORGANISING BOARD"))
    on_behalf.bold, on_behalf.font.size = True, Pt(14)
    para(lang.t("(signature and full name)"), italic=True, size=12, align=center, cell=signature)
    for _ in range(3):
        para("", cell=signature)
    para("…………………………", align=center, cell=signature)

    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _score_sentence(lang: Lang, s: SessionSummary) -> str:
    if s.score is None:
        return lang.t("No ratings were given, so the session has no score.")
    return lang.t(
        "Average score: {points}/100, level: {level}.",
        points=number(lang, s.score.points),
        level=lang.t(LEVEL_LABELS[s.score.level]),
    )


def _score_notes(lang: Lang, s: SessionSummary) -> list[str]:
    from services.summaries import score_notes

    return [note.removeprefix("⚠️ ") for note in score_notes(lang, s.score, s.config)]


def _grid(doc: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]], bold_last: bool) -> None:
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(12)
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run("" if value is None else str(value))
            run.font.size = Pt(12)
            run.bold = bold_last and index == len(rows) - 1


def _turnout_table(doc: Any, lang: Lang, s: SessionSummary) -> None:
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
    _grid(
        doc,
        [
            lang.t("Participant group"),
            lang.t("Invited"),
            lang.t("Present"),
            lang.t("Rate"),
            lang.t("Late"),
            lang.t("Absent with a reason"),
            lang.t("Absent without a reason"),
        ],
        rows,
        bold_last=True,
    )


def _ratings_table(doc: Any, lang: Lang, s: SessionSummary) -> None:
    rows: list[list[Any]] = []
    for c in s.criteria:
        average = c.average
        earned = c.weight * average / 4 if average is not None else None
        rows.append(
            [
                label_of(lang, c),
                c.weight,
                *(c.counts.get(RATING_POINTS[lv], 0) for lv in LEVELS_BEST_FIRST),
                number(lang, earned) if earned is not None else "—",
            ]
        )
    if s.score is not None and s.score.attendance_points is not None:
        rows.append(
            [
                lang.t("Attendance (from the roll)"),
                s.config.attendance_weight,
                "",
                "",
                "",
                "",
                number(lang, s.score.attendance_points),
            ]
        )
    rows.append(
        [
            lang.t("Overall level (delegate)"),
            "",
            *(s.overall.get(RATING_POINTS[lv], 0) for lv in LEVELS_BEST_FIRST),
            "",
        ]
    )
    rows.append(
        [
            lang.t("Total score"),
            100,
            "",
            "",
            "",
            "",
            number(lang, s.score.points) if s.score is not None else "—",
        ]
    )
    _grid(
        doc,
        [
            lang.t("Criterion"),
            lang.t("Weight"),
            *(lang.t(LEVEL_LABELS[lv]) for lv in LEVELS_BEST_FIRST),
            lang.t("Points earned"),
        ],
        rows,
        bold_last=True,
    )


async def summary_docx(ctx: Ctx, actor: Person | None, session_id: int, lang: Lang) -> bytes:
    summary = await session_summary(ctx, actor, session_id)
    today = ctx.clock.now().astimezone(VN_TZ).date()
    return build_summary_docx(summary, lang, today)


def file_name(kind: str, session_or_plan_id: int) -> str:
    """File names of the exports (latin letters: every phone opens them)."""
    names: Mapping[str, str] = {
        "roll": "diem-danh-buoi-{id}.xlsx",
        "feedback": "y-kien-dai-bieu-buoi-{id}.xlsx",
        "plan_feedback": "y-kien-dai-bieu-ke-hoach-{id}.xlsx",
        "report": "bao-cao-tong-hop-y-kien-buoi-{id}.docx",
    }
    return names[kind].format(id=session_or_plan_id)
