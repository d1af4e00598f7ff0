"""Receiving from Zalo: long polling (development, the playground) or a webhook (production).

Polling: `deleteWebhook` first (getUpdates does not work while one is set), then one update
per call; a 408 is "no update"; errors back off (1 s doubling to 60 s); `stop()` ends the loop
between calls. Webhook: an aiohttp route checking `X-Bot-Api-Secret-Token` in constant time,
answering 200 at once and handing the body to the inbox after.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging

from aiohttp import web

from channels.zalo.client import ZaloClient, ZaloError, ZaloNetworkError
from channels.zalo.inbound import ZaloInbox
from channels.zalo.normalise import unwrap

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1024 * 1024


class ZaloPoller:
    def __init__(
        self,
        client: ZaloClient,
        inbox: ZaloInbox,
        *,
        wait_seconds: int = 30,
        first_backoff: float = 1.0,
        max_backoff: float = 60.0,
    ) -> None:
        self.client = client
        self.inbox = inbox
        self.wait_seconds = wait_seconds
        self.first_backoff = first_backoff
        self.max_backoff = max_backoff
        self._task: asyncio.Task[None] | None = None
        self.errors = 0  # failed calls so far (the playground and tests read it)

    async def start(self) -> None:
        await self.client.delete_webhook()
        self._task = asyncio.create_task(self._run(), name="zalo-poller")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        backoff = self.first_backoff
        while True:
            try:
                update = await self.client.get_update(self.wait_seconds)
            except (ZaloError, ZaloNetworkError) as exc:
                self.errors += 1
                log.warning("zalo getUpdates failed (%s); retrying in %.0f s", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            backoff = self.first_backoff
            if update is None:
                continue
            try:
                await self.inbox.receive(update)
            except Exception:
                log.exception("zalo update not handled")


def webhook_handler(inbox: ZaloInbox, secret: str):  # type: ignore[no-untyped-def]
    """The aiohttp handler of Zalo's webhook POSTs."""
    if not 8 <= len(secret) <= 256:
        raise ValueError("ZALO_WEBHOOK_SECRET must be 8 to 256 characters")
    expected = secret.encode()
    pending: set[asyncio.Task[bool]] = set()

    async def handle(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return web.Response(status=401, text="missing secret")
        if not hmac.compare_digest(given.encode(), expected):
            return web.Response(status=403, text="wrong secret")
        raw = await request.read()
        if not raw.strip():
            return web.Response(status=200, text="ok")  # Zalo's probe when the hook is set
        try:
            body = json.loads(raw)
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if unwrap(body) is None:
            return web.Response(status=400, text="no event_name")
        task = asyncio.create_task(_receive(inbox, body))
        pending.add(task)
        task.add_done_callback(pending.discard)
        return web.Response(status=200, text="ok")

    return handle


async def _receive(inbox: ZaloInbox, body: object) -> bool:
    try:
        return await inbox.receive(body)
    except Exception:
        log.exception("zalo webhook update not handled")
        return False


class ZaloWebhook:
    """A small aiohttp server for the webhook (its path is the path of ZALO_WEBHOOK_URL)."""

    def __init__(
        self, inbox: ZaloInbox, client: ZaloClient, url: str, secret: str, listen: str, port: int
    ) -> None:
        from urllib.parse import urlparse

        self.inbox = inbox
        self.client = client
        self.url = url
        self.secret = secret
        self.path = urlparse(url).path or "/"
        self.listen = listen
        self.port = port
        self._runner: web.AppRunner | None = None

    def application(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_post(self.path, webhook_handler(self.inbox, self.secret))
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.application())
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.listen, self.port)
        await site.start()

    @property
    def bound_port(self) -> int:
        assert self._runner is not None
        server = self._runner.addresses[0]
        return int(server[1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
