"""Serve the flows as plain text (RENDER_PLAIN): numbered choices instead of buttons, typed
numbers instead of presses. The same screens, the same flows; only the renderer differs."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from channels import route
from channels.plain.offers import Offers
from channels.plain.render import PlainRenderer
from channels.plain.replies import reply_translator

FIRST_GROUP = -1000  # before every feature's handlers


def install_plain(app: Application) -> None:  # type: ignore[type-arg]
    offers = Offers()
    renderer = PlainRenderer(offers, route.locale)
    app.bot_data["plain_offers"] = offers
    app.add_handler(TypeHandler(Update, reply_translator(offers, renderer)), group=FIRST_GROUP)
