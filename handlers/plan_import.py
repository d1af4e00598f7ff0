"""Import a KẾ HOẠCH document: an organiser sends the file, picks “📥 Nhập thành kế hoạch mới”
(handlers/documents.py offers it as `imp:<n>`), reviews the draft card, fixes or drops parts,
and confirms. Confirming creates the plan as a draft, as if typed."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.i18n import N_, Lang, Msgid
from handlers import router
from handlers.common import Context, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.flow import drop, fallbacks, stale_button, stopped
from handlers.pickers import cancel_button, tree_items
from services import plans, units
from services.errors import ServiceError
from services.notifications import render
from services.plan_import import (
    MAX_FILE_BYTES,
    PlanDraft,
    PlanImportError,
    extract_plan,
    read_plan_bytes,
)
from services.plan_import.apply import apply_draft
from services.validation import check_label
from services.vn_datetime import format_date_long, format_datetime_long, format_month
from storage.models import Role

PENDING_FILES = "pending_files"  # filled by handlers/documents.py
DATA = "plan_import"
TYPE_VALUE = 0

KIND_NAMES = {
    "thuong_ky": N_("Regular session"),
    "chuyen_de": N_("Thematic session"),
    "hoi_thao": N_("Workshop"),
}
READ_ERRORS: dict[str, Msgid] = {
    "not_found": N_("I could not get the file from Telegram. Please send it again."),
    "unsupported_type": N_(
        "I can read plans in Word (.docx), Markdown (.md) or text (.txt) files. Please send the plan in one of these formats."
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
}
PROMPTS = {
    "num": N_("Type the plan number as written on the document, for example: 82-KH/ĐU."),
    "title": N_("Type the title of the plan."),
    "topic": N_("Type the topic of thematic session {n}."),
}


def _read_error(lang: Lang, code: str) -> str:
    message = READ_ERRORS.get(code, READ_ERRORS["unreadable"])
    return lang.t(message)


def _draft(context: Context) -> PlanDraft | None:
    data = (context.user_data or {}).get(DATA)
    if not data:
        return None
    return PlanDraft.from_json(data["draft"])


def _save(context: Context, draft: PlanDraft, issuer: int | None = None) -> None:
    data = context.user_data.setdefault(DATA, {})  # type: ignore[union-attr]
    data["draft"] = draft.to_json()
    if issuer is not None:
        data["issuer"] = issuer


async def start_import(update: Update, context: Context) -> None:
    """`imp:<n>`: read the n-th file the person just sent and show the draft."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer_button(update)
    lang = await lang_only(update, context)
    index = query.data.split(":", 1)[1]
    files: list[dict[str, Any]] = (context.user_data or {}).get(PENDING_FILES) or []
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
        await say(update, _read_error(lang, "too_large"))
        return
    try:
        telegram_file = await context.bot.get_file(info["file_id"])
        data = bytes(await telegram_file.download_as_bytearray())
        draft = extract_plan(read_plan_bytes(data, info.get("file_name") or "plan.txt"))
        if draft.is_empty():
            raise PlanImportError("no_plan_found", "nothing recognised")
    except PlanImportError as exc:
        await say(update, _read_error(lang, exc.code))
        return
    except TelegramError:
        await say(update, _read_error(lang, "not_found"))
        return
    wanted = (draft.issuer or "").casefold()
    issuer = next((r.unit for r in rows if r.unit.name.casefold() == wanted), rows[0].unit)
    context.user_data[DATA] = {}  # type: ignore[index]
    _save(context, draft, issuer.id)
    await show_card(update, context)


def _when(lang: Lang, session: Any, tz: Any) -> str:
    if session.starts_at is not None:
        return format_datetime_long(session.starts_at, lang.locale, tz)
    if session.month:
        year, month = (int(x) for x in session.month.split("-"))
        return lang.t("expected in {month}", month=format_month(year, month, lang.locale))
    return lang.t("⚠ no date")


