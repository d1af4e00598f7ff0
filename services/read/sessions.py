"""Looking up a session and what every notice about it says."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, NotFound
from services.labels import SESSION_KIND_LABELS
from services.plans import issuer_organiser_ids, month_start_utc, people_in
from services.read.invitations import invitee_ids
from services.units import get_unit
from services.vn_datetime import MonthOnly
from storage.models import ModelSession, Plan, Role, SessionKind, SessionStatus


def when_of(session: ModelSession) -> datetime | MonthOnly | None:
    """The start time, or the month of a tentative session (a notice parameter)."""
    if session.starts_at is not None:
        return session.starts_at
    if session.tentative_year and session.tentative_month:
        return MonthOnly(session.tentative_year, session.tentative_month)
    return None


def sort_key(session: ModelSession) -> tuple[datetime, int]:
    if session.starts_at is not None:
        return session.starts_at, session.id or 0
    if session.tentative_year and session.tentative_month:
        return month_start_utc(session.tentative_year, session.tentative_month), session.id or 0
    return datetime.max.replace(tzinfo=UTC), session.id or 0


async def get_session(ctx: Ctx, session_id: int) -> ModelSession:
    session = await ctx.session.get(ModelSession, session_id)
    if session is None:
        raise NotFound(N_("That session no longer exists."))
    return session


def require_changeable(session: ModelSession) -> None:
    if session.status == SessionStatus.HELD:
        raise Conflict(N_("This session has already been held, so it can no longer be changed."))
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(N_("This session has been cancelled, so it can no longer be changed."))


async def session_params(ctx: Ctx, session: ModelSession, plan: Plan) -> dict[str, Any]:
    host = await get_unit(ctx, session.host_unit_id)
    return {
        "session_id": session.id,
        "plan": plan.number,
        "plan_id": plan.id,
        "kind": SESSION_KIND_LABELS[SessionKind(session.kind)],
        "host": host.name,
        "topic": session.topic or "",
        "when": when_of(session),
    }


async def session_audience(
    ctx: Ctx, session: ModelSession, plan: Plan, *, host_roles: tuple[Role, ...] | None = None
) -> list[int]:
    """People of the host unit (all, or those with `host_roles`), the plan's organisers, and
    (for the whole audience) everyone invited who has not declined."""
    audience = await people_in(ctx, [session.host_unit_id], host_roles)
    audience += await issuer_organiser_ids(ctx, plan)
    if host_roles is None and session.id is not None:
        audience += await invitee_ids(ctx, session.id)
    return audience
