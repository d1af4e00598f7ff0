"""Draw screens on Zalo: the plain renderer's numbered choices and how-to-answer line, sent as
texts of at most 2,000 characters through the Zalo client to the account's chat, with the few
words that name Telegram's buttons said the Zalo way ("bấm" → "chọn"/"trả lời số")."""

from __future__ import annotations

import re

from telegram import Bot, Message

from channels.plain.offers import OfferStore
from channels.plain.render import PlainRenderer
from channels.zalo.outlet import ZaloOutlet

# Applied in order to every text sent to Zalo; Telegram texts are never changed.
WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"trên các nút bấm", "trong các lựa chọn"),
        (r"(các )?nút bấm|(các )?nút bên dưới|các nút", "các lựa chọn"),
        (r"\bnút\b", "lựa chọn"),
        (r"\bNút\b", "Lựa chọn"),
        (r"[Bb]ấm (?=/)", "gõ "),
        (r"Bấm vào|Bấm chọn", "Chọn"),
        (r"bấm vào|bấm chọn", "chọn"),
        (r"Bấm", "Chọn"),
        (r"bấm", "chọn"),
        (r"\b[Pp]ress(ing)? the buttons?\b", "reply with the number"),
        (r"\bbuttons?\b", "choices"),
        (r"\bPress\b|\bTap\b", "Choose"),
        (r"\bpress\b|\btap\b", "choose"),
    )
)


def zalo_words(text: str) -> str:
    for pattern, replacement in WORDS:
        text = pattern.sub(replacement, text)
    return text


class ZaloRenderer(PlainRenderer):
    def __init__(self, offers: OfferStore, locale_of: object, outlet: ZaloOutlet) -> None:
        super().__init__(offers, locale_of)
        self.outlet = outlet

    def words(self, text: str) -> str:
        return zalo_words(text)

    async def deliver(self, bot: Bot, chat_id: int, text: str) -> Message | None:
        return await self.outlet.send_text(bot, chat_id, text)
