"""Reporting a session and editing its details; what every change keeps (history, overlap
warnings, the recorded event and its notices)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.events import (
    SessionChanged,
    SessionEdited,
    SessionHeld,
    SessionReported,
)
from services.labels import SESSION_KIND_LABELS
from services.notifications import Advice, Outcome, notices_for
from services.read.sessions import (
    session_audience,
    session_params,
    when_of,
)
from services.requirements import check_quota, fulfilment_notices, refresh_report_targets
from services.sessions.access import check_report, load_for_change
from services.sessions.checks import (
    DEFAULT_DURATION,
    MAX_DURATION,
    When,
    _check_duration,
    _check_topic,
    check_location,
    check_place,
    resolve_when,
    when_value,
)
from services.units import get_unit
from services.vn_datetime import MonthOnly
from storage.models import (
    ModelSession,
    Person,
    PlanStatus,
    SessionChange,
    SessionChangeKind,
    SessionKind,
    SessionStatus,
)


def add_history(
    ctx: Ctx,
    session: ModelSession,
    actor: Person,
    kind: SessionChangeKind,
    *,
    field: str | None = None,
    old: str | None = None,
    new: str | None = None,
    reason: str | None = None,
) -> None:
    ctx.session.add(
        SessionChange(
            session_id=session.id,  # type: ignore[arg-type]
            at=ctx.clock.now(),
            by_id=actor.id,
            kind=kind,
            field=field,
            old_value=old,
            new_value=new,
            reason=reason,
        )
    )


async def overlap_warnings(ctx: Ctx, session: ModelSession) -> list[Advice]:
    """Other sessions of the same host whose time overlaps this one's."""
    if session.starts_at is None:
        return []
    start = session.starts_at
    end = start + timedelta(minutes=session.duration_minutes)
    result = await ctx.session.exec(
        select(ModelSession)
        .where(
            ModelSession.host_unit_id == session.host_unit_id,
            ModelSession.id != session.id,
            col(ModelSession.status).in_([SessionStatus.SCHEDULED.value, SessionStatus.HELD.value]),
            col(ModelSession.starts_at) < end,
            col(ModelSession.starts_at) > start - timedelta(minutes=MAX_DURATION),
        )
        .order_by(col(ModelSession.starts_at), col(ModelSession.id))
    )
    warnings: list[Advice] = []
    host = await get_unit(ctx, session.host_unit_id)
    for other in result.all():
        assert other.starts_at is not None
        if other.starts_at + timedelta(minutes=other.duration_minutes) > start:
            warnings.append(
                Advice(
                    N_(
                        "“{host}” already has a session at an overlapping time: {kind}, "
                        "{when}. This session was saved; please check that both times are right."
                    ),
                    {
                        "host": host.name,
                        "kind": SESSION_KIND_LABELS[SessionKind(other.kind)],
                        "when": other.starts_at,
                        "session_id": other.id,
                    },
                )
            )
    return warnings


# --------------------------------------------------------------------------- changes


REPORTED_KIND = "session_reported"
CHANGED_KIND = "session_changed"
HELD_KIND = "session_held"


async def finish_change(
    ctx: Ctx, event: SessionChanged | SessionHeld, kind: str, outcome: Outcome[ModelSession]
) -> Outcome[ModelSession]:
    """Record the change (reminders are re-planned in the same transaction) and its notices."""
    session = outcome.value
    await ctx.record(event)
    ctx.notify(outcome.notices, kind=kind, subject_type="session", subject_id=session.id)  # type: ignore[arg-type]
    return outcome


