"""Model sessions of a plan: report, edit, reschedule, firm up, cancel, mark held; and the
queries the handlers show (upcoming sessions, a plan's schedule, where a person can report).

Who may change a session: the secretary or deputy secretary of the host unit, or an
organiser of the host unit or of a unit above it. Every change is kept in `SessionChange`.

Times: `When` is what the user typed (read with `vn_datetime.parse_when` against the clock),
or an already parsed `ExactTime` / `MonthOnly`, or an aware `datetime`. An exact time makes
a scheduled session, a month alone a tentative one. Nothing may be planned in the past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound
from services.notifications import Advice, Outcome, notices_for
from services.plans import (
    EXAMPLE_MONTH,
    EXAMPLE_TIME,
    HOST_ROLES,
    OVERSIGHT_ROLES,
    SESSION_KIND_LABELS,
    ancestor_set,
    can_view_plan,
    get_plan,
    is_under,
    is_unit_officer,
    issuer_organiser_ids,
    local_today,
    member_unit_ids,
    month_start_utc,
    parse_when_text,
    people_in,
    require_not_closed,
    require_open_for,
    require_unit_officer,
    subtree_ids,
    unit_ids_with_role,
)
from services.requirements import check_quota, fulfilment_notices, refresh_report_targets
from services.units import get_unit
from services.validation import check_label, clean_text
from services.vn_datetime import VN_TZ, ExactTime, MonthOnly
from storage.models import (
    ModelSession,
    Person,
    Plan,
    PlanStatus,
    Role,
    SessionChange,
    SessionChangeKind,
    SessionKind,
    SessionStatus,
    Unit,
    UnitKind,
)

When = str | datetime | ExactTime | MonthOnly

DEFAULT_DURATION = 120
MIN_DURATION = 30
MAX_DURATION = 600
MAX_REASON = 500
OPEN_STATUSES = (SessionStatus.TENTATIVE.value, SessionStatus.SCHEDULED.value)


# --------------------------------------------------------------------------- reading input


def resolve_when(ctx: Ctx, when: When) -> ExactTime | MonthOnly:
    """An exact start or a month, refused when it lies in the past."""
    if isinstance(when, str):
        parsed = parse_when_text(ctx, when, allow_past=True)
    elif isinstance(when, datetime):
        if when.tzinfo is None:
            raise ValueError("naive datetime given for a session time")
        parsed = ExactTime(when)
    else:
        parsed = when
    now = ctx.clock.now()
    if isinstance(parsed, MonthOnly):
        if not 1 <= parsed.month <= 12:
            raise InvalidInput(
                N_("That month does not exist. Please type it like this: {example}."),
                example=EXAMPLE_MONTH,
            )
        today = local_today(ctx)
        if (parsed.year, parsed.month) < (today.year, today.month):
            raise InvalidInput(
                N_(
                    "That month has already passed. Please choose this month or a later one, "
                    "for example: {example}."
                ),
                example=EXAMPLE_MONTH,
            )
        return parsed
    if parsed.starts_at.tzinfo is None:
        raise ValueError("naive datetime given for a session time")
    parsed = ExactTime(parsed.starts_at.astimezone(UTC))
    if parsed.starts_at < now:
        raise InvalidInput(
            N_("That time has already passed. Please choose a later time, for example: {example}."),
            example=EXAMPLE_TIME,
        )
    return parsed


def _check_duration(minutes: int) -> int:
    if not MIN_DURATION <= minutes <= MAX_DURATION:
        raise InvalidInput(
            N_(
                "A session lasts {low} to {high} minutes. "
                "Please give the expected length in minutes, for example: 120."
            ),
            low=MIN_DURATION,
            high=MAX_DURATION,
        )
    return minutes


def _check_topic(kind: SessionKind, topic: str | None) -> str | None:
    text = clean_text(topic)
    if not text:
        if kind == SessionKind.CHUYEN_DE:
            raise InvalidInput(
                N_(
                    "A thematic session needs a topic. Please type it, for example: "
                    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."
                )
            )
        return None
    return check_label(text, max_length=300, what=N_("topic"))


def _check_place(value: str | None, max_length: int, what: str) -> str:
    text = clean_text(value)
    return check_label(text, max_length=max_length, what=what) if text else ""


def _check_location(location: tuple[float, float] | None) -> tuple[float | None, float | None]:
    if location is None:
        return None, None
    lat, lon = location
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(
            N_("That map location is not valid. Please share the location again from the map.")
        )
    return float(lat), float(lon)


def _check_reason(reason: str | None) -> str | None:
    text = clean_text(reason)
    if len(text) > MAX_REASON:
        raise InvalidInput(
            N_("The reason is too long ({length} characters). Please keep it under {limit}."),
            length=len(text),
            limit=MAX_REASON,
        )
    return text or None


def when_of(session: ModelSession) -> datetime | MonthOnly | None:
    """The start time, or the month of a tentative session (a notice parameter)."""
    if session.starts_at is not None:
        return session.starts_at
    if session.tentative_year and session.tentative_month:
        return MonthOnly(session.tentative_year, session.tentative_month)
    return None


def _when_value(value: datetime | MonthOnly | None) -> str | None:
    """How times are written into the change history."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, MonthOnly):
        return f"{value.year:04d}-{value.month:02d}"
    return None


