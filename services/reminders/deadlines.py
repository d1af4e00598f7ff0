"""Deadline chasers, overdue notices and the late-units digest of a requirement: planned when
the requirement is added, checked again (or written) when due."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from core.i18n import N_
from services import outbox
from services.context import Ctx
from services.outbox import Planned
from services.plans import HOST_ROLES, issuer_organiser_ids, people_in
from services.plans.deliverables import deliver_buttons
from services.preparers import Due, Prepared, prepares, reach_late_joiners, superseded
from services.reminders.kinds import (
    CHASE,
    CHASE_DAYS,
    LATE_DIGEST,
    LEFT,
    OVERDUE,
    OVERDUE_GRACE,
    days_left,
    morning_of,
)
from storage.models import (
    Plan,
    Requirement,
    RequirementTarget,
    Role,
    TargetStatus,
    Unit,
)


async def plan_requirement(ctx: Ctx, plan: Plan, requirement: Requirement) -> int:
    """Chasers before the deadline, an overdue notice after it for each target unit, and the
    late-units digest for the organisers. Moments already past are not planned."""
    now = ctx.clock.now()
    targets = (
        await ctx.session.exec(
            select(RequirementTarget).where(RequirementTarget.requirement_id == requirement.id)
        )
    ).all()
    base: dict[str, Any] = {
        "plan": plan.number,
        "requirement": requirement.description,
        "due": requirement.due_on,
    }
    items: list[Planned] = []
    after = morning_of(requirement.due_on + timedelta(days=1))
    for target in targets:
        unit = await ctx.session.get(Unit, target.unit_id)
        if unit is None:
            continue
        recipients = await people_in(ctx, [target.unit_id], (*HOST_ROLES, Role.ORGANISER))
        params = {**base, "unit": unit.name}
        for person_id in recipients:
            for days in CHASE_DAYS:
                at = morning_of(requirement.due_on - timedelta(days=days))
                if at <= now:
                    continue
                items.append(
                    Planned(
                        key=f"{CHASE}:{requirement.id}:{target.unit_id}:{days}:{person_id}",
                        kind=CHASE,
                        person_id=person_id,
                        subject_type="target",
                        subject_id=target.id,  # type: ignore[arg-type]
                        due_at=at,
                        useful_until=requirement.due_at,
                        msgid=N_(
                            "Reminder: plan {plan} asks “{unit}”: {requirement}. "
                            "Deadline: {due} ({left})."
                        ),
                        params=outbox.encode_params({**params, "left": LEFT[days]}),
                        buttons=deliver_buttons(requirement, target.unit_id),
                    )
                )
            items.append(
                Planned(
                    key=f"{OVERDUE}:{requirement.id}:{target.unit_id}:{person_id}",
                    kind=OVERDUE,
                    person_id=person_id,
                    subject_type="target",
                    subject_id=target.id,  # type: ignore[arg-type]
                    due_at=max(after, now),
                    useful_until=after + OVERDUE_GRACE,
                    msgid=N_(
                        "Overdue: plan {plan} asked “{unit}” for: {requirement}, by {due}. "
                        "Please send it as soon as possible."
                    ),
                    params=outbox.encode_params(params),
                    buttons=deliver_buttons(requirement, target.unit_id),
                )
            )
    for person_id in await issuer_organiser_ids(ctx, plan):
        items.append(
            Planned(
                key=f"{LATE_DIGEST}:{requirement.id}:{person_id}",
                kind=LATE_DIGEST,
                person_id=person_id,
                subject_type="requirement",
                subject_id=requirement.id,  # type: ignore[arg-type]
                due_at=max(after, now),
                useful_until=after + OVERDUE_GRACE,
                msgid="",  # written when due (see `prepare`)
            )
        )
    return await outbox.plan(ctx, items)


@prepares(CHASE, OVERDUE)
async def _prepare_chaser(ctx: Ctx, due: Due) -> Prepared | None:
    """A chaser or overdue notice for a unit that has meanwhile delivered is dropped, and so is
    a chaser a later one due now replaces (after downtime). The time left is counted now."""
    target = await ctx.session.get(RequirementTarget, due.row.subject_id)
    if target is None or target.status == TargetStatus.SUBMITTED:
        return None
    if due.row.kind != CHASE:
        return Prepared(due.msgid, due.params)
    if await superseded(ctx, due.row):
        return None
    requirement = await ctx.session.get(Requirement, target.requirement_id)
    if requirement is None:
        return None
    days = days_left(ctx.clock.now(), requirement.due_on)
    if days < 0:  # the day has passed: the overdue notice speaks now
        return None
    left = LEFT.get(days, due.params.get("left"))
    return Prepared(due.msgid, {**due.params, "left": left, "due": requirement.due_on})


@prepares(LATE_DIGEST)
async def _prepare_digest(ctx: Ctx, due: Due) -> Prepared | None:
    """Written from the state now, for the organisers of now (who joined since it was planned
    get it too)."""
    requirement = await ctx.session.get(Requirement, due.row.subject_id)
    plan = await ctx.session.get(Plan, requirement.plan_id) if requirement else None
    if plan is not None:
        await reach_late_joiners(ctx, due.row, await issuer_organiser_ids(ctx, plan))
    digest = await _late_digest(ctx, due.row.subject_id)
    return Prepared(*digest) if digest else None


async def _late_digest(ctx: Ctx, requirement_id: int) -> tuple[str, dict[str, Any]] | None:
    requirement = await ctx.session.get(Requirement, requirement_id)
    if requirement is None:
        return None
    plan = await ctx.session.get(Plan, requirement.plan_id)
    if plan is None:
        return None
    rows = (
        await ctx.session.exec(
            select(Unit.name, RequirementTarget.status, RequirementTarget.submitted_at)
            .join(Unit, col(Unit.id) == RequirementTarget.unit_id)
            .where(RequirementTarget.requirement_id == requirement_id)
            .order_by(Unit.name)
        )
    ).all()
    missing = [name for name, status, _ in rows if status != TargetStatus.SUBMITTED]
    late = [
        name
        for name, status, at in rows
        if status == TargetStatus.SUBMITTED and at is not None and at >= requirement.due_at
    ]
    params: dict[str, Any] = {
        "plan": plan.number,
        "requirement": requirement.description,
        "due": requirement.due_on,
        "total": len(rows),
        "missing_count": len(missing),
        "missing": ", ".join(missing) or "—",
        "late": ", ".join(late) or "—",
    }
    if not missing and not late:
        return N_(
            "Plan {plan}, “{requirement}” (deadline {due}): all {total} units delivered on time."
        ), params
    return N_(
        "Plan {plan}, “{requirement}” (deadline {due}): {missing_count} of {total} units have "
        "not delivered yet: {missing}. Delivered late: {late}."
    ), params
