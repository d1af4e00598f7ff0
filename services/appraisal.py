"""Content appraisal (thẩm định) of a model session before it is held.

The host (secretary or deputy secretary of the host unit) submits the content: documents
attached to the session (agenda, draft resolution, topic paper) and/or text. An organiser of
a unit above the host approves it or returns it with comments; a returned content can be
submitted again. The session's `content_status` moves none → submitted → returned →
submitted → approved, and every step is kept in `ContentReview`.
"""

from __future__ import annotations

from sqlmodel import col, select

from core.i18n import N_
from services import roles
from services.context import Ctx
from services.errors import Conflict, InvalidInput, PermissionDenied
from services.notifications import Button, Buttons, Outcome, notices_for
from services.plans import HOST_ROLES, get_plan, people_in, subtree_ids, unit_ids_with_role
from services.read.sessions import get_session, require_changeable, session_params, sort_key
from services.units import get_unit
from services.validation import clean_lines, clean_text
from storage.models import (
    ContentReview,
    ContentStatus,
    Document,
    DocumentPurpose,
    Membership,
    ModelSession,
    Person,
    Plan,
    PlanStatus,
    ReviewAction,
    Role,
    SessionStatus,
    Unit,
)

CONTENT_PURPOSES = (
    DocumentPurpose.AGENDA,
    DocumentPurpose.DRAFT_RESOLUTION,
    DocumentPurpose.TOPIC_PAPER,
    DocumentPurpose.OTHER,
)
MAX_CONTENT_TEXT = 10_000
MAX_COMMENT = 2_000


async def _reviewer_unit(ctx: Ctx, session: ModelSession) -> int:
    """The unit whose organisers (or those above it) review: the host's parent, or the host
    itself when it is the top unit."""
    host = await get_unit(ctx, session.host_unit_id)
    return host.parent_id if host.parent_id is not None else session.host_unit_id


async def can_review(ctx: Ctx, person: Person | None, session: ModelSession) -> bool:
    return await roles.can_manage(ctx, person, await _reviewer_unit(ctx, session))


async def _require_host_officer(ctx: Ctx, actor: Person | None, session: ModelSession) -> None:
    result = await ctx.session.exec(
        select(Membership.id).where(
            Membership.person_id == (actor.id if actor else None),
            Membership.unit_id == session.host_unit_id,
            col(Membership.role).in_([r.value for r in HOST_ROLES]),
        )
    )
    if actor is None or result.first() is None:
        host = await get_unit(ctx, session.host_unit_id)
        raise PermissionDenied(
            N_("Only the secretary or deputy secretary of “{unit}” can submit its content."),
            unit=host.name,
        )


async def _require_reviewer(ctx: Ctx, actor: Person | None, session: ModelSession) -> None:
    if not await can_review(ctx, actor, session):
        unit = await get_unit(ctx, await _reviewer_unit(ctx, session))
        raise PermissionDenied(
            N_(
                "Only the organisers of “{unit}” or of a unit above it can approve or return "
                "this content."
            ),
            unit=unit.name,
        )


async def require_reviewer(ctx: Ctx, actor: Person | None, session_id: int) -> ModelSession:
    """The session, once the actor is one of its reviewers."""
    session = await get_session(ctx, session_id)
    await _require_reviewer(ctx, actor, session)
    return session


async def check_can_review(ctx: Ctx, actor: Person | None, session_id: int) -> ModelSession:
    """The session, once the actor may approve or return its content now (before asking
    for a comment)."""
    session = await require_reviewer(ctx, actor, session_id)
    require_changeable(session)
    if session.content_status != ContentStatus.SUBMITTED:
        raise Conflict(N_("There is no submitted content waiting for review on this session."))
    return session


def _check_comment(comment: str | None) -> str | None:
    text = clean_text(comment)
    if len(text) > MAX_COMMENT:
        raise InvalidInput(
            N_("The comment is too long ({length} characters). Please keep it under {limit}."),
            length=len(text),
            limit=MAX_COMMENT,
        )
    return text or None


async def _has_content_documents(ctx: Ctx, session_id: int) -> bool:
    result = await ctx.session.exec(
        select(Document.id).where(
            Document.session_id == session_id,
            col(Document.purpose).in_([p.value for p in CONTENT_PURPOSES]),
        )
    )
    return result.first() is not None


