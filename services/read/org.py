"""The unit tree and who holds which role in it: the reads every service shares."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, select

from core.i18n import N_
from services import roles
from services.context import Ctx
from services.errors import PermissionDenied
from services.units import get_unit
from services.units import sort_key as unit_sort_key
from storage.models import (
    Membership,
    Person,
    Plan,
    Role,
    Unit,
)


async def subtree_ids(ctx: Ctx, roots: Iterable[int]) -> set[int]:
    """The given units and every unit below them (one recursive SQL query)."""
    wanted = set(roots)
    if not wanted:
        return set()
    tree = (
        select(col(Unit.id).label("id")).where(col(Unit.id).in_(wanted)).cte("tree", recursive=True)
    )
    tree = tree.union(select(col(Unit.id)).where(col(Unit.parent_id) == tree.c.id))
    result = await ctx.session.exec(select(tree.c.id))
    return set(result.all())


async def ancestor_set(ctx: Ctx, units: Iterable[int]) -> set[int]:
    """The given units and every unit above them (one recursive SQL query)."""
    wanted = set(units)
    if not wanted:
        return set()
    chain = (
        select(col(Unit.id).label("id"), col(Unit.parent_id).label("parent_id"))
        .where(col(Unit.id).in_(wanted))
        .cte("chain", recursive=True)
    )
    chain = chain.union(
        select(col(Unit.id), col(Unit.parent_id)).where(col(Unit.id) == chain.c.parent_id)
    )
    result = await ctx.session.exec(select(chain.c.id))
    return set(result.all())


async def unit_ids_with_role(ctx: Ctx, person: Person | None, wanted: Iterable[Role]) -> set[int]:
    if person is None or person.id is None:
        return set()
    result = await ctx.session.exec(
        select(Membership.unit_id).where(
            Membership.person_id == person.id,
            col(Membership.role).in_([r.value for r in wanted]),
        )
    )
    return set(result.all())


async def member_unit_ids(ctx: Ctx, person: Person | None) -> set[int]:
    return await unit_ids_with_role(ctx, person, Role)


async def people_in(
    ctx: Ctx, unit_ids: Iterable[int], wanted: Iterable[Role] | None = None
) -> list[int]:
    """Ids of people holding any role (or one of `wanted`) in the units, in id order."""
    ids = set(unit_ids)
    if not ids:
        return []
    query = select(Membership.person_id).where(col(Membership.unit_id).in_(ids)).distinct()
    if wanted is not None:
        query = query.where(col(Membership.role).in_([r.value for r in wanted]))
    result = await ctx.session.exec(query.order_by(Membership.person_id))
    return list(result.all())


async def issuer_organiser_ids(ctx: Ctx, plan: Plan) -> list[int]:
    """Organisers of the issuing unit (or of its nearest ancestor that has any)."""
    return [p.id for p in await roles.organisers_of(ctx, plan.issuer_unit_id) if p.id is not None]


async def is_under(ctx: Ctx, unit_id: int, ancestor_id: int, *, strictly: bool = False) -> bool:
    chain = await roles.ancestor_ids(ctx, unit_id)
    if strictly:
        chain = chain[1:]
    return ancestor_id in chain


async def is_unit_officer(ctx: Ctx, person: Person | None, unit_id: int) -> bool:
    """Secretary or deputy secretary of the unit (or of the đảng ủy cơ sở above its chi bộ:
    `roles.runs_unit`), or organiser of it or of a unit above it."""
    if person is None or person.id is None:
        return False
    if await roles.runs_unit(ctx, person, unit_id):
        return True
    return await roles.can_manage(ctx, person, unit_id)


async def require_unit_officer(ctx: Ctx, actor: Person | None, unit_id: int) -> None:
    if not await is_unit_officer(ctx, actor, unit_id):
        unit = await get_unit(ctx, unit_id)
        raise PermissionDenied(
            N_(
                "Only the secretary or deputy secretary of “{unit}”, or the organisers of it "
                "or of a unit above it, can do that."
            ),
            unit=unit.name,
        )


async def issuer_units(ctx: Ctx, person: Person | None) -> list[Unit]:
    """The units the person organises (where they may issue plans), by name."""
    ids = await unit_ids_with_role(ctx, person, (Role.ORGANISER,))
    if not ids:
        return []
    result = await ctx.session.exec(select(Unit).where(col(Unit.id).in_(ids)))
    return sorted(result.all(), key=lambda u: (unit_sort_key(u.name), u.id))
