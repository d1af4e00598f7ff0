"""Which renderer draws the screens of the update being handled.

The channel is resolved once per update (a handler in the first group calls `use`), the way an
i18n middleware resolves the locale, and every draw of that update — the step's screens, a
stale press, a progress report started from it — goes through the same renderer. Outside an
update (the outbox) senders are chosen by the recipient's account instead.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Protocol

from telegram import Bot, Message, Update

from channels.telegram import render as telegram
from ui.screen import Screen


class Renderer(Protocol):
    async def ack(self, update: Update, text: str | None = None) -> None: ...
    async def show(self, update: Update, screen: Screen) -> Message | None: ...
    async def send(self, bot: Bot, chat_id: int, screen: Screen) -> Message | None: ...
    async def edit(self, bot: Bot, shown: telegram.Shown, screen: Screen) -> None: ...


class TelegramRenderer:
    """Inline keyboards, edits in place, photos and documents."""

    async def ack(self, update: Update, text: str | None = None) -> None:
        await telegram.ack(update, text)

    async def show(self, update: Update, screen: Screen) -> Message | None:
        return await telegram.show(update, screen)

    async def send(self, bot: Bot, chat_id: int, screen: Screen) -> Message | None:
        return await telegram.send(bot, chat_id, screen)

    async def edit(self, bot: Bot, shown: telegram.Shown, screen: Screen) -> None:
        await telegram.edit(bot, shown, screen)


TELEGRAM = TelegramRenderer()
_CURRENT: ContextVar[Renderer] = ContextVar("chibot_renderer", default=TELEGRAM)
_LOCALE: ContextVar[str] = ContextVar("chibot_locale", default="vi")


def current() -> Renderer:
    return _CURRENT.get()


def use(renderer: Renderer) -> None:
    """Draw the rest of this update (and the tasks it starts) with `renderer`."""
    _CURRENT.set(renderer)


def locale() -> str:
    """The language of the person whose update is being handled (for a renderer's own words)."""
    return _LOCALE.get()


def use_locale(value: str) -> None:
    _LOCALE.set(value)
