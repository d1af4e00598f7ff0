"""A second look at the sessions read section by section.

- One session described in two places (its host and kind in "1. Chọn đơn vị", its time and
  venue in "2. Thời gian, địa điểm") is one session: parts naming the same host are merged
  when nothing they say conflicts.
- A thematic session or workshop whose topic is written only in the plan's title takes it.
- A venue written with its address but without "địa chỉ:" is split at the first
  administrative division ("…, thành phố Y, tỉnh Z").
"""

from __future__ import annotations

import unicodedata

from .fields import detect_kind, find_topic, split_venue
from .model import SessionDraft

_MERGED_FIELDS = ("topic", "host_parent", "starts_at", "month", "venue", "address")


def refine_sessions(sessions: list[SessionDraft], title: str | None) -> list[SessionDraft]:
    merged = _merge_same_host(sessions)
    _topic_from_title(merged, title)
    for session in merged:
        if session.venue and session.address is None:
            session.venue, session.address = split_venue(session.venue)
    return merged


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _merge_same_host(sessions: list[SessionDraft]) -> list[SessionDraft]:
    kept: list[SessionDraft] = []
    for session in sessions:
        twin = next((other for other in kept if _compatible(other, session)), None)
        if twin is None:
            kept.append(session)
            continue
        for name in _MERGED_FIELDS:
            if getattr(twin, name) is None:
                setattr(twin, name, getattr(session, name))
        if twin.starts_at is not None:
            twin.month = None
    return kept


def _compatible(a: SessionDraft, b: SessionDraft) -> bool:
    if not a.host or not b.host or _key(a.host) != _key(b.host) or a.kind != b.kind:
        return False
    for name in _MERGED_FIELDS:
        left, right = getattr(a, name), getattr(b, name)
        if left is not None and right is not None and left != right:
            return False
    if a.starts_at is not None and b.month is not None:
        return f"{a.starts_at:%Y-%m}" == b.month
    if b.starts_at is not None and a.month is not None:
        return f"{b.starts_at:%Y-%m}" == a.month
    return True


def _topic_from_title(sessions: list[SessionDraft], title: str | None) -> None:
    """The one session of the title's kind takes the topic quoted in the title."""
    if not title:
        return
    kind = detect_kind(title)
    if kind not in ("chuyen_de", "hoi_thao"):
        return
    same_kind = [session for session in sessions if session.kind == kind]
    if len(same_kind) == 1 and same_kind[0].topic is None:
        topic = find_topic(title)
        if topic:
            same_kind[0].topic = topic
