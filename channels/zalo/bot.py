"""The Application's bot when Zalo is served: a PTB `ExtBot` that sends what is addressed to a
Zalo chat key through Zalo, and — when no Telegram token is set — never calls Telegram.

Flows draw through the renderer chosen per update (channels.route), so they already reach
Zalo; this covers the rest that calls `bot.send_message` itself (the error handler, a few
older answers). Zalo-only, `initialize` does not ask Telegram who the bot is, commands are
not published and the Application runs with no Updater: handlers, the job queue and the
persistence work as usual, updates come from the Zalo poller or webhook.
"""

from __future__ import annotations

from typing import Any

from telegram import Message, User
from telegram.ext import ApplicationBuilder, ExtBot

from channels.plain.render import TEXT_LIMIT, plain
from channels.zalo.outlet import ZaloOutlet
from channels.zalo.render import zalo_words
from services.accounts import is_zalo_key
from ui.split import split_text

ZALO_ONLY_TOKEN = "0:zalo-only"  # a Bot needs a token; this one is never sent anywhere


class ChannelBot(ExtBot):  # type: ignore[type-arg]
    zalo: ZaloOutlet | None = None
    telegram_enabled: bool = True

    def attach(self, *, zalo: ZaloOutlet | None = None, telegram: bool | None = None) -> None:
        with self._unfrozen():
            if zalo is not None:
                self.zalo = zalo
            if telegram is not None:
                self.telegram_enabled = telegram

    async def get_me(self, *args: Any, **kwargs: Any) -> User:
        if self.telegram_enabled:
            return await super().get_me(*args, **kwargs)
        user = User(id=0, first_name="chibot", is_bot=True, username="chibot_zalo")
        with self._unfrozen():
            self._bot_user = user  # what initialize() would have asked Telegram for
        return user

    async def set_my_commands(self, *args: Any, **kwargs: Any) -> bool:
        if not self.telegram_enabled:
            return True
        return await super().set_my_commands(*args, **kwargs)

    async def send_message(self, chat_id: Any, text: str, *args: Any, **kwargs: Any) -> Message:
        if self.zalo is not None and isinstance(chat_id, int) and is_zalo_key(chat_id):
            body = zalo_words(plain(text, str(kwargs.get("parse_mode") or "").upper() == "HTML"))
            last = None
            for part in split_text(body, TEXT_LIMIT):
                last = await self.zalo.send_text(self, chat_id, part)
            if last is None:
                raise ValueError("nothing sent: an empty text or an unknown Zalo chat")
            return last
        return await super().send_message(chat_id, text, *args, **kwargs)


class ChannelApplicationBuilder(ApplicationBuilder):  # type: ignore[type-arg]
    """Builds the Application around a ChannelBot (same arguments as PTB's own ExtBot)."""

    def __init__(self, *, telegram: bool = True) -> None:
        super().__init__()
        self._telegram = telegram

    def _build_ext_bot(self) -> ExtBot:  # type: ignore[type-arg]
        built = super()._build_ext_bot()
        bot = ChannelBot(
            token=built.token,
            base_url=built.base_url.removesuffix(built.token),
            base_file_url=built.base_file_url.removesuffix(built.token),
            request=built._request[1],
            get_updates_request=built._request[0],
            rate_limiter=built.rate_limiter,
            defaults=built.defaults,
        )
        bot.attach(telegram=self._telegram)
        return bot