async def show_card(update: Update, context: Context) -> None:
    draft = _draft(context)
    lang = await lang_only(update, context)
    if draft is None:
        await stale_button(update, context)
        return
    tz = deps(context).settings.tz
    issuer_id = context.user_data[DATA].get("issuer")  # type: ignore[index]
    async with deps(context).ctx() as ctx:
        issuer = await units.get_unit(ctx, issuer_id)
    none = "—"
    lines = [
        lang.t("📥 Draft plan read from the document"),
        lang.t("Number: {value}", value=draft.number or lang.t("⚠ missing")),
        lang.t("Title: {value}", value=draft.title or lang.t("⚠ missing")),
        lang.t(
            "Issued by: {unit} (the document says: {text})",
            unit=issuer.name,
            text=draft.issuer or none,
        ),
        lang.t(
            "Date of issue: {value}",
            value=format_date_long(draft.issued_on, lang.locale, tz) if draft.issued_on else none,
        ),
        lang.t("Legal bases: {n}", n=len(draft.legal_bases)),
        lang.t("Participants (thành phần): {n} groups", n=len(draft.participants)),
        "",
        lang.t("Sessions:") if draft.sessions else lang.t("Sessions: none"),
    ]
    buttons: list[list[InlineKeyboardButton]] = []
    for n, s in enumerate(draft.sessions, 1):
        topic = (
            f" “{s.topic}”"
            if s.topic
            else (lang.t(" (⚠ no topic)") if s.kind == "chuyen_de" else "")
        )
        host = s.host or (lang.t("the committee") if s.kind == "hoi_thao" else lang.t("⚠ no host"))
        parent = f" ({s.host_parent})" if s.host_parent else ""
        place = f" — {s.venue}" if s.venue else ""
        lines.append(
            f"{n}. {lang.t(KIND_NAMES[s.kind])}{topic} — {host}{parent} — {_when(lang, s, tz)}{place}"
        )
        row = [
            InlineKeyboardButton(
                lang.t("🗑 Drop session {n}", n=n), callback_data=f"ip:drop:s:{n - 1}"
            )
        ]
        if s.kind == "chuyen_de":
            row.append(
                InlineKeyboardButton(lang.t("✏️ Topic {n}", n=n), callback_data=f"ip:topic:{n - 1}")
            )
        buttons.append(row)
    if draft.deadlines:
        lines += ["", lang.t("Deadlines:")]
        for n, d in enumerate(draft.deadlines, 1):
            lines.append(f"{n}. {format_date_long(d.due, lang.locale, tz)} — {d.what}")
            buttons.append(
                [
                    InlineKeyboardButton(
                        lang.t("🗑 Drop deadline {n}", n=n), callback_data=f"ip:drop:d:{n - 1}"
                    )
                ]
            )
    lines += ["", lang.t("Check the draft, fix what is wrong, then tap ✅ Create plan.")]
    buttons = [
        [InlineKeyboardButton(lang.t("✅ Create plan"), callback_data="ip:ok")],
        [
            InlineKeyboardButton(lang.t("✏️ Number"), callback_data="ip:num"),
            InlineKeyboardButton(lang.t("✏️ Title"), callback_data="ip:title"),
            InlineKeyboardButton(lang.t("🏛 Issuing unit"), callback_data="ip:issuer"),
        ],
        *buttons,
        [InlineKeyboardButton(lang.t("✖ Cancel"), callback_data="ip:cancel")],
    ]
    await say(update, "\n".join(lines)[:4000], markup=InlineKeyboardMarkup(buttons))


