"""Turn a typed reply that picks an offered choice into the press of that choice, so the same
flows (ConversationHandler states, typed actions) serve a channel without buttons."""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import ApplicationHandlerStop, CallbackContext

from channels import route
from channels.plain.offers import OfferStore
from channels.plain.render import PlainRenderer


async def press_for_reply(
    update: Update,
    context: CallbackContext,  # type: ignore[type-arg]
    offers: OfferStore,
) -> None:
    """When the message picks a choice on offer, handle the press of it instead (same update
    id) and stop handling the message (raises ApplicationHandlerStop); else do nothing."""
    message = update.message
    if message is None or not message.text or message.text.startswith("/"):
        return
    offer = await offers.get(message.chat_id)
    data = offer.pick(message.text) if offer is not None else None
    if data is None:
        return
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
    await context.application.process_update(pressed)
    raise ApplicationHandlerStop


def reply_translator(offers: OfferStore, renderer: PlainRenderer):  # type: ignore[no-untyped-def]
    """A handler for the first group: draw this update in plain text, and make a reply that
    picks a choice the press of it."""

    async def translate(update: Update, context: CallbackContext) -> None:  # type: ignore[type-arg]
        route.use(renderer)
        await press_for_reply(update, context, offers)

    return translate
