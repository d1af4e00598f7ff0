"""Parsed times: an exact moment or a month, and the errors of reading one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_INPUT_LENGTH = 200
MIN_YEAR = 1900
MAX_YEAR = 2100

ErrorCode = Literal[
    "empty",
    "too_long",
    "unrecognised",
    "ambiguous",
    "invalid_date",
    "in_past",
    "missing_time",
    "missing_date",
]
ERROR_CODES: frozenset[str] = frozenset(get_args(ErrorCode))


class DateParseError(Exception):
    """Raised by ``parse_when``; ``code`` is one of ``ERROR_CODES``."""

    def __init__(self, code: ErrorCode, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code: ErrorCode = code
        self.detail = detail


@dataclass(frozen=True)
class ExactTime:
    starts_at: datetime  # aware, UTC


@dataclass(frozen=True)
class MonthOnly:
    year: int
    month: int


def example_inputs() -> list[str]:
    """Short inputs that parse, for help and error messages."""
    return ["28/3 8h", "8h30 ngày mai", "dự kiến tháng 5"]
