"""Delegates' feedback (góp ý) on a model session they attended, and how a session is scored.

Who and when: only people who checked in (a `CheckIn` row) give feedback, from their check-in
until feedback closes: `feedback_days` (per plan, 3 by default) after the session's end
(start + duration). Until then a delegate may give it again: the ratings are replaced and the
three texts can be changed one by one.

What: a rating per criterion and an overall level, each stored as points (1 kém, 2 trung
bình, 3 khá, 4 tốt), and three free texts: mặt làm được, hạn chế, đề xuất (each may be left
empty).

Scoring (per plan, `PlanFeedbackConfig`; defaults after the provincial guidance under
Hướng dẫn 12-HD/BTCTW, which scores a meeting out of 100 — preparation 15, attendance 20,
conduct 45, closing 20 — with Tốt ≥ 90, Khá 70–89, Trung bình 50–69, Kém < 50, and expects
more than 85% attendance and at least 90 minutes):

* each rated criterion earns `weight × average rating / 4` (tốt = full weight, khá = 3/4,
  trung bình = 1/2, kém = 1/4: a session rated "khá" throughout, with the expected attendance,
  scores 75 + …, i.e. lands in the Khá band); criteria nobody rated share their weight with
  the others;
* attendance (from the roll: invitees who checked in / invitees) earns the attendance weight
  in full from the expected rate on, proportionally below it;
* the level follows the thresholds, except that a session with attendance not above the
  expected rate, or shorter than the minimum duration, is at best Khá (`capped`).

The default criteria split "conduct" (45) into procedure and chairing, content, discussion
(15 each) and call "closing" the conclusion and resolution (20).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from core.i18n import N_, Msgid
from services.context import Ctx
from services.errors import Conflict, InvalidInput, PermissionDenied
from services.notifications import Outcome
from services.plans import can_manage_plan, get_plan, require_plan_manager
from services.sessions import get_session
from services.validation import check_label, clean_lines
from storage.models import (
    CheckIn,
    Feedback,
    FeedbackRating,
    Invitation,
    ModelSession,
    Person,
    Plan,
    PlanFeedbackConfig,
    SessionStatus,
)

MAX_COMMENT = 2000
MAX_CRITERIA = 8
MAX_FEEDBACK_DAYS = 30
ATTENDANCE_KEY = "attendance"  # the weight of attendance, in `configure(weights=...)`
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


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


# --------------------------------------------------------------------------- configuration


def _from_row(row: PlanFeedbackConfig) -> ScoringConfig:
    criteria = tuple(
        Criterion(
            key=str(item["key"]),
            label=str(item.get("label") or DEFAULT_LABELS.get(str(item["key"]), item["key"])),
            weight=int(item["weight"]),
            default=not item.get("label") and str(item["key"]) in DEFAULT_LABELS,
        )
        for item in row.criteria
    )
    return ScoringConfig(
        plan_id=row.plan_id,
        criteria=criteria,
        attendance_weight=row.attendance_weight,
        good_from=row.good_from,
        fair_from=row.fair_from,
        average_from=row.average_from,
        min_attendance_pct=row.min_attendance_pct,
        min_minutes=row.min_minutes,
        feedback_days=row.feedback_days,
        show_names=row.show_names,
        stored=True,
    )


async def _config_row(ctx: Ctx, plan_id: int) -> PlanFeedbackConfig | None:
    result = await ctx.session.exec(
        select(PlanFeedbackConfig).where(PlanFeedbackConfig.plan_id == plan_id)
    )
    return result.first()


async def config_for(ctx: Ctx, plan_id: int) -> ScoringConfig:
    """The plan's settings, or the defaults."""
    row = await _config_row(ctx, plan_id)
    return _from_row(row) if row is not None else ScoringConfig(plan_id=plan_id)


def _criteria_json(criteria: Sequence[Criterion]) -> list[dict[str, Any]]:
    return [
        {"key": c.key, "label": "" if c.default else c.label, "weight": c.weight} for c in criteria
    ]


