"""What a plan asks of each unit, told to its secretaries with a choice that starts that very
action: report the sessions (the /dangky flow for the unit), send the document, or open the
session the unit hosts. Used when a plan is issued, and by the chasers and overdue notices of
a requirement (services.reminders.deadlines) and a requirement added to an issued plan.

The button data are the wire formats of the handlers' typed actions: `do:rep:<plan>:<unit>`
(handlers.sessions_report ReportFor), `do:doc:<requirement>:<unit>` (handlers.documents
SendFor) and `ss:<session>` (handlers.plans OpenSessionCard)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.labels import SESSION_KIND_LABELS
from services.notifications import Button, Buttons, Notice, notices_for
from services.read.org import people_in
from services.roles import HOST_ROLES
from services.units import get_unit
from services.vn_datetime import MonthOnly
from storage.models import (
    ModelSession,
    Plan,
    Requirement,
    RequirementKind,
    RequirementTarget,
    Role,
    SessionKind,
    SessionStatus,
)

REPORT_BUTTON = N_("📝 Report the sessions")
DOCUMENT_BUTTON = N_("📎 Send the document")
SESSION_BUTTON = N_("📋 View the session")
TELL_ROLES = (*HOST_ROLES, Role.ORGANISER)


async def _session_params(ctx: Ctx, session: ModelSession) -> dict[str, Any]:
    """What the notice says of a session (services.read.sessions reads services.plans, so
    the few values are taken here)."""
    host = await get_unit(ctx, session.host_unit_id)
    when: datetime | MonthOnly | None = session.starts_at
    if when is None and session.tentative_year and session.tentative_month:
        when = MonthOnly(session.tentative_year, session.tentative_month)
    return {
        "session_id": session.id,
        "kind": SESSION_KIND_LABELS[SessionKind(session.kind)],
        "host": host.name,
        "when": when,
    }


def deliver_buttons(requirement: Requirement, unit_id: int) -> Buttons:
    """The choice that starts what the requirement asks of the unit."""
    if requirement.kind == RequirementKind.REPORT_SESSIONS:
        data = f"do:rep:{requirement.plan_id}:{unit_id}"
        return ((Button(REPORT_BUTTON, data),),)
    return ((Button(DOCUMENT_BUTTON, f"do:doc:{requirement.id}:{unit_id}"),),)


async def tell_issued(ctx: Ctx, plan: Plan, actor_id: int | None) -> list[Notice]:
    """At issue: each target unit's secretaries (and organisers) learn what their unit must
    deliver and by when; each host unit's, the session it hosts. One notice per thing, each
    with its button; recorded on the unit of work."""
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    head = {"plan": plan.number, "title": plan.title, "issuer": issuer.name, "plan_id": plan.id}
    told: list[Notice] = []
    pairs = (
        await ctx.session.exec(
            select(RequirementTarget, Requirement)
            .join(Requirement, col(Requirement.id) == RequirementTarget.requirement_id)
            .where(Requirement.plan_id == plan.id)
            .order_by(col(Requirement.due_at), col(Requirement.id), col(RequirementTarget.id))
        )
    ).all()
    for target, requirement in pairs:
        unit = await get_unit(ctx, target.unit_id)
        notices = notices_for(
            await people_in(ctx, [target.unit_id], TELL_ROLES),
            N_(
                "{issuer} has issued plan {plan} “{title}”. “{unit}” must deliver: "
                "{requirement}. Deadline: the end of {due}."
            ),
            {
                **head,
                "unit": unit.name,
                "requirement": requirement.description,
                "requirement_id": requirement.id,
                "due": requirement.due_on,
            },
            exclude=actor_id,
        )
        ctx.notify(
            notices,
            kind="plan_issued",
            subject_type="target",
            subject_id=target.id,  # type: ignore[arg-type]
            buttons=deliver_buttons(requirement, target.unit_id),
        )
        told += notices
    hosted = (
        await ctx.session.exec(
            select(ModelSession)
            .where(
                ModelSession.plan_id == plan.id,
                ModelSession.status != SessionStatus.CANCELLED.value,
            )
            .order_by(col(ModelSession.id))
        )
    ).all()
    for session in hosted:
        notices = notices_for(
            await people_in(ctx, [session.host_unit_id], TELL_ROLES),
            N_("{issuer} has issued plan {plan} “{title}”. “{host}” hosts its {kind}, {when}."),
            {**head, **await _session_params(ctx, session)},
            exclude=actor_id,
        )
        ctx.notify(
            notices,
            kind="plan_issued",
            subject_type="session",
            subject_id=session.id,  # type: ignore[arg-type]
            buttons=((Button(SESSION_BUTTON, f"ss:{session.id}"),),),
        )
        told += notices
    return told
