"""What plans are checked against: example inputs, limits, the roles that host and oversee, and
reading days and times against the clock."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from core.i18n import N_, Msgid
from services.context import Ctx
from services.errors import InvalidInput
from services.vn_datetime import VN_TZ, DateParseError, ExactTime, MonthOnly, parse_when

# Examples shown in error messages: what a user would type (always Vietnamese style).
EXAMPLE_TIME = "28/3 lúc 8h"
EXAMPLE_DAY = "30/6"
EXAMPLE_MONTH = "tháng 5"

MAX_LEGAL_BASES = 30
MAX_LEGAL_BASIS_LENGTH = 1000
PLAN_NUMBER = re.compile(r"^\d{1,5}-\S{1,44}$")
NUMBER_SPACES = re.compile(r"\s*([-/])\s*")


_PARSE_ERRORS: dict[str, Msgid] = {
    "empty": N_("Please type a date, for example: {example}."),
    "too_long": N_(
        "That is too long for a date. Please type just the date, for example: {example}."
    ),
    "unrecognised": N_("I could not read that date. Please type it like this: {example}."),
    "ambiguous": N_(
        "That date can be read in more than one way. Please type it like this: {example}."
    ),
    "invalid_date": N_(
        "That date does not exist. Please check the day and month, for example: {example}."
    ),
    "in_past": N_("That date has already passed. Please give a later one, for example: {example}."),
    "missing_time": N_("Please add the time of day, for example: {example}."),
    "missing_date": N_("Please add the day, for example: {example}."),
}


# --------------------------------------------------------------------------- dates


def parse_when_text(
    ctx: Ctx, text: str, *, require_time: bool = True, allow_past: bool = False
) -> ExactTime | MonthOnly:
    """`parse_when` against the context's clock; errors become `InvalidInput`."""
    try:
        return parse_when(text, ctx.clock.now(), allow_past=allow_past, require_time=require_time)
    except DateParseError as exc:
        example = EXAMPLE_TIME if require_time else EXAMPLE_DAY
        raise InvalidInput(_PARSE_ERRORS[exc.code], example=example) from exc


def parse_day(ctx: Ctx, value: date | str, *, allow_past: bool = False) -> date:
    """A calendar day (local), from a `date` or typed text such as "30/6" or "30/6/2025"."""
    if isinstance(value, datetime):
        return value.astimezone(VN_TZ).date()
    if isinstance(value, date):
        return value
    parsed = parse_when_text(ctx, value, require_time=False, allow_past=allow_past)
    if isinstance(parsed, MonthOnly):
        raise InvalidInput(N_("Please add the day, for example: {example}."), example=EXAMPLE_DAY)
    return parsed.starts_at.astimezone(VN_TZ).date()


def local_today(ctx: Ctx) -> date:
    return ctx.clock.now().astimezone(VN_TZ).date()


def month_start_utc(year: int, month: int) -> datetime:
    """The first instant of a local month, in UTC."""
    return datetime(year, month, 1, tzinfo=VN_TZ).astimezone(UTC)
