"""/thamdinh (/review): content appraisal (thẩm định) of model sessions.

Host secretaries send a session's content (`ap:submit:<id>`, from /thamdinh, the session
card or a notice): they type text and/or send files, then tap 📨 Send for review. Organisers
above the host get a notice with the review buttons; in /thamdinh they see what waits for
them, approve it (`ap:ok:<id>`) or return it with a comment (`ap:ret:<id>`, typed). The host
is told and can send it again.

The two typed steps (the content, the comment) are one conversation; the rest is stateless.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.i18n import N_, Lang
from handlers import deliver, router
from handlers.common import Context, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.documents import file_info
from handlers.flow import drop, drop_all, enter, fallbacks, flow_gone, give_up
from handlers.pickers import cancel_button, one_id
from handlers.plans import (
    CONTENT_STATUS,
    TRY_AGAIN,
    flow_data,
    session_label,
    short_label,
)
from services import appraisal, outbox, plans, requirements
from services.context import Ctx
from services.errors import InvalidInput, ServiceError
from services.notifications import Notice
from services.outbox import Button
from services.requirements import FileInfo
from services.units import get_unit
from services.vn_datetime import format_datetime_long, format_month
from storage.models import ContentStatus, DocumentPurpose, ModelSession, Role, SessionKind

COLLECT, COMMENT = range(2)
_DATA = "appraisal_flow"
MAX_SHOWN_TEXT = 3000
MAX_FILES = 10


def when_text(lang: Lang, session: ModelSession, tz: Any) -> str:
    if session.starts_at is not None:
        return format_datetime_long(session.starts_at, lang.locale, tz)
    if session.tentative_year and session.tentative_month:
        return format_month(session.tentative_year, session.tentative_month, lang.locale)
    return "—"


async def _queue(
    ctx: Ctx,
    notices: Iterable[Notice],
    *,
    kind: str,
    session_id: int,
    buttons: tuple[tuple[Button, ...], ...],
) -> int:
    """Like `deliver.queue`, with buttons on every notice."""
    planned = outbox.from_notices(
        notices, now=ctx.clock.now(), kind=kind, subject_type="session", subject_id=session_id
    )
    return await outbox.plan(ctx, [replace(p, buttons=buttons) for p in planned])


def review_buttons(session_id: int) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(N_("✅ Approve"), f"ap:ok:{session_id}"),
            Button(N_("↩️ Return"), f"ap:ret:{session_id}"),
        ),
        (Button(N_("🔍 View the content"), f"ap:view:{session_id}"),),
    )


def resubmit_buttons(session_id: int) -> tuple[tuple[Button, ...], ...]:
    return ((Button(N_("📎 Submit content"), f"ap:submit:{session_id}"),),)


# --------------------------------------------------------------------------- /thamdinh


async def show_review(update: Update, context: Context) -> None:
    """What waits for review (organisers) and the content of the sessions one hosts."""
    await answer_button(update)
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        waiting = await appraisal.awaiting_review(ctx, me.person) if me.person else []
        hosted = await appraisal.hosted_sessions(ctx, me.person)
        names = {
            s.host_unit_id: (await get_unit(ctx, s.host_unit_id)).name for s in waiting + hosted
        }
        comments = {
            s.id: await appraisal.last_return_comment(ctx, s.id)  # type: ignore[arg-type]
            for s in hosted
            if s.content_status == ContentStatus.RETURNED
        }
    lang = me.lang
    if not waiting and not hosted:
        await say(
            update,
            lang.t(
                "Nothing to review or to submit now. Organisers see here the content units "
                "send for review; secretaries, the content of their units' coming sessions."
            ),
        )
        return
    lines: list[str] = []
    rows: list[list[InlineKeyboardButton]] = []
    if waiting:
        lines.append(lang.t("Content waiting for your review:"))
        for s in waiting:
            label = session_label(lang, s, names[s.host_unit_id])
            lines.append(f"• {label}")
            rows.append(
                [InlineKeyboardButton(short_label("🔍 " + label), callback_data=f"ap:view:{s.id}")]
            )
    if hosted:
        if lines:
            lines.append("")
        lines.append(lang.t("Content of the sessions your units host:"))
        for s in hosted:
            label = session_label(lang, s, names[s.host_unit_id])
            status = lang.t(CONTENT_STATUS[ContentStatus(s.content_status)])
            line = f"• {label}: {status}"
            if comments.get(s.id):
                line += "\n  " + lang.t("Changes asked: {comment}", comment=comments[s.id])
            lines.append(line)
            if s.content_status in (ContentStatus.NONE, ContentStatus.RETURNED):
                rows.append(
                    [
                        InlineKeyboardButton(
                            short_label("📎 " + label), callback_data=f"ap:submit:{s.id}"
                        )
                    ]
                )
    await say(update, "\n".join(lines), markup=InlineKeyboardMarkup(rows) if rows else None)


async def view_content(update: Update, context: Context) -> None:
    """`ap:view:<id>`: the submitted content, with the review buttons."""
    session_id = one_id(update, "ap:view")
    await answer_button(update)
    if session_id is None:
        return
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            session = await appraisal.require_reviewer(ctx, me.person, session_id)
            plan = await plans.get_plan(ctx, session.plan_id)
            host = await get_unit(ctx, session.host_unit_id)
            documents = await requirements.session_documents(ctx, session_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    params = _session_words(lang, session, host.name, tz)
    lines = [
        lang.t(
            "Content of the {kind} of “{host}” ({when}), plan {plan}", plan=plan.number, **params
        ),
        lang.t(
            "Status: {status}",
            status=lang.t(CONTENT_STATUS[ContentStatus(session.content_status)]),
        ),
    ]
    if session.topic:
        lines.append(lang.t("Topic: {topic}", topic=session.topic))
    if session.content_text:
        text = session.content_text
        if len(text) > MAX_SHOWN_TEXT:
            text = text[:MAX_SHOWN_TEXT] + "…"
        lines += ["", text]
    if documents:
        lines += ["", lang.t("Files:")] + [f"📄 {d.file_name}" for d in documents]
    rows = []
    if session.content_status == ContentStatus.SUBMITTED:
        rows.append(
            [
                InlineKeyboardButton(lang.t("✅ Approve"), callback_data=f"ap:ok:{session_id}"),
                InlineKeyboardButton(lang.t("↩️ Return"), callback_data=f"ap:ret:{session_id}"),
            ]
        )
    if documents:
        rows.append(
            [
                InlineKeyboardButton(
                    lang.t("📄 Open the files ({n})", n=len(documents)),
                    callback_data=f"ap:files:{session_id}",
                )
            ]
        )
    await say(update, "\n".join(lines), markup=InlineKeyboardMarkup(rows) if rows else None)


def _session_words(lang: Lang, session: ModelSession, host: str, tz: Any) -> dict[str, str]:
    return {
        "kind": lang.t(plans.SESSION_KIND_LABELS[SessionKind(session.kind)]),
        "host": host,
        "when": when_text(lang, session, tz),
    }


async def send_files(update: Update, context: Context) -> None:
    """`ap:files:<id>`: the session's documents, sent again from Telegram's servers."""
    session_id = one_id(update, "ap:files")
    await answer_button(update)
    chat = update.effective_chat
    if session_id is None or chat is None:
        return
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            await appraisal.require_reviewer(ctx, me.person, session_id)
            documents = await requirements.session_documents(ctx, session_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    for document in documents:
        try:
            await context.bot.send_document(chat.id, document.telegram_file_id)
        except TelegramError:
            await say(
                update,
                me.lang.t("“{name}” could not be sent again.", name=document.file_name),
            )


async def approve(update: Update, context: Context) -> None:
    """`ap:ok:<id>`."""
    session_id = one_id(update, "ap:ok")
    await answer_button(update)
    if session_id is None:
        return
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            outcome = await appraisal.approve_content(ctx, me.person, session_id)  # type: ignore[arg-type]
            host = await get_unit(ctx, outcome.value.host_unit_id)
            await deliver.queue(
                ctx,
                outcome.notices,
                kind="content_reviewed",
                subject_type="session",
                subject_id=session_id,
            )
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    deliver.send_soon(context.application)
    await _drop_buttons(update)
    await say(
        update, me.lang.t("Approved the content of “{host}”. The host is told.", host=host.name)
    )


async def _drop_buttons(update: Update) -> None:
    query = update.callback_query
    if query is None:
        return
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest:
        pass  # (already without buttons)


# --------------------------------------------------------------------------- return: a comment


async def ask_comment(update: Update, context: Context) -> int:
    """`ap:ret:<id>`: what should the host change?"""
    session_id = one_id(update, "ap:ret")
    await answer_button(update)
    drop_all(context)  # a conversation left open below this one takes no more answers
    if session_id is None:
        return ConversationHandler.END
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            session = await appraisal.check_can_review(ctx, me.person, session_id)
            host = await get_unit(ctx, session.host_unit_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return ConversationHandler.END
    context.user_data[_DATA] = {"return": session_id}  # type: ignore[index]
    await say(
        update,
        me.lang.t(
            "Type what “{host}” should change (they will read it), for example: "
            "Bổ sung phần liên hệ thực tiễn của chi bộ.",
            host=host.name,
        ),
        markup=InlineKeyboardMarkup([[cancel_button(me.lang)]]),
    )
    return COMMENT


async def comment_typed(update: Update, context: Context) -> int | None:
    data = flow_data(context, _DATA)
    if data is None or "return" not in data:
        return await flow_gone(update, context)
    message = update.effective_message
    session_id = int(data["return"])
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            outcome = await appraisal.return_content(
                ctx,
                me.person,  # type: ignore[arg-type]
                session_id,
                (message.text if message else "") or "",
            )
            host = await get_unit(ctx, outcome.value.host_unit_id)
            await _queue(
                ctx,
                outcome.notices,
                kind="content_reviewed",
                session_id=session_id,
                buttons=resubmit_buttons(session_id),
            )
    except InvalidInput as exc:
        lang = await lang_only(update, context)
        await say(update, error_text(lang, exc) + "\n" + lang.t(TRY_AGAIN))
        return None
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    drop(context, _DATA)
    deliver.send_soon(context.application)
    await say(
        update,
        me.lang.t(
            "Returned the content to “{host}” with your comment. They are told and can send it again.",
            host=host.name,
        ),
    )
    return ConversationHandler.END


# --------------------------------------------------------------------------- submit: the content


def _send_markup(lang: Lang) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(lang.t("📨 Send for review"), callback_data="ap:send"),
                cancel_button(lang),
            ]
        ]
    )


async def begin_submit(update: Update, context: Context) -> int:
    """`ap:submit:<id>`."""
    session_id = one_id(update, "ap:submit")
    await answer_button(update)
    drop_all(context)  # a conversation left open below this one takes no more answers
    if session_id is None:
        return ConversationHandler.END
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            session = await appraisal.check_can_submit(ctx, me.person, session_id)
            host = await get_unit(ctx, session.host_unit_id)
            documents = await requirements.session_documents(ctx, session_id)
            comment = await appraisal.last_return_comment(ctx, session_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return ConversationHandler.END
    context.user_data[_DATA] = {"submit": session_id, "text": None, "files": []}  # type: ignore[index]
    lang = me.lang
    lines = [
        lang.t(
            "Content of the {kind} of “{host}” ({when}).",
            **_session_words(lang, session, host.name, tz),
        )
    ]
    if session.content_status == ContentStatus.RETURNED and comment:
        lines.append(lang.t("Changes asked: {comment}", comment=comment))
    if session.content_text:
        lines.append(lang.t("The text sent before is kept unless you type a new one."))
    if documents:
        lines.append(
            lang.nt(
                "{n} file was sent before; new files are added to it.",
                "{n} files were sent before; new files are added to them.",
                len(documents),
            )
        )
    lines.append(
        lang.t(
            "Type the content (agenda, draft resolution, topic paper) and/or send it as "
            ".docx or .pdf files. Then tap 📨 Send for review."
        )
    )
    await say(update, "\n".join(lines), markup=_send_markup(lang))
    return COLLECT


async def content_typed(update: Update, context: Context) -> int | None:
    data = flow_data(context, _DATA)
    if data is None or "submit" not in data:
        return await flow_gone(update, context)
    message = update.effective_message
    text = (message.text if message else "") or ""
    data["text"] = f"{data['text']}\n\n{text}" if data["text"] else text
    lang = await lang_only(update, context)
    await say(
        update,
        lang.t(
            "Noted ({n} characters so far). Type more, send files, or tap 📨 Send for review.",
            n=len(data["text"]),
        ),
        markup=_send_markup(lang),
    )
    return None


async def file_sent(update: Update, context: Context) -> int | None:
    data = flow_data(context, _DATA)
    file = file_info(update)
    if data is None or "submit" not in data:
        return await flow_gone(update, context)
    lang = await lang_only(update, context)
    if file is None:
        return None
    try:
        checked = requirements.check_file(file)
        if len(data["files"]) >= MAX_FILES:
            raise InvalidInput(
                N_(
                    "That is more files than one submission takes ({limit}). Please send the main ones."
                ),
                limit=MAX_FILES,
            )
    except ServiceError as exc:
        await say(update, error_text(lang, exc), markup=_send_markup(lang))
        return None
    data["files"].append(
        {
            "file_id": checked.file_id,
            "file_unique_id": checked.file_unique_id,
            "file_name": checked.file_name,
            "mime_type": checked.mime_type,
            "size": checked.size,
        }
    )
    await say(
        update,
        lang.t(
            "Received “{name}”. Send more files, type text, or tap 📨 Send for review.",
            name=checked.file_name,
        ),
        markup=_send_markup(lang),
    )
    return None


async def send_for_review(update: Update, context: Context) -> int | None:
    """`ap:send`: keep the files, submit, tell the reviewers (one unit of work)."""
    await answer_button(update)
    data = flow_data(context, _DATA)
    if data is None or "submit" not in data:
        return await flow_gone(update, context)
    session_id = int(data["submit"])
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            session = await appraisal.check_can_submit(ctx, me.person, session_id)
            for entry in data["files"]:
                await requirements.add_document(
                    ctx,
                    me.person,  # type: ignore[arg-type]
                    session.plan_id,
                    session.host_unit_id,
                    DocumentPurpose.OTHER,
                    FileInfo(**entry),
                    session_id=session_id,
                )
            outcome = await appraisal.submit_content(
                ctx,
                me.person,  # type: ignore[arg-type]
                session_id,
                text=data["text"],
            )
            told = await _queue(
                ctx,
                outcome.notices,
                kind="content_submitted",
                session_id=session_id,
                buttons=review_buttons(session_id),
            )
    except InvalidInput as exc:
        # Nothing was kept: say why and let them type or send again.
        lang = await lang_only(update, context)
        data["text"] = None
        await say(
            update,
            error_text(lang, exc)
            + "\n"
            + lang.t("Please type the content or send the files again."),
            markup=_send_markup(lang),
        )
        return None
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    drop(context, _DATA)
    deliver.send_soon(context.application)
    await say(
        update,
        me.lang.nt(
            "Sent for review. {n} reviewer is told; you will get their answer here.",
            "Sent for review. {n} reviewers are told; you will get their answer here.",
            told,
        ),
    )
    return ConversationHandler.END


async def collect_hint(update: Update, context: Context) -> None:
    lang = await lang_only(update, context)
    await say(
        update,
        lang.t(
            "Please type the content as text or send it as .docx/.pdf files, "
            "then tap 📨 Send for review (or /huy to stop)."
        ),
        markup=_send_markup(lang),
    )


# --------------------------------------------------------------------------- registration


ACTION = router.add(
    router.Action(
        key="review",
        label=N_("📝 Content review"),
        description=N_("Send the content of model sessions for review, or review it"),
        commands=("thamdinh", "review"),
        callback=show_review,
        roles=frozenset({Role.ORGANISER, Role.SECRETARY, Role.DEPUTY_SECRETARY}),
        menu_row=3,
    )
)
router.button(r"^ap:view:\d+$", view_content)
router.button(r"^ap:files:\d+$", send_files)
router.button(r"^ap:ok:\d+$", approve)

_CONVERSATION: ConversationHandler | None = None  # type: ignore[type-arg]
router.button(r"^ap:(submit|ret):\d+$", enter(lambda: _CONVERSATION))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    text = filters.TEXT & ~filters.COMMAND & ~router.menu_filter()
    _CONVERSATION = ConversationHandler(
        name="appraisal",
        persistent=True,
        entry_points=[
            CallbackQueryHandler(begin_submit, pattern=r"^ap:submit:\d+$"),
            CallbackQueryHandler(ask_comment, pattern=r"^ap:ret:\d+$"),
        ],
        states={
            COLLECT: [
                MessageHandler(text, content_typed),
                MessageHandler(filters.Document.ALL, file_sent),
                CallbackQueryHandler(send_for_review, pattern=r"^ap:send$"),
                MessageHandler(~filters.COMMAND & ~router.menu_filter(), collect_hint),
            ],
            COMMENT: [MessageHandler(text, comment_typed)],
        },
        fallbacks=fallbacks(_DATA),
        allow_reentry=True,
    )
    return [_CONVERSATION]
