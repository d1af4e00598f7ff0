"""Starting an import from a sent file, choosing the issuing unit, dropping parts, and
confirming (the only step that creates anything) or throwing the draft away."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from core.i18n import N_, Lang, Msgid
from handlers.common import Context, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.flow import drop, stale_button, stopped
from handlers.pickers import cancel_button, tree_items
from handlers.plan_import import state as st
from handlers.plan_import.card import show_card
from services import units
from services.errors import ServiceError
from services.notifications import render
from services.plan_import import MAX_FILE_BYTES, PlanImportError, extract_plan, read_plan_bytes
from services.plan_import.apply import ImportResult, apply_draft
from services.plan_import.hosts import match_issuer
from storage.models import Role

READ_ERRORS: dict[str, Msgid] = {
    "not_found": N_("I could not get the file from Telegram. Please send it again."),
    "unsupported_type": N_(
        "I can read plans in Word (.docx), PDF (.pdf), Markdown (.md) or text (.txt) files. "
        "Please send the plan in one of these formats."
    ),
    "empty": N_("The file is empty. Please check it and send it again."),
    "binary": N_(
        "This file does not look like a text document. Please send the plan as .docx, .md or .txt."
    ),
    "too_large": N_(
        "The file is too large to be a plan (over 5 MB). Please send the plan document only."
    ),
    "unreadable": N_(
        "I could not read this file. Please save it again as .docx or .txt and send it."
    ),
    "no_plan_found": N_(
        "I found no plan in this document (no number, title, sessions or deadlines). Please check that it is a KẾ HOẠCH."
    ),
    "scanned_pdf": N_(
        "This PDF is a scanned image without text, and I cannot read scanned documents yet. "
        "Please send the Word (.docx) file of the plan, or a PDF saved from Word."
    ),
}


def read_error(lang: Lang, code: str) -> str:
    return lang.t(READ_ERRORS.get(code, READ_ERRORS["unreadable"]))


async def start_import(update: Update, context: Context) -> None:
    """`imp:<n>`: read the n-th file the person just sent and show the draft."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer_button(update)
    lang = await lang_only(update, context)
    index = query.data.split(":", 1)[1]
    files: list[dict[str, Any]] = (context.user_data or {}).get(st.PENDING_FILES) or []
    if not index.isdigit() or int(index) >= len(files):
        await stale_button(update, context)
        return
    info = files[int(index)]
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        rows = await units.managed_tree(ctx, me.person) if me.person else []
    if not rows:
        await say(update, lang.t("Only organisers (Ban Tổ chức, Văn phòng) can import plans."))
        return
    if int(info.get("file_size") or 0) > MAX_FILE_BYTES:
        await say(update, read_error(lang, "too_large"))
        return
    try:
        telegram_file = await context.bot.get_file(info["file_id"])
        data = bytes(await telegram_file.download_as_bytearray())
        draft = extract_plan(read_plan_bytes(data, info.get("file_name") or "plan.txt"))
        if draft.is_empty():
            raise PlanImportError("no_plan_found", "nothing recognised")
    except PlanImportError as exc:
        await say(update, read_error(lang, exc.code))
        return
    except TelegramError:
        await say(update, read_error(lang, "not_found"))
        return
    candidates = [row.unit for row in rows if row.unit.kind != "cell"] or [rows[0].unit]
    issuer = match_issuer(candidates, [draft.issuer_clause, draft.issuer]) or candidates[0]
    st.start(context, draft, issuer.id)  # type: ignore[arg-type]
    await show_card(update, context)


async def drop_part(update: Update, context: Context) -> None:
    """`ip:drop:s:<n>` / `ip:drop:d:<n>`"""
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer_button(update)
    state = st.load(context)
    _, _, which, raw = query.data.split(":")
    n = st.index_of(state, raw, deadlines=which == "d")
    if state is None or n is None:
        await stale_button(update, context)
        return
    if which == "s":
        state.drop_session(n)
    else:
        del state.draft.deadlines[n]
    st.save(context, state)
    await show_card(update, context)


async def pick_issuer(update: Update, context: Context) -> None:
    await answer_button(update)
    if st.load(context) is None:
        await stale_button(update, context)
        return
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        rows = await units.managed_tree(ctx, me.person) if me.person else []
    keep = [r for r in rows if r.unit.kind != "cell"]
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label[:60], callback_data=f"ip:iss:{value}")]
            for label, value in tree_items(keep)[:40]
        ]
        + [[cancel_button(me.lang)]]
    )
    await say(update, me.lang.t("Which unit issues this plan?"), markup=markup)


async def issuer_picked(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer_button(update)
    state = st.load(context)
    unit_id = query.data.rsplit(":", 1)[1]
    if state is None or not unit_id.isdigit():
        await stale_button(update, context)
        return
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        rows = await units.managed_tree(ctx, me.person) if me.person else []
    if int(unit_id) not in {row.unit.id for row in rows}:
        await stale_button(update, context)
        return
    state.issuer = int(unit_id)
    state.host_ids = [None] * len(state.draft.sessions)  # picked hosts belonged to the old tree
    st.save(context, state)
    await show_card(update, context)


def result_lines(lang: Lang, result: ImportResult) -> list[str]:
    lines = [
        lang.t(
            "Created draft plan {plan}: {sessions} sessions, {categories} participant groups, {requirements} requirements.",
            plan=result.plan.number,
            sessions=len(result.sessions),
            categories=result.categories,
            requirements=len(result.requirements),
        )
    ]
    if result.units_created:
        lines.append(
            lang.t(
                "New units added to the tree: {names}.",
                names=", ".join(u.name for u in result.units_created),
            )
        )
    for what, reason in result.skipped:
        line = "⚠ " + render(lang, what.msgid, what.params)
        if reason is not None:
            line += " " + render(lang, reason.msgid, reason.params)
        lines.append(line)
    lines.append(lang.t("Open 📋 Plans to review and issue it."))
    return lines


async def confirm(update: Update, context: Context) -> None:
    await answer_button(update)
    state = st.load(context)
    if state is None:
        await stale_button(update, context)
        return
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            result = await apply_draft(
                ctx,
                me.person,  # type: ignore[arg-type]
                state.draft,
                state.issuer,
                state.host_ids,
            )
    except ServiceError as exc:
        lang = await lang_only(update, context)
        await say(update, error_text(lang, exc))
        return
    drop(context, st.DATA)
    await say(update, "\n".join(result_lines(me.lang, result)))


async def cancel_import(update: Update, context: Context) -> None:
    """✖ on the draft card: the draft is thrown away; nothing was created."""
    drop(context, st.DATA)
    await stopped(update, context)


async def explain(update: Update, context: Context) -> None:
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
    if Role.ORGANISER not in me.roles:
        await say(update, me.lang.t("Only organisers (Ban Tổ chức, Văn phòng) can import plans."))
        return
    await say(
        update,
        me.lang.t(
            "Send me the KẾ HOẠCH as a file (.docx, .pdf, .md or .txt) in this chat, then choose "
            "“📥 Import as a new plan”. I will read the number, title, sessions, participants "
            "and deadlines for you to check and correct before anything is created."
        ),
    )
