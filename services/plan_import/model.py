"""The draft a plan import produces: plain dataclasses plus their JSON shape.

A draft is what was read off the text, nothing more: anything the plan does not say stays
`None` or empty, so the person reviewing it sees the gaps instead of invented values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal, get_args

SessionKind = Literal["thuong_ky", "chuyen_de", "hoi_thao"]
SESSION_KINDS: tuple[str, ...] = get_args(SessionKind)

# Vietnam has kept UTC+07:00 without daylight saving since 1975; a fixed offset keeps the
# output independent of the tz database installed on the host.
VIETNAM_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


@dataclass(slots=True)
class SessionDraft:
    """One model session (or workshop) the plan schedules."""

    kind: SessionKind
    topic: str | None = None
    host: str | None = None
    host_parent: str | None = None
    starts_at: datetime | None = None
    month: str | None = None  # "YYYY-MM" when only the month is known
    venue: str | None = None
    address: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "topic": self.topic,
            "host": self.host,
            "host_parent": self.host_parent,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "month": self.month,
            "venue": self.venue,
            "address": self.address,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SessionDraft:
        kind = data.get("kind")
        if kind not in SESSION_KINDS:
            raise ValueError(f"unknown session kind: {kind!r}")
        starts_at = data.get("starts_at")
        return cls(
            kind=kind,
            topic=data.get("topic"),
            host=data.get("host"),
            host_parent=data.get("host_parent"),
            starts_at=datetime.fromisoformat(starts_at) if starts_at else None,
            month=data.get("month"),
            venue=data.get("venue"),
            address=data.get("address"),
        )


@dataclass(slots=True)
class DeadlineDraft:
    """Something the plan requires by a given day."""

    due: date
    what: str

    def to_json(self) -> dict[str, Any]:
        return {"due": self.due.isoformat(), "what": self.what}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DeadlineDraft:
        return cls(due=date.fromisoformat(data["due"]), what=str(data.get("what") or ""))


@dataclass(slots=True)
class PlanDraft:
    """Everything extracted from one KẾ HOẠCH document."""

    number: str | None = None
    issued_on: date | None = None
    place: str | None = None
    issuer: str | None = None
    title: str | None = None
    legal_bases: list[str] = field(default_factory=list)
    sessions: list[SessionDraft] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    deadlines: list[DeadlineDraft] = field(default_factory=list)
    # Who "ban hành / xây dựng kế hoạch" in the opening sentence (to match the issuing unit;
    # not part of the JSON shape).
    issuer_clause: str | None = None

    def is_empty(self) -> bool:
        """True when nothing at all was recognised (the text is probably not a plan)."""
        return not (
            self.number
            or self.issued_on
            or self.issuer
            or self.title
            or self.legal_bases
            or self.sessions
            or self.participants
            or self.deadlines
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "place": self.place,
            "issuer": self.issuer,
            "title": self.title,
            "legal_bases": list(self.legal_bases),
            "sessions": [session.to_json() for session in self.sessions],
            "participants": list(self.participants),
            "deadlines": [deadline.to_json() for deadline in self.deadlines],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanDraft:
        """Inverse of `to_json` (for drafts kept between chat steps)."""
        issued_on = data.get("issued_on")
        return cls(
            number=data.get("number"),
            issued_on=date.fromisoformat(issued_on) if issued_on else None,
            place=data.get("place"),
            issuer=data.get("issuer"),
            title=data.get("title"),
            legal_bases=[str(item) for item in data.get("legal_bases") or []],
            sessions=[SessionDraft.from_json(item) for item in data.get("sessions") or []],
            participants=[str(item) for item in data.get("participants") or []],
            deadlines=[DeadlineDraft.from_json(item) for item in data.get("deadlines") or []],
        )
