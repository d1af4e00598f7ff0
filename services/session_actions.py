"""What a person may do with a session, by its status and the person's roles: the actions its
card offers (handlers/schedule), whether a session of a kind may still be reported
(handlers/sessions_report). Flows only draw what this allows; every action is checked again by
its own service when it is taken."""

from __future__ import annotations

from dataclasses import dataclass

from services import appraisal, plans, roles, sessions
from services.context import Ctx
from services.errors import ServiceError
from storage.models import ModelSession, Person, PlanStatus, SessionKind, SessionStatus


@dataclass(frozen=True, slots=True)
class CardActions:
    change: bool  # reschedule and cancel (an officer of the host, the session and plan open)
    firm_up: bool  # fix the day of a session only planned for a month
    submit_content: bool  # send the session's content for appraisal
    organise: bool  # participants, invitations, check-in and the roll (organisers)
    edit_details: bool = False  # venue, address, duration, topic (as `change`)
    mark_held: bool = False  # its time has come and it is not marked held yet
    mark_not_held: bool = False  # its time has come: it may be said not to have taken place


async def card_actions(ctx: Ctx, person: Person | None, session: ModelSession) -> CardActions:
    assert session.id is not None
    status = SessionStatus(session.status)
    change = await sessions.can_change_session(ctx, person, session)
    organiser = await roles.can_manage(ctx, person, session.host_unit_id)
    try:
        await appraisal.check_can_submit(ctx, person, session.id)
        submit = True
    except ServiceError:
        submit = False
    started = session.starts_at is not None and session.starts_at <= ctx.clock.now()
    past = started and status in (SessionStatus.SCHEDULED, SessionStatus.HELD)
    officer = past and await plans.is_unit_officer(ctx, person, session.host_unit_id)
    if officer:
        officer = (await plans.get_plan(ctx, session.plan_id)).status != PlanStatus.CLOSED
    return CardActions(
        change=change,
        firm_up=change and status == SessionStatus.TENTATIVE,
        submit_content=submit,
        organise=organiser and session.status in sessions.OPEN_STATUSES,
        edit_details=change,
        mark_held=officer and status == SessionStatus.SCHEDULED,
        mark_not_held=officer,
    )


def moves_by_month(session: ModelSession) -> bool:
    """A session only planned for a month may be moved to another month without a day."""
    return session.status == SessionStatus.TENTATIVE


async def report_refusal(
    ctx: Ctx, person: Person | None, plan_id: int, host_id: int, kind: SessionKind
) -> ServiceError | None:
    """Why the person may not report a session of this kind, hosted by this unit, in this plan
    (None: they may). A quota already met says what is still missing."""
    try:
        await sessions.check_report(ctx, person, plan_id, host_id, kind)  # type: ignore[arg-type]
    except ServiceError as exc:
        return exc
    return None
