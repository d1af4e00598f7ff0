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

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, get_args
from zoneinfo import ZoneInfo

from babel.dates import format_date, get_day_names

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


# --------------------------------------------------------------------------- normalisation

_NEXT_WORD = re.compile(r"(?<!\w)tới(?!\w)")  # "tới" (upcoming) vs "tối" (evening)
_TO_SPACE = str.maketrans(dict.fromkeys(',;!?()[]{}"“”«»…|_*~<>=+&#@\\', " "))
_TO_APOSTROPHE = str.maketrans(dict.fromkeys("’‘′`´", "'"))
_DIGIT_LETTER = re.compile(r"(?<=[0-9])(?=[a-z])|(?<=[a-z])(?=[0-9])")
_SPACES = re.compile(r"\s+")


def _normalise(text: str) -> str:
    s = _NEXT_WORD.sub(" next ", unicodedata.normalize("NFC", text).lower())
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = s.lower().replace("đ", "d").translate(_TO_SPACE).translate(_TO_APOSTROPHE)
    s = _DIGIT_LETTER.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


# --------------------------------------------------------------------------- tokenising


@dataclass
class _Found:
    dates: list[tuple[int | None, int | None, int]] = field(default_factory=list)  # y, m, d
    months: list[tuple[int | None, int]] = field(default_factory=list)  # tentative y, m
    offsets: list[int] = field(default_factory=list)  # relative days
    weeks: list[int] = field(default_factory=list)  # relative weeks
    weekdays: list[tuple[int, bool]] = field(default_factory=list)  # weekday, strictly later
    times: list[tuple[int, int]] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    invalid: bool = False

    def any(self) -> bool:
        return bool(
            self.dates
            or self.months
            or self.offsets
            or self.weeks
            or self.weekdays
            or self.times
            or self.periods
        )

    def add_time(self, hour: int, minute: int) -> None:
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            self.times.append((hour, minute))
        else:
            self.invalid = True


_Handler = Callable[[re.Match[str], _Found], None]

_NB = r"(?<![0-9])(?<![0-9][/.\-:])"  # not glued to a preceding number
_NA = r"(?![0-9]|[/.\-:][0-9])"  # not glued to a following number
_SEP = r"(?:\s*/\s*|[.\-])"
_PERIOD_WORDS = r"(?:sang|trua|chieu|toi|dem|khuya|am|pm|a\.m|p\.m)"
_WEEKDAY_DIGITS = {"2": 0, "3": 1, "4": 2, "5": 3, "6": 4, "7": 5}
_WEEKDAY_WORDS = {"hai": 0, "ba": 1, "tu": 2, "bon": 2, "nam": 3, "sau": 4, "bay": 5}
_WEEK_OFFSETS = {"nay": 0, "truoc": -1, "trc": -1, "sau nua": 2}
_DAY_OFFSETS = {"hom nay": 0, "bua nay": 0, "nay": 0, "mai": 1, "ngay mai": 1}
_DAY_OFFSETS |= {"ngay kia": 2, "ngay mot": 2, "hom qua": -1, "hom kia": -2}
_PERIOD_ALIASES = {"khuya": "dem", "a.m": "am", "p.m": "pm"}


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    return 2000 + int(raw) if len(raw) == 2 else int(raw)


def _on_dmy(m: re.Match[str], f: _Found) -> None:
    f.dates.append((_year(m["y"] or m["y2"]), int(m["m"]), int(m["d"])))


def _on_iso(m: re.Match[str], f: _Found) -> None:
    f.dates.append((int(m["y"]), int(m["m"]), int(m["d"])))


def _on_day_only(m: re.Match[str], f: _Found) -> None:
    f.dates.append((None, None, int(m["d"])))


def _on_month(m: re.Match[str], f: _Found) -> None:
    f.months.append((_year(m["y"] or m["y2"]), int(m["m"])))


