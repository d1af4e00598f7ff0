"""Find the model sessions a plan schedules.

A session is announced by an *anchor*: a block that names a kind of session ("sinh hoạt chi
bộ thường kỳ/chuyên đề mẫu", "hội thảo"). Its facts (host chi bộ, time, venue...) are read
from the *chunk* around the anchor: the anchor's own numbered section, or the numbered
section a bullet anchor sits in. A chunk naming several chi bộ is split per chi bộ; a chunk
with a table of sessions is read row by row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import accumulate

from .blocks import RANK_LETTER, Block
from .clauses import split_by_hosts
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
from .model import SessionDraft
from .outline import Outline, build_outline
from .refine import refine_sessions
from .tables import table_sessions
from .vocab import CASCADE

_FIELD_LABEL = re.compile(
    r"^(?:thời gian|địa điểm|địa chỉ|chủ đề|chuyên đề|tên chuyên đề|nội dung|chủ trì|tại"
    r"|đơn vị thực hiện|chi bộ thực hiện|hình thức)\b",
    re.IGNORECASE,
)

_TIME_LINE = re.compile(r"^thời gian(?:\s+(?:tổ chức|dự kiến|sinh hoạt))?\s*:", re.IGNORECASE)
_VENUE_LINE = re.compile(r"^địa điểm(?:\s+(?:tổ chức|dự kiến|sinh hoạt))?\s*:", re.IGNORECASE)
_FACTS_HEADING = re.compile(r"^(?:thời gian|địa điểm)", re.IGNORECASE)
_TOPIC_HEADING = re.compile(r"^(?:tên\s+)?(?:chuyên đề|chủ đề|nội dung chuyên đề)\b", re.IGNORECASE)


class _Finder:
    """Shared, precomputed state of one search (kinds and outline are computed once)."""

    def __init__(self, blocks: Sequence[Block], start: int, end: int, skip: Sequence[bool]) -> None:
        self.blocks = blocks
        self.start = start
        self.end = end
        self.skip = skip
        self.outline: Outline = build_outline(blocks)
        self.kinds: list[KindFound | None] = [
            None if block.is_table or not start <= i < end else detect_kind(block.text)
            for i, block in enumerate(blocks)
        ]
        numbered_anchor = [
            int(block.numbered and self.kinds[i] is not None and not skip[i])
            for i, block in enumerate(blocks)
        ]
        self._anchors_before = [0, *accumulate(numbered_anchor)]

    def numbered_anchors(self, first: int, last: int) -> int:
        """How many numbered anchors lie in blocks[first:last]."""
        return self._anchors_before[last] - self._anchors_before[first]

    def scope_end(self, head: int) -> int:
        return min(self.outline.scope_end[head], self.end)

    def inside(self, index: int | None) -> int | None:
        return index if index is not None and index >= self.start else None

    def ancestor_kind(self, index: int) -> KindFound | None:
        """The kind named by the nearest enclosing heading that names one."""
        parent = self.inside(self.outline.parent[index])
        while parent is not None:
            kind = self.kinds[parent]
            if kind is not None:
                return kind
            parent = self.inside(self.outline.parent[parent])
        return None

    def chunk(self, first: int, last: int) -> list[int]:
        return [i for i in range(first, last) if not self.skip[i]]


def find_sessions(
    blocks: Sequence[Block],
    start: int,
    end: int,
    skip: Sequence[bool],
    title: str | None = None,
    issuer_clause: str | None = None,
) -> list[SessionDraft]:
    """Sessions announced in blocks[start:end]; `skip[i]` hides blocks (purpose, participants).

    `title` and `issuer_clause` (who "xây dựng kế hoạch" in the preamble) give what a plan for
    one session states only once: its kind and topic in the title, a chi bộ as its own host."""
    finder = _Finder(blocks, start, end, skip)
    sessions: list[SessionDraft] = []
    consumed = [False] * len(blocks)
    for index in range(start, end):
        if consumed[index] or skip[index] or finder.kinds[index] is None:
            continue
        block = blocks[index]
        head = index if block.numbered else finder.inside(finder.outline.section[index])
        if head is None:
            head, chunk_end = index, _own_scope_end(finder, index)
        else:
            chunk_end = finder.scope_end(head)
        if finder.numbered_anchors(head + 1, chunk_end):
            continue  # a container of numbered sessions: each is read on its own
        found = _chunk_sessions(blocks, finder.chunk(head, chunk_end), finder.ancestor_kind(head))
        if not found and blocks[head].numbered:
            widened = _sibling_facts_section(finder, head)
            if widened is not None:
                head, chunk_end = widened
                found = _chunk_sessions(blocks, finder.chunk(head, chunk_end), finder.kinds[index])
        sessions.extend(found)
        for i in range(head, chunk_end):
            consumed[i] = True
    for index in range(start, end):
        rows = blocks[index].rows
        if rows is not None and not consumed[index] and not skip[index]:
            sessions.extend(table_sessions(rows, finder.ancestor_kind(index)))
    sessions = refine_sessions(_unique(sessions), title)
    if not sessions:
        sessions = _implied_session(finder, title, issuer_clause)
    if len(sessions) == 1:
        _fill_from_facts_elsewhere(finder, sessions[0])
    elif sessions:
        _shared_venue(finder, sessions, consumed)
    return refine_sessions(sessions, title)


def _implied_session(
    finder: _Finder, title: str | None, issuer_clause: str | None
) -> list[SessionDraft]:
    """A plan for one session may name its kind only in the title and list its facts as
    "1. Đơn vị thực hiện: …", "2. Thời gian: …", "3. Địa điểm: …"."""
    kind = session_kind(detect_kind(title or ""))
    if kind is None:
        return []
    texts = [
        finder.blocks[i].text
        for i in range(finder.start, finder.end)
        if not finder.skip[i] and not finder.blocks[i].is_table
    ]
    host = _first(find_host, texts)
    if host is None and issuer_clause and issuer_clause.lower().startswith("chi bộ "):
        host = "Chi bộ " + issuer_clause[len("chi bộ ") :]
    session = SessionDraft(kind=kind, host=host, host_parent=_first(find_parent, texts))
    _fill_from_facts_elsewhere(finder, session)
    if kind != "thuong_ky":
        session.topic = _labelled_topic(finder)
    if not (session.host and (session.starts_at or session.month or session.venue)):
        return []
    return [session]


def _labelled_topic(finder: _Finder) -> str | None:
    """The topic written under its own heading ("1. Tên chuyên đề" / next paragraph)."""
    for index in range(finder.start, finder.end - 1):
        block = finder.blocks[index]
        if block.numbered and _TOPIC_HEADING.match(block.text):
            inline = find_topic(block.text)
            if inline:
                return inline
            following = finder.blocks[index + 1]
            if following.rank is None:
                topic = following.text.strip(" .“”\"'")
                return topic or None
    return None


def _shared_venue(finder: _Finder, sessions: list[SessionDraft], consumed: list[bool]) -> None:
    """ "Địa điểm: cả hai buổi đều tổ chức tại X": one venue line outside every session's part
    is the venue of each session that has none."""
    venues = {
        (venue, find_address(block.text))
        for index in range(finder.start, finder.end)
        if not consumed[index]
        and not finder.skip[index]
        and _VENUE_LINE.match((block := finder.blocks[index]).text)
        and (venue := find_venue(block.text))
    }
    if len(venues) != 1:
        return
    ((venue, address),) = venues
    for session in sessions:
        if session.venue is None:
            session.venue, session.address = venue, address


def _fill_from_facts_elsewhere(finder: _Finder, session: SessionDraft) -> None:
    """A plan with one session may give its time and venue in a section of their own
    ("III. THỜI GIAN, ĐỊA ĐIỂM"); fill only what the session itself left empty."""
    if (session.starts_at or session.month) and session.venue:
        return
    times: list[str] = []
    venues: list[str] = []
    for index in range(finder.start, finder.end):
        block = finder.blocks[index]
        if finder.skip[index] or block.is_table:
            continue
        parent = finder.inside(finder.outline.parent[index])
        heading = finder.blocks[parent].text.lower() if parent is not None else ""
        under_facts = _FACTS_HEADING.match(heading) is not None
        if under_facts and block.rank is None and "," not in heading[:20]:
            # "3. Địa điểm" / "Nhà văn hóa thôn A." — the heading is the paragraph's label.
            label = "Địa điểm: " if heading.startswith("địa điểm") else ""
            (venues if label else times).append(label + block.text)
            continue
        own_label = block.numbered and _FACTS_HEADING.match(block.text)
        if under_facts or own_label or _TIME_LINE.match(block.text):
            times.append(block.text)
        if under_facts or _VENUE_LINE.match(block.text):
            venues.append(block.text)
    if session.starts_at is None and session.month is None:
        session.starts_at, session.month = find_start(times)
    if session.venue is None:
        session.venue = _first(find_venue, venues)
        if session.venue is not None and session.address is None:
            session.address = _first(find_address, venues)


def _sibling_facts_section(finder: _Finder, head: int) -> tuple[int, int] | None:
    """For "1. Tên hội thảo: ...", "2. Thời gian: ...", "3. Địa điểm: ...": the facts are
    siblings of the anchor, so the whole enclosing section is read instead."""
    parent = finder.inside(finder.outline.parent[head])
    if parent is None or finder.skip[parent]:
        return None
    parent_end = finder.scope_end(parent)
    if finder.numbered_anchors(parent + 1, parent_end) != 1:
        return None
    rank = finder.blocks[head].rank
    siblings = (
        i
        for i in range(parent + 1, parent_end)
        if i != head and finder.blocks[i].rank == rank and finder.outline.parent[i] == parent
    )
    if not any(_FIELD_LABEL.match(finder.blocks[i].text) for i in siblings):
        return None
    return parent, parent_end


def _own_scope_end(finder: _Finder, anchor: int) -> int:
    """A paragraph or bullet anchor outside numbered sections: it, its sub-items, its labels."""
    blocks = finder.blocks
    rank = blocks[anchor].rank
    for index in range(anchor + 1, finder.end):
        block = blocks[index]
        if block.is_table:
            continue
        if block.rank is None:
            if _FIELD_LABEL.match(block.text):
                continue
            return index
        if rank is not None and block.rank <= rank:
            if _FIELD_LABEL.match(block.text) and finder.kinds[index] is None:
                continue
            return index
        if block.rank <= RANK_LETTER:
            return index
    return finder.end


def _chunk_sessions(
    blocks: Sequence[Block], chunk: list[int], hint: KindFound | None
) -> list[SessionDraft]:
    if not chunk:
        return []
    head_kind = detect_kind(blocks[chunk[0]].text) or hint
    tables = [rows for i in chunk if (rows := blocks[i].rows) is not None]
    from_tables = [session for rows in tables for session in table_sessions(rows, head_kind)]
    if from_tables:
        return from_tables
    texts = [piece for i in chunk for piece in split_by_hosts(blocks[i].text)]
    parts = _split_by_host(texts)
    shared = texts[: parts[0][0]] if parts else []
    head_topic = _topic_for(texts[0], head_kind)
    sessions = []
    for first, last in parts or [(0, len(texts))]:
        session = _session(texts[first:last], shared, head_kind, head_topic)
        if session is not None:
            sessions.append(session)
    return sessions


def _split_by_host(texts: list[str]) -> list[tuple[int, int]]:
    """(start, end) of per-host parts when the chunk names two or more different chi bộ."""
    starts = [(i, host) for i, text in enumerate(texts) if (host := find_host(text))]
    if len({host for _, host in starts}) < 2:
        return []
    bounds = [i for i, _ in starts]
    return list(zip(bounds, [*bounds[1:], len(texts)], strict=True))


def _session(
    part: list[str], shared: list[str], head_kind: KindFound | None, head_topic: str | None
) -> SessionDraft | None:
    texts = part + shared
    kind_found = detect_kind("\n".join(part)) or head_kind
    host = _first(find_host, part)
    starts_at, month = find_start(part)
    if starts_at is None and month is None:
        starts_at, month = find_start(shared)
    venue = _first(find_venue, texts)
    if not (host or starts_at or month or venue):
        return None
    kind = session_kind(kind_found)
    if kind is None:
        # "sinh hoạt chi bộ mẫu" without a kind: a regular meeting, if it is a concrete one.
        if not (host and (starts_at or month)):
            return None
        kind = "thuong_ky"
    if host is None and kind != "hoi_thao" and CASCADE.search(part[0]):
        return None  # an instruction to many units, not one session
    topic = None
    if kind != "thuong_ky":
        topic = _topic_for("\n".join(part), kind) or (head_topic if kind == head_kind else None)
    return SessionDraft(
        kind=kind,
        topic=topic,
        host=host,
        host_parent=_first(find_parent, part),
        starts_at=starts_at,
        month=month,
        venue=venue,
        address=_first(find_address, texts),
    )


def _topic_for(text: str, kind: KindFound | None) -> str | None:
    return find_topic(text) if kind in ("chuyen_de", "hoi_thao") else None


def _first(finder: Callable[[str], str | None], texts: list[str]) -> str | None:
    for text in texts:
        value = finder(text)
        if value:
            return value
    return None


def _unique(sessions: list[SessionDraft]) -> list[SessionDraft]:
    seen: set[tuple[object, ...]] = set()
    unique = []
    for session in sessions:
        key = tuple(session.to_json().values())
        if key not in seen:
            seen.add(key)
            unique.append(session)
    return unique
