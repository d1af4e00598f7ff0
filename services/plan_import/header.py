"""The document header: number, issuing body, place and date of issue."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from .blocks import Block
from .vocab import ISSUER_CLAUSE

_NUMBER = re.compile(
    r"\bSố\s*:?\s*(\d{1,5}[A-Za-z]?\s*[-/]\s*KH(?:\s*[-/]\s*[A-ZĐÂĂÊÔƠƯ0-9]{1,12}){0,3})"
)
_ISSUE = re.compile(
    r",\s*ngày\s*(\d{1,2})?[\s.…_]*tháng\s*(\d{1,2})?[\s.…_]*,?\s*năm\s*(\d{4})(?!\d)",
    re.IGNORECASE,
)
_ISSUE_NUMERIC = re.compile(
    r",\s*ngày\s*(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)", re.IGNORECASE
)
# A board of a committee heading the header ("TỈNH ỦY ĐIỆN BIÊN / BAN TỔ CHỨC").
_BOARD = re.compile(
    r"^(?:BAN (?:TỔ CHỨC|TUYÊN GIÁO|DÂN VẬN|NỘI CHÍNH|TUYÊN GIÁO VÀ DÂN VẬN)|VĂN PHÒNG"
    r"|ỦY BAN KIỂM TRA|UỶ BAN KIỂM TRA)$"
)
_ISSUE_LINE = re.compile(r"^[^\W\d][^,\d|]{1,40},\s*ngày\b.{0,30}\bnăm\s+\d{4}\s*\.?$")
_COMMITTEE_STARTS = frozenset(
    {
        ("ĐẢNG", "ỦY"),
        ("ĐẢNG", "UỶ"),
        ("ĐẢNG", "BỘ"),
        ("CHI", "BỘ"),
        ("CHI", "ỦY"),
        ("CHI", "UỶ"),
        *(
            (level, word)
            for level in ("HUYỆN", "QUẬN", "THỊ", "THÀNH", "TỈNH")
            for word in ("ỦY", "UỶ")
        ),
    }
)
_PLACE_CUTS = re.compile(r"VIỆT NAM|Độc lập - Tự do - Hạnh phúc|\*")
_MAX_PLACE_WORDS = 6


@dataclass(frozen=True, slots=True)
class Header:
    number: str | None
    issued_on: date | None
    place: str | None
    issuer: str | None
    issuer_clause: str | None = None  # who "ban hành / xây dựng kế hoạch" in the preamble


def read_header(header: list[Block], everything: list[Block], preamble: list[Block]) -> Header:
    segments = list(_segments(header))
    number = _number(segments) or _number(_segments(everything[:40]))
    place, issued_on = _place_and_date(segments)
    if place is None and issued_on is None:
        place, issued_on = _issue_line_anywhere(everything)
    clause = _issuer_from_preamble(preamble)
    issuer = _issuer_from_header(segments) or clause
    board = next((s.strip(" *") for s in segments if _BOARD.match(s.strip(" *"))), None)
    if board and clause and clause.casefold().startswith(board.casefold()):
        issuer = clause  # the board issues the plan, not the committee above it
    return Header(
        number=number, issued_on=issued_on, place=place, issuer=issuer, issuer_clause=clause
    )


def _segments(blocks: Iterable[Block]) -> Iterator[str]:
    """Header text pieces: table cells separately (headers are often two-column tables)."""
    for block in blocks:
        if block.rows is not None:
            for row in block.rows:
                yield from (cell for cell in row if cell)
        else:
            yield block.text


def _number(segments: Iterable[str]) -> str | None:
    for segment in segments:
        match = _NUMBER.search(segment)
        if match:
            return re.sub(r"\s+", "", match.group(1))
    return None


def _place_and_date(segments: list[str]) -> tuple[str | None, date | None]:
    for segment in segments:
        match = _ISSUE.search(segment)
        if match:
            return _place(segment[: match.start()]), _issue_date(match)
        numeric = _ISSUE_NUMERIC.search(segment)
        if numeric and len(segment) <= 90:
            day, _, month, year = numeric.groups()
            try:
                issued = date(int(year), int(month), int(day))
            except ValueError:
                issued = None
            return _place(segment[: numeric.start()]), issued
    return None, None


def _issue_line_anywhere(blocks: list[Block]) -> tuple[str | None, date | None]:
    for block in blocks:
        if block.rows is None and len(block.text) <= 90 and _ISSUE_LINE.match(block.text):
            match = _ISSUE.search(block.text)
            if match:
                return _place(block.text[: match.start()]), _issue_date(match)
    return None, None


def _issue_date(match: re.Match[str]) -> date | None:
    day, month, year = match.groups()
    if not day or not month:
        return None  # drafts often leave the day blank until signing
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _place(prefix: str) -> str | None:
    prefix = prefix.rsplit("|", 1)[-1]
    prefix = _NUMBER.sub(" ", prefix)
    prefix = _PLACE_CUTS.split(prefix)[-1]
    words = prefix.split()
    if len(words) > _MAX_PLACE_WORDS:
        kept: list[str] = []
        for word in reversed(words):
            if not (word[0].isupper() or word.lower().startswith("tp")):
                break
            kept.insert(0, word)
        words = kept[-_MAX_PLACE_WORDS:]
    place = " ".join(words).strip(" ,.:-–")
    return place or None


def _issuer_from_header(segments: list[str]) -> str | None:
    candidates: list[str] = []
    for segment in segments:
        candidates.extend(_committee_phrases(segment))
    return candidates[-1] if candidates else None


def _committee_phrases(segment: str) -> list[str]:
    words = segment.replace("*", " ").split()
    phrases: list[list[str]] = []
    current: list[str] | None = None
    for index, word in enumerate(words):
        pair = (word, words[index + 1]) if index + 1 < len(words) else (word, "")
        if pair in _COMMITTEE_STARTS:
            current = [word]
            phrases.append(current)
            continue
        if current is None:
            continue
        uppercase = word.isupper() or word.isdigit() or word in {"-", "&"}
        if not uppercase or pair == ("ĐẢNG", "CỘNG") or word.startswith("SỐ"):
            current = None
            continue
        current.append(word)
    return [" ".join(phrase) for phrase in phrases if len(phrase) >= 3]


def _issuer_from_preamble(preamble: list[Block]) -> str | None:
    for block in preamble:
        match = ISSUER_CLAUSE.search(block.text)
        if match:
            issuer = match.group(1).strip(" ,;:")
            return issuer[0].upper() + issuer[1:] if issuer else None
    return None
