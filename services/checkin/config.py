"""Organisers open a session's check-in and set its window, lateness and guest rule."""

from __future__ import annotations

import secrets

from sqlmodel import col, select

from core.i18n import N_
from services.checkin.window import (
    CANCELLED,
    CODE_DIGITS,
    DEFAULT_CLOSES_AFTER,
    DEFAULT_LATE_AFTER,
    DEFAULT_OPENS_BEFORE,
    MAX_WINDOW_MINUTES,
    NO_TIME,
    is_live,
)
from services.context import Ctx
from services.errors import Conflict, InvalidInput
from services.roles import require_organiser
from services.sessions import get_session
from storage.models import CheckinConfig, ModelSession, Person, SessionStatus


def _random_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


async def _code_in_use(ctx: Ctx, code: str, session_id: int) -> bool:
    result = await ctx.session.exec(
        select(CheckinConfig, ModelSession)
        .join(ModelSession, col(ModelSession.id) == CheckinConfig.session_id)
        .where(CheckinConfig.code == code, CheckinConfig.session_id != session_id)
    )
    now = ctx.clock.now()
    return any(is_live(session, config, now) for config, session in result.all())


async def _free_code(ctx: Ctx, session_id: int) -> str:
    for _ in range(100):
        code = _random_code()
        if not await _code_in_use(ctx, code, session_id):
            return code
    raise RuntimeError("no free check-in code found")  # a million codes: cannot happen


async def _load_for_organiser(ctx: Ctx, actor: Person, session_id: int) -> ModelSession:
    session = await get_session(ctx, session_id)
    await require_organiser(ctx, actor, session.host_unit_id)
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(CANCELLED)
    if session.starts_at is None:
        raise Conflict(NO_TIME)
    return session


async def config_for(ctx: Ctx, session_id: int) -> CheckinConfig | None:
    result = await ctx.session.exec(
        select(CheckinConfig).where(CheckinConfig.session_id == session_id)
    )
    return result.first()


async def _ensure_config(ctx: Ctx, actor: Person, session: ModelSession) -> CheckinConfig:
    assert session.id is not None
    config = await config_for(ctx, session.id)
    if config is None:
        config = CheckinConfig(
            session_id=session.id,
            token=secrets.token_urlsafe(16),
            code=await _free_code(ctx, session.id),
            opens_before_minutes=DEFAULT_OPENS_BEFORE,
            closes_after_minutes=DEFAULT_CLOSES_AFTER,
            late_after_minutes=DEFAULT_LATE_AFTER,
            allow_guests=False,
            created_by_id=actor.id,
            created_at=ctx.clock.now(),
        )
        ctx.session.add(config)
        await ctx.session.flush()
    elif await _code_in_use(ctx, config.code, session.id):
        # Another session took the same code while this one had no live window (rescheduled).
        config.code = await _free_code(ctx, session.id)
        ctx.session.add(config)
        await ctx.session.flush()
    return config


async def open_checkin(ctx: Ctx, actor: Person, session_id: int) -> CheckinConfig:
    """The session's check-in (created on first call): token for the QR link, code for
    /diemdanh, window. Organisers of the host unit or of a unit above it."""
    session = await _load_for_organiser(ctx, actor, session_id)
    return await _ensure_config(ctx, actor, session)


def _minutes(value: int | None, low: int, high: int) -> int | None:
    if value is None:
        return None
    if not low <= value <= high:
        raise InvalidInput(
            N_("Please give a number of minutes from {low} to {high}."), low=low, high=high
        )
    return value


async def configure_checkin(
    ctx: Ctx,
    actor: Person,
    session_id: int,
    *,
    opens_before_minutes: int | None = None,
    closes_after_minutes: int | None = None,
    late_after_minutes: int | None = None,
    allow_guests: bool | None = None,
) -> CheckinConfig:
    """Change the window, the lateness threshold or the guest rule (None leaves it)."""
    session = await _load_for_organiser(ctx, actor, session_id)
    before = _minutes(opens_before_minutes, 0, MAX_WINDOW_MINUTES)
    after = _minutes(closes_after_minutes, 1, MAX_WINDOW_MINUTES)
    late = _minutes(late_after_minutes, 0, MAX_WINDOW_MINUTES)
    current = await config_for(ctx, session_id)
    if after is None:
        after = current.closes_after_minutes if current else DEFAULT_CLOSES_AFTER
    if late is None:
        late = current.late_after_minutes if current else DEFAULT_LATE_AFTER
    if late > after:
        raise InvalidInput(
            N_(
                "Arrivals cannot count as late after check-in has closed. Please give a "
                "lateness threshold of at most {limit} minutes."
            ),
            limit=after,
        )
    config = await _ensure_config(ctx, actor, session)
    if before is not None:
        config.opens_before_minutes = before
    config.closes_after_minutes = after
    config.late_after_minutes = late
    if allow_guests is not None:
        config.allow_guests = allow_guests
    ctx.session.add(config)
    await ctx.session.flush()
    return config
