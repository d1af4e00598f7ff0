"""Deadlines: "trước ngày 20/02/2025", "chậm nhất ngày ...", with what is due by then."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .blocks import Block
from .dates import find_dates
from .model import DeadlineDraft
from .outline import build_outline
from .vocab import CASCADE, DEADLINE_BEFORE, REFERENCE_BEFORE

_SENTENCE_BREAK = re.compile(r"[;\n]|[.!?](?=\s+[A-ZĐÀ-Ỹ0-9])|:\s(?=[A-ZĐ])")
_FULL_STOP = re.compile(r"[\n]|[.!?](?=\s+[A-ZĐÀ-Ỹ0-9])|:\s(?=[A-ZĐ])")
_AFTER_DATE_NOTE = re.compile(r"\s*(\([^()]{1,120}\))")
_LABEL_ONLY = re.compile(
    r"^(?:thời gian|thời hạn|hạn|hoàn thành|thời gian hoàn thành|thời gian thực hiện"
    r"|thời gian gửi|thời gian nộp|tiến độ)?$",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(r"^(?:đối với|riêng|với)\b", re.IGNORECASE)
_LEADING_GLUE = re.compile(r"^(?:và|đồng thời|sau đó|hoặc)\s+", re.IGNORECASE)
_TRAILING_GLUE = re.compile(r"[\s,]+(?:và|hoặc|để|là|hoàn thành|xong)$", re.IGNORECASE)
_MAX_WHAT_CHARS = 200


def find_deadlines(blocks: Sequence[Block], start: int, end: int) -> list[DeadlineDraft]:
    outline = build_outline(blocks)
    deadlines: dict[tuple[str, str], DeadlineDraft] = {}
    for index in range(start, end):
        text = blocks[index].text
        previous_end = 0
        previous_what: str | None = None
        for found in find_dates(text):
            window_start = max(0, found.start - 60)
            lead = DEADLINE_BEFORE.search(text[window_start : found.start])
            if lead is None or REFERENCE_BEFORE.search(text[window_start : found.start]):
                continue
            phrase_start = window_start + lead.start()
            what = _what(text, previous_end, phrase_start, found.end)
            if not what:
                parent = outline.parent[index]
                what = (
                    _clean(blocks[parent].text) if parent is not None and parent >= start else None
                )
            if what and previous_what and _QUALIFIER.match(what):
                what = previous_what  # "… trước ngày X đối với A và trước ngày Y đối với B"
            previous_end = found.end
            previous_what = what
            deadline = DeadlineDraft(due=found.value, what=what or "")
            deadlines.setdefault((deadline.due.isoformat(), deadline.what), deadline)
    return list(deadlines.values())


def _what(text: str, floor: int, phrase_start: int, date_end: int) -> str | None:
    """The clause before the deadline phrase, else the clause after the date."""
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text, floor, phrase_start)]
    clause_start = max([floor, *breaks])
    if floor == 0 and text[clause_start:phrase_start].strip()[:1].islower():
        # "Mỗi đảng ủy cơ sở chọn hai chi bộ …; gửi danh sách … trước ngày …": the clause has
        # no subject of its own; a cascade keeps the whole instruction.
        stops = [m.end() for m in _FULL_STOP.finditer(text, 0, clause_start)]
        sentence_start = max([0, *stops])
        if CASCADE.search(text[sentence_start:clause_start]):
            clause_start = sentence_start
    before = _clean(text[clause_start:phrase_start])
    if before:
        note = _AFTER_DATE_NOTE.match(text, date_end)
        return f"{before} {note.group(1)}" if note else before
    tail = text[date_end : date_end + _MAX_WHAT_CHARS * 2]
    following = _SENTENCE_BREAK.search(tail)
    return _clean(tail[: following.start()] if following else tail)


def _clean(text: str) -> str | None:
    text = " ".join(text.split()).strip(" ,;:.-–+•")
    while text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:].strip()
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].strip()
    while text.endswith("(") or text.startswith(")"):
        text = text.strip("()").strip()
    text = _LEADING_GLUE.sub("", text)
    text = _TRAILING_GLUE.sub("", text).strip(" ,;:.-–")
    if _LABEL_ONLY.match(text) or len(text) < 3:
        return None
    if len(text) > _MAX_WHAT_CHARS:
        text = text[:_MAX_WHAT_CHARS].rsplit(" ", 1)[0] + "…"
    return text[0].upper() + text[1:]
