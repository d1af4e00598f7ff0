"""Check-in (điểm danh) at a model session: by the QR code's deep link
(`t.me/<bot>?start=ci_<token>`), by `/diemdanh CODE`, or recorded by an organiser.

Per session a `CheckinConfig` holds the window (by default from 30 minutes before the start to
60 minutes after it; it follows the session when it is rescheduled), when arrivals count as
late (15 minutes after the start), whether people who were not invited may check in as
guests, an unguessable token for the QR link and a 6-digit code, unique among the sessions
whose window is open or still to come.

Codes can be guessed, tokens cannot: a person may type at most 5 wrong codes in 10 minutes,
then codes are refused until the oldest of those attempts is 10 minutes old. Other people's
failures never block anybody, and the QR link is never blocked.

A check-in is a handful of indexed queries: the config with its session (by token or code),
the person's existing check-in, their invitation, one insert.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.events import PersonCheckedIn
from services.notifications import Advice, Outcome
from services.plans import OVERSIGHT_ROLES, subtree_ids, unit_ids_with_role
from services.roles import require_organiser
from services.sessions import get_session
from storage.models import (
    CheckIn,
    CheckinAttempt,
    CheckinConfig,
    CheckinMethod,
    Invitation,
    ModelSession,
    Person,
    Plan,
    Role,
    SessionStatus,
)

DEFAULT_OPENS_BEFORE = 30  # minutes before the start
DEFAULT_CLOSES_AFTER = 60  # minutes after the start
DEFAULT_LATE_AFTER = 15  # minutes after the start
MAX_WINDOW_MINUTES = 24 * 60
MAX_WRONG_CODES = 5
WRONG_CODE_PERIOD = timedelta(minutes=10)
CODE_DIGITS = 6
DEEP_LINK_PREFIX = "ci_"
_CODE = re.compile(r"^\d{6}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

_BAD_LINK = N_(
    "This check-in link is not valid. Please scan the QR code at the entrance again, or type "
    "the code shown there with /diemdanh."
)


@dataclass(frozen=True, slots=True)
class Window:
    opens_at: datetime
    starts_at: datetime
    late_from: datetime  # arrivals after this moment are late
    closes_at: datetime


@dataclass(frozen=True, slots=True)
class CheckedIn:
    """The result of a check-in. `already`: the person had checked in before (nothing
    changed); `checkin` is then the earlier record."""

    checkin: CheckIn
    session: ModelSession
    already: bool

    @property
    def late(self) -> bool:
        return self.checkin.late

    @property
    def guest(self) -> bool:
        return self.checkin.guest


def window_of(session: ModelSession, config: CheckinConfig | None) -> Window:
    """The check-in window of a session that has a start time (defaults without a config)."""
    if session.starts_at is None:
        raise ValueError("a session without a start time has no check-in window")
    before = config.opens_before_minutes if config else DEFAULT_OPENS_BEFORE
    after = config.closes_after_minutes if config else DEFAULT_CLOSES_AFTER
    late = config.late_after_minutes if config else DEFAULT_LATE_AFTER
    start = session.starts_at
    return Window(
        opens_at=start - timedelta(minutes=before),
        starts_at=start,
        late_from=start + timedelta(minutes=late),
        closes_at=start + timedelta(minutes=after),
    )


def deep_link_payload(config: CheckinConfig) -> str:
    """The `start` parameter of the QR deep link: t.me/<bot>?start=<payload>."""
    return DEEP_LINK_PREFIX + config.token


def token_from_payload(payload: str | None) -> str | None:
    """The token of a `/start ci_<token>` payload, or None when it is not a check-in link."""
    if payload and payload.startswith(DEEP_LINK_PREFIX):
        return payload[len(DEEP_LINK_PREFIX) :]
    return None


# --------------------------------------------------------------------------- organisers


def _random_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _is_live(session: ModelSession, config: CheckinConfig, now: datetime) -> bool:
    """Whether the session's window is open or still to come (its code is in use)."""
    if session.status == SessionStatus.CANCELLED:
        return False
    if session.starts_at is None:
        return True
    return window_of(session, config).closes_at >= now