def sort_key(session: ModelSession) -> tuple[datetime, int]:
    if session.starts_at is not None:
        return session.starts_at, session.id or 0
    if session.tentative_year and session.tentative_month:
        return month_start_utc(session.tentative_year, session.tentative_month), session.id or 0
    return datetime.max.replace(tzinfo=UTC), session.id or 0


# --------------------------------------------------------------------------- shared checks


async def get_session(ctx: Ctx, session_id: int) -> ModelSession:
    session = await ctx.session.get(ModelSession, session_id)
    if session is None:
        raise NotFound(N_("That session no longer exists."))
    return session


def require_changeable(session: ModelSession) -> None:
    if session.status == SessionStatus.HELD:
        raise Conflict(N_("This session has already been held, so it can no longer be changed."))
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(N_("This session has been cancelled, so it can no longer be changed."))


async def _load_for_change(ctx: Ctx, actor: Person, session_id: int) -> tuple[ModelSession, Plan]:
    """The session and its plan, once the actor may change it and it can still change."""
    session = await get_session(ctx, session_id)
    await require_unit_officer(ctx, actor, session.host_unit_id)
    require_changeable(session)
    plan = await get_plan(ctx, session.plan_id)
    require_not_closed(plan)
    return session, plan


async def session_params(ctx: Ctx, session: ModelSession, plan: Plan) -> dict[str, Any]:
    host = await get_unit(ctx, session.host_unit_id)
    return {
        "session_id": session.id,
        "plan": plan.number,
        "plan_id": plan.id,
        "kind": SESSION_KIND_LABELS[SessionKind(session.kind)],
        "host": host.name,
        "topic": session.topic or "",
        "when": when_of(session),
    }


async def session_audience(
    ctx: Ctx, session: ModelSession, plan: Plan, *, host_roles: tuple[Role, ...] | None = None
) -> list[int]:
    """People of the host unit (all, or those with `host_roles`), the plan's organisers, and
    (for the whole audience) everyone invited who has not declined."""
    audience = await people_in(ctx, [session.host_unit_id], host_roles)
    audience += await issuer_organiser_ids(ctx, plan)
    if host_roles is None and session.id is not None:
        from services.invitations import invitee_ids  # invitations read sessions

        audience += await invitee_ids(ctx, session.id)
    return audience


def _record(
    ctx: Ctx,
    session: ModelSession,
    actor: Person,
    kind: SessionChangeKind,
    *,
    field: str | None = None,
    old: str | None = None,
    new: str | None = None,
    reason: str | None = None,
) -> None:
    ctx.session.add(
        SessionChange(
            session_id=session.id,  # type: ignore[arg-type]
            at=ctx.clock.now(),
            by_id=actor.id,
            kind=kind,
            field=field,
            old_value=old,
            new_value=new,
            reason=reason,
        )
    )


async def _overlap_warnings(ctx: Ctx, session: ModelSession) -> list[Advice]:
    """Other sessions of the same host whose time overlaps this one's."""
    if session.starts_at is None:
        return []
    start = session.starts_at
    end = start + timedelta(minutes=session.duration_minutes)
    result = await ctx.session.exec(
        select(ModelSession)
        .where(
            ModelSession.host_unit_id == session.host_unit_id,
            ModelSession.id != session.id,
            col(ModelSession.status).in_([SessionStatus.SCHEDULED.value, SessionStatus.HELD.value]),
            col(ModelSession.starts_at) < end,
            col(ModelSession.starts_at) > start - timedelta(minutes=MAX_DURATION),
        )
        .order_by(col(ModelSession.starts_at), col(ModelSession.id))
    )
    warnings: list[Advice] = []
    host = await get_unit(ctx, session.host_unit_id)
    for other in result.all():
        assert other.starts_at is not None
        if other.starts_at + timedelta(minutes=other.duration_minutes) > start:
            warnings.append(
                Advice(
                    N_(
                        "“{host}” already has a session at an overlapping time: {kind}, "
                        "{when}. This session was saved; please check that both times are right."
                    ),
                    {
                        "host": host.name,
                        "kind": SESSION_KIND_LABELS[SessionKind(other.kind)],
                        "when": other.starts_at,
                        "session_id": other.id,
                    },
                )
            )
    return warnings


