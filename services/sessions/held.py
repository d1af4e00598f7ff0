"""Whether a session took place: held on its own once it has ended and people checked in at it,
or marked held / not held by hand (with a reason) by its officers and organisers."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, InvalidInput
from services.events import SessionCancelled, SessionHeld
from services.notifications import Outcome, notices_for
from services.plans import (
    HOST_ROLES,
    get_plan,
    issuer_organiser_ids,
    require_not_closed,
    require_unit_officer,
)
from services.read.sessions import get_session, session_audience, session_params
from services.sessions.changes import CHANGED_KIND, HELD_KIND, add_history, finish_change
from services.sessions.checks import _check_reason
from storage.models import (
    CheckIn,
    ModelSession,
    Person,
    Plan,
    SessionChange,
    SessionChangeKind,
    SessionStatus,
)


def _ended(session: ModelSession, ctx: Ctx) -> bool:
    return (
        session.starts_at is not None
        and session.starts_at + timedelta(minutes=session.duration_minutes) <= ctx.clock.now()
    )


async def hold_ended(
    ctx: Ctx, *, plan_id: int | None = None, session_id: int | None = None
) -> list[ModelSession]:
    """Scheduled sessions (of a plan, or one session) whose end has passed and at which someone
    checked in become held, with a history entry by nobody. Returns those it held."""
    now = ctx.clock.now()
    query = (
        select(ModelSession)
        .where(
            ModelSession.status == SessionStatus.SCHEDULED.value,
            col(ModelSession.starts_at).is_not(None),
            col(ModelSession.starts_at) <= now,
            col(ModelSession.id).in_(select(CheckIn.session_id).distinct()),
        )
        .order_by(col(ModelSession.id))
    )
    if plan_id is not None:
        query = query.where(ModelSession.plan_id == plan_id)
    if session_id is not None:
        query = query.where(ModelSession.id == session_id)
    else:
        query = query.where(col(ModelSession.starts_at) > now - timedelta(days=366))
    held: list[ModelSession] = []
    for session in (await ctx.session.exec(query)).all():
        if not _ended(session, ctx):
            continue
        session.status = SessionStatus.HELD
        session.updated_at = now
        ctx.session.add(session)
        ctx.session.add(
            SessionChange(session_id=session.id, at=now, by_id=None, kind=SessionChangeKind.HELD)  # type: ignore[arg-type]
        )
        held.append(session)
    if held:
        await ctx.session.flush()
        for session in held:
            await ctx.record(SessionHeld(session))
    return held


async def _load_past(ctx: Ctx, actor: Person, session_id: int) -> tuple[ModelSession, Plan]:
    session = await get_session(ctx, session_id)
    await require_unit_officer(ctx, actor, session.host_unit_id)
    plan = await get_plan(ctx, session.plan_id)
    require_not_closed(plan)
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(N_("This session has been cancelled, so it can no longer be changed."))
    if session.starts_at is None:
        raise Conflict(N_("This session has no day and time yet, so it cannot have been held."))
    if session.starts_at > ctx.clock.now():
        raise Conflict(
            N_("This session has not started yet. It can be marked as held once it has begun.")
        )
    return session, plan


async def mark_held(
    ctx: Ctx, actor: Person, session_id: int, *, reason: str | None = None
) -> Outcome[ModelSession]:
    """Scheduled → held, once its start time has come (a reason is kept when given)."""
    session, plan = await _load_past(ctx, actor, session_id)
    if session.status == SessionStatus.HELD:
        raise Conflict(N_("This session is already marked as held."))
    clean_reason = _check_reason(reason)
    session.status = SessionStatus.HELD
    session.updated_at = ctx.clock.now()
    ctx.session.add(session)
    add_history(ctx, session, actor, SessionChangeKind.HELD, reason=clean_reason)
    await ctx.session.flush()
    notices = notices_for(
        await issuer_organiser_ids(ctx, plan),  # type: ignore[arg-type]
        N_("“{host}” has held its {kind} ({when})."),
        await session_params(ctx, session, plan),
        exclude=actor.id,
    )
    return await finish_change(ctx, SessionHeld(session), HELD_KIND, Outcome(session, notices))


async def mark_not_held(
    ctx: Ctx, actor: Person, session_id: int, reason: str
) -> Outcome[ModelSession]:
    """A session whose time has come did not take place (also one held on its own by
    mistake): it no longer counts as held, with the reason (required) everyone told reads."""
    session, plan = await _load_past(ctx, actor, session_id)
    clean_reason = _check_reason(reason)
    if not clean_reason:
        raise InvalidInput(
            N_("Please say why the session did not take place, for example: Hoãn vì mưa bão.")
        )
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = clean_reason
    session.updated_at = ctx.clock.now()
    ctx.session.add(session)
    add_history(ctx, session, actor, SessionChangeKind.CANCELLED, field="held", reason=clean_reason)
    await ctx.session.flush()
    notices = notices_for(
        await session_audience(ctx, session, plan, host_roles=HOST_ROLES),
        N_("The {kind} of “{host}” ({when}) did not take place. Reason: {reason}"),
        await session_params(ctx, session, plan) | {"reason": clean_reason},
        exclude=actor.id,
    )
    return await finish_change(
        ctx, SessionCancelled(session), CHANGED_KIND, Outcome(session, notices)
    )


__all__ = ["hold_ended", "mark_held", "mark_not_held"]
