"""The Telegram sender of the outbox lives in channels/telegram/outbox.py (only the Telegram
channel draws Telegram); re-exported here for the dispatcher's installers and older imports."""

from channels.telegram.outbox import MAX_TEXT, TELEGRAM_LIMITS, TelegramSender

__all__ = ["MAX_TEXT", "TELEGRAM_LIMITS", "TelegramSender"]
