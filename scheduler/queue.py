"""The dispatcher's work queue: due rows in due order, handed to the workers so that each
person's rows go out one after the other and in order, while other people's go in parallel."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from scheduler.sender import Recipient


@dataclass(frozen=True, slots=True)
class Due:
    id: int
    person_id: int
    recipient: Recipient | None  # as read with the row; the claim reads the person again


Fetch = Callable[[int, set[int]], Awaitable[list[Due]]]


class DueQueue:
    """Refilled from the database (`fetch(limit, skip)`) when it runs low. `next()` gives the
    earliest row whose person has no row in progress, or None once nothing due is left."""

    def __init__(self, fetch: Fetch, *, batch: int, low_water: int) -> None:
        self._fetch = fetch
        self._batch = batch
        self._low_water = low_water
        self._ready: deque[Due] = deque()
        self._known: set[int] = set()  # queued or in progress: not fetched again
        self._busy: set[int] = set()  # people with a row in progress
        self._drained = False  # the last fetch found nothing new
        self._closed = False
        self._cond = asyncio.Condition()

    def close(self) -> None:
        """Hand out nothing more (rows in progress finish)."""
        self._closed = True

    async def next(self) -> Due | None:
        async with self._cond:
            while not self._closed:
                if len(self._ready) < self._low_water and not self._drained:
                    await self._refill()
                item = self._take()
                if item is not None:
                    return item
                if self._drained and not self._busy:
                    self._cond.notify_all()
                    return None
                await self._cond.wait()
            self._cond.notify_all()
            return None

    async def done(self, item: Due, *, broke: bool = False) -> None:
        """The row is handled; one that `broke` (an unexpected error) is not taken again in
        this run (the next sweep tries it again)."""
        async with self._cond:
            self._busy.discard(item.person_id)
            if not broke:
                self._known.discard(item.id)
            if not self._busy and not self._ready:
                self._drained = False  # all done: look once more for rows due meanwhile
            self._cond.notify_all()

    async def _refill(self) -> None:
        found = await self._fetch(self._batch, self._known)
        fresh = [d for d in found if d.id not in self._known]
        self._drained = not fresh
        for due in fresh:
            self._known.add(due.id)
            self._ready.append(due)

    def _take(self) -> Due | None:
        # The first ready row of a person not busy is that person's earliest: rows are queued in
        # due order and a person's earlier row, while queued, would have been found first.
        for index, due in enumerate(self._ready):
            if due.person_id not in self._busy:
                del self._ready[index]
                self._busy.add(due.person_id)
                return due
        return None
