"""/dangky (/report): secretaries, deputy secretaries and organisers report a model session.

Every finite choice is a button (plan, host unit, kind, duration, address "same as the venue",
the summary and its edits); the topic, the date and time, the venue and the address are typed.
The answers live in `context.user_data[_DATA]` together with the step being asked and a nonce
carried by every button of this run (`sr:<nonce>:<action>[:<arg>]`), so a button of another
run or of an earlier question gets a kind answer and changes nothing. Each answer is checked
by the services as it comes; nothing is written before ✅ Confirm, when
services.sessions.create_session checks everything again.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.i18n import N_, Lang, Msgid
from handlers import deliver, flow, router
from handlers.common import Context, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.flow import drop, enter, fallbacks, flow_gone, stale_button
from handlers.pickers import page_of, paged_keyboard
from handlers.schedule import (
    advice_lines,
    detail_lines,
    examples_line,
    kind_label,
    month_label,
    when_label,
)
from services import plans, sessions
from services.errors import Conflict, InvalidInput, ServiceError
from services.units import get_unit
from services.vn_datetime import MonthOnly, format_datetime_long
from storage.models import Role, SessionKind

_DATA = "report_flow"
PREFIX = "sr"
DURATIONS = (90, 120, 150, 180)

# Steps, in the order they are asked; the conversation state is the step's index.
STEPS = (
    "plan",
    "host",
    "kind",
    "topic",
    "when",
    "duration",
    "venue",
    "address",
    "confirm",
    "edit",
)
STATE = {step: n for n, step in enumerate(STEPS)}
FIELDS = STEPS[:8]
TEXT_STEPS = frozenset({"topic", "when", "venue", "address"})

FIELD_BUTTONS: dict[str, Msgid] = {
    "plan": N_("Plan"),
    "host": N_("Host unit"),
    "kind": N_("Kind"),
    "topic": N_("Topic"),
    "when": N_("Day and time"),
    "duration": N_("Duration"),
    "venue": N_("Venue"),
    "address": N_("Address"),
}
RETRY = N_("Please type it again, or /huy to stop.")


# --------------------------------------------------------------------------- the draft


def _draft(context: Context) -> dict[str, Any] | None:
    data = context.user_data.get(_DATA) if context.user_data is not None else None
    return data if isinstance(data, dict) and "n" in data else None


def _data(draft: dict[str, Any], action: str, *args: object) -> str:
    return ":".join([PREFIX, draft["n"], action, *(str(a) for a in args)])


def _needed(draft: dict[str, Any]) -> list[str]:
    wanted = list(FIELDS)
    if draft.get("kind") != SessionKind.CHUYEN_DE.value:
        wanted.remove("topic")
    return wanted


def _next_step(draft: dict[str, Any]) -> str:
    for field in _needed(draft):
        if draft.get(field) is None:
            return field
    return "confirm"


def _when_value(draft: dict[str, Any]) -> datetime | MonthOnly | None:
    value = draft.get("when")
    if not value:
        return None
    if len(value) == 7:
        year, month = value.split("-")
        return MonthOnly(int(year), int(month))
    return datetime.fromisoformat(value)


def _cancel_row(lang: Lang, draft: dict[str, Any]) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(lang.t("✖ Cancel"), callback_data=_data(draft, "x"))]


def _keep_row(lang: Lang, draft: dict[str, Any], step: str) -> list[list[InlineKeyboardButton]]:
    """While one detail is being changed from the summary: keep it as it was."""
    if draft.get("editing") != step:
        return []
    return [[InlineKeyboardButton(lang.t("↩ Keep as it was"), callback_data=_data(draft, "keep"))]]


def _paged(
    lang: Lang, draft: dict[str, Any], items: list[tuple[str, str]], action: str, page: int = 0
) -> InlineKeyboardMarkup:
    """A paged picker whose cancel button is this run's."""
    markup = paged_keyboard(lang, items, _data(draft, action), page)
    rows = [list(row) for row in markup.inline_keyboard][:-1]
    return InlineKeyboardMarkup(rows + _keep_row(lang, draft, action) + [_cancel_row(lang, draft)])


# --------------------------------------------------------------------------- asking


