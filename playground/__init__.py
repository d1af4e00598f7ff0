"""Local playground and test tooling for chibot, including a Telegram Bot API stub server."""
