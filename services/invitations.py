"""Invitations (giấy mời) to a model session, and the answers (tham dự / vắng).

The people come from the session's participant categories (services.participants). Sending
is idempotent: each person is invited to a session once; a second `send` reaches only people
who were added since. The notices are the formal invitation texts with the answer buttons;
`send` also returns the new invitation ids (each notice carries its own in
`params["invitation_id"]`).

Only organisers of the plan's issuing unit (or of a unit above it) preview and send. Answers
are the invitee's alone and stay quiet (the roll shows them); they can change until the
session starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.events import InviteesAdded
from services.notifications import Button, Buttons, Notice, Outcome
from services.participants import resolve_for
from services.plans import get_plan, require_plan_manager, subtree_ids, unit_ids_with_role
from services.read.invitations import invitee_ids as invitee_ids  # (re-exported)
from services.read.sessions import get_session, session_params
from services.read.sessions import sort_key as session_sort_key
from services.sessions import check_reason
from services.units import get_unit
from storage.models import (
    Invitation,
    InvitationStatus,
    ModelSession,
    Person,
    Plan,
    PlanStatus,
    Role,
    SessionStatus,
)

INSERT_CHUNK = 500

INVITATION_TEXT = N_(
    "INVITATION\n"
    "{issuer} respectfully invites you to attend the {kind} of “{host}” (plan {plan}).\n"
    "Topic: {topic}\n"
    "Time: {when}\n"
    "Venue: {venue}\n"
    "Address: {address}\n"
    "Please let us know whether you will attend."
)
INVITATION_TEXT_NO_TOPIC = N_(
    "INVITATION\n"
    "{issuer} respectfully invites you to attend the {kind} of “{host}” (plan {plan}).\n"
    "Time: {when}\n"
    "Venue: {venue}\n"
    "Address: {address}\n"
    "Please let us know whether you will attend."
)
TO_BE_ANNOUNCED = N_("to be announced")


@dataclass(frozen=True, slots=True)
class CategoryPreview:
    category_id: int
    label: str
    people: int  # people this category brings (after de-duplication)
    new: int  # of them, not invited yet
    repeated: int  # people named here but already counted in an earlier category
    defined: bool  # False: the category names nobody yet (set a rule or name people)


@dataclass(frozen=True, slots=True)
class Preview:
    session_id: int
    categories: list[CategoryPreview]
    total: int  # people the categories bring
    new: int  # of them, not invited yet: what `send` would reach
    already_invited: int  # invitations sent before (some may no longer match a category)


# --------------------------------------------------------------------------- checks


async def _load_for_sending(ctx: Ctx, actor: Person, session_id: int) -> tuple[ModelSession, Plan]:
    session = await get_session(ctx, session_id)
    plan = await get_plan(ctx, session.plan_id)
    await require_plan_manager(ctx, actor, plan)
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(N_("This session has been cancelled, so no invitations can be sent."))
    if session.status == SessionStatus.HELD:
        raise Conflict(N_("This session has already been held, so no invitations can be sent."))
    if plan.status == PlanStatus.DRAFT:
        raise Conflict(
            N_("Plan {plan} has not been issued yet. Please issue it before sending invitations."),
            plan=plan.number,
        )
    if plan.status == PlanStatus.CLOSED:
        raise Conflict(
            N_("Plan {plan} is closed, so nothing can be added or changed in it."),
            plan=plan.number,
        )
    if session.starts_at is not None and session.starts_at <= ctx.clock.now():
        raise Conflict(N_("This session has already started, so no invitations can be sent."))
    return session, plan


async def _invited_ids(ctx: Ctx, session_id: int) -> set[int]:
    result = await ctx.session.exec(
        select(Invitation.person_id).where(Invitation.session_id == session_id)
    )
    return set(result.all())


async def invitation_params(ctx: Ctx, session: ModelSession, plan: Plan) -> dict[str, Any]:
    """The parameters of the invitation text (without `invitation_id`)."""
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    return await session_params(ctx, session, plan) | {
        "issuer": issuer.name,
        "venue": session.venue or TO_BE_ANNOUNCED,
        "address": session.address or TO_BE_ANNOUNCED,
    }


def invitation_msgid(session: ModelSession) -> str:
    """The formal invitation text for the session (with its topic when it has one)."""
    return INVITATION_TEXT if session.topic else INVITATION_TEXT_NO_TOPIC


async def invitation_message(ctx: Ctx, invitation: Invitation) -> tuple[str, dict[str, Any]]:
    """The invitation as its recipient reads it now (msgid and notice parameters), e.g. to
    show their answer under it."""
    session = await get_session(ctx, invitation.session_id)
    plan = await get_plan(ctx, session.plan_id)
    params = await invitation_params(ctx, session, plan) | {"invitation_id": invitation.id}
    return invitation_msgid(session), params


# --------------------------------------------------------------------------- organisers


async def preview(ctx: Ctx, actor: Person, session_id: int) -> Preview:
    """Who `send` would invite: per category, how many people and how many are new."""
    session, plan = await _load_for_sending(ctx, actor, session_id)
    resolved = await resolve_for(ctx, session, plan)
    invited = await _invited_ids(ctx, session_id)
    rows = [
        CategoryPreview(
            category_id=r.category.id,  # type: ignore[arg-type]
            label=r.category.label,
            people=len(r.people),
            new=sum(1 for p in r.people if p.id not in invited),
            repeated=r.repeated,
            defined=r.defined,
        )
        for r in resolved
    ]
    return Preview(
        session_id=session_id,
        categories=rows,
        total=sum(r.people for r in rows),
        new=sum(r.new for r in rows),
        already_invited=len(invited),
    )


INVITATION_KIND = "invitation"
ATTEND = N_("✅ Attend")
ABSENT = N_("❌ Absent (give a reason)")


def rsvp_buttons(invitation_id: int) -> Buttons:
    return (
        (
            Button(ATTEND, f"rsvp:{invitation_id}:y"),
            Button(ABSENT, f"rsvp:{invitation_id}:n"),
        ),
    )


async def send(
    ctx: Ctx, actor: Person, session_id: int, *, batch: str | None = None
) -> Outcome[list[int]]:
    """Invite everyone the categories bring who is not invited yet. The value is the new
    invitation ids, in the order of the notices (one formal invitation per new invitee).

    Each invitation goes out once (its key names it) with the answer buttons, never after the
    session has started; `batch` names the rows so the sender's progress can be watched."""
    session, plan = await _load_for_sending(ctx, actor, session_id)
    resolved = await resolve_for(ctx, session, plan)
    invited = await _invited_ids(ctx, session_id)
    now = ctx.clock.now()
    rows = [
        {
            "session_id": session_id,
            "person_id": p.id,
            "category_id": r.category.id,
            "status": InvitationStatus.INVITED.value,
            "invited_at": now,
            "invited_by_id": actor.id,
        }
        for r in resolved
        for p in r.people
        if p.id not in invited
    ]
    created = await _insert_new(ctx, rows)
    if not created:
        return Outcome([])
    params = await invitation_params(ctx, session, plan)
    msgid = invitation_msgid(session)
    ids: list[int] = []
    notices: list[Notice] = []
    for row in rows:
        invitation_id = created.get(row["person_id"])
        if invitation_id is None:  # invited meanwhile by a concurrent send
            continue
        ids.append(invitation_id)
        notices.append(Notice(row["person_id"], msgid, params | {"invitation_id": invitation_id}))
    await ctx.record(InviteesAdded(session, [n.person_id for n in notices]))
    for invitation_id, notice in zip(ids, notices, strict=True):
        ctx.notify(
            [notice],
            kind=INVITATION_KIND,
            subject_type="session",
            subject_id=session_id,
            key=f"{INVITATION_KIND}:{invitation_id}",
            buttons=rsvp_buttons(invitation_id),
            useful_until=session.starts_at,
            batch=batch,
        )
    return Outcome(ids, notices)


