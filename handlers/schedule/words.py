"""How sessions read on the card, the report summary and the confirmations: kinds, times and
the detail lines the session card and the /dangky summary share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from core.i18n import Lang
from handlers.plans.actions import OpenSessionCard
from services.labels import SESSION_KIND_TITLES
from services.notifications import Advice, Notice, render
from services.vn_datetime import (
    MonthOnly,
    example_inputs,
    format_datetime_long,
    format_datetime_short,
)
from storage.models import ModelSession, SessionKind
from ui.screen import Choice


def kind_label(lang: Lang, kind: SessionKind | str) -> str:
    return lang.t(SESSION_KIND_TITLES[SessionKind(kind)])


def month_label(lang: Lang, year: int, month: int) -> str:
    return lang.t("expected in {month}/{year}", month=month, year=year)


def when_label(lang: Lang, value: datetime | MonthOnly | None, tz: Any) -> str:
    """Administrative style for a day and time, "expected in 5/2025" for a month."""
    if isinstance(value, datetime):
        return format_datetime_long(value, lang.locale, tz)
    if isinstance(value, MonthOnly):
        return month_label(lang, value.year, value.month)
    return lang.t("no date yet")


def short_when(lang: Lang, session: ModelSession, tz: Any) -> str:
    if session.starts_at is not None:
        return format_datetime_short(session.starts_at, lang.locale, tz)
    if session.tentative_year and session.tentative_month:
        return lang.t(
            "month {month}/{year}", month=session.tentative_month, year=session.tentative_year
        )
    return "—"


def detail_lines(
    lang: Lang,
    tz: Any,
    *,
    plan: str,
    kind: SessionKind | str | None,
    topic: str | None,
    host: str,
    when: datetime | MonthOnly | None,
    duration: int | None,
    venue: str | None,
    address: str | None,
) -> list[str]:
    """The lines a session card and the report summary share."""
    lines = [
        lang.t("Plan: {plan}", plan=plan),
        lang.t("Kind: {kind}", kind=kind_label(lang, kind) if kind else "—"),
    ]
    if topic:
        lines.append(lang.t("Topic: {topic}", topic=topic))
    lines += [
        lang.t("Host: {host}", host=host),
        lang.t("Time: {when}", when=when_label(lang, when, tz)),
        lang.t("Duration: {minutes} minutes", minutes=duration) if duration else "",
        lang.t("Venue: {venue}", venue=venue or "—"),
        lang.t("Address: {address}", address=address or "—"),
    ]
    return [line for line in lines if line]


def advice_lines(lang: Lang, warnings: Sequence[Advice]) -> list[str]:
    return ["⚠️ " + render(lang, w.msgid, w.params) for w in warnings]


def examples_line(lang: Lang) -> str:
    return lang.t("Examples: {examples}", examples="; ".join(example_inputs()))


def outcome_lines(
    lang: Lang, done: str, notices: Sequence[Notice], warnings: Sequence[Advice]
) -> list[str]:
    """What a change did: the sentence, how many people will be told, what to look at again."""
    lines = [done]
    if notices:
        lines.append(
            lang.nt(
                "{n} person concerned will be told.",
                "{n} people concerned will be told.",
                len({n.person_id for n in notices}),
            )
        )
    return lines + advice_lines(lang, warnings)


def view_choice(lang: Lang, session_id: int) -> Choice:
    return Choice(lang.t("📋 View the session"), OpenSessionCard(session_id))
