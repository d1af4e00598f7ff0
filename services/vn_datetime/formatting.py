"""Dates and times as people read them, in Vietnamese or English, in Hà Nội time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date, get_day_names

from services.vn_datetime.values import VN_TZ

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
