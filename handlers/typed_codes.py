"""A short code typed as a message (no flow took it): an invite code is opening the invite
link (`/start CODE`), for messengers where a link cannot carry the token (Zalo) and for people
who copied the code from paper."""

from __future__ import annotations

from telegram import Message, MessageEntity, Update

from handlers import onboarding
from handlers.common import Context
from services import short_codes


def start_update(update: Update, code: str) -> Update | None:
    """The same message, as `/start CODE` typed by the same person."""
    message = update.message
    if message is None:
        return None
    command = "/start"
    typed = Message(
        message_id=message.message_id,
        date=message.date,
        chat=message.chat,
        from_user=message.from_user,
        text=f"{command} {code}",
        entities=[MessageEntity(MessageEntity.BOT_COMMAND, 0, len(command))],
    )
    typed.set_bot(message.get_bot())
    rewritten = Update(update.update_id, message=typed)
    rewritten.set_bot(message.get_bot())
    return rewritten


async def open_typed_code(update: Update, context: Context) -> bool:
    """Start joining with a typed invite code; False when the text is not a code."""
    message = update.message
    code = short_codes.normalise(message.text if message else None)
    rewritten = start_update(update, code) if code else None
    if rewritten is None:
        return False
    conversation = onboarding.conversation()
    found = conversation.check_update(rewritten)
    if not found:
        return False
    await conversation.handle_update(rewritten, context.application, found, context)
    return True
