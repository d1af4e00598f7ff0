"""Draw screens as Telegram messages: inline keyboards, edits in place, photos, documents.

`show` answers the update a step handled; `send`/`edit` serve screens that are not an answer
(a progress report updated by a background task). A text over Telegram's limits is split on
paragraph and line boundaries, the keyboard going with the last part; an edit that would change
nothing ("message is not modified") is taken as done, and a message that can no longer be
edited is answered with a new one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest

from channels.telegram import parts as long_screens
from ui.qr import qr_png
from ui.screen import (
    FileAttachment,
    ImageAttachment,
    Menu,
    Mode,
    QrAttachment,
    Screen,
    StoredFileAttachment,
)
from ui.split import split_text

log = logging.getLogger(__name__)
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


@dataclass(frozen=True, slots=True)
class Shown:
    """Where a screen was drawn, to update it later."""

    chat_id: int
    message_id: int


def inline_markup(screen: Screen) -> InlineKeyboardMarkup | None:
    if not screen.choices:
        return None
    rows = []
    for row in screen.choices:
        buttons = []
        for choice in row:
            if choice.url is not None:
                buttons.append(InlineKeyboardButton(choice.label, url=choice.url))
            else:
                assert choice.action is not None
                buttons.append(
                    InlineKeyboardButton(choice.label, callback_data=choice.action.pack())
                )
        rows.append(buttons)
    return InlineKeyboardMarkup(rows)


def menu_markup(menu: Menu) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    if not menu.rows:
        return ReplyKeyboardRemove()
    return ReplyKeyboardMarkup(
        [list(r) for r in menu.rows], resize_keyboard=True, is_persistent=True
    )


def markup_of(screen: Screen) -> Markup | None:
    inline = inline_markup(screen)
    if inline is not None:
        return inline
    return menu_markup(screen.menu) if screen.menu is not None else None


def _is_not_modified(exc: BadRequest) -> bool:
    return "not modified" in exc.message.lower()


async def ack(update: Update, text: str | None = None) -> None:
    """Stop a press's spinner (once; a second answer is refused by Telegram and ignored)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text[:200] if text else None)
    except BadRequest as exc:
        log.debug("callback query %s already answered: %s", query.id, exc)


async def show(update: Update, screen: Screen) -> Message | None:
    """Draw `screen` in answer to `update` (a message or a press)."""
    chat = update.effective_chat
    if chat is None:
        return None
    query = update.callback_query
    old = query.message if query is not None and isinstance(query.message, Message) else None
    if screen.mode is not Mode.NEW and old is not None and not screen.attachments:
        if len(screen.text) > TEXT_LIMIT or long_screens.known(old):
            parts = split_text(screen.text, TEXT_LIMIT) or ["…"]
            parse_mode = "HTML" if screen.html else None
            replaced = await long_screens.replace(
                chat.get_bot(), old, parts, parse_mode, inline_markup(screen)
            )
            if replaced is not None:
                return replaced
        edited = await _edit_message(old, screen)
        if edited is not None:
            return edited
    return await send(chat.get_bot(), chat.id, screen)


async def _edit_message(old: Message, screen: Screen) -> Message | None:
    """The edited message, or None when it cannot be edited (then a new one is sent)."""
    if len(screen.text) > TEXT_LIMIT or (screen.menu is not None and not screen.choices):
        return None
    markup = inline_markup(screen)
    try:
        if old.text is None:  # a photo or a document: its caption stays
            if not screen.text or screen.text == (old.caption or ""):
                await old.edit_reply_markup(markup)
                return old
            return None
        if old.text == screen.text and not screen.html:
            await old.edit_reply_markup(markup)
            return old
        result = await old.edit_text(
            screen.text, parse_mode="HTML" if screen.html else None, reply_markup=markup
        )
        return result if isinstance(result, Message) else old
    except BadRequest as exc:
        if _is_not_modified(exc):
            return old
        log.debug("cannot edit message %s, sending a new one: %s", old.message_id, exc)
        return None


async def send(bot: Bot, chat_id: int, screen: Screen) -> Message | None:
    """Draw `screen` as new message(s) in `chat_id`; the last message sent."""
    parse_mode = "HTML" if screen.html else None
    markup = markup_of(screen)
    if screen.attachments:
        return await _send_attachments(bot, chat_id, screen, parse_mode, markup)
    parts = split_text(screen.text, TEXT_LIMIT) or ["…"]
    last: Message | None = None
    sent: list[int] = []
    for index, part in enumerate(parts):
        final = index == len(parts) - 1
        last = await bot.send_message(
            chat_id, part, parse_mode=parse_mode, reply_markup=markup if final else None
        )
        sent.append(last.message_id)
    long_screens.remember(chat_id, sent)
    return last


async def _send_attachments(
    bot: Bot, chat_id: int, screen: Screen, parse_mode: str | None, markup: Markup | None
) -> Message | None:
    caption: str | None = screen.text or None
    if caption and len(caption) > CAPTION_LIMIT:
        await send(bot, chat_id, Screen(text=caption, html=screen.html))
        caption = None
    last: Message | None = None
    for index, item in enumerate(screen.attachments):
        final = index == len(screen.attachments) - 1
        kwargs = {
            "caption": caption if index == 0 else None,
            "parse_mode": parse_mode if index == 0 and caption else None,
            "reply_markup": markup if final else None,
        }
        if isinstance(item, ImageAttachment):
            last = await bot.send_photo(chat_id, InputFile(item.data, filename=item.name), **kwargs)
        elif isinstance(item, QrAttachment):
            last = await bot.send_photo(
                chat_id, InputFile(qr_png(item.link), filename="qr.png"), **kwargs
            )
        elif isinstance(item, FileAttachment):
            last = await bot.send_document(
                chat_id, InputFile(item.data, filename=item.name), **kwargs
            )
        elif isinstance(item, StoredFileAttachment):
            last = await bot.send_document(chat_id, item.ref, **kwargs)
    return last


async def edit(bot: Bot, shown: Shown, screen: Screen) -> None:
    """Update a screen drawn earlier by `send` (a progress report)."""
    try:
        await bot.edit_message_text(
            screen.text[:TEXT_LIMIT],
            chat_id=shown.chat_id,
            message_id=shown.message_id,
            parse_mode="HTML" if screen.html else None,
            reply_markup=inline_markup(screen),
        )
    except BadRequest as exc:
        if not _is_not_modified(exc):
            raise


def shown(message: Message | None) -> Shown | None:
    return Shown(message.chat_id, message.message_id) if message is not None else None
