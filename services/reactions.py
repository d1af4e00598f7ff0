"""The wiring: what the scheduler plans when services record events, and the modules whose
notification kinds register their preparers (services.preparers). Imported once at start-up
(handlers.deps); `Ctx.record` and `preparers.prepare` refuse to run without it, so no reaction
or preparer is silently missed."""

from __future__ import annotations

from services import reminders, summaries
from services.context import Ctx, reacts_to
from services.events import (
    FeedbackPeriodChanged,
    InviteesAdded,
    PersonCheckedIn,
    RequirementAdded,
    SessionChanged,
)

PREPARED_ELSEWHERE = (summaries,)  # modules imported for the preparers they register


@reacts_to(SessionChanged)
async def replan_session(ctx: Ctx, event: SessionChanged) -> None:
    await reminders.replan_session(ctx, event.session)


@reacts_to(InviteesAdded)
async def remind_new_invitees(ctx: Ctx, event: InviteesAdded) -> None:
    await reminders.plan_invitee_reminders(ctx, event.session, event.person_ids)


@reacts_to(PersonCheckedIn)
async def ask_for_feedback(ctx: Ctx, event: PersonCheckedIn) -> None:
    await reminders.plan_feedback_request(ctx, event.session, event.person_id)


@reacts_to(FeedbackPeriodChanged)
async def replan_plan(ctx: Ctx, event: FeedbackPeriodChanged) -> None:
    await reminders.replan_plan(ctx, event.plan_id)


@reacts_to(RequirementAdded)
async def chase_requirement(ctx: Ctx, event: RequirementAdded) -> None:
    await reminders.plan_requirement(ctx, event.plan, event.requirement)
