"""Data objects and small helpers shared by the Telegram Bot API stub modules."""

from __future__ import annotations

import asyncio
import json
import math
import time
from dataclasses import dataclass, field
from typing import Any, Literal

MessageKind = Literal["text", "photo", "document"]
JSONDict = dict[str, Any]

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """A Bot API error answered with Telegram's exact JSON error shape."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True, slots=True)
class StubUser:
    """A Telegram user talking to the bot; their private chat id equals ``id``."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str = "vi"

    def to_api(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat_api(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data

    @classmethod
    def from_api(cls, data: JSONDict) -> StubUser:
        return cls(
            id=int(data["id"]),
            first_name=str(data.get("first_name") or f"User {data['id']}"),
            last_name=data.get("last_name"),
            username=data.get("username"),
            language_code=str(data.get("language_code", "vi")),
        )


@dataclass(slots=True)
class UploadedFile:
    """A file part of a multipart/form-data request."""

    filename: str
    data: bytes
    content_type: str | None = None

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {len(self.data)} bytes)"


@dataclass(slots=True)
class StoredFile:
    """A file known to the stub: uploaded by the bot or sent by a user."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes = field(repr=False)
    filename: str | None = None
    mime_type: str | None = None

    def document_api(self) -> JSONDict:
        doc: JSONDict = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.filename:
            doc["file_name"] = self.filename
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc

    def photo_api(self) -> list[JSONDict]:
        size = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "width": 800,
            "height": 600,
        }
        return [size]

    def file_api(self) -> JSONDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


@dataclass(frozen=True, slots=True)
class MessageState:
    """A snapshot of a sent message's editable content (kept in ``SentMessage.history``)."""

    text: str | None
    parse_mode: str | None
    reply_markup: JSONDict | None


@dataclass(slots=True, eq=False)
class SentMessage:
    """A message the bot sent; edits are applied in place and counted in ``edits``."""

    seq: int
    chat_id: int
    message_id: int
    kind: MessageKind
    text: str | None
    parse_mode: str | None
    reply_markup: JSONDict | None
    date: int
    plain_text: str | None = None
    file: StoredFile | None = None
    params: JSONDict = field(default_factory=dict, repr=False)
    edits: int = 0
    edit_date: int | None = None
    history: list[MessageState] = field(default_factory=list)
    deleted: bool = False
    version: int = 0

    @property
    def caption(self) -> str | None:
        return None if self.kind == "text" else self.text

    @property
    def file_bytes(self) -> bytes | None:
        return self.file.data if self.file else None

    @property
    def filename(self) -> str | None:
        return self.file.filename if self.file else None

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Inline keyboard buttons as ``(text, callback_data)`` pairs, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [(str(b.get("text")), b.get("callback_data")) for row in rows for b in row]

    def callback_data_for(self, button_text: str) -> str:
        for text, data in self.buttons:
            if text == button_text and data is not None:
                return data
        raise KeyError(f"no callback button {button_text!r} in message {self.message_id}")

    def state(self) -> MessageState:
        return MessageState(self.text, self.parse_mode, self.reply_markup)

    def summary(self) -> JSONDict:
        """A JSON-safe description used by the control HTTP surface."""
        return {
            "seq": self.seq,
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "kind": self.kind,
            "text": self.text,
            "plain_text": self.plain_text,
            "parse_mode": self.parse_mode,
            "reply_markup": self.reply_markup,
            "date": self.date,
            "edits": self.edits,
            "deleted": self.deleted,
            "version": self.version,
            "filename": self.filename,
            "file_size": len(self.file.data) if self.file else None,
        }


@dataclass(slots=True)
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    """One attempt to POST an update to the webhook (``status`` is None on network errors)."""

    update_id: int
    status: int | None
    error: str | None = None


class Notifier:
    """Wakes every coroutine waiting in :meth:`wait` when :meth:`notify` is called."""

    __slots__ = ("_waiters",)

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        if not self._waiters:
            return
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(None)
        self._waiters.clear()

    async def wait(self, seconds: float | None) -> bool:
        """Wait for the next notification for at most ``seconds`` (None: forever).

        Returns False on timeout; cancellation propagates.
        """
        if seconds is not None and seconds <= 0:
            return False
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(fut)
        try:
            async with asyncio.timeout(seconds):
                await fut
            return True
        except TimeoutError:
            return False
        finally:
            self._waiters.discard(fut)


class TokenBucket:
    """A token bucket allowing ``rate`` operations per second with a one-second burst."""

    __slots__ = ("_stamp", "_tokens", "capacity", "rate")

    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = max(1.0, rate)
        self._tokens = self.capacity
        self._stamp = time.monotonic()

    def take(self) -> int:
        """Consume one token; returns 0 on success or the whole seconds to wait."""
        now = time.monotonic()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0
        return max(1, math.ceil((1.0 - self._tokens) / self.rate))
