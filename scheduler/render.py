"""Turn an outbox row into the text and buttons its recipient reads, in their language."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.i18n import Lang
from services.notifications import render as render_text
from services.outbox import Button


def render_parts(
    lang: Lang, msgid: str, params: dict[str, Any], buttons: list[list[Button]]
) -> tuple[str, InlineKeyboardMarkup | None]:
    text = render_text(lang, msgid, params)
    if not buttons:
        return text, None
    rows = [
        [InlineKeyboardButton(lang.t(b.label), callback_data=b.data) for b in row]
        for row in buttons
    ]
    return text, InlineKeyboardMarkup(rows)
