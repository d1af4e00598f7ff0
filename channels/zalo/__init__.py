"""Zalo's Bot Platform: the API client, receiving (long polling and webhook), the renderer and
the sender. See ../shared/docs/zalo-bot-api.md for what the platform offers and lacks."""
