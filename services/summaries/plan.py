"""The summary of a whole plan: sessions by status, compliance by unit, attendance and ratings
across sessions, in a fixed number of aggregate queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from services.context import Ctx
from services.feedback import (
    LEVELS_BEST_FIRST,
    POINT_LEVELS,
    compute_score,
    config_for,
)
from services.plans import (
    get_plan,
)
from services.requirements import progress
from services.sessions.held import hold_ended
from services.summaries.aggregates import (
    CHECKIN_JOIN,
    criteria_ratings,
    overall_counts,
    rating_counts,
    turnout_columns,
    turnout_of,
)
from services.summaries.readers import require_plan_reader
from services.summaries.values import PlanSummary, SessionLine, Turnout, UnitCompliance
from services.units import get_unit, sort_key
from storage.models import (
    CheckIn,
    Feedback,
    FeedbackRating,
    Invitation,
    ModelSession,
    Person,
    SessionKind,
    SessionStatus,
    TargetStatus,
    Unit,
)

# --------------------------------------------------------------------------- plan summary


async def plan_summary(ctx: Ctx, actor: Person, plan_id: int) -> PlanSummary:
    """The summary of a whole plan, for the organisers and leaders of its issuing unit or of a
    unit above it. A fixed number of aggregate queries whatever the plan's size."""
    plan = await get_plan(ctx, plan_id)
    await require_plan_reader(ctx, actor, plan)
    await hold_ended(ctx, plan_id=plan_id)  # sessions that took place count as held
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
        select(Invitation.session_id, *turnout_columns())  # type: ignore[call-overload]
        .select_from(Invitation)
        .join(ModelSession, col(ModelSession.id) == Invitation.session_id)
        .outerjoin(CheckIn, CHECKIN_JOIN)
        .where(in_plan)
        .group_by(Invitation.session_id)
    )
    turnouts = {sid: values for sid, *values in turnout_rows.all()}
    guest_rows = await ctx.session.exec(
        select(CheckIn.session_id, func.count(col(CheckIn.id)))  # type: ignore[call-overload]
        .select_from(CheckIn)
        .join(ModelSession, col(ModelSession.id) == CheckIn.session_id)
        .outerjoin(Invitation, CHECKIN_JOIN)
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
            turnout_of(values, guests.get(sid, 0)) if values else Turnout(guests=guests.get(sid, 0))
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
    counts = await rating_counts(ctx, in_plan, join_plan=True)
    overall = await overall_counts(ctx, in_plan, join_plan=True)
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
        criteria=criteria_ratings(config, counts),
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