async def _plan_items(context: Context, update: Update) -> tuple[list[tuple[str, str]], Lang]:
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        found = await sessions.plans_person_can_report_in(ctx, me.person) if me.person else []
    return [(f"{p.number} — {p.title}", str(p.id)) for p in found], me.lang


async def _host_items(
    context: Context, update: Update, plan_id: int
) -> tuple[list[tuple[str, str]], Lang]:
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        found = await sessions.hosts_for_plan(ctx, me.person, plan_id) if me.person else []  # type: ignore[arg-type]
    return [(u.name, str(u.id)) for u in found], me.lang


async def _ask(update: Update, context: Context, draft: dict[str, Any], note: str = "") -> int:
    """Ask the first missing answer (choosing alone what has one possible value), or show the
    summary. Returns the conversation state of the question asked."""
    lang = await lang_only(update, context)
    head = (note + "\n") if note else ""
    step = "edit" if draft.get("step") == "edit" else _next_step(draft)
    if step == "plan":
        items, lang = await _plan_items(context, update)
        if len(items) == 1 and draft.get("editing") != "plan":
            draft["plan"] = int(items[0][1])
            draft["single_plan"] = True
            return await _ask(update, context, draft, note)
        draft["step"] = step
        if not items:
            drop(context, _DATA)
            await say(update, head + lang.t("There is no plan you can report sessions in now."))
            return ConversationHandler.END
        await say(
            update,
            head + lang.t("Which plan is the session for?"),
            markup=_paged(lang, draft, items, "plan"),
        )
    elif step == "host":
        items, lang = await _host_items(context, update, draft["plan"])
        if len(items) == 1 and draft.get("editing") != "host":
            draft["host"] = int(items[0][1])
            draft["single_host"] = True
            return await _ask(update, context, draft, note)
        draft["step"] = step
        if not items:
            drop(context, _DATA)
            await say(
                update,
                head + lang.t("None of your units can host a session of this plan."),
            )
            return ConversationHandler.END
        await say(
            update,
            head + lang.t("Which unit hosts the session?"),
            markup=_paged(lang, draft, items, "host"),
        )
    elif step == "kind":
        draft["step"] = step
        try:
            async with deps(context).ctx() as ctx:
                host = await get_unit(ctx, draft["host"])
                plan = await plans.get_plan(ctx, draft["plan"])
        except ServiceError as exc:
            drop(context, _DATA)
            await say(update, head + error_text(lang, exc))
            return ConversationHandler.END
        rows = [
            [InlineKeyboardButton(kind_label(lang, k), callback_data=_data(draft, "kind", k.value))]
            for k in sessions.kinds_for_host(host)
        ]
        await say(
            update,
            head
            + lang.t("Plan {plan}, “{host}”.", plan=plan.number, host=host.name)
            + "\n"
            + lang.t("What kind of session is it?"),
            markup=InlineKeyboardMarkup(
                rows + _keep_row(lang, draft, "kind") + [_cancel_row(lang, draft)]
            ),
        )
    elif step == "duration":
        draft["step"] = step
        buttons = [
            InlineKeyboardButton(lang.t("{n} minutes", n=n), callback_data=_data(draft, "dur", n))
            for n in DURATIONS
        ]
        rows = [buttons[:2], buttons[2:]]
        await say(
            update,
            head + lang.t("How long will the session last?"),
            markup=InlineKeyboardMarkup(
                rows + _keep_row(lang, draft, "duration") + [_cancel_row(lang, draft)]
            ),
        )
    elif step in TEXT_STEPS:
        draft["step"] = step
        rows = []
        if step == "address":
            rows.append(
                [
                    InlineKeyboardButton(
                        lang.t("Same as the venue"), callback_data=_data(draft, "same")
                    )
                ]
            )
        await say(
            update,
            head + _question(lang, step),
            markup=InlineKeyboardMarkup(
                rows + _keep_row(lang, draft, step) + [_cancel_row(lang, draft)]
            ),
        )
    elif step == "edit":
        draft["step"] = step
        rows = [
            [InlineKeyboardButton(lang.t(FIELD_BUTTONS[f]), callback_data=_data(draft, "ef", f))]
            for f in _needed(draft)
            if not (f == "plan" and draft.get("single_plan"))
            and not (f == "host" and draft.get("single_host"))
        ]
        rows.append(
            [
                InlineKeyboardButton(
                    lang.t("↩ Back to the summary"), callback_data=_data(draft, "back")
                )
            ]
        )
        await say(
            update,
            head + lang.t("Which detail do you want to change?"),
            markup=InlineKeyboardMarkup([*rows, _cancel_row(lang, draft)]),
        )
    else:
        draft["step"] = "confirm"
        await _show_summary(update, context, draft, head)
    return STATE[draft["step"]]


