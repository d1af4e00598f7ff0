"""Builds the python-telegram-bot Application: settings, storage, handlers, start-up tasks."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder
from telegram.request import HTTPXRequest

import handlers
import scheduler
from channels.zalo.bot import ZALO_ONLY_TOKEN, ChannelApplicationBuilder
from channels.zalo.channel import install_zalo
from core.clock import Clock, SystemClock
from core.config import Settings
from core.i18n import compile_catalogs
from handlers import router
from handlers.concurrency import PerChatUpdateProcessor
from handlers.deps import Deps
from handlers.plain_channel import install_channels
from services import reminders
from services.bootstrap import bootstrap
from services.context import Ctx
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.persistence import ChangeWritingApplication, DatabasePersistence

log = logging.getLogger(__name__)


async def set_commands(app: Application) -> None:  # type: ignore[type-arg]
    await app.bot.set_my_commands(router.command_list("vi"))
    await app.bot.set_my_commands(router.command_list("en"), language_code="en")
    await app.bot.set_my_commands(router.command_list("vi"), language_code="vi")


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    deps: Deps = app.bot_data["deps"]
    engine = deps.extra["engine"]
    if deps.extra.get("migrate", True):
        await upgrade(engine)
    async with deps.sessions() as session:
        await bootstrap(
            Ctx(session, deps.clock),
            deps.settings.root_unit_name,
            deps.settings.bootstrap_admin_ids,
        )
        await session.commit()
    await set_commands(app)
    await scheduler.start(app)
    log.info("bot @%s is ready", app.bot.username)


async def _post_stop(app: Application) -> None:  # type: ignore[type-arg]
    await scheduler.stop(app)


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    deps: Deps = app.bot_data["deps"]
    if deps.extra.get("owns_engine"):
        await deps.extra["engine"].dispose()


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: Any = None,
    migrate: bool = True,
    builder_hook: Any = None,
) -> Application:  # type: ignore[type-arg]
    """The bot as it runs in production; tests and benchmarks build it the same way."""
    compile_catalogs()
    token = settings.token()
    zalo_only = not token and bool(settings.zalo_token())
    if not token and not zalo_only:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    owns_engine = engine is None
    engine = engine or make_engine(
        settings.database_url,
        concurrency=settings.max_concurrent_updates,
        in_flight=settings.outbox_in_flight,
    )
    sessions = make_session_factory(engine)
    clock = clock or SystemClock()
    # The bot is a ChannelBot (channels/zalo/bot.py): a Zalo chat key's texts go to Zalo, and
    # Zalo-only it never calls Telegram and there is no Updater (the Zalo receiver feeds it).
    builder: ApplicationBuilder = (  # type: ignore[type-arg]
        ChannelApplicationBuilder(telegram=not zalo_only)
        .application_class(ChangeWritingApplication)
        .token(token or ZALO_ONLY_TOKEN)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.file_base_url)
        .request(HTTPXRequest(connection_pool_size=64, read_timeout=15, write_timeout=15))
        .get_updates_request(HTTPXRequest(connection_pool_size=2, read_timeout=40))
        .concurrent_updates(PerChatUpdateProcessor(settings.max_concurrent_updates))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if settings.rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    # Half-finished conversations (and what was typed in them) survive a restart, kept in the
    # database and written after every update that changed them (storage.persistence).
    builder = builder.persistence(DatabasePersistence(engine, sessions, clock))
    if zalo_only:
        builder = builder.updater(None)
    if builder_hook is not None:
        builder = builder_hook(builder)
    app = builder.build()
    app.bot_data["deps"] = Deps(
        settings=settings,
        sessions=sessions,
        clock=clock,
        extra={"engine": engine, "owns_engine": owns_engine, "migrate": migrate},
        on_commit=lambda: scheduler.kick(app),  # send what a unit of work queued
    )
    reminders.POLICY.reminder_offsets = tuple(
        timedelta(minutes=m) for m in sorted(set(settings.reminder_offsets_minutes), reverse=True)
    )
    scheduler.install(app)
    zalo = install_zalo(app, settings) if settings.zalo_token() else None
    install_channels(app, plain=settings.render_plain, zalo=zalo)
    handlers.register(app)
    return app
