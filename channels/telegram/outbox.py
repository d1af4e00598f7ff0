"""The outbox's Telegram channel (moved from scheduler/: only channels/telegram/ draws Telegram):
a row's text and inline keyboard, and the sender that delivers it.

Limits kept (when RATE_LIMIT is on): 30 messages/s overall, 1/s in one chat, 20/min in a
group. A RetryAfter pauses every turn of the channel; a connection refused before the request
left is retried with back-off; an answer lost on the wire is `uncertain` (never re-sent)."""

from __future__ import annotations

import warnings
from datetime import timedelta
from typing import Any

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from core.clock import Clock
from core.i18n import Lang
from scheduler.pacing import Limits, Pace
from scheduler.sender import TELEGRAM, Outcome, Recipient
from services.notifications import render as render_text
from services.outbox import Button
from services.reminders import Prepared

TELEGRAM_LIMITS = Limits(per_second=30.0, per_chat_seconds=1.0, group_per_minute=20)
# Errors raised before the request reached Telegram: safe to try again.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
MAX_TEXT = 4096


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


class TelegramSender:
    channel = TELEGRAM

    def __init__(self, bot: Bot, clock: Clock, limits: Limits | None = TELEGRAM_LIMITS) -> None:
        self.bot = bot
        self.pace = Pace(clock, limits)

    async def wait_turn(self, address: int | str) -> None:
        await self.pace.wait_turn(address, group=int(address) < 0)

    async def send(self, recipient: Recipient, prepared: Prepared, attempts: int) -> Outcome:
        if prepared.text is not None:
            text, markup = prepared.text, None
        else:
            text, markup = render_parts(
                Lang(recipient.locale), prepared.msgid, prepared.params, prepared.buttons
            )
        try:
            message = await self.bot.send_message(
                chat_id=recipient.address, text=text[:MAX_TEXT], reply_markup=markup
            )
            if prepared.photo is not None:
                await self.bot.send_photo(chat_id=recipient.address, photo=prepared.photo)
        except RetryAfter as exc:
            with warnings.catch_warnings():  # int today, timedelta in PTB's next major
                warnings.simplefilter("ignore")
                wait = exc.retry_after
            if not isinstance(wait, timedelta):
                wait = timedelta(seconds=float(wait))
            self.pace.pause(wait)
            return Outcome("retry", f"flood limit: retry after {wait}", wait)
        except Forbidden:
            return Outcome("blocked", "blocked by the user")
        except BadRequest as exc:
            return Outcome("failed", f"bad request: {exc.message}")
        except NetworkError as exc:
            if isinstance(exc.__cause__, _NOT_SENT):
                backoff = timedelta(seconds=min(300, 2 ** max(attempts, 1)))
                return Outcome("retry", f"network: {exc.message}", backoff)
            return Outcome("uncertain", f"network: {exc.message}")
        except TelegramError as exc:
            return Outcome("failed", f"telegram: {exc.message}")
        return Outcome("sent", "", message_id=message.message_id)
