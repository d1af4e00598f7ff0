"""Turning the pieces found into a moment or a month, against the clock."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.vn_datetime.scanning import Found, normalise, scan
from services.vn_datetime.values import (
    MAX_INPUT_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    VN_TZ,
    DateParseError,
    ExactTime,
    MonthOnly,
)

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


def _check_conflicts(f: Found) -> None:
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


def _resolve_month(f: Found, today: date, allow_past: bool) -> MonthOnly:
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


def _resolve_day(f: Found, today: date) -> date | None:
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
    f: Found, now: datetime, tz: ZoneInfo, allow_past: bool, require_time: bool
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
    found = scan(normalise(text))
    try:
        return _resolve(found, now, tz, allow_past, require_time)
    except (OverflowError, ValueError) as exc:  # date arithmetic at the calendar's edges
        raise DateParseError("invalid_date", str(exc)) from exc
