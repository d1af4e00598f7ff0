"""Turn a reviewed draft into a plan, as if the organiser had typed it: the plan (draft), its
sessions (tentative when only a month is known), participant categories and requirements.

Everything runs in the caller's unit of work: the plan is created completely or not at all.
Parts that cannot be created (a session already in the past, a deadline already passed, a
deadline whose target units do not exist yet) are skipped and reported, never guessed around.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from core.i18n import N_, Msgid
from services import units
from services.context import Ctx
from services.errors import InvalidInput, ServiceError
from services.notifications import Advice
from services.plan_import.hosts import HostMatch, UnitTree, match_host, normalise_name
from services.plan_import.model import PlanDraft, SessionDraft
from services.plans import create_plan
from services.requirements import TargetScope, create_requirement, due_at_for
from services.sessions import create_session
from services.vn_datetime import ExactTime, MonthOnly
from storage.models import (
    DocumentPurpose,
    ModelSession,
    ParticipantCategory,
    Person,
    Plan,
    Requirement,
    RequirementKind,
    SessionKind,
    Unit,
    UnitKind,
)

_ANY_KIND = tuple(UnitKind)


@dataclass(slots=True)
class ImportResult:
    plan: Plan
    sessions: list[ModelSession] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
    categories: int = 0
    units_created: list[Unit] = field(default_factory=list)
    # What was left out: a line saying which part, and the reason when a rule refused it.
    skipped: list[tuple[Advice, Advice | None]] = field(default_factory=list)


def _norm(name: str) -> str:
    return normalise_name(name)


async def load_tree(ctx: Ctx, issuer_unit_id: int) -> UnitTree:
    """The issuing unit and everything under it, for matching hosts by name and parent."""
    issuer = await units.get_unit(ctx, issuer_unit_id)
    return UnitTree(issuer, await units.subtree(ctx, issuer_unit_id))


async def draft_hosts(
    ctx: Ctx, draft: PlanDraft, issuer_unit_id: int, host_ids: Sequence[int | None] = ()
) -> list[HostMatch]:
    """For the draft card: each session's host, existing or to be created (nothing is)."""
    tree = await load_tree(ctx, issuer_unit_id)
    return [
        match_host(tree, session, _chosen(host_ids, n)) for n, session in enumerate(draft.sessions)
    ]


def past_parts(draft: PlanDraft, now: datetime) -> tuple[set[int], set[int]]:
    """Indices of the sessions and deadlines already in the past at `now`: a session whose
    time (or whole month) has gone, a deadline whose day has ended."""
    sessions = set()
    for n, session in enumerate(draft.sessions):
        if session.starts_at is not None and session.starts_at <= now:
            sessions.add(n)
        elif session.starts_at is None and session.month:
            year, month = (int(x) for x in session.month.split("-"))
            following = date(year + month // 12, month % 12 + 1, 1)
            if due_at_for(following) - timedelta(days=1) <= now:
                sessions.add(n)
    deadlines = {n for n, item in enumerate(draft.deadlines) if due_at_for(item.due) <= now}
    return sessions, deadlines


def _chosen(host_ids: Sequence[int | None], n: int) -> int | None:
    return host_ids[n] if n < len(host_ids) else None


async def _host_for(
    ctx: Ctx,
    actor: Person,
    draft: SessionDraft,
    tree: UnitTree,
    chosen: int | None,
    result: ImportResult,
) -> Unit:
    match = match_host(tree, draft, chosen)
    if match.unit is not None:
        return match.unit
    if not match.new:
        raise InvalidInput(
            N_("The plan does not say which chi bộ hosts it; add it later with /dangky.")
        )
    unit: Unit | None = None
    for new in match.new:
        parent = unit or tree.find(new.parent_name, tree.issuer, _ANY_KIND) or tree.issuer
        if _norm(new.parent_name) == _norm(tree.issuer.name):
            parent = tree.issuer
        existing = tree.find(new.name, parent, _ANY_KIND)
        if existing is not None:  # made a moment ago for another session
            unit = existing
            continue
        unit = await units.create_unit(ctx, actor, parent.id, new.name, new.kind)  # type: ignore[arg-type]
        tree.add(unit)
        result.units_created.append(unit)
    assert unit is not None
    return unit


def _when(draft: SessionDraft) -> ExactTime | MonthOnly | None:
    if draft.starts_at is not None:
        return ExactTime(draft.starts_at.astimezone(UTC))
    if draft.month:
        year, month = (int(x) for x in draft.month.split("-"))
        return MonthOnly(year, month)
    return None


_QUOTA_WORDS = (
    (SessionKind.THUONG_KY, "thường kỳ"),
    (SessionKind.CHUYEN_DE, "chuyên đề"),
    (SessionKind.HOI_THAO, "hội thảo"),
)
_NUMBER_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5}


def _count_before(text: str, words: str) -> int:
    """ "2 chi bộ sinh hoạt thường kỳ" → 2, "một chi bộ tổ chức sinh hoạt chuyên đề" → 1;
    a kind named without a number counts once."""
    match = re.search(
        r"(\d{1,2}|một|hai|ba|bốn|năm)\s+(?:chi bộ|buổi)\s+(?:tổ chức\s+)?(?:sinh hoạt\s+)?"
        r"(?:chi bộ\s+)?" + words,
        text,
    )
    if match is None:
        return 1
    raw = match.group(1)
    return int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]