async def _code_in_use(ctx: Ctx, code: str, session_id: int) -> bool:
    result = await ctx.session.exec(
        select(CheckinConfig, ModelSession)
        .join(ModelSession, col(ModelSession.id) == CheckinConfig.session_id)
        .where(CheckinConfig.code == code, CheckinConfig.session_id != session_id)
    )
    now = ctx.clock.now()
    return any(_is_live(session, config, now) for config, session in result.all())


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
        raise Conflict(N_("This session has been cancelled, so there is no check-in."))
    if session.starts_at is None:
        raise Conflict(
            N_("This session has no day and time yet, so check-in cannot be opened for it.")
        )
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


# --------------------------------------------------------------------------- checking in


async def _existing(ctx: Ctx, session_id: int, person_id: int) -> CheckIn | None:
    result = await ctx.session.exec(
        select(CheckIn).where(CheckIn.session_id == session_id, CheckIn.person_id == person_id)
    )
    return result.first()


async def _is_invited(ctx: Ctx, session_id: int, person_id: int) -> bool:
    result = await ctx.session.exec(
        select(Invitation.id).where(
            Invitation.session_id == session_id, Invitation.person_id == person_id
        )
    )
    return result.first() is not None


async def _record(
    ctx: Ctx,
    session: ModelSession,
    person_id: int,
    *,
    late: bool,
    method: CheckinMethod,
    guest: bool,
    by_id: int | None = None,
) -> CheckedIn:
    """Insert the check-in; a concurrent one of the same person wins quietly."""
    bind = ctx.session.bind
    insert = pg_insert if bind is not None and bind.dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(CheckIn)
        .values(
            session_id=session.id,
            person_id=person_id,
            at=ctx.clock.now(),
            late=late,
            method=method.value,
            guest=guest,
            by_id=by_id,
        )
        .on_conflict_do_nothing(index_elements=["session_id", "person_id"])
        .returning(CheckIn)
    )
    created = (await ctx.session.exec(stmt)).scalars().first()  # type: ignore[call-overload]
    if created is not None:
        await ctx.record(PersonCheckedIn(session, person_id))
        return CheckedIn(created, session, already=False)
    existing = await _existing(ctx, session.id, person_id)  # type: ignore[arg-type]
    assert existing is not None
    return CheckedIn(existing, session, already=True)


async def _check_in(
    ctx: Ctx, person: Person, session: ModelSession, config: CheckinConfig, method: CheckinMethod
) -> Outcome[CheckedIn]:
    assert session.id is not None and person.id is not None
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(N_("This session has been cancelled, so there is no check-in."))
    existing = await _existing(ctx, session.id, person.id)
    if existing is not None:
        return Outcome(CheckedIn(existing, session, already=True))
    if session.starts_at is None:  # a rescheduling cannot remove the time; kept for safety
        raise Conflict(
            N_("This session has no day and time yet, so check-in cannot be opened for it.")
        )
    window = window_of(session, config)
    now = ctx.clock.now()
    if now < window.opens_at:
        raise Conflict(
            N_("Check-in for this session opens at {opens_at}. Please check in then."),
            opens_at=window.opens_at,
        )
    if now > window.closes_at:
        raise Conflict(
            N_(
                "Check-in for this session closed at {closes_at}. If you attended, please ask "
                "the organisers to record you."
            ),
            closes_at=window.closes_at,
        )
    guest = not await _is_invited(ctx, session.id, person.id)
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
        await _record(
            ctx, session, person.id, late=now > window.late_from, method=method, guest=guest
        )
    )


