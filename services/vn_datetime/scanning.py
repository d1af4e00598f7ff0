"""Reading Vietnamese date and time phrases: normalising the text and finding its pieces."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from services.vn_datetime.values import DateParseError

# --------------------------------------------------------------------------- normalisation

_NEXT_WORD = re.compile(r"(?<!\w)tới(?!\w)")  # "tới" (upcoming) vs "tối" (evening)
_TO_SPACE = str.maketrans(dict.fromkeys(',;!?()[]{}"“”«»…|_*~<>=+&#@\\', " "))
_TO_APOSTROPHE = str.maketrans(dict.fromkeys("’‘′`´", "'"))
_DIGIT_LETTER = re.compile(r"(?<=[0-9])(?=[a-z])|(?<=[a-z])(?=[0-9])")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    s = _NEXT_WORD.sub(" next ", unicodedata.normalize("NFC", text).lower())
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = s.lower().replace("đ", "d").translate(_TO_SPACE).translate(_TO_APOSTROPHE)
    s = _DIGIT_LETTER.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


# --------------------------------------------------------------------------- tokenising


@dataclass
class Found:
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


_Handler = Callable[[re.Match[str], Found], None]

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


def _on_dmy(m: re.Match[str], f: Found) -> None:
    f.dates.append((_year(m["y"] or m["y2"]), int(m["m"]), int(m["d"])))


def _on_iso(m: re.Match[str], f: Found) -> None:
    f.dates.append((int(m["y"]), int(m["m"]), int(m["d"])))


def _on_day_only(m: re.Match[str], f: Found) -> None:
    f.dates.append((None, None, int(m["d"])))


def _on_month(m: re.Match[str], f: Found) -> None:
    f.months.append((_year(m["y"] or m["y2"]), int(m["m"])))


def _on_relative(m: re.Match[str], f: Found) -> None:
    f.offsets.append(_DAY_OFFSETS[_SPACES.sub(" ", m[0])])


def _on_week(m: re.Match[str], f: Found) -> None:
    f.weeks.append(_WEEK_OFFSETS.get(_SPACES.sub(" ", m["w"]), 1))


def _on_weekday(m: re.Match[str], f: Found) -> None:
    key = m["wd"]
    weekday = _WEEKDAY_DIGITS.get(key, _WEEKDAY_WORDS.get(key, 6))
    f.weekdays.append((weekday, m["q"] == "next"))


def _on_time(m: re.Match[str], f: Found) -> None:
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


def _on_period(m: re.Match[str], f: Found) -> None:
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


def scan(normalised: str) -> Found:
    found = Found()
    text = normalised

    for regex, handler in _COMPILED:

        def consume(m: re.Match[str], handler: _Handler = handler) -> str:
            handler(m, found)
            return " | "

        text = regex.sub(consume, text)
    if not found.any() or _FILLER.sub(" ", text).strip():
        raise DateParseError("unrecognised", normalised)
    return found
