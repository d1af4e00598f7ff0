"""The roll of a model session: the XLSX export of who was invited, who answered what and who
checked in (and optionally the counts). What the roll holds and who reads it is in
services.roll_view; its names are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from core.i18n import N_, Msgid
from services.roll_view import (
    CategoryRoll as CategoryRoll,
)
from services.roll_view import (
    Counts as Counts,
)
from services.roll_view import (
    Reason as Reason,
)
from services.roll_view import (
    Roll as Roll,
)
from services.roll_view import (
    RollRow as RollRow,
)
from services.roll_view import (
    roll as roll,
)
from services.roll_view import (
    roll_rows as roll_rows,
)
from services.vn_datetime import VN_TZ

# --------------------------------------------------------------------------- XLSX export

COLUMNS: tuple[str, ...] = (
    "no",
    "name",
    "position",
    "unit",
    "category",
    "answer",
    "reason",
    "checked_in_at",
    "late",
    "method",
)
SUMMARY_COLUMNS: tuple[str, ...] = (
    "category",
    "invited",
    "accepted",
    "declined",
    "no_answer",
    "checked_in",
    "late",
    "manual",
    "guests",
)

# The texts of the export, for the caller to translate: {key: lang.t(msgid) for ...}.
ROLL_LABELS: dict[str, Msgid] = {
    "sheet.roll": N_("Roll"),
    "sheet.summary": N_("Summary"),
    "no": N_("No."),
    "name": N_("Full name"),
    "position": N_("Position"),
    "unit": N_("Unit"),
    "category": N_("Participant group"),
    "answer": N_("Answer"),
    "reason": N_("Reason for absence"),
    "checked_in_at": N_("Checked in at"),
    "late": N_("Late"),
    "method": N_("Check-in by"),
    "invited": N_("Invited"),
    "accepted": N_("Will attend"),
    "declined": N_("Absent"),
    "no_answer": N_("No answer"),
    "checked_in": N_("Checked in"),
    "manual": N_("Recorded by organisers"),
    "guests": N_("Guests"),
    "answer.invited": N_("No answer"),
    "answer.accepted": N_("Will attend"),
    "answer.declined": N_("Absent"),
    "answer.guest": N_("Guest (not invited)"),
    "method.qr": N_("QR code"),
    "method.code": N_("Code"),
    "method.manual": N_("Organisers"),
    "method.guest": N_("Guest"),
    "yes": N_("Yes"),
    "other": N_("Other"),
    "total": N_("Total"),
}
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
_FORMULA_START = ("=", "+", "-", "@")


def _set(cell: Any, value: Any) -> None:
    """Write a value; text is always text (a name starting with "=" is no formula)."""
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"


def export_roll_xlsx(
    rows: Sequence[RollRow],
    locale_labels: Mapping[str, str],
    *,
    summary: Roll | None = None,
) -> bytes:
    """An .xlsx workbook: one sheet with a row per person, and with `summary` a second sheet
    with the counts per category. Texts come from `locale_labels` (keys of `ROLL_LABELS`,
    translated by the caller; a missing key shows as itself). Times are local (Hà Nội)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    def label(key: str) -> str:
        return locale_labels.get(key, key)

    book = Workbook()
    sheet = book.active
    sheet.title = label("sheet.roll")[:31]
    for index, key in enumerate(COLUMNS, 1):
        _set(sheet.cell(row=1, column=index), label(key))
        sheet.cell(row=1, column=index).font = Font(bold=True)
    for number, row in enumerate(rows, 1):
        answer = "answer.guest" if row.answer is None else f"answer.{row.answer.value}"
        values: list[Any] = [
            number,
            row.name,
            row.position,
            row.unit,
            row.category if row.category is not None else ("" if row.guest else label("other")),
            label(answer),
            row.reason or "",
            row.checked_in_at.astimezone(VN_TZ).replace(tzinfo=None) if row.checked_in_at else None,
            label("yes") if row.late else "",
            label(f"method.{row.method.value}") if row.method is not None else "",
        ]
        for index, value in enumerate(values, 1):
            cell = sheet.cell(row=number + 1, column=index)
            _set(cell, value)
            if isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
    for letter, width in zip("ABCDEFGHIJ", (6, 28, 24, 30, 36, 16, 36, 18, 8, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    if summary is not None:
        _summary_sheet(book, summary, label)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _summary_sheet(book: Any, summary: Roll, label: Any) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(label("sheet.summary")[:31])
    for index, key in enumerate(SUMMARY_COLUMNS, 1):
        _set(sheet.cell(row=1, column=index), label(key))
        sheet.cell(row=1, column=index).font = Font(bold=True)
    lines: list[tuple[str, Counts]] = [
        (r.label if r.label is not None else label("other"), r.counts) for r in summary.categories
    ]
    totals = summary.totals
    if totals.guests:
        lines.append(
            (
                label("guests"),
                Counts(
                    checked_in=totals.guests,
                    late=totals.late - sum(r.counts.late for r in summary.categories),
                    manual=totals.manual - sum(r.counts.manual for r in summary.categories),
                    guests=totals.guests,
                ),
            )
        )
    lines.append((label("total"), totals))
    for number, (name, counts) in enumerate(lines, 2):
        values = [name, *(getattr(counts, key) for key in SUMMARY_COLUMNS[1:])]
        for index, value in enumerate(values, 1):
            _set(sheet.cell(row=number, column=index), value)
    for cell in sheet[len(lines) + 1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 40
