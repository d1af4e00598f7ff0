"""Who is invited to a session."""

from __future__ import annotations

from sqlmodel import col, select

from services.context import Ctx
from storage.models import Invitation, InvitationStatus


async def invitee_ids(ctx: Ctx, session_id: int, *, include_declined: bool = False) -> list[int]:
    """Ids of the people invited to a session (e.g. to tell them of a change), by id."""
    query = select(Invitation.person_id).where(Invitation.session_id == session_id)
    if not include_declined:
        query = query.where(Invitation.status != InvitationStatus.DECLINED.value)
    result = await ctx.session.exec(query.order_by(col(Invitation.person_id)))
    return list(result.all())
