"""Who reads which summary, and the plans and sessions a person can pick."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import PermissionDenied
from services.plans import (
    OVERSIGHT_ROLES,
    get_plan,
    subtree_ids,
    unit_ids_with_role,
    visible_plans,
)
from services.roles import can_manage, has_role_over
from services.units import get_unit
from storage.models import (
    ModelSession,
    Person,
    Plan,
    Role,
    SessionStatus,
    Unit,
)

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
