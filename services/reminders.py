"""What the scheduler pushes on its own: deadline chasers, overdue notices and the late-units
digest (and, with invitations, session reminders and feedback requests).

Rows are planned when the cause is created (same transaction) with unique keys, and checked
again when due (`prepare`): a chaser for a unit that has meanwhile delivered is dropped, and a
digest is written from the state at that moment, so nothing stale ever goes out."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from core.i18n import N_, Msgid
from services import outbox
from services.context import Ctx
from services.outbox import Planned
from services.plans import HOST_ROLES, issuer_organiser_ids, people_in
from storage.models import Plan, Requirement, RequirementTarget, Role, TargetStatus, Unit
from storage.outbox import Notification

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = time(8, 0)
CHASE_DAYS = (3, 1, 0)  # days before the due day, at 08:00
OVERDUE_GRACE = timedelta(days=14)  # an overdue notice older than this is no longer useful

CHASE = "chase"
OVERDUE = "overdue"
LATE_DIGEST = "late_digest"

LEFT: dict[int, Msgid] = {
    3: N_("in 3 days"),
    1: N_("tomorrow"),
    0: N_("today"),
}


def morning_of(day: date) -> datetime:
    return datetime.combine(day, MORNING, tzinfo=VN_TZ).astimezone(UTC)


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


async def prepare(ctx: Ctx, row: Notification) -> tuple[str, dict[str, Any]] | None:
    """Just before sending: None drops a row that is no longer relevant; otherwise the message
    to send (rows written when due get their text here)."""
    msgid, params, _ = outbox.decode(row)
    if row.kind in (CHASE, OVERDUE):
        target = await ctx.session.get(RequirementTarget, row.subject_id)
        if target is None or target.status == TargetStatus.SUBMITTED:
            return None
        return msgid, params
    if row.kind == LATE_DIGEST:
        return await _late_digest(ctx, row.subject_id)
    return msgid, params


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
