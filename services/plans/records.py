"""Creating, editing, issuing and closing a plan, and who may manage it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import col, select

from core.i18n import N_
from services import roles
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.events import RequirementAdded
from services.notifications import Outcome
from services.plans.deliverables import tell_issued
from services.plans.rules import (
    MAX_LEGAL_BASES,
    MAX_LEGAL_BASIS_LENGTH,
    NUMBER_SPACES,
    PLAN_NUMBER,
    local_today,
    parse_day,
)
from services.units import get_unit
from services.validation import check_label, clean_text
from storage.models import (
    Person,
    Plan,
    PlanStatus,
    Requirement,
)

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
    text = NUMBER_SPACES.sub(r"\1", clean_text(value)).upper()
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


async def issue_plan(ctx: Ctx, actor: Person, plan_id: int) -> Outcome[Plan]:
    """Draft → issued. Tells the secretaries and organisers of each unit the plan concerns
    what their unit must deliver and by when, and the sessions it hosts (services.plans.
    deliverables)."""
    plan = await get_plan(ctx, plan_id)
    await require_plan_manager(ctx, actor, plan)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(N_("Plan {plan} has already been issued."), plan=plan.number)
    plan.status = PlanStatus.ISSUED
    if plan.issued_on is None:
        plan.issued_on = local_today(ctx)
    ctx.session.add(plan)
    await ctx.session.flush()
    # What each unit must deliver, and the sessions they host (told now, not while a draft).
    notices = await tell_issued(ctx, plan, actor.id)
    # Nothing was chased while it was a draft: its requirements apply from now.
    requirements = await ctx.session.exec(
        select(Requirement).where(Requirement.plan_id == plan.id).order_by(col(Requirement.id))
    )
    for requirement in requirements.all():
        await ctx.record(RequirementAdded(plan, requirement))
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
