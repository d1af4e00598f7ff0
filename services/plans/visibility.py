"""Which plans a person sees."""

from __future__ import annotations

from sqlalchemy import union
from sqlmodel import col, select
from sqlmodel.sql.expression import Select

from core.i18n import N_
from services.context import Ctx
from services.errors import NotFound
from services.plans.records import get_plan
from services.read.org import ancestor_set, member_unit_ids, subtree_ids, unit_ids_with_role
from services.roles import HOST_ROLES, OVERSIGHT_ROLES
from storage.models import (
    ModelSession,
    Person,
    Plan,
    PlanStatus,
    Requirement,
    RequirementTarget,
    SessionStatus,
)


async def _visibility_sets(ctx: Ctx, person: Person | None) -> tuple[set[int], set[int], set[int]]:
    """(oversee, reach, up): issuers whose plans the person sees whatever their status; units
    whose sessions or requirements make a plan concern the person; units above the person's
    own units (a requirement on them concerns the units below too)."""
    mine = await member_unit_ids(ctx, person)
    if not mine:
        return set(), set(), set()
    oversee = await subtree_ids(ctx, await unit_ids_with_role(ctx, person, OVERSIGHT_ROLES))
    managed = await unit_ids_with_role(ctx, person, (*OVERSIGHT_ROLES, *HOST_ROLES))
    reach = mine | await subtree_ids(ctx, managed)
    up = await ancestor_set(ctx, mine)
    return oversee, reach, up


async def _visible_query(ctx: Ctx, person: Person | None) -> Select[tuple[Plan]] | None:
    oversee, reach, up = await _visibility_sets(ctx, person)
    if not (oversee or reach):
        return None
    hosting = select(ModelSession.plan_id).where(
        col(ModelSession.host_unit_id).in_(reach),
        ModelSession.status != SessionStatus.CANCELLED.value,
    )
    targeted = (
        select(Requirement.plan_id)
        .join(RequirementTarget, col(RequirementTarget.requirement_id) == Requirement.id)
        .where(col(RequirementTarget.unit_id).in_(reach | up))
    )
    concerned = union(hosting, targeted).subquery()
    return select(Plan).where(
        col(Plan.issuer_unit_id).in_(oversee)
        | ((Plan.status != PlanStatus.DRAFT.value) & col(Plan.id).in_(select(concerned.c.plan_id)))
    )


async def visible_plans(ctx: Ctx, person: Person | None) -> list[Plan]:
    """Plans the person may see, newest first.

    Organisers and leaders of the issuing unit or above see every plan, drafts included.
    Others see issued and closed plans that concern one of their units: a session hosted by
    it (or below a unit they run), or a requirement on it or on a unit above it."""
    query = await _visible_query(ctx, person)
    if query is None:
        return []
    query = query.order_by(col(Plan.created_at).desc(), col(Plan.id).desc())
    return list((await ctx.session.exec(query)).all())


async def can_view_plan(ctx: Ctx, person: Person | None, plan: Plan) -> bool:
    query = await _visible_query(ctx, person)
    if query is None:
        return False
    return (await ctx.session.exec(query.where(Plan.id == plan.id))).first() is not None


async def get_visible_plan(ctx: Ctx, person: Person | None, plan_id: int) -> Plan:
    """The plan, or NotFound when it does not exist or the person may not see it."""
    plan = await get_plan(ctx, plan_id)
    if not await can_view_plan(ctx, person, plan):
        raise NotFound(N_("That plan no longer exists."))
    return plan
