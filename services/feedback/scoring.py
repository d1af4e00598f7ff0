"""Feedback values and how a session is scored (pure): levels, parts, criteria, weights and
thresholds."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from core.i18n import N_, Msgid

MAX_COMMENT = 2000
MAX_CRITERIA = 8
MAX_FEEDBACK_DAYS = 30
ATTENDANCE_KEY = "attendance"  # the weight of attendance, in `configure(weights=...)`
KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class Level(StrEnum):
    GOOD = "good"  # tốt
    FAIR = "fair"  # khá
    AVERAGE = "average"  # trung bình
    POOR = "poor"  # kém


# Ratings are stored as points: 4 tốt, 3 khá, 2 trung bình, 1 kém.
RATING_POINTS: dict[Level, int] = {Level.GOOD: 4, Level.FAIR: 3, Level.AVERAGE: 2, Level.POOR: 1}
POINT_LEVELS: dict[int, Level] = {v: k for k, v in RATING_POINTS.items()}
MAX_POINTS = 4
LEVELS_BEST_FIRST: tuple[Level, ...] = (Level.GOOD, Level.FAIR, Level.AVERAGE, Level.POOR)
LEVEL_LABELS: dict[Level, Msgid] = {
    Level.GOOD: N_("Good"),
    Level.FAIR: N_("Fair"),
    Level.AVERAGE: N_("Average"),
    Level.POOR: N_("Poor"),
}


class Part(StrEnum):
    """The three free-text parts, in the order they are asked."""

    WENT_WELL = "went_well"  # mặt làm được
    SHORTCOMINGS = "shortcomings"  # hạn chế
    PROPOSALS = "proposals"  # đề xuất, kiến nghị


PART_LABELS: dict[Part, Msgid] = {
    Part.WENT_WELL: N_("What went well"),
    Part.SHORTCOMINGS: N_("Shortcomings"),
    Part.PROPOSALS: N_("Proposals and recommendations"),
}


@dataclass(frozen=True, slots=True)
class Criterion:
    key: str
    label: str  # a catalog message id for the default criteria, else the plan's own wording
    weight: int
    default: bool = False  # the label is a catalog message id


DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("preparation", N_("Preparation"), 15, True),
    Criterion("procedure", N_("Procedure and chairing"), 15, True),
    Criterion("content", N_("Content of the session"), 15, True),
    Criterion("discussion", N_("Discussion and participation"), 15, True),
    Criterion("closing", N_("Conclusion and resolution"), 20, True),
)
DEFAULT_LABELS: dict[str, Msgid] = {c.key: Msgid(c.label) for c in DEFAULT_CRITERIA}
DEFAULT_ATTENDANCE_WEIGHT = 20
DEFAULT_THRESHOLDS = (90, 70, 50)  # Tốt from, Khá from, Trung bình from
DEFAULT_MIN_ATTENDANCE_PCT = 85
DEFAULT_MIN_MINUTES = 90
DEFAULT_FEEDBACK_DAYS = 3


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    """A plan's scoring and feedback settings (the defaults when it has none stored)."""

    plan_id: int
    criteria: tuple[Criterion, ...] = DEFAULT_CRITERIA
    attendance_weight: int = DEFAULT_ATTENDANCE_WEIGHT
    good_from: int = DEFAULT_THRESHOLDS[0]
    fair_from: int = DEFAULT_THRESHOLDS[1]
    average_from: int = DEFAULT_THRESHOLDS[2]
    min_attendance_pct: int = DEFAULT_MIN_ATTENDANCE_PCT
    min_minutes: int = DEFAULT_MIN_MINUTES
    feedback_days: int = DEFAULT_FEEDBACK_DAYS
    show_names: bool = False
    stored: bool = False  # False: the defaults (no row yet)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)

    @property
    def criteria_weight(self) -> int:
        return sum(c.weight for c in self.criteria)


@dataclass(frozen=True, slots=True)
class Score:
    """A score out of 100 and its level. `attendance_ok` None: nobody was invited, so
    attendance was left out; `capped`: the score alone would have been Tốt."""

    points: float  # rounded to one decimal
    level: Level
    criteria_points: float
    attendance_points: float | None
    attendance_ok: bool | None
    duration_ok: bool
    capped: bool


# --------------------------------------------------------------------------- scoring (pure)


def level_for(points: float, config: ScoringConfig) -> Level:
    if points >= config.good_from:
        return Level.GOOD
    if points >= config.fair_from:
        return Level.FAIR
    if points >= config.average_from:
        return Level.AVERAGE
    return Level.POOR


def compute_score(
    config: ScoringConfig,
    averages: Mapping[str, float | None],
    attendance_rate: float | None,
    duration_minutes: int,
) -> Score | None:
    """The score of a session from the average rating (1–4) of each criterion, the attendance
    rate (0–1, None when nobody was invited) and its duration. None when nothing was rated."""
    rated = [(c, averages.get(c.key)) for c in config.criteria]
    rated_pairs = [(c, avg) for c, avg in rated if avg is not None]
    if not rated_pairs:
        return None
    rated_weight = sum(c.weight for c, _ in rated_pairs)
    earned = sum(c.weight * avg / MAX_POINTS for c, avg in rated_pairs)
    criteria_points = earned * config.criteria_weight / rated_weight if rated_weight else 0.0
    attendance_points: float | None = None
    attendance_ok: bool | None = None
    if attendance_rate is not None:
        target = config.min_attendance_pct / 100
        fraction = min(1.0, attendance_rate / target) if target > 0 else 1.0
        attendance_points = config.attendance_weight * fraction
        attendance_ok = attendance_rate * 100 > config.min_attendance_pct or target <= 0
        total = criteria_points + attendance_points
    else:
        # Nobody was invited: the criteria stand for the whole score.
        full = config.criteria_weight + config.attendance_weight
        total = criteria_points * full / config.criteria_weight if config.criteria_weight else 0.0
    points = round(total, 1)
    level = level_for(points, config)
    duration_ok = duration_minutes >= config.min_minutes
    capped = False
    if level == Level.GOOD and (attendance_ok is False or not duration_ok):
        level, capped = Level.FAIR, True
    return Score(
        points=points,
        level=level,
        criteria_points=round(criteria_points, 1),
        attendance_points=round(attendance_points, 1) if attendance_points is not None else None,
        attendance_ok=attendance_ok,
        duration_ok=duration_ok,
        capped=capped,
    )


def averages_from_counts(counts: Mapping[str, Mapping[int, int]]) -> dict[str, float | None]:
    """{criterion: {points: how many}} → {criterion: average points, or None}."""
    out: dict[str, float | None] = {}
    for key, by_value in counts.items():
        n = sum(by_value.values())
        out[key] = sum(v * k for k, v in by_value.items()) / n if n else None
    return out


def criterion_label(criterion: Criterion) -> str:
    """The label as stored (a catalog message id for the default criteria)."""
    return Msgid(criterion.label) if criterion.default else criterion.label
