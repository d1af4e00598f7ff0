"""/lich: the upcoming sessions, a session's card with what its officers and organisers may do
from it, and its history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.i18n import N_, Lang, Msgid
from handlers.appraisal.actions import SubmitContent
from handlers.schedule.actions import (
    CancelSession,
    EditDetails,
    FirmUp,
    MarkHeld,
    MarkNotHeld,
    OpenSessionCard,
    Reschedule,
    ShowHistory,
)
from handlers.schedule.words import detail_lines, kind_label, short_when, when_label
from handlers.session_header import session_choices
from handlers.step import Turn, step
from services import plans, sessions
from services.labels import CONTENT_STATUS_LABELS, SESSION_STATUS_LABELS
from services.session_actions import card_actions
from services.units import get_unit
from services.vn_datetime import format_datetime_long, format_datetime_short, format_month
from storage.models import ContentStatus, SessionChangeKind, SessionStatus
from ui.common import short_label
from ui.screen import Choice, Screen, column

LIST_LIMIT = 10
# What the history calls each field a change touched.
FIELD_LABELS: dict[str, Msgid] = {
    "topic": N_("topic"),
    "duration_minutes": N_("duration (minutes)"),
    "venue": N_("venue"),
    "address": N_("address"),
    "latitude": N_("map location"),
    "longitude": N_("map location"),
    "starts_at": N_("time"),
}


@step
async def show_schedule(turn: Turn) -> None:
    me, lang, tz = turn.me, turn.lang, turn.settings.tz
    if me.person is None or not me.registered:
        turn.say(
            lang.t("You are not registered yet. Please open the invite link from your organisers.")
        )
        return
    found = await sessions.upcoming_for(turn.ctx, me.person, limit=LIST_LIMIT)
    if not found:
        turn.say(lang.t("You have no upcoming model sessions."))
        return
    lines = [lang.t("Upcoming model sessions:")]
    choices = []
    for n, session in enumerate(found, start=1):
        host = (await get_unit(turn.ctx, session.host_unit_id)).name
        what = kind_label(lang, session.kind)
        if session.topic:
            what += f" “{session.topic}”"
        lines.append(f"{n}. {when_label(lang, sessions.when_of(session), tz)}\n    {what} — {host}")
        label = f"{n}. {short_when(lang, session, tz)} · {host}"
        choices.append(Choice(short_label(label), OpenSessionCard(session.id)))  # type: ignore[arg-type]
    lines += ["", lang.t("Tap a session to see its details.")]
    turn.show(Screen.of("\n".join(lines), rows=column(choices)))


@step(action=OpenSessionCard)
async def show_card(turn: Turn, pressed: OpenSessionCard) -> None:
    me, lang = turn.me, turn.lang
    session = await sessions.get_visible_session(turn.ctx, me.person, pressed.session_id)
    session_id = pressed.session_id
    plan = await plans.get_plan(turn.ctx, session.plan_id)
    host = await get_unit(turn.ctx, session.host_unit_id)
    allowed = await card_actions(turn.ctx, me.person, session)
    lines = detail_lines(
        lang,
        turn.settings.tz,
        plan=plan.number,
        kind=session.kind,
        topic=session.topic,
        host=host.name,
        when=sessions.when_of(session),
        duration=session.duration_minutes,
        venue=session.venue,
        address=session.address,
    )
    status = SessionStatus(session.status)
    lines.append(lang.t("Status: {status}", status=lang.t(SESSION_STATUS_LABELS[status])))
    if status == SessionStatus.CANCELLED and session.cancel_reason:
        lines.append(lang.t("Reason for cancelling: {reason}", reason=session.cancel_reason))
    content = lang.t(CONTENT_STATUS_LABELS[ContentStatus(session.content_status)])
    lines.append(lang.t("Content: {content}", content=content))
    rows: list[list[Choice]] = []
    if allowed.change:
        row = [Choice(lang.t("🕘 Reschedule"), Reschedule(session_id))]
        if allowed.firm_up:
            row.append(Choice(lang.t("📌 Fix the day"), FirmUp(session_id)))
        rows.append(row)
        rows.append([Choice(lang.t("🚫 Cancel the session"), CancelSession(session_id))])
    if allowed.edit_details:
        rows.append([Choice(lang.t("✏️ Venue, address, duration, topic"), EditDetails(session_id))])
    held_row = []
    if allowed.mark_held:
        held_row.append(Choice(lang.t("✅ It was held"), MarkHeld(session_id)))
    if allowed.mark_not_held:
        held_row.append(Choice(lang.t("❌ It did not take place"), MarkNotHeld(session_id)))
    if held_row:
        rows.append(held_row)
    if allowed.submit_content:
        rows.append([Choice(lang.t("📎 Submit content"), SubmitContent(session_id))])
    if allowed.organise:
        rows += session_choices(lang, session_id)
    rows.append([Choice(lang.t("📜 History"), ShowHistory(session_id))])
    turn.show(Screen.of("\n".join(lines), rows=rows))


def _stored_when(value: str | None, lang: Lang, tz: Any) -> str:
    """How the history stored a time: ISO for a day and time, YYYY-MM for a month."""
    if not value:
        return "—"
    if len(value) == 7 and value[4] == "-":
        year, month = value.split("-")
        return format_month(int(year), int(month), lang.locale)
    try:
        return format_datetime_long(datetime.fromisoformat(value), lang.locale, tz)
    except ValueError:
        return value


def _history_line(lang: Lang, tz: Any, entry: sessions.HistoryEntry) -> str:
    change = entry.change
    at = format_datetime_short(change.at, lang.locale, tz)
    by = entry.by_name or lang.t("someone")
    kind = SessionChangeKind(change.kind)
    if kind == SessionChangeKind.CREATED:
        text = lang.t(
            "{by} reported the session: {when}.",
            by=by,
            when=_stored_when(change.new_value, lang, tz),
        )
    elif kind == SessionChangeKind.RESCHEDULED:
        text = lang.t(
            "{by} moved it from {old} to {new}.",
            by=by,
            old=_stored_when(change.old_value, lang, tz),
            new=_stored_when(change.new_value, lang, tz),
        )
    elif kind == SessionChangeKind.FIRMED_UP:
        text = lang.t(
            "{by} fixed the day: {new}.", by=by, new=_stored_when(change.new_value, lang, tz)
        )
    elif kind == SessionChangeKind.EDITED:
        label = FIELD_LABELS.get(change.field or "")
        text = lang.t(
            "{by} changed the {field}: {old} → {new}.",
            by=by,
            field=lang.t(label) if label else change.field or "",
            old=change.old_value or "—",
            new=change.new_value or "—",
        )
    elif kind == SessionChangeKind.CANCELLED and change.field == "held":
        text = lang.t("{by} recorded that the session did not take place.", by=by)
    elif kind == SessionChangeKind.CANCELLED:
        text = lang.t("{by} cancelled the session.", by=by)
    elif change.by_id is None:
        text = lang.t("Held: it has ended and delegates checked in.")
    else:
        text = lang.t("{by} marked the session as held.", by=by)
    if change.reason:
        text += " " + lang.t("Reason: {reason}", reason=change.reason)
    return f"• {at} — {text}"


@step(action=ShowHistory)
async def show_history(turn: Turn, pressed: ShowHistory) -> None:
    lang, tz = turn.lang, turn.settings.tz
    entries = await sessions.history_for(turn.ctx, turn.me.person, pressed.session_id)
    lines = [lang.t("History of the session:")] + [_history_line(lang, tz, e) for e in entries]
    back = Choice(lang.t("↩ Back to the session"), OpenSessionCard(pressed.session_id))
    turn.show(Screen.of("\n".join(lines), rows=[[back]]))
