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

A whole hall checks in within minutes, so a check-in is four statements after the handler's
one lookup of the person: the config with its session and host unit (by token, or by code
together with the person's recent wrong codes), whether the person has checked in or was
invited (one query), the insert, and the feedback request planned in the same transaction.

The parts: `window` (times and links), `config` (organisers open and set up check-in),
`arrival` (people check themselves in), `record` (the insert and what follows from it),
`organisers` (manual check-in and the sessions whose roll one may read).
"""

from services.checkin.arrival import check_in
from services.checkin.config import config_for, configure_checkin, open_checkin
from services.checkin.organisers import manual_check_in, roll_sessions
from services.checkin.window import (
    CODE_DIGITS,
    DEEP_LINK_PREFIX,
    DEFAULT_CLOSES_AFTER,
    DEFAULT_LATE_AFTER,
    DEFAULT_OPENS_BEFORE,
    MAX_WINDOW_MINUTES,
    MAX_WRONG_CODES,
    WRONG_CODE_PERIOD,
    CheckedIn,
    Window,
    deep_link_payload,
    token_from_payload,
    window_of,
)

__all__ = [
    "CODE_DIGITS",
    "DEEP_LINK_PREFIX",
    "DEFAULT_CLOSES_AFTER",
    "DEFAULT_LATE_AFTER",
    "DEFAULT_OPENS_BEFORE",
    "MAX_WINDOW_MINUTES",
    "MAX_WRONG_CODES",
    "WRONG_CODE_PERIOD",
    "CheckedIn",
    "Window",
    "check_in",
    "config_for",
    "configure_checkin",
    "deep_link_payload",
    "manual_check_in",
    "open_checkin",
    "roll_sessions",
    "token_from_payload",
    "window_of",
]
