"""The real `python bot.py` process: starts against a local Bot API server, migrates a fresh
database, answers, and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from playground.botapi_stub import BotApiStub, StubUser
from playground.harness import TOKEN

ROOT = Path(__file__).resolve().parents[1]


async def test_bot_process_runs_and_stops_on_sigterm(tmp_path: Path) -> None:
    async with BotApiStub(TOKEN) as stub:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        env.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_BASE_URL=stub.base_url,
            DATABASE_URL=f"sqlite:///{tmp_path / 'prod.db'}",
            BOOTSTRAP_ADMIN_IDS="77",
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
            await stub.wait_until(lambda: bool(stub.calls_to("getUpdates")), timeout=30)
            assert stub.calls_to("setMyCommands")
            stub.send_text(StubUser(77, "Admin"), "/start")
            replies = await stub.wait_for_messages(77, 1, timeout=15)
            assert "họ và tên" in (replies[0].text or "")
            proc.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(proc.wait(), 20)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        _, err = await proc.communicate()
        log = err.decode()
        assert code == 0, log
        assert TOKEN not in log
        assert (tmp_path / "prod.db").exists()