def _requirement_shape(
    what: str,
) -> tuple[RequirementKind, dict[SessionKind, int], UnitKind | None]:
    """Read the kind of requirement and its target units off the plan's own words."""
    text = _norm(what)
    if "tham luận" in text or "bài viết" in text:
        kind, quota = RequirementKind.DOCUMENT, {}
    elif any(w in text for w in ("danh sách", "lịch", "chọn", "đăng ký", "sinh hoạt")):
        quota = {}
        for session_kind, words in _QUOTA_WORDS:
            if words in text:
                quota[session_kind] = _count_before(text, words)
        if not quota:
            quota = {SessionKind.THUONG_KY: 1, SessionKind.CHUYEN_DE: 1}
        kind = RequirementKind.REPORT_SESSIONS
    else:
        kind, quota = RequirementKind.DOCUMENT, {}
    if "đảng ủy cơ sở" in text or "đảng bộ cơ sở" in text:
        target: UnitKind | None = UnitKind.GRASSROOTS
    elif "chi bộ" in text:
        target = UnitKind.CELL
    else:
        target = None
    return kind, quota, target


def _skip(
    result: ImportResult, msgid: Msgid, exc: ServiceError | None = None, **params: object
) -> None:
    reason = Advice(exc.msgid, dict(exc.params)) if exc is not None else None
    result.skipped.append((Advice(msgid, dict(params)), reason))


async def apply_draft(
    ctx: Ctx,
    actor: Person,
    draft: PlanDraft,
    issuer_unit_id: int,
    host_ids: Sequence[int | None] = (),
) -> ImportResult:
    """Create the plan and what it holds. Raises ServiceError when the plan itself cannot be made
    (missing number or title, no right to issue plans for that unit, a duplicate number).

    `host_ids[n]` is the existing unit the organiser picked to host session n (None: match the
    drafted name against the tree, creating the unit only when there is none)."""
    issuer = await units.get_unit(ctx, issuer_unit_id)
    tree = await load_tree(ctx, issuer_unit_id)
    if not draft.number:
        raise InvalidInput(N_("The document has no plan number. Please add it with ✏️ Number."))
    if not draft.title:
        raise InvalidInput(N_("The document has no plan title. Please add it with ✏️ Title."))
    issued_on = (
        draft.issued_on if draft.issued_on and draft.issued_on <= ctx.clock.now().date() else None
    )
    plan = await create_plan(
        ctx,
        actor,
        issuer_unit_id,
        number=draft.number,
        title=draft.title,
        issued_on=issued_on,
        place=draft.place or "",
        legal_bases=draft.legal_bases,
    )
    result = ImportResult(plan)
    now = ctx.clock.now()
    for position, label in enumerate(draft.participants):
        ctx.session.add(
            ParticipantCategory(
                plan_id=plan.id, label=label[:2000], position=position, created_at=now
            )  # type: ignore[arg-type]
        )
        result.categories += 1
    for number, session_draft in enumerate(draft.sessions, 1):
        when = _when(session_draft)
        if when is None:
            _skip(
                result,
                N_("Session {n}: the plan gives no date; add it later with /dangky."),
                n=number,
            )
            continue
        try:
            chosen = _chosen(host_ids, number - 1)
            host = await _host_for(ctx, actor, session_draft, tree, chosen, result)
            async with ctx.session.begin_nested():
                outcome = await create_session(
                    ctx,
                    actor,
                    plan.id,  # type: ignore[arg-type]
                    host.id,  # type: ignore[arg-type]
                    SessionKind(session_draft.kind),
                    when,
                    topic=session_draft.topic,
                    venue=session_draft.venue or "",
                    address=session_draft.address or "",
                )
            result.sessions.append(outcome.value)
        except ServiceError as exc:
            _skip(result, N_("Session {n} was not created:"), exc, n=number)
    for number, deadline in enumerate(draft.deadlines, 1):
        if due_at_for(deadline.due) <= now:
            _skip(
                result,
                N_("Deadline {n} ({due}) has already passed: not added."),
                n=number,
                due=deadline.due,
            )
            continue
        kind, quota, target_kind = _requirement_shape(deadline.what)
        target_kind = target_kind or await _default_target_kind(ctx, issuer)
        if target_kind is None:
            _skip(
                result,
                N_("Deadline {n}: there are no units under {issuer} yet to assign it to."),
                n=number,
                issuer=issuer.name,
            )
            continue
        try:
            async with ctx.session.begin_nested():
                outcome = await create_requirement(
                    ctx,
                    actor,
                    plan.id,  # type: ignore[arg-type]
                    kind,
                    deadline.due,
                    description=deadline.what or draft.title,
                    scope=TargetScope(issuer.id, target_kind),  # type: ignore[arg-type]
                    quota=quota or None,
                    document_purpose=DocumentPurpose.THAM_LUAN
                    if "tham luận" in _norm(deadline.what)
                    else (DocumentPurpose.OTHER if kind == RequirementKind.DOCUMENT else None),
                )
            result.requirements.append(outcome.value)
        except ServiceError as exc:
            _skip(result, N_("Deadline {n} was not added:"), exc, n=number)
    await ctx.session.flush()
    return result


async def _default_target_kind(ctx: Ctx, issuer: Unit) -> UnitKind | None:
    below = await units.subtree(ctx, issuer.id)  # type: ignore[arg-type]
    kinds = {UnitKind(u.kind) for u in below if u.id != issuer.id}
    for kind in (UnitKind.GRASSROOTS, UnitKind.CELL):
        if kind in kinds:
            return kind
    return None
