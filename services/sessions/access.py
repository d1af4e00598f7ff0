"""Who may report, see and change a session."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound
from services.plans import (
    can_view_plan,
    get_plan,
    is_under,
    is_unit_officer,
    require_not_closed,
    require_open_for,
    require_unit_officer,
    subtree_ids,
)
from services.read.sessions import (
    get_session,
    require_changeable,
)
from services.requirements import check_quota
from services.sessions.checks import OPEN_STATUSES, kinds_for_host
from services.sessions.queries import hosts_person_can_report_for, session_history
from services.units import get_unit
from storage.models import (
    ModelSession,
    Person,
    Plan,
    PlanStatus,
    SessionChange,
    SessionKind,
    SessionStatus,
    Unit,
)

# --------------------------------------------------------------------------- shared checks


async def load_for_change(ctx: Ctx, actor: Person, session_id: int) -> tuple[ModelSession, Plan]:
    """The session and its plan, once the actor may change it and it can still change."""
    session = await get_session(ctx, session_id)
    await require_unit_officer(ctx, actor, session.host_unit_id)
    require_changeable(session)
    plan = await get_plan(ctx, session.plan_id)
    require_not_closed(plan)
    return session, plan


async def check_report(
    ctx: Ctx,
    actor: Person,
    plan_id: int,
    host_unit_id: int,
    kind: SessionKind,
    *,
    quota: bool = True,
) -> tuple[Plan, Unit]:
    """Whether `actor` may report a session of `kind` hosted by the unit in the plan, before
    the time and details are known: rights, plan open, host fits the kind and the plan, and
    (with `quota`) the plan's session quotas. Raises the error `create_session` would."""
    plan = await get_plan(ctx, plan_id)
    host = await get_unit(ctx, host_unit_id)
    await require_unit_officer(ctx, actor, host_unit_id)
    await require_open_for(ctx, actor, plan)
    if kind not in kinds_for_host(host):
        raise InvalidInput(
            N_(
                "Regular and thematic model sessions are held by a party cell (chi bộ). "
                "Please choose a chi bộ as the host."
            )
        )
    if not await is_under(ctx, host_unit_id, plan.issuer_unit_id):
        issuer = await get_unit(ctx, plan.issuer_unit_id)
        raise InvalidInput(
            N_(
                "“{unit}” is not under {issuer}, so it cannot host a session of this plan. "
                "Please choose a unit under {issuer}."
            ),
            unit=host.name,
            issuer=issuer.name,
        )
    if quota:
        await check_quota(ctx, plan, host_unit_id, kind)
    return plan, host


async def can_change_session(ctx: Ctx, person: Person | None, session: ModelSession) -> bool:
    """Whether the person may reschedule, firm up or cancel the session now."""
    if session.status not in OPEN_STATUSES:
        return False
    if not await is_unit_officer(ctx, person, session.host_unit_id):
        return False
    plan = await get_plan(ctx, session.plan_id)
    return plan.status != PlanStatus.CLOSED


async def require_can_change(
    ctx: Ctx, actor: Person | None, session_id: int, *, firm_up: bool = False
) -> ModelSession:
    """The session, once the actor may change it now (raises the reason otherwise). With
    `firm_up`, it must also still be tentative."""
    session, _plan = await load_for_change(ctx, actor, session_id)  # type: ignore[arg-type]
    if firm_up and session.status != SessionStatus.TENTATIVE:
        raise Conflict(
            N_("This session already has a day and time. To move it, reschedule it instead.")
        )
    return session


async def get_visible_session(ctx: Ctx, person: Person | None, session_id: int) -> ModelSession:
    """The session, or NotFound when it does not exist or the person may not see its plan
    (and is no officer of its host)."""
    session = await get_session(ctx, session_id)
    plan = await get_plan(ctx, session.plan_id)
    if await can_view_plan(ctx, person, plan) or await is_unit_officer(
        ctx, person, session.host_unit_id
    ):
        return session
    raise NotFound(N_("That session no longer exists."))


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    change: SessionChange
    by_name: str  # "" when unknown


async def history_for(ctx: Ctx, person: Person | None, session_id: int) -> list[HistoryEntry]:
    """The change history of a session the person may see, with who made each change."""
    await get_visible_session(ctx, person, session_id)
    changes = await session_history(ctx, session_id)
    ids = {c.by_id for c in changes if c.by_id is not None}
    names: dict[int, str] = {}
    if ids:
        result = await ctx.session.exec(select(Person).where(col(Person.id).in_(ids)))
        names = {p.id: p.full_name for p in result.all() if p.id is not None}
    return [HistoryEntry(c, names.get(c.by_id or 0, "")) for c in changes]


async def hosts_for_plan(ctx: Ctx, person: Person, plan_id: int) -> list[Unit]:
    """The units the person can report for that lie under the plan's issuing unit."""
    plan = await get_plan(ctx, plan_id)
    inside = await subtree_ids(ctx, [plan.issuer_unit_id])
    return [u for u in await hosts_person_can_report_for(ctx, person) if u.id in inside]
