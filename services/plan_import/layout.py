"""Where the parts of a plan sit: header, title, preamble, body and the closing part."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import RANK_LETTER, Block
from .vocab import BASIS_LEAD, END_OF_BODY

_PLAN_WORD = re.compile(r"^KẾ\s+HOẠCH\b\s*[:.\-–]?\s*")
_TITLE_STOP = re.compile(
    r"^(?:căn cứ|thực hiện|theo|để|nhằm|trên cơ sở|triển khai|qua|ngày\s+\d)", re.IGNORECASE
)
_PLAN_WORD_ANY_CASE = re.compile(r"^kế\s+hoạch\b\s*[:.\-–]?\s*", re.IGNORECASE)
_PLAN_REFERENCE = re.compile(r"^kế\s+hoạch\s+(?:số|này|được|đã|của)\b", re.IGNORECASE)
_BASIS_START = re.compile(r"^căn cứ\b", re.IGNORECASE)
_ISSUE_DATE_LINE = re.compile(r",\s*ngày\b.{0,30}\bnăm\s+\d{4}", re.IGNORECASE)
_MAX_TITLE_LINES = 4
_MAX_TITLE_CHARS = 300
_MAX_HEADER_BLOCKS = 15


@dataclass(frozen=True, slots=True)
class PlanLayout:
    """Block index ranges (start inclusive, end exclusive) of the parts of a plan."""

    header_end: int
    title: str | None
    preamble_start: int
    body_start: int
    body_end: int


def find_layout(blocks: list[Block]) -> PlanLayout:
    body_end = next(
        (i for i, block in enumerate(blocks) if END_OF_BODY.match(block.text)), len(blocks)
    )
    title_at = next(
        (
            i
            for i, block in enumerate(blocks[:body_end])
            if not block.marker and not block.is_table and _is_plan_word(block, i)
        ),
        None,
    )
    if title_at is None:
        header_end = _guess_header_end(blocks, body_end)
        title = None
        preamble_start = header_end
    else:
        header_end = title_at
        title, preamble_start = _read_title(blocks, title_at, body_end)
    body_start = next(
        (
            i
            for i in range(preamble_start, body_end)
            if blocks[i].rank is not None and blocks[i].rank <= RANK_LETTER
        ),
        body_end,
    )
    return PlanLayout(header_end, title, preamble_start, body_start, body_end)


def _is_plan_word(block: Block, index: int) -> bool:
    """ "KẾ HOẠCH ..." in capitals; "Kế hoạch ..." as a heading, alone on its line, or as a
    short line near the top (but not "Kế hoạch số ..." / "Kế hoạch này ...")."""
    if _PLAN_WORD.match(block.text):
        return True
    if not _PLAN_WORD_ANY_CASE.match(block.text) or _PLAN_REFERENCE.match(block.text):
        return False
    rest = _PLAN_WORD_ANY_CASE.sub("", block.text, count=1).strip()
    near_top = index < _MAX_HEADER_BLOCKS and len(block.text) <= _MAX_TITLE_CHARS
    return block.heading or not rest or near_top


def _guess_header_end(blocks: list[Block], body_end: int) -> int:
    for i, block in enumerate(blocks[: min(body_end, _MAX_HEADER_BLOCKS)]):
        numbered = block.rank is not None and block.rank <= RANK_LETTER
        if numbered or BASIS_LEAD.match(block.text) or len(block.text) > 150:
            return i
    return min(body_end, _MAX_HEADER_BLOCKS, len(blocks))


def _read_title(blocks: list[Block], title_at: int, body_end: int) -> tuple[str | None, int]:
    """The title written with/after "KẾ HOẠCH", and the index of the first block after it."""
    first = blocks[title_at]
    parts: list[str] = []
    rest = _PLAN_WORD_ANY_CASE.sub("", first.text, count=1).strip()
    if rest:
        parts.append(rest)
    index = title_at + 1
    while index < body_end and len(parts) < _MAX_TITLE_LINES:
        block = blocks[index]
        if not _title_line(block, continuing=bool(parts), previous=blocks[index - 1]):
            break
        if sum(len(part) for part in parts) + len(block.text) > _MAX_TITLE_CHARS:
            break
        parts.append(block.text)
        index += 1
    title = " ".join(parts).strip(" .:-–*")
    return (title[0].upper() + title[1:] if title else None), index


def _title_line(block: Block, *, continuing: bool, previous: Block) -> bool:
    if block.is_table or (block.rank is not None and block.rank <= RANK_LETTER and block.marker):
        return False
    if _ISSUE_DATE_LINE.search(block.text) or _BASIS_START.match(block.text):
        return False
    if continuing and _TITLE_STOP.match(block.text):
        return False
    if len(block.text) > 160:
        return False
    if continuing and block.blank_before and not (block.heading and previous.heading):
        return False
    return True
