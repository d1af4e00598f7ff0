"""When check-in is possible and what a check-in returns; the QR link's payload."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.i18n import N_
from storage.models import CheckIn, CheckinConfig, ModelSession, SessionStatus

DEFAULT_OPENS_BEFORE = 30  # minutes before the start
DEFAULT_CLOSES_AFTER = 60  # minutes after the start
DEFAULT_LATE_AFTER = 15  # minutes after the start
MAX_WINDOW_MINUTES = 24 * 60
MAX_WRONG_CODES = 5
WRONG_CODE_PERIOD = timedelta(minutes=10)
CODE_DIGITS = 6
DEEP_LINK_PREFIX = "ci_"
CODE_PATTERN = re.compile(r"^\d{6}$")
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

CANCELLED = N_("This session has been cancelled, so there is no check-in.")
NO_TIME = N_("This session has no day and time yet, so check-in cannot be opened for it.")
NOT_YET = N_("Check-in for this session opens at {opens_at}. Please check in then.")


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


def is_live(session: ModelSession, config: CheckinConfig, now: datetime) -> bool:
    """Whether the session's window is open or still to come (its code is in use)."""
    if session.status == SessionStatus.CANCELLED:
        return False
    if session.starts_at is None:
        return True
    return window_of(session, config).closes_at >= now


def deep_link_payload(config: CheckinConfig) -> str:
    """The `start` parameter of the QR deep link: t.me/<bot>?start=<payload>."""
    return DEEP_LINK_PREFIX + config.token


def token_from_payload(payload: str | None) -> str | None:
    """The token of a `/start ci_<token>` payload, or None when it is not a check-in link."""
    if payload and payload.startswith(DEEP_LINK_PREFIX):
        return payload[len(DEEP_LINK_PREFIX) :]
    return None
