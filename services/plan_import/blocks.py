"""Normalise raw plan text and split it into structural blocks.

Real plans arrive as Markdown conversions with stray emphasis and heading marks, as plain
text with hard-wrapped lines, or flattened from Word. Everything downstream works on
`Block`s: one logical paragraph or list item, its text cleaned of markup, and a `rank`
telling how high it sits in the outline (smaller is higher).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Outline ranks: smaller numbers are higher levels. Plain paragraphs have no rank.
RANK_ROMAN = 1.0
RANK_HEADING = 1.5  # a Markdown/Word heading without numbering
RANK_ARABIC = 2.0
RANK_SUBNUMBER = 3.0  # 1.1, 2.3.1
RANK_LETTER = 4.0
RANK_BULLET = 5.0


@dataclass(slots=True)
class Block:
    """One paragraph, list item, heading or table of the plan."""

    text: str
    rank: float | None = None
    marker: str = ""
    heading: bool = False
    blank_before: bool = False
    rows: list[list[str]] | None = None  # set for tables only

    @property
    def numbered(self) -> bool:
        return self.rank is not None and self.rank <= RANK_LETTER

    @property
    def is_table(self) -> bool:
        return self.rows is not None


_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")
_TRANSLATE = {
    **{code: " " for code in range(32) if code != 10},
    **{code: " " for code in range(0x7F, 0xA1)},
    **{code: " " for code in range(0x2000, 0x200B)},
    0x1680: " ",
    0x202F: " ",
    0x205F: " ",
    0x3000: " ",
    0x200B: None,
    0x200C: None,
    0x200D: None,
    0x2060: None,
    0xFEFF: None,
    0x00AD: None,
    0x00D0: "Đ",  # Icelandic eth, a frequent stand-in for the Vietnamese Đ
    0x00F0: "đ",
}

_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,10}(?:\s[^<>]{0,200})?/?>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_LINK = re.compile(r"!?\[([^\[\]]{0,300})\]\([^()\s]{0,500}\)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s*")
_TRAILING_HASHES = re.compile(r"\s+#+\s*$")
_QUOTE = re.compile(r"^(?:\s*>)+\s?")
_STAR_BULLET = re.compile(r"^(\s*)\*\s+(?=\S)")
_EMPHASIS = re.compile(r"\*+|~~|`+|(?<![^\W_])_+|_+(?![^\W_])")
_SPACES = re.compile(r" {2,}")
_BULLET = re.compile(r"^([-–—•·▪◦●○■□➢➤►✓+])\s*(?=\S)")
_ROMAN = re.compile(r"^(X{0,3}(?:IX|IV|V?I{0,3}))\s*(?:[.):]|\s[-–]\s)\s*(?=\S)")
_SUBNUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?(?:\s+|(?=[^\W\d_]))")
_ARABIC = re.compile(r"^(\d{1,2})\s*(?:[.)]|\s[-–]\s)\s*(?=[^\d\s])")
_LETTER = re.compile(r"^([a-zđ])\s*[).]\s+(?=\S)")
_ONLY_PUNCT = re.compile(r"^[\W_]*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_TABLE_SEPARATOR = re.compile(r"^:?-{2,}:?$")
_OPENING = "“\"«‘('"
_SENTENCE_END = (".", ";", ":", "!", "?")


def normalize_text(text: str) -> str:
    """NFC, one kind of line break and space, no invisible characters."""
    text = _LINE_BREAKS.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    return text.translate(_TRANSLATE)


def clean_inline(text: str) -> str:
    """Strip Markdown emphasis, escapes, links and extra spaces from one line of text."""
    text = _ESCAPE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def to_blocks(text: str) -> list[Block]:
    """Split (raw) plan text into cleaned blocks, merging hard-wrapped continuation lines."""
    text = _HTML_BREAK.sub("\n", normalize_text(text))
    blocks: list[Block] = []
    table: list[list[str]] = []
    wrapped: dict[int, list[str]] = {}  # block index -> its hard-wrapped lines
    blank = False

    def flush_table() -> None:
        nonlocal blank
        if table:
            joined = "\n".join(" | ".join(cell for cell in row if cell) for row in table)
            blocks.append(Block(text=joined, blank_before=blank, rows=list(table)))
            table.clear()
            blank = False

    for raw in text.split("\n"):
        line = _HTML_TAG.sub("", raw)
        line = _QUOTE.sub("", line)
        if line.strip().startswith("|"):
            cells = [clean_inline(cell) for cell in _CELL_SPLIT.split(line.strip())]
            if cells and not cells[0]:
                cells = cells[1:]
            if cells and not cells[-1]:
                cells = cells[:-1]
            if cells and not all(_TABLE_SEPARATOR.match(cell.replace(" ", "")) for cell in cells):
                table.append(cells)
            continue
        flush_table()
        block = _line_block(line)
        if block is None:
            blank = True
            continue
        block.blank_before = blank
        previous = blocks[-1] if blocks else None
        if previous is not None and not blank and _continues(previous, block):
            wrapped.setdefault(len(blocks) - 1, [previous.text]).append(block.text)
            previous.text = block.text  # what the next line's continuation check looks at
        else:
            blocks.append(block)
        blank = False
    flush_table()
    for index, parts in wrapped.items():
        blocks[index].text = " ".join(parts)
    return blocks


def _line_block(line: str) -> Block | None:
    heading = False
    match = _HEADING.match(line)
    if match:
        heading = True
        line = _TRAILING_HASHES.sub("", line[match.end() :])
    star = _STAR_BULLET.match(line)
    indent = len(line) - len(line.lstrip(" "))
    if star:
        line = line[star.end() :]
    text = clean_inline(line)
    if _ONLY_PUNCT.match(text):
        return None
    if star:
        return Block(text=text, rank=RANK_BULLET + 1 + _indent_depth(indent), marker="*")
    bullet = _BULLET.match(text)
    if bullet:
        symbol = bullet.group(1)
        rank = RANK_BULLET + (1 if symbol == "+" else 0) + _indent_depth(indent)
        return Block(text=text[bullet.end() :].strip(), rank=rank, marker=symbol)
    for pattern, rank in (
        (_ROMAN, RANK_ROMAN),
        (_SUBNUMBER, RANK_SUBNUMBER),
        (_ARABIC, RANK_ARABIC),
        (_LETTER, RANK_LETTER),
    ):
        numbered = pattern.match(text)
        if numbered and numbered.group(1):
            rest = text[numbered.end() :].strip()
            if rest:
                return Block(text=rest, rank=rank, marker=numbered.group(1), heading=heading)
    if heading:
        return Block(text=text, rank=RANK_HEADING, heading=True)
    return Block(text=text)


def _indent_depth(indent: int) -> int:
    return min(indent // 2, 3)


def _continues(previous: Block, block: Block) -> bool:
    """Whether `block` is the hard-wrapped rest of `previous` (plain-text files).

    While lines are being collected, `previous.text` holds its last line only.
    """
    if block.rank is not None or block.heading or previous.heading or previous.is_table:
        return False
    if previous.text.endswith(_SENTENCE_END):
        return False
    first = block.text[0]
    return first.islower() or first.isdigit() or first in _OPENING
