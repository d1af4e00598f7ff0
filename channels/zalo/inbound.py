"""Zalo events into the flows: each accepted event becomes a python-telegram-bot `Update` fed to
the same Application as Telegram's, with the account's chat key as chat and user id.

An event is accepted once: its message_id is recorded in `zalo_inbound` (whose row id is the
update id), so a redelivery — the same webhook twice, or after a restart — is dropped. A text
starting with "/" carries a bot_command entity (CommandHandler sees `/start CODE`); an image
is fetched at once (its URL expires) into ZALO_MEDIA_DIR and reaches the flows as a photo
message; stickers, voice and other kinds get a polite answer that only text is read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.exc import IntegrityError
from telegram import Chat, Message, MessageEntity, PhotoSize, Update, User
from telegram.ext import Application

from channels.zalo.normalise import ZaloEvent, normalise, unwrap
from channels.zalo.outlet import ZaloOutlet
from core.clock import Clock
from core.i18n import Lang
from services import accounts
from services.context import Ctx
from services.files import FileStore
from storage.models import Channel, ZaloInbound

log = logging.getLogger(__name__)
MAX_PHOTO_BYTES = 10 * 1024 * 1024


class ZaloInbox:
    """Accepts Zalo updates (from the poller or the webhook) and hands them to the flows."""

    def __init__(
        self,
        app: Application,  # type: ignore[type-arg]
        outlet: ZaloOutlet,
        sessions: Callable[[], Any],
        clock: Clock,
        media_dir: Path,
        default_locale: str = "vi",
        files: FileStore | None = None,
    ) -> None:
        self.app = app
        self.outlet = outlet
        self._sessions = sessions
        self._clock = clock
        self.media_dir = media_dir
        self.files = files  # the bot's file store; without it, pictures go to media_dir
        self._locale = default_locale
        self._http = httpx.AsyncClient(timeout=20.0, follow_redirects=True)
        self._handled: dict[str, asyncio.Event] = {}  # message_id -> handled (for tests)
        self._message_of: dict[int, str] = {}  # update id -> message_id
        self._receiving: set[str] = set()  # message ids accepted, not yet in the queue

    async def close(self) -> None:
        await self._http.aclose()

    # --- for tests and the playground: wait until an event went through the flows --------
    def handled_event(self, message_id: str) -> asyncio.Event:
        return self._handled.setdefault(message_id, asyncio.Event())

    def done(self, update_id: int) -> None:
        """The flows finished an update (called from the application's last handler group)."""
        message_id = self._message_of.pop(update_id, None)
        if message_id is not None:
            self.handled_event(message_id).set()

    # --- receiving ------------------------------------------------------------------------
    async def receive(self, body: Any) -> bool:
        """Handle one update body (either envelope); False when it is not an update."""
        update = unwrap(body)
        event = normalise(update) if update is not None else None
        if event is None:
            return False
        first = event.message_id not in self._receiving
        self._receiving.add(event.message_id)
        try:
            await self._route(event, first)
        finally:
            if first:
                self._receiving.discard(event.message_id)
        return True

    async def _route(self, event: ZaloEvent, first: bool) -> None:
        update_id, chat_key = await self._accept(event)
        if update_id is None:
            log.info("zalo message %s delivered again: dropped", event.message_id)
            if first and event.message_id not in self._message_of.values():  # not in hand
                self.handled_event(event.message_id).set()
            return
        if event.kind == "text" and event.text:
            await self._feed(update_id, event, self._message(update_id, event, chat_key))
        elif event.kind == "image" and event.photo_url:
            stored = await self._fetch_photo(update_id, event.photo_url)
            await self._feed(update_id, event, self._photo(update_id, event, chat_key, stored))
        else:
            await self._text_only(chat_key)
            self.handled_event(event.message_id).set()

    async def _account_key(self, event: ZaloEvent) -> int:
        async with self._sessions() as session:
            ctx = Ctx(session, self._clock)
            account = await accounts.ensure(ctx, Channel.ZALO, event.sender_id, event.name)
            account.last_seen_at = self._clock.now()
            session.add(account)
            chat_key = accounts.chat_key(account)
            await session.commit()
            return chat_key

    async def _accept(self, event: ZaloEvent) -> tuple[int | None, int]:
        try:
            chat_key = await self._account_key(event)
        except IntegrityError:  # a first message delivered twice at once: the other made it
            chat_key = await self._account_key(event)
        self.outlet.remember(chat_key, event.chat_id)
        row = ZaloInbound(
            message_id=event.message_id,
            event_name=event.event_name[:64],
            sender_id=event.sender_id,
            received_at=self._clock.now(),
        )
        try:
            async with self._sessions() as session:
                session.add(row)
                await session.commit()
                await session.refresh(row)
        except IntegrityError:
            return None, chat_key
        return row.id, chat_key

    def _base(self, update_id: int, event: ZaloEvent, chat_key: int) -> dict[str, Any]:
        user = User(id=chat_key, first_name=event.name or "Zalo", is_bot=False)
        chat = Chat(id=chat_key, type=Chat.PRIVATE, first_name=event.name)
        user.set_bot(self.app.bot)
        chat.set_bot(self.app.bot)
        return {"message_id": update_id, "date": event.date, "chat": chat, "from_user": user}

    def _message(self, update_id: int, event: ZaloEvent, chat_key: int) -> Message:
        text = event.text or ""
        entities: tuple[MessageEntity, ...] = ()
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            entities = (MessageEntity(MessageEntity.BOT_COMMAND, 0, length),)
        return Message(text=text, entities=entities, **self._base(update_id, event, chat_key))

    def _photo(
        self, update_id: int, event: ZaloEvent, chat_key: int, stored: str | None
    ) -> Message:
        name = stored or f"zalo-missing-{update_id}"
        photo = PhotoSize(file_id=f"zalo:{name}", file_unique_id=name, width=0, height=0)
        return Message(
            photo=(photo,), caption=event.caption, **self._base(update_id, event, chat_key)
        )

    async def _feed(self, update_id: int, event: ZaloEvent, message: Message) -> None:
        message.set_bot(self.app.bot)
        update = Update(update_id, message=message)
        update.set_bot(self.app.bot)
        self._message_of[update_id] = event.message_id
        await self.app.update_queue.put(update)

    async def _fetch_photo(self, update_id: int, url: str) -> str | None:
        """Download the picture now (Zalo's URL expires); the stored file's name, or None."""
        try:
            response = await self._http.get(url)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            log.warning("zalo photo of update %s not fetched: %s", update_id, type(exc).__name__)
            return None
        if len(response.content) > MAX_PHOTO_BYTES:
            return None
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        suffix = {"image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}.get(kind, ".jpg")
        name = f"zalo-{update_id}{suffix}"
        if self.files is not None:  # the file id the flows see is "zalo:<store id>"
            return await self.files.put(response.content, name, kind or "image/jpeg")
        self.media_dir.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread((self.media_dir / name).write_bytes, response.content)
        return name

    async def _text_only(self, chat_key: int) -> None:
        lang = Lang(self._locale)
        text = lang.t(
            "The assistant can only read text messages. Please type your message, "
            "or send /trogiup to see what it can do."
        )
        try:
            await self.outlet.send_text(self.app.bot, chat_key, text)
        except Exception:
            log.warning("zalo: could not answer an unreadable message", exc_info=True)
