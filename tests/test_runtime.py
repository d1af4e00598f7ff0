"""Runtime: configuration, the command line, logging without secrets, errors, webhook mode."""

from __future__ import annotations

import io
import logging
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from core.config import ConfigError, load_settings
from core.logging_setup import RedactSecrets, make_handler
from handlers.application import build_application
from playground.botapi_stub import BotApiStub
from playground.harness import TOKEN, BotHarness

ROOT = Path(__file__).resolve().parents[1]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_URL"))}
    env.update(extra)
    return env


def test_settings_parse_ids_and_validate() -> None:
    s = load_settings(None, bootstrap_admin_ids="12, 34;56")
    assert s.bootstrap_admin_ids == [12, 34, 56]
    assert s.file_base_url == "https://api.telegram.org/file/bot"
    with pytest.raises(ConfigError, match="BOOTSTRAP_ADMIN_IDS"):
        load_settings(None, bootstrap_admin_ids="12,abc")
    with pytest.raises(ConfigError, match="BOT_TIMEZONE"):
        load_settings(None, bot_timezone="Mars/Olympus")
    with pytest.raises(ConfigError, match="DEFAULT_LOCALE"):
        load_settings(None, default_locale="fr")
    with pytest.raises(ConfigError, match="TELEGRAM_BASE_URL"):
        load_settings(None, telegram_base_url="ftp://x")


def test_no_token_exits_with_bilingual_help(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py")],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Chưa có TELEGRAM_BOT_TOKEN" in result.stderr
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr
    assert "python bot.py playground" in result.stderr


def test_bad_config_exits_with_clear_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "migrate"],
        cwd=tmp_path,
        env=_env(BOT_TIMEZONE="Nowhere/Land"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "BOT_TIMEZONE" in result.stderr and "Traceback" not in result.stderr


def test_invite_from_the_shell(tmp_path: Path) -> None:
    env = _env(DATABASE_URL=f"sqlite:///{tmp_path / 'c.db'}")
    ok = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bot.py"),
            "invite",
            "--unit",
            "đảng ủy",
            "--role",
            "organiser",
            "--bot-username",
            "chibot_bot",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    link, code = ok.stdout.strip().splitlines()
    assert link.startswith("https://t.me/chibot_bot?start=") and len(link.split("=")[1]) >= 20
    assert re.fullmatch(r"Mã mời \(Zalo\) / invite code: [A-Z]{4}-[A-Z]{4}", code)
    bad = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bot.py"),
            "invite",
            "--unit",
            "Không có",
            "--role",
            "member",
            "--bot-username",
            "chibot_bot",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "No unit is called" in bad.stderr


def test_redaction_masks_tokens_in_messages_and_tracebacks() -> None:
    secret = "987654321:AAHsecretSECRETsecretSECRET_xyz"
    record = logging.LogRecord(
        "x",
        logging.ERROR,
        __file__,
        1,
        "POST %s failed",
        (f"https://api.telegram.org/bot{secret}/sendMessage",),
        None,
    )
    try:
        raise RuntimeError(f"boom {secret}")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    RedactSecrets([secret, "hook-secret"]).filter(record)
    assert secret not in record.getMessage() and "***" in record.getMessage()
    assert record.exc_text and secret not in record.exc_text


async def test_error_handler_tells_user_and_hides_token(bot: BotHarness) -> None:
    async def explode(update: Update, context: object) -> None:
        raise RuntimeError(f"database fell over near {TOKEN}")

    assert bot.app is not None
    bot.app.add_handler(MessageHandler(filters.Regex("^explode$"), explode), group=-1)
    stream = io.StringIO()
    handler = make_handler([TOKEN], stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        lan = bot.user(3000, "Lan")
        replies = await lan.send("explode")
    finally:
        root.removeHandler(handler)
    assert any("hệ thống vừa gặp sự cố" in (m.text or "") for m in replies)
    logged = stream.getvalue()
    assert "error while handling update" in logged and "database fell over" in logged
    assert TOKEN not in logged


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_webhook_mode_checks_the_secret(database_url: str, engine: object) -> None:
    async with BotApiStub(TOKEN) as stub:
        harness = BotHarness(database_url=database_url, stub=stub, migrate=False)
        app: Application = build_application(  # type: ignore[type-arg]
            harness.settings(), engine=engine, migrate=False
        )
        port = _free_port()
        url = f"http://127.0.0.1:{port}/hook"
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=url,
            secret_token="s3cret-value",
        )
        try:
            assert stub.webhook is not None
            assert stub.webhook.url == url and stub.webhook.secret_token == "s3cret-value"
            user = harness.user(4000, "Hoa").user
            stub.send_text(user, "/start")
            await stub.wait_for_messages(4000, 1)
            assert "chưa đăng ký" in (stub.messages_to(4000)[0].text or "")
            # A caller without the secret is turned away and nothing is answered.
            async with httpx.AsyncClient() as client:
                forged = {
                    "update_id": 999,
                    "message": {
                        "message_id": 1,
                        "date": 0,
                        "chat": {"id": 4001, "type": "private"},
                        "text": "/start",
                    },
                }
                wrong = await client.post(
                    url, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
                )
                missing = await client.post(url, json=forged)
            assert wrong.status_code == 403 and missing.status_code == 403
            assert stub.messages_to(4001) == []
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()


EXAMPLE = ROOT.parent / "shared" / "examples" / "ke-hoach-82-KH-DU.md"


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example not present")
def test_import_plan_from_the_shell(tmp_path: Path) -> None:
    import json

    ok = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "import-plan", str(EXAMPLE), "--json"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    draft = json.loads(ok.stdout)
    assert draft["number"] == "82-KH/ĐU"
    assert [s["starts_at"] for s in draft["sessions"]] == [
        "2024-03-28T08:00:00+07:00",
        "2024-04-18T08:00:00+07:00",
    ]
    (tmp_path / "blob.docx").write_bytes(b"\x00\x01 not a docx")
    bad = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bot.py"),
            "import-plan",
            str(tmp_path / "blob.docx"),
            "--json",
        ],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "Cannot read" in bad.stderr and bad.stdout == ""


