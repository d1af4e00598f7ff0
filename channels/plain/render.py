"""Draw screens as plain text messages: numbered choices, a line saying how to answer, links
printed, no edits (a replacing screen is a new message; a progress report is drawn at its
start and when it is final), no files (a file or picture is named in the text)."""

from __future__ import annotations

import html
import re
from contextvars import ContextVar

from telegram import Bot, Message, Update

from channels.plain.offers import NUMBER_IS_AN_ANSWER, SAY, Offer, OfferStore
from channels.telegram.render import Shown
from core.i18n import Lang
from ui.screen import (
    Expect,
    FileAttachment,
    ImageAttachment,
    Mode,
    QrAttachment,
    Screen,
    StoredFileAttachment,
)
from ui.split import split_text

TEXT_LIMIT = 2000
_TAG = re.compile(r"</?(b|i|u|s|code|pre|a)(\s[^>]*)?>", re.IGNORECASE)


def plain(text: str, is_html: bool) -> str:
    return html.unescape(_TAG.sub("", text)) if is_html else text


def how_to_answer(lang: Lang, expect: Expect, count: int) -> str:
    if expect in NUMBER_IS_AN_ANSWER:
        return lang.t("Type your answer, or reply with the words of a choice to pick it.")
    if expect is Expect.TEXT:
        return lang.t("Type your answer, or reply with a number (1–{n}) to choose.", n=count)
    if expect is Expect.FILE:
        return lang.t("Send the file, or reply with a number (1–{n}) to choose.", n=count)
    return lang.t("Reply with a number (1–{n}).", n=count)


def attachment_line(lang: Lang, item: object) -> str:
    if isinstance(item, QrAttachment):
        if item.code:
            return lang.t("Check-in code: {code}", code=item.code)
        return item.link
    if isinstance(item, ImageAttachment):
        return lang.t("[picture: {name}]", name=item.name)
    if isinstance(item, FileAttachment | StoredFileAttachment):
        return lang.t("[file: {name}]", name=item.name)
    return ""


def compose(lang: Lang, screen: Screen, earlier: Offer | None = None) -> tuple[str, Offer | None]:
    """The message text and the offer it makes (None: it offers no choice). `earlier`: what
    screens drawn before in the same turn offered; numbering goes on after them and the offer
    holds both (a summary's choices stay valid under the picker drawn after it)."""
    lines = [plain(screen.text, screen.html)] if screen.text else []
    lines += [attachment_line(lang, a) for a in screen.attachments]
    numbered: list[tuple[str, str]] = []
    links: list[str] = []
    for choice in screen.all_choices():
        if choice.url is not None:
            links.append(f"{choice.label}: {choice.url}")
        elif choice.action is not None:
            numbered.append((choice.label, choice.action.pack()))
    if not numbered and screen.menu is not None:
        # The standing menu (Telegram's reply keyboard) or suggestions for one answer: a
        # number types the label, as a tap on that key would.
        numbered = [(label, SAY + label) for row in screen.menu.rows for label in row]
    body = "\n".join(line for line in lines if line)
    before = earlier.choices if earlier is not None and numbered else ()
    if numbered:
        first = len(before) + 1
        menu = "\n".join(f"{i}. {label}" for i, (label, _) in enumerate(numbered, start=first))
        total = len(before) + len(numbered)
        body = f"{body}\n\n{menu}\n\n{how_to_answer(lang, screen.expect, total)}"
    if links:
        body = body + "\n\n" + "\n".join(links)
    offer = Offer(before + tuple(numbered), screen.expect) if numbered else None
    return body.strip(), offer


# What the screens drawn so far in this update offered, per chat (an update is one task).
_TURN_OFFER: ContextVar[tuple[int, Offer] | None] = ContextVar("plain_turn_offer", default=None)


class PlainRenderer:
    def __init__(self, offers: OfferStore, locale_of: object) -> None:
        self.offers = offers
        self._locale_of = locale_of  # () -> locale of the update being handled

    def _lang(self) -> Lang:
        return Lang(self._locale_of())  # type: ignore[operator]

    async def ack(self, update: Update, text: str | None = None) -> None:
        return None  # nothing to acknowledge: a reply is a message

    async def show(self, update: Update, screen: Screen) -> Message | None:
        chat = update.effective_chat
        if chat is None:
            return None
        return await self.send(chat.get_bot(), chat.id, screen)

    def words(self, text: str) -> str:
        """This channel's wording of a text (Zalo says "chọn" where Telegram says "bấm")."""
        return text

    async def deliver(self, bot: Bot, chat_id: int, text: str) -> Message | None:
        """Send one part of at most TEXT_LIMIT characters."""
        return await bot.send_message(chat_id, text)

    async def compose_and_offer(self, chat_id: int, screen: Screen) -> str:
        """The screen's text in this channel's words; what it offers becomes the chat's offer
        (added to what this update offered already)."""
        turn = _TURN_OFFER.get()
        earlier = turn[1] if turn is not None and turn[0] == chat_id else None
        text, offer = compose(self._lang(), screen, earlier)
        if offer is not None:
            await self.offers.put(chat_id, offer)
            _TURN_OFFER.set((chat_id, offer))
        elif screen.expect is not Expect.NOTHING:
            await self.offers.put(chat_id, None)  # a question without choices: numbers are answers
            _TURN_OFFER.set(None)
        return self.words(text)

    async def send(self, bot: Bot, chat_id: int, screen: Screen) -> Message | None:
        text = await self.compose_and_offer(chat_id, screen)
        last = None
        for part in split_text(text, TEXT_LIMIT):
            last = await self.deliver(bot, chat_id, part)
        return last

    async def edit(self, bot: Bot, shown: Shown, screen: Screen) -> None:
        if screen.mode is Mode.PROGRESS:
            return  # no edits here: the report is drawn when it starts and when it is final
        await self.send(bot, shown.chat_id, screen)
