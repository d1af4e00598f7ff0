"""Tests for services.vn_datetime: parsing and formatting Vietnamese dates and times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.vn_datetime import (
    ERROR_CODES,
    VN_TZ,
    DateParseError,
    ExactTime,
    MonthOnly,
    example_inputs,
    format_date_long,
    format_datetime_long,
    format_datetime_short,
    format_month,
    parse_when,
)

# Wednesday 2024-03-20 10:00 in Vietnam (03:00 UTC).
NOW = datetime(2024, 3, 20, 10, 0, tzinfo=VN_TZ)


def local(text: str, now: datetime = NOW, **kwargs: bool) -> str:
    """Parse and render the result as local "YYYY-MM-DD HH:MM" for compact assertions."""
    result = parse_when(text, now, **kwargs)
    assert isinstance(result, ExactTime)
    assert result.starts_at.tzinfo is UTC
    return result.starts_at.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M")


def error_code(text: str, now: datetime = NOW, **kwargs: bool) -> str:
    with pytest.raises(DateParseError) as info:
        parse_when(text, now, **kwargs)
    assert info.value.code in ERROR_CODES
    return info.value.code


# --------------------------------------------------------------------------- exact times

EXACT_CASES: list[tuple[str, str]] = [
    # numeric dates, every separator and order of date/time
    ("28/3/2024 8h", "2024-03-28 08:00"),
    ("8h30 28/3", "2024-03-28 08:30"),
    ("28-3-2024 08:00", "2024-03-28 08:00"),
    ("28.3.2024 8:00", "2024-03-28 08:00"),
    ("8g30 28/3", "2024-03-28 08:30"),
    ("14h 28/03/24", "2024-03-28 14:00"),
    ("28 / 3 / 2024 8h", "2024-03-28 08:00"),
    ("2024-03-28 08:00", "2024-03-28 08:00"),
    ("28/3 năm 2024 8h", "2024-03-28 08:00"),
    ("ngày 28/3/2024 8h", "2024-03-28 08:00"),
    ("28/3lúc8h", "2024-03-28 08:00"),
    ("08:00 28/03/2024", "2024-03-28 08:00"),
    ("8h30' 28/3", "2024-03-28 08:30"),
    ("8h30p 28/3", "2024-03-28 08:30"),
    ("8h 8 giờ 28/3", "2024-03-28 08:00"),
    # textual dates
    ("08 giờ 00 ngày 28 tháng 3 năm 2024", "2024-03-28 08:00"),
    ("ngày 28 tháng 3 lúc 8 giờ", "2024-03-28 08:00"),
    ("28 thg 3, 2024 lúc 8:00", "2024-03-28 08:00"),
    ("8h 28 tháng 3", "2024-03-28 08:00"),
    ("08 giờ 00, thứ Năm, ngày 28 tháng 3 năm 2024", "2024-03-28 08:00"),
    ("ngày 28 8h", "2024-03-28 08:00"),
    ("ngày 31 lúc 8h", "2024-03-31 08:00"),
    # weekdays that agree with the date
    ("thứ năm 28/3 lúc 14 giờ", "2024-03-28 14:00"),
    ("T5 28/3 8h", "2024-03-28 08:00"),
    ("chủ nhật 31/3 8h", "2024-03-31 08:00"),
    ("CN 31/3 8h", "2024-03-31 08:00"),
    ("sáng thứ 2 (25/3) 8h", "2024-03-25 08:00"),
    # relative days
    ("ngày mai 7h30", "2024-03-21 07:30"),
    ("mai 7h", "2024-03-21 07:00"),
    ("hôm nay 15h", "2024-03-20 15:00"),
    ("ngày kia 8h", "2024-03-22 08:00"),
    ("ngày mốt 8h", "2024-03-22 08:00"),
    ("8h30 ngày mai", "2024-03-21 08:30"),
    ("tối nay 7h", "2024-03-20 19:00"),
    ("11h đêm nay", "2024-03-20 23:00"),
    ("ngày mai 21/3 8h", "2024-03-21 08:00"),
    # weekdays and weeks (NOW is a Wednesday)
    ("thứ 5 tuần này 8h", "2024-03-21 08:00"),
    ("7h tối thứ 6 tuần sau", "2024-03-29 19:00"),
    ("đúng 8h sáng thứ hai tuần sau", "2024-03-25 08:00"),
    ("thứ 2 tuần tới 8h", "2024-03-25 08:00"),
    ("tuần sau nữa thứ 2 8h", "2024-04-01 08:00"),
    ("CN 8h", "2024-03-24 08:00"),
    ("thứ 5 8h", "2024-03-21 08:00"),
    ("thứ 4 15h", "2024-03-20 15:00"),
    ("thứ 4 tới 9h", "2024-03-27 09:00"),
    ("thứ bảy 9h", "2024-03-23 09:00"),
    # day periods
    ("8 giờ 30 phút sáng 28/3", "2024-03-28 08:30"),
    ("2 giờ chiều 28/3", "2024-03-28 14:00"),
    ("14 giờ chiều 28/3", "2024-03-28 14:00"),
    ("28/3 lúc 8 giờ sáng", "2024-03-28 08:00"),
    ("12h trưa mai", "2024-03-21 12:00"),
    ("1h trưa mai", "2024-03-21 13:00"),
    ("8 sáng mai", "2024-03-21 08:00"),
    ("2pm ngày mai", "2024-03-21 14:00"),
    ("12 am 28/3", "2024-03-28 00:00"),
    ("2 giờ đêm 28/3", "2024-03-28 02:00"),
    # other ways to say the time
    ("lúc 8 ngày mai", "2024-03-21 08:00"),
    ("lúc 8.30 28/3", "2024-03-28 08:30"),
    ("8.30 sáng mai", "2024-03-21 08:30"),
    ("9 giờ kém 15 ngày mai", "2024-03-21 08:45"),
    ("8 giờ rưỡi sáng mai", "2024-03-21 08:30"),
    ("0h ngày mai", "2024-03-21 00:00"),
    # filler words, case, spacing and punctuation
    ("họp chi bộ lúc 8h ngày 28/3", "2024-03-28 08:00"),
    ("  28/3   8H!!! ", "2024-03-28 08:00"),
    ("Dự kiến: 28/3, 8h.", "2024-03-28 08:00"),
    ("NGÀY MAI 7H30", "2024-03-21 07:30"),
    # no diacritics
    ("thu nam 28/3 luc 14 gio", "2024-03-28 14:00"),
    ("ngay mai 7h30", "2024-03-21 07:30"),
    ("hom nay 15h", "2024-03-20 15:00"),
    ("ngay kia 8h", "2024-03-22 08:00"),
    ("8 gio 30 phut sang 28/3", "2024-03-28 08:30"),
    ("2 gio chieu 28/3", "2024-03-28 14:00"),
    ("chu nhat 31/3 8h", "2024-03-31 08:00"),
    ("thu 5 tuan nay 8h", "2024-03-21 08:00"),
    ("7h toi thu 6 tuan sau", "2024-03-29 19:00"),
    ("08 gio 00 ngay 28 thang 3 nam 2024", "2024-03-28 08:00"),
    ("9 gio kem 15 ngay mai", "2024-03-21 08:45"),
    ("8 gio ruoi sang mai", "2024-03-21 08:30"),
]


@pytest.mark.parametrize(("text", "expected"), EXACT_CASES)
def test_exact_times(text: str, expected: str) -> None:
    assert local(text) == expected


def test_there_are_enough_real_inputs() -> None:
    assert len(EXACT_CASES) >= 50


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5/1 8h", "2025-01-05 08:00"),
        ("2/1/2025 8h", "2025-01-02 08:00"),
        ("30/12 15h", "2024-12-30 15:00"),
        ("ngày mai 8h", "2024-12-31 08:00"),
        ("ngày kia 8h", "2025-01-01 08:00"),
        ("ngày 2 8h", "2025-01-02 08:00"),
        ("thứ 5 8h", "2025-01-02 08:00"),
    ],
)
def test_year_rollover(text: str, expected: str) -> None:
    assert local(text, now=datetime(2024, 12, 30, 10, 0, tzinfo=VN_TZ)) == expected


def test_leap_day_without_year_goes_to_next_leap_year() -> None:
    assert local("29/2 8h", now=datetime(2025, 3, 1, tzinfo=VN_TZ)) == "2028-02-29 08:00"


def test_today_is_taken_in_the_target_timezone() -> None:
    # 18:00 UTC on the 20th is already 01:00 on the 21st in Vietnam.
    now_utc = datetime(2024, 3, 20, 18, 0, tzinfo=UTC)
    assert local("hôm nay 15h", now=now_utc) == "2024-03-21 15:00"
    assert local("mai 7h", now=now_utc) == "2024-03-22 07:00"


def test_result_is_utc() -> None:
    result = parse_when("28/3/2024 8h", NOW)
    assert result == ExactTime(datetime(2024, 3, 28, 1, 0, tzinfo=UTC))


def test_other_timezone() -> None:
    result = parse_when("28/3/2024 8h", NOW, ZoneInfo("Europe/Paris"))
    assert result == ExactTime(datetime(2024, 3, 28, 7, 0, tzinfo=UTC))


# --------------------------------------------------------------------------- months


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tháng 3/2025", MonthOnly(2025, 3)),
        ("dự kiến tháng 5/2025", MonthOnly(2025, 5)),
        ("tháng 5 năm 2025", MonthOnly(2025, 5)),
        ("th5/2025", MonthOnly(2025, 5)),
        ("tháng 05-2025", MonthOnly(2025, 5)),
        ("5/2025", MonthOnly(2025, 5)),
        ("tháng 3/24", MonthOnly(2024, 3)),
        ("thang 5 nam 2025", MonthOnly(2025, 5)),
        ("du kien thang 5/2025", MonthOnly(2025, 5)),
        ("tháng 3", MonthOnly(2024, 3)),  # the current month is not past
        ("tháng 2", MonthOnly(2025, 2)),
    ],
)
def test_month_only(text: str, expected: MonthOnly) -> None:
    assert parse_when(text, NOW) == expected


def test_past_month_allowed_when_asked() -> None:
    assert parse_when("dự kiến tháng 5/2022", NOW, allow_past=True) == MonthOnly(2022, 5)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 201, "too_long"),
        ("28/3 8h" + " " * 195 + "!", "too_long"),
        ("hello", "unrecognised"),
        ("lúc", "unrecognised"),
        ("28/3 8", "unrecognised"),
        ("28/3/024 8h", "unrecognised"),
        ("28/3 8h abc", "unrecognised"),
        ("thứ năm 29/3/2024 8h", "ambiguous"),
        ("chủ nhật 30/3 8h", "ambiguous"),
        ("8h 14h 28/3", "ambiguous"),
        ("8h 14:00 28/3", "ambiguous"),
        ("28/3 29/3 8h", "ambiguous"),
        ("ngày mai 22/3 8h", "ambiguous"),
        ("28/3 8h sáng chiều", "ambiguous"),
        ("14h sáng mai", "ambiguous"),
        ("12h tối mai", "ambiguous"),
        ("12h sáng 28/3", "ambiguous"),
        ("ngày mai tháng 3", "ambiguous"),
        ("thứ 2 25/3 tuần này 8h", "ambiguous"),
        ("31/2 8h", "invalid_date"),
        ("31/4 8h", "invalid_date"),
        ("29/2/2023 8h", "invalid_date"),
        ("3/28 8h", "invalid_date"),  # day/month only, never month/day
        ("25h 28/3", "invalid_date"),
        ("24h ngày mai", "invalid_date"),
        ("8h75 28/3", "invalid_date"),
        ("ngày 0 8h", "invalid_date"),
        ("tháng 13/2025", "invalid_date"),
        ("28/3/1800 8h", "invalid_date"),
        ("1/3/2024 8h", "in_past"),
        ("hôm nay 8h", "in_past"),
        ("hôm qua 15h", "in_past"),
        ("dự kiến tháng 5/2022", "in_past"),
        ("tháng 2/2024", "in_past"),
        ("28/3", "missing_time"),
        ("ngày mai", "missing_time"),
        ("sáng mai", "missing_time"),
        ("thu 5", "missing_time"),
        ("8h30", "missing_date"),
        ("lúc 8 giờ sáng", "missing_date"),
        ("tuần sau 8h", "missing_date"),
        ("tháng 3/2025 8h", "missing_date"),
    ],
)
def test_errors(text: str, code: str) -> None:
    assert error_code(text) == code


def test_allow_past() -> None:
    assert local("1/3/2024 8h", allow_past=True) == "2024-03-01 08:00"
    assert local("hôm qua 15h", allow_past=True) == "2024-03-19 15:00"


def test_require_time_false_gives_local_midnight() -> None:
    assert local("28/3", require_time=False) == "2024-03-28 00:00"
    assert local("hôm nay", require_time=False) == "2024-03-20 00:00"
    assert error_code("hôm qua", require_time=False) == "in_past"


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("28/3 8h", datetime(2024, 3, 20, 10, 0))


def test_examples_parse() -> None:
    examples = example_inputs()
    assert len(examples) == 3
    for text in examples:
        assert isinstance(parse_when(text, NOW), ExactTime | MonthOnly)


# --------------------------------------------------------------------------- properties

VI_WORDS = [
    "thứ", "thu", "năm", "nam", "tháng", "thang", "ngày", "ngay", "giờ", "gio", "phút",
    "sáng", "chiều", "tối", "toi", "tới", "trưa", "đêm", "mai", "nay", "hôm", "kia", "mốt",
    "tuần", "sau", "trước", "nữa", "này", "CN", "T5", "chủ nhật", "lúc", "kém", "rưỡi",
    "dự kiến", "am", "pm", "h", "g", "p", "'", "/", ".", "-", ":", ",", " ",
]  # fmt: skip
ODD_NOW = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC)
)


def _never_raises_unexpectedly(text: str, now: datetime = NOW) -> None:
    for allow_past in (False, True):
        try:
            parse_when(text, now, allow_past=allow_past, require_time=allow_past)
        except DateParseError as exc:
            assert exc.code in ERROR_CODES


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=220))
def test_arbitrary_text_only_raises_date_parse_error(text: str) -> None:
    _never_raises_unexpectedly(text)


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(
        r"(?:[0-9]{1,4}|[/.:\-h' ]|thứ|tháng|năm|ngày|giờ|sáng|chiều|tối|mai|nay|tuần|sau"
        r"|tới|CN|T5|lúc|kém|rưỡi|trưa|đêm)+",
        fullmatch=True,
    ).filter(lambda s: len(s) <= 200),
    ODD_NOW,
)
def test_regex_mixes_only_raise_date_parse_error(text: str, now: datetime) -> None:
    _never_raises_unexpectedly(text, now)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(VI_WORDS), st.integers(0, 2100).map(str)), max_size=12).map(
        " ".join
    ),
    ODD_NOW,
)
def test_word_mixes_only_raise_date_parse_error(text: str, now: datetime) -> None:
    _never_raises_unexpectedly(text, now)


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(2024, 3, 21), max_value=datetime(2099, 12, 31)).map(
        lambda dt: dt.replace(second=0, microsecond=0, tzinfo=UTC)
    )
)
def test_formatted_output_parses_back(dt: datetime) -> None:
    for text in (format_datetime_long(dt, "vi"), format_datetime_short(dt, "vi")):
        assert parse_when(text, NOW) == ExactTime(dt)


# --------------------------------------------------------------------------- formatting

THURSDAY_0800_LOCAL = datetime(2024, 3, 28, 1, 0, tzinfo=UTC)


def test_format_vi() -> None:
    dt = THURSDAY_0800_LOCAL
    assert format_datetime_long(dt, "vi") == "08 giờ 00, thứ Năm, ngày 28 tháng 3 năm 2024"
    assert format_date_long(dt, "vi") == "thứ Năm, ngày 28 tháng 3 năm 2024"
    assert format_month(2024, 3, "vi") == "tháng 3 năm 2024"
    assert format_datetime_short(dt, "vi") == "08:00 28/03/2024"


def test_format_en() -> None:
    dt = THURSDAY_0800_LOCAL
    assert format_datetime_long(dt, "en") == "08:00, Thursday, 28 March 2024"
    assert format_date_long(dt, "en") == "Thursday, 28 March 2024"
    assert format_month(2024, 3, "en") == "March 2024"
    assert format_datetime_short(dt, "en") == "08:00 28/03/2024"


@pytest.mark.parametrize(
    ("day", "vi", "en"),
    [
        (date(2024, 3, 25), "thứ Hai", "Monday"),
        (date(2024, 3, 26), "thứ Ba", "Tuesday"),
        (date(2024, 3, 27), "thứ Tư", "Wednesday"),
        (date(2024, 3, 29), "thứ Sáu", "Friday"),
        (date(2024, 3, 30), "thứ Bảy", "Saturday"),
        (date(2024, 3, 31), "Chủ nhật", "Sunday"),
    ],
)
def test_weekday_names(day: date, vi: str, en: str) -> None:
    assert format_date_long(day, "vi") == f"{vi}, ngày {day.day} tháng 3 năm 2024"
    assert format_date_long(day, "en") == f"{en}, {day.day} March 2024"


def test_format_converts_to_local_time_across_midnight() -> None:
    dt = datetime(2024, 3, 27, 17, 30, tzinfo=UTC)  # 00:30 on the 28th in Vietnam
    assert format_datetime_short(dt, "vi") == "00:30 28/03/2024"
    assert format_date_long(dt, "en") == "Thursday, 28 March 2024"
    assert format_datetime_long(dt, "en", ZoneInfo("UTC")) == "17:30, Wednesday, 27 March 2024"


def test_format_accepts_non_utc_aware_input() -> None:
    dt = datetime(2024, 3, 28, 8, 0, tzinfo=VN_TZ) + timedelta(minutes=5)
    assert format_datetime_short(dt, "en") == "08:05 28/03/2024"


@pytest.mark.parametrize("locale", ["en_US", "en-GB", "EN"])
def test_english_locale_variants(locale: str) -> None:
    assert format_month(2024, 12, locale) == "December 2024"


@pytest.mark.parametrize("locale", ["fr", "", "vi_VN", "zz"])
def test_unknown_locale_falls_back_to_vietnamese(locale: str) -> None:
    assert format_month(2024, 12, locale) == "tháng 12 năm 2024"
    assert format_date_long(THURSDAY_0800_LOCAL, locale).startswith("thứ Năm")


def test_format_rejects_naive_datetimes_and_bad_months() -> None:
    naive = datetime(2024, 3, 28, 8, 0)
    for formatter in (format_datetime_long, format_datetime_short, format_date_long):
        with pytest.raises(ValueError, match="naive"):
            formatter(naive, "vi")
    with pytest.raises(ValueError, match="month"):
        format_month(2024, 13, "vi")
