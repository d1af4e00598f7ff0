"""The sessions a person can still give feedback on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from services.context import Ctx
from services.feedback.config import config_for
from services.feedback.period import closes_at_for
from services.feedback.scoring import MAX_FEEDBACK_DAYS, ScoringConfig
from storage.models import (
    CheckIn,
    Feedback,
    ModelSession,
    Person,
    SessionStatus,
)


@dataclass(frozen=True, slots=True)
class OpenSession:
    session: ModelSession
    closes_at: datetime
    given: bool  # the person has already rated it (they may revise)


async def open_for(ctx: Ctx, person: Person | None, limit: int = 10) -> list[OpenSession]:
    """The sessions the person checked in at whose feedback is still open, newest first."""
    if person is None or person.id is None:
        return []
    now = ctx.clock.now()
    earliest = now - timedelta(days=MAX_FEEDBACK_DAYS + 1)
    result = await ctx.session.exec(
        select(ModelSession, Feedback.id)
        .join(CheckIn, col(CheckIn.session_id) == ModelSession.id)
        .outerjoin(
            Feedback,
            (col(Feedback.session_id) == col(ModelSession.id))
            & (col(Feedback.person_id) == person.id),
        )
        .where(
            CheckIn.person_id == person.id,
            ModelSession.status != SessionStatus.CANCELLED.value,
            col(ModelSession.starts_at).is_not(None),
            col(ModelSession.starts_at) > earliest,
        )
        .order_by(col(ModelSession.starts_at).desc(), col(ModelSession.id).desc())
    )
    configs: dict[int, ScoringConfig] = {}
    out: list[OpenSession] = []
    for session, feedback_id in result.all():
        if session.plan_id not in configs:
            configs[session.plan_id] = await config_for(ctx, session.plan_id)
        closes = closes_at_for(session, configs[session.plan_id])
        if closes is not None and now < closes:
            out.append(OpenSession(session, closes, feedback_id is not None))
        if len(out) >= limit:
            break
    return out
