"""Sends due outbox rows through the bot, one request in flight at a time (see services.outbox
for the exactly-once protocol). Telegram's flood limits are kept by the bot's rate limiter;
this adds RetryAfter handling, back-off on connection failures, and blocked-user bookkeeping."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import httpx
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from core.clock import Clock
from core.config import Settings
from core.i18n import Lang
from scheduler.render import render_parts
from services import outbox, reminders
from services.context import Ctx
from storage.engine import SessionFactory
from storage.models import Person

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
DUE_BATCH = 200
# Errors raised before the request reached Telegram: safe to try again.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

ProgressHook = Callable[[str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: str  # sent | retry | blocked | failed | uncertain
    error: str = ""
    wait: timedelta = timedelta(0)
    message_id: int | None = None


@dataclass
class RunReport:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    dropped: int = 0
    uncertain: int = 0


class Dispatcher:
    def __init__(
        self,
        bot: Bot,
        sessions: SessionFactory,
        clock: Clock,
        settings: Settings,
        *,
        on_batch_progress: ProgressHook | None = None,
        keep_going: Callable[[], bool] = lambda: True,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.clock = clock
        self.settings = settings
        self.on_batch_progress = on_batch_progress
        self._lock = asyncio.Lock()
        self._stopping = False
        self._keep_going = keep_going

    def stop(self) -> None:
        """Finish the request in flight, then send nothing more (graceful shutdown)."""
        self._stopping = True

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
        """Send everything due now. Concurrent calls wait for each other."""
        report = RunReport()
        async with self._lock:
            while not self.stopping:
                async with self.sessions() as session:
                    ids = await outbox.due_ids(Ctx(session, self.clock), DUE_BATCH)
                if not ids:
                    break
                for notification_id in ids:
                    if self.stopping:
                        break
                    await self._one(notification_id, report)
        return report

    async def _one(self, notification_id: int, report: RunReport) -> None:
        async with self.sessions() as session:
            ctx = Ctx(session, self.clock)
            row = await outbox.claim(ctx, notification_id)
            if row is None:
                return
            person = await session.get(Person, row.person_id)
            now = self.clock.now()
            if row.useful_until is not None and now >= row.useful_until:
                await outbox.mark_dropped(ctx, notification_id, "no longer useful")
                await session.commit()
                log.info("dropped notification %s (%s): its moment has passed", row.key, row.kind)
                report.dropped += 1
                return
            if person is None or person.telegram_id is None or person.blocked_bot:
                await outbox.mark_failed(ctx, notification_id, "recipient unreachable")
                await session.commit()
                report.failed += 1
                return
            locale = person.locale or self.settings.default_locale
            prepared = await reminders.prepare(ctx, row, locale)
            if prepared is None:
                await outbox.mark_dropped(ctx, notification_id, "no longer relevant")
                await session.commit()
                report.dropped += 1
                return
            chat_id = person.telegram_id
            await session.commit()  # the claim is durable before the request goes out
        if prepared.text is not None:
            text, markup = prepared.text, None
        else:
            text, markup = render_parts(
                Lang(locale), prepared.msgid, prepared.params, prepared.buttons
            )
        outcome = await self._send(chat_id, text, markup, row.attempts, prepared.photo)
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
        if row.batch and self.on_batch_progress is not None:
            await self.on_batch_progress(row.batch)

    async def _send(
        self, chat_id: int, text: str, markup: object, attempts: int, photo: bytes | None = None
    ) -> Outcome:
        try:
            message = await self.bot.send_message(
                chat_id=chat_id,
                text=text[:4096],
                reply_markup=markup,  # type: ignore[arg-type]
            )
            if photo is not None:
                await self.bot.send_photo(chat_id=chat_id, photo=photo)
        except RetryAfter as exc:
            with warnings.catch_warnings():  # int today, timedelta in PTB's next major
                warnings.simplefilter("ignore")
                wait = exc.retry_after
            if not isinstance(wait, timedelta):
                wait = timedelta(seconds=float(wait))
            return Outcome("retry", f"flood limit: retry after {wait}", wait)
        except Forbidden:
            return Outcome("blocked", "blocked by the user")
        except BadRequest as exc:
            return Outcome("failed", f"bad request: {exc.message}")
        except NetworkError as exc:
            if isinstance(exc.__cause__, _NOT_SENT):
                backoff = timedelta(seconds=min(300, 2 ** max(attempts, 1)))
                return Outcome("retry", f"network: {exc.message}", backoff)
            return Outcome("uncertain", f"network: {exc.message}")
        except TelegramError as exc:
            return Outcome("failed", f"telegram: {exc.message}")
        return Outcome("sent", "", message_id=message.message_id)