async def _insert_new(ctx: Ctx, rows: list[dict[str, Any]]) -> dict[int, int]:
    """Insert invitations, skipping people invited meanwhile. Returns person id → new id."""
    if not rows:
        return {}
    bind = ctx.session.bind
    insert = pg_insert if bind is not None and bind.dialect.name == "postgresql" else sqlite_insert
    created: dict[int, int] = {}
    for start in range(0, len(rows), INSERT_CHUNK):
        stmt = (
            insert(Invitation)
            .values(rows[start : start + INSERT_CHUNK])
            .on_conflict_do_nothing(index_elements=["session_id", "person_id"])
            .returning(col(Invitation.person_id), col(Invitation.id))
        )
        result = await ctx.session.exec(stmt)  # type: ignore[call-overload]
        created.update({person_id: inv_id for person_id, inv_id in result.all()})
    return created


# --------------------------------------------------------------------------- invitees


async def get_invitation(ctx: Ctx, person: Person, invitation_id: int) -> Invitation:
    """The person's own invitation (someone else's: PermissionDenied)."""
    invitation = await ctx.session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound(N_("That invitation no longer exists."))
    if person.id is None or invitation.person_id != person.id:
        raise PermissionDenied(
            N_("This invitation was sent to someone else, so only they can answer it.")
        )
    return invitation


