"""The choices a chat was last offered, and how a typed reply picks one of them.

"2" picks the second choice where the step waits for a choice or free text; where it waits
for a number, a date or a check-in code, a number is that answer and only the words of a label
pick a choice. Labels are compared without accents, case, emoji or punctuation, so "tham du"
picks "✅ Tham dự".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from ui.screen import Expect

NUMBER_IS_AN_ANSWER = frozenset({Expect.NUMBER, Expect.DATE, Expect.CODE})
SAY = "=say:"  # an offered choice that types its label (a menu key), not a packed action


@dataclass(frozen=True, slots=True)
class Offer:
    """What one screen offered: (label, packed action) in the order they were numbered."""

    choices: tuple[tuple[str, str], ...]
    expect: Expect

    def pick(self, reply: str) -> str | None:
        """The packed action the reply picks, or None when it is an answer, not a choice."""
        text = reply.strip()
        if text.isdigit() and self.expect not in NUMBER_IS_AN_ANSWER:
            index = int(text) - 1
            return self.choices[index][1] if 0 <= index < len(self.choices) else None
        wanted = fold(text)
        if not wanted:
            return None
        matches = [data for label, data in self.choices if fold(label) == wanted]
        return matches[0] if len(matches) == 1 else None


def fold(text: str) -> str:
    """Lower case, no accents (đ → d), no emoji or punctuation, single spaces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"[^\w\s]", " ", text.lower())
    return " ".join(text.split())


class OfferStore(Protocol):
    """Where the latest offer per chat is kept (None: the chat has no choice on offer)."""

    async def get(self, chat_id: int) -> Offer | None: ...
    async def put(self, chat_id: int, offer: Offer | None) -> None: ...


class Offers:
    """The latest offer per chat, kept in memory by this process (Telegram previews with
    RENDER_PLAIN); Zalo keeps its offers in the database (channels.zalo.offers)."""

    def __init__(self) -> None:
        self._by_chat: dict[int, Offer] = {}

    async def get(self, chat_id: int) -> Offer | None:
        return self._by_chat.get(chat_id)

    async def put(self, chat_id: int, offer: Offer | None) -> None:
        if offer is None:
            self._by_chat.pop(chat_id, None)
        else:
            self._by_chat[chat_id] = offer
