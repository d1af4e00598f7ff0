"""Layout helpers for the DOCX reports (python-docx): text widths in Times New Roman, header
lines broken where a reader would break them, tables whose columns are as wide as their
content needs, rows that never split across pages, repeated header rows, paragraphs kept
with the next one.

Widths are estimated from Times New Roman's advance widths (Liberation Serif, which
LibreOffice uses in its place, has the same metrics), so no font file is needed."""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt

# Advance widths in thousandths of an em (Times New Roman regular).
_UPPER_N_TO_Z = (722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611)
_LOWER_N_TO_Z = (500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444)
_UPPER = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        (722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, *_UPPER_N_TO_Z),
        strict=True,
    )
)
_LOWER = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        (444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, *_LOWER_N_TO_Z),
        strict=True,
    )
)
_OTHER = {" ": 250, ".": 250, ",": 250, ":": 278, ";": 278, "-": 333, "(": 333, ")": 333}
_OTHER |= {"/": 278, "*": 500, "%": 833, "“": 444, "”": 444, "…": 1000, "–": 500, "—": 1000}
_OTHER |= {"Đ": 722, "đ": 500}
BOLD_FACTOR = 1.06
CELL_PADDING_PT = 14.0  # the cell margins of "Table Grid" (0.19 cm each side), rules, slack
# Word breaks a header line after these (never between them and the next word).
_GLUED_AFTER = frozenset({"VÀ", "CÁC", "CỦA", "NHỮNG", "THUỘC", "VỀ", "CHO", "TẠI", "VỚI"})
# A line may start here: the link words of a unit's name (best), or a word that begins a
# phrase in one ("TRƯỜNG", "THÀNH PHỐ", …). Elsewhere a break would cut a word in two
# syllables ("CAO / ĐẲNG"), so it is taken only when nothing else fits.
_LINK_WORDS = frozenset({"VÀ", "THUỘC", "-", "–"})
# Two-syllable words frequent in unit names: never broken in two.
_COMPOUNDS = frozenset(
    tuple(pair.split())
    for pair in (
        "ĐẢNG ỦY",
        "ĐẢNG BỘ",
        "CHI BỘ",
        "THƯỜNG VỤ",
        "TỔ CHỨC",
        "GIÁO DỤC",
        "ĐÀO TẠO",
        "ĐẠI HỌC",
        "CAO ĐẲNG",
        "TRUNG CẤP",
        "TRUNG HỌC",
        "HỌC VIỆN",
        "BỆNH VIỆN",
        "SƯ PHẠM",
        "KINH TẾ",
        "KỸ THUẬT",
        "CƠ QUAN",
        "DOANH NGHIỆP",
        "THÀNH PHỐ",
        "NGÂN HÀNG",
        "CÔNG TY",
        "CÔNG AN",
        "QUÂN SỰ",
        "Y TẾ",
        "VĂN HÓA",
        "XÃ HỘI",
        "NÔNG NGHIỆP",
    )
)
_PHRASE_STARTS = frozenset(
    "BAN BỆNH CAO CÁC CHI CÔNG CƠ CỤC ĐẠI ĐẢNG HỌC HỘI HUYỆN KHOA KHỐI NGÂN PHÒNG PHƯỜNG QUẬN SỞ "
    "THÀNH THỊ TỈNH TỔNG TRUNG TRƯỜNG ỦY VĂN VIỆN XÃ".split()
)


