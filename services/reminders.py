"""What the scheduler pushes on its own: deadline chasers, overdue notices and the late-units
digest (and, with invitations, session reminders and feedback requests).

Rows are planned when the cause is created (same transaction) with unique keys, and checked
again when due (`prepare`): a chaser for a unit that has meanwhile delivered is dropped, and a
digest is written from the state at that moment, so nothing stale ever goes out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, func, select

from core.i18n import N_, Msgid
from services import outbox
from services.context import Ctx
from services.invitations import invitee_ids
from services.outbox import Button, Planned
from services.plans import HOST_ROLES, SESSION_KIND_LABELS, issuer_organiser_ids, people_in
from storage.models import (
    ContentStatus,
    Document,
    Invitation,
    InvitationStatus,
    ModelSession,
    Plan,
    Requirement,
    RequirementTarget,
    Role,
    SessionKind,
    SessionStatus,
    TargetStatus,
    Unit,
)
from storage.outbox import Notification

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = time(8, 0)
CHASE_DAYS = (3, 1, 0)  # days before the due day, at 08:00
OVERDUE_GRACE = timedelta(days=14)  # an overdue notice older than this is no longer useful

CHASE = "chase"
OVERDUE = "overdue"
LATE_DIGEST = "late_digest"

LEFT: dict[int, Msgid] = {
    3: N_("in 3 days"),
    1: N_("tomorrow"),
    0: N_("today"),
}


def morning_of(day: date) -> datetime:
    return datetime.combine(day, MORNING, tzinfo=VN_TZ).astimezone(UTC)


async def plan_requirement(ctx: Ctx, plan: Plan, requirement: Requirement) -> int:
    """Chasers before the deadline, an overdue notice after it for each target unit, and the
    late-units digest for the organisers. Moments already past are not planned."""
    now = ctx.clock.now()
    targets = (
        await ctx.session.exec(
            select(RequirementTarget).where(RequirementTarget.requirement_id == requirement.id)
        )
    ).all()
    base: dict[str, Any] = {
        "plan": plan.number,
        "requirement": requirement.description,
        "due": requirement.due_on,
    }
    items: list[Planned] = []
    after = morning_of(requirement.due_on + timedelta(days=1))
    for target in targets:
        unit = await ctx.session.get(Unit, target.unit_id)
        if unit is None:
            continue
        recipients = await people_in(ctx, [target.unit_id], (*HOST_ROLES, Role.ORGANISER))
        params = {**base, "unit": unit.name}
        for person_id in recipients:
            for days in CHASE_DAYS:
                at = morning_of(requirement.due_on - timedelta(days=days))
                if at <= now:
                    continue
                items.append(
                    Planned(
                        key=f"{CHASE}:{requirement.id}:{target.unit_id}:{days}:{person_id}",
                        kind=CHASE,
                        person_id=person_id,
                        subject_type="target",
                        subject_id=target.id,  # type: ignore[arg-type]
                        due_at=at,
                        useful_until=requirement.due_at,
                        msgid=N_(
                            "Reminder: plan {plan} asks “{unit}”: {requirement}. "
                            "Deadline: {due} ({left})."
                        ),
                        params=outbox.encode_params({**params, "left": LEFT[days]}),
                    )
                )
            items.append(
                Planned(
                    key=f"{OVERDUE}:{requirement.id}:{target.unit_id}:{person_id}",
                    kind=OVERDUE,
                    person_id=person_id,
                    subject_type="target",
                    subject_id=target.id,  # type: ignore[arg-type]
                    due_at=max(after, now),
                    useful_until=after + OVERDUE_GRACE,
                    msgid=N_(
                        "Overdue: plan {plan} asked “{unit}” for: {requirement}, by {due}. "
                        "Please send it as soon as possible."
                    ),
                    params=outbox.encode_params(params),
                )
            )
    for person_id in await issuer_organiser_ids(ctx, plan):
        items.append(
            Planned(
                key=f"{LATE_DIGEST}:{requirement.id}:{person_id}",
                kind=LATE_DIGEST,
                person_id=person_id,
                subject_type="requirement",
                subject_id=requirement.id,  # type: ignore[arg-type]
                due_at=max(after, now),
                useful_until=after + OVERDUE_GRACE,
                msgid="",  # written when due (see `prepare`)
            )
        )
    return await outbox.plan(ctx, items)


async def prepare(ctx: Ctx, row: Notification, locale: str) -> Prepared | None:
    """Just before sending: None drops a row that is no longer relevant; otherwise what to
    send (rows written when due get their text here, in the recipient's language). The row's
    buttons go with a catalog message; composed text has none."""
    msgid, params, buttons = outbox.decode(row)
    prepared = await _prepare(ctx, row, msgid, params, locale)
    if prepared is None or prepared.text is not None:
        return prepared
    return replace(prepared, buttons=buttons)


async def _prepare(
    ctx: Ctx, row: Notification, msgid: str, params: dict[str, Any], locale: str
) -> Prepared | None:
    if row.kind in (CHASE, OVERDUE):
        target = await ctx.session.get(RequirementTarget, row.subject_id)
        if target is None or target.status == TargetStatus.SUBMITTED:
            return None
        return Prepared(msgid, params)
    if row.kind == LATE_DIGEST:
        digest = await _late_digest(ctx, row.subject_id)
        return Prepared(*digest) if digest else None
    if row.kind in SESSION_KINDS:
        return await _prepare_session_row(ctx, row, msgid, params, locale)
    return Prepared(msgid, params)


async def _prepare_session_row(
    ctx: Ctx, row: Notification, msgid: str, params: dict[str, Any], locale: str
) -> Prepared | None:
    session = await ctx.session.get(ModelSession, row.subject_id)
    if session is None or session.status == SessionStatus.CANCELLED or session.starts_at is None:
        return None
    if f":{_stamp(session)}:" not in row.key:  # planned for a time the session no longer has
        return None
    if row.kind == REMINDER:
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
    if row.kind == FEEDBACK_NUDGE and await _has_feedback(ctx, session, row.person_id):
        return None
    if row.kind in (FEEDBACK_REQUEST, FEEDBACK_NUDGE):
        closes = await feedback_closes(ctx, session)
        if ctx.clock.now() >= closes:  # the plan's feedback period ended meanwhile
            return None
        params = {**await _session_params(ctx, session), "closes": closes}
    if row.kind == SUMMARY:
        from services.summaries import summary_message  # summaries read much of the model

        text, photo = await summary_message(ctx, session.id, locale)  # type: ignore[arg-type]
        return Prepared(text=text, photo=photo)
    return Prepared(msgid, params)


CONTENT_LABELS: dict[str, Msgid] = {
    ContentStatus.NONE: N_("not submitted yet ❗"),
    ContentStatus.SUBMITTED: N_("submitted, waiting for review"),
    ContentStatus.RETURNED: N_("returned for changes ❗"),
    ContentStatus.APPROVED: N_("approved ✅"),
}


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


async def _has_feedback(ctx: Ctx, session: ModelSession, person_id: int) -> bool:
    try:
        from services.feedback import has_feedback
    except ImportError:  # feedback is not installed in this build
        return False
    return await has_feedback(ctx, session.id, person_id)  # type: ignore[arg-type]


async def _late_digest(ctx: Ctx, requirement_id: int) -> tuple[str, dict[str, Any]] | None:
    requirement = await ctx.session.get(Requirement, requirement_id)
    if requirement is None:
        return None
    plan = await ctx.session.get(Plan, requirement.plan_id)
    if plan is None:
        return None
    rows = (
        await ctx.session.exec(
            select(Unit.name, RequirementTarget.status, RequirementTarget.submitted_at)
            .join(Unit, col(Unit.id) == RequirementTarget.unit_id)
            .where(RequirementTarget.requirement_id == requirement_id)
            .order_by(Unit.name)
        )
    ).all()
    missing = [name for name, status, _ in rows if status != TargetStatus.SUBMITTED]
    late = [
        name
        for name, status, at in rows
        if status == TargetStatus.SUBMITTED and at is not None and at >= requirement.due_at
    ]
    params: dict[str, Any] = {
        "plan": plan.number,
        "requirement": requirement.description,
        "due": requirement.due_on,
        "total": len(rows),
        "missing_count": len(missing),
        "missing": ", ".join(missing) or "—",
        "late": ", ".join(late) or "—",
    }
    if not missing and not late:
        return N_(
            "Plan {plan}, “{requirement}” (deadline {due}): all {total} units delivered on time."
        ), params
    return N_(
        "Plan {plan}, “{requirement}” (deadline {due}): {missing_count} of {total} units have "
        "not delivered yet: {missing}. Delivered late: {late}."
    ), params


# --------------------------------------------------------------------------- sessions

REMINDER = "session_reminder"
CHECKLIST = "host_checklist"
FEEDBACK_REQUEST = "feedback_request"
FEEDBACK_NUDGE = "feedback_nudge"
SUMMARY = "session_summary"
SESSION_KINDS = (REMINDER, CHECKLIST, FEEDBACK_REQUEST, FEEDBACK_NUDGE, SUMMARY)
PLANNED_WITH_SESSION = (REMINDER, CHECKLIST, SUMMARY)


@dataclass
class Policy:
    """When the scheduler speaks about a session (set from the settings at start-up)."""

    reminder_offsets: tuple[timedelta, ...] = (timedelta(days=1), timedelta(hours=2))
    checklist_before: timedelta = timedelta(days=1)
    feedback_nudge_after: timedelta = timedelta(days=1)


POLICY = Policy()
MAX_FEEDBACK_DAYS = 30  # no plan keeps feedback open longer (services.feedback checks it)


@dataclass(frozen=True, slots=True)
class Prepared:
    """What to send for a row: a catalog message, or text already composed in the recipient's
    language (with an optional picture)."""

    msgid: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    photo: bytes | None = None
    buttons: list[list[Button]] = field(default_factory=list)


def session_end(session: ModelSession) -> datetime:
    assert session.starts_at is not None
    return session.starts_at + timedelta(minutes=session.duration_minutes)


async def feedback_closes(ctx: Ctx, session: ModelSession) -> datetime:
    """When feedback closes: the plan's own setting (services.feedback)."""
    from services.feedback import closes_at  # feedback reads sessions and check-ins

    closes = await closes_at(ctx, session)
    return closes if closes is not None else session_end(session)


def _stamp(session: ModelSession) -> str:
    assert session.starts_at is not None
    return session.starts_at.strftime("%Y%m%d%H%M")


async def _session_params(ctx: Ctx, session: ModelSession) -> dict[str, Any]:
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
    }


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
                    key=f"{REMINDER}:{session.id}:{_stamp(session)}:{minutes}:{person_id}",
                    kind=REMINDER,
                    person_id=person_id,
                    subject_type="session",
                    subject_id=session.id,  # type: ignore[arg-type]
                    due_at=at,
                    useful_until=session.starts_at,
                    msgid=N_(
                        "Reminder: {kind} of “{host}” (plan {plan}) at {when}, {venue}, {address}. "
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
    params = await _session_params(ctx, session)
    invitees = await invitee_ids(ctx, session.id)  # type: ignore[arg-type]
    items = _reminder_rows(session, invitees, params, now)
    checklist_at = max(session.starts_at - POLICY.checklist_before, now)
    for person_id in await people_in(ctx, [session.host_unit_id], HOST_ROLES):
        items.append(
            Planned(
                key=f"{CHECKLIST}:{session.id}:{_stamp(session)}:{person_id}",
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
    plan = await ctx.session.get(Plan, session.plan_id)
    readers: list[int] = []
    if plan is not None:
        readers = await issuer_organiser_ids(ctx, plan)
        readers += await people_in(ctx, [plan.issuer_unit_id], (Role.LEADER,))
    closes = await feedback_closes(ctx, session)
    for person_id in dict.fromkeys(readers):
        items.append(
            Planned(
                key=f"{SUMMARY}:{session.id}:{_stamp(session)}:{person_id}",
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
    params = await _session_params(ctx, session)
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
    stamp = _stamp(session)
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
