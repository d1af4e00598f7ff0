"""📋 The roll (danh sách) of a session for organisers and leaders: invited, answers (with the
reasons of those absent), checked in, late, no answer — in total and per participant group.

`roll:<id>` sends it; 🔄 (`roll:r:<id>`) edits the same message; ✋ (`roll:m:<id>`, pages
`roll:mp:<id>:<page>`, a press `roll:mk:<id>:<person>:<page>`) records people present by hand;
📥 (`roll:x:<id>`) sends the XLSX export. Every press is re-checked by the services.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from core.i18n import Lang
from handlers import router
from handlers.common import Context, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.invitations import PAGE_SIZE, edit_in_place, number, session_title, show_screen
from handlers.pickers import pressed_ids
from services import checkin, roll, sessions
from services.context import Ctx
from services.errors import ServiceError
from services.notifications import render
from services.roll import Counts, Roll
from services.units import get_unit
from services.vn_datetime import format_datetime_short
from storage.models import ModelSession, Person

MAX_REASONS = 10  # reasons for absence shown per group before "… and N more"


async def _title(ctx: Ctx, session_id: int, lang: Lang, tz: Any) -> tuple[ModelSession, str]:
    session = await sessions.get_session(ctx, session_id)
    host = await get_unit(ctx, session.host_unit_id)
    return session, session_title(lang, session, host.name, tz)


def answers_line(lang: Lang, c: Counts) -> str:
    return lang.t(
        "Invited {invited} · will attend {accepted} · absent {declined} · no answer {no_answer}",
        invited=number(lang, c.invited),
        accepted=number(lang, c.accepted),
        declined=number(lang, c.declined),
        no_answer=number(lang, c.no_answer),
    )


def roll_text(lang: Lang, title: str, found: Roll, updated: str) -> str:
    t = found.totals
    lines = [
        lang.t("📋 Roll: {title}", title=title),
        answers_line(lang, t),
        lang.t(
            "Checked in {checked_in} (late {late}, recorded by organisers {manual}, "
            "guests {guests})",
            checked_in=number(lang, t.checked_in),
            late=number(lang, t.late),
            manual=number(lang, t.manual),
            guests=number(lang, t.guests),
        ),
    ]
    if found.categories:
        lines += ["", lang.t("By participant group:")]
    for n, group in enumerate(found.categories, start=1):
        c = group.counts
        label = group.label if group.label is not None else lang.t("Other")
        lines += [
            f"{n}. {label}",
            "    " + answers_line(lang, c),
            "    "
            + lang.t(
                "checked in {checked_in} (late {late})",
                checked_in=number(lang, c.checked_in),
                late=number(lang, c.late),
            ),
        ]
        if group.reasons:
            shown = [f"{r.name} ({r.reason})" for r in group.reasons[:MAX_REASONS]]
            more = len(group.reasons) - len(shown)
            text = "; ".join(shown)
            if more:
                text += "; " + lang.t("… and {n} more", n=number(lang, more))
            lines.append("    " + lang.t("Absent: {names}", names=text))
    lines += ["", lang.t("Updated at {time}.", time=updated)]
    text = "\n".join(lines)
    if len(text) > 4000:
        text = text[:3950] + "\n…\n" + lang.t("The full list is in the Excel file (📥).")
    return text


def roll_markup(lang: Lang, session_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(lang.t("🔄 Refresh"), callback_data=f"roll:r:{session_id}")],
            [
                InlineKeyboardButton(
                    lang.t("✋ Manual check-in"), callback_data=f"roll:m:{session_id}"
                )
            ],
            [
                InlineKeyboardButton(
                    lang.t("📥 Export to Excel"), callback_data=f"roll:x:{session_id}"
                )
            ],
        ]
    )


async def _roll_screen(
    update: Update, context: Context, session_id: int
) -> tuple[str, InlineKeyboardMarkup, Lang] | None:
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            found = await roll.roll(ctx, me.person, session_id)
            _session, title = await _title(ctx, session_id, me.lang, tz)
            updated = format_datetime_short(ctx.clock.now(), me.lang.locale, tz)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return None
    return roll_text(me.lang, title, found, updated), roll_markup(me.lang, session_id), me.lang


async def show_roll(update: Update, context: Context) -> None:
    """`roll:<session_id>`: the roll as a new message."""
    ids = pressed_ids(update, "roll", 1)
    await answer_button(update)
    if ids is None:
        return
    screen = await _roll_screen(update, context, ids[0])
    if screen is not None:
        await say(update, screen[0], markup=screen[1])


async def refresh_roll(update: Update, context: Context) -> None:
    """`roll:r:<session_id>`: the same message, as it is now (unchanged is fine)."""
    ids = pressed_ids(update, "roll:r", 1)
    if ids is None:
        await answer_button(update)
        return
    screen = await _roll_screen(update, context, ids[0])
    if screen is None:
        await answer_button(update)
        return
    text, markup, lang = screen
    await answer_button(update, lang.t("Updated."))
    await edit_in_place(update, text, markup)


# --------------------------------------------------------------------------- manual check-in


async def _manual_screen(
    ctx: Ctx, person: Person | None, lang: Lang, session_id: int, page: int, tz: Any
) -> tuple[str, InlineKeyboardMarkup]:
    rows = await roll.roll_rows(ctx, person, session_id)
    _session, title = await _title(ctx, session_id, lang, tz)
    waiting = [r for r in rows if not r.guest and r.checked_in_at is None]
    pages = max(1, (len(waiting) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    buttons = []
    for r in waiting[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        label = r.name + (f" — {r.category}" if r.category else "")
        buttons.append(
            [
                InlineKeyboardButton(
                    label[:60], callback_data=f"roll:mk:{session_id}:{r.person_id}:{page}"
                )
            ]
        )
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀", callback_data=f"roll:mp:{session_id}:{page - 1}"))
    if pages > 1:
        nav.append(
            InlineKeyboardButton(
                f"{page + 1}/{pages}", callback_data=f"roll:mp:{session_id}:{page}"
            )
        )
    if page < pages - 1:
        nav.append(InlineKeyboardButton("▶", callback_data=f"roll:mp:{session_id}:{page + 1}"))
    if nav:
        buttons.append(nav)
    buttons.append(
        [InlineKeyboardButton(lang.t("📋 Back to the roll"), callback_data=f"roll:{session_id}")]
    )
    lines = [lang.t("✋ Manual check-in: {title}", title=title)]
    if waiting:
        lines.append(
            lang.t(
                "Not checked in yet: {n}. Tap a name to record that person as present.",
                n=number(lang, len(waiting)),
            )
        )
    else:
        lines.append(lang.t("Everyone invited has checked in."))
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


async def _send_manual(
    update: Update, context: Context, session_id: int, page: int, edit: bool
) -> None:
    tz = deps(context).settings.tz
    await show_screen(
        update,
        context,
        lambda ctx, me: _manual_screen(ctx, me.person, me.lang, session_id, page, tz),
        edit=edit,
    )


async def show_manual(update: Update, context: Context) -> None:
    """`roll:m:<session_id>` (new message) and `roll:mp:<session_id>:<page>` (in place)."""
    query = update.callback_query
    turn = bool(query and query.data and query.data.startswith("roll:mp:"))
    ids = pressed_ids(update, "roll:mp", 2) if turn else pressed_ids(update, "roll:m", 1)
    await answer_button(update)
    if ids is None:
        return
    await _send_manual(update, context, ids[0], ids[1] if turn else 0, edit=turn)


async def mark_present(update: Update, context: Context) -> None:
    """`roll:mk:<session_id>:<person_id>:<page>`: recorded as present by the organiser."""
    ids = pressed_ids(update, "roll:mk", 3)
    if ids is None:
        await answer_button(update)
        return
    session_id, person_id, page = ids
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            outcome = await checkin.manual_check_in(ctx, me.person, session_id, person_id)  # type: ignore[arg-type]
            marked = await ctx.session.get(Person, person_id)
    except ServiceError as exc:
        await answer_button(update)
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    name = marked.full_name if marked is not None else ""
    if outcome.value.already:
        note = lang.t("{name} had already checked in.", name=name)
    else:
        note = lang.t("Recorded: {name} is present.", name=name)
    await answer_button(update, note)
    for warning in outcome.warnings:
        await say(update, "⚠️ " + render(lang, warning.msgid, warning.params))
    await _send_manual(update, context, session_id, page, edit=True)


# --------------------------------------------------------------------------- export


async def export(update: Update, context: Context) -> None:
    """`roll:x:<session_id>`: the roll as an .xlsx document (headers in the user's language)."""
    ids = pressed_ids(update, "roll:x", 1)
    await answer_button(update)
    if ids is None:
        return
    session_id = ids[0]
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            rows = await roll.roll_rows(ctx, me.person, session_id)
            summary = await roll.roll(ctx, me.person, session_id)
            session, title = await _title(ctx, session_id, me.lang, tz)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    labels = {key: lang.t(msgid) for key, msgid in roll.ROLL_LABELS.items()}
    data = await asyncio.to_thread(roll.export_roll_xlsx, rows, labels, summary=summary)
    day = session.starts_at.astimezone(tz).strftime("%Y%m%d") if session.starts_at else "x"
    chat = update.effective_chat
    if chat is None:
        return
    await chat.send_document(
        document=data,
        filename=f"diem-danh-{session_id}-{day}.xlsx",
        caption=lang.t("📥 Roll: {title}", title=title)[:1024],
    )


router.button(r"^roll:\d+$", show_roll)
router.button(r"^roll:r:\d+$", refresh_roll)
router.button(r"^roll:m:\d+$", show_manual)
router.button(r"^roll:mp:\d+:\d+$", show_manual)
router.button(r"^roll:mk:\d+:\d+:\d+$", mark_present)
router.button(r"^roll:x:\d+$", export)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return []
