"""Reading and checking what people type about a session: the time, duration, topic, place and
reasons."""

from __future__ import annotations

from datetime import UTC, datetime

from core.i18n import N_
from services.context import Ctx
from services.errors import InvalidInput
from services.plans import (
    EXAMPLE_MONTH,
    EXAMPLE_TIME,
    local_today,
    parse_when_text,
)
from services.validation import check_label, clean_text
from services.vn_datetime import ExactTime, MonthOnly
from storage.models import (
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


def check_place(value: str | None, max_length: int, what: str) -> str:
    text = clean_text(value)
    return check_label(text, max_length=max_length, what=what) if text else ""


def check_location(location: tuple[float, float] | None) -> tuple[float | None, float | None]:
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


def when_value(value: datetime | MonthOnly | None) -> str | None:
    """How times are written into the change history."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, MonthOnly):
        return f"{value.year:04d}-{value.month:02d}"
    return None


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


def check_typed_reason(reason: str | None) -> str:
    """A reason typed in a chat: a blank one is refused (the chat offers “No reason” as a
    button), as is one too long."""
    text = _check_reason(reason)
    if text is None:
        raise InvalidInput(
            N_("The reason is empty. Please type the reason for the change, or tap “No reason”.")
        )
    return text
