"""Moving, firming up and cancelling a session (held / not held: services.sessions.held)."""

from __future__ import annotations

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, InvalidInput
from services.events import (
    SessionCancelled,
    SessionFirmedUp,
    SessionRescheduled,
)
from services.notifications import Outcome, notices_for
from services.plans import (
    EXAMPLE_TIME,
)
from services.read.sessions import (
    session_audience,
    session_params,
    when_of,
)
from services.requirements import refresh_report_targets
from services.sessions.access import load_for_change
from services.sessions.changes import (
    CHANGED_KIND,
    add_history,
    finish_change,
    overlap_warnings,
)
from services.sessions.checks import When, _check_reason, resolve_when, when_value
from services.vn_datetime import VN_TZ, ExactTime, MonthOnly
from storage.models import (
    ModelSession,
    Person,
    SessionChangeKind,
    SessionStatus,
)


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
    session, _plan = await load_for_change(ctx, actor, session_id)  # type: ignore[arg-type]
    moment = resolve_when(ctx, when)
    _check_move(session, moment)
    return moment


async def reschedule_session(
    ctx: Ctx, actor: Person, session_id: int, when: When, *, reason: str | None = None
) -> Outcome[ModelSession]:
    """Move a session. A scheduled one needs a new day and time; a tentative one may move to
    another month, or straight to a day and time (which schedules it). History is kept."""
    session, plan = await load_for_change(ctx, actor, session_id)
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
    add_history(
        ctx,
        session,
        actor,
        SessionChangeKind.RESCHEDULED,
        field="starts_at",
        old=when_value(old),
        new=when_value(when_of(session)),
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
    warnings = await overlap_warnings(ctx, session)
    return await finish_change(
        ctx, SessionRescheduled(session), CHANGED_KIND, Outcome(session, notices, warnings)
    )


async def firm_up_session(
    ctx: Ctx, actor: Person, session_id: int, when: When
) -> Outcome[ModelSession]:
    """Tentative → scheduled, with a start time inside the planned month (local time)."""
    session, plan = await load_for_change(ctx, actor, session_id)
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
    add_history(
        ctx,
        session,
        actor,
        SessionChangeKind.FIRMED_UP,
        field="starts_at",
        old=when_value(old),
        new=when_value(session.starts_at),
    )
    await ctx.session.flush()
    notices = notices_for(
        await session_audience(ctx, session, plan),
        N_("The {kind} of “{host}” now has a fixed time: {when}."),
        await session_params(ctx, session, plan),
        exclude=actor.id,
    )
    warnings = await overlap_warnings(ctx, session)
    return await finish_change(
        ctx, SessionFirmedUp(session), CHANGED_KIND, Outcome(session, notices, warnings)
    )


async def cancel_session(
    ctx: Ctx, actor: Person, session_id: int, reason: str
) -> Outcome[ModelSession]:
    """Cancel with a reason (required; everyone told sees it). Quotas are counted again."""
    session, plan = await load_for_change(ctx, actor, session_id)
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
    add_history(ctx, session, actor, SessionChangeKind.CANCELLED, reason=clean_reason)
    await ctx.session.flush()
    await refresh_report_targets(ctx, plan, session.host_unit_id)
    notices = notices_for(
        await session_audience(ctx, session, plan),
        N_("The {kind} of “{host}” planned for {when} has been cancelled. Reason: {reason}"),
        await session_params(ctx, session, plan) | {"reason": clean_reason},
        exclude=actor.id,
    )
    return await finish_change(
        ctx, SessionCancelled(session), CHANGED_KIND, Outcome(session, notices)
    )
