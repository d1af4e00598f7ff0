"""What a plan asks of units by a deadline, what they have delivered, and the progress table.

Two kinds of requirement:

* `report_sessions`: each target unit reports model sessions, with a quota per kind (for
  example one thường kỳ and one chuyên đề). A session of the plan hosted by the target unit
  or by a unit under it counts; cancelled sessions do not. Only the kinds with a quota are
  limited: reporting one more of a kind whose quota is met is refused (`check_quota`).
* `document`: each target unit sends a document (for example its tham luận).

A target's stored status is `pending` or `submitted`; `late` is never stored but computed
against the clock: a pending target whose deadline (the end of the due day in Hà Nội) has
passed is late, and a submitted one carries a late flag when it came in after the deadline.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import PurePosixPath

from sqlalchemy import case, func
from sqlmodel import col, select

from core.i18n import N_
from services import roles
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.notifications import Notice, Outcome, notices_for
from services.plans import (
    HOST_ROLES,
    OVERSIGHT_ROLES,
    SESSION_KIND_LABELS,
    get_plan,
    is_under,
    issuer_organiser_ids,
    parse_day,
    people_in,
    require_open_for,
    require_plan_manager,
    require_unit_officer,
    subtree_ids,
    unit_ids_with_role,
    visible_plans,
)
from services.units import TreeRow, get_unit, subtree_rows
from services.validation import clean_text
from services.vn_datetime import VN_TZ
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
    SessionKind,
    SessionStatus,
    TargetStatus,
    Unit,
    UnitKind,
)

MAX_QUOTA = 20
MAX_DESCRIPTION = 1000
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILE_NAME = 255
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_EXTENSIONS: dict[str, frozenset[str]] = {
    ".docx": frozenset({DOCX_MIME}),
    ".doc": frozenset({"application/msword"}),
    ".pdf": frozenset({"application/pdf"}),
    ".txt": frozenset({"text/plain"}),
}
# Clients sometimes send no type or a generic one; those are judged by the extension alone.
GENERIC_MIMES = frozenset({"", "application/octet-stream", "application/zip"})

_BAD_FILE_TYPE = N_(
    "Only Word (.docx, .doc), PDF (.pdf) or text (.txt) files can be sent. "
    "Please save the document in one of these formats and send it again."
)


@dataclass(frozen=True, slots=True)
class TargetScope:
    """ "All units of `kind` under `unit_id`" (resolved into target rows at creation)."""

    unit_id: int
    kind: UnitKind


@dataclass(frozen=True, slots=True)
class FileInfo:
    """What Telegram tells about an uploaded file. The bytes stay on Telegram's servers."""

    file_id: str
    file_unique_id: str
    file_name: str
    mime_type: str
    size: int


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """One line of the organisers' progress table (/tiendo)."""

    unit_id: int
    unit_name: str
    requirement_id: int
    requirement_kind: RequirementKind
    description: str
    due_on: date
    due_at: datetime
    status: TargetStatus
    submitted_at: datetime | None
    submitted_late: bool
    # report_sessions: sessions still to report, per kind (empty when the quota is met).
    missing: dict[SessionKind, int] = field(default_factory=dict)
    # document: nothing received yet.
    missing_document: bool = False


# --------------------------------------------------------------------------- pure helpers


def due_at_for(due_on: date) -> datetime:
    """The deadline instant: the end of `due_on` in Hà Nội (the next local midnight), UTC."""
    return datetime.combine(due_on + timedelta(days=1), time(0), tzinfo=VN_TZ).astimezone(UTC)


# Words that may come before a typed deadline: "trước ngày 20/2", "hạn chót: 20/2/2025".
_DEADLINE_WORDS = re.compile(
    r"^(?:(?:han(?:\s+chot)?(?:\s+nop)?|cham\s+nhat|muon\s+nhat|truoc|den|by|before|due)"
    r"(?![a-z0-9])[\s:,.-]*)+"
)


def _fold(text: str) -> str:
    """Lower case without diacritics, one character for one (so positions match)."""
    return "".join(
        "d" if ch in "đĐ" else (unicodedata.normalize("NFD", ch)[:1] or ch).lower() for ch in text
    )


def strip_deadline_words(text: str) -> str:
    """ "trước ngày 20/2" → "ngày 20/2": the deadline is the day given."""
    stripped = text.strip()
    found = _DEADLINE_WORDS.match(_fold(stripped))
    return stripped[found.end() :] if found else stripped


