"""Removing a unit created by mistake: deleting one nothing uses yet (refused with the reason
otherwise), or merging it into another unit of the same kind, which takes over its units,
people, invite links, plans, sessions, requirements, documents and participant groups."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, update
from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, InvalidInput
from services.roles import ancestor_ids, require_organiser
from services.units import _same_name, get_unit
from storage.models import (
    Document,
    InviteLink,
    Membership,
    ModelSession,
    ParticipantCategory,
    Person,
    Plan,
    Requirement,
    RequirementTarget,
    TargetStatus,
    Unit,
)


@dataclass(frozen=True, slots=True)
class Uses:
    """What still refers to a unit."""

    units: int
    people: int
    plans: int
    sessions: int
    requirements: int
    documents: int
    groups: int

    @property
    def any(self) -> bool:
        return any(
            (
                self.units,
                self.people,
                self.plans,
                self.sessions,
                self.requirements,
                self.documents,
                self.groups,
            )
        )


async def _count(ctx: Ctx, column: object, unit_id: int) -> int:
    result = await ctx.session.exec(select(func.count()).where(column == unit_id))  # type: ignore[call-overload,operator]
    return int(result.one())


async def uses_of(ctx: Ctx, unit_id: int) -> Uses:
    return Uses(
        units=await _count(ctx, col(Unit.parent_id), unit_id),
        people=await _count(ctx, col(Membership.unit_id), unit_id),
        plans=await _count(ctx, col(Plan.issuer_unit_id), unit_id),
        sessions=await _count(ctx, col(ModelSession.host_unit_id), unit_id),
        requirements=await _count(ctx, col(RequirementTarget.unit_id), unit_id)
        + await _count(ctx, col(Requirement.scope_unit_id), unit_id),
        documents=await _count(ctx, col(Document.unit_id), unit_id),
        groups=await _count(ctx, col(ParticipantCategory.unit_id), unit_id),
    )


async def _removable(ctx: Ctx, actor: Person | None, unit_id: int) -> Unit:
    unit = await get_unit(ctx, unit_id)
    await require_organiser(ctx, actor, unit.parent_id if unit.parent_id is not None else unit_id)
    if unit.parent_id is None:
        raise InvalidInput(N_("The top committee cannot be deleted or merged."))
    return unit


async def check_delete(ctx: Ctx, actor: Person | None, unit_id: int) -> Unit:
    """The unit, once it may be deleted; otherwise the reason (what still uses it)."""
    unit = await _removable(ctx, actor, unit_id)
    uses = await uses_of(ctx, unit_id)
    if uses.any:
        raise Conflict(
            N_(
                "“{unit}” cannot be deleted while it is in use: {units} units under it, "
                "{people} roles of people, {plans} plans, {sessions} sessions, "
                "{requirements} requirements, {documents} documents, {groups} participant "
                "groups. Merge it into the right unit instead: everything moves there."
            ),
            unit=unit.name,
            units=uses.units,
            people=uses.people,
            plans=uses.plans,
            sessions=uses.sessions,
            requirements=uses.requirements,
            documents=uses.documents,
            groups=uses.groups,
        )
    return unit


async def delete_unit(ctx: Ctx, actor: Person, unit_id: int) -> str:
    """Delete a unit nothing uses (its invite links go with it). Returns its name."""
    unit = await check_delete(ctx, actor, unit_id)
    name = unit.name
    await ctx.session.exec(  # type: ignore[call-overload]
        delete(InviteLink).where(col(InviteLink.unit_id) == unit_id)
    )
    await ctx.session.delete(unit)
    await ctx.session.flush()
    return name


async def check_merge(ctx: Ctx, actor: Person | None, unit_id: int, into_id: int) -> Unit:
    """The unit that would take over `unit_id`, once the merge may be done."""
    unit = await _removable(ctx, actor, unit_id)
    into = await get_unit(ctx, into_id)
    await require_organiser(ctx, actor, into_id)
    if into_id == unit_id or unit_id in await ancestor_ids(ctx, into_id):
        raise InvalidInput(N_("A unit cannot be merged into itself or one of its own units."))
    if into.kind != unit.kind:
        raise InvalidInput(
            N_("Only units of the same kind can be merged. Please choose another unit.")
        )
    children = (await ctx.session.exec(select(Unit.name).where(Unit.parent_id == unit_id))).all()
    theirs = (await ctx.session.exec(select(Unit.name).where(Unit.parent_id == into_id))).all()
    for name in children:
        if any(_same_name(name, other) for other in theirs):
            raise Conflict(
                N_("Both units have a unit named “{name}”. Please rename one of them first."),
                name=name,
            )
    numbers = select(Plan.number).where(Plan.issuer_unit_id == into_id)
    clash = (
        await ctx.session.exec(
            select(Plan.number).where(Plan.issuer_unit_id == unit_id, col(Plan.number).in_(numbers))
        )
    ).first()
    if clash is not None:
        raise Conflict(
            N_("Both units issued a plan numbered {number}. Please renumber one of them first."),
            number=clash,
        )
    return into


async def merge_units(ctx: Ctx, actor: Person, unit_id: int, into_id: int) -> Unit:
    """Merge `unit_id` into `into_id` and delete it. A role someone holds in both, or a
    requirement both were asked for, is kept once (delivered if either delivered)."""
    await check_merge(ctx, actor, unit_id, into_id)
    source = await get_unit(ctx, unit_id)
    await _merge_memberships(ctx, unit_id, into_id)
    await _merge_targets(ctx, unit_id, into_id)
    for model, field in (
        (Unit, "parent_id"),
        (InviteLink, "unit_id"),
        (Requirement, "scope_unit_id"),
        (Plan, "issuer_unit_id"),
        (ModelSession, "host_unit_id"),
        (Document, "unit_id"),
        (ParticipantCategory, "unit_id"),
    ):
        await ctx.session.exec(  # type: ignore[call-overload]
            update(model)
            .where(getattr(model, field) == unit_id)
            .values({field: into_id})
            .execution_options(synchronize_session=False)
        )
    await ctx.session.flush()
    await ctx.session.delete(source)
    await ctx.session.flush()
    for loaded in list(ctx.session.identity_map.values()):  # their parents may have moved
        if isinstance(loaded, Unit):
            ctx.session.expire(loaded)
    merged = await ctx.session.get(Unit, into_id, populate_existing=True)
    assert merged is not None
    return merged


async def _merge_memberships(ctx: Ctx, unit_id: int, into_id: int) -> None:
    held = {
        (p, r)
        for p, r in (
            await ctx.session.exec(
                select(Membership.person_id, Membership.role).where(Membership.unit_id == into_id)
            )
        ).all()
    }
    for membership in (
        await ctx.session.exec(select(Membership).where(Membership.unit_id == unit_id))
    ).all():
        if (membership.person_id, membership.role) in held:
            await ctx.session.delete(membership)
        else:
            membership.unit_id = into_id
            ctx.session.add(membership)
    await ctx.session.flush()


async def _merge_targets(ctx: Ctx, unit_id: int, into_id: int) -> None:
    theirs = {
        t.requirement_id: t
        for t in (
            await ctx.session.exec(
                select(RequirementTarget).where(RequirementTarget.unit_id == into_id)
            )
        ).all()
    }
    for target in (
        await ctx.session.exec(
            select(RequirementTarget).where(RequirementTarget.unit_id == unit_id)
        )
    ).all():
        kept = theirs.get(target.requirement_id)
        if kept is None:
            target.unit_id = into_id
            ctx.session.add(target)
            continue
        if target.status == TargetStatus.SUBMITTED and kept.status != TargetStatus.SUBMITTED:
            kept.status, kept.submitted_at = target.status, target.submitted_at
            ctx.session.add(kept)
        await ctx.session.delete(target)
    await ctx.session.flush()
