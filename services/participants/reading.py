"""A session's participant groups and the people they bring, resolved from roles and units
(or named people), with who is missing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.plans import (
    get_plan,
    subtree_ids,
)
from services.read.sessions import get_session
from services.units import sort_key
from storage.models import (
    CategoryPerson,
    ChannelAccount,
    Membership,
    ModelSession,
    ParticipantCategory,
    ParticipantCategoryRole,
    Person,
    Plan,
    Role,
    Unit,
)

# "Every member of the unit" when a category gives units but no roles.
PARTY_ROLES: tuple[Role, ...] = (
    Role.SECRETARY,
    Role.DEPUTY_SECRETARY,
    Role.COMMITTEE_MEMBER,
    Role.MEMBER,
)
MAX_LABEL = 500
CATEGORY_LABEL = N_("participant group")


@dataclass(frozen=True, slots=True)
class Resolved:
    """A category and the people it brings (de-duplicated against earlier categories)."""

    category: ParticipantCategory
    roles: tuple[Role, ...]
    people: list[Person]
    repeated: int  # people of this category already counted in an earlier one
    defined: bool  # False: label only, nobody can be found from it (set a rule or name people)
    away: frozenset[int] = frozenset()  # of `people`: not on the bot (no account) or blocked it


@dataclass(frozen=True, slots=True)
class Missing:
    """A role of a unit that a category asks for, held by nobody on the bot yet."""

    category_id: int
    unit_id: int
    unit_name: str
    role: Role


# --------------------------------------------------------------------------- reading


def _has_unit_rule(category: ParticipantCategory) -> bool:
    return bool(category.host_unit) or category.unit_id is not None or bool(category.unit_kind)


async def categories_for(ctx: Ctx, session: ModelSession) -> list[ParticipantCategory]:
    """The plan-level categories of the session's plan and the session's own, in order."""
    result = await ctx.session.exec(
        select(ParticipantCategory)
        .where(
            ParticipantCategory.plan_id == session.plan_id,
            col(ParticipantCategory.session_id).is_(None)
            | (ParticipantCategory.session_id == session.id),
        )
        .order_by(col(ParticipantCategory.position), col(ParticipantCategory.id))
    )
    return list(result.all())


async def plan_categories(ctx: Ctx, plan_id: int) -> list[ParticipantCategory]:
    """Every category of a plan (plan-level and per session), in order."""
    result = await ctx.session.exec(
        select(ParticipantCategory)
        .where(ParticipantCategory.plan_id == plan_id)
        .order_by(col(ParticipantCategory.position), col(ParticipantCategory.id))
    )
    return list(result.all())


async def roles_of_categories(
    ctx: Ctx, categories: Sequence[ParticipantCategory]
) -> dict[int, tuple[Role, ...]]:
    """The roles each category names (one query), in the order of `Role`."""
    ids = [c.id for c in categories if c.id is not None]
    found: dict[int, set[Role]] = {i: set() for i in ids}
    for c in categories:
        if c.id is not None and c.role:
            found[c.id].add(Role(c.role))
    if ids:
        result = await ctx.session.exec(
            select(ParticipantCategoryRole.category_id, ParticipantCategoryRole.role).where(
                col(ParticipantCategoryRole.category_id).in_(ids)
            )
        )
        for category_id, role in result.all():
            found[category_id].add(Role(role))
    order = list(Role)
    return {i: tuple(sorted(r, key=order.index)) for i, r in found.items()}


async def _scope(
    ctx: Ctx,
    category: ParticipantCategory,
    roles: tuple[Role, ...],
    session: ModelSession,
    plan: Plan,
) -> set[int]:
    """The units a category's rule covers (empty when it has no rule)."""
    if not roles and not _has_unit_rule(category):
        return set()
    if category.host_unit:
        base = session.host_unit_id
    elif category.unit_id is not None:
        base = category.unit_id
    else:
        base = plan.issuer_unit_id
    if not category.unit_kind:
        return {base}
    below = await subtree_ids(ctx, [base])
    result = await ctx.session.exec(
        select(Unit.id).where(col(Unit.id).in_(below), Unit.kind == category.unit_kind)
    )
    return {i for i in result.all() if i is not None}


