"""Sessions as people look for them: a plan's schedule, what is coming up for a person, where a
person can report."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from services.context import Ctx
from services.plans import (
    HOST_ROLES,
    OVERSIGHT_ROLES,
    ancestor_set,
    member_unit_ids,
    subtree_ids,
    unit_ids_with_role,
)
from services.read.sessions import (
    sort_key,
)
from services.roles import PARTY_COMMITTEE_KINDS
from services.sessions.checks import MAX_DURATION
from storage.models import (
    ModelSession,
    Person,
    Plan,
    PlanStatus,
    Role,
    SessionChange,
    SessionStatus,
    Unit,
)

# --------------------------------------------------------------------------- queries


async def session_history(ctx: Ctx, session_id: int) -> list[SessionChange]:
    result = await ctx.session.exec(
        select(SessionChange)
        .where(SessionChange.session_id == session_id)
        .order_by(col(SessionChange.at), col(SessionChange.id))
    )
    return list(result.all())


async def plan_sessions(ctx: Ctx, plan_id: int) -> list[ModelSession]:
    """All sessions of a plan (cancelled included), by start time or planned month."""
    result = await ctx.session.exec(select(ModelSession).where(ModelSession.plan_id == plan_id))
    return sorted(result.all(), key=sort_key)


async def upcoming_for(ctx: Ctx, person: Person, limit: int = 10) -> list[ModelSession]:
    """Sessions that concern the person, soonest first: those hosted by their units (or below
    a unit they run) and those of plans issued by a unit they organise or lead. Not cancelled
    or held; scheduled ones not yet over, and tentative ones (ordered by their month)."""
    mine = await member_unit_ids(ctx, person)
    if not mine or limit <= 0:
        return []
    managed = await unit_ids_with_role(ctx, person, (*OVERSIGHT_ROLES, *HOST_ROLES))
    hosts = mine | await subtree_ids(ctx, managed)
    run = await subtree_ids(ctx, await unit_ids_with_role(ctx, person, OVERSIGHT_ROLES))
    concerns = col(ModelSession.host_unit_id).in_(hosts)
    if run:
        concerns = concerns | col(ModelSession.plan_id).in_(
            select(Plan.id).where(col(Plan.issuer_unit_id).in_(run))
        )
    now = ctx.clock.now()
    scheduled = await ctx.session.exec(
        select(ModelSession)
        .where(
            concerns,
            ModelSession.status == SessionStatus.SCHEDULED.value,
            col(ModelSession.starts_at) > now - timedelta(minutes=MAX_DURATION),
        )
        .order_by(col(ModelSession.starts_at), col(ModelSession.id))
        .limit(limit + 50)
    )
    running = [
        s
        for s in scheduled.all()
        if s.starts_at is not None and s.starts_at + timedelta(minutes=s.duration_minutes) > now
    ][:limit]
    tentative = await ctx.session.exec(
        select(ModelSession)
        .where(concerns, ModelSession.status == SessionStatus.TENTATIVE.value)
        .order_by(
            col(ModelSession.tentative_year),
            col(ModelSession.tentative_month),
            col(ModelSession.id),
        )
        .limit(limit)
    )
    return sorted([*running, *tentative.all()], key=sort_key)[:limit]


async def hosts_person_can_report_for(ctx: Ctx, person: Person) -> list[Unit]:
    """Units where the person is secretary or deputy, the chi bộ under a đảng ủy cơ sở they
    run (`roles.runs_unit`), and every unit they organise or that lies under one (a committee
    hosts workshops); by name."""
    own = await unit_ids_with_role(ctx, person, HOST_ROLES)
    organised = await subtree_ids(ctx, await unit_ids_with_role(ctx, person, (Role.ORGANISER,)))
    if not (own or organised):
        return []
    committees = (
        await ctx.session.exec(
            select(Unit.id).where(col(Unit.id).in_(own), col(Unit.kind).in_(PARTY_COMMITTEE_KINDS))
        )
    ).all()
    below = await _run_below(ctx, set(committees))
    result = await ctx.session.exec(
        select(Unit)
        .where(col(Unit.id).in_(own | below | organised))
        .order_by(col(Unit.name), col(Unit.id))
    )
    return list(result.all())


async def _run_below(ctx: Ctx, committees: set[int]) -> set[int]:
    """The units under these đảng ủy cơ sở reached through đảng ủy cơ sở / bộ phận only."""
    found: set[int] = set()
    frontier = committees
    while frontier:
        children = (
            await ctx.session.exec(
                select(Unit.id, Unit.kind).where(col(Unit.parent_id).in_(frontier))
            )
        ).all()
        new = {uid for uid, _ in children} - found
        found |= new
        frontier = {uid for uid, kind in children if uid in new and kind in PARTY_COMMITTEE_KINDS}
    return found


async def plans_person_can_report_in(ctx: Ctx, person: Person) -> list[Plan]:
    """Issued plans whose issuing unit is one of the person's report hosts or above one, and
    drafts the person organises (to build their schedule); newest first."""
    hosts = [u.id for u in await hosts_person_can_report_for(ctx, person) if u.id is not None]
    issuers = await ancestor_set(ctx, hosts)
    organised = await subtree_ids(ctx, await unit_ids_with_role(ctx, person, (Role.ORGANISER,)))
    if not (issuers or organised):
        return []
    result = await ctx.session.exec(
        select(Plan)
        .where(
            (col(Plan.issuer_unit_id).in_(issuers) & (Plan.status == PlanStatus.ISSUED.value))
            | (col(Plan.issuer_unit_id).in_(organised) & (Plan.status != PlanStatus.CLOSED.value))
        )
        .order_by(col(Plan.created_at).desc(), col(Plan.id).desc())
    )
    return list(result.all())