def parse_due_day(ctx: Ctx, value: date | str) -> date:
    """The due day of a requirement (typed text or a date): today or later."""
    day = parse_day(ctx, strip_deadline_words(value) if isinstance(value, str) else value)
    if due_at_for(day) <= ctx.clock.now():
        raise InvalidInput(
            N_(
                "That deadline has already passed. Please give a later day, for example: {example}."
            ),
            example="30/6",
        )
    return day


def quota_of(requirement: Requirement) -> dict[SessionKind, int]:
    return {
        SessionKind.THUONG_KY: requirement.quota_thuong_ky,
        SessionKind.CHUYEN_DE: requirement.quota_chuyen_de,
        SessionKind.HOI_THAO: requirement.quota_hoi_thao,
    }


def target_status(
    target: RequirementTarget, requirement: Requirement, now: datetime
) -> TargetStatus:
    if target.status == TargetStatus.SUBMITTED:
        return TargetStatus.SUBMITTED
    return TargetStatus.LATE if now >= requirement.due_at else TargetStatus.PENDING


def submitted_late(target: RequirementTarget, requirement: Requirement) -> bool:
    return target.submitted_at is not None and target.submitted_at >= requirement.due_at


def missing_sessions(
    quota: Mapping[SessionKind, int], done: Mapping[SessionKind, int]
) -> dict[SessionKind, int]:
    return {
        kind: wanted - done.get(kind, 0)
        for kind, wanted in quota.items()
        if wanted > 0 and done.get(kind, 0) < wanted
    }


def check_file(file: FileInfo) -> FileInfo:
    """Type and size rules for uploaded documents; returns the cleaned file info."""
    name = clean_text(file.file_name)
    extension = PurePosixPath(name).suffix.lower()
    mime = (file.mime_type or "").strip().lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise InvalidInput(_BAD_FILE_TYPE)
    if mime not in GENERIC_MIMES and not any(mime in m for m in ALLOWED_EXTENSIONS.values()):
        raise InvalidInput(_BAD_FILE_TYPE)
    if file.size <= 0:
        raise InvalidInput(N_("That file is empty. Please send the document again."))
    if file.size > MAX_FILE_BYTES:
        raise InvalidInput(
            N_(
                "That file is too large ({size_mb} MB). Files can be at most {limit_mb} MB; "
                "please send a smaller version (for example without pictures, or as PDF)."
            ),
            size_mb=round(file.size / (1024 * 1024), 1),
            limit_mb=MAX_FILE_BYTES // (1024 * 1024),
        )
    if len(name) > MAX_FILE_NAME:
        stem = name[: MAX_FILE_NAME - len(extension)]
        name = stem + extension
    if not file.file_id or not file.file_unique_id:
        raise InvalidInput(N_("That file could not be read. Please send the document again."))
    return FileInfo(file.file_id, file.file_unique_id, name, mime, file.size)


# --------------------------------------------------------------------------- queries


async def get_requirement(ctx: Ctx, requirement_id: int) -> Requirement:
    requirement = await ctx.session.get(Requirement, requirement_id)
    if requirement is None:
        raise NotFound(N_("That requirement no longer exists."))
    return requirement


async def plan_requirements(ctx: Ctx, plan_id: int) -> list[Requirement]:
    result = await ctx.session.exec(
        select(Requirement)
        .where(Requirement.plan_id == plan_id)
        .order_by(col(Requirement.due_at), col(Requirement.id))
    )
    return list(result.all())


async def requirement_targets(ctx: Ctx, requirement_id: int) -> list[RequirementTarget]:
    result = await ctx.session.exec(
        select(RequirementTarget)
        .join(Unit, col(Unit.id) == RequirementTarget.unit_id)
        .where(RequirementTarget.requirement_id == requirement_id)
        .order_by(col(Unit.name), col(Unit.id))
    )
    return list(result.all())


