"""Zalo updates as one shape: both webhook envelopes, `photo` or `photo_url`, a name from
`display_name`, `first_name` or `name`, dates in epoch milliseconds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

TEXT = "message.text.received"
IMAGE = "message.image.received"


@dataclass(frozen=True, slots=True)
class ZaloEvent:
    event_name: str
    message_id: str
    sender_id: str
    chat_id: str
    name: str | None
    date: datetime
    text: str | None = None
    photo_url: str | None = None
    caption: str | None = None

    @property
    def kind(self) -> str:
        """'text', 'image', or what the bot cannot read ('sticker', 'voice', 'unsupported'…)."""
        parts = self.event_name.split(".")
        return parts[1] if len(parts) == 3 and parts[0] == "message" else "unsupported"


def unwrap(body: Any) -> dict[str, Any] | None:
    """The update in a webhook body: `{ok, result}` or the flat object; None if neither."""
    if not isinstance(body, dict):
        return None
    if body.get("ok") is True and isinstance(body.get("result"), dict):
        body = body["result"]
    return body if isinstance(body.get("event_name"), str) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def normalise(update: dict[str, Any]) -> ZaloEvent | None:
    """The event of one update, or None when it lacks what every event has (a message id and
    a sender)."""
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    message_id = _text(str(message.get("message_id") or ""))
    sender_id = _text(str(sender.get("id") or ""))
    if message_id is None or sender_id is None:
        return None
    name = (
        _text(sender.get("display_name"))
        or _text(sender.get("first_name"))
        or _text(sender.get("name"))
    )
    try:
        date = datetime.fromtimestamp(int(message.get("date") or 0) / 1000, UTC)
    except (TypeError, ValueError, OverflowError):
        date = datetime.fromtimestamp(0, UTC)
    return ZaloEvent(
        event_name=str(update.get("event_name")),
        message_id=message_id[:128],
        sender_id=sender_id[:64],
        chat_id=str(chat.get("id") or sender_id)[:64],
        name=name[:200] if name else None,
        date=date,
        text=_text(message.get("text")),
        photo_url=_text(message.get("photo_url")) or _text(message.get("photo")),
        caption=_text(message.get("caption")),
    )
