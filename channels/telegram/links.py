"""Deep links into the bot (t.me) for invite links and check-in QR codes."""

from __future__ import annotations


def start_link(bot_username: str, payload: str) -> str:
    """The link that opens the bot with `/start <payload>`."""
    return f"https://t.me/{bot_username}?start={payload}"
