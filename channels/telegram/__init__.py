"""Telegram: the only code that builds keyboards, edits messages, answers presses, sends
photos and documents and makes t.me links."""