async def drop_part(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer_button(update)
    draft = _draft(context)
    _, _, which, index = query.data.split(":")
    items = draft.sessions if draft and which == "s" else (draft.deadlines if draft else [])
    if draft is None or not index.isdigit() or int(index) >= len(items):
        await stale_button(update, context)
        return
    del items[int(index)]
    _save(context, draft)
    await show_card(update, context)


async def pick_issuer(update: Update, context: Context) -> None:
    await answer_button(update)
    if _draft(context) is None:
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
    draft = _draft(context)
    unit_id = query.data.rsplit(":", 1)[1]
    if draft is None or not unit_id.isdigit():
        await stale_button(update, context)
        return
    _save(context, draft, int(unit_id))
    await show_card(update, context)


async def ask_value(update: Update, context: Context) -> int | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer_button(update)
    draft = _draft(context)
    parts = query.data.split(":")
    field = parts[1]
    if draft is None or (
        field == "topic" and (not parts[2].isdigit() or int(parts[2]) >= len(draft.sessions))
    ):
        await stale_button(update, context)
        return ConversationHandler.END
    context.user_data[DATA]["field"] = parts[1:]  # type: ignore[index]
    lang = await lang_only(update, context)
    n = int(parts[2]) + 1 if field == "topic" else 0
    await say(update, lang.t(PROMPTS[field], n=n) + "\n" + lang.t("Type /huy to stop."))
    return TYPE_VALUE


async def value_typed(update: Update, context: Context) -> int | None:
    draft = _draft(context)
    lang = await lang_only(update, context)
    if draft is None:
        return ConversationHandler.END
    field = context.user_data[DATA].get("field") or []  # type: ignore[index]
    text = update.effective_message.text if update.effective_message else ""
    try:
        if field[0] == "num":
            draft.number = plans.check_plan_number(text)
        elif field[0] == "title":
            draft.title = check_label(text, max_length=300, what=N_("plan title"))
        elif field[0] == "topic":
            draft.sessions[int(field[1])].topic = check_label(
                text, max_length=300, what=N_("topic")
            )
    except ServiceError as exc:
        await say(
            update, error_text(lang, exc) + "\n" + lang.t("Please type it again, or /huy to stop.")
        )
        return None
    _save(context, draft)
    await show_card(update, context)
    return ConversationHandler.END


async def confirm(update: Update, context: Context) -> None:
    await answer_button(update)
    draft = _draft(context)
    if draft is None:
        await stale_button(update, context)
        return
    issuer_id = context.user_data[DATA]["issuer"]  # type: ignore[index]
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            result = await apply_draft(ctx, me.person, draft, issuer_id)  # type: ignore[arg-type]
    except ServiceError as exc:
        lang = await lang_only(update, context)
        await say(update, error_text(lang, exc))
        return
    drop(context, DATA)
    lang = me.lang
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
    await say(update, "\n".join(lines))


async def cancel_import(update: Update, context: Context) -> None:
    """✖ on the draft card: the draft is thrown away; nothing was created."""
    drop(context, DATA)
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
            "Send me the KẾ HOẠCH as a file (.docx, .md or .txt) in this chat, then choose "
            "“📥 Import as a new plan”. I will read the number, title, sessions, participants "
            "and deadlines for you to check before anything is created."
        ),
    )


router.add(
    router.Action(
        key="import",
        label=N_("📥 Import a plan"),
        description=N_("Create a plan from a KẾ HOẠCH document"),
        commands=("nhapkehoach", "import"),
        callback=explain,
        roles=frozenset({Role.ORGANISER}),
        menu_row=-1,
    )
)
router.button(r"^imp:\d+$", start_import)
router.button(r"^ip:ok$", confirm)
router.button(r"^ip:cancel$", cancel_import)
router.button(r"^ip:drop:[sd]:\d+$", drop_part)
router.button(r"^ip:issuer$", pick_issuer)
router.button(r"^ip:iss:\d+$", issuer_picked)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    text = filters.TEXT & ~filters.COMMAND & ~router.menu_filter()
    return [
        ConversationHandler(
            name="plan_import",
            persistent=True,
            entry_points=[CallbackQueryHandler(ask_value, pattern=r"^ip:(num|title|topic:\d+)$")],
            states={TYPE_VALUE: [MessageHandler(text, value_typed)]},
            fallbacks=fallbacks("plan_import_field"),
            allow_reentry=True,
        )
    ]