async def _category_people(
    ctx: Ctx, category_id: int, units: set[int], roles: Iterable[Role]
) -> list[Person]:
    """People holding one of `roles` in `units`, and the people named in the category."""
    named = select(CategoryPerson.person_id).where(CategoryPerson.category_id == category_id)
    condition = col(Person.id).in_(named)
    if units:
        holders = select(Membership.person_id).where(
            col(Membership.unit_id).in_(units),
            col(Membership.role).in_([r.value for r in roles]),
        )
        condition = condition | col(Person.id).in_(holders)
    result = await ctx.session.exec(select(Person).where(condition))
    return sorted(result.all(), key=lambda p: (sort_key(p.full_name), p.id or 0))


async def resolve_for(ctx: Ctx, session: ModelSession, plan: Plan) -> list[Resolved]:
    """`resolve` for a session and plan already loaded."""
    categories = await categories_for(ctx, session)
    role_map = await roles_of_categories(ctx, categories)
    seen: set[int] = set()
    out: list[Resolved] = []
    for category in categories:
        assert category.id is not None
        roles = role_map.get(category.id, ())
        units = await _scope(ctx, category, roles, session, plan)
        people = await _category_people(ctx, category.id, units, roles or PARTY_ROLES)
        fresh = [p for p in people if p.id not in seen]
        seen.update(p.id for p in fresh if p.id is not None)
        out.append(
            Resolved(
                category=category,
                roles=roles,
                people=fresh,
                repeated=len(people) - len(fresh),
                defined=bool(roles) or _has_unit_rule(category) or bool(people),
            )
        )
    everyone = [p for r in out for p in r.people]
    on_bot = await _with_accounts(ctx, [p.id for p in everyone if p.id is not None])
    # (people written with a Telegram id only, before accounts, are on the bot too)
    away = {
        p.id for p in everyone if (p.id not in on_bot and p.telegram_id is None) or p.blocked_bot
    }
    return [replace(r, away=frozenset(p.id for p in r.people if p.id in away)) for r in out]


async def _with_accounts(ctx: Ctx, person_ids: list[int]) -> set[int]:
    """Which of these people have a messenger account (Telegram or Zalo)."""
    if not person_ids:
        return set()
    result = await ctx.session.exec(
        select(ChannelAccount.person_id).where(col(ChannelAccount.person_id).in_(person_ids))
    )
    return {i for i in result.all() if i is not None}


async def resolve(ctx: Ctx, session_id: int) -> list[Resolved]:
    """Each category of the session with its people, a person only in the first category that
    names them. Reads only: callers show it to organisers (see invitations.preview)."""
    session = await get_session(ctx, session_id)
    plan = await get_plan(ctx, session.plan_id)
    return await resolve_for(ctx, session, plan)


async def missing(ctx: Ctx, session_id: int) -> list[Missing]:
    """The (unit, role) pairs the session's categories ask for that nobody on the bot holds
    yet, so organisers can pass on an invite link. For "every member" rules, a unit counts as
    missing its members when nobody holds any party role there. Each pair once, in category
    order, units by name."""
    session = await get_session(ctx, session_id)
    plan = await get_plan(ctx, session.plan_id)
    categories = await categories_for(ctx, session)
    role_map = await roles_of_categories(ctx, categories)
    wanted: list[tuple[int, set[int], tuple[Role, ...]]] = []
    all_units: set[int] = set()
    for category in categories:
        assert category.id is not None
        roles = role_map.get(category.id, ())
        if not roles and not _has_unit_rule(category):
            continue
        units = await _scope(ctx, category, roles, session, plan)
        wanted.append((category.id, units, roles))
        all_units |= units
    if not all_units:
        return []
    held_result = await ctx.session.exec(
        select(Membership.unit_id, Membership.role)
        .where(col(Membership.unit_id).in_(all_units))
        .distinct()
    )
    held = {(unit_id, Role(role)) for unit_id, role in held_result.all()}
    names_result = await ctx.session.exec(
        select(Unit.id, Unit.name).where(col(Unit.id).in_(all_units))
    )
    names = {uid: name for uid, name in names_result.all()}
    out: list[Missing] = []
    reported: set[tuple[int, Role]] = set()
    for category_id, units, roles in wanted:
        for unit_id in sorted(units, key=lambda u: (sort_key(names.get(u, "")), u)):
            if roles:
                gaps = [r for r in roles if (unit_id, r) not in held]
            elif any((unit_id, r) in held for r in PARTY_ROLES):
                gaps = []
            else:
                gaps = [Role.MEMBER]
            for role in gaps:
                if (unit_id, role) in reported:
                    continue
                reported.add((unit_id, role))
                out.append(Missing(category_id, unit_id, names.get(unit_id, ""), role))
    return out
