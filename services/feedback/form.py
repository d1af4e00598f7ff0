"""A delegate's feedback form: who may give it (those who checked in) and what they gave so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, InvalidInput, PermissionDenied
from services.feedback.config import config_for
from services.feedback.period import closes_at_for
from services.feedback.scoring import POINT_LEVELS, Score, ScoringConfig
from services.plans import get_plan
from services.read.sessions import get_session
from storage.models import (
    CheckIn,
    Feedback,
    FeedbackRating,
    Invitation,
    ModelSession,
    Person,
    Plan,
    SessionStatus,
)

# --------------------------------------------------------------------------- delegates


@dataclass(frozen=True, slots=True)
class Form:
    """What a delegate needs to give (or revise) feedback on a session."""

    session: ModelSession
    plan: Plan
    config: ScoringConfig
    closes_at: datetime
    feedback: Feedback | None  # given before (a revision)
    ratings: dict[str, int] = field(default_factory=dict)  # criterion → points, given before


@dataclass(frozen=True, slots=True)
class Attendance:
    invited: int
    present: int  # invitees who checked in (guests are not counted)

    @property
    def rate(self) -> float | None:
        return self.present / self.invited if self.invited else None


@dataclass(frozen=True, slots=True)
class Saved:
    feedback: Feedback
    revised: bool  # the delegate had rated this session before
    score: Score | None  # the delegate's own ratings with the session's attendance
    attendance: Attendance


async def _checkin_of(ctx: Ctx, session_id: int, person_id: int) -> CheckIn | None:
    result = await ctx.session.exec(
        select(CheckIn).where(CheckIn.session_id == session_id, CheckIn.person_id == person_id)
    )
    return result.first()


async def feedback_of(ctx: Ctx, session_id: int, person_id: int) -> Feedback | None:
    result = await ctx.session.exec(
        select(Feedback).where(Feedback.session_id == session_id, Feedback.person_id == person_id)
    )
    return result.first()


async def ratings_of(ctx: Ctx, feedback_id: int) -> dict[str, int]:
    result = await ctx.session.exec(
        select(FeedbackRating.criterion, FeedbackRating.value).where(
            FeedbackRating.feedback_id == feedback_id
        )
    )
    return {criterion: int(value) for criterion, value in result.all()}


_NOT_CHECKED_IN = N_(
    "Thank you for your interest. Only delegates who checked in at this session can give "
    "feedback on it. If you attended but did not check in, please ask the organisers to "
    "record your attendance."
)


async def load_form(
    ctx: Ctx, actor: Person | None, session_id: int
) -> tuple[ModelSession, Plan, ScoringConfig, datetime]:
    """The session, once the actor may give feedback on it now."""
    session = await get_session(ctx, session_id)
    if actor is None or actor.id is None:
        raise PermissionDenied(_NOT_CHECKED_IN)
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(N_("This session has been cancelled, so there is no feedback to give."))
    if await _checkin_of(ctx, session_id, actor.id) is None:
        raise PermissionDenied(_NOT_CHECKED_IN)
    plan = await get_plan(ctx, session.plan_id)
    config = await config_for(ctx, plan.id)  # type: ignore[arg-type]
    closes = closes_at_for(session, config)
    if closes is None:  # a check-in needs a start time; kept for safety
        raise Conflict(N_("This session has no day and time yet, so it cannot be rated."))
    if ctx.clock.now() >= closes:
        raise Conflict(
            N_("Feedback on this session closed at {closes}. Thank you for your interest."),
            closes=closes,
        )
    return session, plan, config, closes


async def form(ctx: Ctx, actor: Person | None, session_id: int) -> Form:
    """The criteria to rate and what the delegate gave before (PermissionDenied for people
    who did not check in; Conflict once feedback has closed)."""
    session, plan, config, closes = await load_form(ctx, actor, session_id)
    assert actor is not None and actor.id is not None
    feedback = await feedback_of(ctx, session_id, actor.id)
    ratings = await ratings_of(ctx, feedback.id) if feedback and feedback.id else {}
    return Form(session, plan, config, closes, feedback, ratings)


def check_points(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in POINT_LEVELS:
        raise InvalidInput(N_("Please choose one of the levels on the buttons."))
    return value


async def attendance(ctx: Ctx, session_id: int) -> Attendance:
    """Invitees and invitees who checked in (two counts, one SQL query)."""
    result = await ctx.session.exec(
        select(func.count(col(Invitation.id)), func.count(col(CheckIn.id)))  # type: ignore[call-overload]
        .select_from(Invitation)
        .outerjoin(
            CheckIn,
            (col(CheckIn.session_id) == col(Invitation.session_id))
            & (col(CheckIn.person_id) == col(Invitation.person_id)),
        )
        .where(Invitation.session_id == session_id)
    )
    invited, present = result.one()
    return Attendance(int(invited), int(present))