def _on_relative(m: re.Match[str], f: _Found) -> None:
    f.offsets.append(_DAY_OFFSETS[_SPACES.sub(" ", m[0])])


def _on_week(m: re.Match[str], f: _Found) -> None:
    f.weeks.append(_WEEK_OFFSETS.get(_SPACES.sub(" ", m["w"]), 1))


def _on_weekday(m: re.Match[str], f: _Found) -> None:
    key = m["wd"]
    weekday = _WEEKDAY_DIGITS.get(key, _WEEKDAY_WORDS.get(key, 6))
    f.weekdays.append((weekday, m["q"] == "next"))


def _on_time(m: re.Match[str], f: _Found) -> None:
    hour = int(m["h"])
    if m.groupdict().get("ruoi"):
        f.add_time(hour, 30)
    elif m.groupdict().get("kem"):
        before = int(m["kem"])
        total = hour * 60 - before
        if 1 <= before <= 59 and hour <= 24 and total >= 0:
            f.add_time(total // 60, total % 60)
        else:
            f.invalid = True
    else:
        f.add_time(hour, int(m.groupdict().get("mi") or 0))


def _on_period(m: re.Match[str], f: _Found) -> None:
    f.periods.append(_PERIOD_ALIASES.get(m["p"], m["p"]))


_RULES: list[tuple[str, _Handler]] = [
    # Dotted times need context ("lúc 8.30", "8.30 sáng", "8.30h"); bare "8.30" is a date.
    (r"\bluc\s+(?P<h>\d{1,2})\.(?P<mi>\d{2})" + _NA, _on_time),
    (
        _NB + r"(?P<h>\d{1,2})\.(?P<mi>\d{2})"
        rf"(?:\s*(?:h|gio)\b|(?=\s*{_PERIOD_WORDS}\b))",
        _on_time,
    ),
    # Dates.
    (_NB + r"(?P<y>\d{4})[/.\-](?P<m>\d{1,2})[/.\-](?P<d>\d{1,2})" + _NA, _on_iso),
    (
        _NB + rf"(?P<d>\d{{1,2}}){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<y>\d{{4}}|\d{{2}})(?P<y2>)" + _NA,
        _on_dmy,
    ),
    (
        _NB + r"(?:\bngay\s+)?(?P<d>\d{1,2})\s+(?:thang|thg)\s*(?P<m>\d{1,2})\b"
        r"(?:\s*(?:nam|/|[.\-])\s*(?P<y>\d{4}|\d{2})\b|\s+(?P<y2>\d{4})\b)?" + _NA,
        _on_dmy,
    ),
    (
        r"\b(?:thang|thg|th)\s*(?P<m>\d{1,2})"
        r"(?:\s*(?:nam|/|[.\-])\s*(?P<y>\d{4}|\d{2})|\s+(?P<y2>\d{4}))" + _NA,
        _on_month,
    ),
    (_NB + rf"(?P<m>\d{{1,2}}){_SEP}(?P<y>\d{{4}})(?P<y2>)" + _NA, _on_month),
    (r"\b(?:thang|thg)\s*(?P<m>\d{1,2})\b(?P<y>)(?P<y2>)" + _NA, _on_month),
    (
        _NB
        + rf"(?P<d>\d{{1,2}}){_SEP}(?P<m>\d{{1,2}})"
        + _NA
        + r"(?:\s+nam\s+(?P<y>\d{4}|\d{2})\b)?"
        r"(?P<y2>)",
        _on_dmy,
    ),
    (
        r"\bngay\s+(?P<d>\d{1,2})\b(?!\s*(?:[/.\-:][0-9]|h\b|g\b|gio\b|thang\b|thg\b))",
        _on_day_only,
    ),
    # Weeks and weekdays ("tuần này" before the bare "nay" of "hôm nay").
    (
        r"\btuan\s+(?P<w>nay|sau\s+nua|sau|toi|next|ke\s+tiep|tiep\s+theo|truoc|trc)\b",
        _on_week,
    ),
    (r"\b(?:thu|t)\s*(?P<wd>[2-7])\b" + _NA + r"(?:\s+(?P<q>nay|next)\b)?", _on_weekday),
    (
        r"\bthu\s+(?P<wd>hai|ba|tu|bon|nam|sau|bay)\b(?:\s+(?P<q>nay|next)\b)?",
        _on_weekday,
    ),
    (r"\b(?P<wd>chu\s*nhat|chu\s*nhut|cn)\b(?:\s+(?P<q>nay|next)\b)?", _on_weekday),
    # Relative days.
    (
        r"\b(?:hom\s+nay|bua\s+nay|ngay\s+mai|ngay\s+kia|ngay\s+mot|hom\s+qua|hom\s+kia)\b",
        _on_relative,
    ),
    (r"\b(?:mai|nay)\b", _on_relative),
    # Times.
    (_NB + r"(?P<h>\d{1,2})\s*:\s*(?P<mi>\d{2})(?![0-9])(?:\s*(?:h|gio)\b)?" + _NA, _on_time),
    (
        _NB + r"(?P<h>\d{1,2})\s*(?:gio|h|g)\b(?:\s*(?:"
        r"(?P<mi>\d{1,2})(?![0-9])(?![/.\-][0-9])(?!\s*(?:thang|thg|h|g|gio)\b|\s*:)"
        r"(?:\s*(?:phut\b|ph\b|p\b|'))?"
        r"|(?P<ruoi>ruoi)\b"
        r"|kem\s*(?P<kem>\d{1,2})\b(?:\s*(?:phut\b|ph\b|p\b|'))?"
        r"))?",
        _on_time,
    ),
    (r"\bluc\s+(?P<h>\d{1,2})\b" + _NA, _on_time),
    (_NB + rf"\b(?P<h>\d{{1,2}})\b{_NA}(?=\s*{_PERIOD_WORDS}\b)", _on_time),
    # Day periods.
    (r"\b(?:buoi\s+)?(?P<p>sang|trua|chieu|toi|dem|khuya)\b", _on_period),
    (r"\b(?P<p>am|pm|a\.m|p\.m)\b\.?", _on_period),
]
_COMPILED = [(re.compile(pattern, re.ASCII), handler) for pattern, handler in _RULES]
_FILLER = re.compile(
    r"\b(?:du\s+kien|dk|vao|luc|ngay|khoang|tam|dung|buoi|hop|sinh\s+hoat|chi\s+bo|nhe|nha|a)\b"
    r"|[|/.\-:']",
    re.ASCII,
)


def _scan(normalised: str) -> _Found:
    found = _Found()
    text = normalised

    for regex, handler in _COMPILED:

        def consume(m: re.Match[str], handler: _Handler = handler) -> str:
            handler(m, found)
            return " | "

        text = regex.sub(consume, text)
    if not found.any() or _FILLER.sub(" ", text).strip():
        raise DateParseError("unrecognised", normalised)
    return found


# --------------------------------------------------------------------------- resolving


def _apply_period(hour: int, period: str) -> int | None:
    """Return the 24-hour clock hour, or None when the period contradicts the hour."""
    if period == "sang" or period == "am":
        if hour <= 11:
            return hour
        return 0 if period == "am" and hour == 12 else None
    if period == "trua":
        if 10 <= hour <= 14:
            return hour
        return hour + 12 if 1 <= hour <= 2 else None
    if period in ("chieu", "pm", "toi"):
        if 1 <= hour <= 11:
            return hour + 12
        lowest = 13 if period == "toi" else 12
        return hour if hour >= lowest else None
    # "dem": late evening or small hours.
    if 8 <= hour <= 11:
        return hour + 12
    return hour if hour <= 5 or hour >= 20 else None


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateParseError("invalid_date", f"year {year}")


def _resolve_date(year: int | None, month: int | None, day: int, today: date) -> date:
    if month is None:  # "ngày 28": the next month, from this one, that has that day
        if not 1 <= day <= 31:
            raise DateParseError("invalid_date", f"day {day}")
        first = today.replace(day=1)
        for ahead in range(12):
            y, m = divmod(first.month - 1 + ahead, 12)
            y, m = first.year + y, m + 1
            if day <= calendar.monthrange(y, m)[1] and date(y, m, day) >= today:
                return date(y, m, day)
        raise DateParseError("invalid_date", f"day {day}")  # unreachable in practice
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
        raise DateParseError("invalid_date", f"{day}/{month}")
    if year is not None:
        _check_year(year)
        if day > calendar.monthrange(year, month)[1]:
            raise DateParseError("invalid_date", f"{day}/{month}/{year}")
        return date(year, month, day)
    for y in range(today.year, today.year + 9):  # 29/2 may be up to 8 years away
        if day <= calendar.monthrange(y, month)[1] and date(y, month, day) >= today:
            return date(y, month, day)
    raise DateParseError("invalid_date", f"{day}/{month}")  # unreachable in practice


def _week_start(day: date, weeks: int = 0) -> date:
    return day - timedelta(days=day.weekday()) + timedelta(weeks=weeks)


def _check_conflicts(f: _Found) -> None:
    sizes = (
        len(set(f.times)),
        len(set(f.periods)),
        len(set(f.weeks)),
        len(set(f.offsets)),
        len(set(f.months)),
        len({weekday for weekday, _ in f.weekdays}),
    )
    if max(sizes) > 1:
        raise DateParseError("ambiguous", "conflicting values")
    if f.months and (f.dates or f.offsets):
        raise DateParseError("ambiguous", "a month and a day")


def _resolve_month(f: _Found, today: date, allow_past: bool) -> MonthOnly:
    if f.times or f.periods or f.weekdays or f.weeks:
        raise DateParseError("missing_date", "a month but no day")
    year, month = f.months[0]
    if not 1 <= month <= 12:
        raise DateParseError("invalid_date", f"month {month}")
    if year is None:
        year = today.year if month >= today.month else today.year + 1
    _check_year(year)
    if not allow_past and (year, month) < (today.year, today.month):
        raise DateParseError("in_past", f"{month}/{year}")
    return MonthOnly(year, month)


def _resolve_day(f: _Found, today: date) -> date | None:
    candidates = {_resolve_date(y, m, d, today) for y, m, d in f.dates}
    candidates |= {today + timedelta(days=offset) for offset in f.offsets}
    if len(candidates) > 1:
        raise DateParseError("ambiguous", "two different dates")
    weekday = f.weekdays[0][0] if f.weekdays else None
    if candidates:
        day = candidates.pop()
        if weekday is not None and day.weekday() != weekday:
            raise DateParseError("ambiguous", "weekday does not match the date")
        if f.weeks and _week_start(day) != _week_start(today, f.weeks[0]):
            raise DateParseError("ambiguous", "date is not in that week")
        return day
    if weekday is None:
        return None
    if f.weeks:
        return _week_start(today, f.weeks[0]) + timedelta(days=weekday)
    ahead = (weekday - today.weekday()) % 7
    strictly_later = any(later for _, later in f.weekdays)
    return today + timedelta(days=ahead or (7 if strictly_later else 0))


def _resolve(
    f: _Found, now: datetime, tz: ZoneInfo, allow_past: bool, require_time: bool
) -> ExactTime | MonthOnly:
    if f.invalid:
        raise DateParseError("invalid_date", "hour or minute out of range")
    _check_conflicts(f)
    today = now.astimezone(tz).date()
    if f.months:
        return _resolve_month(f, today, allow_past)
    day = _resolve_day(f, today)
    if day is None:
        raise DateParseError("missing_date", "no day given")
    if not f.times:
        if require_time:
            raise DateParseError("missing_time", day.isoformat())
        if not allow_past and day < today:
            raise DateParseError("in_past", day.isoformat())
        return ExactTime(datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC))
    hour, minute = f.times[0]
    if f.periods:
        adjusted = _apply_period(hour, f.periods[0])
        if adjusted is None:
            raise DateParseError("ambiguous", f"{hour}h does not fit '{f.periods[0]}'")
        hour = adjusted
    starts_at = datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)
    if not allow_past and starts_at < now:
        raise DateParseError("in_past", starts_at.isoformat())
    return ExactTime(starts_at)


