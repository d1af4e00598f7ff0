"""Summaries for leaders and organisers: one session (attendance, ratings, score, comments)
and a whole plan (sessions by status, requirement compliance by unit, attendance and ratings
across sessions).

Every count comes from SQL aggregates (GROUP BY in the database); only the comments are
fetched as rows. Texts are channel-free and rendered in the reader's language through the
catalogs (`render_session_summary`, `render_plan_summary`); `summary_message` is what the
scheduler sends to leaders and organisers when feedback on a session closes.

Readers: organisers and leaders of the plan's issuing unit or of a unit above it read
everything; organisers over a session's host unit read that session's summary. Whether the
comments carry their authors' names is the plan's choice (`show_names`, anonymised by
default); anonymised comments come in an order that does not follow who wrote first.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, or_
from sqlmodel import col, select

from core.i18n import N_, Lang
from services import charts
from services.context import Ctx
from services.errors import PermissionDenied
from services.feedback import (
    LEVEL_LABELS,
    LEVELS_BEST_FIRST,
    PART_LABELS,
    POINT_LEVELS,
    RATING_POINTS,
    Level,
    Part,
    Score,
    ScoringConfig,
    averages_from_counts,
    closes_at_for,
    compute_score,
    config_for,
    level_for,
)
from services.plans import (
    OVERSIGHT_ROLES,
    SESSION_KIND_LABELS,
    get_plan,
    subtree_ids,
    unit_ids_with_role,
    visible_plans,
)
from services.roles import can_manage, has_role_over
from services.sessions import get_session
from services.units import get_unit, sort_key
from services.vn_datetime import VN_TZ, format_datetime_long
from storage.models import (
    CheckIn,
    Feedback,
    FeedbackRating,
    Invitation,
    InvitationStatus,
    ModelSession,
    ParticipantCategory,
    Person,
    Plan,
    Role,
    SessionKind,
    SessionStatus,
    TargetStatus,
    Unit,
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


# --------------------------------------------------------------------------- readers


async def can_read_plan(ctx: Ctx, person: Person | None, plan: Plan) -> bool:
    return await has_role_over(ctx, person, plan.issuer_unit_id, OVERSIGHT_ROLES)


async def can_read_session(
    ctx: Ctx, person: Person | None, session: ModelSession, plan: Plan
) -> bool:
    return await can_read_plan(ctx, person, plan) or await can_manage(
        ctx, person, session.host_unit_id
    )


async def require_session_reader(
    ctx: Ctx, actor: Person | None, session: ModelSession, plan: Plan
) -> None:
    if not await can_read_session(ctx, actor, session, plan):
        issuer = await get_unit(ctx, plan.issuer_unit_id)
        raise PermissionDenied(
            N_("Only the organisers or leaders of “{unit}” can see the summary of this session."),
            unit=issuer.name,
        )


async def require_plan_reader(ctx: Ctx, actor: Person | None, plan: Plan) -> None:
    if not await can_read_plan(ctx, actor, plan):
        issuer = await get_unit(ctx, plan.issuer_unit_id)
        raise PermissionDenied(
            N_("Only the organisers or leaders of “{unit}” can see the summary of this plan."),
            unit=issuer.name,
        )


async def _organised_subtree(ctx: Ctx, person: Person | None) -> set[int]:
    return await subtree_ids(ctx, await unit_ids_with_role(ctx, person, (Role.ORGANISER,)))


@dataclass(frozen=True, slots=True)
class PlanChoice:
    plan: Plan
    full: bool  # the whole plan's summary (else only some of its sessions)


async def plans_for(ctx: Ctx, person: Person | None) -> list[PlanChoice]:
    """The plans whose summary (or some of whose sessions' summaries) the person may read,
    newest first."""
    out: list[PlanChoice] = []
    organised: set[int] | None = None
    for plan in await visible_plans(ctx, person):
        if await can_read_plan(ctx, person, plan):
            out.append(PlanChoice(plan, True))
            continue
        if organised is None:
            organised = await _organised_subtree(ctx, person)
        if not organised:
            continue
        hosted = await ctx.session.exec(
            select(ModelSession.id)
            .where(
                ModelSession.plan_id == plan.id,
                col(ModelSession.host_unit_id).in_(organised),
                ModelSession.status != SessionStatus.CANCELLED.value,
            )
            .limit(1)
        )
        if hosted.first() is not None:
            out.append(PlanChoice(plan, False))
    return out


@dataclass(frozen=True, slots=True)
class SessionChoice:
    session: ModelSession
    host: str


async def sessions_for(ctx: Ctx, person: Person | None, plan_id: int) -> list[SessionChoice]:
    """The plan's sessions that have started (not cancelled) whose summary the person may
    read, with their host unit's name, newest first."""
    plan = await get_plan(ctx, plan_id)
    query = (
        select(ModelSession, Unit.name)
        .join(Unit, col(Unit.id) == ModelSession.host_unit_id)
        .where(
            ModelSession.plan_id == plan_id,
            ModelSession.status != SessionStatus.CANCELLED.value,
            col(ModelSession.starts_at).is_not(None),
            col(ModelSession.starts_at) <= ctx.clock.now(),
        )
        .order_by(col(ModelSession.starts_at).desc(), col(ModelSession.id).desc())
    )
    if not await can_read_plan(ctx, person, plan):
        organised = await _organised_subtree(ctx, person)
        if not organised:
            await require_plan_reader(ctx, person, plan)
        query = query.where(col(ModelSession.host_unit_id).in_(organised))
    return [SessionChoice(session, host) for session, host in (await ctx.session.exec(query)).all()]


# --------------------------------------------------------------------------- SQL pieces


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


_CHECKIN_JOIN = (col(CheckIn.session_id) == col(Invitation.session_id)) & (
    col(CheckIn.person_id) == col(Invitation.person_id)
)
_NOT_PRESENT = col(CheckIn.id).is_(None)
_DECLINED = col(Invitation.status) == InvitationStatus.DECLINED.value


def _turnout_columns() -> tuple[Any, ...]:
    return (
        func.count(col(Invitation.id)),
        func.count(col(CheckIn.id)),
        _count_if(col(CheckIn.late).is_(True)),
        _count_if(_NOT_PRESENT & _DECLINED),
        _count_if(_NOT_PRESENT & ~_DECLINED),
    )


def _turnout(values: Iterable[Any], guests: int = 0) -> Turnout:
    invited, present, late, with_reason, without = (int(v) for v in values)
    return Turnout(invited, present, late, with_reason, without, guests)


async def _rating_counts(
    ctx: Ctx, where: Any, join_plan: bool = False
) -> dict[str, dict[int, int]]:
    query = select(  # type: ignore[call-overload]
        FeedbackRating.criterion, FeedbackRating.value, func.count()
    ).group_by(FeedbackRating.criterion, FeedbackRating.value)
    if join_plan:
        query = query.join(ModelSession, col(ModelSession.id) == FeedbackRating.session_id)
    out: dict[str, dict[int, int]] = {}
    for criterion, value, n in (await ctx.session.exec(query.where(where))).all():
        out.setdefault(criterion, {})[int(value)] = int(n)
    return out


async def _overall_counts(ctx: Ctx, where: Any, join_plan: bool = False) -> dict[int, int]:
    query = select(Feedback.overall, func.count()).group_by(Feedback.overall)  # type: ignore[call-overload]
    if join_plan:
        query = query.join(ModelSession, col(ModelSession.id) == Feedback.session_id)
    result = await ctx.session.exec(query.where(where))
    return {int(points): int(n) for points, n in result.all()}


def _criteria_ratings(
    config: ScoringConfig, counts: Mapping[str, Mapping[int, int]]
) -> list[CriterionRatings]:
    return [
        CriterionRatings(
            key=c.key,
            label=c.label,
            weight=c.weight,
            default=c.default,
            counts={p: int(counts.get(c.key, {}).get(p, 0)) for p in sorted(POINT_LEVELS)},
        )
        for c in config.criteria
    ]


def anonymous_order(session_id: int, feedback_id: int) -> str:
    """A stable order of anonymised feedback that does not follow the order of arrival."""
    return hashlib.sha256(f"feedback:{session_id}:{feedback_id}".encode()).hexdigest()


# --------------------------------------------------------------------------- session summary


async def session_summary(ctx: Ctx, actor: Person | None, session_id: int) -> SessionSummary:
    """The summary of one session, for its readers (see the module's doc)."""
    session = await get_session(ctx, session_id)
    plan = await get_plan(ctx, session.plan_id)
    await require_session_reader(ctx, actor, session, plan)
    return await build_session_summary(ctx, session_id)


async def build_session_summary(ctx: Ctx, session_id: int) -> SessionSummary:
    """The summary without a permission check (the scheduler sends it to the readers)."""
    session = await get_session(ctx, session_id)
    plan = await get_plan(ctx, session.plan_id)
    config = await config_for(ctx, session.plan_id)
    per_category = await ctx.session.exec(
        select(Invitation.category_id, *_turnout_columns())  # type: ignore[call-overload]
        .select_from(Invitation)
        .outerjoin(CheckIn, _CHECKIN_JOIN)
        .where(Invitation.session_id == session_id)
        .group_by(Invitation.category_id)
    )
    by_category = {cid: _turnout(values) for cid, *values in per_category.all()}
    guests = (
        await ctx.session.exec(
            select(func.count(col(CheckIn.id)))
            .select_from(CheckIn)
            .outerjoin(Invitation, _CHECKIN_JOIN)
            .where(CheckIn.session_id == session_id, col(Invitation.id).is_(None))
        )
    ).one()
    labels: dict[int, tuple[int, str]] = {}
    ids = [c for c in by_category if c is not None]
    if ids:
        found = await ctx.session.exec(
            select(
                ParticipantCategory.id, ParticipantCategory.position, ParticipantCategory.label
            ).where(col(ParticipantCategory.id).in_(ids))
        )
        labels = {cid: (position, label) for cid, position, label in found.all()}
    order = sorted(
        by_category, key=lambda c: (c is None, labels.get(c, (0, ""))[0] if c else 0, c or 0)
    )
    categories = [
        CategoryTurnout(labels[c][1] if c is not None and c in labels else None, by_category[c])
        for c in order
    ]
    total = Turnout(guests=int(guests))
    for row in categories:
        total = total + row.turnout
    counts = await _rating_counts(ctx, col(FeedbackRating.session_id) == session_id)
    overall = await _overall_counts(ctx, col(Feedback.session_id) == session_id)
    criteria = _criteria_ratings(config, counts)
    score = compute_score(
        config,
        averages_from_counts({c.key: c.counts for c in criteria}),
        total.rate,
        session.duration_minutes,
    )
    comments = await _comments(ctx, session_id, config.show_names)
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    parent = await get_unit(ctx, issuer.parent_id) if issuer.parent_id else None
    host = await get_unit(ctx, session.host_unit_id)
    closes = closes_at_for(session, config)
    return SessionSummary(
        session_id=session_id,
        plan_id=plan.id,  # type: ignore[arg-type]
        plan_number=plan.number,
        plan_title=plan.title,
        plan_issued_on=plan.issued_on,
        plan_place=plan.place,
        issuer=issuer.name,
        issuer_parent=parent.name if parent else None,
        host=host.name,
        kind=SessionKind(session.kind),
        topic=session.topic,
        starts_at=session.starts_at,
        duration_minutes=session.duration_minutes,
        status=SessionStatus(session.status),
        turnout=total,
        categories=categories,
        feedback_count=sum(overall.values()),
        criteria=criteria,
        overall={p: overall.get(p, 0) for p in sorted(POINT_LEVELS)},
        score=score,
        comments=comments,
        config=config,
        closes_at=closes,
        closed=closes is not None and ctx.clock.now() >= closes,
    )


async def _comments(ctx: Ctx, session_id: int, show_names: bool) -> dict[Part, list[Comment]]:
    result = await ctx.session.exec(
        select(
            Feedback.id,
            Person.full_name,
            Feedback.went_well,
            Feedback.shortcomings,
            Feedback.proposals,
        )
        .join(Person, col(Person.id) == Feedback.person_id)
        .where(
            Feedback.session_id == session_id,
            or_(
                col(Feedback.went_well).is_not(None),
                col(Feedback.shortcomings).is_not(None),
                col(Feedback.proposals).is_not(None),
            ),
        )
    )
    rows = list(result.all())
    if show_names:
        rows.sort(key=lambda r: (sort_key(r[1] or ""), r[0]))
    else:
        rows.sort(key=lambda r: anonymous_order(session_id, r[0]))
    out: dict[Part, list[Comment]] = {part: [] for part in Part}
    for _fid, name, *texts in rows:
        for part, text in zip(Part, texts, strict=True):
            if text:
                out[part].append(Comment(name if show_names else None, text))
    return out


# --------------------------------------------------------------------------- plan summary


async def plan_summary(ctx: Ctx, actor: Person, plan_id: int) -> PlanSummary:
    """The summary of a whole plan, for the organisers and leaders of its issuing unit or of a
    unit above it. A fixed number of aggregate queries whatever the plan's size."""
    from services.requirements import progress

    plan = await get_plan(ctx, plan_id)
    await require_plan_reader(ctx, actor, plan)
    config = await config_for(ctx, plan_id)
    now = ctx.clock.now()
    statuses_rows = await ctx.session.exec(
        select(ModelSession.status, func.count())  # type: ignore[call-overload]
        .where(ModelSession.plan_id == plan_id)
        .group_by(ModelSession.status)
    )
    found_statuses = {SessionStatus(s): int(n) for s, n in statuses_rows.all()}
    statuses = {s: found_statuses.get(s, 0) for s in SessionStatus}
    sessions = await ctx.session.exec(
        select(
            ModelSession.id,
            Unit.name,
            ModelSession.kind,
            ModelSession.starts_at,
            ModelSession.status,
            ModelSession.duration_minutes,
        )
        .join(Unit, col(Unit.id) == ModelSession.host_unit_id)
        .where(
            ModelSession.plan_id == plan_id,
            ModelSession.status != SessionStatus.CANCELLED.value,
            col(ModelSession.starts_at).is_not(None),
            col(ModelSession.starts_at) <= now,
        )
        .order_by(col(ModelSession.starts_at), col(ModelSession.id))
    )
    started = list(sessions.all())
    in_plan = col(ModelSession.plan_id) == plan_id
    turnout_rows = await ctx.session.exec(
        select(Invitation.session_id, *_turnout_columns())  # type: ignore[call-overload]
        .select_from(Invitation)
        .join(ModelSession, col(ModelSession.id) == Invitation.session_id)
        .outerjoin(CheckIn, _CHECKIN_JOIN)
        .where(in_plan)
        .group_by(Invitation.session_id)
    )
    turnouts = {sid: values for sid, *values in turnout_rows.all()}
    guest_rows = await ctx.session.exec(
        select(CheckIn.session_id, func.count(col(CheckIn.id)))  # type: ignore[call-overload]
        .select_from(CheckIn)
        .join(ModelSession, col(ModelSession.id) == CheckIn.session_id)
        .outerjoin(Invitation, _CHECKIN_JOIN)
        .where(in_plan, col(Invitation.id).is_(None))
        .group_by(CheckIn.session_id)
    )
    guests = {sid: int(n) for sid, n in guest_rows.all()}
    average_rows = await ctx.session.exec(
        select(  # type: ignore[call-overload]
            FeedbackRating.session_id,
            FeedbackRating.criterion,
            func.sum(FeedbackRating.value),
            func.count(),
        )
        .join(ModelSession, col(ModelSession.id) == FeedbackRating.session_id)
        .where(in_plan)
        .group_by(FeedbackRating.session_id, FeedbackRating.criterion)
    )
    averages: dict[int, dict[str, float | None]] = {}
    for sid, criterion, total_points, n in average_rows.all():
        averages.setdefault(sid, {})[criterion] = int(total_points) / int(n) if n else None
    feedback_rows = await ctx.session.exec(
        select(Feedback.session_id, func.count())  # type: ignore[call-overload]
        .join(ModelSession, col(ModelSession.id) == Feedback.session_id)
        .where(in_plan)
        .group_by(Feedback.session_id)
    )
    feedback_counts = {sid: int(n) for sid, n in feedback_rows.all()}
    lines: list[SessionLine] = []
    total = Turnout()
    for sid, host, kind, starts_at, status, duration in started:
        values = turnouts.get(sid)
        turnout = (
            _turnout(values, guests.get(sid, 0)) if values else Turnout(guests=guests.get(sid, 0))
        )
        total = total + turnout
        score = (
            compute_score(config, averages[sid], turnout.rate, duration)
            if sid in averages
            else None
        )
        lines.append(
            SessionLine(
                session_id=sid,
                host=host,
                kind=SessionKind(kind),
                starts_at=starts_at,
                status=SessionStatus(status),
                duration_minutes=duration,
                turnout=turnout,
                feedback_count=feedback_counts.get(sid, 0),
                score=score,
            )
        )
    counts = await _rating_counts(ctx, in_plan, join_plan=True)
    overall = await _overall_counts(ctx, in_plan, join_plan=True)
    scores = [line.score for line in lines if line.score is not None]
    levels = {level: 0 for level in LEVELS_BEST_FIRST}
    for score in scores:
        levels[score.level] += 1
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    return PlanSummary(
        plan_id=plan_id,
        number=plan.number,
        title=plan.title,
        issuer=issuer.name,
        statuses=statuses,
        compliance=_compliance(await progress(ctx, actor, plan_id)),
        turnout=total,
        lines=lines,
        feedback_count=sum(overall.values()),
        criteria=_criteria_ratings(config, counts),
        overall={p: overall.get(p, 0) for p in sorted(POINT_LEVELS)},
        average_score=round(sum(s.points for s in scores) / len(scores), 1) if scores else None,
        levels=levels,
        config=config,
        generated_at=now,
    )


def _compliance(rows: Sequence[Any]) -> list[UnitCompliance]:
    """services.requirements.progress rows → per unit: on time, late, missing, pending."""
    per_unit: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = per_unit.setdefault(
            row.unit_id,
            {"name": row.unit_name, "on_time": 0, "late": 0, "missing": 0, "pending": 0},
        )
        if row.status == TargetStatus.SUBMITTED:
            entry["late" if row.submitted_late else "on_time"] += 1
        elif row.status == TargetStatus.LATE:
            entry["missing"] += 1
        else:
            entry["pending"] += 1
    out = [
        UnitCompliance(uid, e["name"], e["on_time"], e["late"], e["missing"], e["pending"])
        for uid, e in per_unit.items()
    ]
    out.sort(key=lambda u: (-u.missing, -u.late, sort_key(u.unit_name), u.unit_id))
    return out


# --------------------------------------------------------------------------- rendering


def number(lang: Lang, value: float, digits: int = 1) -> str:
    """93.3 → "93,3" in Vietnamese, "93.3" in English; whole numbers without decimals."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang.locale == "vi" else text


def percent(lang: Lang, rate: float | None) -> str:
    return "—" if rate is None else number(lang, rate * 100) + "%"


def level_label(lang: Lang, level: Level) -> str:
    return lang.t(LEVEL_LABELS[level])


def label_of(lang: Lang, criterion: CriterionRatings) -> str:
    return lang.t(criterion.label) if criterion.default else criterion.label


def _distribution(lang: Lang, counts: Mapping[int, int]) -> str:
    return " · ".join(
        f"{level_label(lang, level)} {counts.get(RATING_POINTS[level], 0)}"
        for level in LEVELS_BEST_FIRST
    )


def score_line(lang: Lang, score: Score | None) -> str:
    if score is None:
        return lang.t("Score: no ratings yet.")
    return lang.t(
        "Score: {points}/100 — {level}",
        points=number(lang, score.points),
        level=level_label(lang, score.level),
    )


def score_notes(lang: Lang, score: Score | None, config: ScoringConfig) -> list[str]:
    if score is None:
        return []
    lines = []
    if score.attendance_ok is False:
        lines.append(
            lang.t(
                "⚠️ Attendance did not exceed {pct}%, so the session cannot be rated Good.",
                pct=config.min_attendance_pct,
            )
        )
    if not score.duration_ok:
        lines.append(
            lang.t(
                "⚠️ The session was planned for less than {minutes} minutes, so it cannot be "
                "rated Good.",
                minutes=config.min_minutes,
            )
        )
    return lines


def _turnout_lines(lang: Lang, t: Turnout) -> list[str]:
    return [
        lang.t(
            "Invited: {invited} · present: {present} ({rate}) · late: {late}",
            invited=t.invited,
            present=t.present,
            rate=percent(lang, t.rate),
            late=t.late,
        ),
        lang.t(
            "Absent with a reason: {with_reason} · without a reason: {without} · guests: {guests}",
            with_reason=t.absent_with_reason,
            without=t.absent_without_reason,
            guests=t.guests,
        ),
    ]


def _when(lang: Lang, starts_at: datetime | None) -> str:
    return format_datetime_long(starts_at, lang.locale) if starts_at else "—"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_session_summary(lang: Lang, summary: SessionSummary) -> str:
    """The summary of a session as plain text in `lang` (at most MAX_TEXT characters: long
    comment lists are cut, the exports hold them all)."""
    s = summary
    head = [
        lang.t("📊 SESSION SUMMARY"),
        _capitalised(
            lang.t(
                "{kind} of “{host}”, {when}",
                kind=SESSION_KIND_LABELS[s.kind],
                host=s.host,
                when=_when(lang, s.starts_at),
            )
        ),
        lang.t("Plan {plan}: {title}", plan=s.plan_number, title=s.plan_title),
    ]
    if s.topic:
        head.append(lang.t("Topic: {topic}", topic=s.topic))
    head += ["", lang.t("👥 Attendance"), *_turnout_lines(lang, s.turnout)]
    if len(s.categories) > 1 or (s.categories and s.categories[0].label):
        for row in s.categories:
            head.append(
                lang.t(
                    "• {label}: {present}/{invited} present ({rate})",
                    label=row.label or lang.t("Other"),
                    present=row.turnout.present,
                    invited=row.turnout.invited,
                    rate=percent(lang, row.turnout.rate),
                )
            )
    head += [
        "",
        lang.nt("⭐ Ratings ({n} delegate)", "⭐ Ratings ({n} delegates)", s.feedback_count),
    ]
    if s.feedback_count:
        for c in s.criteria:
            head.append(
                lang.t(
                    "• {label} ({weight} points): {distribution}",
                    label=label_of(lang, c),
                    weight=c.weight,
                    distribution=_distribution(lang, c.counts),
                )
            )
        head.append(
            lang.t(
                "• Overall, in the delegates' view: {distribution}",
                distribution=_distribution(lang, s.overall),
            )
        )
    head.append(score_line(lang, s.score))
    if s.score is not None and s.score.attendance_points is not None:
        head.append(
            lang.t(
                "(of which attendance: {points}/{weight})",
                points=number(lang, s.score.attendance_points),
                weight=s.config.attendance_weight,
            )
        )
    head += score_notes(lang, s.score, s.config)
    tail: list[str] = []
    if s.closes_at is not None:
        tail = [
            "",
            lang.t("Feedback closed at {closes}.", closes=_when(lang, s.closes_at))
            if s.closed
            else lang.t("Feedback is open until {closes}.", closes=_when(lang, s.closes_at)),
        ]
    return _with_comments(lang, head, s.comments, tail)


_PART_ICONS = {Part.WENT_WELL: "✅", Part.SHORTCOMINGS: "⚠️", Part.PROPOSALS: "💡"}


def _with_comments(
    lang: Lang, head: list[str], comments: Mapping[Part, list[Comment]], tail: list[str]
) -> str:
    """Head, then the comments under their headings as far as MAX_TEXT allows (each clipped,
    in order; a note says how many were left out), then tail."""
    reserve = 80  # per heading: its "(none)" or "… and n more" line
    titles = [
        f"{_PART_ICONS[part]} {lang.t(PART_LABELS[part])} ({len(comments.get(part, []))})"
        for part in Part
    ]
    budget = MAX_TEXT - len("\n".join(head + tail)) - sum(len(t) + 2 + reserve for t in titles)
    out = list(head)
    for part, title in zip(Part, titles, strict=True):
        items = comments.get(part, [])
        out += ["", title]
        shown = 0
        for comment in items:
            text = _clip(comment.text, MAX_COMMENT_SHOWN)
            line = f"- {comment.name}: {text}" if comment.name else f"- {text}"
            if len(line) + 1 > budget:
                break
            out.append(line)
            budget -= len(line) + 1
            shown += 1
        if not items:
            out.append(lang.t("(none)"))
        elif shown < len(items):
            out.append(lang.t("… and {n} more (see the report)", n=len(items) - shown))
    out += tail
    return "\n".join(out)[:MAX_TEXT]


def render_plan_summary(lang: Lang, summary: PlanSummary) -> str:
    s = summary
    st = s.statuses
    lines = [
        lang.t("📊 PLAN SUMMARY"),
        lang.t("Plan {plan}: {title}", plan=s.number, title=s.title),
        "",
        lang.t(
            "Sessions: held {held} · scheduled {scheduled} · tentative {tentative} · "
            "cancelled {cancelled}",
            held=st.get(SessionStatus.HELD, 0),
            scheduled=st.get(SessionStatus.SCHEDULED, 0),
            tentative=st.get(SessionStatus.TENTATIVE, 0),
            cancelled=st.get(SessionStatus.CANCELLED, 0),
        ),
    ]
    if s.compliance:
        lines += ["", lang.t("📌 Requirements by unit (on time / late / missing / not due yet)")]
        shown = s.compliance[:15]
        for u in shown:
            lines.append(
                lang.t(
                    "• {unit}: {on_time} / {late} / {missing} / {pending}",
                    unit=u.unit_name,
                    on_time=u.on_time,
                    late=u.late,
                    missing=u.missing,
                    pending=u.pending,
                )
            )
        if len(s.compliance) > len(shown):
            lines.append(lang.t("… and {n} more units", n=len(s.compliance) - len(shown)))
    lines += [
        "",
        lang.nt(
            "👥 Attendance over {n} session that has taken place",
            "👥 Attendance over {n} sessions that have taken place",
            len(s.lines),
        ),
        *_turnout_lines(lang, s.turnout),
        "",
        lang.nt("⭐ Ratings ({n} delegate)", "⭐ Ratings ({n} delegates)", s.feedback_count),
    ]
    if s.feedback_count:
        for c in s.criteria:
            lines.append(
                lang.t(
                    "• {label} ({weight} points): {distribution}",
                    label=label_of(lang, c),
                    weight=c.weight,
                    distribution=_distribution(lang, c.counts),
                )
            )
        lines.append(
            lang.t(
                "• Overall, in the delegates' view: {distribution}",
                distribution=_distribution(lang, s.overall),
            )
        )
    if s.average_score is not None:
        lines.append(
            lang.t(
                "Average score of the sessions: {points}/100 ({level})",
                points=number(lang, s.average_score),
                level=level_label(lang, level_for(s.average_score, s.config)),
            )
        )
        lines.append(
            lang.t(
                "Sessions by level: {distribution}",
                distribution=" · ".join(
                    f"{level_label(lang, lv)} {s.levels.get(lv, 0)}" for lv in LEVELS_BEST_FIRST
                ),
            )
        )
    return "\n".join(lines)[:MAX_TEXT]


# --------------------------------------------------------------------------- charts


def _level_labels(lang: Lang) -> list[str]:
    return [level_label(lang, level) for level in LEVELS_BEST_FIRST]


def _rows(
    lang: Lang, criteria: Sequence[CriterionRatings], overall: Mapping[int, int]
) -> tuple[list[str], list[list[int]]]:
    labels = [label_of(lang, c) for c in criteria] + [lang.t("Overall level")]
    counts = [[c.counts.get(RATING_POINTS[lv], 0) for lv in LEVELS_BEST_FIRST] for c in criteria]
    counts.append([overall.get(RATING_POINTS[lv], 0) for lv in LEVELS_BEST_FIRST])
    return labels, counts


def session_ratings_chart(lang: Lang, summary: SessionSummary) -> bytes | None:
    """The rating distribution of a session (stacked bars), or None without ratings."""
    if not summary.feedback_count:
        return None
    labels, counts = _rows(lang, summary.criteria, summary.overall)
    return charts.ratings_chart(
        labels,
        counts,
        _level_labels(lang),
        title=lang.t(
            "Ratings by {n} delegates: {host}", n=summary.feedback_count, host=summary.host
        ),
        xlabel=lang.t("Delegates"),
    )


def plan_ratings_chart(lang: Lang, summary: PlanSummary) -> bytes | None:
    if not summary.feedback_count:
        return None
    labels, counts = _rows(lang, summary.criteria, summary.overall)
    return charts.ratings_chart(
        labels,
        counts,
        _level_labels(lang),
        title=lang.t("Ratings across the plan ({n} delegates)", n=summary.feedback_count),
        xlabel=lang.t("Delegates"),
    )


def plan_attendance_chart(lang: Lang, summary: PlanSummary) -> bytes | None:
    """Attendance rate per session (bars; the latest CHART_SESSIONS sessions)."""
    lines = [line for line in summary.lines if line.turnout.invited][-CHART_SESSIONS:]
    if not lines:
        return None
    return charts.attendance_chart(
        [line.starts_at.astimezone(VN_TZ).strftime("%d/%m") for line in lines],
        [line.turnout.rate or 0.0 for line in lines],
        title=lang.t("Attendance per session (%)"),
        ylabel=lang.t("Present / invited (%)"),
        target=summary.config.min_attendance_pct / 100,
        target_label=lang.t("Expected: {pct}%", pct=summary.config.min_attendance_pct),
    )


# --------------------------------------------------------------------------- the scheduler


async def summary_message(ctx: Ctx, session_id: int, locale: str) -> tuple[str, bytes | None]:
    """The text of a session's summary in `locale` and its rating chart (PNG, None without
    ratings). Called when feedback on the session closes; no permission check (the caller
    sends it to the session's readers)."""
    lang = Lang(locale)
    summary = await build_session_summary(ctx, session_id)
    text = render_session_summary(lang, summary)
    chart = await asyncio.to_thread(session_ratings_chart, lang, summary)
    return text, chart
