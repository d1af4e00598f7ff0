"""Screens too long for one Telegram message, drawn in several, and replaced as a whole.

`send` records the messages of a screen it split; a REPLACE of that screen (pressed from the
button on its last part, e.g. 🔄 Refresh of a long table) edits every part in place, deletes
the parts it no longer needs and sends the ones it needs more. The record is kept in memory
for the latest screens: after a restart the pressed message becomes the first part.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

log = logging.getLogger(__name__)
KEEP = 1000
_PARTS: OrderedDict[tuple[int, int], tuple[int, ...]] = OrderedDict()


def remember(chat_id: int, message_ids: list[int]) -> None:
    """The messages of one screen, in order (nothing is kept for a screen of one message)."""
    if len(message_ids) < 2:
        return
    _PARTS[(chat_id, message_ids[-1])] = tuple(message_ids)
    while len(_PARTS) > KEEP:
        _PARTS.popitem(last=False)


def known(message: Message) -> bool:
    """Whether `message` is the last part of a screen drawn in several."""
    return (message.chat_id, message.message_id) in _PARTS


async def replace(
    bot: Bot,
    old: Message,
    parts: list[str],
    parse_mode: str | None,
    markup: InlineKeyboardMarkup | None,
) -> Message | None:
    """Draw `parts` over the screen whose last part is `old`; the keyboard goes on the last
    part. None when a part cannot be edited (then the caller sends the screen anew)."""
    chat_id = old.chat_id
    old_ids = list(_PARTS.pop((chat_id, old.message_id), (old.message_id,)))
    new_ids: list[int] = []
    last: Message | None = old
    for index, part in enumerate(parts):
        keyboard = markup if index == len(parts) - 1 else None
        if index < len(old_ids):
            try:
                await bot.edit_message_text(
                    part,
                    chat_id=chat_id,
                    message_id=old_ids[index],
                    parse_mode=parse_mode,
                    reply_markup=keyboard,
                )
            except BadRequest as exc:
                if "not modified" not in exc.message.lower():
                    log.debug("cannot edit part %s, sending anew: %s", old_ids[index], exc)
                    return None
            new_ids.append(old_ids[index])
        else:
            last = await bot.send_message(
                chat_id, part, parse_mode=parse_mode, reply_markup=keyboard
            )
            new_ids.append(last.message_id)
    for extra in old_ids[len(parts) :]:
        try:
            await bot.delete_message(chat_id, extra)
        except BadRequest:
            pass  # (too old to delete: it stays, without the button)
    remember(chat_id, new_ids)
    return last
