"""Plans (KẾ HOẠCH): create, edit, issue, close, and who may see them.

Also the helpers the session, requirement and appraisal services share: walking the unit tree
in SQL, finding the people to notify, and reading dates typed by users.

Dates and times: services accept either objects (`date`, aware `datetime`, `ExactTime`,
`MonthOnly`) or the text the user typed, which is read with `vn_datetime.parse_when`
against `ctx.clock`; unreadable text raises `InvalidInput` with an example.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from sqlalchemy import union
from sqlmodel import col, select
from sqlmodel.sql.expression import Select

from core.i18n import N_, Msgid
from services import roles
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.notifications import Outcome, notices_for
from services.units import get_unit
from services.units import sort_key as unit_sort_key
from services.validation import check_label, clean_text
from services.vn_datetime import VN_TZ, DateParseError, ExactTime, MonthOnly, parse_when
from storage.models import (
    Membership,
    ModelSession,
    Person,
    Plan,
    PlanStatus,
    Requirement,
    RequirementTarget,
    Role,
    SessionKind,
    SessionStatus,
    Unit,
)

SESSION_KIND_LABELS: dict[SessionKind, Msgid] = {
    SessionKind.THUONG_KY: N_("regular session (sinh hoạt thường kỳ)"),
    SessionKind.CHUYEN_DE: N_("thematic session (sinh hoạt chuyên đề)"),
    SessionKind.HOI_THAO: N_("workshop (hội thảo)"),
}

# Examples shown in error messages: what a user would type (always Vietnamese style).
EXAMPLE_TIME = "28/3 lúc 8h"
EXAMPLE_DAY = "30/6"
EXAMPLE_MONTH = "tháng 5"

MAX_LEGAL_BASES = 30
MAX_LEGAL_BASIS_LENGTH = 1000
PLAN_NUMBER = re.compile(r"^\d{1,5}-\S{1,44}$")
_NUMBER_SPACES = re.compile(r"\s*([-/])\s*")

HOST_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY)
OVERSIGHT_ROLES = (Role.ORGANISER, Role.LEADER)

_PARSE_ERRORS: dict[str, Msgid] = {
    "empty": N_("Please type a date, for example: {example}."),
    "too_long": N_(
        "That is too long for a date. Please type just the date, for example: {example}."
    ),
    "unrecognised": N_("I could not read that date. Please type it like this: {example}."),
    "ambiguous": N_(
        "That date can be read in more than one way. Please type it like this: {example}."
    ),
    "invalid_date": N_(
        "That date does not exist. Please check the day and month, for example: {example}."
    ),
    "in_past": N_("That date has already passed. Please give a later one, for example: {example}."),
    "missing_time": N_("Please add the time of day, for example: {example}."),
    "missing_date": N_("Please add the day, for example: {example}."),
}


# --------------------------------------------------------------------------- dates


def parse_when_text(
    ctx: Ctx, text: str, *, require_time: bool = True, allow_past: bool = False
) -> ExactTime | MonthOnly:
    """`parse_when` against the context's clock; errors become `InvalidInput`."""
    try:
        return parse_when(text, ctx.clock.now(), allow_past=allow_past, require_time=require_time)
    except DateParseError as exc:
        example = EXAMPLE_TIME if require_time else EXAMPLE_DAY
        raise InvalidInput(_PARSE_ERRORS[exc.code], example=example) from exc


def parse_day(ctx: Ctx, value: date | str, *, allow_past: bool = False) -> date:
    """A calendar day (local), from a `date` or typed text such as "30/6" or "30/6/2025"."""
    if isinstance(value, datetime):
        return value.astimezone(VN_TZ).date()
    if isinstance(value, date):
        return value
    parsed = parse_when_text(ctx, value, require_time=False, allow_past=allow_past)
    if isinstance(parsed, MonthOnly):
        raise InvalidInput(N_("Please add the day, for example: {example}."), example=EXAMPLE_DAY)
    return parsed.starts_at.astimezone(VN_TZ).date()


def local_today(ctx: Ctx) -> date:
    return ctx.clock.now().astimezone(VN_TZ).date()


