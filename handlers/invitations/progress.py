"""The organiser's progress report while the dispatcher sends one batch of invitations:
"📨 Sending invitations: 50/152", then "✅ Invitations sent: 151/152." and who was not reached."""

from __future__ import annotations

import asyncio
import logging
import time

from telegram.ext import Application

import scheduler
from core.i18n import Lang
from handlers.session_header import number
from handlers.step import Redraw
from services import outbox
from services.context import Ctx
from storage.outbox import NoticeState
from ui.screen import Mode, Screen

log = logging.getLogger(__name__)

# The report is updated at most this often (and once at the end).
PROGRESS_EVERY_MESSAGES = 50
PROGRESS_EVERY_SECONDS = 2.0
WATCH_TICK = 0.25
WATCH_SECONDS = 6 * 3600  # a batch still not done after this keeps its last report


def progress_text(lang: Lang, sent: int, total: int, unreachable: int, finished: bool) -> str:
    if not finished:
        return lang.t(
            "📨 Sending invitations: {sent}/{total}",
            sent=number(lang, sent),
            total=number(lang, total),
        )
    text = lang.t(
        "✅ Invitations sent: {sent}/{total}.", sent=number(lang, sent), total=number(lang, total)
    )
    if unreachable:
        text += "\n" + lang.t(
            "{n} could not be reached (not on the assistant, or they blocked it). "
            "Details: /hangdoi",
            n=number(lang, unreachable),
        )
    return text


def progress_screen(text: str) -> Screen:
    return Screen.of(text, mode=Mode.PROGRESS)


class SendProgress:
    """Updates the report while the dispatcher sends one batch: at most every
    PROGRESS_EVERY_SECONDS or every PROGRESS_EVERY_MESSAGES rows, and once at the end.

    The dispatcher reports each row it sends (`scheduler.watch_batch`); rows it gives up on
    before sending (recipient unreachable, no longer useful) are not reported, so a watchdog
    also looks every PROGRESS_EVERY_SECONDS until the batch is done. An update that fails is
    logged and skipped: it never holds up or fails a send."""

    def __init__(
        self,
        app: Application,  # type: ignore[type-arg]
        batch: str,
        total: int,
        redraw: Redraw,
        lang: Lang,
    ) -> None:
        self.app = app
        self.batch = batch
        self.total = total
        self.redraw = redraw
        self.lang = lang
        self.seen = 0  # rows reported (a retried row is reported again: only a hint)
        self.since_edit = 0
        self.last_edit = time.monotonic()
        self.shown = ""
        self.finished = False
        self._lock = asyncio.Lock()

    def start(self) -> None:
        scheduler.watch_batch(self.app, self.batch, self)
        self.app.create_task(self._watchdog(), name=f"invitations-progress-{self.batch}")

    async def __call__(self, batch: str) -> None:
        self.seen += 1
        self.since_edit += 1
        due = (
            self.since_edit >= PROGRESS_EVERY_MESSAGES
            or time.monotonic() - self.last_edit >= PROGRESS_EVERY_SECONDS
        )
        if due or self.seen >= self.total:
            await self._check(edit=due)

    async def _watchdog(self) -> None:
        deadline = time.monotonic() + WATCH_SECONDS
        while not self.finished and self.app.running and time.monotonic() < deadline:
            await asyncio.sleep(WATCH_TICK)
            if time.monotonic() - self.last_edit >= PROGRESS_EVERY_SECONDS:
                try:
                    await self._check(edit=True)
                except Exception:  # e.g. the database is briefly unavailable: look again
                    log.warning("progress of batch %s not checked", self.batch, exc_info=True)
        if not self.finished:
            scheduler.unwatch_batch(self.app, self.batch)

    async def _check(self, *, edit: bool) -> None:
        """Count the batch's rows; update when asked to, and always once it is done."""
        async with self._lock:
            if self.finished:
                return
            app_deps = self.app.bot_data["deps"]
            async with app_deps.sessions() as session:
                counts = await outbox.counts(Ctx(session, app_deps.clock), self.batch)
            waiting = counts[NoticeState.PENDING.value] + counts[NoticeState.SENDING.value]
            sent = counts[NoticeState.SENT.value]
            done = sum(counts.values()) - waiting
            if waiting == 0:
                self.finished = True
                scheduler.unwatch_batch(self.app, self.batch)
                await self._show(progress_text(self.lang, sent, self.total, done - sent, True))
            elif edit:
                await self._show(progress_text(self.lang, done, self.total, 0, False))

    async def _show(self, text: str) -> None:
        self.since_edit = 0
        self.last_edit = time.monotonic()
        if text != self.shown and await self.redraw(progress_screen(text)):
            self.shown = text