async def session_counts(
    ctx: Ctx, plan_id: int, roots: Iterable[int]
) -> dict[int, dict[SessionKind, int]]:
    """Per root unit: the plan's non-cancelled sessions hosted by it or below it, per kind.

    One recursive SQL query over the unit tree, grouped in the database."""
    wanted = set(roots)
    counts: dict[int, dict[SessionKind, int]] = {root: {} for root in wanted}
    if not wanted:
        return counts
    sub = (
        select(col(Unit.id).label("root"), col(Unit.id).label("unit_id"))
        .where(col(Unit.id).in_(wanted))
        .cte("sub", recursive=True)
    )
    sub = sub.union_all(
        select(sub.c.root, col(Unit.id)).where(col(Unit.parent_id) == sub.c.unit_id)
    )
    query = (
        select(sub.c.root, ModelSession.kind, func.count(col(ModelSession.id)))
        .join(ModelSession, col(ModelSession.host_unit_id) == sub.c.unit_id)
        .where(
            ModelSession.plan_id == plan_id,
            ModelSession.status != SessionStatus.CANCELLED.value,
        )
        .group_by(sub.c.root, ModelSession.kind)
    )
    for root, kind, n in (await ctx.session.exec(query)).all():
        counts[root][SessionKind(kind)] = int(n)
    return counts


async def _report_targets_over(
    ctx: Ctx, plan_id: int, host_unit_id: int
) -> list[tuple[RequirementTarget, Requirement]]:
    """The plan's report_sessions targets on the host unit or on a unit above it."""
    chain = await roles.ancestor_ids(ctx, host_unit_id)
    result = await ctx.session.exec(
        select(RequirementTarget, Requirement)
        .join(Requirement, col(Requirement.id) == RequirementTarget.requirement_id)
        .where(
            Requirement.plan_id == plan_id,
            Requirement.kind == RequirementKind.REPORT_SESSIONS.value,
            col(RequirementTarget.unit_id).in_(chain),
        )
        .order_by(col(Requirement.due_at), col(Requirement.id))
    )
    return list(result.all())


# --------------------------------------------------------------------------- quota


def _quota_conflict(
    unit: str, plan: Plan, kind: SessionKind, quota: int, missing: dict[SessionKind, int]
) -> Conflict:
    params: dict[str, object] = {
        "unit": unit,
        "plan": plan.number,
        "quota": quota,
        "kind": SESSION_KIND_LABELS[kind],
    }
    items = list(missing.items())
    if not items:
        return Conflict(
            N_(
                "“{unit}” has already reported the {quota} × {kind} that plan {plan} asks for, "
                "and nothing else is missing."
            ),
            **params,
        )
    params |= {"missing_count": items[0][1], "missing_kind": SESSION_KIND_LABELS[items[0][0]]}
    if len(items) == 1:
        return Conflict(
            N_(
                "“{unit}” has already reported the {quota} × {kind} that plan {plan} asks for. "
                "Still missing: {missing_count} × {missing_kind}."
            ),
            **params,
        )
    params |= {"missing_count2": items[1][1], "missing_kind2": SESSION_KIND_LABELS[items[1][0]]}
    return Conflict(
        N_(
            "“{unit}” has already reported the {quota} × {kind} that plan {plan} asks for. "
            "Still missing: {missing_count} × {missing_kind} and "
            "{missing_count2} × {missing_kind2}."
        ),
        **params,
    )


async def check_quota(ctx: Ctx, plan: Plan, host_unit_id: int, kind: SessionKind) -> None:
    """Refuse one more session of `kind` under a target whose quota for it is already met."""
    pairs = [
        (t, r)
        for t, r in await _report_targets_over(ctx, plan.id, host_unit_id)  # type: ignore[arg-type]
        if quota_of(r)[kind] > 0
    ]
    if not pairs:
        return
    counts = await session_counts(ctx, plan.id, {t.unit_id for t, _ in pairs})  # type: ignore[arg-type]
    for target, requirement in pairs:
        quota = quota_of(requirement)
        done = counts[target.unit_id]
        if done.get(kind, 0) >= quota[kind]:
            unit = await get_unit(ctx, target.unit_id)
            raise _quota_conflict(unit.name, plan, kind, quota[kind], missing_sessions(quota, done))


