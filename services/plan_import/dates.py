"""Vietnamese dates, clock times and months as written in plans.

Handles "ngày 28 tháng 3 năm 2024", "5/4/2024", "05-04-2024", clock times such as
"08 giờ 00", "14h00", "8h", "8:30", "2 giờ chiều", and months such as "tháng 5/2022" or
"tháng 5 năm 2022". A date without a year is ignored rather than guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, time
from typing import Generic, TypeVar

T = TypeVar("T")

_DATE_WORDS = re.compile(
    r"(?:ngày\s*)?(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:,\s*)?năm\s+(\d{4})(?!\d)",
    re.IGNORECASE,
)
_DATE_NUMERIC = re.compile(
    r"(?:ngày\s*)?(?<![\d/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/])",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<![\d/.:\-])(\d{1,2})\s*(?:(?:giờ|g(?![^\W\d_]))\s*(\d{1,2})?(?:\s*phút|')?"
    r"|h\s?(\d{2})?'?(?![^\W\d_])|:(\d{2})(?!\d))",
    re.IGNORECASE,
)
_AFTERNOON = re.compile(r"[\s,(]{0,3}(chiều|tối)", re.IGNORECASE)
_MONTH = re.compile(
    r"tháng\s+(\d{1,2})\s*(?:/|-|,?\s*năm)\s*(\d{4})(?!\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Found(Generic[T]):
    """A value found in a text, with where it was written."""

    value: T
    start: int
    end: int


def find_dates(text: str) -> list[Found[date]]:
    """All valid full dates in `text`, in order of appearance."""
    found: list[Found[date]] = []
    for match in _DATE_WORDS.finditer(text):
        day, month, year = (int(group) for group in match.groups())
        _append_date(found, day, month, year, match)
    worded = [(item.start, item.end) for item in found]
    for match in _DATE_NUMERIC.finditer(text):
        if covered(worded, match.start()):
            continue
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        _append_date(found, day, month, year, match)
    return sorted(found, key=lambda item: item.start)


def covered(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether `position` falls inside one of the sorted, non-overlapping `spans`."""
    index = bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def _append_date(
    found: list[Found[date]], day: int, month: int, year: int, match: re.Match[str]
) -> None:
    if not 1900 <= year <= 2200:
        return
    try:
        value = date(year, month, day)
    except ValueError:
        return
    found.append(Found(value, match.start(), match.end()))


def find_times(text: str) -> list[Found[time]]:
    """All plausible clock times in `text`, in order of appearance."""
    found: list[Found[time]] = []
    for match in _TIME.finditer(text):
        hour = int(match.group(1))
        minute_text = match.group(2) or match.group(3) or match.group(4)
        minute = int(minute_text) if minute_text else 0
        if _AFTERNOON.match(text, match.end()) and hour < 12:
            hour += 12
        if hour > 23 or minute > 59:
            continue
        found.append(Found(time(hour, minute), match.start(), match.end()))
    return found


def find_months(text: str) -> list[Found[str]]:
    """Months written as "tháng M/YYYY" or "tháng M năm YYYY", as "YYYY-MM" strings."""
    found: list[Found[str]] = []
    for match in _MONTH.finditer(text):
        month, year = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1900 <= year <= 2200:
            found.append(Found(f"{year:04d}-{month:02d}", match.start(), match.end()))
    return found


def nearest_time(text: str, when: Found[date], window: int = 60) -> time | None:
    """The clock time written closest to a date (before it preferred), if any."""
    best: tuple[int, time] | None = None
    for item in find_times(text):
        if when.start <= item.start < when.end:
            continue
        if item.end <= when.start:
            distance = when.start - item.end
        elif item.start >= when.end:
            distance = item.start - when.end + 1
        else:
            continue
        if distance <= window and (best is None or distance < best[0]):
            best = (distance, item.value)
    return best[1] if best else None
