"""A local Telegram Bot API stub: a real aiohttp server on 127.0.0.1 for tests and benchmarks.

Point ``telegram.Bot``/``ApplicationBuilder`` at ``stub.base_url`` and ``stub.base_file_url``,
inject what users do with :meth:`BotApiStub.send_text` and friends, and inspect what the bot
sent through :attr:`BotApiStub.sent`, :attr:`BotApiStub.calls` and the wait helpers.
"""

from __future__ import annotations

import mimetypes
import time
from types import TracebackType
from typing import Self

from aiohttp import web

from playground.stub_control import add_control_routes
from playground.stub_core import StubCore
from playground.stub_methods import dispatch
from playground.stub_models import (
    ApiError,
    JSONDict,
    SentMessage,
    StubUser,
    WebhookDelivery,
    bad_request,
    dumps,
)
from playground.stub_params import parse_params
from playground.stub_webhook import WebhookPump

__all__ = ["ApiError", "BotApiStub", "SentMessage", "StubUser", "WebhookDelivery"]

MAX_REQUEST_BYTES = 60 * 1024 * 1024


def _json_response(status: int, payload: JSONDict) -> web.Response:
    return web.Response(status=status, body=dumps(payload), content_type="application/json")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class BotApiStub(StubCore):
    """Telegram Bot API stub server running in the caller's asyncio event loop."""

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "chibot_test_bot",
        bot_id: int = 123456,
        bot_first_name: str = "Chibot Test",
        strict_chats: bool = False,
        webhook_auto_deliver: bool = True,
        telegram_strict: bool = True,
    ) -> None:
        super().__init__(
            token,
            bot_username=bot_username,
            bot_id=bot_id,
            bot_first_name=bot_first_name,
            strict_chats=strict_chats,
        )
        self.host = host
        # Telegram-strict (the default): texts, captions and callback data over Telegram's
        # limits are refused with Telegram's 400 errors; False only for exploring by hand.
        self.telegram_strict = telegram_strict
        # Every request the stub refused as Telegram would: (method, description).
        self.refusals: list[tuple[str, str]] = []
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._webhook = WebhookPump(self, auto_deliver=webhook_auto_deliver)

    # ----------------------------------------------------------------- lifecycle
    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("stub already started")
        self._closing = False
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        add_control_routes(app, self)
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._port = int(runner.addresses[0][1])
        self._runner = runner
        self._webhook.sync()

    async def stop(self) -> None:
        """Stop serving; pending long polls return empty results first."""
        if self._runner is None:
            return
        self._closing = True
        self._update_notifier.notify()
        self._activity.notify()
        await self._webhook.stop()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("stub not started: the port is only known after start()")
        return self._port

    @property
    def url(self) -> str:
        """Root URL of the server, e.g. for the ``/_stub/...`` control endpoints."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # ----------------------------------------------------------------- HTTP handlers
    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json_response(401, ApiError(401, "Unauthorized").payload())
        try:
            params = await parse_params(request)
        except ValueError as exc:
            return _json_response(400, bad_request(str(exc)).payload())
        try:
            result = await dispatch(self, request.match_info["method"], params)
        except ApiError as exc:
            if exc.status == 400:
                self.refusals.append((request.match_info["method"], exc.description))
            return _json_response(exc.status, exc.payload())
        return _json_response(200, {"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json_response(401, ApiError(401, "Unauthorized").payload())
        stored = self.file_by_path(request.match_info["file_path"])
        if stored is None:
            return _json_response(404, ApiError(404, "Not Found").payload())
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    # ----------------------------------------------------------------- webhook
    def on_webhook_changed(self) -> None:
        if self._runner is not None:
            self._webhook.sync()

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        return self._webhook.deliveries

    async def deliver_webhook(self, update_id: int | None = None) -> int | None:
        """POST one pending update (the oldest, or ``update_id``) to the webhook now.

        Returns the receiver's HTTP status (None when it could not be reached); a 2xx answer
        confirms the update. Meant for ``webhook_auto_deliver=False``.
        """
        pending = self.pending_updates
        if update_id is not None:
            pending = [u for u in pending if u["update_id"] == update_id]
        if not pending:
            raise LookupError(f"no pending update {update_id if update_id is not None else ''}")
        return await self._webhook.deliver(pending[0])

    # ----------------------------------------------------------------- user actions
    def _user_message(self, user: StubUser, content: JSONDict) -> JSONDict:
        self.add_user(user)
        message: JSONDict = {
            "message_id": self.next_message_id(user.id),
            "from": user.to_api(),
            "chat": self.chat_api(user.id),
            "date": int(time.time()),
            **content,
        }
        self.remember_user_message(user.id, message)
        return message

    def send_update(self, body: JSONDict) -> int:
        """Queue an arbitrary update body (without ``update_id``); returns the update_id."""
        return self.enqueue_update(body)

    def send_text(
        self, user: StubUser, text: str, *, entities: list[JSONDict] | None = None
    ) -> int:
        """The user writes ``text``; a leading ``/command`` gets a bot_command entity."""
        content: JSONDict = {"text": text}
        if entities is None and text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            entities = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        if entities:
            content["entities"] = entities
        return self.enqueue_update({"message": self._user_message(user, content)})

    def press_button(
        self, user: StubUser, message: SentMessage, callback_data: str, *, strict: bool = True
    ) -> int:
        """The user presses an inline button of ``message`` (checked to exist when strict)."""
        current = self.find_sent(message.chat_id, message.message_id)
        if current is None:
            raise LookupError(f"message {message.message_id} in chat {message.chat_id} is gone")
        if strict and callback_data not in {data for _, data in current.buttons}:
            raise ValueError(
                f"message {current.message_id} has no button with callback_data "
                f"{callback_data!r}; buttons: {current.buttons!r}"
            )
        self.add_user(user)
        query: JSONDict = {
            "id": self.open_callback(),
            "from": user.to_api(),
            "message": self.message_api(current),
            "chat_instance": str(-(abs(current.chat_id) * 31 + 7)),
            "data": callback_data,
        }
        return self.enqueue_update({"callback_query": query})

    def send_document(
        self,
        user: StubUser,
        filename: str,
        data: bytes,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> int:
        """The user sends a file; getFile and the download URL serve ``data`` back."""
        mime_type = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self.store_file("document", data, filename, mime_type)
        content: JSONDict = {"document": stored.document_api()}
        if caption:
            content["caption"] = caption
        return self.enqueue_update({"message": self._user_message(user, content)})

    def send_photo(self, user: StubUser, data: bytes, caption: str | None = None) -> int:
        """The user sends a photo (served back as one 800x600 PhotoSize)."""
        stored = self.store_file("photo", data, None, "image/jpeg")
        content: JSONDict = {"photo": stored.photo_api()}
        if caption:
            content["caption"] = caption
        return self.enqueue_update({"message": self._user_message(user, content)})

    def send_location(self, user: StubUser, latitude: float, longitude: float) -> int:
        """The user shares a location."""
        content: JSONDict = {"location": {"latitude": latitude, "longitude": longitude}}
        return self.enqueue_update({"message": self._user_message(user, content)})
