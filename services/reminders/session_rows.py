"""What the scheduler plans for a session: reminders to invitees, the host's checklist, the
summary for leaders, feedback requests to those who checked in; re-planned on every change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import select

from core.i18n import N_
from services import outbox
from services.context import Ctx
from services.feedback import closes_at
from services.labels import SESSION_KIND_LABELS
from services.outbox import Button, Planned
from services.plans import HOST_ROLES, issuer_organiser_ids, people_in
from services.read.invitations import invitee_ids
from services.reminders.kinds import (
    CHECKLIST,
    FEEDBACK_NUDGE,
    FEEDBACK_REQUEST,
    MAX_FEEDBACK_DAYS,
    OVERDUE_GRACE,
    PLANNED_WITH_SESSION,
    POLICY,
    REMINDER,
    SUMMARY,
    place_of,
    session_end,
    start_stamp,
)
from storage.models import (
    ModelSession,
    Plan,
    Role,
    SessionKind,
    SessionStatus,
    Unit,
)


async def feedback_closes(ctx: Ctx, session: ModelSession) -> datetime:
    """When feedback closes: the plan's own setting (services.feedback)."""
    closes = await closes_at(ctx, session)
    return closes if closes is not None else session_end(session)


async def session_notice_params(ctx: Ctx, session: ModelSession) -> dict[str, Any]:
    plan = await ctx.session.get(Plan, session.plan_id)
    host = await ctx.session.get(Unit, session.host_unit_id)
    return {
        "session_id": session.id,
        "plan": plan.number if plan else "",
        "kind": SESSION_KIND_LABELS[SessionKind(session.kind)],
        "host": host.name if host else "",
        "when": session.starts_at,
        "venue": session.venue or "—",
        "address": session.address or "—",
        "place": place_of(session),
    }


async def summary_readers(ctx: Ctx, session: ModelSession) -> list[int]:
    """Who reads a session's summary: the organisers and leaders of the plan's issuer. Asked
    when the rows are planned and again when they are due (people who joined since get it)."""
    plan = await ctx.session.get(Plan, session.plan_id)
    if plan is None:
        return []
    readers = await issuer_organiser_ids(ctx, plan)
    readers += await people_in(ctx, [plan.issuer_unit_id], (Role.LEADER,))
    return list(dict.fromkeys(readers))


def _reminder_rows(
    session: ModelSession, person_ids: Iterable[int], params: dict[str, Any], now: datetime
) -> list[Planned]:
    assert session.starts_at is not None
    rows = []
    for person_id in person_ids:
        for offset in POLICY.reminder_offsets:
            at = session.starts_at - offset
            if at <= now:
                continue
            minutes = int(offset.total_seconds() // 60)
            rows.append(
                Planned(
                    key=f"{REMINDER}:{session.id}:{start_stamp(session)}:{minutes}:{person_id}",
                    kind=REMINDER,
                    person_id=person_id,
                    subject_type="session",
                    subject_id=session.id,  # type: ignore[arg-type]
                    due_at=at,
                    useful_until=session.starts_at,
                    msgid=N_(
                        "Reminder: {kind} of “{host}” (plan {plan}) at {when}, {place}. "
                        "At the venue, check in by scanning the QR code or typing /diemdanh "
                        "and the code shown there."
                    ),
                    params=outbox.encode_params(params),
                )
            )
    return rows


async def replan_session(ctx: Ctx, session: ModelSession) -> int:
    """After any change of a session: cancel what was planned for it and plan anew. Only a
    scheduled session in the future gets reminders, the host checklist and the summary."""
    # Feedback requests are planned at check-in and keep their rows: a changed or cancelled
    # session drops them when due (their key names the start time they were planned for).
    await outbox.cancel_pending(ctx, "session", session.id, kinds=PLANNED_WITH_SESSION)  # type: ignore[arg-type]
    now = ctx.clock.now()
    if session.status != SessionStatus.SCHEDULED or session.starts_at is None:
        return 0
    if session.starts_at <= now:
        return 0
    params = await session_notice_params(ctx, session)
    invitees = await invitee_ids(ctx, session.id)  # type: ignore[arg-type]
    items = _reminder_rows(session, invitees, params, now)
    checklist_at = max(session.starts_at - POLICY.checklist_before, now)
    for person_id in await people_in(ctx, [session.host_unit_id], HOST_ROLES):
        items.append(
            Planned(
                key=f"{CHECKLIST}:{session.id}:{start_stamp(session)}:{person_id}",
                kind=CHECKLIST,
                person_id=person_id,
                subject_type="session",
                subject_id=session.id,  # type: ignore[arg-type]
                due_at=checklist_at,
                useful_until=session.starts_at,
                msgid="",  # written when due (see `prepare`)
                params=outbox.encode_params(params),
            )
        )
    closes = await feedback_closes(ctx, session)
    for person_id in await summary_readers(ctx, session):
        items.append(
            Planned(
                key=f"{SUMMARY}:{session.id}:{start_stamp(session)}:{person_id}",
                kind=SUMMARY,
                person_id=person_id,
                subject_type="session",
                subject_id=session.id,  # type: ignore[arg-type]
                due_at=closes,
                useful_until=closes + OVERDUE_GRACE,
                msgid="",
            )
        )
    return await outbox.plan(ctx, items)


async def plan_invitee_reminders(ctx: Ctx, session: ModelSession, person_ids: Iterable[int]) -> int:
    """Reminders for people just invited (a second invitation round reaches only them)."""
    if session.status != SessionStatus.SCHEDULED or session.starts_at is None:
        return 0
    params = await session_notice_params(ctx, session)
    return await outbox.plan(ctx, _reminder_rows(session, person_ids, params, ctx.clock.now()))


async def plan_feedback_request(ctx: Ctx, session: ModelSession, person_id: int) -> int:
    """Whoever checks in is asked for feedback when the session ends, and reminded a day later.
    One insert (check-in is a hot path): the words are written when the rows are due."""
    if session.starts_at is None:
        return 0
    # One insert (check-in is a hot path): the plan's closing time is checked when due.
    end = session_end(session)
    closes = end + timedelta(days=MAX_FEEDBACK_DAYS)
    button = ((Button(N_("✍️ Give feedback"), f"fb:{session.id}"),),)
    stamp = start_stamp(session)
    items = [
        Planned(
            key=f"{kind}:{session.id}:{stamp}:{person_id}",
            kind=kind,
            person_id=person_id,
            subject_type="session",
            subject_id=session.id,  # type: ignore[arg-type]
            due_at=max(at, ctx.clock.now()),
            useful_until=closes,
            msgid=msgid,
            buttons=button,
        )
        for kind, at, msgid in (
            (FEEDBACK_REQUEST, end, FEEDBACK_REQUEST_TEXT),
            (FEEDBACK_NUDGE, end + POLICY.feedback_nudge_after, FEEDBACK_NUDGE_TEXT),
        )
    ]
    return await outbox.plan(ctx, items)


FEEDBACK_REQUEST_TEXT = N_(
    "Thank you for attending the {kind} of “{host}”. Please give your feedback: "
    "what went well, what fell short, and your proposals."
)
FEEDBACK_NUDGE_TEXT = N_(
    "A reminder: your feedback on the {kind} of “{host}” helps the party committee "
    "draw lessons. Feedback closes at {closes}."
)


async def replan_plan(ctx: Ctx, plan_id: int) -> int:
    """Re-plan every session of a plan (after a setting that times them changed)."""
    rows = (
        await ctx.session.exec(select(ModelSession).where(ModelSession.plan_id == plan_id))
    ).all()
    return sum([await replan_session(ctx, s) for s in rows])
