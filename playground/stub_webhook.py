"""Delivery of pending updates to the webhook URL set with setWebhook."""

from __future__ import annotations

import asyncio
import contextlib
import time

import aiohttp

from playground.stub_core import StubCore
from playground.stub_models import JSONDict, WebhookDelivery, dumps

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookPump:
    """POSTs updates to the webhook one at a time, in order, retrying failed deliveries."""

    def __init__(self, core: StubCore, *, auto_deliver: bool) -> None:
        self._core = core
        self.auto_deliver = auto_deliver
        self.deliveries: list[WebhookDelivery] = []
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping: set[asyncio.Task[None]] = set()

    async def deliver(self, update: JSONDict) -> int | None:
        """POST ``update``; on a 2xx answer it is confirmed. Returns the status (None: no answer)."""
        hook = self._core.webhook
        if hook is None:
            raise RuntimeError("no webhook is set")
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers[SECRET_HEADER] = hook.secret_token
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        update_id = int(update["update_id"])
        try:
            async with self._session.post(hook.url, data=dumps(update), headers=headers) as resp:
                await resp.read()
                status, reason = resp.status, resp.reason
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.deliveries.append(WebhookDelivery(update_id, None, repr(exc)))
            self._core.last_webhook_error = (int(time.time()), f"Connection error: {exc}")
            return None
        self.deliveries.append(WebhookDelivery(update_id, status))
        if 200 <= status <= 299:
            self._core.remove_update(update_id)
        else:
            self._core.last_webhook_error = (
                int(time.time()),
                f"Wrong response from the webhook: {status} {reason}",
            )
        return status

    def sync(self) -> None:
        """Start or stop the background delivery task to match the current webhook."""
        running = self._task is not None and not self._task.done()
        if self._core.webhook is not None and self.auto_deliver and not running:
            self._task = asyncio.get_running_loop().create_task(self._run())
        elif self._core.webhook is None and self._task is not None:
            self._task.cancel()
            self._stopping.add(self._task)
            self._task.add_done_callback(self._stopping.discard)
            self._task = None

    async def _run(self) -> None:
        delay = 0.05
        core = self._core
        while core.webhook is not None and not core.closing:
            pending = core.pending_updates
            if not pending:
                await core.wait_for_update(None)
                continue
            status = await self.deliver(pending[0])
            if status is not None and 200 <= status <= 299:
                delay = 0.05
            else:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)

    async def stop(self) -> None:
        tasks = list(self._stopping)
        if self._task is not None:
            tasks.append(self._task)
            self._task = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None