SUBMITTED_KIND = "content_submitted"
REVIEWED_KIND = "content_reviewed"


def review_buttons(session_id: int) -> Buttons:
    """What a reviewer can do from the notice that content arrived."""
    return (
        (
            Button(N_("✅ Approve"), f"ap:ok:{session_id}"),
            Button(N_("↩️ Return"), f"ap:ret:{session_id}"),
        ),
        (Button(N_("🔍 View the content"), f"ap:view:{session_id}"),),
    )


def resubmit_buttons(session_id: int) -> Buttons:
    """What the host can do from the notice that content was returned."""
    return ((Button(N_("📎 Submit content"), f"ap:submit:{session_id}"),),)


def _review(
    ctx: Ctx, session: ModelSession, actor: Person, action: ReviewAction, comment: str | None
) -> None:
    ctx.session.add(
        ContentReview(
            session_id=session.id,  # type: ignore[arg-type]
            action=action,
            by_id=actor.id,
            at=ctx.clock.now(),
            comment=comment,
        )
    )


async def check_can_submit(ctx: Ctx, actor: Person | None, session_id: int) -> ModelSession:
    """The session, once the actor may submit its content now (before asking for it)."""
    session = await get_session(ctx, session_id)
    await _require_host_officer(ctx, actor, session)
    require_changeable(session)
    if session.content_status == ContentStatus.SUBMITTED:
        raise Conflict(N_("The content has already been submitted and is waiting for review."))
    if session.content_status == ContentStatus.APPROVED:
        raise Conflict(N_("The content has already been approved."))
    return session


async def submit_content(
    ctx: Ctx, actor: Person, session_id: int, *, text: str | None = None
) -> Outcome[ModelSession]:
    """Send the session's content for review (first time, or again after it was returned).

    Needs text or at least one content document attached to the session (uploaded with
    `requirements.add_document(..., session_id=...)`). `text=None` keeps earlier text."""
    session = await check_can_submit(ctx, actor, session_id)
    plan = await get_plan(ctx, session.plan_id)
    clean = clean_lines(text) if text is not None else None
    if clean is not None and len(clean) > MAX_CONTENT_TEXT:
        raise InvalidInput(
            N_(
                "The text is too long ({length} characters). Please keep it under {limit}, or send it as a file."
            ),
            length=len(clean),
            limit=MAX_CONTENT_TEXT,
        )
    new_text = clean if clean is not None else session.content_text
    if not new_text and not await _has_content_documents(ctx, session.id):  # type: ignore[arg-type]
        raise InvalidInput(
            N_(
                "Please send the agenda, the draft resolution or the topic paper "
                "(as a .docx/.pdf file or as text) before submitting the content."
            )
        )
    session.content_text = new_text or None
    session.content_status = ContentStatus.SUBMITTED
    session.updated_at = ctx.clock.now()
    ctx.session.add(session)
    _review(ctx, session, actor, ReviewAction.SUBMITTED, None)
    await ctx.session.flush()
    reviewers = [
        p.id for p in await roles.organisers_of(ctx, await _reviewer_unit(ctx, session)) if p.id
    ]
    notices = notices_for(
        reviewers,
        N_("“{host}” has sent the content of its {kind} ({when}) for review."),
        await session_params(ctx, session, plan),
        exclude=actor.id,
    )
    ctx.notify(
        notices,
        kind=SUBMITTED_KIND,
        subject_type="session",
        subject_id=session_id,
        buttons=review_buttons(session_id),
    )
    return Outcome(session, notices)


