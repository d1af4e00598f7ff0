"""Sends due outbox rows, several requests in flight (see services.outbox for the exactly-once
protocol), each through the `Sender` of the recipient's channel (scheduler.sender).

A row's life in the pipe: a worker takes it (one row per person at a time, in due order), waits
for the channel's turn (its rate limits and any flood-wait), claims it (pending → sending,
committed), sends, and records the outcome (sent / failed / pending again / uncertain).

The bound on uncertainty: at most OUTBOX_IN_FLIGHT workers (default 16) exist, and a worker
holds at most one claimed row, so a crash leaves at most OUTBOX_IN_FLIGHT rows `sending`,
which the next start marks `uncertain` (never re-sent; organisers see them). Every other row
not yet delivered is still pending and goes out after the restart. A graceful stop finishes
the requests in flight and claims nothing more, leaving none uncertain.

Sizing: one worker delivers one message per round trip (RTT plus two short transactions), so
N workers give about N / (RTT + ~15 ms) messages/s: 16 keep Telegram's 30/s up to ~500 ms."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from core.clock import Clock
from core.config import Settings
from scheduler.queue import Due, DueQueue
from scheduler.sender import Outcome, Recipient, Sender, last_used_first, recipient_of
from services import outbox, reminders
from services.context import Ctx
from services.reminders import Prepared
from storage.engine import SessionFactory
from storage.models import ChannelAccount, Person
from storage.outbox import NoticeState, Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
DUE_BATCH = 200

ProgressHook = Callable[[str], Awaitable[None]]
__all__ = ["Dispatcher", "Outcome", "RunReport"]


@dataclass
class RunReport:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    dropped: int = 0
    uncertain: int = 0


@dataclass(frozen=True, slots=True)
class _Claimed:
    row: Notification
    recipient: Recipient
    prepared: Prepared


class Dispatcher:
    def __init__(
        self,
        senders: Mapping[str, Sender],
        sessions: SessionFactory,
        clock: Clock,
        settings: Settings,
        *,
        in_flight: int | None = None,
        on_batch_progress: ProgressHook | None = None,
        keep_going: Callable[[], bool] = lambda: True,
    ) -> None:
        self.senders = dict(senders)
        self.sessions = sessions
        self.clock = clock
        self.settings = settings
        self.in_flight = max(1, in_flight or settings.outbox_in_flight)
        self.on_batch_progress = on_batch_progress
        self._lock = asyncio.Lock()
        self._stopping = False
        self._keep_going = keep_going
        self._queue: DueQueue | None = None
        self._current: asyncio.Task[RunReport] | None = None

    def stop(self) -> None:
        """Finish the requests in flight, then claim nothing more (graceful shutdown)."""
        self._stopping = True
        if self._queue is not None:
            self._queue.close()

    async def close(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """`stop`, then wait (up to `timeout` s) for the requests in flight to be recorded."""
        self.stop()
        task = self._current
        if task is not None and not task.done():
            await asyncio.wait([task], timeout=timeout)

    @property
    def busy(self) -> bool:
        """A run is under way (it will also send whatever becomes due meanwhile)."""
        return self._lock.locked()

    @property
    def stopping(self) -> bool:
        return self._stopping or not self._keep_going()

    async def recover(self) -> int:
        async with self.sessions() as session:
            n = await outbox.recover(Ctx(session, self.clock))
            await session.commit()
        if n:
            log.warning("%d notification(s) were cut mid-request by a restart: marked uncertain", n)
        return n

    async def run_due(self) -> RunReport:
        """Send everything due now. Concurrent calls wait for each other. The run itself is
        shielded: cancelling the caller (a job queue shutting down) does not cut the requests
        in flight, which `close` waits for."""
        task = asyncio.ensure_future(self._run_due())
        return await asyncio.shield(task)

    async def _run_due(self) -> RunReport:
        report = RunReport()
        async with self._lock:
            if self.stopping:
                return report
            self._current = asyncio.current_task()  # type: ignore[assignment]
            queue = DueQueue(self._fetch, batch=DUE_BATCH, low_water=2 * self.in_flight)
            self._queue = queue
            try:
                await asyncio.gather(*(self._worker(queue, report) for _ in range(self.in_flight)))
            finally:
                self._queue = None
                self._current = None
        return report

    async def _worker(self, queue: DueQueue, report: RunReport) -> None:
        while not self.stopping:
            due = await queue.next()
            if due is None:
                return
            broke = False
            try:
                await self._one(due, report)
            except Exception:  # one row must not stop the others; it stays for the sweep
                log.exception("sending notification %s failed unexpectedly", due.id)
                broke = True
            finally:
                await queue.done(due, broke=broke)

    async def _fetch(self, limit: int, skip: set[int]) -> list[Due]:
        """Due rows in due order with their recipients, leaving out those already queued."""
        async with self.sessions() as session:
            result = await session.exec(
                select(Notification.id, Person)
                .join(Person, col(Person.id) == Notification.person_id)
                .where(
                    col(Notification.state) == NoticeState.PENDING.value,
                    Notification.due_at <= self.clock.now(),
                )
                .order_by(Notification.due_at, Notification.id)
                .limit(limit + len(skip))
            )
            rows = [(i, p) for i, p in result.all() if i is not None and i not in skip][:limit]
            accounts = await self._accounts(session, {p.id for _, p in rows})
        default, channels = self.settings.default_locale, self.senders.keys()
        return [
            Due(i, p.id, recipient_of(p, default, accounts.get(p.id, ()), channels))  # type: ignore[arg-type]
            for i, p in rows
        ]

    async def _accounts(
        self, session: Any, person_ids: set[int | None]
    ) -> dict[int, list[ChannelAccount]]:
        """The channel accounts of a batch's people in one query (only when Zalo is served:
        on Telegram alone the person's telegram_id is the chat)."""
        ids = [i for i in person_ids if i is not None]
        if len(self.senders) < 2 or not ids:
            return {}
        found = await session.exec(
            select(ChannelAccount).where(col(ChannelAccount.person_id).in_(ids))
        )
        return last_used_first(found.all())

    async def _one(self, due: Due, report: RunReport) -> None:
        waited = False
        if due.recipient is not None:
            sender = self.senders.get(due.recipient.channel)
            if sender is not None:  # the turn comes before the claim: a pause claims nothing
                await sender.wait_turn(due.recipient.address)
                waited = True
        claimed = await self._claim(due.id, report)
        if claimed is None:
            return
        row, recipient = claimed.row, claimed.recipient
        sender = self.senders[recipient.channel]
        if not waited or recipient != due.recipient:  # reachable again, or moved meanwhile
            await sender.wait_turn(recipient.address)
        outcome = await sender.send(recipient, claimed.prepared, row.attempts)
        await self._record(row, outcome, report)
        if row.batch and self.on_batch_progress is not None:
            await self.on_batch_progress(row.batch)

    async def _claim(self, notification_id: int, report: RunReport) -> _Claimed | None:
        """Claim the row and decide what to send; None when it is not to be sent now."""
        async with self.sessions() as session:
            ctx = Ctx(session, self.clock)
            row = await outbox.claim(ctx, notification_id)
            if row is None:
                return None
            person = await session.get(Person, row.person_id)
            if row.useful_until is not None and self.clock.now() >= row.useful_until:
                await outbox.mark_dropped(ctx, notification_id, "no longer useful")
                await session.commit()
                log.info("dropped notification %s (%s): its moment has passed", row.key, row.kind)
                report.dropped += 1
                return None
            recipient = None
            if person is not None:
                accounts = await self._accounts(session, {person.id})
                recipient = recipient_of(
                    person,
                    self.settings.default_locale,
                    accounts.get(person.id, ()),  # type: ignore[arg-type]
                    self.senders.keys(),
                )
            if recipient is None or recipient.channel not in self.senders:
                await outbox.mark_failed(ctx, notification_id, "recipient unreachable")
                await session.commit()
                report.failed += 1
                return None
            prepared = await reminders.prepare(ctx, row, recipient.locale)
            if prepared is None:
                await outbox.mark_dropped(ctx, notification_id, "no longer relevant")
                await session.commit()
                report.dropped += 1
                return None
            await session.commit()  # the claim is durable before the request goes out
        return _Claimed(row, recipient, prepared)

    async def _record(self, row: Notification, outcome: Outcome, report: RunReport) -> None:
        notification_id: int = row.id  # type: ignore[assignment]
        async with self.sessions() as session:
            ctx = Ctx(session, self.clock)
            if outcome.kind == "sent":
                await outbox.mark_sent(ctx, notification_id, outcome.message_id)
                report.sent += 1
            elif outcome.kind == "retry" and row.attempts < MAX_ATTEMPTS:
                at = self.clock.now() + outcome.wait
                await outbox.retry_later(ctx, notification_id, at, outcome.error)
                report.retried += 1
            elif outcome.kind == "blocked":
                await outbox.mark_failed(ctx, notification_id, outcome.error)
                blocked = await session.get(Person, row.person_id)
                if blocked is not None:
                    blocked.blocked_bot = True
                    session.add(blocked)
                report.failed += 1
            elif outcome.kind == "uncertain":
                await outbox.recover_one(ctx, notification_id, outcome.error)
                report.uncertain += 1
            else:
                await outbox.mark_failed(ctx, notification_id, outcome.error)
                report.failed += 1
            await session.commit()
