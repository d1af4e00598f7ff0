"""Adding a requirement: its description, deadline, quotas and target units."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import InvalidInput
from services.events import RequirementAdded
from services.notifications import Notice, Outcome, notices_for
from services.plans import (
    HOST_ROLES,
    get_plan,
    is_under,
    people_in,
    require_open_for,
    require_plan_manager,
    subtree_ids,
)
from services.plans.deliverables import deliver_buttons
from services.requirements.quotas import refresh_report_targets
from services.requirements.rules import (
    MAX_DESCRIPTION,
    MAX_QUOTA,
    TargetScope,
    due_at_for,
    parse_due_day,
)
from services.units import TreeRow, get_unit, subtree_rows
from services.validation import clean_text
from storage.models import (
    DocumentPurpose,
    Person,
    Plan,
    PlanStatus,
    Requirement,
    RequirementKind,
    RequirementTarget,
    Role,
    SessionKind,
    Unit,
)

# --------------------------------------------------------------------------- requirements


def _check_quota_input(
    kind: RequirementKind, quota: Mapping[SessionKind, int] | None
) -> dict[SessionKind, int]:
    values = {k: 0 for k in SessionKind}
    if kind == RequirementKind.DOCUMENT:
        if quota and any(quota.values()):
            raise InvalidInput(
                N_("A document requirement has no session quota. Please leave it empty.")
            )
        return values
    for k, n in (quota or {}).items():
        values[SessionKind(k)] = n
    if any(n < 0 or n > MAX_QUOTA for n in values.values()):
        raise InvalidInput(
            N_(
                "Each unit can be asked for 0 to {limit} sessions of a kind. Please check the numbers."
            ),
            limit=MAX_QUOTA,
        )
    if not any(values.values()):
        raise InvalidInput(
            N_(
                "Please say how many sessions each unit must report, "
                "for example one regular and one thematic session."
            )
        )
    return values


async def _resolve_targets(
    ctx: Ctx, plan: Plan, unit_ids: Sequence[int], scope: TargetScope | None
) -> list[int]:
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    chosen: list[int] = []
    for uid in unit_ids:
        unit = await get_unit(ctx, uid)
        if not await is_under(ctx, uid, plan.issuer_unit_id, strictly=True):
            raise InvalidInput(
                N_(
                    "“{unit}” is not under {issuer}, so this plan cannot ask anything of it. "
                    "Please choose a unit under {issuer}."
                ),
                unit=unit.name,
                issuer=issuer.name,
            )
        if uid not in chosen:
            chosen.append(uid)
    if scope is not None:
        top = await get_unit(ctx, scope.unit_id)
        if not await is_under(ctx, scope.unit_id, plan.issuer_unit_id):
            raise InvalidInput(
                N_(
                    "“{unit}” is not under {issuer}, so this plan cannot ask anything of it. "
                    "Please choose a unit under {issuer}."
                ),
                unit=top.name,
                issuer=issuer.name,
            )
        below = await subtree_ids(ctx, [scope.unit_id])
        below.discard(scope.unit_id)
        result = await ctx.session.exec(
            select(Unit.id)
            .where(col(Unit.id).in_(below), Unit.kind == scope.kind.value)
            .order_by(col(Unit.name), col(Unit.id))
        )
        for uid in result.all():
            if uid not in chosen:
                chosen.append(uid)
    if not chosen:
        raise InvalidInput(N_("Please choose at least one unit this applies to."))
    return chosen


def check_description(description: str | None) -> str:
    """What a requirement asks, cleaned: required, at most MAX_DESCRIPTION characters."""
    text = clean_text(description)
    if not text:
        raise InvalidInput(
            N_("Please describe what the units must do, for example: Gửi bài tham luận.")
        )
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput(
            N_("The description is too long ({length} characters). Please keep it under {limit}."),
            length=len(text),
            limit=MAX_DESCRIPTION,
        )
    return text


async def check_new_requirement(ctx: Ctx, actor: Person | None, plan_id: int) -> Plan:
    """The plan, once the actor may add requirements to it (before asking the details)."""
    plan = await get_plan(ctx, plan_id)
    await require_plan_manager(ctx, actor, plan)
    await require_open_for(ctx, actor, plan)
    return plan


async def target_choices(ctx: Ctx, actor: Person | None, plan_id: int) -> list[TreeRow]:
    """The units a new requirement of the plan may target: every unit under the issuer, depth
    first (depth 0 for the issuer's children)."""
    plan = await check_new_requirement(ctx, actor, plan_id)
    rows = await subtree_rows(ctx, plan.issuer_unit_id)
    return [TreeRow(row.unit, row.depth - 1) for row in rows[1:]]


async def preview_targets(
    ctx: Ctx,
    actor: Person | None,
    plan_id: int,
    unit_ids: Sequence[int] = (),
    scope: TargetScope | None = None,
) -> list[Unit]:
    """The units a requirement with these targets would apply to (as `create_requirement`
    resolves them), to show before it is created."""
    plan = await check_new_requirement(ctx, actor, plan_id)
    return [await get_unit(ctx, uid) for uid in await _resolve_targets(ctx, plan, unit_ids, scope)]


async def create_requirement(
    ctx: Ctx,
    actor: Person,
    plan_id: int,
    kind: RequirementKind,
    due_on: date | str,
    *,
    description: str,
    target_unit_ids: Sequence[int] = (),
    scope: TargetScope | None = None,
    quota: Mapping[SessionKind, int] | None = None,
    document_purpose: DocumentPurpose | None = None,
) -> Outcome[Requirement]:
    """Add a requirement with its deadline and target units (explicit and/or a scope).

    `due_on` is a local day ("30/6" typed text is accepted); the deadline is the end of it.
    Targets already meeting a session quota are marked submitted at once."""
    plan = await check_new_requirement(ctx, actor, plan_id)
    text = check_description(description)
    quotas = _check_quota_input(kind, quota)
    day = parse_due_day(ctx, due_on)
    due_at = due_at_for(day)
    targets = await _resolve_targets(ctx, plan, target_unit_ids, scope)
    requirement = Requirement(
        plan_id=plan_id,
        kind=kind,
        description=text,
        due_on=day,
        due_at=due_at,
        quota_thuong_ky=quotas[SessionKind.THUONG_KY],
        quota_chuyen_de=quotas[SessionKind.CHUYEN_DE],
        quota_hoi_thao=quotas[SessionKind.HOI_THAO],
        document_purpose=(
            (document_purpose or DocumentPurpose.THAM_LUAN)
            if kind == RequirementKind.DOCUMENT
            else None
        ),
        scope_unit_id=scope.unit_id if scope else None,
        scope_kind=scope.kind if scope else None,
        created_by_id=actor.id,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(requirement)
    await ctx.session.flush()
    for uid in targets:
        ctx.session.add(RequirementTarget(requirement_id=requirement.id, unit_id=uid))  # type: ignore[arg-type]
    await ctx.session.flush()
    if kind == RequirementKind.REPORT_SESSIONS:
        await refresh_report_targets(ctx, plan, requirement_id=requirement.id)
    if plan.status != PlanStatus.DRAFT:  # a draft's chasers are planned when it is issued
        await ctx.record(RequirementAdded(plan, requirement))
    notices: list[Notice] = []
    if plan.status == PlanStatus.ISSUED:
        for uid in targets:
            unit = await get_unit(ctx, uid)
            told = notices_for(
                await people_in(ctx, [uid], (*HOST_ROLES, Role.ORGANISER)),
                N_("Plan {plan} asks “{unit}”: {requirement}. Deadline: {due}."),
                {
                    "plan": plan.number,
                    "plan_id": plan.id,
                    "unit": unit.name,
                    "requirement": text,
                    "requirement_id": requirement.id,
                    "due": day,
                },
                exclude=actor.id,
            )
            ctx.notify(  # each unit's notice starts what it asks of that unit
                told,
                kind="requirement_added",
                subject_type="requirement",
                subject_id=requirement.id,  # type: ignore[arg-type]
                buttons=deliver_buttons(requirement, uid),
            )
            notices += told
    return Outcome(requirement, notices)