def _question(lang: Lang, step: str) -> str:
    if step == "topic":
        return lang.t(
            "Type the topic of the thematic session, for example: "
            "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."
        )
    if step == "when":
        return lang.t(
            "When is the session? Type the day and time, for example: 28/3 8h or 8h30 ngày mai.\n"
            "If only the month is known yet, type the month, for example: dự kiến tháng 5."
        )
    if step == "venue":
        return lang.t("Where is it held? Type the venue, for example: Hội trường Đảng ủy.")
    return lang.t(
        "Type the address of the venue, for example: Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội. "
        "Or tap “Same as the venue”."
    )


async def _show_summary(
    update: Update, context: Context, draft: dict[str, Any], head: str = ""
) -> None:
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await plans.get_plan(ctx, draft["plan"])
            host = await get_unit(ctx, draft["host"])
    except ServiceError as exc:
        drop(context, _DATA)
        await say(update, head + error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    lines = [lang.t("Please check the session before it is saved:")]
    lines += detail_lines(
        lang,
        tz,
        plan=plan.number,
        kind=draft.get("kind"),
        topic=draft.get("topic"),
        host=host.name,
        when=_when_value(draft),
        duration=draft.get("duration"),
        venue=draft.get("venue"),
        address=draft.get("address"),
    )
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(lang.t("✅ Confirm"), callback_data=_data(draft, "ok")),
                InlineKeyboardButton(lang.t("✏️ Change"), callback_data=_data(draft, "edit")),
            ],
            _cancel_row(lang, draft),
        ]
    )
    await say(update, head + "\n".join(lines), markup=markup)


# --------------------------------------------------------------------------- entry


async def begin(update: Update, context: Context) -> int:
    """/dangky, the menu button, or a hand-over from another step: a fresh report."""
    flow.drop_all(context)
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        hosts = await sessions.hosts_person_can_report_for(ctx, me.person) if me.person else []
    if not hosts:
        await say(
            update,
            me.lang.t(
                "Only party cell secretaries, deputy secretaries and organisers can report "
                "model sessions. To see the sessions of your unit, tap 📅 Session schedule."
            ),
        )
        return ConversationHandler.END
    draft: dict[str, Any] = {"n": secrets.token_hex(3), "step": "plan"}
    context.user_data[_DATA] = draft  # type: ignore[index]
    return await _ask(update, context, draft)


