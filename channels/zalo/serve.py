"""`python bot.py` with ZALO_BOT_TOKEN set: run the Application ourselves (PTB's run_polling
needs an Updater, which a Zalo-only bot has not), with Telegram's Updater beside Zalo's
receiver when both tokens are set, until SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from typing import Any
from urllib.parse import urlparse

from channels.zalo.channel import zalo_of
from channels.zalo.client import Unauthorized, ZaloNetworkError
from core.config import Settings

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]


async def _start_telegram(app: Any, settings: Settings, webhook_url: str | None) -> None:
    if app.updater is None:
        return
    if webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        await app.updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlparse(webhook_url).path.lstrip("/"),
            webhook_url=webhook_url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)


async def serve_with_zalo(app: Any, settings: Settings, telegram_webhook_url: str | None) -> None:
    zalo = zalo_of(app)
    assert zalo is not None
    try:
        me = await zalo.client.get_me()
    except Unauthorized:
        print("ZALO_BOT_TOKEN bị từ chối / was rejected by Zalo.", file=sys.stderr)
        raise SystemExit(2) from None
    except ZaloNetworkError:
        print(f"Không kết nối được / cannot reach {settings.zalo_base_url}", file=sys.stderr)
        raise SystemExit(2) from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        await app.start()
        await _start_telegram(app, settings, telegram_webhook_url)
        await zalo.start()
        log.info("zalo bot %s is ready", me.get("account_name", ""))
        await stop.wait()
    finally:
        await zalo.stop()
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
            if app.post_stop:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
