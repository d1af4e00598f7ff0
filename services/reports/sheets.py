"""Layout helpers for the XLSX exports (openpyxl): title rows above a bordered table, column
widths and row heights computed from the content (wrapped text never drawn over the next
row), A4 landscape fitted to one page wide with the header row repeated on every page and
frozen on screen, and Vietnamese number formats.

Widths are in Excel's units (about one "0" of the default 11-point font); a printed line of
wrapped text holds about that many characters of a column."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FONT_SIZE = 11
LINE_HEIGHT_PT = 15.0  # one line of 11-point text
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
TOP_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")
# Vietnamese formats: day first, a decimal comma (the format's own locale, vi-VN = 0x42A).
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DECIMAL_FORMAT = "[$-42A]0.0"
INTEGER_FORMAT = "0"
MAX_WIDTH = 60.0  # a column wider than this wraps its text
PAGE_WIDTH_UNITS = 190.0  # what a landscape A4 page holds at about 80% (fitted to its width)
_FORMULA_START = ("=", "+", "-", "@")


def set_value(cell: Any, value: Any) -> None:
    """Write a value; text is always text (a name or comment starting with "=" is no
    formula)."""
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"


def display_text(value: Any) -> str:
    """How a value prints, for measuring it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return "00/00/0000 00:00"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def text_units(text: str, *, bold: bool = False) -> float:
    """The width of one line of text in Excel's units (capitals count wider)."""
    units = sum(1.2 if c.isupper() else 0.5 if c in " .,:;'|!il" else 1.0 for c in text)
    return units * (1.08 if bold else 1.0)


def write_title(sheet: Worksheet, lines: Sequence[str], columns: int) -> int:
    """Title rows across the table's width (the first bold and larger); returns the first
    free row after them and an empty line."""
    for index, line in enumerate(lines, 1):
        sheet.merge_cells(start_row=index, start_column=1, end_row=index, end_column=columns)
        cell = sheet.cell(row=index, column=1)
        set_value(cell, line)
        first = index == 1
        cell.font = Font(bold=first, size=14 if first else FONT_SIZE)
        cell.alignment = Alignment(horizontal="center" if first else "left", vertical="center")
        sheet.row_dimensions[index].height = 21 if first else LINE_HEIGHT_PT + 1
    return len(lines) + 2


def write_table(
    sheet: Worksheet,
    top: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    bold_last: bool = False,
    formats: dict[int, str] | None = None,
) -> None:
    """A bordered table at row `top`: a grey bold header row, wrapped cells, number formats
    per column (0-based index → format; datetimes get DATETIME_FORMAT)."""
    formats = formats or {}
    for column, header in enumerate(headers, 1):
        cell = sheet.cell(row=top, column=column)
        set_value(cell, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP_CENTRE
        cell.border = BORDER
    for offset, values in enumerate(rows, 1):
        bold = bold_last and offset == len(rows)
        for column, value in enumerate(values, 1):
            cell = sheet.cell(row=top + offset, column=column)
            set_value(cell, value)
            figure = isinstance(value, int | float | datetime)
            cell.alignment = TOP_CENTRE if figure else WRAP_TOP
            cell.border = BORDER
            if bold:
                cell.font = Font(bold=True)
            if isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif column - 1 in formats and isinstance(value, int | float):
                cell.number_format = formats[column - 1]


def fit_columns(
    sheet: Worksheet,
    top: int,
    columns: int,
    *,
    page_units: float = PAGE_WIDTH_UNITS,
    max_width: float = MAX_WIDTH,
) -> list[float]:
    """Column widths from the table starting at row `top` (header included): as wide as the
    longest line, at least the longest word of the header, at most `max_width`; then the
    widest columns shrink until the table fits `page_units`. Returns the widths."""
    wanted: list[float] = []
    least: list[float] = []
    for column in range(1, columns + 1):
        header = display_text(sheet.cell(row=top, column=column).value)
        words = [text_units(w, bold=True) for w in header.split()] or [0.0]
        longest = max(words)
        for row in range(top + 1, sheet.max_row + 1):
            text = display_text(sheet.cell(row=row, column=column).value)
            for line in text.split("\n"):
                longest = max(longest, text_units(line))
        # the header on at most two lines when the column can afford it
        longest = max(longest, text_units(header, bold=True) / 2)
        wanted.append(min(max_width, longest + 2))
        least.append(min(max_width, max(words) + 2, wanted[-1]))
    widths = _shrink_to(wanted, least, page_units)
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = round(width, 1)
    return widths


def _shrink_to(wanted: list[float], least: list[float], total: float) -> list[float]:
    """Cap the widest columns at one common width (never below their `least`) so that the
    table fits `total`: the long-text columns end up equally wide."""

    def capped(cap: float) -> list[float]:
        return [max(low, min(want, cap)) for want, low in zip(wanted, least, strict=True)]

    if sum(wanted) <= total:
        return list(wanted)
    low, high = 0.0, max(wanted)
    for _ in range(40):
        middle = (low + high) / 2
        if sum(capped(middle)) > total:
            high = middle
        else:
            low = middle
    return capped(low)


def fit_rows(sheet: Worksheet, top: int, widths: Sequence[float]) -> None:
    """Row heights from row `top` down: enough lines for the longest wrapped cell."""
    for row in range(top, sheet.max_row + 1):
        lines = 1
        for column, width in enumerate(widths, 1):
            cell = sheet.cell(row=row, column=column)
            lines = max(lines, lines_in(display_text(cell.value), width, bold=row == top))
        sheet.row_dimensions[row].height = lines * LINE_HEIGHT_PT + 3


def lines_in(text: str, width: float, *, bold: bool = False) -> int:
    """Printed lines of `text` wrapped in a column `width` units wide (word wrap)."""
    usable = max(1.0, width - 1.5)
    total = 0
    for paragraph in text.split("\n"):
        line, count = 0.0, 1
        for word in paragraph.split():
            size = text_units(word, bold=bold)
            if line and line + 0.5 + size > usable:
                count += 1 + math.floor(size / usable) if size > usable else 1
                line = size % usable if size > usable else size
            else:
                line += (0.5 if line else 0) + size
        total += count
    return max(1, total)


def print_setup(sheet: Worksheet, header_row: int) -> None:
    """A4 landscape, one page wide (as many pages tall as needed), the header row repeated
    on every printed page and frozen on screen, centred, page numbers in the footer."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.oddFooter.center.text = "&P / &N"