async def _set_keyboard(update: Update, markup: InlineKeyboardMarkup | None) -> None:
    """Change the buttons of the pressed message (unchanged buttons are fine too)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest:
        pass  # "message is not modified", or too old to edit: nothing to do


async def _remove_keyboard(update: Update) -> None:
    """The buttons of an answered question go away, so they are not pressed again."""
    await _set_keyboard(update, None)


# --------------------------------------------------------------------------- buttons


async def on_button(update: Update, context: Context) -> int | None:
    query = update.callback_query
    parts = (query.data or "").split(":") if query else []
    draft = _draft(context)
    if draft is None:
        await stale_button(update, context)
        return ConversationHandler.END
    if len(parts) < 3 or parts[1] != draft["n"]:
        return await _not_now(update, context, draft)
    action, args = parts[2], parts[3:]
    step = draft.get("step")
    lang = await lang_only(update, context)
    if action == "x":
        await answer_button(update)
        await _remove_keyboard(update)
        drop(context, _DATA)
        await say(update, lang.t("Stopped. Nothing was changed."))
        return ConversationHandler.END
    keep_for = draft.get("editing")
    if action == "keep" and keep_for and keep_for == step and "old" in draft:
        await answer_button(update)
        await _remove_keyboard(update)
        draft[keep_for] = draft.pop("old")
        draft.pop("editing", None)
        return await _ask(update, context, draft)
    handler = _BUTTONS.get(action)
    if handler is None or handler[0] != step:
        return await _not_now(update, context, draft)
    saved = dict(draft)
    flow.drop_all(context)  # a press here ends any other step that waited for text
    context.user_data[_DATA] = saved  # type: ignore[index]
    return await handler[1](update, context, saved, args)


async def _not_now(update: Update, context: Context, draft: dict[str, Any]) -> int:
    """A button of another run or of an earlier question: say so and ask again."""
    lang = await lang_only(update, context)
    await answer_button(update, lang.t("This button is no longer active."))
    note = lang.t("That button belongs to an earlier question. Nothing was changed.")
    return await _ask(update, context, draft, note)


def _int_arg(args: list[str]) -> int | None:
    return int(args[0]) if len(args) == 1 and args[0].isdigit() else None


async def _pick_plan(
    update: Update, context: Context, draft: dict[str, Any], args: list[str]
) -> int | None:
    page = page_of(args)
    if page is not None:
        await answer_button(update)
        items, lang = await _plan_items(context, update)
        await _set_keyboard(update, _paged(lang, draft, items, "plan", page))
        return STATE["plan"]
    plan_id = _int_arg(args)
    items, lang = await _plan_items(context, update)
    if plan_id is None or str(plan_id) not in {value for _, value in items}:
        return await _not_now(update, context, draft)
    await answer_button(update)
    await _remove_keyboard(update)
    note = ""
    if draft.get("plan") != plan_id:
        draft["plan"] = plan_id
        hosts, _ = await _host_items(context, update, plan_id)
        if draft.get("host") is not None and str(draft["host"]) not in {v for _, v in hosts}:
            draft["host"] = None
        note = await _recheck_kind(update, context, draft)
    _finish_edit(draft, "plan")
    return await _ask(update, context, draft, note)


async def _pick_host(
    update: Update, context: Context, draft: dict[str, Any], args: list[str]
) -> int | None:
    page = page_of(args)
    if page is not None:
        await answer_button(update)
        items, lang = await _host_items(context, update, draft["plan"])
        await _set_keyboard(update, _paged(lang, draft, items, "host", page))
        return STATE["host"]
    host_id = _int_arg(args)
    items, _ = await _host_items(context, update, draft["plan"])
    if host_id is None or str(host_id) not in {value for _, value in items}:
        return await _not_now(update, context, draft)
    await answer_button(update)
    await _remove_keyboard(update)
    note = ""
    if draft.get("host") != host_id:
        draft["host"] = host_id
        note = await _recheck_kind(update, context, draft)
    _finish_edit(draft, "host")
    return await _ask(update, context, draft, note)


async def _recheck_kind(update: Update, context: Context, draft: dict[str, Any]) -> str:
    """After the plan or host changed, the chosen kind may no longer fit: ask it again."""
    if draft.get("kind") is None or draft.get("host") is None:
        return ""
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            await sessions.check_report(
                ctx,
                me.person,  # type: ignore[arg-type]
                draft["plan"],
                draft["host"],
                SessionKind(draft["kind"]),
            )
    except ServiceError as exc:
        draft["kind"] = None
        draft["topic"] = None
        return error_text(await lang_only(update, context), exc)
    return ""


async def _pick_kind(
    update: Update, context: Context, draft: dict[str, Any], args: list[str]
) -> int | None:
    if len(args) != 1 or args[0] not in set(SessionKind):
        return await _not_now(update, context, draft)
    kind = SessionKind(args[0])
    await answer_button(update)
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            await sessions.check_report(
                ctx,
                me.person,  # type: ignore[arg-type]
                draft["plan"],
                draft["host"],
                kind,
            )
    except ServiceError as exc:
        lang = await lang_only(update, context)
        if isinstance(exc, InvalidInput | Conflict):
            # Another kind may still fit (a quota says what is missing): the question stays.
            return await _ask(update, context, draft, error_text(lang, exc))
        await _remove_keyboard(update)
        drop(context, _DATA)
        await say(update, error_text(lang, exc))
        return ConversationHandler.END
    await _remove_keyboard(update)
    draft["kind"] = kind.value
    if kind != SessionKind.CHUYEN_DE:
        draft["topic"] = None
    _finish_edit(draft, "kind")
    return await _ask(update, context, draft)


async def _pick_duration(
    update: Update, context: Context, draft: dict[str, Any], args: list[str]
) -> int | None:
    minutes = _int_arg(args)
    if minutes not in DURATIONS:
        return await _not_now(update, context, draft)
    await answer_button(update)
    await _remove_keyboard(update)
    draft["duration"] = sessions.check_duration(minutes)  # type: ignore[arg-type]
    _finish_edit(draft, "duration")
    return await _ask(update, context, draft)


async def _same_address(
    update: Update, context: Context, draft: dict[str, Any], args: list[str]
) -> int | None:
    if args or not draft.get("venue"):
        return await _not_now(update, context, draft)
    await answer_button(update)
    await _remove_keyboard(update)
    draft["address"] = draft["venue"]
    _finish_edit(draft, "address")
    return await _ask(update, context, draft)


async def _confirm(
    update: Update, context: Context, draft: dict[str, Any], args: list[str]
) -> int | None:
    await answer_button(update)
    missing = [f for f in _needed(draft) if draft.get(f) is None]
    if args or missing:
        return await _not_now(update, context, draft)
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            outcome = await sessions.create_session(
                ctx,
                me.person,  # type: ignore[arg-type]
                draft["plan"],
                draft["host"],
                SessionKind(draft["kind"]),
                _when_value(draft),  # type: ignore[arg-type]
                topic=draft.get("topic"),
                duration_minutes=draft["duration"],
                venue=draft["venue"],
                address=draft["address"],
            )
            session = outcome.value
            await deliver.queue(
                ctx,
                outcome.notices,
                kind="session_reported",
                subject_type="session",
                subject_id=session.id,  # type: ignore[arg-type]
            )
            host = await get_unit(ctx, session.host_unit_id)
    except ServiceError as exc:
        lang = await lang_only(update, context)
        if isinstance(exc, InvalidInput):
            # A detail no longer fits (a time that has passed meanwhile): it can be changed.
            return await _ask(
                update,
                context,
                draft,
                error_text(lang, exc) + "\n" + lang.t("Tap ✏️ Change to correct it."),
            )
        await _remove_keyboard(update)
        drop(context, _DATA)
        await say(update, error_text(lang, exc))
        return ConversationHandler.END
    deliver.send_soon(context.application)
    await _remove_keyboard(update)
    drop(context, _DATA)
    lang = me.lang
    lines = [
        lang.t(
            "Saved: {kind} of “{host}”, {when}.",
            kind=kind_label(lang, session.kind),
            host=host.name,
            when=when_label(lang, sessions.when_of(session), tz),
        )
    ]
    if outcome.notices:
        lines.append(
            lang.nt(
                "{n} person concerned will be told.",
                "{n} people concerned will be told.",
                len({n.person_id for n in outcome.notices}),
            )
        )
    lines += advice_lines(lang, outcome.warnings)
    view = InlineKeyboardButton(lang.t("📋 View the session"), callback_data=f"ss:{session.id}")
    await say(update, "\n".join(lines), markup=InlineKeyboardMarkup([[view]]))
    return ConversationHandler.END


async def _edit(
    update: Update, context: Context, draft: dict[str, Any], args: list[str]
) -> int | None:
    if args:
        return await _not_now(update, context, draft)
    await answer_button(update)
    await _remove_keyboard(update)
    draft["step"] = "edit"
    return await _ask(update, context, draft)


async def _edit_field(
    update: Update, context: Context, draft: dict[str, Any], args: list[str]
) -> int | None:
    if len(args) != 1 or args[0] not in _needed(draft):
        return await _not_now(update, context, draft)
    field = args[0]
    await answer_button(update)
    await _remove_keyboard(update)
    draft["old"] = draft.get(field)
    draft["editing"] = field
    draft[field] = None
    draft["step"] = field
    return await _ask(update, context, draft)


async def _back(
    update: Update, context: Context, draft: dict[str, Any], args: list[str]
) -> int | None:
    await answer_button(update)
    await _remove_keyboard(update)
    draft["step"] = "confirm"
    return await _ask(update, context, draft)


def _finish_edit(draft: dict[str, Any], field: str) -> None:
    """The detail being changed from the summary has its new value."""
    if draft.get("editing") == field:
        draft.pop("editing", None)
        draft.pop("old", None)


_BUTTONS = {
    "plan": ("plan", _pick_plan),
    "host": ("host", _pick_host),
    "kind": ("kind", _pick_kind),
    "dur": ("duration", _pick_duration),
    "same": ("address", _same_address),
    "ok": ("confirm", _confirm),
    "edit": ("confirm", _edit),
    "ef": ("edit", _edit_field),
    "back": ("edit", _back),
}


# --------------------------------------------------------------------------- typed answers


async def on_text(update: Update, context: Context) -> int | None:
    draft = _draft(context)
    if draft is None:
        return await flow_gone(update, context)
    step = draft.get("step")
    lang = await lang_only(update, context)
    if step not in TEXT_STEPS:
        return await _ask(update, context, draft, lang.t("Please choose with the buttons below."))
    text = (update.effective_message.text if update.effective_message else None) or ""
    try:
        if step == "topic":
            draft_value: Any = sessions.check_topic(SessionKind(draft["kind"]), text)
        elif step == "venue":
            draft_value = sessions.check_venue(text)
        elif step == "address":
            draft_value = sessions.check_address(text)
        else:
            async with deps(context).ctx() as ctx:
                moment = sessions.resolve_when(ctx, text)
            draft_value = (
                f"{moment.year:04d}-{moment.month:02d}"
                if isinstance(moment, MonthOnly)
                else moment.starts_at.isoformat()
            )
    except ServiceError as exc:
        extra = examples_line(lang) if step == "when" else lang.t(RETRY)
        await say(update, error_text(lang, exc) + "\n" + extra)
        return None
    draft[step] = draft_value
    _finish_edit(draft, step)
    note = ""
    if step == "when" and _next_step(draft) != "confirm":  # the summary shows it anyway
        value = _when_value(draft)
        shown = (
            month_label(lang, value.year, value.month)
            if isinstance(value, MonthOnly)
            else format_datetime_long(value, lang.locale, deps(context).settings.tz)  # type: ignore[arg-type]
        )
        note = lang.t("Time: {when}.", when=shown)
    return await _ask(update, context, draft, note)


async def use_buttons(update: Update, context: Context) -> int | None:
    """Anything but a button where a button is expected."""
    draft = _draft(context)
    if draft is None:
        return await flow_gone(update, context)
    lang = await lang_only(update, context)
    return await _ask(update, context, draft, lang.t("Please choose with the buttons below."))


_CONVERSATION: ConversationHandler | None = None  # type: ignore[type-arg]

ACTION = router.add(
    router.Action(
        key="report_session",
        label=N_("📝 Report a session"),
        description=N_("Report the date, time and place of a model session"),
        commands=("dangky", "report"),
        callback=enter(lambda: _CONVERSATION, begin),
        roles=frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.ORGANISER}),
        menu_row=0,
    )
)
router.button(rf"^{PREFIX}:", enter(lambda: _CONVERSATION, stale_button))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    text = filters.TEXT & ~filters.COMMAND & ~router.menu_filter()
    other = ~filters.COMMAND & ~router.menu_filter()
    press = CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:")
    states: dict[object, list[BaseHandler]] = {}  # type: ignore[type-arg]
    for step, state in STATE.items():
        if step in TEXT_STEPS:
            states[state] = [press, MessageHandler(text, on_text)]
        else:
            states[state] = [press, MessageHandler(other, use_buttons)]
    _CONVERSATION = ConversationHandler(
        name="report_session",
        persistent=True,
        entry_points=[
            CommandHandler(list(ACTION.commands), begin),
            MessageHandler(filters.Text(sorted(router.labels_of(ACTION))), begin),
            press,
        ],
        states=states,  # type: ignore[arg-type]
        fallbacks=fallbacks(_DATA),
        allow_reentry=True,
    )
    return [_CONVERSATION]