async def refresh_report_targets(
    ctx: Ctx, plan: Plan, host_unit_id: int | None = None, *, requirement_id: int | None = None
) -> list[tuple[RequirementTarget, Requirement]]:
    """Recompute report_sessions targets (those over a host, or of one requirement) after
    sessions changed. Returns the targets that have just become submitted."""
    if requirement_id is not None:
        requirement = await get_requirement(ctx, requirement_id)
        pairs = [(t, requirement) for t in await requirement_targets(ctx, requirement_id)]
    elif host_unit_id is not None:
        pairs = await _report_targets_over(ctx, plan.id, host_unit_id)  # type: ignore[arg-type]
    else:
        return []
    if not pairs:
        return []
    counts = await session_counts(ctx, plan.id, {t.unit_id for t, _ in pairs})  # type: ignore[arg-type]
    now = ctx.clock.now()
    newly: list[tuple[RequirementTarget, Requirement]] = []
    for target, requirement in pairs:
        met = not missing_sessions(quota_of(requirement), counts[target.unit_id])
        if met and target.status != TargetStatus.SUBMITTED:
            target.status = TargetStatus.SUBMITTED
            target.submitted_at = now
            newly.append((target, requirement))
        elif not met and target.status == TargetStatus.SUBMITTED:
            target.status = TargetStatus.PENDING
            target.submitted_at = None
        else:
            continue
        ctx.session.add(target)
    await ctx.session.flush()
    return newly


async def fulfilment_notices(
    ctx: Ctx, plan: Plan, met: Sequence[tuple[RequirementTarget, Requirement]], actor: Person
) -> list[Notice]:
    """Tell the plan's organisers that units have delivered."""
    if not met:
        return []
    organisers = await issuer_organiser_ids(ctx, plan)
    notices: list[Notice] = []
    for target, requirement in met:
        unit = await get_unit(ctx, target.unit_id)
        notices += notices_for(
            organisers,
            N_("“{unit}” has delivered what plan {plan} asks for: {requirement}."),
            {
                "unit": unit.name,
                "plan": plan.number,
                "plan_id": plan.id,
                "requirement": requirement.description,
                "requirement_id": requirement.id,
            },
            exclude=actor.id,
        )
    return notices


# --------------------------------------------------------------------------- requirements


def _check_quota_input(
    kind: RequirementKind, quota: Mapping[SessionKind, int] | None
) -> dict[SessionKind, int]:
    values = {k: 0 for k in SessionKind}
    if kind == RequirementKind.DOCUMENT:
        if quota and any(quota.values()):
            raise InvalidInput(
                N_("A document requirement has no session quota. Please leave it empty.")
            )
        return values
    for k, n in (quota or {}).items():
        values[SessionKind(k)] = n
    if any(n < 0 or n > MAX_QUOTA for n in values.values()):
        raise InvalidInput(
            N_(
                "Each unit can be asked for 0 to {limit} sessions of a kind. Please check the numbers."
            ),
            limit=MAX_QUOTA,
        )
    if not any(values.values()):
        raise InvalidInput(
            N_(
                "Please say how many sessions each unit must report, "
                "for example one regular and one thematic session."
            )
        )
    return values


async def _resolve_targets(
    ctx: Ctx, plan: Plan, unit_ids: Sequence[int], scope: TargetScope | None
) -> list[int]:
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    chosen: list[int] = []
    for uid in unit_ids:
        unit = await get_unit(ctx, uid)
        if not await is_under(ctx, uid, plan.issuer_unit_id, strictly=True):
            raise InvalidInput(
                N_(
                    "“{unit}” is not under {issuer}, so this plan cannot ask anything of it. "
                    "Please choose a unit under {issuer}."
                ),
                unit=unit.name,
                issuer=issuer.name,
            )
        if uid not in chosen:
            chosen.append(uid)
    if scope is not None:
        top = await get_unit(ctx, scope.unit_id)
        if not await is_under(ctx, scope.unit_id, plan.issuer_unit_id):
            raise InvalidInput(
                N_(
                    "“{unit}” is not under {issuer}, so this plan cannot ask anything of it. "
                    "Please choose a unit under {issuer}."
                ),
                unit=top.name,
                issuer=issuer.name,
            )
        below = await subtree_ids(ctx, [scope.unit_id])
        below.discard(scope.unit_id)
        result = await ctx.session.exec(
            select(Unit.id)
            .where(col(Unit.id).in_(below), Unit.kind == scope.kind.value)
            .order_by(col(Unit.name), col(Unit.id))
        )
        for uid in result.all():
            if uid not in chosen:
                chosen.append(uid)
    if not chosen:
        raise InvalidInput(N_("Please choose at least one unit this applies to."))
    return chosen


