"""Tests for the local Telegram Bot API stub, driven by the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import datetime as dtm
import io
import json
import logging
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from playground.botapi_stub import BotApiStub, StubUser

TOKEN = "123456:TEST"
LAN = StubUser(1001, "Lan", "Nguyen", "lan_ng", "vi")
MINH = StubUser(1002, "Minh", language_code="en")
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Có", callback_data="yes"),
            InlineKeyboardButton("Không", callback_data="no"),
        ]
    ]
)


@pytest.fixture
async def stub() -> AsyncIterator[BotApiStub]:
    async with BotApiStub(TOKEN) as server:
        yield server


@pytest.fixture
async def bot(stub: BotApiStub) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=stub.base_url, base_file_url=stub.base_file_url) as client:
        yield client


@pytest.fixture
async def http(stub: BotApiStub) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stub.url, timeout=10) as client:
        yield client


def api_path(method: str, token: str = TOKEN) -> str:
    return f"/bot{token}/{method}"


# --------------------------------------------------------------------------- basics
async def test_get_me_on_an_ephemeral_port(stub: BotApiStub, bot: Bot) -> None:
    assert stub.port > 0
    assert stub.base_url == f"http://127.0.0.1:{stub.port}/bot"
    assert stub.base_file_url == f"http://127.0.0.1:{stub.port}/file/bot"
    assert bot.username == "chibot_test_bot"
    assert bot.id == 123456
    assert stub.calls[0] == ("getMe", {})


async def test_send_message_records_markup_and_shares_per_chat_ids(
    stub: BotApiStub, bot: Bot
) -> None:
    first = await bot.send_message(
        LAN.id, "<b>Chào</b> đồng chí", parse_mode="HTML", reply_markup=KEYBOARD
    )
    stub.send_text(LAN, "ok")
    second = await bot.send_message(LAN.id, "tiếp")
    other = await bot.send_message(MINH.id, "hello")

    assert (first.message_id, second.message_id, other.message_id) == (1, 3, 1)
    assert first.text == "Chào đồng chí"  # Telegram returns the text without HTML tags
    assert first.from_user is not None and first.from_user.is_bot
    assert first.chat.type == "private"
    assert first.reply_markup == KEYBOARD
    sent = stub.messages_to(LAN.id)
    assert [m.text for m in sent] == ["<b>Chào</b> đồng chí", "tiếp"]
    assert sent[0].parse_mode == "HTML" and sent[0].kind == "text"
    assert sent[0].buttons == [("Có", "yes"), ("Không", "no")]
    assert sent[0].reply_markup == KEYBOARD.to_dict()
    assert [m.seq for m in stub.sent] == [1, 2, 3]
    assert stub.calls_to("sendMessage")[0]["chat_id"] == LAN.id


async def test_edits_are_applied_in_place_and_unchanged_edits_fail(
    stub: BotApiStub, bot: Bot
) -> None:
    msg = await bot.send_message(LAN.id, "Bạn có tham dự?", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("Đã ghi nhận", chat_id=LAN.id, message_id=msg.message_id)
    assert isinstance(edited, type(msg)) and edited.edit_date is not None
    sent = stub.sent[0]
    assert (sent.text, sent.edits, sent.reply_markup) == ("Đã ghi nhận", 1, None)
    assert sent.history[0].text == "Bạn có tham dự?"

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Đã ghi nhận", chat_id=LAN.id, message_id=msg.message_id)
    await bot.edit_message_reply_markup(LAN.id, msg.message_id, reply_markup=KEYBOARD)
    assert sent.edits == 2 and sent.buttons[0] == ("Có", "yes")

    assert await bot.delete_message(LAN.id, msg.message_id)
    assert sent.deleted
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=LAN.id, message_id=msg.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(LAN.id, msg.message_id)


async def test_uploads_are_stored_and_reusable_by_file_id(stub: BotApiStub, bot: Bot) -> None:
    photo = await bot.send_photo(LAN.id, b"\xff\xd8fake-jpeg", caption="Ảnh", filename="a.jpg")
    doc = await bot.send_document(LAN.id, b"%PDF-1.4 data", filename="bien_ban.pdf")
    again = await bot.send_document(MINH.id, doc.document.file_id)

    first, second = stub.messages_to(LAN.id)
    assert (first.kind, first.caption, first.file_bytes) == ("photo", "Ảnh", b"\xff\xd8fake-jpeg")
    assert (second.kind, second.filename, second.file_bytes) == (
        "document",
        "bien_ban.pdf",
        b"%PDF-1.4 data",
    )
    assert photo.photo[-1].file_size == len(b"\xff\xd8fake-jpeg")
    assert again.document.file_id == doc.document.file_id
    assert stub.messages_to(MINH.id)[0].file_bytes == b"%PDF-1.4 data"

    await bot.edit_message_caption(LAN.id, photo.message_id, caption="Ảnh mới")
    assert first.caption == "Ảnh mới" and first.edits == 1
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(LAN.id, "no-such-file-id")


async def test_user_document_can_be_downloaded(stub: BotApiStub, bot: Bot) -> None:
    payload = b"x" * 2048
    update_id = stub.send_document(LAN, "danh_sach.xlsx", payload, caption="DS")
    (update,) = await bot.get_updates(timeout=1)
    assert update.update_id == update_id
    assert update.message is not None and update.message.document is not None
    assert update.message.document.file_name == "danh_sach.xlsx"
    assert update.message.caption == "DS"
    tg_file = await update.message.document.get_file()
    buffer = io.BytesIO()
    await tg_file.download_to_memory(buffer)
    assert buffer.getvalue() == payload


async def test_html_is_validated_like_telegram(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: unsupported start tag .br."):
        await bot.send_message(LAN.id, "dòng 1<br>dòng 2", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)Can't find end tag"):
        await bot.send_message(LAN.id, "<b>bold", parse_mode="HTML")
    ok = await bot.send_message(LAN.id, "a &lt; b &amp; <i>c</i>", parse_mode="HTML")
    assert ok.text == "a < b & c"


# --------------------------------------------------------------------------- errors
async def test_fail_next_surfaces_as_retry_after(
    stub: BotApiStub, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    stub.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(LAN.id, "hi")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    await bot.send_message(LAN.id, "hi")  # only the next call failed
    assert len(stub.sent) == 1
    assert [name for name, _ in stub.calls].count("sendMessage") == 2


async def test_blocked_user_gives_forbidden(stub: BotApiStub, bot: Bot) -> None:
    stub.block_bot(LAN.id)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(LAN.id, "hi")
    await bot.send_message(MINH.id, "hi")
    stub.unblock_bot(LAN.id)
    await bot.send_message(LAN.id, "hi")


async def test_wrong_token_and_unknown_method(stub: BotApiStub, http: httpx.AsyncClient) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=stub.base_url):
            pass
    response = await http.post(api_path("getMe", "999:WRONG"))
    assert (response.status_code, response.json()) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    response = await http.post(api_path("sendSticker"), json={"chat_id": 1})
    assert (response.status_code, response.json()) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )
    assert stub.calls[-1] == ("sendSticker", {"chat_id": 1})


async def test_rate_limit_answers_429_with_retry_after(
    stub: BotApiStub, http: httpx.AsyncClient
) -> None:
    stub.set_rate_limit(5)
    statuses = []
    for i in range(12):
        response = await http.post(api_path("sendMessage"), data={"chat_id": "7", "text": f"m{i}"})
        statuses.append(response.status_code)
    assert statuses[:5] == [200] * 5  # a burst of one second's worth is allowed
    assert 429 in statuses
    assert len(stub.sent) == statuses.count(200)
    limited = await http.post(api_path("sendMessage"), data={"chat_id": "7", "text": "again"})
    body = limited.json()
    assert limited.status_code == 429 and body["error_code"] == 429
    assert body["parameters"]["retry_after"] >= 1
    assert body["description"].startswith("Too Many Requests: retry after")
    stub.set_rate_limit(None)
    ok = await http.post(api_path("sendMessage"), data={"chat_id": "7", "text": "free"})
    assert ok.status_code == 200


# --------------------------------------------------------------------------- parameters
async def test_json_form_and_query_parameters(stub: BotApiStub, http: httpx.AsyncClient) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    as_json = await http.post(
        api_path("sendMessage"),
        json={"chat_id": "5", "text": "json", "reply_markup": json.dumps(markup)},
    )
    as_query = await http.get(api_path("sendMessage"), params={"chat_id": 5, "text": "query"})
    as_form = await http.post(
        api_path("SENDMESSAGE"),
        data={"chat_id": "5", "text": "form", "reply_markup": json.dumps(markup)},
    )
    assert [r.status_code for r in (as_json, as_query, as_form)] == [200, 200, 200]
    first, second, third = stub.messages_to(5)
    assert first.reply_markup == markup and third.reply_markup == markup
    assert (second.text, second.reply_markup) == ("query", None)
    assert as_json.json()["result"]["reply_markup"] == markup
    assert stub.calls[-1][0] == "sendMessage"  # method names are case-insensitive

    empty = await http.post(api_path("sendMessage"), json={"chat_id": 5, "text": " "})
    assert empty.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message text is empty",
    }


async def test_set_my_commands_per_language_and_scope(stub: BotApiStub, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Bắt đầu")], language_code="vi")
    await bot.set_my_commands([BotCommand("start", "Start")], language_code="en")
    await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")])
    admin_scope = BotCommandScopeChat(LAN.id)
    await bot.set_my_commands(
        [BotCommand("admin", "Quản trị")], scope=admin_scope, language_code="vi"
    )

    assert stub.get_commands("vi") == [{"command": "start", "description": "Bắt đầu"}]
    assert stub.get_commands("en") == [{"command": "start", "description": "Start"}]
    assert [c["command"] for c in stub.get_commands()] == ["start", "help"]
    assert stub.get_commands("vi", admin_scope.to_dict()) == [
        {"command": "admin", "description": "Quản trị"}
    ]
    fetched = await bot.get_my_commands(language_code="vi")
    assert fetched == (BotCommand("start", "Bắt đầu"),)
    assert [p.get("language_code") for p in stub.calls_to("setMyCommands")] == [
        "vi",
        "en",
        None,
        "vi",
    ]

    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start", "uppercase is rejected")])
    await bot.delete_my_commands(language_code="en")
    assert stub.get_commands("en") == []
    assert await bot.set_chat_menu_button() is True


# --------------------------------------------------------------------------- getUpdates
async def test_get_updates_long_poll_offset_and_limit(stub: BotApiStub, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await bot.get_updates(timeout=0) == ()
    assert loop.time() - started < 1

    loop.call_later(0.1, stub.send_text, LAN, "/start")
    started = loop.time()
    (update,) = await bot.get_updates(timeout=5)
    assert loop.time() - started < 2  # woken by the injection, not by the timeout
    assert update.message is not None and update.message.text == "/start"
    entity = update.message.entities[0]
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 6)
    assert update.message.from_user is not None and update.message.from_user.language_code == "vi"
    assert update.message.chat.id == LAN.id and update.message.message_id == 1

    ids = [stub.send_text(MINH, f"m{i}") for i in range(3)]
    unconfirmed = await bot.get_updates(timeout=0)
    assert [u.update_id for u in unconfirmed] == [update.update_id, *ids]  # not confirmed yet
    limited = await bot.get_updates(offset=update.update_id + 1, limit=2, timeout=0)
    assert [u.update_id for u in limited] == ids[:2]
    assert [u["update_id"] for u in stub.pending_updates] == ids
    await bot.get_updates(offset=ids[-1] + 1, timeout=0)
    assert stub.pending_updates == []


async def test_long_poll_client_going_away_is_clean(
    stub: BotApiStub, http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="aiohttp")
    poll = asyncio.create_task(http.post(api_path("getUpdates"), json={"timeout": 30}))
    await stub.wait_until(lambda: bool(stub.calls_to("getUpdates")))
    poll.cancel()
    with pytest.raises(asyncio.CancelledError):
        await poll
    follow_up = await http.post(api_path("getUpdates"), json={"timeout": 0})
    assert follow_up.json() == {"ok": True, "result": []}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --------------------------------------------------------------------------- webhook
class Receiver:
    """A local aiohttp server standing in for the bot's webhook endpoint."""

    def __init__(self) -> None:
        self.received: asyncio.Queue[tuple[dict[str, str], dict[str, object]]] = asyncio.Queue()
        self.statuses: list[int] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _handle(self, request: web.Request) -> web.Response:
        await self.received.put((dict(request.headers), await request.json()))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/hook"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()


