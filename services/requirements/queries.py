"""Looking up requirements, their targets and the session counts quotas are checked against."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import col, select

from core.i18n import N_
from services import roles
from services.context import Ctx
from services.errors import NotFound
from storage.models import (
    ModelSession,
    Requirement,
    RequirementKind,
    RequirementTarget,
    SessionKind,
    SessionStatus,
    Unit,
)

# --------------------------------------------------------------------------- queries


async def get_requirement(ctx: Ctx, requirement_id: int) -> Requirement:
    requirement = await ctx.session.get(Requirement, requirement_id)
    if requirement is None:
        raise NotFound(N_("That requirement no longer exists."))
    return requirement


async def plan_requirements(ctx: Ctx, plan_id: int) -> list[Requirement]:
    result = await ctx.session.exec(
        select(Requirement)
        .where(Requirement.plan_id == plan_id)
        .order_by(col(Requirement.due_at), col(Requirement.id))
    )
    return list(result.all())


async def requirement_targets(ctx: Ctx, requirement_id: int) -> list[RequirementTarget]:
    result = await ctx.session.exec(
        select(RequirementTarget)
        .join(Unit, col(Unit.id) == RequirementTarget.unit_id)
        .where(RequirementTarget.requirement_id == requirement_id)
        .order_by(col(Unit.name), col(Unit.id))
    )
    return list(result.all())


async def session_counts(
    ctx: Ctx, plan_id: int, roots: Iterable[int]
) -> dict[int, dict[SessionKind, int]]:
    """Per root unit: the plan's non-cancelled sessions hosted by it or below it, per kind.

    One recursive SQL query over the unit tree, grouped in the database."""
    wanted = set(roots)
    counts: dict[int, dict[SessionKind, int]] = {root: {} for root in wanted}
    if not wanted:
        return counts
    sub = (
        select(col(Unit.id).label("root"), col(Unit.id).label("unit_id"))
        .where(col(Unit.id).in_(wanted))
        .cte("sub", recursive=True)
    )
    sub = sub.union_all(
        select(sub.c.root, col(Unit.id)).where(col(Unit.parent_id) == sub.c.unit_id)
    )
    query = (
        select(sub.c.root, ModelSession.kind, func.count(col(ModelSession.id)))
        .join(ModelSession, col(ModelSession.host_unit_id) == sub.c.unit_id)
        .where(
            ModelSession.plan_id == plan_id,
            ModelSession.status != SessionStatus.CANCELLED.value,
        )
        .group_by(sub.c.root, ModelSession.kind)
    )
    for root, kind, n in (await ctx.session.exec(query)).all():
        counts[root][SessionKind(kind)] = int(n)
    return counts


async def report_targets_over(
    ctx: Ctx, plan_id: int, host_unit_id: int
) -> list[tuple[RequirementTarget, Requirement]]:
    """The plan's report_sessions targets on the host unit or on a unit above it."""
    chain = await roles.ancestor_ids(ctx, host_unit_id)
    result = await ctx.session.exec(
        select(RequirementTarget, Requirement)
        .join(Requirement, col(Requirement.id) == RequirementTarget.requirement_id)
        .where(
            Requirement.plan_id == plan_id,
            Requirement.kind == RequirementKind.REPORT_SESSIONS.value,
            col(RequirementTarget.unit_id).in_(chain),
        )
        .order_by(col(Requirement.due_at), col(Requirement.id))
    )
    return list(result.all())
