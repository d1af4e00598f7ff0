"""When feedback on a session closes."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.context import Ctx
from services.feedback.config import config_for
from services.feedback.scoring import ScoringConfig
from storage.models import (
    ModelSession,
)

# --------------------------------------------------------------------------- when


def session_end(session: ModelSession) -> datetime | None:
    if session.starts_at is None:
        return None
    return session.starts_at + timedelta(minutes=session.duration_minutes)


def closes_at_for(session: ModelSession, config: ScoringConfig) -> datetime | None:
    """When feedback on the session closes: `feedback_days` after its end."""
    end = session_end(session)
    return end + timedelta(days=config.feedback_days) if end is not None else None


async def closes_at(ctx: Ctx, session: ModelSession) -> datetime | None:
    """When feedback on the session closes (the plan's setting); None without a start time."""
    return closes_at_for(session, await config_for(ctx, session.plan_id))
