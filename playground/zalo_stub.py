"""A local Zalo Bot Platform API stub: a real aiohttp server on 127.0.0.1 for tests and the
playground (docs: ../shared/docs/zalo-bot-api.md).

`/bot<TOKEN>/<method>` serves the nine methods with JSON, form or query parameters and the
documented envelopes; 400 for a text outside 1..2000 or a secret outside 8..256, 401 for a bad
token, 404 for an unknown method. getUpdates hands out one update per call, or 408 after its
timeout. With a webhook set, each update is POSTed to the bot with `X-Bot-Api-Secret-Token`,
alternating the wrapped `{ok, result}` and the flat envelope, optionally twice. Each sendPhoto
URL is fetched and what came back recorded. The control API (methods) injects what users do
and reads back what the bot sent; faults: 429/5xx answers, slow answers, 408 polls.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiohttp import web

from playground.zalo_stub_media import JPEG_TINY, PNG_1PX

JSON = dict[str, Any]
METHODS = frozenset(
    {
        "getMe",
        "getUpdates",
        "setWebhook",
        "deleteWebhook",
        "getWebhookInfo",
        "sendMessage",
        "sendPhoto",
        "sendSticker",
        "sendChatAction",
    }
)


@dataclass(slots=True)
class ZaloSent:
    chat_id: str
    method: str
    text: str | None = None
    photo: str | None = None
    sticker: str | None = None
    message_id: str = ""


@dataclass(slots=True)
class PhotoFetch:
    url: str
    status: int
    content_type: str
    size: int


@dataclass(slots=True)
class Delivery:
    body: JSON | None
    wrapped: bool
    status: int


@dataclass(slots=True)
class _Fault:
    code: int
    times: int
    delay: float = 0.0


@dataclass(slots=True)
class ZaloStubUser:
    id: str
    display_name: str = "Người dùng"
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))


class ZaloApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


class ZaloStub:
    def __init__(self, token: str = "1234567890:zalo-stub-token", *, port: int = 0) -> None:
        self.token = token
        self.bot_id = token.split(":", 1)[0]
        self.host = "127.0.0.1"
        self._requested_port = port
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._updates: asyncio.Queue[JSON] = asyncio.Queue()
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_updated_at = 0
        self.duplicate_deliveries = False  # every webhook update is POSTed twice
        self.deliveries: list[Delivery] = []
        self.sent: list[ZaloSent] = []
        self.calls: list[tuple[str, JSON]] = []
        self.refused: list[tuple[str, int, str]] = []  # (method, code, description) answered
        self.photo_fetches: list[PhotoFetch] = []
        self.media: dict[str, tuple[bytes, str]] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._ids = itertools.count(1)
        self._deliver_count = 0
        self._http: httpx.AsyncClient | None = None
        self._pending: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------------ lifecycle
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/media/{name}", self._media)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self._requested_port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self._http = httpx.AsyncClient(timeout=10.0)

    async def stop(self) -> None:
        for task in list(self._pending):
            task.cancel()
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> ZaloStub:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ control API
    def user(self, user_id: str | None = None, display_name: str = "Người dùng") -> ZaloStubUser:
        return ZaloStubUser(user_id or secrets.token_hex(10), display_name)

    def _event(self, user: ZaloStubUser, event_name: str, **fields: Any) -> JSON:
        message_id = secrets.token_hex(10)
        message: JSON = {
            "from": {"id": user.id, "display_name": user.display_name, "is_bot": False},
            "chat": {"id": user.id, "chat_type": "PRIVATE"},
            "message_id": message_id,
            "date": int(time.time() * 1000),
            **fields,
        }
        return {"event_name": event_name, "message": message}

    def inject(self, update: JSON) -> str:
        """Queue (or, with a webhook set, deliver) an update; returns its message_id."""
        if self.webhook_url:
            task = asyncio.get_running_loop().create_task(self._deliver(update))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)
        else:
            self._updates.put_nowait(update)
        return str(update["message"]["message_id"])

    def send_text(self, user: ZaloStubUser, text: str) -> str:
        return self.inject(self._event(user, "message.text.received", text=text))

    def send_image(
        self, user: ZaloStubUser, caption: str | None = None, *, png: bool = False
    ) -> str:
        name = f"p{next(self._ids)}.{'png' if png else 'jpg'}"
        self.media[name] = (PNG_1PX, "image/png") if png else (JPEG_TINY, "image/jpeg")
        fields: JSON = {"photo_url": f"{self.base_url}/media/{name}", "message_type": "CHAT_PHOTO"}
        if caption:
            fields["caption"] = caption
        return self.inject(self._event(user, "message.image.received", **fields))

    def send_sticker(self, user: ZaloStubUser) -> str:
        return self.inject(
            self._event(user, "message.sticker.received", sticker="abc", url=f"{self.base_url}/s")
        )

    def send_voice(self, user: ZaloStubUser) -> str:
        return self.inject(
            self._event(
                user,
                "message.voice.received",
                voice_url=f"{self.base_url}/media/v.aac",
                message_type="CHAT_VOICE",
            )
        )

    def send_unsupported(self, user: ZaloStubUser) -> str:
        return self.inject(self._event(user, "message.unsupported.received"))

    def sent_to(self, chat_id: str) -> list[ZaloSent]:
        return [s for s in self.sent if s.chat_id == chat_id]

    def fail_next(self, method: str, code: int, times: int = 1, *, delay: float = 0.0) -> None:
        """The next `times` calls of `method` answer `code` (429, 500, 502, 408…) after `delay`."""
        self._faults.setdefault(method, []).append(_Fault(code, times, delay))

    def slow_next(self, method: str, seconds: float, times: int = 1) -> None:
        self._faults.setdefault(method, []).append(_Fault(0, times, seconds))

    # ------------------------------------------------------------------ HTTP
    async def _media(self, request: web.Request) -> web.Response:
        found = self.media.get(request.match_info["name"])
        if found is None:
            return web.Response(status=404)
        return web.Response(body=found[0], content_type=found[1])

    async def _params(self, request: web.Request) -> JSON:
        params: JSON = dict(request.query)
        if request.can_read_body:
            kind = request.content_type
            if kind == "application/json":
                raw = await request.read()
                body = json.loads(raw) if raw.strip() else {}
                if not isinstance(body, dict):
                    raise ZaloApiError(400, "Bad Request: body is not an object")
                params.update(body)
            elif kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
                params.update({k: v for k, v in (await request.post()).items()})
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            if request.match_info["token"] != self.token:
                raise ZaloApiError(401, "Unauthorized")
            if method not in METHODS:
                raise ZaloApiError(404, "Not Found")
            try:
                params = await self._params(request)
            except ValueError as exc:
                raise ZaloApiError(400, "Bad Request: unreadable parameters") from exc
            self.calls.append((method, params))
            await self._fault(method)
            result = await self._call(method, params, request)
        except ZaloApiError as exc:
            self.refused.append((method, exc.code, exc.description))
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            return web.json_response(body, status=exc.code)
        if result is _NO_RESULT:
            return web.json_response({"ok": True})
        return web.json_response({"ok": True, "result": result})

    async def _fault(self, method: str) -> None:
        queue = self._faults.get(method)
        if not queue:
            return
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.code:
            description = {408: "Request timeout", 429: "Quota exceeded"}.get(
                fault.code, "Internal server error"
            )
            raise ZaloApiError(fault.code, description)

    async def _call(self, method: str, params: JSON, request: web.Request) -> Any:
        if method == "getMe":
            return {
                "id": self.bot_id,
                "account_name": "bot.chibot",
                "account_type": "BASIC",
                "can_join_groups": False,
            }
        if method == "getUpdates":
            return await self._get_updates(params, request)
        if method == "setWebhook":
            url, secret = str(params.get("url") or ""), str(params.get("secret_token") or "")
            if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
                raise ZaloApiError(400, "Bad Request: url must be HTTPS")
            if not 8 <= len(secret) <= 256:
                raise ZaloApiError(400, "Bad Request: secret_token must be 8-256 characters")
            self.webhook_url, self.webhook_secret = url, secret
            self.webhook_updated_at = int(time.time() * 1000)
            return {"url": url, "updated_at": self.webhook_updated_at}
        if method == "deleteWebhook":
            self.webhook_url, self.webhook_secret = "", ""
            self.webhook_updated_at = int(time.time() * 1000)
            return {"url": "", "updated_at": self.webhook_updated_at}
        if method == "getWebhookInfo":
            return {"url": self.webhook_url, "updated_at": self.webhook_updated_at}
        chat_id = str(params.get("chat_id") or "")
        if not chat_id:
            raise ZaloApiError(400, "Bad Request: chat_id is required")
        if method == "sendChatAction":
            return _NO_RESULT
        if method == "sendMessage":
            text = str(params.get("text") or "")
            _check_text(text, "text")
            return self._store(ZaloSent(chat_id, method, text=text))
        if method == "sendPhoto":
            photo = str(params.get("photo") or "")
            caption = params.get("caption")
            if not photo:
                raise ZaloApiError(400, "Bad Request: photo is required")
            if caption is not None:
                _check_text(str(caption), "caption")
            await self._fetch(photo)
            return self._store(ZaloSent(chat_id, method, text=caption, photo=photo))
        sticker = str(params.get("sticker") or "")
        if not sticker:
            raise ZaloApiError(400, "Bad Request: sticker is required")
        return self._store(ZaloSent(chat_id, method, sticker=sticker))

    async def _get_updates(self, params: JSON, request: web.Request) -> JSON:
        if self.webhook_url:
            raise ZaloApiError(400, "Bad Request: a webhook is set")
        try:
            wait = max(0.0, min(float(params.get("timeout") or 30), 60.0))
        except ValueError:
            raise ZaloApiError(400, "Bad Request: timeout must be seconds") from None
        try:
            update = await asyncio.wait_for(self._updates.get(), wait)
        except TimeoutError:
            raise ZaloApiError(408, "Request timeout") from None
        if request.transport is None or request.transport.is_closing():
            self._updates.put_nowait(update)  # the poller went away: keep it for the next one
            raise ZaloApiError(408, "Request timeout")
        return update

    def _store(self, sent: ZaloSent) -> JSON:
        sent.message_id = secrets.token_hex(10)
        self.sent.append(sent)
        return {"message_id": sent.message_id, "date": int(time.time() * 1000)}

    async def _fetch(self, url: str) -> None:
        assert self._http is not None
        try:
            response = await self._http.get(url)
        except httpx.HTTPError:
            self.photo_fetches.append(PhotoFetch(url, 0, "", 0))
            raise ZaloApiError(400, "Bad Request: photo URL unreachable") from None
        kind = response.headers.get("content-type", "")
        self.photo_fetches.append(
            PhotoFetch(url, response.status_code, kind, len(response.content))
        )

    async def _deliver(self, update: JSON) -> None:
        assert self._http is not None
        self._deliver_count += 1
        wrapped = self._deliver_count % 2 == 1
        body = {"ok": True, "result": update} if wrapped else update
        for _ in range(2 if self.duplicate_deliveries else 1):
            try:
                response = await self._http.post(
                    self.webhook_url,
                    json=body,
                    headers={"X-Bot-Api-Secret-Token": self.webhook_secret},
                )
                status = response.status_code
            except httpx.HTTPError:
                status = 0
            self.deliveries.append(Delivery(body, wrapped, status))

    async def post_webhook(
        self, body: bytes | JSON | None, secret: str | None, content_type: str = "application/json"
    ) -> int:
        """POST anything to the webhook (a probe, a wrong secret…); the HTTP status."""
        assert self._http is not None
        headers = {"content-type": content_type} if content_type else {}
        if secret is not None:
            headers["X-Bot-Api-Secret-Token"] = secret
        raw = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
        response = await self._http.post(self.webhook_url, content=raw, headers=headers)
        return response.status_code


_NO_RESULT = object()


def _check_text(text: str, name: str) -> None:
    if not 1 <= len(text) <= 2000:
        raise ZaloApiError(400, f"Bad Request: {name} must be 1-2000 characters, not {len(text)}")
