"""Logging that never shows secrets: the bot token and webhook secret are masked everywhere."""

from __future__ import annotations

import logging
import re
from typing import IO

_TOKEN_RE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


def mask_tokens(text: str) -> str:
    """Anything shaped like a bot token, masked."""
    return _TOKEN_RE.sub("***", text)


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return mask_tokens(text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self._clean(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class QuietStartRetries(logging.Filter):
    """Drops python-telegram-bot's "Network Retry Loop (Bootstrap …): Aborting" record and its
    traceback: bot.py explains a failed start in one line (the traceback is kept at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.name.startswith("telegram")
            and record.getMessage().startswith("Network Retry Loop (Bootstrap")
        )


def make_handler(secrets: list[str], stream: IO[str] | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    return handler


def setup_logging(level: str, secrets: list[str]) -> None:
    handler = make_handler(secrets)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # Schema upgrades are told at DEBUG: a normal start is not a page of alembic lines.
    debug = root.getEffectiveLevel() <= logging.DEBUG
    logging.getLogger("alembic").setLevel(logging.DEBUG if debug else logging.WARNING)
    if not debug:
        handler.addFilter(QuietStartRetries())
