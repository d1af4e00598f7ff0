"""The progress table: who may see it, and each target's status against its deadline."""

from __future__ import annotations

from sqlalchemy import case
from sqlmodel import col, select

from core.i18n import N_
from services import roles
from services.context import Ctx
from services.errors import PermissionDenied
from services.plans import (
    OVERSIGHT_ROLES,
    get_plan,
    subtree_ids,
    unit_ids_with_role,
    visible_plans,
)
from services.requirements.queries import session_counts
from services.requirements.rules import ProgressRow, missing_sessions
from services.units import get_unit
from storage.models import (
    Person,
    Plan,
    Requirement,
    RequirementKind,
    RequirementTarget,
    SessionKind,
    TargetStatus,
    Unit,
)

# --------------------------------------------------------------------------- progress


async def _progress_scope(ctx: Ctx, actor: Person, plan: Plan) -> set[int] | None:
    """None: every row. Otherwise the units whose rows the actor may see."""
    if await roles.has_role_over(ctx, actor, plan.issuer_unit_id, OVERSIGHT_ROLES):
        return None
    run = await subtree_ids(ctx, await unit_ids_with_role(ctx, actor, OVERSIGHT_ROLES))
    allowed = run & await subtree_ids(ctx, [plan.issuer_unit_id])
    if not allowed:
        issuer = await get_unit(ctx, plan.issuer_unit_id)
        raise PermissionDenied(
            N_(
                "Only the organisers and leaders of “{unit}”, or of the units under it, "
                "can see the progress of this plan."
            ),
            unit=issuer.name,
        )
    return allowed


async def can_see_progress(ctx: Ctx, person: Person | None, plan: Plan) -> bool:
    if person is None:
        return False
    try:
        await _progress_scope(ctx, person, plan)
    except PermissionDenied:
        return False
    return True


async def progress_plans(ctx: Ctx, person: Person | None) -> list[Plan]:
    """The plans whose progress the person may see, newest first."""
    return [p for p in await visible_plans(ctx, person) if await can_see_progress(ctx, person, p)]


async def progress(ctx: Ctx, actor: Person, plan_id: int) -> list[ProgressRow]:
    """Per target unit and requirement: status against the clock, when it came in, what is
    missing. Organisers and leaders of the issuing unit see every row; those of units below
    see their own units' rows. Two SQL queries whatever the size of the plan."""
    plan = await get_plan(ctx, plan_id)
    allowed = await _progress_scope(ctx, actor, plan)
    now = ctx.clock.now()
    status = case(
        (RequirementTarget.status == TargetStatus.SUBMITTED.value, TargetStatus.SUBMITTED.value),
        (col(Requirement.due_at) <= now, TargetStatus.LATE.value),
        else_=TargetStatus.PENDING.value,
    ).label("status")
    query = (
        select(
            Unit.id,
            Unit.name,
            Requirement.id,
            Requirement.kind,
            Requirement.description,
            Requirement.due_on,
            Requirement.due_at,
            Requirement.quota_thuong_ky,
            Requirement.quota_chuyen_de,
            Requirement.quota_hoi_thao,
            RequirementTarget.submitted_at,
            status,
        )
        .join(Requirement, col(Requirement.id) == RequirementTarget.requirement_id)
        .join(Unit, col(Unit.id) == RequirementTarget.unit_id)
        .where(Requirement.plan_id == plan_id)
        .order_by(col(Requirement.due_at), col(Requirement.id), col(Unit.name), col(Unit.id))
    )
    if allowed is not None:
        query = query.where(col(RequirementTarget.unit_id).in_(allowed))
    rows = list((await ctx.session.exec(query)).all())
    report_units = {r[0] for r in rows if r[3] == RequirementKind.REPORT_SESSIONS.value}
    counts = await session_counts(ctx, plan_id, report_units)
    out: list[ProgressRow] = []
    for (
        unit_id,
        unit_name,
        req_id,
        kind,
        description,
        due_on,
        due_at,
        q_tk,
        q_cd,
        q_ht,
        submitted_at,
        row_status,
    ) in rows:
        req_kind = RequirementKind(kind)
        quota = {
            SessionKind.THUONG_KY: q_tk,
            SessionKind.CHUYEN_DE: q_cd,
            SessionKind.HOI_THAO: q_ht,
        }
        out.append(
            ProgressRow(
                unit_id=unit_id,
                unit_name=unit_name,
                requirement_id=req_id,
                requirement_kind=req_kind,
                description=description,
                due_on=due_on,
                due_at=due_at,
                status=TargetStatus(row_status),
                submitted_at=submitted_at,
                submitted_late=submitted_at is not None and submitted_at >= due_at,
                missing=(
                    missing_sessions(quota, counts[unit_id])
                    if req_kind == RequirementKind.REPORT_SESSIONS
                    else {}
                ),
                missing_document=(
                    req_kind == RequirementKind.DOCUMENT and row_status != TargetStatus.SUBMITTED
                ),
            )
        )
    return out
