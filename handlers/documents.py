"""Files sent in the chat outside any conversation: check them, then ask what they are for.

The choices: a document a plan still waits for from one of the sender's units, the content
of an upcoming session they host, or (organisers) a KẾ HOẠCH to import as a new plan (the
`imp:<n>` button belongs to handlers/plan_import.py).

The file itself stays on Telegram's servers; until the sender chooses, its details wait in
`user_data["pending_files"]` (a short list of dicts with file_id, file_unique_id, file_name,
mime_type and file_size), and the buttons carry the index `n` in that list. The import reads
the same list, so its structure is shared. Our own buttons also carry the end of the file's
unique id, so a press whose slot has since been reused for another file is refused.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, MessageHandler, filters

from core.i18n import N_, Lang, Msgid
from handlers import deliver, router
from handlers.common import Context, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.fallback import unknown
from handlers.pickers import cancel_button, split_data
from handlers.plans import pressed, session_day, short_label
from services import appraisal, plans, requirements, sessions
from services.errors import ServiceError
from services.plan_import import SUPPORTED_SUFFIXES as IMPORTABLE
from services.requirements import FileInfo
from services.units import get_unit
from storage.models import DocumentPurpose, Role

PENDING_FILES = "pending_files"
_NEXT_SLOT = "pending_files_next"
MAX_PENDING = 10
MAX_CHOICES = 8
SESSION_PURPOSES = (
    DocumentPurpose.AGENDA,
    DocumentPurpose.DRAFT_RESOLUTION,
    DocumentPurpose.TOPIC_PAPER,
)
PURPOSE_LABELS: dict[DocumentPurpose, Msgid] = {
    DocumentPurpose.THAM_LUAN: N_("Contribution (tham luận)"),
    DocumentPurpose.AGENDA: N_("Agenda"),
    DocumentPurpose.DRAFT_RESOLUTION: N_("Draft resolution"),
    DocumentPurpose.TOPIC_PAPER: N_("Topic paper"),
    DocumentPurpose.OTHER: N_("Other document"),
}


def purpose_label(lang: Lang, purpose: DocumentPurpose | str | None) -> str:
    return lang.t(PURPOSE_LABELS[DocumentPurpose(purpose or DocumentPurpose.OTHER)])


def file_info(update: Update) -> FileInfo | None:
    message = update.effective_message
    document = message.document if message else None
    if document is None:
        return None
    return FileInfo(
        document.file_id,
        document.file_unique_id,
        document.file_name or "",
        document.mime_type or "",
        document.file_size or 0,
    )


def _check(file: FileInfo) -> str:
    """A few characters of the file's unique id, carried by our buttons."""
    return file.file_unique_id[-6:]


def remember(context: Context, file: FileInfo) -> int:
    """Keep the file's details for the buttons; returns its index in the list. The list is
    short: once full, the oldest slot is reused."""
    user_data: dict[str, Any] = context.user_data  # type: ignore[assignment]
    files: list[dict[str, Any]] = user_data.setdefault(PENDING_FILES, [])
    entry = {
        "file_id": file.file_id,
        "file_unique_id": file.file_unique_id,
        "file_name": file.file_name,
        "mime_type": file.mime_type,
        "file_size": file.size,
    }
    if len(files) < MAX_PENDING:
        files.append(entry)
        return len(files) - 1
    slot = int(user_data.get(_NEXT_SLOT, 0)) % MAX_PENDING
    files[slot] = entry
    user_data[_NEXT_SLOT] = slot + 1
    return slot


def recall(context: Context, index: str, check: str) -> FileInfo | None:
    files = (context.user_data or {}).get(PENDING_FILES) or []
    if not index.isdigit() or int(index) >= len(files):
        return None
    entry = files[int(index)]
    if not str(entry.get("file_unique_id", "")).endswith(check):
        return None
    return FileInfo(
        str(entry["file_id"]),
        str(entry["file_unique_id"]),
        str(entry["file_name"]),
        str(entry["mime_type"]),
        int(entry["file_size"]),
    )


