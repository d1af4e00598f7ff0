"""Who holds which role where, and the checks every privileged action goes through."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import select

from core.i18n import N_
from services.context import Ctx
from services.errors import PermissionDenied
from storage.models import Membership, Person, Role, Unit, UnitKind

HOST_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY)  # who runs a unit's sessions
OVERSIGHT_ROLES = (Role.ORGANISER, Role.LEADER)  # who oversees the units below
# A đảng ủy cơ sở (or bộ phận): its secretaries also run the chi bộ under it (they report their
# sessions and so fulfil what a plan asks of the đảng ủy).
PARTY_COMMITTEE_KINDS = (UnitKind.GRASSROOTS.value, UnitKind.SUB_COMMITTEE.value)


async def memberships(ctx: Ctx, person: Person) -> list[Membership]:
    result = await ctx.session.exec(
        select(Membership).where(Membership.person_id == person.id).order_by(Membership.id)
    )
    return list(result.all())


async def roles_of(ctx: Ctx, person: Person | None) -> set[Role]:
    if person is None or person.id is None:
        return set()
    return {Role(m.role) for m in await memberships(ctx, person)}


async def ancestor_ids(ctx: Ctx, unit_id: int) -> list[int]:
    """The unit itself first, then its parent, up to the root."""
    chain: list[int] = []
    current: int | None = unit_id
    seen: set[int] = set()
    while current is not None and current not in seen:
        seen.add(current)
        chain.append(current)
        unit = await ctx.session.get(Unit, current)
        current = unit.parent_id if unit else None
    return chain


async def has_role_over(
    ctx: Ctx, person: Person | None, unit_id: int, roles: Iterable[Role]
) -> bool:
    """True when the person holds one of `roles` in the unit or any of its ancestors."""
    if person is None or person.id is None:
        return False
    wanted = [r.value for r in roles]
    chain = await ancestor_ids(ctx, unit_id)
    result = await ctx.session.exec(
        select(Membership.id).where(
            Membership.person_id == person.id,
            Membership.unit_id.in_(chain),  # type: ignore[attr-defined]
            Membership.role.in_(wanted),  # type: ignore[attr-defined]
        )
    )
    return result.first() is not None


async def runs_unit(ctx: Ctx, person: Person | None, unit_id: int) -> bool:
    """Secretary or deputy secretary of the unit, or of a đảng ủy cơ sở (or bộ phận) above it
    with only such units in between."""
    if person is None or person.id is None:
        return False
    chain: list[int] = []
    unit = await ctx.session.get(Unit, unit_id)
    while unit is not None and unit.id not in chain:
        chain.append(unit.id)  # type: ignore[arg-type]
        parent = await ctx.session.get(Unit, unit.parent_id) if unit.parent_id else None
        unit = parent if parent is not None and parent.kind in PARTY_COMMITTEE_KINDS else None
    result = await ctx.session.exec(
        select(Membership.id).where(
            Membership.person_id == person.id,
            Membership.unit_id.in_(chain),  # type: ignore[attr-defined]
            Membership.role.in_([r.value for r in HOST_ROLES]),  # type: ignore[attr-defined]
        )
    )
    return result.first() is not None


async def can_manage(ctx: Ctx, person: Person | None, unit_id: int) -> bool:
    return await has_role_over(ctx, person, unit_id, (Role.ORGANISER,))


async def require_organiser(ctx: Ctx, person: Person | None, unit_id: int) -> None:
    if not await can_manage(ctx, person, unit_id):
        raise PermissionDenied(
            N_("Only the organisers (Ban Tổ chức, Văn phòng) of this unit can do that.")
        )


async def add_membership(ctx: Ctx, person: Person, unit_id: int, role: Role) -> Membership:
    existing = await ctx.session.exec(
        select(Membership).where(
            Membership.person_id == person.id,
            Membership.unit_id == unit_id,
            Membership.role == role.value,
        )
    )
    found = existing.first()
    if found is not None:
        return found
    membership = Membership(
        person_id=person.id,  # type: ignore[arg-type]
        unit_id=unit_id,
        role=role,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(membership)
    await ctx.session.flush()
    return membership


async def organisers_of(ctx: Ctx, unit_id: int, *, exclude: Person | None = None) -> list[Person]:
    """Organisers of the unit, or of its nearest ancestor that has any besides `exclude`."""
    for uid in await ancestor_ids(ctx, unit_id):
        result = await ctx.session.exec(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)  # type: ignore[arg-type]
            .where(Membership.unit_id == uid, Membership.role == Role.ORGANISER.value)
            .order_by(Person.id)
        )
        people = [p for p in result.unique().all() if exclude is None or p.id != exclude.id]
        if people:
            return people
    return []