async def check_answer(ctx: Ctx, person: Person, invitation_id: int) -> Invitation:
    """The person's own invitation, once its answer may still change now (a chat asks the
    reason for an absence only then). Raises what `answer` would."""
    invitation = await get_invitation(ctx, person, invitation_id)
    session = await get_session(ctx, invitation.session_id)
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(N_("This session has been cancelled, so there is nothing to answer."))
    started = session.starts_at is not None and session.starts_at <= ctx.clock.now()
    if session.status == SessionStatus.HELD or started:
        raise Conflict(
            N_(
                "This session has already started, so the answer can no longer be changed. "
                "Please tell the organisers directly."
            )
        )
    return invitation


async def answer(
    ctx: Ctx, person: Person, invitation_id: int, accept: bool, reason: str | None = None
) -> Invitation:
    """Tham dự (accept) or vắng (decline, with a reason). The answer can change until the
    session starts; nobody is notified."""
    invitation = await check_answer(ctx, person, invitation_id)
    if accept:
        status, clean_reason = InvitationStatus.ACCEPTED, None
    else:
        clean_reason = check_reason(reason)
        if not clean_reason:
            raise InvalidInput(
                N_(
                    "Please give the reason why you cannot attend, for example: "
                    "Đi công tác tại Đà Nẵng."
                )
            )
        status = InvitationStatus.DECLINED
    if invitation.status == status and invitation.decline_reason == clean_reason:
        return invitation
    invitation.status = status
    invitation.decline_reason = clean_reason
    invitation.answered_at = ctx.clock.now()
    ctx.session.add(invitation)
    await ctx.session.flush()
    return invitation


@dataclass(frozen=True, slots=True)
class MyInvitation:
    invitation: Invitation
    session: ModelSession


async def my_invitations(ctx: Ctx, person: Person, limit: int = 10) -> list[MyInvitation]:
    """The person's invitations to sessions not cancelled, held or started; soonest first
    (sessions without a day yet last)."""
    if person.id is None or limit <= 0:
        return []
    now = ctx.clock.now()
    result = await ctx.session.exec(
        select(Invitation, ModelSession)
        .join(ModelSession, col(ModelSession.id) == Invitation.session_id)
        .where(
            Invitation.person_id == person.id,
            col(ModelSession.status).in_(
                [SessionStatus.TENTATIVE.value, SessionStatus.SCHEDULED.value]
            ),
            col(ModelSession.starts_at).is_(None) | (col(ModelSession.starts_at) > now),
        )
        .order_by(
            col(ModelSession.starts_at).is_(None),
            col(ModelSession.starts_at),
            col(ModelSession.id),
        )
        .limit(limit)
    )
    return [MyInvitation(inv, session) for inv, session in result.all()]


async def managed_sessions(ctx: Ctx, person: Person | None, limit: int = 10) -> list[ModelSession]:
    """Sessions the person may send invitations for now: of plans issued by a unit they
    organise (or one below it), not cancelled, held or started; soonest first (tentative ones
    by their month)."""
    if person is None or limit <= 0:
        return []
    organised = await subtree_ids(ctx, await unit_ids_with_role(ctx, person, (Role.ORGANISER,)))
    if not organised:
        return []
    now = ctx.clock.now()
    result = await ctx.session.exec(
        select(ModelSession)
        .join(Plan, col(Plan.id) == ModelSession.plan_id)
        .where(
            col(Plan.issuer_unit_id).in_(organised),
            col(Plan.status) != PlanStatus.CLOSED.value,
            col(ModelSession.status).in_(
                [SessionStatus.TENTATIVE.value, SessionStatus.SCHEDULED.value]
            ),
            col(ModelSession.starts_at).is_(None) | (col(ModelSession.starts_at) > now),
        )
    )
    return sorted(result.all(), key=session_sort_key)[:limit]