async def create_session(
    ctx: Ctx,
    actor: Person,
    plan_id: int,
    host_unit_id: int,
    kind: SessionKind,
    when: When,
    *,
    topic: str | None = None,
    duration_minutes: int = DEFAULT_DURATION,
    venue: str = "",
    address: str = "",
    location: tuple[float, float] | None = None,
) -> Outcome[ModelSession]:
    """Report (or plan) a model session. A month alone makes it tentative.

    Regular and thematic sessions are hosted by a chi bộ; a workshop by any unit of the plan,
    the issuing unit included. Session quotas of the plan's requirements are enforced."""
    plan, _host = await check_report(ctx, actor, plan_id, host_unit_id, kind, quota=False)
    clean_topic = _check_topic(kind, topic)
    moment = resolve_when(ctx, when)
    duration = _check_duration(duration_minutes)
    clean_venue = check_place(venue, 200, N_("venue"))
    clean_address = check_place(address, 300, N_("address"))
    lat, lon = check_location(location)
    await check_quota(ctx, plan, host_unit_id, kind)
    now = ctx.clock.now()
    session = ModelSession(
        plan_id=plan_id,
        kind=kind,
        topic=clean_topic,
        host_unit_id=host_unit_id,
        duration_minutes=duration,
        venue=clean_venue,
        address=clean_address,
        latitude=lat,
        longitude=lon,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    if isinstance(moment, MonthOnly):
        session.status = SessionStatus.TENTATIVE
        session.tentative_year, session.tentative_month = moment.year, moment.month
    else:
        session.status = SessionStatus.SCHEDULED
        session.starts_at = moment.starts_at
    ctx.session.add(session)
    await ctx.session.flush()
    add_history(ctx, session, actor, SessionChangeKind.CREATED, new=when_value(when_of(session)))
    met = await refresh_report_targets(ctx, plan, host_unit_id)
    warnings = await overlap_warnings(ctx, session)
    params = await session_params(ctx, session, plan)
    # Nobody hears of a draft's sessions: issuing the plan tells the hosts
    # (services.plans.deliverables).
    audience = await session_audience(ctx, session, plan) if plan.status != PlanStatus.DRAFT else []
    notices = notices_for(
        audience,
        N_("New model session of plan {plan}: {kind} of “{host}”, {when}."),
        params,
        exclude=actor.id,
    )
    notices += await fulfilment_notices(ctx, plan, met, actor)
    return await finish_change(
        ctx, SessionReported(session), REPORTED_KIND, Outcome(session, notices, warnings)
    )


async def update_session(
    ctx: Ctx,
    actor: Person,
    session_id: int,
    *,
    topic: str | None = None,
    duration_minutes: int | None = None,
    venue: str | None = None,
    address: str | None = None,
    location: tuple[float, float] | None = None,
    clear_location: bool = False,
) -> Outcome[ModelSession]:
    """Change details (None leaves a field as it is; "" clears a text). Times change through
    `reschedule_session` / `firm_up_session`; the kind cannot change (cancel and report anew)."""
    session, plan = await load_for_change(ctx, actor, session_id)
    changes: dict[str, Any] = {}
    if topic is not None:
        changes["topic"] = _check_topic(SessionKind(session.kind), topic)
    if duration_minutes is not None:
        changes["duration_minutes"] = _check_duration(duration_minutes)
    if venue is not None:
        changes["venue"] = check_place(venue, 200, N_("venue"))
    if address is not None:
        changes["address"] = check_place(address, 300, N_("address"))
    if location is not None or clear_location:
        changes["latitude"], changes["longitude"] = check_location(location)
    changed = {k: v for k, v in changes.items() if getattr(session, k) != v}
    if not changed:
        return Outcome(session)
    for key, value in changed.items():
        old = getattr(session, key)
        add_history(
            ctx,
            session,
            actor,
            SessionChangeKind.EDITED,
            field=key,
            old=None if old is None else str(old),
            new=None if value is None else str(value),
        )
        setattr(session, key, value)
    session.updated_at = ctx.clock.now()
    ctx.session.add(session)
    await ctx.session.flush()
    warnings = await overlap_warnings(ctx, session) if "duration_minutes" in changed else []
    notices = notices_for(
        await session_audience(ctx, session, plan),
        N_("The details of the {kind} of “{host}” ({when}) have changed."),
        await session_params(ctx, session, plan),
        exclude=actor.id,
    )
    return await finish_change(
        ctx, SessionEdited(session), CHANGED_KIND, Outcome(session, notices, warnings)
    )
