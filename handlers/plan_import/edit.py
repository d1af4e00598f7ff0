"""Fixing one session or deadline of the draft: its kind, host (an existing unit or a new
name), time, venue and address; adding a session the reading missed; a deadline's day and
text. Nothing is created here: the draft changes, and the card is shown again."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from core.i18n import Lang
from handlers.common import Context, answer_button, lang_only, say
from handlers.deps import deps
from handlers.flow import stale_button
from handlers.plan_import import state as st
from handlers.plan_import.card import KIND_NAMES, host_text, show_card, when_text
from services import units
from services.plan_import import SessionDraft
from services.plan_import.apply import draft_hosts
from services.plan_import.hosts import HostMatch
from services.units import TreeRow
from services.vn_datetime import format_date_long

MAX_HOST_CHOICES = 30


def _parts(update: Update) -> list[str]:
    query = update.callback_query
    return (query.data or "").split(":") if query is not None else []


# --------------------------------------------------------------------------- screens


def session_menu(
    lang: Lang, n: int, session: SessionDraft, match: HostMatch, tz: object
) -> tuple[str, InlineKeyboardMarkup]:
    none = "—"
    lines = [
        lang.t("Session {n}: {kind}", n=n + 1, kind=lang.t(KIND_NAMES[session.kind])),
        lang.t("Host: {value}", value=host_text(lang, session, match)),
        lang.t("Time: {value}", value=when_text(lang, session, tz)),  # type: ignore[arg-type]
        lang.t("Venue: {value}", value=session.venue or none),
        lang.t("Address: {value}", value=session.address or none),
    ]
    if session.kind != "thuong_ky":
        lines.append(lang.t("Topic: {value}", value=session.topic or none))
    lines += ["", lang.t("What would you like to change?")]
    kinds = [
        InlineKeyboardButton(
            ("✓ " if kind == session.kind else "") + lang.t(label),
            callback_data=f"ip:sk:{n}:{kind}",
        )
        for kind, label in KIND_NAMES.items()
    ]
    rows = [
        kinds,
        [
            InlineKeyboardButton(lang.t("🏛 Host"), callback_data=f"ip:hp:{n}"),
            InlineKeyboardButton(lang.t("🗓 Time"), callback_data=f"ip:when:{n}"),
        ],
        [
            InlineKeyboardButton(lang.t("📍 Venue"), callback_data=f"ip:venue:{n}"),
            InlineKeyboardButton(lang.t("🏠 Address"), callback_data=f"ip:addr:{n}"),
        ],
    ]
    if session.kind != "thuong_ky":
        rows.append([InlineKeyboardButton(lang.t("✏️ Topic"), callback_data=f"ip:topic:{n}")])
    rows.append([InlineKeyboardButton(lang.t("↩ Back to the draft"), callback_data="ip:card")])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def host_picker(lang: Lang, n: int, rows: list[TreeRow]) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        [
            InlineKeyboardButton(
                ("· " * row.depth + row.unit.name)[:60], callback_data=f"ip:hs:{n}:{row.unit.id}"
            )
        ]
        for row in rows[:MAX_HOST_CHOICES]
    ]
    buttons.append(
        [
            InlineKeyboardButton(
                lang.t("✏️ Type the name of a new unit"), callback_data=f"ip:host:{n}"
            )
        ]
    )
    buttons.append([InlineKeyboardButton(lang.t("↩ Back to the draft"), callback_data="ip:card")])
    text = lang.t(
        "Which unit hosts session {n}? Pick it from the tree, or type a new name.", n=n + 1
    )
    if len(rows) > MAX_HOST_CHOICES:
        text += "\n" + lang.t(
            "(Only the first {count} units are listed; typing the name finds the others.)",
            count=MAX_HOST_CHOICES,
        )
    return text, InlineKeyboardMarkup(buttons)


def kind_picker(lang: Lang) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [InlineKeyboardButton(lang.t(label), callback_data=f"ip:new:{kind}")]
        for kind, label in KIND_NAMES.items()
    ]
    rows.append([InlineKeyboardButton(lang.t("↩ Back to the draft"), callback_data="ip:card")])
    return lang.t("What kind of session do you want to add?"), InlineKeyboardMarkup(rows)


def deadline_menu(lang: Lang, n: int, due: str, what: str) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n".join(
        [
            lang.t("Deadline {n}: {due}", n=n + 1, due=due),
            what or "—",
            "",
            lang.t("What would you like to change?"),
        ]
    )
    rows = [
        [
            InlineKeyboardButton(lang.t("🗓 Day"), callback_data=f"ip:due:{n}"),
            InlineKeyboardButton(lang.t("✏️ What is due"), callback_data=f"ip:what:{n}"),
        ],
        [InlineKeyboardButton(lang.t("↩ Back to the draft"), callback_data="ip:card")],
    ]
    return text, InlineKeyboardMarkup(rows)


# --------------------------------------------------------------------------- presses


async def show_session(update: Update, context: Context, n: int) -> None:
    state = st.load(context)
    if state is None or st.index_of(state, str(n)) is None:
        await stale_button(update, context)
        return
    lang = await lang_only(update, context)
    async with deps(context).ctx() as ctx:
        hosts = await draft_hosts(ctx, state.draft, state.issuer, state.host_ids)
    text, markup = session_menu(
        lang, n, state.draft.sessions[n], hosts[n], deps(context).settings.tz
    )
    await say(update, text, markup=markup)


async def open_session(update: Update, context: Context) -> None:
    """`ip:s:<n>`"""
    await answer_button(update)
    await show_session(update, context, int(_parts(update)[2]))


async def set_kind(update: Update, context: Context) -> None:
    """`ip:sk:<n>:<kind>`"""
    await answer_button(update)
    _, _, raw, kind = _parts(update)
    state = st.load(context)
    n = st.index_of(state, raw)
    if state is None or n is None or kind not in KIND_NAMES:
        await stale_button(update, context)
        return
    session = state.draft.sessions[n]
    session.kind = kind  # type: ignore[assignment]
    if kind == "thuong_ky":
        session.topic = None
    st.save(context, state)
    await show_session(update, context, n)


async def pick_host(update: Update, context: Context) -> None:
    """`ip:hp:<n>`: the issuer's tree, to pick the host from."""
    await answer_button(update)
    state = st.load(context)
    n = st.index_of(state, _parts(update)[2])
    if state is None or n is None:
        await stale_button(update, context)
        return
    lang = await lang_only(update, context)
    async with deps(context).ctx() as ctx:
        rows = await units.subtree_rows(ctx, state.issuer)
    text, markup = host_picker(lang, n, rows)
    await say(update, text, markup=markup)


