"""Which renderer draws each update, chosen once in the first handler group: the Zalo renderer
for a Zalo chat key, the plain renderer for Telegram chats when RENDER_PLAIN is set (a preview
of what Zalo gets), else Telegram's. Where the renderer is plain text, a typed reply that
picks a numbered choice becomes the press of it. The same screens, the same flows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import Application, CallbackContext, TypeHandler

from channels import route
from channels.plain.offers import Offers
from channels.plain.render import PlainRenderer
from channels.plain.replies import press_for_reply
from services.accounts import is_zalo_key

if TYPE_CHECKING:
    from channels.zalo.channel import ZaloChannel

FIRST_GROUP = -1000  # before every feature's handlers


def install_channels(
    app: Application,  # type: ignore[type-arg]
    *,
    plain: bool,
    zalo: ZaloChannel | None = None,
) -> None:
    offers = Offers()
    renderer = PlainRenderer(offers, route.locale)
    app.bot_data["plain_offers"] = offers

    async def choose(update: Update, context: CallbackContext) -> None:  # type: ignore[type-arg]
        chat = update.effective_chat
        if zalo is not None and chat is not None and is_zalo_key(chat.id):
            route.use(zalo.renderer)
            await press_for_reply(update, context, zalo.offers)
        elif plain:
            route.use(renderer)
            await press_for_reply(update, context, offers)
        else:
            route.use(route.TELEGRAM)

    if plain or zalo is not None:
        app.add_handler(TypeHandler(Update, choose), group=FIRST_GROUP)


def install_plain(app: Application) -> None:  # type: ignore[type-arg]
    install_channels(app, plain=True)
