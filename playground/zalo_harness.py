"""Runs the real bot Application, Zalo only, against the local Zalo Bot API stub, in this event
loop (tests, the playground). Users write through the stub (long polling, or the webhook with
`webhook=True`) and read what the bot sent them back from the stub:

    async with ZaloHarness(database_url=...) as h:
        lan = h.user("lan-zalo-id", "Lan")
        replies = await lan.send("/start")
"""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import tempfile
from typing import Any, Self

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application

from channels.zalo.channel import ZaloChannel, zalo_of
from core.clock import Clock
from core.config import Settings
from handlers.application import build_application
from playground.zalo_stub import ZaloSent, ZaloStub, ZaloStubUser
from scheduler import dispatcher_of
from scheduler.dispatcher import RunReport
from storage.engine import make_engine

ZALO_TOKEN = "1234567890:zalo-local-stub-token"
WEBHOOK_SECRET = "local-webhook-secret-0123"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ZaloUser:
    def __init__(self, harness: ZaloHarness, user: ZaloStubUser) -> None:
        self.h = harness
        self.user = user

    @property
    def id(self) -> str:
        return self.user.id

    @property
    def messages(self) -> list[ZaloSent]:
        return self.h.stub.sent_to(self.user.id)

    async def send(self, text: str) -> list[ZaloSent]:
        before = len(self.messages)
        await self.h.processed(self.h.stub.send_text(self.user, text))
        replies = self.messages[before:]
        await self.h.drain()
        return replies

    async def send_image(self, caption: str | None = None) -> list[ZaloSent]:
        return await self._collect(self.h.stub.send_image(self.user, caption))

    async def send_sticker(self) -> list[ZaloSent]:
        return await self._collect(self.h.stub.send_sticker(self.user))

    async def send_voice(self) -> list[ZaloSent]:
        return await self._collect(self.h.stub.send_voice(self.user))

    async def send_unsupported(self) -> list[ZaloSent]:
        return await self._collect(self.h.stub.send_unsupported(self.user))

    async def _collect(self, message_id: str) -> list[ZaloSent]:
        before = len(self.messages)
        await self.h.processed(message_id)
        return self.messages[before:]

    async def choose(self, label: str) -> list[ZaloSent]:
        """Reply with the number the newest message listing `label` shows for it."""
        line = re.compile(r"^(\d+)\. " + re.escape(label) + "$", re.MULTILINE)
        for message in reversed(self.messages):
            found = line.search(message.text or "")
            if found:
                return await self.send(found.group(1))
        raise AssertionError(f"no message to {self.user.id} offers {label!r}")


class ZaloHarness:
    def __init__(
        self,
        *,
        database_url: str,
        engine: AsyncEngine | None = None,
        clock: Clock | None = None,
        migrate: bool = True,
        bootstrap_admin_ids: list[int | str] | None = None,
        settings_overrides: dict[str, Any] | None = None,
        stub: ZaloStub | None = None,
        webhook: bool = False,
        poll_seconds: int = 1,
    ) -> None:
        self.stub = stub or ZaloStub(ZALO_TOKEN)
        self._own_stub = stub is None
        self._engine = engine
        self._own_engine = engine is None
        self.database_url = database_url
        self.clock = clock
        self.migrate = migrate
        self.admins = bootstrap_admin_ids or []
        self.overrides = settings_overrides or {}
        self.webhook = webhook
        self.webhook_url = f"http://127.0.0.1:{free_port()}/zalo/hook" if webhook else None
        self.poll_seconds = poll_seconds
        self.web_port = free_port()  # the bot's file server (signed links the stub fetches)
        self.file_store_dir = tempfile.mkdtemp(prefix="chibot-files-")
        self.app: Application | None = None  # type: ignore[type-arg]

    @property
    def engine(self) -> AsyncEngine:
        assert self._engine is not None
        return self._engine

    @property
    def zalo(self) -> ZaloChannel:
        assert self.app is not None
        channel = zalo_of(self.app)
        assert channel is not None
        return channel

    def settings(self) -> Settings:
        values: dict[str, Any] = {
            "telegram_bot_token": None,
            "zalo_bot_token": ZALO_TOKEN,
            "zalo_base_url": self.stub.base_url,
            "database_url": self.database_url,
            "bootstrap_admin_ids": self.admins,
            "rate_limit": False,
            "web_port": self.web_port,
            "file_store_dir": self.file_store_dir,
        }
        if self.webhook_url:
            port = int(self.webhook_url.split(":")[2].split("/")[0])
            values |= {
                "zalo_webhook_url": self.webhook_url,
                "zalo_webhook_secret": WEBHOOK_SECRET,
                "zalo_webhook_listen": "127.0.0.1",
                "zalo_webhook_port": port,
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
        self.app = app
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        await self.zalo.start(poll_seconds=self.poll_seconds)

    async def stop(self) -> None:
        app = self.app
        if app is not None:
            await self.zalo.stop()
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
        shutil.rmtree(self.file_store_dir, ignore_errors=True)

    def release_stub(self) -> None:
        self._own_stub = False

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def user(self, user_id: str | None = None, display_name: str = "Người dùng") -> ZaloUser:
        return ZaloUser(self, self.stub.user(user_id, display_name))

    async def processed(self, message_id: str, seconds: float = 10.0) -> None:
        await asyncio.wait_for(self.zalo.inbox.handled_event(message_id).wait(), seconds)

    async def drain(self) -> RunReport:
        assert self.app is not None
        return await dispatcher_of(self.app).run_due()
