"""Exports for the organisers (Ban Tổ chức) and leaders: the roll and the delegates' feedback
as XLSX workbooks laid out for printing, and the "Báo cáo tổng hợp ý kiến đại biểu" as a DOCX
document laid out like a Vietnamese party report, which the issuer edits and signs.

Readers are those of the summaries (services.summaries); names go into the feedback export
and the report only when the plan shows comments with names. Every text comes from the
catalogs, in the reader's language.

- heading: what a document is about and who issues it (a per-plan choice);
- docx_layout, sheets: layout helpers for DOCX and XLSX;
- roll_xlsx, feedback_rows, feedback_xlsx, report_parts, report_docx: the documents."""

from __future__ import annotations

from collections.abc import Mapping

from services.reports.feedback_rows import FeedbackRow, FeedbackTable, feedback_table
from services.reports.feedback_xlsx import build_feedback_xlsx, feedback_xlsx
from services.reports.heading import (
    Issuer,
    SessionHeading,
    report_issuer,
    session_heading,
    set_report_issuer,
)
from services.reports.report_docx import REPORT_TITLE, build_summary_docx, summary_docx
from services.reports.roll_xlsx import build_roll_xlsx, roll_xlsx

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_name(kind: str, session_or_plan_id: int) -> str:
    """File names of the exports (latin letters: every phone opens them)."""
    names: Mapping[str, str] = {
        "roll": "diem-danh-buoi-{id}.xlsx",
        "feedback": "y-kien-dai-bieu-buoi-{id}.xlsx",
        "plan_feedback": "y-kien-dai-bieu-ke-hoach-{id}.xlsx",
        "report": "bao-cao-tong-hop-y-kien-buoi-{id}.docx",
    }
    return names[kind].format(id=session_or_plan_id)


__all__ = [
    "DOCX_MIME",
    "REPORT_TITLE",
    "XLSX_MIME",
    "FeedbackRow",
    "FeedbackTable",
    "Issuer",
    "SessionHeading",
    "build_feedback_xlsx",
    "build_roll_xlsx",
    "build_summary_docx",
    "feedback_table",
    "feedback_xlsx",
    "file_name",
    "report_issuer",
    "roll_xlsx",
    "session_heading",
    "set_report_issuer",
    "summary_docx",
]