# --------------------------------------------------------------------------- chat helpers
# Small public pieces the chat flows use to check each answer as it is typed, so a wrong
# answer is asked again at once instead of after the whole form.


def kinds_for_host(host: Unit) -> list[SessionKind]:
    """Regular and thematic sessions are held by a chi bộ; a workshop by any unit."""
    if host.kind == UnitKind.CELL:
        return list(SessionKind)
    return [SessionKind.HOI_THAO]


def check_topic(kind: SessionKind, topic: str | None) -> str | None:
    """The cleaned topic (required for a thematic session, None when absent otherwise)."""
    return _check_topic(kind, topic)


def check_venue(venue: str | None) -> str:
    """A venue typed in a chat: required, in words."""
    return check_label(venue, max_length=200, what=N_("venue"))


def check_address(address: str | None) -> str:
    """An address typed in a chat: required, in words."""
    return check_label(address, max_length=300, what=N_("address"))


def check_duration(minutes: int) -> int:
    return _check_duration(minutes)


def check_reason(reason: str | None) -> str | None:
    """A cleaned optional reason (None when empty); too long is refused."""
    return _check_reason(reason)


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
    session, _plan = await _load_for_change(ctx, actor, session_id)  # type: ignore[arg-type]
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


# --------------------------------------------------------------------------- changes


async def _replan(ctx: Ctx, session: ModelSession) -> None:
    """Re-plan what the scheduler says about the session (same transaction as the change)."""
    from services.reminders import replan_session  # reminders read sessions

    await replan_session(ctx, session)