async def host_picked(update: Update, context: Context) -> None:
    """`ip:hs:<n>:<unit id>`: an existing unit hosts session n."""
    await answer_button(update)
    _, _, raw, unit_raw = _parts(update)
    state = st.load(context)
    n = st.index_of(state, raw)
    if state is None or n is None or not unit_raw.isdigit():
        await stale_button(update, context)
        return
    async with deps(context).ctx() as ctx:
        inside = {row.unit.id: row.unit for row in await units.subtree_rows(ctx, state.issuer)}
    unit = inside.get(int(unit_raw))
    if unit is None:
        await stale_button(update, context)
        return
    session = state.draft.sessions[n]
    session.host, session.host_parent = unit.name, None
    state.host_ids[n] = unit.id
    st.save(context, state)
    await show_session(update, context, n)


async def add_session(update: Update, context: Context) -> None:
    """`ip:add`"""
    await answer_button(update)
    if st.load(context) is None:
        await stale_button(update, context)
        return
    text, markup = kind_picker(await lang_only(update, context))
    await say(update, text, markup=markup)


async def new_session(update: Update, context: Context) -> None:
    """`ip:new:<kind>`: an empty session of that kind, opened for its facts."""
    await answer_button(update)
    kind = _parts(update)[2]
    state = st.load(context)
    if state is None or kind not in KIND_NAMES:
        await stale_button(update, context)
        return
    state.draft.sessions.append(SessionDraft(kind=kind))  # type: ignore[arg-type]
    state.host_ids.append(None)
    st.save(context, state)
    await show_session(update, context, len(state.draft.sessions) - 1)


async def show_deadline(update: Update, context: Context, n: int) -> None:
    state = st.load(context)
    if state is None or st.index_of(state, str(n), deadlines=True) is None:
        await stale_button(update, context)
        return
    lang = await lang_only(update, context)
    deadline = state.draft.deadlines[n]
    due = format_date_long(deadline.due, lang.locale, deps(context).settings.tz)
    text, markup = deadline_menu(lang, n, due, deadline.what)
    await say(update, text, markup=markup)


async def open_deadline(update: Update, context: Context) -> None:
    """`ip:d:<n>`"""
    await answer_button(update)
    await show_deadline(update, context, int(_parts(update)[2]))


async def back_to_card(update: Update, context: Context) -> None:
    """`ip:card`"""
    await answer_button(update)
    await show_card(update, context)