def parse_when(
    text: str,
    now: datetime,
    tz: ZoneInfo = VN_TZ,
    *,
    allow_past: bool = False,
    require_time: bool = True,
) -> ExactTime | MonthOnly:
    """Parse a Vietnamese date/time relative to ``now`` (aware). See the module docstring.

    With ``require_time=False`` a bare date yields local midnight of that day.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not isinstance(text, str) or not text.strip():
        raise DateParseError("empty")
    if len(text.strip()) > MAX_INPUT_LENGTH:
        raise DateParseError("too_long", f"more than {MAX_INPUT_LENGTH} characters")
    found = _scan(_normalise(text))
    try:
        return _resolve(found, now, tz, allow_past, require_time)
    except (OverflowError, ValueError) as exc:  # date arithmetic at the calendar's edges
        raise DateParseError("invalid_date", str(exc)) from exc


# --------------------------------------------------------------------------- formatting


def _lang(locale: str) -> Literal["vi", "en"]:
    return "en" if locale.lower().replace("-", "_").split("_")[0] == "en" else "vi"


def _local(dt: datetime, tz: ZoneInfo) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("naive datetime: pass an aware (UTC) datetime")
    return dt.astimezone(tz)


def _vi_weekday(weekday: int) -> str:
    """CLDR "Thứ Năm"/"Chủ Nhật" in administrative style: "thứ Năm"/"Chủ nhật"."""
    head, _, tail = str(get_day_names("wide", locale="vi")[weekday]).partition(" ")
    if weekday == 6:
        return f"{head} {tail.lower()}"
    return f"{head.lower()} {tail}"


def _date_long(day: date, lang: Literal["vi", "en"]) -> str:
    if lang == "en":
        return str(format_date(day, "EEEE, d MMMM y", locale="en"))
    return f"{_vi_weekday(day.weekday())}, ngày {day.day} tháng {day.month} năm {day.year}"


def format_date_long(d: date | datetime, locale: str, tz: ZoneInfo = VN_TZ) -> str:
    """vi: "thứ Năm, ngày 28 tháng 3 năm 2024"; en: "Thursday, 28 March 2024"."""
    day = _local(d, tz).date() if isinstance(d, datetime) else d
    return _date_long(day, _lang(locale))


def format_datetime_long(dt: datetime, locale: str, tz: ZoneInfo = VN_TZ) -> str:
    """vi: "08 giờ 00, thứ Năm, ngày 28 tháng 3 năm 2024"; en: "08:00, Thursday, 28 March 2024"."""
    local = _local(dt, tz)
    lang = _lang(locale)
    clock = f"{local:%H} giờ {local:%M}" if lang == "vi" else f"{local:%H:%M}"
    return f"{clock}, {_date_long(local.date(), lang)}"


def format_month(year: int, month: int, locale: str) -> str:
    """vi: "tháng 3 năm 2024"; en: "March 2024"."""
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    if _lang(locale) == "en":
        return str(format_date(date(year, month, 1), "LLLL y", locale="en"))
    return f"tháng {month} năm {year}"


def format_datetime_short(dt: datetime, locale: str, tz: ZoneInfo = VN_TZ) -> str:
    """Both locales: "08:00 28/03/2024"."""
    return f"{_local(dt, tz):%H:%M %d/%m/%Y}"
