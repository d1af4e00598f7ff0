"""Session quotas: refusing one session too many of a kind, and marking report targets met
(or no longer met) when sessions are reported or cancelled."""

from __future__ import annotations

from collections.abc import Sequence

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict
from services.labels import SESSION_KIND_LABELS
from services.notifications import Notice, notices_for
from services.plans import (
    issuer_organiser_ids,
)
from services.requirements.queries import (
    get_requirement,
    report_targets_over,
    requirement_targets,
    session_counts,
)
from services.requirements.rules import missing_sessions, quota_of
from services.units import get_unit
from storage.models import (
    Person,
    Plan,
    Requirement,
    RequirementTarget,
    SessionKind,
    TargetStatus,
)

# --------------------------------------------------------------------------- quota


def _quota_conflict(
    unit: str, plan: Plan, kind: SessionKind, quota: int, missing: dict[SessionKind, int]
) -> Conflict:
    params: dict[str, object] = {
        "unit": unit,
        "plan": plan.number,
        "quota": quota,
        "kind": SESSION_KIND_LABELS[kind],
    }
    items = list(missing.items())
    if not items:
        return Conflict(
            N_(
                "“{unit}” has already reported the {quota} × {kind} that plan {plan} asks for, "
                "and nothing else is missing."
            ),
            **params,
        )
    params |= {"missing_count": items[0][1], "missing_kind": SESSION_KIND_LABELS[items[0][0]]}
    if len(items) == 1:
        return Conflict(
            N_(
                "“{unit}” has already reported the {quota} × {kind} that plan {plan} asks for. "
                "Still missing: {missing_count} × {missing_kind}."
            ),
            **params,
        )
    params |= {"missing_count2": items[1][1], "missing_kind2": SESSION_KIND_LABELS[items[1][0]]}
    return Conflict(
        N_(
            "“{unit}” has already reported the {quota} × {kind} that plan {plan} asks for. "
            "Still missing: {missing_count} × {missing_kind} and "
            "{missing_count2} × {missing_kind2}."
        ),
        **params,
    )


async def check_quota(ctx: Ctx, plan: Plan, host_unit_id: int, kind: SessionKind) -> None:
    """Refuse one more session of `kind` under a target whose quota for it is already met."""
    pairs = [
        (t, r)
        for t, r in await report_targets_over(ctx, plan.id, host_unit_id)  # type: ignore[arg-type]
        if quota_of(r)[kind] > 0
    ]
    if not pairs:
        return
    counts = await session_counts(ctx, plan.id, {t.unit_id for t, _ in pairs})  # type: ignore[arg-type]
    for target, requirement in pairs:
        quota = quota_of(requirement)
        done = counts[target.unit_id]
        if done.get(kind, 0) >= quota[kind]:
            unit = await get_unit(ctx, target.unit_id)
            raise _quota_conflict(unit.name, plan, kind, quota[kind], missing_sessions(quota, done))


async def refresh_report_targets(
    ctx: Ctx, plan: Plan, host_unit_id: int | None = None, *, requirement_id: int | None = None
) -> list[tuple[RequirementTarget, Requirement]]:
    """Recompute report_sessions targets (those over a host, or of one requirement) after
    sessions changed. Returns the targets that have just become submitted."""
    if requirement_id is not None:
        requirement = await get_requirement(ctx, requirement_id)
        pairs = [(t, requirement) for t in await requirement_targets(ctx, requirement_id)]
    elif host_unit_id is not None:
        pairs = await report_targets_over(ctx, plan.id, host_unit_id)  # type: ignore[arg-type]
    else:
        return []
    if not pairs:
        return []
    counts = await session_counts(ctx, plan.id, {t.unit_id for t, _ in pairs})  # type: ignore[arg-type]
    now = ctx.clock.now()
    newly: list[tuple[RequirementTarget, Requirement]] = []
    for target, requirement in pairs:
        met = not missing_sessions(quota_of(requirement), counts[target.unit_id])
        if met and target.status != TargetStatus.SUBMITTED:
            target.status = TargetStatus.SUBMITTED
            target.submitted_at = now
            newly.append((target, requirement))
        elif not met and target.status == TargetStatus.SUBMITTED:
            target.status = TargetStatus.PENDING
            target.submitted_at = None
        else:
            continue
        ctx.session.add(target)
    await ctx.session.flush()
    return newly


async def fulfilment_notices(
    ctx: Ctx, plan: Plan, met: Sequence[tuple[RequirementTarget, Requirement]], actor: Person
) -> list[Notice]:
    """Tell the plan's organisers that units have delivered."""
    if not met:
        return []
    organisers = await issuer_organiser_ids(ctx, plan)
    notices: list[Notice] = []
    for target, requirement in met:
        unit = await get_unit(ctx, target.unit_id)
        notices += notices_for(
            organisers,
            N_("“{unit}” has delivered what plan {plan} asks for: {requirement}."),
            {
                "unit": unit.name,
                "plan": plan.number,
                "plan_id": plan.id,
                "requirement": requirement.description,
                "requirement_id": requirement.id,
            },
            exclude=actor.id,
        )
    return notices
