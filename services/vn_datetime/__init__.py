"""Parse and format the dates and times Vietnamese secretaries type on their phones.

``parse_when`` turns free text such as "8h30 ngày mai", "thứ năm 28/3 lúc 14 giờ" or
"dự kiến tháng 5/2025" into an exact UTC instant or a tentative month. It never raises
anything but ``DateParseError``, whose ``code`` says what went wrong.

How it works: the text is lower-cased, stripped of diacritics and tokenised by a fixed,
ordered list of regular expressions. Each match is recorded and blanked out; whatever is
left must be punctuation or a known filler word ("lúc", "vào", "dự kiến", ...). The
recorded facts are then checked for conflicts and resolved against ``now`` in ``tz``.

Conventions:
* plain dates are always day/month (Vietnamese order), never month/day;
* a date without a year is the next occurrence on or after today (in ``tz``);
* two-digit years mean 20xx; four-digit years must lie in 1900..2100;
* a weekday without a date is its next occurrence on or after today ("thứ 5 tới":
  strictly after today); "tuần này/sau/trước" pick the Monday-to-Sunday week;
* day periods: "sáng" keeps 0-11; "trưa" keeps 10-14 and maps 1-2 to 13-14;
  "chiều"/"pm" add 12 to 1-11 and keep 12-23; "tối" adds 12 to 1-11 and keeps 13-23;
  "đêm"/"khuya" add 12 to 8-11 and keep 0-5 and 20-23; "am" keeps 0-11 and maps 12 to 0.
  Any other combination (e.g. "14h sáng", "12h tối") is "ambiguous".
"""

from __future__ import annotations

from services.vn_datetime.formatting import (
    format_date_long,
    format_datetime_long,
    format_datetime_short,
    format_month,
)
from services.vn_datetime.parsing import parse_when
from services.vn_datetime.values import (
    ERROR_CODES,
    MAX_INPUT_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    VN_TZ,
    DateParseError,
    ErrorCode,
    ExactTime,
    MonthOnly,
    example_inputs,
)

__all__ = [
    "ERROR_CODES",
    "MAX_INPUT_LENGTH",
    "MAX_YEAR",
    "MIN_YEAR",
    "VN_TZ",
    "DateParseError",
    "ErrorCode",
    "ExactTime",
    "MonthOnly",
    "example_inputs",
    "format_date_long",
    "format_datetime_long",
    "format_datetime_short",
    "format_month",
    "parse_when",
]
