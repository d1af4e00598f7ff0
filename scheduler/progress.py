"""Progress reports of a batch, handed to its watcher one at a time and in order.

Several rows of a batch finish at once in the pipelined dispatcher; a watcher (e.g. the
organiser's "sending invitations: 52/152" message) must still see one report after the other,
and no worker may wait for a watcher's edit to reach Telegram. So reports are counted per batch
and a single task per batch calls the watcher once for each, in the background."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

BatchWatcher = Callable[[str], Awaitable[None]]


class ProgressRelay:
    def __init__(self, watchers: dict[str, BatchWatcher]) -> None:
        self.watchers = watchers
        self._owed: dict[str, int] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}

    async def report(self, batch: str) -> None:
        """One row of `batch` is done (never waits for the watcher)."""
        if batch not in self.watchers:
            return
        self._owed[batch] = self._owed.get(batch, 0) + 1
        if batch not in self._tasks:
            self._tasks[batch] = asyncio.create_task(self._relay(batch), name=f"progress-{batch}")

    async def _relay(self, batch: str) -> None:
        try:
            while self._owed.get(batch, 0) > 0:
                self._owed[batch] -= 1
                watcher = self.watchers.get(batch)
                if watcher is None:
                    break
                try:
                    await watcher(batch)
                except Exception:  # a progress display must never stop the sending
                    log.warning("progress watcher of batch %s failed", batch, exc_info=True)
        finally:
            self._owed.pop(batch, None)
            self._tasks.pop(batch, None)

    async def settle(self) -> None:
        """Wait until every report made so far has reached its watcher."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)