def _check_weight(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise InvalidInput(N_("Each weight must be a whole number from 0 to 100."))
    return value


def _check_criteria(criteria: Sequence[Criterion | tuple[str, str, int]]) -> tuple[Criterion, ...]:
    out: list[Criterion] = []
    for item in criteria:
        key, label, weight = (
            (item.key, item.label, item.weight) if isinstance(item, Criterion) else item
        )
        if not _KEY.match(key or "") or key == ATTENDANCE_KEY:
            raise InvalidInput(
                N_("“{key}” cannot name a criterion. Please use short latin words, like content."),
                key=key,
            )
        default = key in DEFAULT_LABELS and (not label or label == DEFAULT_LABELS[key])
        clean = (
            DEFAULT_LABELS[key]
            if default
            else check_label(label, max_length=120, what=N_("criterion name"))
        )
        out.append(Criterion(key, clean, _check_weight(weight), default))
    if not 1 <= len(out) <= MAX_CRITERIA:
        raise InvalidInput(
            N_("Please give from 1 to {limit} criteria to rate."), limit=MAX_CRITERIA
        )
    if len({c.key for c in out}) != len(out):
        raise InvalidInput(N_("Each criterion can appear only once."))
    return tuple(out)


def parse_numbers(text: str | None, count: int) -> list[int]:
    """Whole numbers typed by a user ("15 20 15, 15 15 20"), exactly `count` of them."""
    found = re.findall(r"-?\d+", text or "")
    if len(found) != count or re.search(r"\d[.,]\d", text or ""):
        raise InvalidInput(
            N_("Please type exactly {count} whole numbers, separated by spaces."), count=count
        )
    return [int(n) for n in found]


async def _plan_has_feedback(ctx: Ctx, plan_id: int) -> bool:
    result = await ctx.session.exec(
        select(Feedback.id)
        .join(ModelSession, col(ModelSession.id) == Feedback.session_id)
        .where(ModelSession.plan_id == plan_id)
        .limit(1)
    )
    return result.first() is not None


async def configure(
    ctx: Ctx,
    actor: Person | None,
    plan_id: int,
    *,
    criteria: Sequence[Criterion | tuple[str, str, int]] | None = None,
    weights: Mapping[str, int] | None = None,
    thresholds: tuple[int, int, int] | None = None,
    min_attendance_pct: int | None = None,
    min_minutes: int | None = None,
    feedback_days: int | None = None,
    show_names: bool | None = None,
    reset_scoring: bool = False,
) -> ScoringConfig:
    """Change a plan's scoring and feedback settings (None leaves a setting as it is).
    Organisers of the issuing unit or of a unit above it.

    `weights` maps criterion keys (and "attendance") to new weights; criteria weights and the
    attendance weight must add up to 100. The list of criteria cannot change once someone
    has given feedback in the plan (their ratings would no longer fit). `reset_scoring` puts
    the criteria, weights and thresholds back to the defaults first."""
    plan = await get_plan(ctx, plan_id)
    await require_plan_manager(ctx, actor, plan)
    current = await config_for(ctx, plan_id)
    base = ScoringConfig(plan_id=plan_id) if reset_scoring else current
    new_criteria = base.criteria if criteria is None else _check_criteria(criteria)
    attendance_weight = base.attendance_weight
    if weights is not None:
        by_key = {c.key: c for c in new_criteria}
        unknown = [k for k in weights if k not in by_key and k != ATTENDANCE_KEY]
        if unknown:
            raise InvalidInput(N_("There is no criterion “{key}” in this plan."), key=unknown[0])
        new_criteria = tuple(
            Criterion(c.key, c.label, _check_weight(weights.get(c.key, c.weight)), c.default)
            for c in new_criteria
        )
        attendance_weight = _check_weight(weights.get(ATTENDANCE_KEY, attendance_weight))
    total = sum(c.weight for c in new_criteria) + attendance_weight
    if total != 100:
        raise InvalidInput(
            N_("The weights add up to {total}. Please make them add up to 100."), total=total
        )
    if not any(c.weight for c in new_criteria):
        raise InvalidInput(N_("At least one criterion must have a weight above 0."))
    good, fair, average = thresholds or (base.good_from, base.fair_from, base.average_from)
    if not 0 < average < fair < good <= 100:
        raise InvalidInput(
            N_(
                "The thresholds must go down from Good to Average, between 1 and 100, for "
                "example: 90 70 50."
            )
        )
    if tuple(c.key for c in new_criteria) != current.keys and await _plan_has_feedback(
        ctx, plan_id
    ):
        raise Conflict(
            N_(
                "Delegates have already rated sessions of this plan, so its criteria can no "
                "longer change. The weights and thresholds still can."
            )
        )
    pct = current.min_attendance_pct if min_attendance_pct is None else min_attendance_pct
    minutes = current.min_minutes if min_minutes is None else min_minutes
    days = current.feedback_days if feedback_days is None else feedback_days
    if not 0 <= pct <= 100:
        raise InvalidInput(N_("The expected attendance must be from 0 to 100 percent."))
    if not 0 <= minutes <= 600:
        raise InvalidInput(N_("The minimum duration must be from 0 to 600 minutes."))
    if not 1 <= days <= MAX_FEEDBACK_DAYS:
        raise InvalidInput(
            N_("Feedback can stay open from 1 to {limit} days after a session."),
            limit=MAX_FEEDBACK_DAYS,
        )
    row = await _config_row(ctx, plan_id) or PlanFeedbackConfig(
        plan_id=plan_id, criteria=[], updated_at=ctx.clock.now()
    )
    row.criteria = _criteria_json(new_criteria)
    row.attendance_weight = attendance_weight
    row.good_from, row.fair_from, row.average_from = good, fair, average
    row.min_attendance_pct = pct
    row.min_minutes = minutes
    row.feedback_days = days
    if show_names is not None:
        row.show_names = show_names
    row.updated_by_id = actor.id if actor is not None else None
    row.updated_at = ctx.clock.now()
    ctx.session.add(row)
    await ctx.session.flush()
    if days != current.feedback_days:
        from services.reminders import replan_plan  # the closing time moved: re-plan

        await replan_plan(ctx, plan_id)
    return _from_row(row)


async def can_configure(ctx: Ctx, person: Person | None, plan: Plan) -> bool:
    """Whether the person may change the plan's settings (organisers of the issuer or above)."""
    return await can_manage_plan(ctx, person, plan)


# --------------------------------------------------------------------------- when


def session_end(session: ModelSession) -> datetime | None:
    if session.starts_at is None:
        return None
    return session.starts_at + timedelta(minutes=session.duration_minutes)


def closes_at_for(session: ModelSession, config: ScoringConfig) -> datetime | None:
    """When feedback on the session closes: `feedback_days` after its end."""
    end = session_end(session)
    return end + timedelta(days=config.feedback_days) if end is not None else None


async def closes_at(ctx: Ctx, session: ModelSession) -> datetime | None:
    """When feedback on the session closes (the plan's setting); None without a start time."""
    return closes_at_for(session, await config_for(ctx, session.plan_id))


# --------------------------------------------------------------------------- delegates


@dataclass(frozen=True, slots=True)
class Form:
    """What a delegate needs to give (or revise) feedback on a session."""

    session: ModelSession
    plan: Plan
    config: ScoringConfig
    closes_at: datetime
    feedback: Feedback | None  # given before (a revision)
    ratings: dict[str, int] = field(default_factory=dict)  # criterion → points, given before


@dataclass(frozen=True, slots=True)
class Attendance:
    invited: int
    present: int  # invitees who checked in (guests are not counted)

    @property
    def rate(self) -> float | None:
        return self.present / self.invited if self.invited else None


@dataclass(frozen=True, slots=True)
class Saved:
    feedback: Feedback
    revised: bool  # the delegate had rated this session before
    score: Score | None  # the delegate's own ratings with the session's attendance
    attendance: Attendance


async def _checkin_of(ctx: Ctx, session_id: int, person_id: int) -> CheckIn | None:
    result = await ctx.session.exec(
        select(CheckIn).where(CheckIn.session_id == session_id, CheckIn.person_id == person_id)
    )
    return result.first()


async def _feedback_of(ctx: Ctx, session_id: int, person_id: int) -> Feedback | None:
    result = await ctx.session.exec(
        select(Feedback).where(Feedback.session_id == session_id, Feedback.person_id == person_id)
    )
    return result.first()


async def _ratings_of(ctx: Ctx, feedback_id: int) -> dict[str, int]:
    result = await ctx.session.exec(
        select(FeedbackRating.criterion, FeedbackRating.value).where(
            FeedbackRating.feedback_id == feedback_id
        )
    )
    return {criterion: int(value) for criterion, value in result.all()}


_NOT_CHECKED_IN = N_(
    "Thank you for your interest. Only delegates who checked in at this session can give "
    "feedback on it. If you attended but did not check in, please ask the organisers to "
    "record your attendance."
)


async def _load(
    ctx: Ctx, actor: Person | None, session_id: int
) -> tuple[ModelSession, Plan, ScoringConfig, datetime]:
    """The session, once the actor may give feedback on it now."""
    session = await get_session(ctx, session_id)
    if actor is None or actor.id is None:
        raise PermissionDenied(_NOT_CHECKED_IN)
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(N_("This session has been cancelled, so there is no feedback to give."))
    if await _checkin_of(ctx, session_id, actor.id) is None:
        raise PermissionDenied(_NOT_CHECKED_IN)
    plan = await get_plan(ctx, session.plan_id)
    config = await config_for(ctx, plan.id)  # type: ignore[arg-type]
    closes = closes_at_for(session, config)
    if closes is None:  # a check-in needs a start time; kept for safety
        raise Conflict(N_("This session has no day and time yet, so it cannot be rated."))
    if ctx.clock.now() >= closes:
        raise Conflict(
            N_("Feedback on this session closed at {closes}. Thank you for your interest."),
            closes=closes,
        )
    return session, plan, config, closes


async def form(ctx: Ctx, actor: Person | None, session_id: int) -> Form:
    """The criteria to rate and what the delegate gave before (PermissionDenied for people
    who did not check in; Conflict once feedback has closed)."""
    session, plan, config, closes = await _load(ctx, actor, session_id)
    assert actor is not None and actor.id is not None
    feedback = await _feedback_of(ctx, session_id, actor.id)
    ratings = await _ratings_of(ctx, feedback.id) if feedback and feedback.id else {}
    return Form(session, plan, config, closes, feedback, ratings)


def _check_points(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in POINT_LEVELS:
        raise InvalidInput(N_("Please choose one of the levels on the buttons."))
    return value


async def attendance(ctx: Ctx, session_id: int) -> Attendance:
    """Invitees and invitees who checked in (two counts, one SQL query)."""
    result = await ctx.session.exec(
        select(func.count(col(Invitation.id)), func.count(col(CheckIn.id)))  # type: ignore[call-overload]
        .select_from(Invitation)
        .outerjoin(
            CheckIn,
            (col(CheckIn.session_id) == col(Invitation.session_id))
            & (col(CheckIn.person_id) == col(Invitation.person_id)),
        )
        .where(Invitation.session_id == session_id)
    )
    invited, present = result.one()
    return Attendance(int(invited), int(present))


async def save_ratings(
    ctx: Ctx,
    actor: Person | None,
    session_id: int,
    ratings: Mapping[str, int] | Sequence[int],
    overall: int,
) -> Outcome[Saved]:
    """Record (or replace) the delegate's ratings: one per criterion of the plan (points 1–4,
    by key or in the criteria's order) and the overall level. The texts are kept."""
    session, _plan, config, _closes = await _load(ctx, actor, session_id)
    assert actor is not None and actor.id is not None
    if isinstance(ratings, Mapping):
        given = dict(ratings)
    else:
        values = list(ratings)
        if len(values) != len(config.criteria):
            given = {}
        else:
            given = dict(zip(config.keys, values, strict=True))
    if set(given) != set(config.keys):
        raise InvalidInput(
            N_(
                "The rating form of this session has changed meanwhile. Please start the "
                "feedback again with /gopy."
            )
        )
    clean = {key: _check_points(value) for key, value in given.items()}
    overall_points = _check_points(overall)
    now = ctx.clock.now()
    existing = await _feedback_of(ctx, session_id, actor.id)
    revised = existing is not None
    if existing is None:
        bind = ctx.session.bind
        insert = (
            pg_insert if bind is not None and bind.dialect.name == "postgresql" else sqlite_insert
        )
        await ctx.session.exec(  # type: ignore[call-overload]
            insert(Feedback)
            .values(
                session_id=session_id,
                person_id=actor.id,
                overall=overall_points,
                revisions=0,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["session_id", "person_id"])
        )
        existing = await _feedback_of(ctx, session_id, actor.id)
        assert existing is not None
    else:
        existing.revisions += 1
    existing.overall = overall_points
    existing.updated_at = now
    ctx.session.add(existing)
    await ctx.session.flush()
    await ctx.session.exec(  # type: ignore[call-overload]
        delete(FeedbackRating)
        .where(col(FeedbackRating.feedback_id) == existing.id)
        .execution_options(synchronize_session=False)
    )
    for key in config.keys:
        ctx.session.add(
            FeedbackRating(
                feedback_id=existing.id,  # type: ignore[arg-type]
                session_id=session_id,
                criterion=key,
                value=clean[key],
            )
        )
    await ctx.session.flush()
    present = await attendance(ctx, session_id)
    score = compute_score(
        config, {k: float(v) for k, v in clean.items()}, present.rate, session.duration_minutes
    )
    return Outcome(Saved(existing, revised, score, present))


def check_comment(text: str | None) -> str | None:
    """A comment as stored: cleaned, None when empty; words required, bounded length."""
    clean = clean_lines(text)
    if not clean:
        return None
    if not any(ch.isalnum() for ch in clean):
        raise InvalidInput(
            N_("Please write your comment in words, or tap Skip to leave this part empty.")
        )
    if len(clean) > MAX_COMMENT:
        raise InvalidInput(
            N_("That is too long ({length} characters). Please keep it under {limit}."),
            length=len(clean),
            limit=MAX_COMMENT,
        )
    return clean


async def set_comment(
    ctx: Ctx, actor: Person | None, session_id: int, part: Part, text: str | None
) -> Feedback:
    """Write (or with None / empty text, clear) one of the three texts of the delegate's
    feedback. The ratings come first."""
    await _load(ctx, actor, session_id)
    assert actor is not None and actor.id is not None
    clean = check_comment(text)
    feedback = await _feedback_of(ctx, session_id, actor.id)
    if feedback is None:
        raise Conflict(
            N_("Please rate the session first: tap /gopy and choose a level for each part.")
        )
    setattr(feedback, Part(part).value, clean)
    feedback.updated_at = ctx.clock.now()
    ctx.session.add(feedback)
    await ctx.session.flush()
    return feedback


async def my_score(ctx: Ctx, actor: Person, session_id: int) -> Saved | None:
    """The delegate's feedback on the session with the score their ratings give (None when
    they gave none). Readable after feedback closed."""
    if actor.id is None:
        return None
    feedback = await _feedback_of(ctx, session_id, actor.id)
    if feedback is None or feedback.id is None:
        return None
    session = await get_session(ctx, session_id)
    config = await config_for(ctx, session.plan_id)
    ratings = await _ratings_of(ctx, feedback.id)
    present = await attendance(ctx, session_id)
    score = compute_score(
        config,
        {k: float(v) for k, v in ratings.items()},
        present.rate,
        session.duration_minutes,
    )
    return Saved(feedback, feedback.revisions > 0, score, present)


async def has_feedback(ctx: Ctx, session_id: int, person_id: int) -> bool:
    """Whether the person has rated the session (the scheduler skips their reminder)."""
    result = await ctx.session.exec(
        select(Feedback.id).where(
            Feedback.session_id == session_id, Feedback.person_id == person_id
        )
    )
    return result.first() is not None


@dataclass(frozen=True, slots=True)
class OpenSession:
    session: ModelSession
    closes_at: datetime
    given: bool  # the person has already rated it (they may revise)


async def open_for(ctx: Ctx, person: Person | None, limit: int = 10) -> list[OpenSession]:
    """The sessions the person checked in at whose feedback is still open, newest first."""
    if person is None or person.id is None:
        return []
    now = ctx.clock.now()
    earliest = now - timedelta(days=MAX_FEEDBACK_DAYS + 1)
    result = await ctx.session.exec(
        select(ModelSession, Feedback.id)
        .join(CheckIn, col(CheckIn.session_id) == ModelSession.id)
        .outerjoin(
            Feedback,
            (col(Feedback.session_id) == col(ModelSession.id))
            & (col(Feedback.person_id) == person.id),
        )
        .where(
            CheckIn.person_id == person.id,
            ModelSession.status != SessionStatus.CANCELLED.value,
            col(ModelSession.starts_at).is_not(None),
            col(ModelSession.starts_at) > earliest,
        )
        .order_by(col(ModelSession.starts_at).desc(), col(ModelSession.id).desc())
    )
    configs: dict[int, ScoringConfig] = {}
    out: list[OpenSession] = []
    for session, feedback_id in result.all():
        if session.plan_id not in configs:
            configs[session.plan_id] = await config_for(ctx, session.plan_id)
        closes = closes_at_for(session, configs[session.plan_id])
        if closes is not None and now < closes:
            out.append(OpenSession(session, closes, feedback_id is not None))
        if len(out) >= limit:
            break
    return out
