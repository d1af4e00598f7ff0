"""Running with Zalo: the real `python bot.py` process with only ZALO_BOT_TOKEN (no Telegram
at all: no getMe, no Updater) answers over the Zalo stub and stops cleanly on SIGTERM; with both
tokens one Application serves a Telegram chat with buttons and a Zalo chat with numbers."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from channels.zalo.channel import zalo_of
from core.clock import FrozenClock
from playground.harness import BotHarness
from playground.zalo_harness import ZALO_TOKEN
from playground.zalo_stub import ZaloStub

ROOT = Path(__file__).resolve().parents[1]


async def until(check: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_the_bot_process_serves_zalo_alone_and_stops_on_sigterm(tmp_path: Path) -> None:
    async with ZaloStub(ZALO_TOKEN) as stub:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ZALO_"))}
        env.update(
            ZALO_BOT_TOKEN=ZALO_TOKEN,
            ZALO_BASE_URL=stub.base_url,
            DATABASE_URL=f"sqlite:///{tmp_path / 'zalo.db'}",
            LOG_LEVEL="INFO",
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "bot.py"),
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await until(lambda: any(m == "getUpdates" for m, _ in stub.calls), 90)
            assert [m for m, _ in stub.calls][:2] == ["getMe", "deleteWebhook"]
            user = stub.user("c0ffee00c0ffee000001", "Hoa")
            stub.send_text(user, "/start")
            await until(lambda: bool(stub.sent_to(user.id)), 30)
            assert stub.sent_to(user.id)[0].text
            proc.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(proc.wait(), 20)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        _, err = await proc.communicate()
        log = err.decode()
        assert code == 0, log
        assert ZALO_TOKEN not in log and ZALO_TOKEN.split(":")[1] not in log
        assert not stub.refused


async def test_one_application_serves_telegram_and_zalo(
    database_url: str, engine: AsyncEngine, clock: FrozenClock
) -> None:
    async with ZaloStub(ZALO_TOKEN) as zstub:
        harness = BotHarness(
            database_url=database_url,
            engine=engine,
            clock=clock,
            migrate=False,
            settings_overrides={"zalo_bot_token": ZALO_TOKEN, "zalo_base_url": zstub.base_url},
        )
        await harness.start()
        assert harness.app is not None
        zalo = zalo_of(harness.app)
        assert zalo is not None
        await zalo.start(poll_seconds=1)
        try:
            telegram_user = harness.user(4242, "Minh")
            on_telegram = await telegram_user.send("/ngonngu")
            assert on_telegram[-1].buttons  # Telegram keeps its buttons
            hoa = zstub.user("c0ffee00c0ffee000002", "Hoa")
            message_id = zstub.send_text(hoa, "/ngonngu")
            await asyncio.wait_for(zalo.inbox.handled_event(message_id).wait(), 10)
            on_zalo = zstub.sent_to(hoa.id)
            assert on_zalo and "\n1. " in (on_zalo[-1].text or ""), [s.text for s in on_zalo]
            assert not harness.stub.messages_to(4242)[-1].text.startswith("1.")
        finally:
            await zalo.stop()
            await harness.stop()
