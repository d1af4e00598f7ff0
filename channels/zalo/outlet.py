"""Where a Zalo chat key's messages go: the account's own Zalo chat id, through the client.

Flows know a Zalo chat by its chat key (services.accounts); the outlet maps it back (cached,
else from the database) and sends each text part, returning a python-telegram-bot `Message`
that stands for what was sent so callers can treat both channels alike."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from telegram import Bot, Chat, Message

from channels.zalo.client import SentMessage, ZaloClient
from core.clock import SystemClock
from services import accounts
from services.context import Ctx


class ZaloOutlet:
    def __init__(self, client: ZaloClient, sessions: Callable[[], Any]) -> None:
        self.client = client
        self._sessions = sessions
        self._external: dict[int, str] = {}
        self._ids = itertools.count(1)

    def remember(self, chat_key: int, external_id: str) -> None:
        self._external[chat_key] = external_id

    async def external_id(self, chat_key: int) -> str | None:
        known = self._external.get(chat_key)
        if known is None:
            async with self._sessions() as session:
                account = await accounts.by_chat_key(Ctx(session, SystemClock()), chat_key)
            if account is None:
                return None
            known = self._external[chat_key] = account.external_id
        return known

    async def send_photo_url(
        self, bot: Bot | None, chat_key: int, url: str, caption: str | None
    ) -> Message | None:
        """Send a picture by its URL (Zalo fetches it), with a caption of ≤ 2,000 characters."""
        external = await self.external_id(chat_key)
        if external is None:
            return None
        sent = await self.client.send_photo_url(external, url, caption)
        return self._message(bot, chat_key, sent, caption or "")

    async def send_text(self, bot: Bot | None, chat_key: int, text: str) -> Message | None:
        """Send one part (1..2000 characters) to the chat; None when the chat is unknown."""
        external = await self.external_id(chat_key)
        if external is None:
            return None
        sent = await self.client.send_message(external, text)
        return self._message(bot, chat_key, sent, text)

    def _message(self, bot: Bot | None, chat_key: int, sent: SentMessage, text: str) -> Message:
        date = (
            datetime.fromtimestamp(sent.date_ms / 1000, UTC) if sent.date_ms else datetime.now(UTC)
        )
        message = Message(
            message_id=next(self._ids),
            date=date,
            chat=Chat(id=chat_key, type=Chat.PRIVATE),
            text=text,
        )
        if bot is not None:
            message.set_bot(bot)
        return message