def month_start_utc(year: int, month: int) -> datetime:
    """The first instant of a local month, in UTC."""
    return datetime(year, month, 1, tzinfo=VN_TZ).astimezone(UTC)


# --------------------------------------------------------------------------- tree and people


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
    """Secretary or deputy secretary of the unit, or organiser of it or of a unit above it."""
    if person is None or person.id is None:
        return False
    result = await ctx.session.exec(
        select(Membership.id).where(
            Membership.person_id == person.id,
            Membership.unit_id == unit_id,
            col(Membership.role).in_([r.value for r in HOST_ROLES]),
        )
    )
    if result.first() is not None:
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


# --------------------------------------------------------------------------- plans


async def get_plan(ctx: Ctx, plan_id: int) -> Plan:
    plan = await ctx.session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(N_("That plan no longer exists."))
    return plan


def legal_bases_of(plan: Plan) -> list[str]:
    return [line for line in plan.legal_bases.split("\n") if line]


async def can_manage_plan(ctx: Ctx, person: Person | None, plan: Plan) -> bool:
    return await roles.can_manage(ctx, person, plan.issuer_unit_id)


async def require_plan_manager(ctx: Ctx, actor: Person | None, plan: Plan) -> None:
    if not await can_manage_plan(ctx, actor, plan):
        issuer = await get_unit(ctx, plan.issuer_unit_id)
        raise PermissionDenied(
            N_("Only the organisers of “{unit}” or of a unit above it can change this plan."),
            unit=issuer.name,
        )


