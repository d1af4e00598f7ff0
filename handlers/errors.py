"""The global error handler: log with context (never secrets), tell the user kindly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from core.i18n import Lang
from handlers.common import Context, locale_for

log = logging.getLogger("chibot.errors")


async def on_error(update: object, context: Context) -> None:
    error = context.error
    if isinstance(update, Update):
        user = update.effective_user
        log.error(
            "error while handling update %s from user %s: %r",
            update.update_id,
            user.id if user else None,
            error,
            exc_info=error,
        )
    else:
        log.error("error outside an update: %r", error, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(error, Forbidden | RetryAfter):
        return
    lang = Lang(locale_for(None, update, context))
    # BadRequest is a NetworkError in python-telegram-bot, but it is our bug, not the network.
    if isinstance(error, NetworkError | TimedOut) and not isinstance(error, BadRequest):
        text = lang.t("The connection to Telegram is slow right now. Please try again in a moment.")
    else:
        text = lang.t(
            "Sorry, something went wrong on our side. What you entered so far is kept — "
            "please try the last step again in a moment."
        )
    try:
        await update.effective_chat.send_message(text)
    except Exception:
        log.warning("could not tell the user about the error", exc_info=True)
