"""Adding, changing and deleting participant groups, and the people a group names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, update
from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import InvalidInput, NotFound
from services.participants.reading import CATEGORY_LABEL, MAX_LABEL
from services.plans import (
    ancestor_set,
    get_plan,
    require_not_closed,
    require_plan_manager,
    subtree_ids,
)
from services.read.sessions import get_session, require_changeable
from services.units import get_unit, sort_key
from services.validation import check_label
from storage.models import (
    CategoryPerson,
    ChannelAccount,
    Invitation,
    Membership,
    ParticipantCategory,
    ParticipantCategoryRole,
    Person,
    Plan,
    Role,
    UnitKind,
)

# --------------------------------------------------------------------------- changing


async def _get_category(ctx: Ctx, category_id: int) -> ParticipantCategory:
    category = await ctx.session.get(ParticipantCategory, category_id)
    if category is None:
        raise NotFound(N_("That participant group no longer exists."))
    return category


async def _load_for_change(ctx: Ctx, actor: Person, category: ParticipantCategory) -> Plan:
    plan = await get_plan(ctx, category.plan_id)
    await require_plan_manager(ctx, actor, plan)
    require_not_closed(plan)
    if category.session_id is not None:
        require_changeable(await get_session(ctx, category.session_id))
    return plan


def _clean_roles(roles: Iterable[Role | str]) -> list[Role]:
    out: list[Role] = []
    for role in roles:
        value = Role(role)
        if value not in out:
            out.append(value)
    return out


async def _check_rule(
    ctx: Ctx, plan: Plan, unit_id: int | None, unit_kind: UnitKind | str | None, host_unit: bool
) -> str | None:
    """Checks the unit part of a rule; returns the kind as stored."""
    if host_unit and unit_id is not None:
        raise ValueError("a category names either the host unit or a fixed unit, not both")
    kind = UnitKind(unit_kind).value if unit_kind else None
    if unit_id is not None:
        unit = await get_unit(ctx, unit_id)
        inside = await subtree_ids(ctx, [plan.issuer_unit_id])
        above = await ancestor_set(ctx, [plan.issuer_unit_id])
        if unit_id not in inside | above:
            issuer = await get_unit(ctx, plan.issuer_unit_id)
            raise InvalidInput(
                N_(
                    "“{unit}” is neither under {issuer} nor above it, so it cannot be named in "
                    "this plan's participants."
                ),
                unit=unit.name,
                issuer=issuer.name,
            )
    return kind


async def _check_people(ctx: Ctx, person_ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return []
    result = await ctx.session.exec(select(func.count()).where(col(Person.id).in_(ids)))
    if result.one() != len(ids):
        raise NotFound(N_("That person is no longer on the bot."))
    return ids


async def _set_roles(ctx: Ctx, category_id: int, roles: Sequence[Role]) -> None:
    await ctx.session.exec(  # type: ignore[call-overload]
        delete(ParticipantCategoryRole).where(
            col(ParticipantCategoryRole.category_id) == category_id
        )
    )
    for role in roles:
        ctx.session.add(ParticipantCategoryRole(category_id=category_id, role=role))


async def _add_people(ctx: Ctx, category_id: int, person_ids: Sequence[int]) -> int:
    if not person_ids:
        return 0
    existing = await ctx.session.exec(
        select(CategoryPerson.person_id).where(
            CategoryPerson.category_id == category_id,
            col(CategoryPerson.person_id).in_(person_ids),
        )
    )
    have = set(existing.all())
    now = ctx.clock.now()
    added = 0
    for person_id in person_ids:
        if person_id not in have:
            ctx.session.add(
                CategoryPerson(category_id=category_id, person_id=person_id, created_at=now)
            )
            added += 1
    return added


async def add_category(
    ctx: Ctx,
    actor: Person,
    plan_id: int,
    label: str,
    *,
    session_id: int | None = None,
    roles: Iterable[Role | str] = (),
    unit_id: int | None = None,
    unit_kind: UnitKind | str | None = None,
    host_unit: bool = False,
    person_ids: Iterable[int] = (),
) -> ParticipantCategory:
    """A new category at the end of the plan's list, for the whole plan or one session.

    Examples: roles {secretary, deputy_secretary} with unit_kind cell under `unit_id` (the
    secretaries of the cells under a unit); role committee_member of `unit_id`; `host_unit`
    without roles (every party member of the host unit); named people only."""
    plan = await get_plan(ctx, plan_id)
    await require_plan_manager(ctx, actor, plan)
    require_not_closed(plan)
    if session_id is not None:
        session = await get_session(ctx, session_id)
        if session.plan_id != plan.id:
            raise NotFound(N_("That session no longer exists."))
        require_changeable(session)
    clean_label = check_label(label, max_length=MAX_LABEL, what=CATEGORY_LABEL)
    clean_roles = _clean_roles(roles)
    kind = await _check_rule(ctx, plan, unit_id, unit_kind, host_unit)
    people = await _check_people(ctx, person_ids)
    last = await ctx.session.exec(
        select(func.max(ParticipantCategory.position)).where(ParticipantCategory.plan_id == plan.id)
    )
    top = last.one()
    category = ParticipantCategory(
        plan_id=plan.id,  # type: ignore[arg-type]
        session_id=session_id,
        label=clean_label,
        position=0 if top is None else top + 1,
        unit_id=unit_id,
        unit_kind=kind,
        host_unit=host_unit or None,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(category)
    await ctx.session.flush()
    assert category.id is not None
    await _set_roles(ctx, category.id, clean_roles)
    await _add_people(ctx, category.id, people)
    await ctx.session.flush()
    return category


async def set_rule(
    ctx: Ctx,
    actor: Person,
    category_id: int,
    *,
    roles: Iterable[Role | str] = (),
    unit_id: int | None = None,
    unit_kind: UnitKind | str | None = None,
    host_unit: bool = False,
) -> ParticipantCategory:
    """Replace the rule of a category (e.g. one read from an imported plan, label only).
    Named people stay. Everything empty leaves a label-only category."""
    category = await _get_category(ctx, category_id)
    plan = await _load_for_change(ctx, actor, category)
    clean_roles = _clean_roles(roles)
    kind = await _check_rule(ctx, plan, unit_id, unit_kind, host_unit)
    category.role = None
    category.unit_id = unit_id
    category.unit_kind = kind
    category.host_unit = host_unit or None
    ctx.session.add(category)
    await _set_roles(ctx, category_id, clean_roles)
    await ctx.session.flush()
    return category


async def add_people(ctx: Ctx, actor: Person, category_id: int, person_ids: Iterable[int]) -> int:
    """Name people in a category; returns how many were not named there yet."""
    category = await _get_category(ctx, category_id)
    await _load_for_change(ctx, actor, category)
    people = await _check_people(ctx, person_ids)
    added = await _add_people(ctx, category_id, people)
    await ctx.session.flush()
    return added


async def remove_person(ctx: Ctx, actor: Person, category_id: int, person_id: int) -> bool:
    """Un-name a person (invitations already sent stay). True when they were named."""
    category = await _get_category(ctx, category_id)
    await _load_for_change(ctx, actor, category)
    result = await ctx.session.exec(  # type: ignore[call-overload]
        delete(CategoryPerson).where(
            col(CategoryPerson.category_id) == category_id,
            col(CategoryPerson.person_id) == person_id,
        )
    )
    return bool(result.rowcount)


async def delete_category(ctx: Ctx, actor: Person, category_id: int) -> None:
    """Remove a category. Invitations already sent stay, without a category."""
    category = await _get_category(ctx, category_id)
    await _load_for_change(ctx, actor, category)
    for stmt in (
        update(Invitation)
        .where(col(Invitation.category_id) == category_id)
        .values(category_id=None),
        delete(ParticipantCategoryRole).where(
            col(ParticipantCategoryRole.category_id) == category_id
        ),
        delete(CategoryPerson).where(col(CategoryPerson.category_id) == category_id),
    ):
        await ctx.session.exec(stmt.execution_options(synchronize_session=False))  # type: ignore[call-overload]
    await ctx.session.delete(category)
    await ctx.session.flush()


# --------------------------------------------------------------------------- chat helpers


async def candidates(ctx: Ctx, actor: Person, plan_id: int) -> list[Person]:
    """The people on the bot an organiser may name in the plan's categories: everyone who has
    given their name and holds a role in the issuing unit, in a unit below it or above it; by
    name."""
    plan = await get_plan(ctx, plan_id)
    await require_plan_manager(ctx, actor, plan)
    units = await subtree_ids(ctx, [plan.issuer_unit_id]) | await ancestor_set(
        ctx, [plan.issuer_unit_id]
    )
    result = await ctx.session.exec(
        select(Person).where(
            col(Person.telegram_id).is_not(None)
            | col(Person.id).in_(
                select(ChannelAccount.person_id).where(col(ChannelAccount.person_id).is_not(None))
            ),
            col(Person.full_name) != "",
            col(Person.id).in_(
                select(Membership.person_id).where(col(Membership.unit_id).in_(units))
            ),
        )
    )
    return sorted(result.all(), key=lambda p: (sort_key(p.full_name), p.id or 0))


async def named_ids(ctx: Ctx, category_id: int) -> set[int]:
    """Ids of the people named in a category."""
    result = await ctx.session.exec(
        select(CategoryPerson.person_id).where(CategoryPerson.category_id == category_id)
    )
    return set(result.all())