async def _wrong_codes(ctx: Ctx, person_id: int) -> tuple[int, datetime | None]:
    """How many wrong codes the person typed in the last period, and the oldest one's time."""
    since = ctx.clock.now() - WRONG_CODE_PERIOD
    result = await ctx.session.exec(
        select(func.count(), func.min(CheckinAttempt.at)).where(
            CheckinAttempt.person_id == person_id, col(CheckinAttempt.at) > since
        )
    )
    count, oldest = result.one()
    return int(count), oldest


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
    assert person.id is not None
    wrong, oldest = await _wrong_codes(ctx, person.id)
    if wrong >= MAX_WRONG_CODES and oldest is not None:
        raise Conflict(
            N_(
                "Too many wrong codes. Please wait until {time} and try again, or scan the QR "
                "code at the entrance."
            ),
            time=oldest + WRONG_CODE_PERIOD,
        )
    result = await ctx.session.exec(
        select(CheckinConfig, ModelSession)
        .join(ModelSession, col(ModelSession.id) == CheckinConfig.session_id)
        .where(CheckinConfig.code == code)
    )
    found = list(result.all())
    if not found:
        await _remember_wrong_code(ctx, person.id, code)
        raise NotFound(
            N_(
                "No session has the check-in code {code}. Please check the code shown at the "
                "entrance ({left} tries left)."
            ),
            code=code,
            left=max(MAX_WRONG_CODES - wrong - 1, 0),
        )
    if len(found) == 1:
        return found[0]
    # An old session may have had the same code: prefer a live window, then the nearest start.
    now = ctx.clock.now()

    def rank(pair: tuple[CheckinConfig, ModelSession]) -> tuple[int, float]:
        config, session = pair
        distance = abs((session.starts_at - now).total_seconds()) if session.starts_at else 1e12
        return (0 if _is_live(session, config, now) else 1, distance)

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
        if not _TOKEN.match(token):
            raise NotFound(_BAD_LINK)
        result = await ctx.session.exec(
            select(CheckinConfig, ModelSession)
            .join(ModelSession, col(ModelSession.id) == CheckinConfig.session_id)
            .where(CheckinConfig.token == token)
        )
        pair = result.first()
        if pair is None:
            raise NotFound(_BAD_LINK)
        config, session = pair
        method = CheckinMethod(via or "qr")
    else:
        assert code is not None
        typed = re.sub(r"\s+", "", code)
        if not _CODE.match(typed):
            raise InvalidInput(
                N_("The check-in code has 6 digits. Please type it like this: /diemdanh 123456.")
            )
        config, session = await _by_code(ctx, person, typed)
        method = CheckinMethod(via or "code")
    return await _check_in(ctx, person, session, config, method)


async def manual_check_in(
    ctx: Ctx, actor: Person, session_id: int, person_id: int, *, late: bool | None = None
) -> Outcome[CheckedIn]:
    """An organiser records a person as present (method manual), from the opening of the
    window on, also after it closed (corrections). Someone not invited is recorded as a guest
    (with a warning). `late` None: decided by the clock, as for a self check-in."""
    session = await get_session(ctx, session_id)
    await require_organiser(ctx, actor, session.host_unit_id)
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(N_("This session has been cancelled, so there is no check-in."))
    if session.starts_at is None:
        raise Conflict(
            N_("This session has no day and time yet, so check-in cannot be opened for it.")
        )
    person = await ctx.session.get(Person, person_id)
    if person is None:
        raise NotFound(N_("That person is no longer on the bot."))
    existing = await _existing(ctx, session_id, person_id)
    if existing is not None:
        return Outcome(CheckedIn(existing, session, already=True))
    window = window_of(session, await config_for(ctx, session_id))
    now = ctx.clock.now()
    if now < window.opens_at:
        raise Conflict(
            N_("Check-in for this session opens at {opens_at}. Please check in then."),
            opens_at=window.opens_at,
        )
    guest = not await _is_invited(ctx, session_id, person_id)
    done = await _record(
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
