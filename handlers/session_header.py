"""A session at the top of a screen ("sinh hoạt thường kỳ của “Chi bộ Khoa Toán”, 08 giờ 00…"),
and what organisers do with it: the actions of the session card that several flows offer
(participants, invitations, check-in, the roll)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal

from core.i18n import Lang
from services import plans, sessions
from services.context import Ctx
from services.plans import SESSION_KIND_LABELS
from services.units import get_unit
from services.vn_datetime import format_datetime_long, format_datetime_short, format_month
from storage.models import ModelSession, Person, Plan, SessionKind, Unit
from ui.actions import Action
from ui.screen import Choice


@dataclass(frozen=True, slots=True)
class ShowGroups(Action, prefix="pc"):
    """👥 the session's participant groups."""

    session_id: int


@dataclass(frozen=True, slots=True)
class PreviewInvitations(Action, prefix="inv:prev"):
    """✉️ who would be invited, before sending."""

    session_id: int


@dataclass(frozen=True, slots=True)
class ShowQr(Action, prefix="ck"):
    """📷 open the check-in and show its QR code."""

    session_id: int


@dataclass(frozen=True, slots=True)
class OpenRoll(Action, prefix="roll"):
    """📋 the roll, as a new message."""

    session_id: int


def session_choices(lang: Lang, session_id: int) -> list[list[Choice]]:
    """What organisers do with a session (the invitations panel and the session card)."""
    return [
        [
            Choice(lang.t("👥 Participants"), ShowGroups(session_id)),
            Choice(lang.t("✉️ Send invitations"), PreviewInvitations(session_id)),
        ],
        [
            Choice(lang.t("📷 Check-in"), ShowQr(session_id)),
            Choice(lang.t("📋 Roll"), OpenRoll(session_id)),
        ],
    ]


def number(lang: Lang, n: int) -> str:
    """1200 → "1.200" in Vietnamese, "1,200" in English."""
    return str(format_decimal(n, locale=lang.locale))


def when_text(lang: Lang, session: ModelSession, tz: Any) -> str:
    if session.starts_at is not None:
        return format_datetime_long(session.starts_at, lang.locale, tz)
    if session.tentative_year and session.tentative_month:
        return format_month(session.tentative_year, session.tentative_month, lang.locale)
    return lang.t("no day fixed yet")


def session_title(lang: Lang, session: ModelSession, host: str, tz: Any) -> str:
    """ "sinh hoạt thường kỳ của “Chi bộ Khoa Toán”, 08 giờ 00, thứ Hai, ngày 20 tháng 1…"."""
    return lang.t(
        "{kind} of “{host}”, {when}",
        kind=SESSION_KIND_LABELS[SessionKind(session.kind)],
        host=host,
        when=when_text(lang, session, tz),
    )


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def short_title(lang: Lang, session: ModelSession, host: str) -> str:
    """For a button: "08:00 20/01/2025 · Chi bộ Khoa Toán"."""
    if session.starts_at is not None:
        when = format_datetime_short(session.starts_at, lang.locale)
    elif session.tentative_year and session.tentative_month:
        when = f"{session.tentative_month}/{session.tentative_year}"
    else:
        when = "—"
    return f"{when} · {host}"


async def load_session(
    ctx: Ctx, person: Person | None, session_id: int
) -> tuple[ModelSession, Plan, Unit]:
    """The session (if the person may see it), its plan and its host unit."""
    session = await sessions.get_visible_session(ctx, person, session_id)
    plan = await plans.get_plan(ctx, session.plan_id)
    host = await get_unit(ctx, session.host_unit_id)
    return session, plan, host


async def titled_session(
    ctx: Ctx, session_id: int, lang: Lang, tz: Any
) -> tuple[ModelSession, str]:
    """The session and its title (for a caller that has checked the reader may see it)."""
    session = await sessions.get_session(ctx, session_id)
    host = await get_unit(ctx, session.host_unit_id)
    return session, session_title(lang, session, host.name, tz)
