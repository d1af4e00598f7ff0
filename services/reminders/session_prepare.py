"""Session rows checked again when due: dropped when the session was cancelled or moved, or
the invitee declined; the checklist is written from the state at that moment."""

from __future__ import annotations

from typing import Any

from sqlmodel import func, select

from core.i18n import N_
from services.context import Ctx
from services.feedback import has_feedback
from services.labels import CONTENT_CHECKLIST_LABELS
from services.preparers import Due, Prepared, prepares, superseded
from services.reminders.kinds import (
    CHECKLIST,
    FEEDBACK_NUDGE,
    FEEDBACK_REQUEST,
    REMINDER,
    start_stamp,
)
from services.reminders.session_rows import feedback_closes, session_notice_params
from services.sessions.held import hold_ended
from storage.models import (
    ContentStatus,
    Document,
    Invitation,
    InvitationStatus,
    ModelSession,
    SessionStatus,
)
from storage.outbox import Notification


async def current_session(ctx: Ctx, row: Notification) -> ModelSession | None:
    """The session a row speaks of, unless it was cancelled or moved since it was planned."""
    session = await ctx.session.get(ModelSession, row.subject_id)
    if session is None or session.status == SessionStatus.CANCELLED or session.starts_at is None:
        return None
    if f":{start_stamp(session)}:" not in row.key:  # planned for a time the session no longer has
        return None
    return session


@prepares(REMINDER, CHECKLIST, FEEDBACK_REQUEST, FEEDBACK_NUDGE)
async def _prepare_session_row(ctx: Ctx, due: Due) -> Prepared | None:
    row, params = due.row, due.params
    session = await current_session(ctx, row)
    if session is None:
        return None
    if row.kind == FEEDBACK_REQUEST:  # due when the session ends, for those who came
        await hold_ended(ctx, session_id=session.id)
    if row.kind == REMINDER:
        if await superseded(ctx, row):  # after downtime, only the latest reminder goes out
            return None
        params = {**params, **await session_notice_params(ctx, session)}  # the words of now
        invitation = (
            await ctx.session.exec(
                select(Invitation).where(
                    Invitation.session_id == session.id, Invitation.person_id == row.person_id
                )
            )
        ).first()
        if invitation is None or invitation.status == InvitationStatus.DECLINED:
            return None
    if row.kind == CHECKLIST:
        return Prepared(*await _checklist(ctx, session, params))
    if row.kind == FEEDBACK_NUDGE and await has_feedback(ctx, session.id, row.person_id):  # type: ignore[arg-type]
        return None
    if row.kind in (FEEDBACK_REQUEST, FEEDBACK_NUDGE):
        closes = await feedback_closes(ctx, session)
        if ctx.clock.now() >= closes:  # the plan's feedback period ended meanwhile
            return None
        params = {**await session_notice_params(ctx, session), "closes": closes}
    return Prepared(due.msgid, params)


CONTENT_LABELS = CONTENT_CHECKLIST_LABELS


async def _checklist(
    ctx: Ctx, session: ModelSession, params: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    documents = (
        await ctx.session.exec(
            select(func.count()).select_from(Document).where(Document.session_id == session.id)
        )
    ).one()
    accepted = (
        await ctx.session.exec(
            select(func.count())
            .select_from(Invitation)
            .where(
                Invitation.session_id == session.id,
                Invitation.status == InvitationStatus.ACCEPTED,
            )
        )
    ).one()
    return N_(
        "Checklist for the {kind} of “{host}” at {when}:\n• content (agenda, draft resolution): "
        "{content}\n• documents received: {documents}\n• delegates who confirmed: {accepted}\n"
        "Please make sure everything is ready."
    ), {
        **params,
        "content": CONTENT_LABELS[ContentStatus(session.content_status)],
        "documents": documents,
        "accepted": accepted,
    }
