"""Documents units send for a plan, a session or a requirement, and what is still awaited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound
from services.notifications import Outcome
from services.plans import (
    HOST_ROLES,
    get_plan,
    is_under,
    require_open_for,
    require_unit_officer,
    unit_ids_with_role,
)
from services.requirements.queries import get_requirement
from services.requirements.quotas import fulfilment_notices
from services.requirements.rules import FileInfo, check_file
from services.units import get_unit
from storage.models import (
    Document,
    DocumentPurpose,
    ModelSession,
    Person,
    Plan,
    PlanStatus,
    Requirement,
    RequirementKind,
    RequirementTarget,
    Role,
    SessionStatus,
    TargetStatus,
    Unit,
)

# --------------------------------------------------------------------------- documents


async def add_document(
    ctx: Ctx,
    actor: Person,
    plan_id: int,
    unit_id: int,
    purpose: DocumentPurpose,
    file: FileInfo,
    *,
    session_id: int | None = None,
    requirement_id: int | None = None,
) -> Outcome[Document]:
    """Keep the metadata of a document a unit sends for a plan (and a session or requirement).

    A document for a `document` requirement marks the unit's target submitted."""
    plan = await get_plan(ctx, plan_id)
    unit = await get_unit(ctx, unit_id)
    await require_unit_officer(ctx, actor, unit_id)
    await require_open_for(ctx, actor, plan)
    clean = check_file(file)
    if not await is_under(ctx, unit_id, plan.issuer_unit_id):
        issuer = await get_unit(ctx, plan.issuer_unit_id)
        raise InvalidInput(
            N_(
                "“{unit}” is not under {issuer}, so this plan cannot ask anything of it. "
                "Please choose a unit under {issuer}."
            ),
            unit=unit.name,
            issuer=issuer.name,
        )
    if session_id is not None:
        session = await ctx.session.get(ModelSession, session_id)
        if session is None or session.plan_id != plan_id:
            raise NotFound(N_("That session no longer exists."))
        if session.host_unit_id != unit_id:
            raise InvalidInput(
                N_(
                    "Documents of a session belong to its host unit. "
                    "Please send them for the host unit, or without the session."
                )
            )
        if session.status == SessionStatus.CANCELLED:
            raise Conflict(N_("This session has been cancelled, so it can no longer be changed."))
    target: RequirementTarget | None = None
    requirement: Requirement | None = None
    if requirement_id is not None:
        requirement = await get_requirement(ctx, requirement_id)
        if requirement.plan_id != plan_id or requirement.kind != RequirementKind.DOCUMENT:
            raise InvalidInput(
                N_(
                    "That requirement does not ask for a document. "
                    "Please choose the requirement the document answers."
                )
            )
        found = await ctx.session.exec(
            select(RequirementTarget).where(
                RequirementTarget.requirement_id == requirement_id,
                RequirementTarget.unit_id == unit_id,
            )
        )
        target = found.first()
        if target is None:
            raise Conflict(
                N_("This requirement does not ask anything of “{unit}”."), unit=unit.name
            )
    now = ctx.clock.now()
    document = Document(
        plan_id=plan_id,
        session_id=session_id,
        unit_id=unit_id,
        requirement_id=requirement_id,
        purpose=purpose,
        telegram_file_id=clean.file_id,
        file_unique_id=clean.file_unique_id,
        file_name=clean.file_name,
        mime_type=clean.mime_type,
        size=clean.size,
        uploaded_by_id=actor.id,
        uploaded_at=now,
    )
    ctx.session.add(document)
    met: list[tuple[RequirementTarget, Requirement]] = []
    if target is not None and requirement is not None and target.status != TargetStatus.SUBMITTED:
        target.status = TargetStatus.SUBMITTED
        target.submitted_at = now
        ctx.session.add(target)
        met.append((target, requirement))
    await ctx.session.flush()
    notices = await fulfilment_notices(ctx, plan, met, actor)
    if requirement_id is not None:
        ctx.notify(
            notices,
            kind="document_received",
            subject_type="requirement",
            subject_id=requirement_id,
        )
    return Outcome(document, notices)


async def session_documents(ctx: Ctx, session_id: int) -> list[Document]:
    result = await ctx.session.exec(
        select(Document)
        .where(Document.session_id == session_id)
        .order_by(col(Document.uploaded_at), col(Document.id))
    )
    return list(result.all())


async def requirement_documents(ctx: Ctx, requirement_id: int) -> list[Document]:
    result = await ctx.session.exec(
        select(Document)
        .where(Document.requirement_id == requirement_id)
        .order_by(col(Document.uploaded_at), col(Document.id))
    )
    return list(result.all())


@dataclass(frozen=True, slots=True)
class PendingDocument:
    """A document a unit still owes a plan (a `document` requirement not yet answered)."""

    requirement: Requirement
    plan: Plan
    unit: Unit


async def pending_documents_for(ctx: Ctx, person: Person | None) -> list[PendingDocument]:
    """Document requirements of issued plans still waiting for a unit the person answers for
    (as its secretary, deputy secretary or organiser); soonest deadline first."""
    mine = await unit_ids_with_role(ctx, person, (*HOST_ROLES, Role.ORGANISER))
    if not mine:
        return []
    result = await ctx.session.exec(
        select(Requirement, Plan, Unit)
        .join(RequirementTarget, col(RequirementTarget.requirement_id) == Requirement.id)
        .join(Plan, col(Plan.id) == Requirement.plan_id)
        .join(Unit, col(Unit.id) == RequirementTarget.unit_id)
        .where(
            Requirement.kind == RequirementKind.DOCUMENT.value,
            RequirementTarget.status == TargetStatus.PENDING.value,
            Plan.status == PlanStatus.ISSUED.value,
            col(RequirementTarget.unit_id).in_(mine),
        )
        .order_by(col(Requirement.due_at), col(Requirement.id), col(Unit.name), col(Unit.id))
    )
    return [PendingDocument(r, p, u) for r, p, u in result.all()]
