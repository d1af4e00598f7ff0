"""Sessions listed in a table: | TT | Chi bộ | Đảng bộ | Hình thức | Thời gian | Địa điểm |."""

from __future__ import annotations

import re
from typing import Literal

from .fields import (
    KindFound,
    detect_kind,
    find_address,
    find_host,
    find_parent,
    find_start,
    find_topic,
    find_venue,
    session_kind,
)
from .model import SessionDraft, SessionKind

_BELONGS = re.compile(r"\s*\(|\s+(?:trực\s+)?thuộc\s+", re.IGNORECASE)

_MAX_LABEL_CHARS = 40  # column labels are short; longer cells are data

Column = Literal["host", "parent", "kind", "topic", "time", "venue", "address"]


def table_sessions(rows: list[list[str]], hint: KindFound | None) -> list[SessionDraft]:
    """Sessions from a table whose header names at least a host or a time column."""
    for index, row in enumerate(rows[:3]):
        columns = _columns(row)
        if len(columns) >= 2 and ({"host", "time"} & set(columns.values())):
            return [
                session
                for data in rows[index + 1 :]
                if (session := _row_session(data, columns, hint)) is not None
            ]
    return []


def _columns(header: list[str]) -> dict[int, Column]:
    columns: dict[int, Column] = {}
    for index, cell in enumerate(header):
        if len(cell) > _MAX_LABEL_CHARS:
            continue
        name = _column(cell.lower())
        if name and name not in columns.values():
            columns[index] = name
    return columns


def _column(cell: str) -> Column | None:
    if "địa chỉ" in cell:
        return "address"
    if "địa điểm" in cell:
        return "venue"
    if "thời gian" in cell or "ngày" in cell or "thời điểm" in cell:
        return "time"
    if "hình thức" in cell or "loại" in cell:
        return "kind"
    if "chủ đề" in cell or "chuyên đề" in cell or "nội dung" in cell:
        return "topic"
    if "đảng bộ" in cell or "thuộc" in cell:
        return "parent"
    if "chi bộ" in cell or "đơn vị" in cell:
        return "host"
    return None


def _row_session(
    row: list[str], columns: dict[int, Column], hint: KindFound | None
) -> SessionDraft | None:
    cells = {name: row[index].strip() for index, name in columns.items() if index < len(row)}
    host_cell = cells.get("host", "")
    host = find_host(host_cell) or (host_cell or None)
    parent = find_parent(host_cell) or cells.get("parent") or None
    if parent and host_cell and parent in host_cell and host == host_cell:
        host = _BELONGS.split(host_cell, maxsplit=1)[0].strip(" ,") or None
    starts_at, month = find_start([cells.get("time", "")])
    if not host and not starts_at and not month:
        return None
    kind_found = (
        detect_kind(cells.get("kind", ""))
        or _plain_kind(cells.get("kind", ""))
        or detect_kind(cells.get("topic", ""))
        or _plain_kind(cells.get("topic", ""))
        or detect_kind(" ".join(row))
        or hint
    )
    kind: SessionKind = session_kind(kind_found) or "thuong_ky"
    venue_cell = cells.get("venue", "")
    venue = find_venue(f"Địa điểm: {venue_cell}") if venue_cell else None
    address = cells.get("address") or (find_address(venue_cell) if venue_cell else None)
    topic = None
    if kind != "thuong_ky":
        topic_cell = cells.get("topic", "")
        topic = (
            find_topic(topic_cell)
            or find_topic(cells.get("kind", ""))
            or (
                topic_cell.strip("“”\"' ")
                if topic_cell and detect_kind(topic_cell) is None
                else None
            )
        )
    return SessionDraft(
        kind=kind,
        topic=topic or None,
        host=host,
        host_parent=parent,
        starts_at=starts_at,
        month=month,
        venue=venue,
        address=address or None,
    )


def _plain_kind(cell: str) -> KindFound | None:
    """Kind cells often hold just "Thường kỳ" / "Chuyên đề" / "Hội thảo"."""
    lowered = cell.lower()
    if "hội thảo" in lowered:
        return "hoi_thao"
    if "chuyên đề" in lowered:
        return "chuyen_de"
    if "thường kỳ" in lowered or "thường kì" in lowered:
        return "thuong_ky"
    return None