async def test_webhook_mode_posts_updates_with_secret(stub: BotApiStub, bot: Bot) -> None:
    async with Receiver() as receiver:
        assert await bot.set_webhook(receiver.url, secret_token="s3cr3t-Token")
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        update_id = stub.send_text(LAN, "xin chào")
        headers, body = await asyncio.wait_for(receiver.received.get(), 5)
        assert headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cr3t-Token"
        update = Update.de_json(body, bot)
        assert update.update_id == update_id
        assert update.message is not None and update.message.text == "xin chào"
        await stub.wait_until(lambda: not stub.pending_updates)
        info = await bot.get_webhook_info()
        assert (info.url, info.pending_update_count) == (receiver.url, 0)
        assert await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()
    assert [(d.update_id, d.status) for d in stub.webhook_deliveries] == [(update_id, 200)]


async def test_manual_webhook_delivery_keeps_failed_updates() -> None:
    async with BotApiStub(TOKEN, webhook_auto_deliver=False) as stub, Receiver() as receiver:
        async with Bot(TOKEN, base_url=stub.base_url) as bot:
            await bot.set_webhook(receiver.url)
            update_id = stub.send_text(LAN, "hello")
            receiver.statuses.append(500)
            assert await stub.deliver_webhook() == 500
            assert [u["update_id"] for u in stub.pending_updates] == [update_id]
            info = await bot.get_webhook_info()
            assert info.last_error_message is not None and "500" in info.last_error_message
            assert await stub.deliver_webhook(update_id) == 200
            assert stub.pending_updates == []
            headers, _ = receiver.received.get_nowait()
            assert "X-Telegram-Bot-Api-Secret-Token" not in headers