def check_description(description: str | None) -> str:
    """What a requirement asks, cleaned: required, at most MAX_DESCRIPTION characters."""
    text = clean_text(description)
    if not text:
        raise InvalidInput(
            N_("Please describe what the units must do, for example: Gửi bài tham luận.")
        )
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput(
            N_("The description is too long ({length} characters). Please keep it under {limit}."),
            length=len(text),
            limit=MAX_DESCRIPTION,
        )
    return text


async def check_new_requirement(ctx: Ctx, actor: Person | None, plan_id: int) -> Plan:
    """The plan, once the actor may add requirements to it (before asking the details)."""
    plan = await get_plan(ctx, plan_id)
    await require_plan_manager(ctx, actor, plan)
    await require_open_for(ctx, actor, plan)
    return plan


async def target_choices(ctx: Ctx, actor: Person | None, plan_id: int) -> list[TreeRow]:
    """The units a new requirement of the plan may target: every unit under the issuer, depth
    first (depth 0 for the issuer's children)."""
    plan = await check_new_requirement(ctx, actor, plan_id)
    rows = await subtree_rows(ctx, plan.issuer_unit_id)
    return [TreeRow(row.unit, row.depth - 1) for row in rows[1:]]


async def preview_targets(
    ctx: Ctx,
    actor: Person | None,
    plan_id: int,
    unit_ids: Sequence[int] = (),
    scope: TargetScope | None = None,
) -> list[Unit]:
    """The units a requirement with these targets would apply to (as `create_requirement`
    resolves them), to show before it is created."""
    plan = await check_new_requirement(ctx, actor, plan_id)
    return [await get_unit(ctx, uid) for uid in await _resolve_targets(ctx, plan, unit_ids, scope)]