async def _decide(
    ctx: Ctx, actor: Person, session_id: int, action: ReviewAction, comment: str | None
) -> Outcome[ModelSession]:
    session = await check_can_review(ctx, actor, session_id)
    plan = await get_plan(ctx, session.plan_id)
    clean = _check_comment(comment)
    if action == ReviewAction.RETURNED and not clean:
        raise InvalidInput(
            N_(
                "Please write what the host should change, for example: "
                "Bổ sung phần liên hệ thực tiễn của chi bộ."
            )
        )
    session.content_status = (
        ContentStatus.APPROVED if action == ReviewAction.APPROVED else ContentStatus.RETURNED
    )
    session.updated_at = ctx.clock.now()
    ctx.session.add(session)
    _review(ctx, session, actor, action, clean)
    await ctx.session.flush()
    params = await session_params(ctx, session, plan) | {"comment": clean or ""}
    if action == ReviewAction.APPROVED:
        msgid = N_("The content of the {kind} of “{host}” ({when}) has been approved.")
    else:
        msgid = N_(
            "The content of the {kind} of “{host}” ({when}) was returned for changes: {comment}"
        )
    notices = notices_for(
        await people_in(ctx, [session.host_unit_id], HOST_ROLES), msgid, params, exclude=actor.id
    )
    ctx.notify(
        notices,
        kind=REVIEWED_KIND,
        subject_type="session",
        subject_id=session_id,
        buttons=() if action == ReviewAction.APPROVED else resubmit_buttons(session_id),
    )
    return Outcome(session, notices)


async def approve_content(
    ctx: Ctx, actor: Person, session_id: int, *, comment: str | None = None
) -> Outcome[ModelSession]:
    """Submitted → approved (the comment is optional)."""
    return await _decide(ctx, actor, session_id, ReviewAction.APPROVED, comment)


async def return_content(
    ctx: Ctx, actor: Person, session_id: int, comment: str
) -> Outcome[ModelSession]:
    """Submitted → returned, with the changes asked for (required)."""
    return await _decide(ctx, actor, session_id, ReviewAction.RETURNED, comment)


async def review_history(ctx: Ctx, session_id: int) -> list[ContentReview]:
    result = await ctx.session.exec(
        select(ContentReview)
        .where(ContentReview.session_id == session_id)
        .order_by(col(ContentReview.at), col(ContentReview.id))
    )
    return list(result.all())


async def awaiting_review(ctx: Ctx, person: Person) -> list[ModelSession]:
    """Submitted contents the person may review (hosted below a unit they organise, or by
    the top unit they organise), oldest submission first."""
    organised = await subtree_ids(ctx, await unit_ids_with_role(ctx, person, (Role.ORGANISER,)))
    if not organised:
        return []
    result = await ctx.session.exec(
        select(ModelSession)
        .join(Unit, col(Unit.id) == ModelSession.host_unit_id)
        .where(
            ModelSession.content_status == ContentStatus.SUBMITTED.value,
            col(Unit.parent_id).in_(organised)
            | (col(Unit.parent_id).is_(None) & col(Unit.id).in_(organised)),
        )
        .order_by(col(ModelSession.updated_at), col(ModelSession.id))
    )
    return list(result.all())


async def hosted_sessions(ctx: Ctx, person: Person | None) -> list[ModelSession]:
    """Sessions of issued plans hosted by units where the person is secretary or deputy
    secretary, not held or cancelled and not yet begun (or with only a month); soonest first."""
    hosts = await unit_ids_with_role(ctx, person, HOST_ROLES)
    if not hosts:
        return []
    result = await ctx.session.exec(
        select(ModelSession)
        .join(Plan, col(Plan.id) == ModelSession.plan_id)
        .where(
            col(ModelSession.host_unit_id).in_(hosts),
            Plan.status == PlanStatus.ISSUED.value,
            col(ModelSession.status).in_(
                [SessionStatus.TENTATIVE.value, SessionStatus.SCHEDULED.value]
            ),
            col(ModelSession.starts_at).is_(None) | (col(ModelSession.starts_at) > ctx.clock.now()),
        )
    )
    return sorted(result.all(), key=sort_key)


async def sessions_to_submit(ctx: Ctx, person: Person | None) -> list[ModelSession]:
    """The person's hosted sessions whose content can be sent for review now (none sent yet,
    or returned for changes); soonest first."""
    return [
        s
        for s in await hosted_sessions(ctx, person)
        if s.content_status in (ContentStatus.NONE, ContentStatus.RETURNED)
    ]


async def last_return_comment(ctx: Ctx, session_id: int) -> str | None:
    """What the reviewers asked to change the last time the content was returned."""
    result = await ctx.session.exec(
        select(ContentReview.comment)
        .where(
            ContentReview.session_id == session_id,
            ContentReview.action == ReviewAction.RETURNED.value,
        )
        .order_by(col(ContentReview.at).desc(), col(ContentReview.id).desc())
        .limit(1)
    )
    return result.first()
