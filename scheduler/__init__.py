"""APScheduler jobs (through python-telegram-bot's JobQueue) that send the outbox.

The database is the single source of truth: no job holds a message (the dispatcher's pipeline
and its crash bound are described in scheduler.dispatcher). On start the dispatcher
marks rows cut by a crash, then one wake-up job is set for the earliest due row and a sweep
runs every SWEEP_SECONDS as a safety net. Every job runs late rather than never
(misfire_grace_time=None) and never twice at once (max_instances=1, coalesce)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram.ext import Application, ContextTypes

from handlers.deps import Deps
from scheduler.dispatcher import Dispatcher
from scheduler.progress import BatchWatcher, ProgressRelay
from scheduler.telegram_sender import TELEGRAM_LIMITS, TelegramSender
from services import outbox
from services.context import Ctx

log = logging.getLogger(__name__)
SWEEP_SECONDS = 30
WAKE_JOB = "outbox-wake"
JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}
WATCHERS = "batch_watchers"
PROGRESS = "batch_progress"


def dispatcher_of(app: Application) -> Dispatcher:  # type: ignore[type-arg]
    deps: Deps = app.bot_data["deps"]
    return deps.extra["dispatcher"]  # type: ignore[no-any-return]


def install(app: Application) -> Dispatcher:  # type: ignore[type-arg]
    deps: Deps = app.bot_data["deps"]
    watchers: dict[str, BatchWatcher] = {}
    deps.extra[WATCHERS] = watchers

    progress = ProgressRelay(watchers)
    deps.extra[PROGRESS] = progress

    # One sender per channel; Telegram's limits are kept when RATE_LIMIT is on.
    telegram = TelegramSender(
        app.bot, deps.clock, TELEGRAM_LIMITS if deps.settings.rate_limit else None
    )
    dispatcher = Dispatcher(
        {telegram.channel: telegram},
        deps.sessions,
        deps.clock,
        deps.settings,
        on_batch_progress=progress.report,
        keep_going=lambda: app.running,
    )
    deps.extra["dispatcher"] = dispatcher
    return dispatcher


def watch_batch(app: Application, batch: str, watcher: BatchWatcher) -> None:  # type: ignore[type-arg]
    """Call `watcher(batch)` after each row of the batch is sent (or fails, or is retried),
    e.g. to show the sender a progress message. Errors of the watcher are logged and ignored."""
    deps: Deps = app.bot_data["deps"]
    deps.extra[WATCHERS][batch] = watcher


def unwatch_batch(app: Application, batch: str) -> None:  # type: ignore[type-arg]
    deps: Deps = app.bot_data["deps"]
    deps.extra[WATCHERS].pop(batch, None)


async def _run(context: ContextTypes.DEFAULT_TYPE) -> None:
    app = context.application
    dispatcher = dispatcher_of(app)
    if dispatcher.busy:  # the run under way picks up what is due; don't queue behind it
        return
    await dispatcher.run_due()
    await schedule_wake(app)


async def schedule_wake(app: Application) -> None:  # type: ignore[type-arg]
    """Set the one wake-up job for the earliest pending row (replacing the previous one)."""
    if app.job_queue is None:
        return
    deps: Deps = app.bot_data["deps"]
    async with deps.sessions() as session:
        due = await outbox.next_due_at(Ctx(session, deps.clock))
    for job in app.job_queue.get_jobs_by_name(WAKE_JOB):
        job.schedule_removal()
    if due is None:
        return
    # Due times follow the service clock; the job queue runs on the wall clock.
    delay = max(timedelta(0), due - deps.clock.now())
    app.job_queue.run_once(
        _run, when=datetime.now(UTC) + delay, name=WAKE_JOB, job_kwargs=JOB_KWARGS
    )


async def start(app: Application) -> None:  # type: ignore[type-arg]
    dispatcher = dispatcher_of(app)
    await dispatcher.recover()
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            _run, interval=SWEEP_SECONDS, first=0.5, name="outbox-sweep", job_kwargs=JOB_KWARGS
        )
    await schedule_wake(app)


def kick(app: Application) -> None:  # type: ignore[type-arg]
    """Send what is due now, without making the caller wait."""

    async def run() -> None:
        await dispatcher_of(app).run_due()
        await schedule_wake(app)

    app.create_task(run(), name="outbox-kick")


async def stop(app: Application) -> None:  # type: ignore[type-arg]
    """Claim nothing more and wait for the requests in flight to be recorded."""
    await dispatcher_of(app).close()