async def create_requirement(
    ctx: Ctx,
    actor: Person,
    plan_id: int,
    kind: RequirementKind,
    due_on: date | str,
    *,
    description: str,
    target_unit_ids: Sequence[int] = (),
    scope: TargetScope | None = None,
    quota: Mapping[SessionKind, int] | None = None,
    document_purpose: DocumentPurpose | None = None,
) -> Outcome[Requirement]:
    """Add a requirement with its deadline and target units (explicit and/or a scope).

    `due_on` is a local day ("30/6" typed text is accepted); the deadline is the end of it.
    Targets already meeting a session quota are marked submitted at once."""
    plan = await check_new_requirement(ctx, actor, plan_id)
    text = check_description(description)
    quotas = _check_quota_input(kind, quota)
    day = parse_due_day(ctx, due_on)
    due_at = due_at_for(day)
    targets = await _resolve_targets(ctx, plan, target_unit_ids, scope)
    requirement = Requirement(
        plan_id=plan_id,
        kind=kind,
        description=text,
        due_on=day,
        due_at=due_at,
        quota_thuong_ky=quotas[SessionKind.THUONG_KY],
        quota_chuyen_de=quotas[SessionKind.CHUYEN_DE],
        quota_hoi_thao=quotas[SessionKind.HOI_THAO],
        document_purpose=(
            (document_purpose or DocumentPurpose.THAM_LUAN)
            if kind == RequirementKind.DOCUMENT
            else None
        ),
        scope_unit_id=scope.unit_id if scope else None,
        scope_kind=scope.kind if scope else None,
        created_by_id=actor.id,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(requirement)
    await ctx.session.flush()
    for uid in targets:
        ctx.session.add(RequirementTarget(requirement_id=requirement.id, unit_id=uid))  # type: ignore[arg-type]
    await ctx.session.flush()
    if kind == RequirementKind.REPORT_SESSIONS:
        await refresh_report_targets(ctx, plan, requirement_id=requirement.id)
    from services.reminders import plan_requirement  # the reminders read requirements

    await plan_requirement(ctx, plan, requirement)
    notices: list[Notice] = []
    if plan.status == PlanStatus.ISSUED:
        for uid in targets:
            unit = await get_unit(ctx, uid)
            notices += notices_for(
                await people_in(ctx, [uid], (*HOST_ROLES, Role.ORGANISER)),
                N_("Plan {plan} asks “{unit}”: {requirement}. Deadline: {due}."),
                {
                    "plan": plan.number,
                    "plan_id": plan.id,
                    "unit": unit.name,
                    "requirement": text,
                    "requirement_id": requirement.id,
                    "due": day,
                },
                exclude=actor.id,
            )
    return Outcome(requirement, notices)


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
    return Outcome(document, await fulfilment_notices(ctx, plan, met, actor))


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


# --------------------------------------------------------------------------- progress


async def _progress_scope(ctx: Ctx, actor: Person, plan: Plan) -> set[int] | None:
    """None: every row. Otherwise the units whose rows the actor may see."""
    if await roles.has_role_over(ctx, actor, plan.issuer_unit_id, OVERSIGHT_ROLES):
        return None
    run = await subtree_ids(ctx, await unit_ids_with_role(ctx, actor, OVERSIGHT_ROLES))
    allowed = run & await subtree_ids(ctx, [plan.issuer_unit_id])
    if not allowed:
        issuer = await get_unit(ctx, plan.issuer_unit_id)
        raise PermissionDenied(
            N_(
                "Only the organisers and leaders of “{unit}”, or of the units under it, "
                "can see the progress of this plan."
            ),
            unit=issuer.name,
        )
    return allowed


async def can_see_progress(ctx: Ctx, person: Person | None, plan: Plan) -> bool:
    if person is None:
        return False
    try:
        await _progress_scope(ctx, person, plan)
    except PermissionDenied:
        return False
    return True


async def progress_plans(ctx: Ctx, person: Person | None) -> list[Plan]:
    """The plans whose progress the person may see, newest first."""
    return [p for p in await visible_plans(ctx, person) if await can_see_progress(ctx, person, p)]


async def progress(ctx: Ctx, actor: Person, plan_id: int) -> list[ProgressRow]:
    """Per target unit and requirement: status against the clock, when it came in, what is
    missing. Organisers and leaders of the issuing unit see every row; those of units below
    see their own units' rows. Two SQL queries whatever the size of the plan."""
    plan = await get_plan(ctx, plan_id)
    allowed = await _progress_scope(ctx, actor, plan)
    now = ctx.clock.now()
    status = case(
        (RequirementTarget.status == TargetStatus.SUBMITTED.value, TargetStatus.SUBMITTED.value),
        (col(Requirement.due_at) <= now, TargetStatus.LATE.value),
        else_=TargetStatus.PENDING.value,
    ).label("status")
    query = (
        select(
            Unit.id,
            Unit.name,
            Requirement.id,
            Requirement.kind,
            Requirement.description,
            Requirement.due_on,
            Requirement.due_at,
            Requirement.quota_thuong_ky,
            Requirement.quota_chuyen_de,
            Requirement.quota_hoi_thao,
            RequirementTarget.submitted_at,
            status,
        )
        .join(Requirement, col(Requirement.id) == RequirementTarget.requirement_id)
        .join(Unit, col(Unit.id) == RequirementTarget.unit_id)
        .where(Requirement.plan_id == plan_id)
        .order_by(col(Requirement.due_at), col(Requirement.id), col(Unit.name), col(Unit.id))
    )
    if allowed is not None:
        query = query.where(col(RequirementTarget.unit_id).in_(allowed))
    rows = list((await ctx.session.exec(query)).all())
    report_units = {r[0] for r in rows if r[3] == RequirementKind.REPORT_SESSIONS.value}
    counts = await session_counts(ctx, plan_id, report_units)
    out: list[ProgressRow] = []
    for (
        unit_id,
        unit_name,
        req_id,
        kind,
        description,
        due_on,
        due_at,
        q_tk,
        q_cd,
        q_ht,
        submitted_at,
        row_status,
    ) in rows:
        req_kind = RequirementKind(kind)
        quota = {
            SessionKind.THUONG_KY: q_tk,
            SessionKind.CHUYEN_DE: q_cd,
            SessionKind.HOI_THAO: q_ht,
        }
        out.append(
            ProgressRow(
                unit_id=unit_id,
                unit_name=unit_name,
                requirement_id=req_id,
                requirement_kind=req_kind,
                description=description,
                due_on=due_on,
                due_at=due_at,
                status=TargetStatus(row_status),
                submitted_at=submitted_at,
                submitted_late=submitted_at is not None and submitted_at >= due_at,
                missing=(
                    missing_sessions(quota, counts[unit_id])
                    if req_kind == RequirementKind.REPORT_SESSIONS
                    else {}
                ),
                missing_document=(
                    req_kind == RequirementKind.DOCUMENT and row_status != TargetStatus.SUBMITTED
                ),
            )
        )
    return out
