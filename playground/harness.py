"""Runs the real bot Application against the local Bot API stub, in this event loop.

Used by the end-to-end tests, the benchmarks and the playground:

    async with BotHarness(database_url=...) as h:
        alice = h.user(1001, "Alice")
        replies = await alice.send("/start")
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any, Self

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import Application, TypeHandler

import scheduler
from core.clock import Clock
from core.config import Settings
from handlers.application import build_application
from playground.botapi_stub import BotApiStub
from playground.stub_models import SentMessage, StubUser
from scheduler import dispatcher_of
from scheduler.dispatcher import Dispatcher, RunReport
from storage.engine import make_engine

TOKEN = "123456:TEST-local-stub-token-AAAAAAAAAAAAAAA"
DONE_GROUP = 1_000_000  # after every real handler group


class HarnessUser:
    """A person chatting with the bot through the stub."""

    def __init__(self, harness: BotHarness, user: StubUser) -> None:
        self.h = harness
        self.user = user

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def messages(self) -> list[SentMessage]:
        return self.h.stub.messages_to(self.user.id)

    @property
    def last(self) -> SentMessage:
        return self.messages[-1]

    async def _run(self, inject: Callable[[], int]) -> list[SentMessage]:
        before = len(self.messages)
        update_id = inject()
        await self.h.processed(update_id)
        replies = self.messages[before:]
        # Notices the update caused go out through the outbox, as the kick after it would send
        # them: send them now, so the next step of a test sees them (the replies stay apart).
        await self.h.drain()
        return replies

    async def send(self, text: str) -> list[SentMessage]:
        return await self._run(lambda: self.h.stub.send_text(self.user, text))

    async def send_document(
        self, filename: str, data: bytes, mime: str | None = None
    ) -> list[SentMessage]:
        return await self._run(lambda: self.h.stub.send_document(self.user, filename, data, mime))

    async def press(
        self, button_text: str, message: SentMessage | None = None
    ) -> list[SentMessage]:
        """Press the inline button with this text on `message` (default: the newest one having it)."""
        target = message or self.find_button_message(button_text)
        data = target.callback_data_for(button_text)
        return await self._run(lambda: self.h.stub.press_button(self.user, target, data))

    async def choose(self, label: str) -> list[SentMessage]:
        """Pick a choice as a person would on this channel: press its button, or (with
        RENDER_PLAIN) reply with its number from the newest message that lists it."""
        if not self.h.overrides.get("render_plain"):
            return await self.press(label)
        line = re.compile(r"^(\d+)\. " + re.escape(label) + "$", re.MULTILINE)
        for message in reversed(self.messages):
            found = line.search(message.text or "")
            if found:
                return await self.send(found.group(1))
        raise AssertionError(f"no message to {self.user.id} offers {label!r}")

    async def press_data(self, message: SentMessage, data: str) -> list[SentMessage]:
        return await self._run(
            lambda: self.h.stub.press_button(self.user, message, data, strict=False)
        )

    def find_button_message(self, button_text: str) -> SentMessage:
        for message in reversed(self.messages):
            if any(text == button_text for text, _ in message.buttons):
                return message
        raise AssertionError(f"no message to {self.user.id} has a button {button_text!r}")

    def menu(self) -> list[str]:
        """The reply-keyboard labels of the newest message that set a keyboard."""
        for message in reversed(self.messages):
            keyboard = (message.reply_markup or {}).get("keyboard")
            if keyboard:
                return [
                    b["text"] if isinstance(b, dict) else str(b) for row in keyboard for b in row
                ]
        return []


class BotHarness:
    def __init__(
        self,
        *,
        database_url: str,
        engine: AsyncEngine | None = None,
        clock: Clock | None = None,
        migrate: bool = True,
        bootstrap_admin_ids: list[int] | None = None,
        settings_overrides: dict[str, Any] | None = None,
        stub: BotApiStub | None = None,
        port: int = 0,
    ) -> None:
        self.stub = stub or BotApiStub(TOKEN, port=port)
        self._own_stub = stub is None
        self._engine = engine
        self._own_engine = engine is None
        self.database_url = database_url
        self.clock = clock
        self.migrate = migrate
        self.admins = bootstrap_admin_ids or []
        self.overrides = settings_overrides or {}
        self.app: Application | None = None  # type: ignore[type-arg]
        self._done: dict[int, asyncio.Event] = {}

    @property
    def engine(self) -> AsyncEngine:
        assert self._engine is not None
        return self._engine

    def settings(self) -> Settings:
        values: dict[str, Any] = {
            "telegram_bot_token": TOKEN,
            "telegram_base_url": self.stub.base_url,
            "telegram_base_file_url": self.stub.base_file_url,
            "database_url": self.database_url,
            "bootstrap_admin_ids": self.admins,
            "rate_limit": False,
        }
        values.update(self.overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    async def start(self) -> None:
        if self._own_stub:
            await self.stub.start()
        if self._engine is None:
            self._engine = make_engine(self.database_url)
        app = build_application(
            self.settings(), clock=self.clock, engine=self._engine, migrate=self.migrate
        )
        app.add_handler(TypeHandler(Update, self._mark_done), group=DONE_GROUP)
        self.app = app
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=10, drop_pending_updates=False)

    async def stop(self) -> None:
        app = self.app
        if app is not None:
            if app.updater and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            if app.post_stop:
                await app.post_stop(app)
            await app.shutdown()
            self.app = None
        if self._own_engine and self._engine is not None:
            await self._engine.dispose()
            self._engine = None
        if self._own_stub:
            await self.stub.stop()

    def release_stub(self) -> bool:
        """Leave the stub running when this harness stops (another harness takes it over);
        returns whether this harness had started it, i.e. whether the taker must stop it."""
        owned, self._own_stub = self._own_stub, False
        return owned

    def take_stub(self) -> None:
        """Stop the (already running) stub when this harness stops: see `release_stub`."""
        self._own_stub = True

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def dispatcher(self) -> Dispatcher:
        assert self.app is not None
        return dispatcher_of(self.app)

    async def drain(self) -> RunReport:
        """Send every outbox row due by the service clock, now (tests control the clock)."""
        return await self.dispatcher.run_due()

    async def clock_moved(self) -> RunReport:
        """After the clock jumped (the playground's `:time`): send what became due now, and
        let the scheduler re-aim its wake-up job at the next row under the new time."""
        report = await self.drain()
        assert self.app is not None
        scheduler.kick(self.app)
        return report

    def user(
        self, user_id: int, first_name: str = "User", language_code: str = "vi", **kw: Any
    ) -> HarnessUser:
        return HarnessUser(
            self, StubUser(id=user_id, first_name=first_name, language_code=language_code, **kw)
        )

    def _event(self, update_id: int) -> asyncio.Event:
        event = self._done.get(update_id)
        if event is None:
            event = self._done[update_id] = asyncio.Event()
        return event

    async def _mark_done(self, update: Update, _context: object) -> None:
        self._event(update.update_id).set()

    async def processed(self, update_id: int, seconds: float = 10.0) -> None:
        """Wait until the bot has finished handling this update."""
        try:
            await asyncio.wait_for(self._event(update_id).wait(), seconds)
        finally:
            self._done.pop(update_id, None)
