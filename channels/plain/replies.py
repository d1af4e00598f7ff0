"""Turn a typed reply that picks an offered choice into the press of that choice, so the same
flows (ConversationHandler states, typed actions) serve a channel without buttons."""

from __future__ import annotations

from contextvars import ContextVar

from telegram import CallbackQuery, Message, Update
from telegram.ext import ApplicationHandlerStop, CallbackContext

from channels import route
from channels.plain.offers import SAY, OfferStore
from channels.plain.render import PlainRenderer

_NESTED: ContextVar[bool] = ContextVar("chibot_reply_translated", default=False)


async def press_for_reply(
    update: Update,
    context: CallbackContext,  # type: ignore[type-arg]
    offers: OfferStore,
) -> None:
    """When the message picks a choice on offer, handle the press of it instead (same update
    id) and stop handling the message (raises ApplicationHandlerStop); else do nothing."""
    message = update.message
    if message is None or not message.text or message.text.startswith("/") or _NESTED.get():
        return
    offer = await offers.get(message.chat_id)
    data = offer.pick(message.text) if offer is not None else None
    if data is None:
        return
    if data.startswith(SAY):  # a menu key: handle its label as if typed
        typed = Message(
            message_id=message.message_id,
            date=message.date,
            chat=message.chat,
            from_user=message.from_user,
            text=data.removeprefix(SAY),
        )
        typed.set_bot(context.bot)
        said = Update(update.update_id, message=typed)
        said.set_bot(context.bot)
        await _process(context, said)
        raise ApplicationHandlerStop
    query = CallbackQuery(
        id=f"plain-{update.update_id}",
        from_user=message.from_user,  # type: ignore[arg-type]
        chat_instance=str(message.chat_id),
        data=data,
        message=message,
    )
    query.set_bot(context.bot)
    pressed = Update(update.update_id, callback_query=query)
    pressed.set_bot(context.bot)
    await _process(context, pressed)
    raise ApplicationHandlerStop


async def _process(context: CallbackContext, update: Update) -> None:  # type: ignore[type-arg]
    """Handle the translated update in place of the message (not translated again)."""
    token = _NESTED.set(True)
    try:
        await context.application.process_update(update)
    finally:
        _NESTED.reset(token)


def reply_translator(offers: OfferStore, renderer: PlainRenderer):  # type: ignore[no-untyped-def]
    """A handler for the first group: draw this update in plain text, and make a reply that
    picks a choice the press of it."""

    async def translate(update: Update, context: CallbackContext) -> None:  # type: ignore[type-arg]
        route.use(renderer)
        await press_for_reply(update, context, offers)

    return translate