def text_width(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The printed width of `text` in points."""
    total = 0
    for char in text:
        base = char if char in _OTHER else unicodedata.normalize("NFD", char)[:1]
        total += _UPPER.get(base) or _LOWER.get(base) or _OTHER.get(char, 500)
    return total / 1000 * size_pt * (BOLD_FACTOR if bold else 1.0)


def balanced_lines(
    text: str, width_pt: float, size_pt: float, *, bold: bool = False, most: int = 3
) -> list[str]:
    """`text` on as few lines as fit `width_pt`, as even as possible, broken before a link
    word ("VÀ", "THUỘC") rather than inside a phrase, and never right after one."""
    words = text.split()
    if len(words) < 2 or text_width(text, size_pt, bold=bold) <= width_pt:
        return [text]
    best: tuple[float, list[str]] | None = None
    for lines in range(2, min(most, len(words)) + 1):
        for cuts in _cut_positions(len(words), lines):
            parts = [words[a:b] for a, b in zip((0, *cuts), (*cuts, len(words)), strict=True)]
            cost = _cost(parts, width_pt, size_pt, bold)
            if best is None or cost < best[0]:
                best = (cost, [" ".join(p) for p in parts])
        if best is not None and best[0] < 1e6:
            break  # fits on this many lines
    return best[1] if best is not None else [text]


def _cut_positions(count: int, lines: int) -> list[tuple[int, ...]]:
    return list(itertools.combinations(range(1, count), lines - 1))


def _cost(parts: list[list[str]], width_pt: float, size_pt: float, bold: bool) -> float:
    widths = [text_width(" ".join(p), size_pt, bold=bold) for p in parts]
    cost = max(widths) - min(widths)
    if max(widths) > width_pt:
        cost += 1e6
    for line, following in itertools.pairwise(parts):
        start = following[0].upper()
        if line[-1].upper() in _GLUED_AFTER or (line[-1].upper(), start) in _COMPOUNDS:
            cost += 1e5
        elif start in _PHRASE_STARTS:
            cost += width_pt / 8
        elif start not in _LINK_WORDS:
            cost += width_pt * 2  # inside a phrase: only when nothing better fits
    return cost


# --------------------------------------------------------------------------- paragraphs


@dataclass(frozen=True, slots=True)
class Style:
    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float | None = None


PLAIN = Style()


def add_run(paragraph: Any, text: str, style: Style = PLAIN) -> Any:
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = style.bold, style.italic, style.underline
    if style.size is not None:
        run.font.size = Pt(style.size)
    return run


def add_lines(paragraph: Any, lines: Sequence[str], style: Style = PLAIN) -> None:
    """Lines in one paragraph, separated by line breaks (never by empty paragraphs)."""
    for index, line in enumerate(lines):
        run = add_run(paragraph, line, style)
        if index < len(lines) - 1:
            run.add_break()


def keep_with_next(paragraph: Any) -> Any:
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def keep_together(paragraph: Any) -> Any:
    paragraph.paragraph_format.keep_together = True
    return paragraph


# --------------------------------------------------------------------------- tables


def _tr_flag(row: Any, tag: str) -> None:
    properties = row._tr.get_or_add_trPr()
    if properties.find(qn(tag)) is None:
        flag = OxmlElement(tag)
        flag.set(qn("w:val"), "true")
        properties.append(flag)


def cant_split(row: Any) -> None:
    """The row is never broken across two pages."""
    _tr_flag(row, "w:cantSplit")


def repeat_as_header(row: Any) -> None:
    """The row is printed again at the top of every page the table runs onto."""
    _tr_flag(row, "w:tblHeader")


def set_widths(table: Any, widths: Sequence[int]) -> None:
    """Fixed column widths (EMU): the grid (LibreOffice reads it) and every cell (Word)."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    layout = properties.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        properties.append(layout)
    layout.set(qn("w:type"), "fixed")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Emu(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Emu(width)


def content_widths(
    columns: Sequence[Sequence[str]], available_pt: float, size_pt: float
) -> list[float]:
    """Column widths (points) from their texts, the way browsers lay out automatic tables:
    every column gets at least its longest word; what is left goes to the columns whose
    texts are longer than that, in proportion to how much more they need."""
    least = [max((_longest_word(t, size_pt) for t in texts), default=0) for texts in columns]
    most = [max((text_width(t, size_pt) for t in texts), default=0) for texts in columns]
    least = [w + CELL_PADDING_PT for w in least]
    most = [w + CELL_PADDING_PT for w in most]
    if sum(most) <= available_pt:
        spare = available_pt - sum(most)
        return [w + spare * w / sum(most) for w in most]
    if sum(least) >= available_pt:
        return [available_pt * w / sum(least) for w in least]
    spare = available_pt - sum(least)
    wants = [b - a for a, b in zip(least, most, strict=True)]
    return [a + spare * want / sum(wants) for a, want in zip(least, wants, strict=True)]


def _longest_word(text: str, size_pt: float) -> float:
    return max((text_width(w, size_pt, bold=True) for w in text.split()), default=0.0)


def lines_needed(text: str, width_pt: float, size_pt: float) -> int:
    """How many printed lines `text` takes in a column `width_pt` wide (for tests)."""
    usable = max(1.0, width_pt - CELL_PADDING_PT)
    total = 0
    for line in text.split("\n") or [""]:
        total += max(1, math.ceil(text_width(line, size_pt) / usable))
    return total


def grid(
    doc: Any,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    available_pt: float,
    size: float = 12,
    bold_last: bool = False,
) -> Any:
    """A bordered table: the header row bold and repeated on every page, no row split across
    pages, column widths from the content, numbers centred."""
    texts = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = content_widths(list(zip(*texts, strict=True)), available_pt, size)
    table = doc.add_table(rows=len(texts), cols=len(headers))
    table.style = "Table Grid"
    for index, (row, values) in enumerate(zip(table.rows, texts, strict=True)):
        cant_split(row)
        header = index == 0
        if header:
            repeat_as_header(row)
        bold = header or (bold_last and index == len(texts) - 1)
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if header or column > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_run(paragraph, value, Style(bold=bold, size=size))
    set_widths(table, [int(Pt(w)) for w in widths])
    return table


def text_width_of_section(section: Any) -> float:
    """The width between the margins, in points."""
    return float((section.page_width - section.left_margin - section.right_margin) / Pt(1))