# --------------------------------------------------------------------------- a file arrives


async def on_document(update: Update, context: Context) -> None:
    file = file_info(update)
    if file is None:
        return
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
    if not me.registered:
        await unknown(update, context)
        return
    lang = me.lang
    suffix = PurePosixPath(file.file_name).suffix.lower()
    importable = Role.ORGANISER in me.roles and suffix in IMPORTABLE
    try:
        checked = requirements.check_file(file)
    except ServiceError as exc:
        if not importable or suffix in requirements.ALLOWED_EXTENSIONS:
            await say(update, error_text(lang, exc))
            return
        # Not a type a plan's documents may have, but the import reads it (a .md plan).
        n = remember(context, file)
        await say(
            update,
            error_text(lang, exc) + "\n\n" + lang.t("This file can still be imported as a plan:"),
            markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            lang.t("📥 Import as a new plan"), callback_data=f"imp:{n}"
                        )
                    ],
                    [cancel_button(lang)],
                ]
            ),
        )
        return
    async with deps(context).ctx() as ctx:
        owed = (await requirements.pending_documents_for(ctx, me.person))[:MAX_CHOICES]
        hosted = (await appraisal.sessions_to_submit(ctx, me.person))[:MAX_CHOICES]
        hosts = {s.host_unit_id: (await get_unit(ctx, s.host_unit_id)).name for s in hosted}
    if not (owed or hosted or importable):
        await say(
            update,
            lang.t(
                "I don't know what this file is for: no plan is waiting for a document from "
                "your units, and none of your units is preparing the content of a session. "
                "Tap ❓ Help to see what I can do."
            ),
        )
        return
    n = remember(context, checked)
    check = _check(checked)
    several_units = len({d.unit.id for d in owed}) > 1
    rows = []
    for due in owed:
        label = lang.t(
            "{purpose} — plan {plan}",
            purpose=purpose_label(lang, due.requirement.document_purpose),
            plan=due.plan.number,
        )
        data = f"doc:r:{n}:{check}:{due.requirement.id}:{due.unit.id}"
        tail = f" — {due.unit.name}" if several_units else ""
        rows.append([InlineKeyboardButton(short_label(label + tail), callback_data=data)])
    for session in hosted:
        label = lang.t(
            "Content of the session {day} — {host}",
            day=session_day(session),
            host=hosts[session.host_unit_id],
        )
        rows.append(
            [
                InlineKeyboardButton(
                    short_label(label), callback_data=f"doc:s:{n}:{check}:{session.id}"
                )
            ]
        )
    if importable:
        rows.append(
            [InlineKeyboardButton(lang.t("📥 Import as a new plan"), callback_data=f"imp:{n}")]
        )
    rows.append([cancel_button(lang)])
    await say(
        update,
        lang.t("What is “{name}”? Choose below.", name=checked.file_name),
        markup=InlineKeyboardMarkup(rows),
    )


# --------------------------------------------------------------------------- the choice