# --------------------------------------------------------------------------- control surface
async def test_control_surface(stub: BotApiStub, bot: Bot, http: httpx.AsyncClient) -> None:
    user = {"id": 77, "first_name": "Hà", "language_code": "vi"}
    response = await http.post("/_stub/send_text", json={"user": user, "text": "/start"})
    update_id = response.json()["result"]
    (update,) = await bot.get_updates(timeout=0)
    assert update.update_id == update_id and update.message is not None
    assert update.message.from_user is not None and update.message.from_user.first_name == "Hà"

    waiting = asyncio.create_task(http.get("/_stub/sent", params={"chat_id": 77, "wait": 5}))
    await asyncio.sleep(0.05)
    message = await bot.send_message(77, "Menu", reply_markup=KEYBOARD)
    listed = (await waiting).json()
    assert [m["text"] for m in listed["result"]] == ["Menu"]
    assert listed["last_seq"] == 1

    pressed = await http.post(
        "/_stub/press_button",
        json={"user": user, "message_id": message.message_id, "callback_data": "no"},
    )
    assert pressed.json()["ok"] is True
    bad = await http.post(
        "/_stub/press_button",
        json={"user": user, "message_id": message.message_id, "callback_data": "maybe"},
    )
    assert bad.status_code == 400 and "no button" in bad.json()["description"]
    after = await http.get("/_stub/sent", params={"chat_id": 77, "after": 1})
    assert after.json()["result"] == []
    calls = (await http.get("/_stub/calls", params={"method": "sendMessage"})).json()["result"]
    assert calls[0]["params"]["text"] == "Menu"


