"""Finders for the facts of one session: kind, topic, host, parent, time, venue, address."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from .dates import covered, find_dates, find_months, nearest_time
from .model import VIETNAM_TZ, SessionKind
from .vocab import (
    DEADLINE_BEFORE,
    KIND_CHUYEN_DE,
    KIND_GENERIC,
    KIND_HOI_THAO,
    KIND_THUONG_KY,
    REFERENCE_BEFORE,
    SETTLEMENT,
    UY,
)

KindFound = SessionKind | Literal["generic"]

_KINDS: tuple[tuple[SessionKind, re.Pattern[str]], ...] = (
    ("hoi_thao", KIND_HOI_THAO),
    ("chuyen_de", KIND_CHUYEN_DE),
    ("thuong_ky", KIND_THUONG_KY),
)

_HOST = re.compile(r"(?<!\w)(?<!sinh hoạt )[Cc]hi bộ\s+")
_NAME_STOP = re.compile(
    r"\s+(?:thuộc|trực thuộc|thực hiện|tổ chức|sinh hoạt|là|được|chủ trì|đăng cai|chuẩn bị"
    r"|với|vào|lúc|tại|theo|có|gồm|dự kiến|ngày|cử|báo cáo|do|hoàn thành|mẫu|và các)\b"
    r"|\s*[,;:()\[\]“”\"«»\n|]|\.(?:\s|$)",
)
_PARENT = re.compile(
    rf"(?:thuộc|trực thuộc)\s+((?:Đảng bộ|Đảng {UY}|Chi bộ cơ sở)\s+\S)",
    re.IGNORECASE,
)
# "Chi bộ Phân xưởng 2 (Đảng bộ Công ty May 10)"
_PARENT_IN_BRACKETS = re.compile(rf"\(\s*((?:Đảng bộ|Đảng {UY})\s+[^\s)])", re.IGNORECASE)
_KIND_WORDS = ("Thường", "Chuyên", "Mẫu", "Cơ sở")
_MAX_NAME_CHARS = 150

_VENUE_LABEL = re.compile(
    r"(?:^|[\s,;.(])Địa điểm(?:\s+(?:tổ chức|dự kiến|sinh hoạt))*\s*:\s*", re.IGNORECASE
)
_VENUE_AT_START = re.compile(r"^(?:Tổ chức\s+)?Tại\s+(?=\S)")
_VENUE_INLINE = re.compile(r"\btại\s+")
_VENUE_STOP = re.compile(
    r"\s*[,(]?\s*(?:-\s*)?địa chỉ\b|[;\n]|\.(?:\s|$)|,\s*(?:thời gian|lúc|vào|thành phần|do|với)\b"
    r"|\s+(?:vào lúc|vào ngày|lúc|từ|do)\s",
    re.IGNORECASE,
)
# A unit, a committee or the event itself is not where a session takes place.
_NOT_A_PLACE = re.compile(
    rf"^(?:Chi bộ|Đảng bộ|Đảng {UY}|Chi {UY}|Huyện {UY}|Quận {UY}|Thị {UY}|Thành {UY}|Tỉnh {UY}"
    r"|Ban Thường vụ|Ban Chấp hành|Hội thảo|Hội nghị|các\b|mỗi\b)",
    re.IGNORECASE,
)
_ADMIN_DIVISION = re.compile(
    r",\s*(?=(?:phường|xã|thị trấn|quận|huyện|thị xã|thành phố|tỉnh|TP\.?|Tp\.?)\s+[A-ZĐÀ-Ỹ0-9])"
)
_STREET = re.compile(
    r",\s*(?=(?:số\s+)?\d+[A-Za-z]?(?:/\d+)?\s+(?:đường|phố|ngõ|hẻm)\s"
    r"|số\s+\d+[A-Za-z]?(?:/\d+)?\s+[A-ZĐ]|(?:đường|phố)\s+[A-ZĐ0-9])"
)
_ADDRESS = re.compile(r"\bđịa chỉ\s*(?:tại\s*)?:?\s*", re.IGNORECASE)
_ADDRESS_STOP = re.compile(r"[;)\n]|\.(?:\s|$)")

_TOPIC_QUOTED = re.compile(
    r"(?:chủ đề|chuyên đề|hội thảo(?:\s+khoa học)?|với tên|tên gọi|nội dung)\s*"
    r"(?:mẫu\s*)?(?:là|về|với chủ đề)?\s*:?\s*[“\"«‘]([^”\"»’\n]{3,300})[”\"»’]",
    re.IGNORECASE,
)
_TOPIC_LABEL = re.compile(
    r"(?:^|[\s,;.(])(?:tên\s+|nội dung\s+(?:sinh hoạt\s+)?)?(?:chủ đề|chuyên đề)"
    r"(?:\s+(?:hội thảo|sinh hoạt))?\s*:\s*",
    re.IGNORECASE,
)
_TOPIC_STOP = re.compile(
    r"[;\n]|\.(?:\s|$)|,\s*(?:thời gian|lúc|vào|tại|địa điểm)\b", re.IGNORECASE
)
_QUOTES = "“”\"«»‘’'"


def detect_kind(text: str) -> KindFound | None:
    """The kind of session a text speaks of (first mention wins), or None."""
    mentions: list[tuple[int, KindFound]] = [
        (match.start(), kind) for kind, pattern in _KINDS if (match := pattern.search(text))
    ]
    if mentions:
        return min(mentions)[1]
    return "generic" if KIND_GENERIC.search(text) else None


def session_kind(found: KindFound | None) -> SessionKind | None:
    """A definite session kind, or None for "generic"/unknown."""
    return next((kind for kind, _ in _KINDS if kind == found), None)


def find_host(text: str) -> str | None:
    """The named chi bộ ("Chi bộ 01", "Chi bộ Trường Tiểu học A"), if any."""
    mentions = host_mentions(text)
    return mentions[0][1] if mentions else None


def host_mentions(text: str) -> list[tuple[int, str]]:
    """Every named chi bộ in `text`: (where the mention starts, "Chi bộ <name>")."""
    found = []
    for match in _HOST.finditer(text):
        name = _name_until_stop(text, match.end())
        if name and _unit_name(name) and not name.startswith(_KIND_WORDS):
            found.append((match.start(), f"Chi bộ {name}"))
    return found


def find_parent(text: str) -> str | None:
    """The đảng bộ a chi bộ belongs to ("thuộc Đảng bộ X")."""
    match = _PARENT.search(text) or _PARENT_IN_BRACKETS.search(text)
    if not match:
        return None
    start = match.start(1)
    prefix_end = match.end(1) - 1
    name = _name_until_stop(text, prefix_end)
    if not name:
        return None
    parent = f"{text[start:prefix_end].strip()} {name}"
    return parent[0].upper() + parent[1:]


def _name_until_stop(text: str, start: int) -> str | None:
    window = text[start : start + _MAX_NAME_CHARS]
    stop = _NAME_STOP.search(window)
    name = (window[: stop.start()] if stop else window).strip(" .-–")
    return name or None


def find_venue(text: str) -> str | None:
    for pattern in (_VENUE_LABEL, _VENUE_AT_START, _VENUE_INLINE):
        for match in pattern.finditer(text):
            venue = _until(text, match.end(), _VENUE_STOP)
            if venue and pattern is _VENUE_LABEL and not _proper(venue):
                # "Địa điểm: cả hai buổi đều tổ chức tại Hội trường X"
                inner = list(_VENUE_INLINE.finditer(venue))
                venue = venue[inner[-1].end() :] if inner else venue
            if venue and (pattern is not _VENUE_INLINE or _proper(venue)):
                if not _NOT_A_PLACE.match(venue):
                    return venue
    return None


def split_venue(venue: str) -> tuple[str, str | None]:
    """ "Hội trường Khách sạn X, thành phố Y, tỉnh Z" → ("Hội trường Khách sạn X",
    "thành phố Y, tỉnh Z"): the address starts at the first administrative division."""
    match = _ADMIN_DIVISION.search(venue)
    if match is None or match.start() == 0:
        return venue, None
    cut, rest = match.start(), match.end()
    street = _STREET.search(venue, 0, cut)
    if street is not None and street.start() > 0:  # "…, số 1 đường Lê Lợi, phường X"
        cut, rest = street.start(), street.end()
    return venue[:cut].strip(" ,"), venue[rest:].strip(" ,.") or None


def _unit_name(name: str) -> bool:
    """ "01", "Trường Tiểu học A", "số 4", or a village word before a proper name."""
    return _proper(name.removeprefix("số ")) or SETTLEMENT.match(name) is not None


def _proper(name: str) -> bool:
    """Names of places and units start with a capital letter or a digit."""
    return bool(name) and (name[0].isupper() or name[0].isdigit())


def find_address(text: str) -> str | None:
    match = _ADDRESS.search(text)
    return _until(text, match.end(), _ADDRESS_STOP) if match else None


def find_topic(text: str) -> str | None:
    for match in _TOPIC_QUOTED.finditer(text):
        topic = match.group(1).strip(" .,;:")
        if topic and detect_kind(topic) is None:
            return topic
    match = _TOPIC_LABEL.search(text)
    if match:
        topic = _until(text, match.end(), _TOPIC_STOP)
        if topic:
            topic = topic.strip(_QUOTES + " ")
            if topic and detect_kind(topic) is None:
                return topic
    return None


def _until(text: str, start: int, stop_pattern: re.Pattern[str], limit: int = 250) -> str | None:
    window = text[start : start + limit]
    stop = stop_pattern.search(window)
    value = (window[: stop.start()] if stop else window).strip(" ,;:.-–")
    return value or None


def find_start(texts: list[str]) -> tuple[datetime | None, str | None]:
    """When a session starts: an aware datetime, or only a "YYYY-MM" month.

    A date written without a clock time is reported as its month only (no time is invented).
    Deadlines ("trước ngày ...") and dates of referenced documents are skipped.
    """
    for text in _time_first(texts):
        for found in find_dates(text):
            if _is_deadline(text, found.start) or _is_reference(text, found.start):
                continue
            clock = nearest_time(text, found)
            if clock is None:
                return None, f"{found.value.year:04d}-{found.value.month:02d}"
            return datetime.combine(found.value, clock, tzinfo=VIETNAM_TZ), None
    for text in _time_first(texts):
        spans = [(item.start, item.end) for item in find_dates(text)]
        for month in find_months(text):
            if covered(spans, month.start):
                continue
            if _is_deadline(text, month.start) or _is_reference(text, month.start):
                continue
            return None, month.value
    return None, None


def _time_first(texts: list[str]) -> list[str]:
    """Texts labelled "Thời gian..." first, the others after, each group in order."""
    return sorted(texts, key=lambda text: not text.lower().startswith("thời gian"))


def _is_deadline(text: str, start: int) -> bool:
    return DEADLINE_BEFORE.search(text[max(0, start - 60) : start]) is not None


def _is_reference(text: str, start: int) -> bool:
    return REFERENCE_BEFORE.search(text[max(0, start - 60) : start]) is not None
