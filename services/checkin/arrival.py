"""People check themselves in: with the QR link's token or the typed code."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import delete, func
from sqlmodel import col, select

from core.i18n import N_
from services.checkin.record import record, standing
from services.checkin.window import (
    CANCELLED,
    CODE_PATTERN,
    MAX_WRONG_CODES,
    NO_TIME,
    NOT_YET,
    TOKEN_PATTERN,
    WRONG_CODE_PERIOD,
    CheckedIn,
    is_live,
    window_of,
)
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.notifications import Outcome
from storage.models import (
    CheckinAttempt,
    CheckinConfig,
    CheckinMethod,
    ModelSession,
    Person,
    SessionStatus,
    Unit,
)

_BAD_LINK = N_(
    "This check-in link is not valid. Please scan the QR code at the entrance again, or type "
    "the code shown there with /diemdanh."
)


def _with_session_and_host(*extra: Any) -> Any:
    """Config, session and host unit in one query (the host's name titles the reply)."""
    return (
        select(CheckinConfig, ModelSession, Unit, *extra)
        .join(ModelSession, col(ModelSession.id) == CheckinConfig.session_id)
        .join(Unit, col(Unit.id) == ModelSession.host_unit_id)
    )


async def _check_in(
    ctx: Ctx, person: Person, session: ModelSession, config: CheckinConfig, method: CheckinMethod
) -> Outcome[CheckedIn]:
    assert session.id is not None and person.id is not None
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(CANCELLED)
    found = await standing(ctx, session.id, person.id)
    if found.existing is not None:
        return Outcome(CheckedIn(found.existing, session, already=True))
    if session.starts_at is None:  # a rescheduling cannot remove the time; kept for safety
        raise Conflict(NO_TIME)
    window = window_of(session, config)
    now = ctx.clock.now()
    if now < window.opens_at:
        raise Conflict(NOT_YET, opens_at=window.opens_at)
    if now > window.closes_at:
        raise Conflict(
            N_(
                "Check-in for this session closed at {closes_at}. If you attended, please ask "
                "the organisers to record you."
            ),
            closes_at=window.closes_at,
        )
    guest = not found.invited
    if guest:
        if not config.allow_guests:
            raise PermissionDenied(
                N_(
                    "You are not on the invitation list of this session, so you cannot check "
                    "in. If you have been asked to attend, please see the organisers at the "
                    "entrance."
                )
            )
        method = CheckinMethod.GUEST
    return Outcome(
        await record(
            ctx, session, person.id, late=now > window.late_from, method=method, guest=guest
        )
    )


def _recent_wrong(person_id: int, since: datetime) -> tuple[Any, Any]:
    recent = (CheckinAttempt.person_id == person_id, col(CheckinAttempt.at) > since)
    count = select(func.count()).where(*recent).scalar_subquery()
    oldest = select(func.min(CheckinAttempt.at)).where(*recent).scalar_subquery()
    return count, oldest


async def _wrong_codes(ctx: Ctx, person_id: int) -> tuple[int, datetime | None]:
    """How many wrong codes the person typed in the last period, and the oldest one's time."""
    count, oldest = _recent_wrong(person_id, ctx.clock.now() - WRONG_CODE_PERIOD)
    n, at = (await ctx.session.exec(select(count, oldest))).one()  # type: ignore[call-overload]
    return int(n), at


def _too_many(wrong: int, oldest: datetime | None) -> None:
    if wrong >= MAX_WRONG_CODES and oldest is not None:
        raise Conflict(
            N_(
                "Too many wrong codes. Please wait until {time} and try again, or scan the QR "
                "code at the entrance."
            ),
            time=oldest + WRONG_CODE_PERIOD,
        )


async def _remember_wrong_code(ctx: Ctx, person_id: int, code: str) -> None:
    """Record a wrong code and commit at once: callers roll back on errors, and the limit
    must hold whatever they do. Older attempts of the person are dropped."""
    now = ctx.clock.now()
    await ctx.session.exec(  # type: ignore[call-overload]
        delete(CheckinAttempt)
        .where(
            col(CheckinAttempt.person_id) == person_id,
            col(CheckinAttempt.at) <= now - WRONG_CODE_PERIOD,
        )
        .execution_options(synchronize_session=False)
    )
    ctx.session.add(CheckinAttempt(person_id=person_id, at=now, code=code))
    await ctx.session.commit()


async def _by_code(ctx: Ctx, person: Person, code: str) -> tuple[CheckinConfig, ModelSession]:
    """The session of a typed code, with the person's recent wrong codes in the same query."""
    assert person.id is not None
    count, oldest = _recent_wrong(person.id, ctx.clock.now() - WRONG_CODE_PERIOD)
    result = await ctx.session.exec(
        _with_session_and_host(count, oldest).where(CheckinConfig.code == code)
    )
    rows = list(result.all())
    found = [(config, session) for config, session, *_ in rows]
    if not found:
        wrong, first = await _wrong_codes(ctx, person.id)
        _too_many(wrong, first)
        await _remember_wrong_code(ctx, person.id, code)
        raise NotFound(
            N_(
                "No session has the check-in code {code}. Please check the code shown at the "
                "entrance ({left} tries left)."
            ),
            code=code,
            left=max(MAX_WRONG_CODES - wrong - 1, 0),
        )
    _too_many(int(rows[0][3]), rows[0][4])
    if len(found) == 1:
        return found[0]
    # An old session may have had the same code: prefer a live window, then the nearest start.
    now = ctx.clock.now()

    def rank(pair: tuple[CheckinConfig, ModelSession]) -> tuple[int, float]:
        config, session = pair
        distance = abs((session.starts_at - now).total_seconds()) if session.starts_at else 1e12
        return (0 if is_live(session, config, now) else 1, distance)

    return min(found, key=rank)


async def check_in(
    ctx: Ctx,
    person: Person,
    *,
    token: str | None = None,
    code: str | None = None,
    via: Literal["qr", "code"] | None = None,
) -> Outcome[CheckedIn]:
    """Check a person in with the QR link's token or the typed code (exactly one).

    Checking in twice is harmless (`already`). Refused: cancelled session, outside the window
    (Conflict with the opening or closing time), not invited unless the session allows
    guests (PermissionDenied), too many wrong codes (Conflict with the time to wait until).
    Late after the start + the lateness threshold."""
    if person.id is None:
        raise ValueError("the person must be saved first")
    if (token is None) == (code is None):
        raise ValueError("give either a token or a code")
    if token is not None:
        if not TOKEN_PATTERN.match(token):
            raise NotFound(_BAD_LINK)
        result = await ctx.session.exec(
            _with_session_and_host().where(CheckinConfig.token == token)
        )
        row = result.first()
        if row is None:
            raise NotFound(_BAD_LINK)
        config, session, _host = row
        method = CheckinMethod(via or "qr")
    else:
        assert code is not None
        typed = re.sub(r"\s+", "", code)
        if not CODE_PATTERN.match(typed):
            raise InvalidInput(
                N_("The check-in code has 6 digits. Please type it like this: /diemdanh 123456.")
            )
        config, session = await _by_code(ctx, person, typed)
        method = CheckinMethod(via or "code")
    return await _check_in(ctx, person, session, config, method)
