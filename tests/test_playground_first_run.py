"""First run of the real `python bot.py` process: an unreachable Bot API, a token Telegram
rejects, an unusable DATABASE_URL each end in one line saying what is wrong and what to do,
exit status 2 and no traceback (a traceback only with LOG_LEVEL=DEBUG); migrations are quiet
at INFO."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import pytest

from playground.botapi_stub import BotApiStub
from playground.harness import TOKEN

ROOT = Path(__file__).resolve().parents[1]
OTHER_TOKEN = "654321:THIS-token-is-not-the-stub-one-BBBBBBBB"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def bot_py(tmp_path: Path, *args: str, **env_values: str) -> tuple[int, str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_", "LOG_", "BOOTSTRAP_"))
    }
    env.update(LOG_LEVEL="INFO", DATABASE_URL=f"sqlite:///{tmp_path / 'chibot.db'}")
    env.update(env_values)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        *args,
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


async def test_unreachable_bot_api(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/bot"
    code, _, err = await bot_py(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=url)
    assert code == 2
    line = one_line(err)
    assert line.startswith("Không kết nối được tới Bot API (http://127.0.0.1:")
    assert "Cannot reach the Bot API" in line and "TELEGRAM_BASE_URL" in line
    assert TOKEN not in err


async def test_unreachable_bot_api_for_invite(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/bot"
    code, out, err = await bot_py(
        tmp_path,
        "invite",
        "--unit",
        "Đảng ủy",
        "--role",
        "organiser",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=url,
    )
    assert (code, out) == (2, "")
    assert "Cannot reach the Bot API" in one_line(err)


async def test_rejected_token(tmp_path: Path) -> None:
    async with BotApiStub(TOKEN) as stub:
        code, _, err = await bot_py(
            tmp_path, TELEGRAM_BOT_TOKEN=OTHER_TOKEN, TELEGRAM_BASE_URL=stub.base_url
        )
        assert stub.calls_to("getUpdates") == []
    assert code == 2
    line = one_line(err)
    assert line.startswith("Telegram từ chối mã bot (TELEGRAM_BOT_TOKEN)")
    assert "@BotFather" in line and "Telegram rejected the bot token" in line
    assert OTHER_TOKEN not in err and OTHER_TOKEN.split(":")[1] not in err


@pytest.mark.parametrize(
    ("url", "shown", "cause"),
    [
        (
            "postgresql://chibot:s3cret-pw@127.0.0.1:{port}/chibot",
            "postgresql://chibot:***@127.0.0.1:",
            "ConnectionRefusedError",
        ),
        ("sqlite:////no/such/folder/chibot.db", "sqlite:////no/such/folder/chibot.db", "Error"),
        ("mysqlx://somewhere/db", "mysqlx://somewhere/db", "NoSuchModuleError"),
    ],
)
async def test_unusable_database_url(tmp_path: Path, url: str, shown: str, cause: str) -> None:
    url = url.format(port=closed_port())
    commands = ((), ("migrate",), ("outbox",)) if "postgresql" in url else (("migrate",),)
    for args in commands:
        code, out, err = await bot_py(tmp_path, *args, TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=url)
        assert (code, out) == (2, ""), err
        line = one_line(err)
        assert line.startswith(f"Không dùng được cơ sở dữ liệu DATABASE_URL={shown}"), line
        assert "Cannot use the database DATABASE_URL=" in line and cause in line
        assert "s3cret-pw" not in err


async def test_the_traceback_is_shown_at_debug(tmp_path: Path) -> None:
    code, _, err = await bot_py(
        tmp_path, "migrate", DATABASE_URL="mysqlx://somewhere/db", LOG_LEVEL="DEBUG"
    )
    assert code == 2
    assert "Traceback" in err
    assert err.strip().splitlines()[-1].startswith("Không dùng được cơ sở dữ liệu")


async def test_migrations_are_quiet_at_info(tmp_path: Path) -> None:
    code, out, err = await bot_py(tmp_path, "migrate")
    assert code == 0, err
    assert out.startswith("schema at revision ")
    assert "alembic" not in err and "Running upgrade" not in err
    code, out, err = await bot_py(tmp_path, "migrate", LOG_LEVEL="DEBUG")
    assert code == 0
    assert "database schema already at" in err


async def test_invite_without_token_needs_the_bot_username(tmp_path: Path) -> None:
    code, _, err = await bot_py(tmp_path, "invite", "--unit", "Đảng ủy", "--role", "organiser")
    assert code == 2 and "--bot-username" in err
    code, out, err = await bot_py(
        tmp_path,
        "invite",
        "--unit",
        "Đảng ủy",
        "--role",
        "organiser",
        "--bot-username",
        "chibot_test_bot",
    )
    assert code == 0, err
    assert out.startswith("https://t.me/chibot_test_bot?start=")
