"""The baseline of the benchmarks: python-telegram-bot's bare echo bot (an Application with only a
MessageHandler that echoes text), built with the same ApplicationBuilder settings as chibot
(handlers/application.py: request pool sizes and timeouts, the rate limiter on or off, and the
same concurrent update processing).

`same_settings` compares the two built applications, so a change to chibot's builder that is
not mirrored here makes the benchmark fail instead of comparing unlike with unlike.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from core.config import Settings
from handlers.concurrency import PerChatUpdateProcessor


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


def build_echo_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    builder: ApplicationBuilder = (  # type: ignore[type-arg]
        Application.builder()
        .token(settings.token() or "")
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.file_base_url)
        .request(HTTPXRequest(connection_pool_size=64, read_timeout=15, write_timeout=15))
        .get_updates_request(HTTPXRequest(connection_pool_size=2, read_timeout=40))
        .concurrent_updates(PerChatUpdateProcessor(settings.max_concurrent_updates))
    )
    if settings.rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


def fingerprint(app: Application) -> dict[str, Any]:  # type: ignore[type-arg]
    """What the builder settings decide: requests, rate limiter, concurrency."""
    bot: Any = app.bot
    limiter = bot.rate_limiter
    return {
        "requests": [repr(r._client_kwargs) for r in bot._request],
        "rate_limiter": None if limiter is None else (type(limiter).__name__, limiter._max_retries),
        "concurrent_updates": app.concurrent_updates,
        "update_processor": type(app.update_processor).__name__,
    }


def same_settings(ours: Application, echo_app: Application) -> None:  # type: ignore[type-arg]
    a, b = fingerprint(ours), fingerprint(echo_app)
    if a != b:
        raise AssertionError(f"the echo bot is not built like chibot:\n{a}\n{b}")
