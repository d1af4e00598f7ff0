"""Direct messages to people other than the one talking (organisers, leaders)."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import Forbidden, TelegramError

from storage.models import Person

log = logging.getLogger(__name__)


async def send_to_person(bot: Bot, person: Person, text: str) -> bool:
    """Send and report success. A person who blocked the bot is marked by the caller."""
    if person.telegram_id is None or person.blocked_bot:
        return False
    try:
        await bot.send_message(chat_id=person.telegram_id, text=text)
    except Forbidden:
        log.info("person %s has blocked the bot", person.id)
        person.blocked_bot = True
        return False
    except TelegramError as exc:
        log.warning("could not message person %s: %s", person.id, exc)
        return False
    return True
