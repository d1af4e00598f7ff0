"""Zalo served by the same Application as Telegram: the client, the outlet, the renderer with
its offers in the database, the inbox, and the receiver (webhook when ZALO_WEBHOOK_URL is set,
long polling otherwise). Built by `install_zalo` with the Application; started after it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from channels import route
from channels.web.publish import publisher_from, web_server_from
from channels.zalo.bot import ChannelBot
from channels.zalo.client import ZaloClient
from channels.zalo.inbound import ZaloInbox
from channels.zalo.offers import DatabaseOffers
from channels.zalo.outlet import ZaloOutlet
from channels.zalo.receive import ZaloPoller, ZaloWebhook
from channels.zalo.render import ZaloRenderer
from channels.zalo.sender import ZaloSender, zalo_limits
from core.config import Settings
from services.accounts import is_zalo_key

log = logging.getLogger(__name__)
LAST_GROUP = 2_000_000  # after every handler group (tests mark their updates done earlier)


class ZaloChannel:
    def __init__(self, app: Application, settings: Settings) -> None:  # type: ignore[type-arg]
        token = settings.zalo_token()
        if not token:
            raise ValueError("ZALO_BOT_TOKEN is not set")
        deps = app.bot_data["deps"]
        self.settings = settings
        self.client = ZaloClient(token, settings.zalo_base_url)
        self.outlet = ZaloOutlet(self.client, deps.sessions)
        self.offers = DatabaseOffers(deps.sessions, deps.clock)
        # Files for Zalo (charts, QR codes, exports) by signed links from the bot's web server.
        self.publisher = publisher_from(settings, deps.clock)
        self.web = web_server_from(settings, self.publisher)
        self.renderer = ZaloRenderer(self.offers, route.locale, self.outlet, self.publisher)
        self.inbox = ZaloInbox(
            app,
            self.outlet,
            deps.sessions,
            deps.clock,
            Path(settings.zalo_media_dir),
            settings.default_locale,
            files=self.publisher.store,
        )
        self.poller: ZaloPoller | None = None
        self.webhook: ZaloWebhook | None = None
        if isinstance(app.bot, ChannelBot):
            app.bot.attach(zalo=self.outlet)
        dispatcher = deps.extra.get("dispatcher")
        if dispatcher is not None:  # the outbox reaches people whose last account is Zalo's
            limits = zalo_limits(settings.zalo_rate_limit) if settings.rate_limit else None
            sender = ZaloSender(self.outlet, self.offers, deps.clock, limits, self.publisher)
            dispatcher.senders[sender.channel] = sender

    async def start(self, *, poll_seconds: int = 30) -> None:
        """Receive: the webhook if ZALO_WEBHOOK_URL is set (registered with Zalo), else polls."""
        await self.web.start()
        url, secret = self.settings.zalo_webhook_url, self.settings.zalo_secret()
        if url:
            if not secret:
                raise ValueError("ZALO_WEBHOOK_URL needs ZALO_WEBHOOK_SECRET (8 to 256 characters)")
            self.webhook = ZaloWebhook(
                self.inbox,
                self.client,
                url,
                secret,
                self.settings.zalo_webhook_listen,
                self.settings.zalo_webhook_port,
            )
            await self.webhook.start()
            await self.client.set_webhook(url, secret)
            log.info("zalo: webhook at %s", url)
        else:
            self.poller = ZaloPoller(self.client, self.inbox, wait_seconds=poll_seconds)
            await self.poller.start()
            log.info("zalo: long polling")

    async def stop(self) -> None:
        if self.poller is not None:
            await self.poller.stop()
            self.poller = None
        if self.webhook is not None:
            await self.webhook.stop()
            self.webhook = None
        await self.inbox.close()
        await self.web.stop()
        await self.client.close()


def install_zalo(app: Application, settings: Settings) -> ZaloChannel:  # type: ignore[type-arg]
    channel = ZaloChannel(app, settings)
    app.bot_data["zalo"] = channel

    async def done(update: Update, _context: Any) -> None:
        chat = update.effective_chat
        if chat is not None and is_zalo_key(chat.id):
            channel.inbox.done(update.update_id)

    app.add_handler(TypeHandler(Update, done), group=LAST_GROUP)
    return channel


def zalo_of(app: Application) -> ZaloChannel | None:  # type: ignore[type-arg]
    found = app.bot_data.get("zalo")
    return found if isinstance(found, ZaloChannel) else None
