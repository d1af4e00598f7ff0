"""A small client for Zalo's Bot Platform API: nine JSON POSTs and one envelope.

Calls go to `{base_url}/bot{TOKEN}/{method}`. Every answer is `{"ok", "result"}` or
`{"ok": false, "error_code", "description"}`; an `ok: false` answered with HTTP 200 is an
error like any other. The token sits in the URL path, so it is kept out of every log line,
error text and exception message this module produces (httpx's own errors are re-raised
without the URL).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger(__name__)
DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
TEXT_LIMIT = 2000
POLL_SECONDS = 30


class ZaloError(Exception):
    """The API refused a call (`code` is Zalo's error_code, or the HTTP status)."""

    def __init__(self, method: str, code: int, description: str) -> None:
        super().__init__(f"zalo {method}: {code} {description}")
        self.method = method
        self.code = code
        self.description = description


class Unauthorized(ZaloError):
    """401: the token is wrong or was reset in Zalo Bot Creator."""


class Forbidden(ZaloError):
    """403: the platform will not deliver to this chat (or answered its 'internal error')."""


class NotFound(ZaloError):
    """404: an unknown method or chat."""


class NoUpdate(ZaloError):
    """408 on getUpdates: no event arrived in time (not a failure)."""


class TooManyRequests(ZaloError):
    """429: quota exceeded; Zalo documents no retry_after, so callers back off themselves."""


class ZaloNetworkError(Exception):
    """The request did not get an answer (connection refused, reset, timed out). `sent` says
    whether the request may have reached Zalo (a timeout after sending): never resend those
    blindly."""

    def __init__(self, method: str, kind: str, *, sent: bool) -> None:
        super().__init__(f"zalo {method}: {kind}")
        self.method = method
        self.sent = sent


_ERRORS: dict[int, type[ZaloError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    408: NoUpdate,
    429: TooManyRequests,
}


@dataclass(frozen=True, slots=True)
class SentMessage:
    message_id: str
    date_ms: int


class ZaloClient:
    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not token:
            raise ValueError("ZALO_BOT_TOKEN is not set")
        self._url = f"{base_url.rstrip('/')}/bot{token}/"
        self._token = token
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)

    async def close(self) -> None:
        await self._http.aclose()

    def redact(self, text: str) -> str:
        return text.replace(self._token, "<token>")

    async def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        read_timeout: float | None = None,
    ) -> Any:
        """The `result` of `method`, or raises ZaloError / ZaloNetworkError."""
        timeout = (
            httpx.Timeout(self._http.timeout.connect or 15.0, read=read_timeout)
            if read_timeout is not None
            else httpx.USE_CLIENT_DEFAULT
        )
        try:
            response = await self._http.post(self._url + method, json=params or {}, timeout=timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise ZaloNetworkError(method, type(exc).__name__, sent=False) from None
        except httpx.TransportError as exc:
            raise ZaloNetworkError(method, type(exc).__name__, sent=True) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            if response.status_code in _ERRORS:
                raise _ERRORS[response.status_code](method, response.status_code, "")
            raise ZaloError(method, response.status_code, "not a JSON answer")
        if body.get("ok") is True and response.status_code < 400:
            return body.get("result")
        code = int(body.get("error_code") or response.status_code or 0)
        description = self.redact(str(body.get("description") or ""))
        raise _ERRORS.get(code, ZaloError)(method, code, description)

    # The nine methods ------------------------------------------------------------------

    async def get_me(self) -> dict[str, Any]:
        return await self.call("getMe")  # type: ignore[no-any-return]

    async def get_update(self, wait_seconds: int = POLL_SECONDS) -> dict[str, Any] | None:
        """One update, or None when none came within `wait_seconds` (a 408)."""
        try:
            result = await self.call(
                "getUpdates", {"timeout": str(wait_seconds)}, read_timeout=wait_seconds + 10
            )
        except NoUpdate:
            return None
        if isinstance(result, list):  # tolerated: some describe a list
            return result[0] if result else None
        return result if isinstance(result, dict) else None

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        if not 8 <= len(secret_token) <= 256:
            raise ValueError("ZALO_WEBHOOK_SECRET must be 8 to 256 characters")
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token})  # type: ignore[no-any-return]

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> dict[str, Any]:
        return await self.call("getWebhookInfo")  # type: ignore[no-any-return]

    async def send_message(self, chat_id: str, text: str) -> SentMessage:
        if not 1 <= len(text) <= TEXT_LIMIT:
            raise ValueError(f"a Zalo text has 1 to {TEXT_LIMIT} characters, not {len(text)}")
        return _sent(await self.call("sendMessage", {"chat_id": chat_id, "text": text}))

    async def send_photo_url(
        self, chat_id: str, photo_url: str, caption: str | None = None
    ) -> SentMessage:
        params: dict[str, Any] = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            params["caption"] = caption[:TEXT_LIMIT]
        return _sent(await self.call("sendPhoto", params))

    async def send_sticker(self, chat_id: str, sticker: str) -> SentMessage:
        return _sent(await self.call("sendSticker", {"chat_id": chat_id, "sticker": sticker}))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})


def _sent(result: Any) -> SentMessage:
    result = result if isinstance(result, dict) else {}
    return SentMessage(str(result.get("message_id") or ""), int(result.get("date") or 0))
