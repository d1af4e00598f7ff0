"""/lich (/schedule): everyone's upcoming model sessions, a session's card, and what its
officers can do from the card: reschedule, firm up a tentative month, cancel, read the history.

The list and the card are stateless buttons (`ss:<id>` opens a card, also from /kehoach;
`sh:<id>` its history); only typing a new time or a reason is a conversation step. Every press
is re-checked by services.sessions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.i18n import N_, Lang, Msgid
from handlers import deliver, flow, router
from handlers.common import Context, Who, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.flow import drop, enter, fallbacks, flow_gone, give_up, stale_button
from handlers.invitations import session_buttons
from handlers.pickers import cancel_button, one_id
from services import appraisal, plans, roles, sessions
from services.context import Ctx
from services.errors import InvalidInput, ServiceError
from services.notifications import Advice, Outcome, render
from services.units import get_unit
from services.vn_datetime import (
    MonthOnly,
    example_inputs,
    format_datetime_long,
    format_datetime_short,
    format_month,
)
from storage.models import (
    ContentStatus,
    ModelSession,
    Person,
    Role,
    SessionChangeKind,
    SessionKind,
    SessionStatus,
    Unit,
)

SESSION_KIND_LABELS: dict[SessionKind, Msgid] = {
    SessionKind.THUONG_KY: N_("Regular session"),
    SessionKind.CHUYEN_DE: N_("Thematic session"),
    SessionKind.HOI_THAO: N_("Workshop"),
}
SESSION_STATUS_LABELS: dict[SessionStatus, Msgid] = {
    SessionStatus.TENTATIVE: N_("tentative (the day is not fixed yet)"),
    SessionStatus.SCHEDULED: N_("scheduled"),
    SessionStatus.HELD: N_("held"),
    SessionStatus.CANCELLED: N_("cancelled"),
}
CONTENT_STATUS_LABELS: dict[ContentStatus, Msgid] = {
    ContentStatus.NONE: N_("not sent yet"),
    ContentStatus.SUBMITTED: N_("sent, waiting for review"),
    ContentStatus.RETURNED: N_("returned for changes"),
    ContentStatus.APPROVED: N_("approved"),
}
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

LIST_LIMIT = 10
MOVE_WHEN, MOVE_REASON, FIRM_WHEN, CANCEL_REASON = range(4)
_DATA = "schedule_flow"


# --------------------------------------------------------------------------- shared rendering


def kind_label(lang: Lang, kind: SessionKind | str) -> str:
    return lang.t(SESSION_KIND_LABELS[SessionKind(kind)])


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


def advice_lines(lang: Lang, warnings: list[Advice]) -> list[str]:
    return ["⚠️ " + render(lang, w.msgid, w.params) for w in warnings]


def examples_line(lang: Lang) -> str:
    return lang.t("Examples: {examples}", examples="; ".join(example_inputs()))


# --------------------------------------------------------------------------- /lich


async def show_schedule(update: Update, context: Context) -> None:
    await answer_button(update)
    tz = deps(context).settings.tz
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        if me.person is None or not me.registered:
            await say(
                update,
                me.lang.t(
                    "You are not registered yet. Please open the invite link from your organisers."
                ),
            )
            return
        found = await sessions.upcoming_for(ctx, me.person, limit=LIST_LIMIT)
        hosts = {s.host_unit_id: (await get_unit(ctx, s.host_unit_id)).name for s in found}
    lang = me.lang
    if not found:
        await say(update, lang.t("You have no upcoming model sessions."))
        return
    lines = [lang.t("Upcoming model sessions:")]
    buttons = []
    for n, session in enumerate(found, start=1):
        when = when_label(lang, sessions.when_of(session), tz)
        what = kind_label(lang, session.kind)
        if session.topic:
            what += f" “{session.topic}”"
        lines.append(f"{n}. {when}\n    {what} — {hosts[session.host_unit_id]}")
        label = f"{n}. {short_when(lang, session, tz)} · {hosts[session.host_unit_id]}"
        buttons.append([InlineKeyboardButton(label[:60], callback_data=f"ss:{session.id}")])
    lines += ["", lang.t("Tap a session to see its details.")]
    await say(update, "\n".join(lines), markup=InlineKeyboardMarkup(buttons))


# --------------------------------------------------------------------------- the card


async def show_card(update: Update, context: Context, session_id: int | None = None) -> None:
    if session_id is None:
        session_id = one_id(update, "ss")
        await answer_button(update)
        if session_id is None:
            return
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            session = await sessions.get_visible_session(ctx, me.person, session_id)
            plan = await plans.get_plan(ctx, session.plan_id)
            host = await get_unit(ctx, session.host_unit_id)
            can_change = await sessions.can_change_session(ctx, me.person, session)
            organises = await roles.can_manage(ctx, me.person, session.host_unit_id)
            try:
                await appraisal.check_can_submit(ctx, me.person, session.id)  # type: ignore[arg-type]
                can_submit = True
            except ServiceError:
                can_submit = False
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    lines = detail_lines(
        lang,
        tz,
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
    rows = []
    if can_change:
        row = [InlineKeyboardButton(lang.t("🕘 Reschedule"), callback_data=f"sm:{session.id}")]
        if status == SessionStatus.TENTATIVE:
            row.append(
                InlineKeyboardButton(lang.t("📌 Fix the day"), callback_data=f"sf:{session.id}")
            )
        rows.append(row)
        rows.append(
            [
                InlineKeyboardButton(
                    lang.t("🚫 Cancel the session"), callback_data=f"sk:{session.id}"
                )
            ]
        )
    if can_submit:
        rows.append(
            [
                InlineKeyboardButton(
                    lang.t("📎 Submit content"), callback_data=f"ap:submit:{session.id}"
                )
            ]
        )
    if organises and status in (SessionStatus.SCHEDULED, SessionStatus.TENTATIVE):
        rows += session_buttons(lang, session.id)  # type: ignore[arg-type]
    rows.append([InlineKeyboardButton(lang.t("📜 History"), callback_data=f"sh:{session.id}")])
    await say(update, "\n".join(lines), markup=InlineKeyboardMarkup(rows))


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
    elif kind == SessionChangeKind.CANCELLED:
        text = lang.t("{by} cancelled the session.", by=by)
    else:
        text = lang.t("{by} marked the session as held.", by=by)
    if change.reason:
        text += " " + lang.t("Reason: {reason}", reason=change.reason)
    return f"• {at} — {text}"


async def show_history(update: Update, context: Context) -> None:
    session_id = one_id(update, "sh")
    await answer_button(update)
    if session_id is None:
        return
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            entries = await sessions.history_for(ctx, me.person, session_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    lines = [lang.t("History of the session:")] + [_history_line(lang, tz, e) for e in entries]
    back = InlineKeyboardButton(lang.t("↩ Back to the session"), callback_data=f"ss:{session_id}")
    await say(update, "\n".join(lines), markup=InlineKeyboardMarkup([[back]]))


# --------------------------------------------------------------------------- changes (typed)

_ACTIONS = {"sm": "move", "sf": "firm", "sk": "cancel"}


async def begin_change(update: Update, context: Context) -> int:
    """`sm:<id>` reschedule, `sf:<id>` firm up, `sk:<id>` cancel: check, then ask."""
    query = update.callback_query
    prefix = (query.data or "").split(":", 1)[0] if query else ""
    session_id = one_id(update, prefix)
    if prefix not in _ACTIONS or session_id is None:
        await stale_button(update, context)
        return ConversationHandler.END
    await answer_button(update)
    action = _ACTIONS[prefix]
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            session = await sessions.require_can_change(
                ctx, me.person, session_id, firm_up=action == "firm"
            )
            host = await get_unit(ctx, session.host_unit_id)
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    flow.drop_all(context)  # one typed step at a time
    context.user_data[_DATA] = {"session": session_id, "action": action}  # type: ignore[index]
    lang = me.lang
    head = lang.t(
        "{kind} of “{host}”, {when}.",
        kind=kind_label(lang, session.kind),
        host=host.name,
        when=when_label(lang, sessions.when_of(session), tz),
    )
    if action == "move":
        ask = lang.t("Type the new day and time, for example: 28/3 8h or 8h30 ngày mai.")
        if session.status == SessionStatus.TENTATIVE:
            ask += "\n" + lang.t(
                "To move it to another month only, type the month, for example: dự kiến tháng 5."
            )
        state = MOVE_WHEN
    elif action == "firm":
        ask = lang.t(
            "Type the day and time in {month}/{year}, for example: 15/{month} 8h.",
            month=session.tentative_month,
            year=session.tentative_year,
        )
        state = FIRM_WHEN
    else:
        ask = lang.t(
            "Why is the session cancelled? Everyone invited will read the reason. "
            "Type it, for example: Trùng lịch họp của Đảng ủy."
        )
        state = CANCEL_REASON
    stop = InlineKeyboardMarkup([[cancel_button(lang)]])
    await say(update, head + "\n" + ask + "\n" + lang.t("Type /huy to stop."), markup=stop)
    return state


def _data(context: Context) -> dict[str, Any] | None:
    data = context.user_data.get(_DATA) if context.user_data is not None else None
    return data if isinstance(data, dict) and "session" in data else None


def _text(update: Update) -> str:
    return (update.effective_message.text if update.effective_message else None) or ""


async def move_when_typed(update: Update, context: Context) -> int | None:
    data = _data(context)
    if data is None or data.get("action") != "move":
        return await flow_gone(update, context)
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            moment = await sessions.check_reschedule(ctx, me.person, data["session"], _text(update))
    except ServiceError as exc:
        lang = await lang_only(update, context)
        if isinstance(exc, InvalidInput):
            await say(update, error_text(lang, exc) + "\n" + examples_line(lang))
            return None
        drop(context, _DATA)  # the session can no longer change (or not by this person)
        await say(update, error_text(lang, exc))
        return ConversationHandler.END
    if isinstance(moment, MonthOnly):
        data["when"] = f"{moment.year:04d}-{moment.month:02d}"
        shown = month_label(me.lang, moment.year, moment.month)
    else:
        data["when"] = moment.starts_at.isoformat()
        shown = format_datetime_long(moment.starts_at, me.lang.locale, deps(context).settings.tz)
    lang = me.lang
    skip = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(lang.t("No reason"), callback_data=f"sq:{data['session']}")],
            [cancel_button(lang)],
        ]
    )
    await say(
        update,
        lang.t("New time: {when}.", when=shown)
        + "\n"
        + lang.t(
            "Type the reason for the change (everyone told will read it), or tap “No reason”."
        ),
        markup=skip,
    )
    return MOVE_REASON


def _decode_when(value: str) -> datetime | MonthOnly:
    if len(value) == 7:
        year, month = value.split("-")
        return MonthOnly(int(year), int(month))
    return datetime.fromisoformat(value)


async def move_reason_typed(update: Update, context: Context) -> int | None:
    data = _data(context)
    if data is None or data.get("action") != "move" or "when" not in data:
        return await flow_gone(update, context)
    try:
        reason = sessions.check_reason(_text(update))
    except ServiceError as exc:
        lang = await lang_only(update, context)
        await say(update, error_text(lang, exc) + "\n" + lang.t("Please type it again, or /huy."))
        return None
    return await _reschedule(update, context, data, reason)


async def move_no_reason(update: Update, context: Context) -> int | None:
    data = _data(context)
    session_id = one_id(update, "sq")
    if data is None or "when" not in data or session_id != data["session"]:
        await stale_button(update, context)
        return None if data else ConversationHandler.END
    await answer_button(update)
    return await _reschedule(update, context, data, None)


async def _reschedule(
    update: Update, context: Context, data: dict[str, Any], reason: str | None
) -> int | None:
    try:
        me, outcome, host = await _change(
            update,
            context,
            data["session"],
            lambda ctx, person: sessions.reschedule_session(
                ctx, person, data["session"], _decode_when(data["when"]), reason=reason
            ),
        )
    except InvalidInput as exc:
        lang = await lang_only(update, context)
        data.pop("when", None)
        await say(
            update,
            error_text(lang, exc) + "\n" + lang.t("Please type the new day and time again."),
        )
        return MOVE_WHEN
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    await _done(
        update,
        context,
        me.lang.t(
            "Rescheduled: the {kind} of “{host}” is now {when}.",
            **_about(me.lang, outcome.value, host, context),
        ),
        outcome.value,
        outcome.notices,
        outcome.warnings,
    )
    return ConversationHandler.END


async def _change(
    update: Update,
    context: Context,
    session_id: int,
    change: Callable[[Ctx, Person], Awaitable[Outcome[ModelSession]]],
) -> tuple[Who, Outcome[ModelSession], Unit]:
    """One unit of work: `change` the session and queue its notices (ServiceError: rolled back)."""
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        outcome = await change(ctx, me.person)  # type: ignore[arg-type]
        await deliver.queue(
            ctx,
            outcome.notices,
            kind="session_changed",
            subject_type="session",
            subject_id=session_id,
        )
        host = await get_unit(ctx, outcome.value.host_unit_id)
    deliver.send_soon(context.application)
    return me, outcome, host


def _about(lang: Lang, session: ModelSession, host: Unit, context: Context) -> dict[str, str]:
    """`kind`, `host` and `when` of a changed session, for the confirmation."""
    return {
        "kind": kind_label(lang, session.kind),
        "host": host.name,
        "when": when_label(lang, sessions.when_of(session), deps(context).settings.tz),
    }


async def _done(
    update: Update,
    context: Context,
    text: str,
    session: ModelSession,
    notices: list[Any],
    warnings: list[Advice],
) -> None:
    drop(context, _DATA)
    lang = await lang_only(update, context)
    lines = [text]
    if notices:
        lines.append(
            lang.nt(
                "{n} person concerned will be told.",
                "{n} people concerned will be told.",
                len({n.person_id for n in notices}),
            )
        )
    lines += advice_lines(lang, warnings)
    view = InlineKeyboardButton(lang.t("📋 View the session"), callback_data=f"ss:{session.id}")
    await say(update, "\n".join(lines), markup=InlineKeyboardMarkup([[view]]))


async def firm_when_typed(update: Update, context: Context) -> int | None:
    data = _data(context)
    if data is None or data.get("action") != "firm":
        return await flow_gone(update, context)
    try:
        me, outcome, host = await _change(
            update,
            context,
            data["session"],
            lambda ctx, person: sessions.firm_up_session(
                ctx, person, data["session"], _text(update)
            ),
        )
    except InvalidInput as exc:
        lang = await lang_only(update, context)
        await say(update, error_text(lang, exc) + "\n" + lang.t("Please type it again, or /huy."))
        return None
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    await _done(
        update,
        context,
        me.lang.t(
            "The day is fixed: the {kind} of “{host}” is {when}.",
            **_about(me.lang, outcome.value, host, context),
        ),
        outcome.value,
        outcome.notices,
        outcome.warnings,
    )
    return ConversationHandler.END


async def cancel_reason_typed(update: Update, context: Context) -> int | None:
    data = _data(context)
    if data is None or data.get("action") != "cancel":
        return await flow_gone(update, context)
    try:
        me, outcome, host = await _change(
            update,
            context,
            data["session"],
            lambda ctx, person: sessions.cancel_session(
                ctx, person, data["session"], _text(update)
            ),
        )
    except InvalidInput as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return None
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    await _done(
        update,
        context,
        me.lang.t(
            "Cancelled: the {kind} of “{host}” ({when}).",
            **_about(me.lang, outcome.value, host, context),
        ),
        outcome.value,
        outcome.notices,
        [],
    )
    return ConversationHandler.END


_CONVERSATION: ConversationHandler | None = None  # type: ignore[type-arg]


ACTION = router.add(
    router.Action(
        key="schedule",
        label=N_("📅 Session schedule"),
        description=N_("Upcoming model sessions of your units"),
        commands=("lich", "schedule"),
        callback=show_schedule,
        roles=frozenset(Role),
        menu_row=0,
    )
)
router.button(r"^ss:\d+$", show_card)
router.button(r"^sh:\d+$", show_history)
router.button(r"^s[mfk]:\d+$", enter(lambda: _CONVERSATION, stale_button))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    text = filters.TEXT & ~filters.COMMAND & ~router.menu_filter()
    _CONVERSATION = ConversationHandler(
        name="session_changes",
        persistent=True,
        entry_points=[CallbackQueryHandler(begin_change, pattern=r"^s[mfk]:\d+$")],
        states={
            MOVE_WHEN: [MessageHandler(text, move_when_typed)],
            MOVE_REASON: [
                MessageHandler(text, move_reason_typed),
                CallbackQueryHandler(move_no_reason, pattern=r"^sq:\d+$"),
            ],
            FIRM_WHEN: [MessageHandler(text, firm_when_typed)],
            CANCEL_REASON: [MessageHandler(text, cancel_reason_typed)],
        },
        fallbacks=fallbacks(_DATA),
        allow_reentry=True,
    )
    return [_CONVERSATION]