async def _forget_buttons(update: Update) -> None:
    """The question is answered: its buttons go (a second press would file it twice)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest:
        pass  # (already without buttons)


async def _gone(update: Update, lang: Lang) -> None:
    await say(update, lang.t("That file is no longer waiting here. Please send it again."))


async def for_requirement(update: Update, context: Context) -> None:
    """`doc:r:<n>:<check>:<requirement_id>:<unit_id>`."""
    parts = split_data(pressed(update), "doc:r")
    await answer_button(update)
    lang = await lang_only(update, context)
    if not parts or len(parts) != 4 or not (parts[2].isdigit() and parts[3].isdigit()):
        return
    file = recall(context, parts[0], parts[1])
    if file is None:
        await _gone(update, lang)
        return
    requirement_id, unit_id = int(parts[2]), int(parts[3])
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            requirement = await requirements.get_requirement(ctx, requirement_id)
            outcome = await requirements.add_document(
                ctx,
                me.person,  # type: ignore[arg-type]
                requirement.plan_id,
                unit_id,
                DocumentPurpose(requirement.document_purpose or DocumentPurpose.THAM_LUAN),
                file,
                requirement_id=requirement_id,
            )
            plan = await plans.get_plan(ctx, requirement.plan_id)
            unit = await get_unit(ctx, unit_id)
            await deliver.queue(
                ctx,
                outcome.notices,
                kind="document_received",
                subject_type="requirement",
                subject_id=requirement_id,
            )
    except ServiceError as exc:
        await say(update, error_text(lang, exc))
        return
    deliver.send_soon(context.application)
    await _forget_buttons(update)
    await say(
        update,
        me.lang.t(
            "Received “{name}” from “{unit}” for plan {plan}: {requirement}. "
            "The organisers are told.",
            name=outcome.value.file_name,
            unit=unit.name,
            plan=plan.number,
            requirement=requirement.description,
        ),
    )


async def for_session(update: Update, context: Context) -> None:
    """`doc:s:<n>:<check>:<session_id>`: which part of the content is it?"""
    parts = split_data(pressed(update), "doc:s")
    await answer_button(update)
    lang = await lang_only(update, context)
    if not parts or len(parts) != 3 or not parts[2].isdigit():
        return
    if recall(context, parts[0], parts[1]) is None:
        await _gone(update, lang)
        return
    prefix = f"doc:p:{parts[0]}:{parts[1]}:{parts[2]}"
    rows = [
        [InlineKeyboardButton(purpose_label(lang, p), callback_data=f"{prefix}:{p.value}")]
        for p in SESSION_PURPOSES
    ]
    rows.append([cancel_button(lang)])
    await say(update, lang.t("Which part of the content is it?"), markup=InlineKeyboardMarkup(rows))


async def session_purpose(update: Update, context: Context) -> None:
    """`doc:p:<n>:<check>:<session_id>:<purpose>`."""
    parts = split_data(pressed(update), "doc:p")
    await answer_button(update)
    lang = await lang_only(update, context)
    if (
        not parts
        or len(parts) != 4
        or not parts[2].isdigit()
        or parts[3] not in {p.value for p in SESSION_PURPOSES}
    ):
        return
    file = recall(context, parts[0], parts[1])
    if file is None:
        await _gone(update, lang)
        return
    session_id, purpose = int(parts[2]), DocumentPurpose(parts[3])
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            session = await sessions.get_session(ctx, session_id)
            outcome = await requirements.add_document(
                ctx,
                me.person,  # type: ignore[arg-type]
                session.plan_id,
                session.host_unit_id,
                purpose,
                file,
                session_id=session_id,
            )
            host = await get_unit(ctx, session.host_unit_id)
    except ServiceError as exc:
        await say(update, error_text(lang, exc))
        return
    await _forget_buttons(update)
    submit = InlineKeyboardButton(
        me.lang.t("📎 Submit content"), callback_data=f"ap:submit:{session_id}"
    )
    await say(
        update,
        me.lang.t(
            "Received “{name}” ({purpose}) for the session of “{host}” on {day}. "
            "When the content is complete, tap 📎 Submit content to send it for review.",
            name=outcome.value.file_name,
            purpose=purpose_label(me.lang, purpose),
            host=host.name,
            day=session_day(session),
        ),
        markup=InlineKeyboardMarkup([[submit]]),
    )


router.button(r"^doc:r:\d+:[\w-]+:\d+:\d+$", for_requirement)
router.button(r"^doc:s:\d+:[\w-]+:\d+$", for_session)
router.button(r"^doc:p:\d+:[\w-]+:\d+:[a-z_]+$", session_purpose)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    # Registered after every conversation: a file sent while a conversation waits for an
    # answer goes to that conversation.
    return [MessageHandler(filters.Document.ALL, on_document)]