# --------------------------------------------------------------------------- full application
async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text("Bạn có tham dự?", reply_markup=KEYBOARD)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(f"echo: {update.effective_message.text}")


async def size_of_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    buffer = io.BytesIO()
    await (await message.document.get_file()).download_to_memory(buffer)
    await message.reply_text(f"size: {len(buffer.getvalue())}")


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Đã ghi nhận")
    await query.edit_message_text(f"chose {query.data}")


def build_application(stub: BotApiStub) -> Application:  # type: ignore[type-arg]
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(stub.base_url)
        .base_file_url(stub.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(filters.Document.ALL, size_of_document))
    app.add_handler(CallbackQueryHandler(choose))
    return app


async def test_application_polling_end_to_end(
    stub: BotApiStub, caplog: pytest.LogCaptureFixture
) -> None:
    app = build_application(stub)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=5)
    try:
        stub.send_text(LAN, "/start")
        (menu,) = await stub.wait_for_messages(LAN.id, 1)
        assert menu.callback_data_for("Có") == "yes"

        stub.press_button(LAN, menu, "yes")
        await stub.wait_until(lambda: menu.edits == 1)
        assert (menu.text, menu.reply_markup) == ("chose yes", None)
        await stub.wait_until(lambda: bool(stub.callback_answers))
        (answer,) = stub.callback_answers.values()
        assert answer["text"] == "Đã ghi nhận"

        stub.send_text(LAN, "xin chào")
        stub.send_document(LAN, "bao_cao.docx", b"0123456789" * 100)
        messages = await stub.wait_for_messages(LAN.id, 3)
        assert [m.text for m in messages[1:]] == ["echo: xin chào", "size: 1000"]
        with pytest.raises(TimeoutError, match="expected 4 messages"):
            await stub.wait_for_messages(LAN.id, 4, timeout=0.05)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert stub.calls[0][0] == "getMe"
    assert "deleteWebhook" in [name for name, _ in stub.calls]
    assert stub.pending_updates == []  # the updater confirmed everything on shutdown
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_application_webhook_mode_end_to_end(stub: BotApiStub) -> None:
    app = build_application(stub)
    port = free_port()
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="tg",
        webhook_url=f"http://127.0.0.1:{port}/tg",
        secret_token="chibot-secret",
    )
    try:
        assert stub.webhook is not None and stub.webhook.secret_token == "chibot-secret"
        stub.send_text(MINH, "webhook?")
        (reply,) = await stub.wait_for_messages(MINH.id, 1)
        assert reply.text == "echo: webhook?"
        await stub.wait_until(lambda: not stub.pending_updates)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert [d.status for d in stub.webhook_deliveries] == [200]
