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


def _bot_env(stub: BotApiStub, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=stub.base_url,
        DATABASE_URL=url,
        BOOTSTRAP_ADMIN_IDS="77",
        LOG_LEVEL="WARNING",
    )
    return env


async def _stored_state(url: str) -> dict[str, bytes]:
    from sqlalchemy import text

    from storage.engine import make_engine

    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(text("SELECT scope, key, value FROM conversation_state"))
            ).all()
    except Exception:  # the table is not there before the first start has migrated
        return {}
    finally:
        await engine.dispose()
    return {f"{scope}/{key}": bytes(value) for scope, key, value in rows}


async def test_a_hard_kill_between_question_and_answer_loses_nothing_typed(
    tmp_path: Path,
) -> None:
    """The name is typed, the bot asks for the position, and the process is killed (SIGKILL)
    before the answer comes. A new process takes the answer, and the profile has the name
    typed before the kill: what was typed was in the database as soon as the question left."""
    from sqlalchemy import text

    from storage.engine import make_engine

    url = f"sqlite:///{tmp_path / 'prod.db'}"
    async with BotApiStub(TOKEN) as stub:

        async def start() -> asyncio.subprocess.Process:
            return await asyncio.create_subprocess_exec(
                sys.executable,
                str(ROOT / "bot.py"),
                cwd=tmp_path,
                env=_bot_env(stub, url),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )

        admin = StubUser(77, "Admin")
        proc = await start()
        try:
            await stub.wait_until(lambda: bool(stub.calls_to("getUpdates")), timeout=30)
            stub.send_text(admin, "/start")
            await stub.wait_for_messages(77, 1, timeout=15)
            stub.send_text(admin, "Nguyễn Văn Kiên")
            asked = await stub.wait_for_messages(77, 2, timeout=15)
            assert "Chức vụ" in (asked[-1].text or "")
            # Written on the change, not by a periodic flush (PTB's runs every 60 s here).
            for _ in range(40):
                stored = await _stored_state(url)
                if any(b"Nguy" in v for v in stored.values()) and any(
                    k.startswith("conv:onboarding/") for k in stored
                ):
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError(f"the typed name was not stored within 2 s: {stored}")
            proc.send_signal(signal.SIGKILL)
            await asyncio.wait_for(proc.wait(), 20)

            proc = await start()
            polls = len(stub.calls_to("getUpdates"))
            await stub.wait_until(lambda: len(stub.calls_to("getUpdates")) > polls, timeout=30)
            stub.send_text(admin, "Bí thư Chi bộ")
            replies = await stub.wait_for_messages(77, 3, timeout=15)
            assert "Đã lưu thông tin của đồng chí." in (replies[2].text or "")
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 20)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    engine = make_engine(url)
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT full_name, position FROM person WHERE telegram_id = 77")
            )
        ).one()
    await engine.dispose()
    assert tuple(row) == ("Nguyễn Văn Kiên", "Bí thư Chi bộ")
