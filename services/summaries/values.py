"""What a summary holds: turnout, ratings, comments, compliance (plain values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services.feedback import (
    Level,
    Part,
    Score,
    ScoringConfig,
)
from storage.models import (
    SessionKind,
    SessionStatus,
)

MAX_TEXT = 4000  # a Telegram message holds 4096 characters
MAX_COMMENT_SHOWN = 400  # characters of one comment in a chat summary (the exports hold all)
CHART_SESSIONS = 40  # the attendance chart shows at most this many sessions (the latest)


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Turnout:
    """Who came. `present`, `late` and the absences count invitees; guests (checked in
    without an invitation) are counted apart and left out of the rate."""

    invited: int = 0
    present: int = 0
    late: int = 0
    absent_with_reason: int = 0  # declined (a reason is required to decline) and did not come
    absent_without_reason: int = 0  # did not answer or said they would come, and did not
    guests: int = 0

    @property
    def absent(self) -> int:
        return self.absent_with_reason + self.absent_without_reason

    @property
    def rate(self) -> float | None:
        return self.present / self.invited if self.invited else None

    def __add__(self, other: Turnout) -> Turnout:
        return Turnout(
            self.invited + other.invited,
            self.present + other.present,
            self.late + other.late,
            self.absent_with_reason + other.absent_with_reason,
            self.absent_without_reason + other.absent_without_reason,
            self.guests + other.guests,
        )


@dataclass(frozen=True, slots=True)
class CategoryTurnout:
    label: str | None  # None: invitations whose category was deleted
    turnout: Turnout


@dataclass(frozen=True, slots=True)
class CriterionRatings:
    key: str
    label: str  # a catalog message id when `default`
    weight: int
    default: bool
    counts: dict[int, int]  # points (1–4) → how many delegates chose it

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def average(self) -> float | None:
        n = self.total
        return sum(k * v for k, v in self.counts.items()) / n if n else None


@dataclass(frozen=True, slots=True)
class Comment:
    name: str | None  # None when the plan anonymises comments
    text: str


@dataclass(frozen=True, slots=True)
class SessionSummary:
    session_id: int
    plan_id: int
    plan_number: str
    plan_title: str
    plan_issued_on: date | None
    plan_place: str
    issuer: str
    issuer_parent: str | None
    host: str
    kind: SessionKind
    topic: str | None
    starts_at: datetime | None
    duration_minutes: int
    status: SessionStatus
    turnout: Turnout
    categories: list[CategoryTurnout]
    feedback_count: int
    criteria: list[CriterionRatings]
    overall: dict[int, int]  # the delegates' own overall level: points → how many
    score: Score | None
    comments: dict[Part, list[Comment]]
    config: ScoringConfig
    closes_at: datetime | None
    closed: bool  # feedback has closed


@dataclass(frozen=True, slots=True)
class SessionLine:
    session_id: int
    host: str
    kind: SessionKind
    starts_at: datetime
    status: SessionStatus
    duration_minutes: int
    turnout: Turnout
    feedback_count: int
    score: Score | None


@dataclass(frozen=True, slots=True)
class UnitCompliance:
    unit_id: int
    unit_name: str
    on_time: int = 0
    late: int = 0  # delivered after the deadline
    missing: int = 0  # deadline passed, nothing delivered
    pending: int = 0  # not delivered, deadline still ahead


@dataclass(frozen=True, slots=True)
class PlanSummary:
    plan_id: int
    number: str
    title: str
    issuer: str
    statuses: dict[SessionStatus, int]
    compliance: list[UnitCompliance]
    turnout: Turnout  # over the sessions that have started
    lines: list[SessionLine]  # sessions that have started (not cancelled), by start
    feedback_count: int
    criteria: list[CriterionRatings]
    overall: dict[int, int]
    average_score: float | None  # mean of the sessions' scores
    levels: dict[Level, int]  # sessions per level
    config: ScoringConfig
    generated_at: datetime