async def create_session(
    ctx: Ctx,
    actor: Person,
    plan_id: int,
    host_unit_id: int,
    kind: SessionKind,
    when: When,
    *,
    topic: str | None = None,
    duration_minutes: int = DEFAULT_DURATION,
    venue: str = "",
    address: str = "",
    location: tuple[float, float] | None = None,
) -> Outcome[ModelSession]:
    """Report (or plan) a model session. A month alone makes it tentative.

    Regular and thematic sessions are hosted by a chi bộ; a workshop by any unit of the plan,
    the issuing unit included. Session quotas of the plan's requirements are enforced."""
    plan, _host = await check_report(ctx, actor, plan_id, host_unit_id, kind, quota=False)
    clean_topic = _check_topic(kind, topic)
    moment = resolve_when(ctx, when)
    duration = _check_duration(duration_minutes)
    clean_venue = _check_place(venue, 200, N_("venue"))
    clean_address = _check_place(address, 300, N_("address"))
    lat, lon = _check_location(location)
    await check_quota(ctx, plan, host_unit_id, kind)
    now = ctx.clock.now()
    session = ModelSession(
        plan_id=plan_id,
        kind=kind,
        topic=clean_topic,
        host_unit_id=host_unit_id,
        duration_minutes=duration,
        venue=clean_venue,
        address=clean_address,
        latitude=lat,
        longitude=lon,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    if isinstance(moment, MonthOnly):
        session.status = SessionStatus.TENTATIVE
        session.tentative_year, session.tentative_month = moment.year, moment.month
    else:
        session.status = SessionStatus.SCHEDULED
        session.starts_at = moment.starts_at
    ctx.session.add(session)
    await ctx.session.flush()
    _record(ctx, session, actor, SessionChangeKind.CREATED, new=_when_value(when_of(session)))
    met = await refresh_report_targets(ctx, plan, host_unit_id)
    warnings = await _overlap_warnings(ctx, session)
    params = await session_params(ctx, session, plan)
    notices = notices_for(
        await session_audience(ctx, session, plan),
        N_("New model session of plan {plan}: {kind} of “{host}”, {when}."),
        params,
        exclude=actor.id,
    )
    notices += await fulfilment_notices(ctx, plan, met, actor)
    await _replan(ctx, session)
    return Outcome(session, notices, warnings)


async def update_session(
    ctx: Ctx,
    actor: Person,
    session_id: int,
    *,
    topic: str | None = None,
    duration_minutes: int | None = None,
    venue: str | None = None,
    address: str | None = None,
    location: tuple[float, float] | None = None,
    clear_location: bool = False,
) -> Outcome[ModelSession]:
    """Change details (None leaves a field as it is; "" clears a text). Times change through
    `reschedule_session` / `firm_up_session`; the kind cannot change (cancel and report anew)."""
    session, plan = await _load_for_change(ctx, actor, session_id)
    changes: dict[str, Any] = {}
    if topic is not None:
        changes["topic"] = _check_topic(SessionKind(session.kind), topic)
    if duration_minutes is not None:
        changes["duration_minutes"] = _check_duration(duration_minutes)
    if venue is not None:
        changes["venue"] = _check_place(venue, 200, N_("venue"))
    if address is not None:
        changes["address"] = _check_place(address, 300, N_("address"))
    if location is not None or clear_location:
        changes["latitude"], changes["longitude"] = _check_location(location)
    changed = {k: v for k, v in changes.items() if getattr(session, k) != v}
    if not changed:
        return Outcome(session)
    for key, value in changed.items():
        old = getattr(session, key)
        _record(
            ctx,
            session,
            actor,
            SessionChangeKind.EDITED,
            field=key,
            old=None if old is None else str(old),
            new=None if value is None else str(value),
        )
        setattr(session, key, value)
    session.updated_at = ctx.clock.now()
    ctx.session.add(session)
    await ctx.session.flush()
    warnings = await _overlap_warnings(ctx, session) if "duration_minutes" in changed else []
    notices = notices_for(
        await session_audience(ctx, session, plan),
        N_("The details of the {kind} of “{host}” ({when}) have changed."),
        await session_params(ctx, session, plan),
        exclude=actor.id,
    )
    await _replan(ctx, session)
    return Outcome(session, notices, warnings)


def _check_move(session: ModelSession, moment: ExactTime | MonthOnly) -> None:
    """Where a session may move: a day and time other than its own; a month only while it is
    tentative, and another month than its own."""
    if isinstance(moment, MonthOnly):
        if session.status != SessionStatus.TENTATIVE:
            raise InvalidInput(
                N_(
                    "This session already has a day and time. "
                    "Please give the new day and time, for example: {example}."
                ),
                example=EXAMPLE_TIME,
            )
        if when_of(session) == moment:
            raise InvalidInput(
                N_("The session is already planned for that month. Please give another one.")
            )
    elif session.starts_at == moment.starts_at:
        raise InvalidInput(
            N_("The session is already at that time. Please give a different day or time.")
        )


async def check_reschedule(
    ctx: Ctx, actor: Person | None, session_id: int, when: When
) -> ExactTime | MonthOnly:
    """The new time `reschedule_session` would accept, without changing anything (a chat asks
    the time first, then the reason)."""
    session, _plan = await _load_for_change(ctx, actor, session_id)  # type: ignore[arg-type]
    moment = resolve_when(ctx, when)
    _check_move(session, moment)
    return moment


async def reschedule_session(
    ctx: Ctx, actor: Person, session_id: int, when: When, *, reason: str | None = None
) -> Outcome[ModelSession]:
    """Move a session. A scheduled one needs a new day and time; a tentative one may move to
    another month, or straight to a day and time (which schedules it). History is kept."""
    session, plan = await _load_for_change(ctx, actor, session_id)
    moment = resolve_when(ctx, when)
    clean_reason = _check_reason(reason)
    old = when_of(session)
    _check_move(session, moment)
    if isinstance(moment, MonthOnly):
        session.tentative_year, session.tentative_month = moment.year, moment.month
    else:
        session.starts_at = moment.starts_at
        session.tentative_year = session.tentative_month = None
        session.status = SessionStatus.SCHEDULED
    session.updated_at = ctx.clock.now()
    ctx.session.add(session)
    _record(
        ctx,
        session,
        actor,
        SessionChangeKind.RESCHEDULED,
        field="starts_at",
        old=_when_value(old),
        new=_when_value(when_of(session)),
        reason=clean_reason,
    )
    await ctx.session.flush()
    params = await session_params(ctx, session, plan) | {
        "old_when": old,
        "reason": clean_reason or "",
    }
    msgid = (
        N_("The {kind} of “{host}” has moved from {old_when} to {when}. Reason: {reason}")
        if clean_reason
        else N_("The {kind} of “{host}” has moved from {old_when} to {when}.")
    )
    notices = notices_for(
        await session_audience(ctx, session, plan), msgid, params, exclude=actor.id
    )
    await _replan(ctx, session)
    return Outcome(session, notices, await _overlap_warnings(ctx, session))


async def firm_up_session(
    ctx: Ctx, actor: Person, session_id: int, when: When
) -> Outcome[ModelSession]:
    """Tentative → scheduled, with a start time inside the planned month (local time)."""
    session, plan = await _load_for_change(ctx, actor, session_id)
    if session.status != SessionStatus.TENTATIVE:
        raise Conflict(
            N_("This session already has a day and time. To move it, reschedule it instead.")
        )
    moment = resolve_when(ctx, when)
    if isinstance(moment, MonthOnly):
        raise InvalidInput(
            N_("Please give the day and the time, for example: {example}."), example=EXAMPLE_TIME
        )
    local = moment.starts_at.astimezone(VN_TZ)
    if (local.year, local.month) != (session.tentative_year, session.tentative_month):
        raise InvalidInput(
            N_(
                "The session was planned for {month}/{year}. Please pick a day in that month, "
                "for example: 15/{month}/{year} 8h. To move it to another month, "
                "reschedule it instead."
            ),
            month=session.tentative_month,
            year=session.tentative_year,
        )
    old = when_of(session)
    session.starts_at = moment.starts_at
    session.tentative_year = session.tentative_month = None
    session.status = SessionStatus.SCHEDULED
    session.updated_at = ctx.clock.now()
    ctx.session.add(session)
    _record(
        ctx,
        session,
        actor,
        SessionChangeKind.FIRMED_UP,
        field="starts_at",
        old=_when_value(old),
        new=_when_value(session.starts_at),
    )
    await ctx.session.flush()
    notices = notices_for(
        await session_audience(ctx, session, plan),
        N_("The {kind} of “{host}” now has a fixed time: {when}."),
        await session_params(ctx, session, plan),
        exclude=actor.id,
    )
    await _replan(ctx, session)
    return Outcome(session, notices, await _overlap_warnings(ctx, session))


async def cancel_session(
    ctx: Ctx, actor: Person, session_id: int, reason: str
) -> Outcome[ModelSession]:
    """Cancel with a reason (required; everyone told sees it). Quotas are counted again."""
    session, plan = await _load_for_change(ctx, actor, session_id)
    clean_reason = _check_reason(reason)
    if not clean_reason:
        raise InvalidInput(
            N_(
                "Please say why the session is cancelled (everyone invited will see it), "
                "for example: Trùng lịch họp của Đảng ủy."
            )
        )
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = clean_reason
    session.updated_at = ctx.clock.now()
    ctx.session.add(session)
    _record(ctx, session, actor, SessionChangeKind.CANCELLED, reason=clean_reason)
    await ctx.session.flush()
    await refresh_report_targets(ctx, plan, session.host_unit_id)
    notices = notices_for(
        await session_audience(ctx, session, plan),
        N_("The {kind} of “{host}” planned for {when} has been cancelled. Reason: {reason}"),
        await session_params(ctx, session, plan) | {"reason": clean_reason},
        exclude=actor.id,
    )
    await _replan(ctx, session)
    return Outcome(session, notices)


async def mark_held(ctx: Ctx, actor: Person, session_id: int) -> Outcome[ModelSession]:
    """Scheduled → held, once its start time has come."""
    session, plan = await _load_for_change(ctx, actor, session_id)
    if session.status != SessionStatus.SCHEDULED or session.starts_at is None:
        raise Conflict(N_("This session has no day and time yet, so it cannot have been held."))
    if session.starts_at > ctx.clock.now():
        raise Conflict(
            N_("This session has not started yet. It can be marked as held once it has begun.")
        )
    session.status = SessionStatus.HELD
    session.updated_at = ctx.clock.now()
    ctx.session.add(session)
    _record(ctx, session, actor, SessionChangeKind.HELD)
    await ctx.session.flush()
    notices = notices_for(
        await issuer_organiser_ids(ctx, plan),
        N_("“{host}” has held its {kind} ({when})."),
        await session_params(ctx, session, plan),
        exclude=actor.id,
    )
    return Outcome(session, notices)


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
    """Units where the person is secretary or deputy, and every chi bộ under a unit they
    organise; by name."""
    own = await unit_ids_with_role(ctx, person, HOST_ROLES)
    organised = await subtree_ids(ctx, await unit_ids_with_role(ctx, person, (Role.ORGANISER,)))
    if not (own or organised):
        return []
    result = await ctx.session.exec(
        select(Unit)
        .where(
            col(Unit.id).in_(own)
            | (col(Unit.id).in_(organised) & (Unit.kind == UnitKind.CELL.value))
        )
        .order_by(col(Unit.name), col(Unit.id))
    )
    return list(result.all())


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
