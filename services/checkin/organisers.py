"""What organisers do at the entrance: record a person as present, and find the sessions
whose roll they may read."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from core.i18n import N_
from services.checkin.config import config_for
from services.checkin.record import record, standing
from services.checkin.window import (
    CANCELLED,
    MAX_WINDOW_MINUTES,
    NO_TIME,
    NOT_YET,
    CheckedIn,
    Window,
    window_of,
)
from services.context import Ctx
from services.errors import Conflict, NotFound
from services.notifications import Advice, Outcome
from services.plans import OVERSIGHT_ROLES, subtree_ids, unit_ids_with_role
from services.roles import require_organiser
from services.sessions import get_session
from storage.models import (
    CheckinConfig,
    CheckinMethod,
    ModelSession,
    Person,
    Plan,
    Role,
    SessionStatus,
)


async def manual_check_in(
    ctx: Ctx, actor: Person, session_id: int, person_id: int, *, late: bool | None = None
) -> Outcome[CheckedIn]:
    """An organiser records a person as present (method manual), from the opening of the
    window on, also after it closed (corrections). Someone not invited is recorded as a guest
    (with a warning). `late` None: decided by the clock, as for a self check-in."""
    session = await get_session(ctx, session_id)
    await require_organiser(ctx, actor, session.host_unit_id)
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(CANCELLED)
    if session.starts_at is None:
        raise Conflict(NO_TIME)
    person = await ctx.session.get(Person, person_id)
    if person is None:
        raise NotFound(N_("That person is no longer on the bot."))
    found = await standing(ctx, session_id, person_id)
    if found.existing is not None:
        return Outcome(CheckedIn(found.existing, session, already=True))
    window = window_of(session, await config_for(ctx, session_id))
    now = ctx.clock.now()
    if now < window.opens_at:
        raise Conflict(NOT_YET, opens_at=window.opens_at)
    guest = not found.invited
    done = await record(
        ctx,
        session,
        person_id,
        late=now > window.late_from if late is None else late,
        method=CheckinMethod.MANUAL,
        guest=guest,
        by_id=actor.id,
    )
    warnings = []
    if guest and not done.already:
        warnings.append(
            Advice(
                N_("{name} was not invited to this session and has been recorded as a guest."),
                {"name": person.full_name, "person_id": person_id},
            )
        )
    return Outcome(done, warnings=warnings)


async def roll_sessions(
    ctx: Ctx, person: Person | None, limit: int = 10
) -> list[tuple[ModelSession, Window]]:
    """Sessions whose check-in window is open or still to come and whose roll the person may
    read (organisers and leaders of the plan's issuing unit or above it, organisers of the
    host unit or above it); soonest first, with their windows."""
    if person is None or limit <= 0:
        return []
    oversight = await subtree_ids(ctx, await unit_ids_with_role(ctx, person, OVERSIGHT_ROLES))
    hosts = await subtree_ids(ctx, await unit_ids_with_role(ctx, person, (Role.ORGANISER,)))
    if not oversight and not hosts:
        return []
    concerns = col(ModelSession.host_unit_id).in_(hosts)
    if oversight:
        concerns = concerns | col(ModelSession.plan_id).in_(
            select(Plan.id).where(col(Plan.issuer_unit_id).in_(oversight))
        )
    now = ctx.clock.now()
    result = await ctx.session.exec(
        select(ModelSession, CheckinConfig)
        .outerjoin(CheckinConfig, col(CheckinConfig.session_id) == ModelSession.id)
        .where(
            concerns,
            col(ModelSession.status).in_([SessionStatus.SCHEDULED.value, SessionStatus.HELD.value]),
            col(ModelSession.starts_at) >= now - timedelta(minutes=MAX_WINDOW_MINUTES),
        )
        .order_by(col(ModelSession.starts_at), col(ModelSession.id))
    )
    out: list[tuple[ModelSession, Window]] = []
    for session, config in result.all():
        window = window_of(session, config)
        if window.closes_at >= now:
            out.append((session, window))
            if len(out) >= limit:
                break
    return out
