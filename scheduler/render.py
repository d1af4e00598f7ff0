"""Turn an outbox row into the text its recipient reads, in their language. Buttons are drawn
by each channel: channels/telegram/outbox.py (an inline keyboard), channels/zalo/sender.py
(numbered choices)."""

from __future__ import annotations

from typing import Any

from channels.telegram.outbox import render_parts
from core.i18n import Lang
from services.notifications import render as render_text

__all__ = ["render_parts", "render_text_of"]


def render_text_of(lang: Lang, msgid: str, params: dict[str, Any]) -> str:
    return render_text(lang, msgid, params)
