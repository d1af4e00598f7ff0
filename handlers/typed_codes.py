"""A short code typed as a message (no flow took it): an invite code is opening the invite
link (`/start CODE`), for messengers where a link cannot carry the token (Zalo) and for people
who copied the code from paper."""

from __future__ import annotations

from telegram import Message, MessageEntity, Update

from handlers import onboarding, router
from handlers.common import Context, who
from handlers.step import END, Turn, step
from services import account_links, short_codes


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
    """A linking code links this messenger; an invite code starts joining. False when the
    text is neither."""
    message = update.message
    code = short_codes.normalise(message.text if message else None)
    if code is not None and await link_typed_code(update, context):
        return True
    rewritten = start_update(update, code) if code else None
    if rewritten is None:
        return False
    conversation = onboarding.conversation()
    found = conversation.check_update(rewritten)
    if not found:
        return False
    await conversation.handle_update(rewritten, context.application, found, context)
    return True


@step(on_error=END)  # a code that was found but refused is answered: it was handled
async def _link(turn: Turn) -> bool:
    link = await account_links.find(turn.ctx, turn.text)
    if link is None:
        return False
    chat = turn.update.effective_chat
    assert chat is not None
    person = await account_links.redeem(turn.ctx, link, chat.id)
    me = await who(turn.ctx, turn.update, turn.context)
    turn.say(
        turn.lang.t(
            "Linked. This messenger now reaches the assistant as {name}.",
            name=person.full_name or "—",
        ),
        menu=router.menu_for(me),
    )
    return True


async def link_typed_code(update: Update, context: Context) -> bool:
    """Link this chat's account to the person whose linking code was typed."""
    return bool(await _link(update, context))
