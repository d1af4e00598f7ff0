"""The "Báo cáo tổng hợp ý kiến đại biểu" of a session as a DOCX document laid out the way
Hướng dẫn 36-HD/VPTW lays out a party document: the issuing body under the unit above it
and the document number on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" with the place and date on
the right, the title, the body in numbered parts (attendance, ratings and score, what went
well, shortcomings, proposals), and "Nơi nhận" beside the signature, which stays on the page
of the last part. One issuer throughout (services.reports.heading), chosen per plan."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from core.i18n import N_, Lang
from services.context import Ctx
from services.feedback import LEVEL_LABELS, Part
from services.plans import SESSION_KIND_LABELS, get_plan
from services.reports.docx_layout import (
    PLAIN,
    Style,
    add_lines,
    add_run,
    balanced_lines,
    cant_split,
    keep_with_next,
    set_widths,
    text_width_of_section,
)
from services.reports.heading import Issuer, report_issuer, session_heading, unit_phrase
from services.reports.report_parts import (
    comment_lines,
    overall_sentence,
    ratings_table,
    turnout_table,
)
from services.summaries import SessionSummary, number, percent, score_notes, session_summary
from services.vn_datetime import VN_TZ, format_datetime_long
from storage.models import Person

REPORT_TITLE = N_("Summary of the delegates' feedback")
HEADINGS = {
    "attendance": N_("I. ATTENDANCE"),
    "ratings": N_("II. RATINGS AND SCORE"),
    Part.WENT_WELL: N_("III. WHAT WENT WELL"),
    Part.SHORTCOMINGS: N_("IV. SHORTCOMINGS"),
    Part.PROPOSALS: N_("V. PROPOSALS AND RECOMMENDATIONS"),
}
HEADER_LEFT, HEADER_RIGHT = Cm(7.5), Cm(9.0)
SIGN_LEFT, SIGN_RIGHT = Cm(7.5), Cm(9.0)
HEADER_SIZE = 13


def _admin_day(day: date) -> tuple[str, str]:
    """Day and month as party documents write them (01–09; months 01, 02)."""
    return (f"{day.day:02d}" if day.day < 10 else str(day.day)), (
        f"{day.month:02d}" if day.month < 3 else str(day.month)
    )


class _Writer:
    """Paragraphs of the body, in Times New Roman 14, justified with a first-line indent."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc

    def para(
        self,
        text: str = "",
        style: Style = PLAIN,
        *,
        align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = True,
    ) -> Any:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Cm(1)
        add_run(paragraph, text, style)
        return paragraph

    def heading(self, text: str) -> Any:
        paragraph = self.para(text, Style(bold=True))
        paragraph.paragraph_format.space_before = Pt(6)
        return keep_with_next(paragraph)

    def centred(self, text: str, style: Style = PLAIN) -> Any:
        return self.para(text, style, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _page(doc: Any, lang: Lang, s: SessionSummary, issuer: Issuer) -> None:
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
    doc.core_properties.author = issuer.body


def _header(doc: Any, lang: Lang, s: SessionSummary, issuer: Issuer, today: date) -> None:
    table = doc.add_table(rows=1, cols=2)
    set_widths(table, [HEADER_LEFT, HEADER_RIGHT])
    left, right = table.rows[0].cells
    room = HEADER_LEFT / Pt(1) - 12
    centre = WD_ALIGN_PARAGRAPH.CENTER
    first = left.paragraphs[0]
    first.alignment = centre
    if issuer.header_top:
        add_lines(first, balanced_lines(issuer.header_top, room, HEADER_SIZE), Style(size=13))
        first = left.add_paragraph()
        first.alignment = centre
    body = balanced_lines(issuer.header_body, room, HEADER_SIZE, bold=True)
    add_lines(first, body, Style(bold=True, size=HEADER_SIZE))
    for text in ("*", lang.t("No. {number}-BC/{suffix}", number="…", suffix=issuer.symbol)):
        paragraph = left.add_paragraph()
        paragraph.alignment = centre
        add_run(paragraph, text, Style(size=HEADER_SIZE))
    party = right.paragraphs[0]
    party.alignment = centre
    add_run(party, lang.t("VIETNAMESE COMMUNIST PARTY"), Style(bold=True, underline=True, size=15))
    right.add_paragraph()
    day, month = _admin_day(today)
    place = right.add_paragraph()
    place.alignment = centre
    text = lang.t(
        "{place}, {day}/{month}/{year}",
        place=s.plan_place or "…",
        day=day,
        month=month,
        year=today.year,
    )
    add_run(place, text, Style(italic=True, size=14))


def _title(w: _Writer, lang: Lang, s: SessionSummary, host: str) -> None:
    w.centred("")
    w.centred(lang.t("REPORT"), Style(bold=True, size=16))
    w.centred(lang.t(REPORT_TITLE), Style(bold=True))
    w.centred(
        lang.t("at the {kind} of {host}", kind=SESSION_KIND_LABELS[s.kind], host=host),
        Style(bold=True),
    )
    w.centred("-----")


def _intro(w: _Writer, lang: Lang, s: SessionSummary, issuer: Issuer, host: str) -> None:
    issued = (
        lang.t(" of {day}", day=s.plan_issued_on.strftime("%d/%m/%Y")) if s.plan_issued_on else ""
    )
    topic = lang.t(" on the topic “{topic}”", topic=s.topic) if s.topic else ""
    w.para(
        lang.t(
            "Carrying out plan No. {plan}{issued} of {issuer} on “{title}”, at {when}, {host} "
            "held its {kind}{topic}. {body} sums up the delegates' feedback as follows:",
            plan=s.plan_number,
            issued=issued,
            issuer=s.issuer,
            title=s.plan_title,
            when=format_datetime_long(s.starts_at, lang.locale) if s.starts_at else "…",
            host=host,
            kind=SESSION_KIND_LABELS[s.kind],
            topic=topic,
            body=issuer.body,
        )
    )


def _attendance(w: _Writer, lang: Lang, s: SessionSummary, width: float) -> None:
    t = s.turnout
    w.heading(lang.t(HEADINGS["attendance"]))
    text = lang.t(
        "Delegates invited: {invited}; present: {present} ({rate}), of whom late: {late}; "
        "not present: {absent} (with a reason: {with_reason}, without a reason: {without}). "
        "Guests without an invitation: {guests}.",
        invited=t.invited,
        present=t.present,
        rate=percent(lang, t.rate),
        late=t.late,
        absent=t.absent,
        with_reason=t.absent_with_reason,
        without=t.absent_without_reason,
        guests=t.guests,
    )
    paragraph = w.para(text)
    if s.categories:
        keep_with_next(paragraph)
        turnout_table(w.doc, lang, s, width)


def _ratings(w: _Writer, lang: Lang, s: SessionSummary, width: float) -> None:
    w.heading(lang.t(HEADINGS["ratings"]))
    if s.score is None:
        score = lang.t("No ratings were given, so the session has no score.")
    else:
        score = lang.t(
            "Average score: {points}/100, level: {level}.",
            points=number(lang, s.score.points),
            level=lang.t(LEVEL_LABELS[s.score.level]),
        )
    last = w.para(
        lang.t("Delegates who gave feedback: {n}. {score}", n=s.feedback_count, score=score)
    )
    for note in score_notes(lang, s.score, s.config):
        last = w.para(note.removeprefix("⚠️ "), Style(italic=True))
    if s.feedback_count:
        keep_with_next(last)
        ratings_table(w.doc, lang, s, width)
        w.para(overall_sentence(lang, s)).paragraph_format.space_before = Pt(4)


def _comments(w: _Writer, lang: Lang, s: SessionSummary) -> Any:
    """Parts III–V; returns the last paragraph (kept with the signature)."""
    last = None
    for part in Part:
        w.heading(lang.t(HEADINGS[part]))
        lines = [
            line for comment in s.comments.get(part, []) for line in comment_lines(lang, comment)
        ]
        if not lines:
            last = w.para(lang.t("No comments."), Style(italic=True))
        for line in lines:
            last = w.para(line)
    return last


def _signature(doc: Any, lang: Lang, issuer: Issuer) -> None:
    table = doc.add_table(rows=1, cols=2)
    set_widths(table, [SIGN_LEFT, SIGN_RIGHT])
    cant_split(table.rows[0])
    recipients, signature = table.rows[0].cells
    add_run(recipients.paragraphs[0], lang.t("Recipients:"), Style(underline=True, size=14))
    for line in issuer.recipients:
        add_run(recipients.add_paragraph(), line, Style(size=12))
    centre = WD_ALIGN_PARAGRAPH.CENTER
    lines = [text for text in (issuer.authority, issuer.title) if text]
    first = signature.paragraphs[0]
    first.alignment = centre
    add_lines(first, lines, Style(bold=True, size=14))
    for _ in range(4):
        signature.add_paragraph()
    name = signature.add_paragraph()
    name.alignment = centre
    add_run(name, issuer.signer, Style(bold=True, size=14))


def build_summary_docx(
    summary: SessionSummary, lang: Lang, today: date, issuer: Issuer, host_parent: str | None
) -> bytes:
    """The report of a session (see the module's doc)."""
    s = summary
    doc = Document()
    _page(doc, lang, s, issuer)
    width = text_width_of_section(doc.sections[0])
    host = unit_phrase(lang, s.host, host_parent)
    _header(doc, lang, s, issuer, today)
    w = _Writer(doc)
    _title(w, lang, s, host)
    _intro(w, lang, s, issuer, host)
    _attendance(w, lang, s, width)
    _ratings(w, lang, s, width)
    last = _comments(w, lang, s)
    if last is not None:
        keep_with_next(last)
    keep_with_next(w.para(""))
    _signature(doc, lang, issuer)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


async def summary_docx(ctx: Ctx, actor: Person | None, session_id: int, lang: Lang) -> bytes:
    summary = await session_summary(ctx, actor, session_id)
    plan = await get_plan(ctx, summary.plan_id)
    heading = await session_heading(ctx, session_id)
    issuer = await report_issuer(ctx, plan, summary.host, lang)
    today = ctx.clock.now().astimezone(VN_TZ).date()
    return build_summary_docx(summary, lang, today, issuer, heading.host_parent)
