"""Draw screens on Zalo: the plain renderer's numbered choices and how-to-answer line, sent as
texts of at most 2,000 characters through the Zalo client to the account's chat, with the few
words that name Telegram's buttons said the Zalo way ("bấm" → "chọn"/"trả lời số")."""

from __future__ import annotations

import re
from dataclasses import replace

from telegram import Bot, Message

from channels.plain.offers import OfferStore
from channels.plain.render import TEXT_LIMIT, PlainRenderer
from channels.web.pictures import qr_with_code_png
from channels.web.publish import Publisher
from channels.zalo.outlet import ZaloOutlet
from ui.screen import FileAttachment, ImageAttachment, QrAttachment, Screen
from ui.split import split_text

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
    def __init__(
        self,
        offers: OfferStore,
        locale_of: object,
        outlet: ZaloOutlet,
        publisher: Publisher | None = None,
    ) -> None:
        super().__init__(offers, locale_of)
        self.outlet = outlet
        self.publisher = publisher  # None: pictures and files are only named in the text

    def words(self, text: str) -> str:
        return zalo_words(text)

    async def deliver(self, bot: Bot, chat_id: int, text: str) -> Message | None:
        return await self.outlet.send_text(bot, chat_id, text)

    async def send(self, bot: Bot, chat_id: int, screen: Screen) -> Message | None:
        """Pictures (charts, QR codes) go out with sendPhoto by a signed link, the text as the
        caption of the last one when it fits; XLSX/DOCX files as download links in the text."""
        if self.publisher is None or not screen.attachments:
            return await super().send(bot, chat_id, screen)
        recipient = str(chat_id)
        photos: list[str] = []
        lines: list[str] = []
        rest = []
        for item in screen.attachments:
            if isinstance(item, ImageAttachment):
                photos.append(
                    await self.publisher.link(item.data, item.name, "image/png", recipient)
                )
            elif isinstance(item, QrAttachment):
                png = qr_with_code_png(item.link, item.code)  # the code printed large
                photos.append(await self.publisher.link(png, "qr.png", "image/png", recipient))
                rest.append(item)  # the code is still printed, large, in the text
            elif isinstance(item, FileAttachment):
                url = await self.publisher.link(item.data, item.name, item.mime, recipient)
                lines.append(self._lang().t("Download {name}: {url}", name=item.name, url=url))
            else:
                rest.append(item)
        text = "\n\n".join(part for part in (screen.text, "\n".join(lines)) if part)
        screen = replace(screen, text=text, attachments=tuple(rest))
        body = await self.compose_and_offer(chat_id, screen)
        caption = body if 0 < len(body) <= TEXT_LIMIT else None
        last: Message | None = None
        for i, url in enumerate(photos):
            last_photo = i == len(photos) - 1
            last = await self.outlet.send_photo_url(
                bot, chat_id, url, caption if last_photo else None
            )
        if caption is None or not photos:
            for part in split_text(body, TEXT_LIMIT):
                last = await self.deliver(bot, chat_id, part)
        return last