def test_reminder_offsets_are_settings() -> None:
    assert load_settings(None).reminder_offsets_minutes == [1440, 120]
    assert load_settings(None, reminder_offsets_minutes="2880, 60").reminder_offsets_minutes == [
        2880,
        60,
    ]
    with pytest.raises(ConfigError, match="REMINDER_OFFSETS_MINUTES"):
        load_settings(None, reminder_offsets_minutes="1 day")
    with pytest.raises(ConfigError, match="REMINDER_OFFSETS_MINUTES"):
        load_settings(None, reminder_offsets_minutes="0")


async def test_a_half_finished_step_survives_a_restart(
    database_url: str, engine: object, tmp_path: Path
) -> None:
    """Asked for a unit's name, the bot restarts; the name typed afterwards still lands (the
    conversation's state is in the database the second bot opens)."""
    from sqlalchemy import text

    from tests.conftest import ADMIN_ID
    from tests.e2e_steps import admin_ready, tree_label

    async with BotApiStub(TOKEN) as stub:
        first = BotHarness(
            database_url=database_url,
            engine=engine,
            stub=stub,  # type: ignore[arg-type]
            migrate=False,
            bootstrap_admin_ids=[ADMIN_ID],
        )
        await first.start()
        admin = await admin_ready(first)
        await admin.send("/donvi")
        await admin.press("➕ Thêm đơn vị")
        await admin.press(tree_label("Đảng ủy", 0))
        asked = await admin.press("Chi bộ")
        assert "tên đơn vị mới" in (asked[-1].text or "")
        await first.stop()

        second = BotHarness(
            database_url=database_url,
            engine=engine,
            stub=stub,  # type: ignore[arg-type]
            migrate=False,
            bootstrap_admin_ids=[ADMIN_ID],
        )
        await second.start()
        try:
            again = second.user(ADMIN_ID, "An")
            replies = await again.send("Chi bộ Phòng Kế toán")
            assert any("Đã thêm “Chi bộ Phòng Kế toán”" in (m.text or "") for m in replies)
        finally:
            await second.stop()
    async with engine.connect() as conn:  # type: ignore[attr-defined]
        names = (await conn.execute(text("SELECT name FROM unit"))).scalars().all()
    assert "Chi bộ Phòng Kế toán" in names