def require_not_closed(plan: Plan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise Conflict(
            N_("Plan {plan} is closed, so nothing can be added or changed in it."), plan=plan.number
        )


async def require_open_for(ctx: Ctx, actor: Person | None, plan: Plan) -> None:
    """Closed plans take no changes; drafts only from the plan's organisers."""
    require_not_closed(plan)
    if plan.status == PlanStatus.DRAFT and not await can_manage_plan(ctx, actor, plan):
        raise Conflict(
            N_("Plan {plan} has not been issued yet. Please wait until the organisers issue it."),
            plan=plan.number,
        )


def check_plan_number(value: str | None) -> str:
    text = _NUMBER_SPACES.sub(r"\1", clean_text(value)).upper()
    if not PLAN_NUMBER.match(text):
        raise InvalidInput(
            N_(
                "Please type the plan number as it is written on the document, "
                "for example: 82-KH/ĐU."
            )
        )
    return text


def check_legal_bases(value: Sequence[str] | str) -> list[str]:
    raw = value.splitlines() if isinstance(value, str) else list(value)
    lines = [clean_text(line) for line in raw]
    lines = [line for line in lines if line]
    if len(lines) > MAX_LEGAL_BASES:
        raise InvalidInput(
            N_("A plan can list at most {limit} legal bases. Please keep the main ones."),
            limit=MAX_LEGAL_BASES,
        )
    for line in lines:
        if len(line) > MAX_LEGAL_BASIS_LENGTH:
            raise InvalidInput(
                N_("Each legal basis must be under {limit} characters. Please shorten: “{start}…”"),
                limit=MAX_LEGAL_BASIS_LENGTH,
                start=line[:60],
            )
    return lines


async def _check_unique_number(ctx: Ctx, issuer_id: int, number: str, exclude: int | None) -> None:
    result = await ctx.session.exec(
        select(Plan.id).where(Plan.issuer_unit_id == issuer_id, Plan.number == number)
    )
    for found in result.all():
        if found != exclude:
            raise Conflict(N_("This unit already has a plan numbered {plan}."), plan=number)


async def create_plan(
    ctx: Ctx,
    actor: Person,
    issuer_unit_id: int,
    *,
    number: str,
    title: str,
    issued_on: date | str | None = None,
    place: str = "",
    legal_bases: Sequence[str] | str = (),
) -> Plan:
    """A new plan in draft. Only organisers of the issuing unit (or above) may create it."""
    await get_unit(ctx, issuer_unit_id)
    await roles.require_organiser(ctx, actor, issuer_unit_id)
    clean_number = check_plan_number(number)
    clean_title = check_label(title, max_length=300, what=N_("plan title"))
    day = parse_day(ctx, issued_on, allow_past=True) if issued_on is not None else None
    clean_place = check_label(place, max_length=120, what=N_("place of issue")) if place else ""
    bases = check_legal_bases(legal_bases)
    await _check_unique_number(ctx, issuer_unit_id, clean_number, None)
    plan = Plan(
        number=clean_number,
        title=clean_title,
        issuer_unit_id=issuer_unit_id,
        issued_on=day,
        place=clean_place,
        legal_bases="\n".join(bases),
        status=PlanStatus.DRAFT,
        created_by_id=actor.id,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(plan)
    await ctx.session.flush()
    return plan


async def update_plan(
    ctx: Ctx,
    actor: Person,
    plan_id: int,
    *,
    number: str | None = None,
    title: str | None = None,
    issued_on: date | str | None = None,
    place: str | None = None,
    legal_bases: Sequence[str] | str | None = None,
) -> Plan:
    """Change the given fields (None leaves a field as it is). Closed plans cannot change."""
    plan = await get_plan(ctx, plan_id)
    await require_plan_manager(ctx, actor, plan)
    require_not_closed(plan)
    changes: dict[str, object] = {}
    if number is not None:
        changes["number"] = check_plan_number(number)
        await _check_unique_number(ctx, plan.issuer_unit_id, str(changes["number"]), plan.id)
    if title is not None:
        changes["title"] = check_label(title, max_length=300, what=N_("plan title"))
    if issued_on is not None:
        changes["issued_on"] = parse_day(ctx, issued_on, allow_past=True)
    if place is not None:
        changes["place"] = (
            check_label(place, max_length=120, what=N_("place of issue")) if place.strip() else ""
        )
    if legal_bases is not None:
        changes["legal_bases"] = "\n".join(check_legal_bases(legal_bases))
    for key, value in changes.items():
        setattr(plan, key, value)
    ctx.session.add(plan)
    await ctx.session.flush()
    return plan


async def _concerned_unit_ids(ctx: Ctx, plan: Plan) -> set[int]:
    hosts = await ctx.session.exec(
        select(ModelSession.host_unit_id).where(
            ModelSession.plan_id == plan.id, ModelSession.status != SessionStatus.CANCELLED.value
        )
    )
    targets = await ctx.session.exec(
        select(RequirementTarget.unit_id)
        .join(Requirement, col(Requirement.id) == RequirementTarget.requirement_id)
        .where(Requirement.plan_id == plan.id)
    )
    return set(hosts.all()) | set(targets.all())


async def issue_plan(ctx: Ctx, actor: Person, plan_id: int) -> Outcome[Plan]:
    """Draft → issued. Tells the secretaries and organisers of the units the plan concerns."""
    plan = await get_plan(ctx, plan_id)
    await require_plan_manager(ctx, actor, plan)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(N_("Plan {plan} has already been issued."), plan=plan.number)
    plan.status = PlanStatus.ISSUED
    if plan.issued_on is None:
        plan.issued_on = local_today(ctx)
    ctx.session.add(plan)
    await ctx.session.flush()
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    concerned = await _concerned_unit_ids(ctx, plan)
    recipients = await people_in(ctx, concerned, (*HOST_ROLES, Role.ORGANISER))
    notices = notices_for(
        recipients,
        N_("Plan {plan} “{title}” has been issued by {issuer}. It concerns your unit."),
        {"plan": plan.number, "title": plan.title, "issuer": issuer.name, "plan_id": plan.id},
        exclude=actor.id,
    )
    return Outcome(plan, notices)


async def close_plan(ctx: Ctx, actor: Person, plan_id: int) -> Plan:
    """Issued → closed: no more sessions, requirements or documents."""
    plan = await get_plan(ctx, plan_id)
    await require_plan_manager(ctx, actor, plan)
    if plan.status == PlanStatus.DRAFT:
        raise Conflict(
            N_("Plan {plan} has not been issued yet, so it cannot be closed."), plan=plan.number
        )
    if plan.status == PlanStatus.CLOSED:
        raise Conflict(N_("Plan {plan} is already closed."), plan=plan.number)
    plan.status = PlanStatus.CLOSED
    ctx.session.add(plan)
    await ctx.session.flush()
    return plan


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
