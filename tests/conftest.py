"""Fixtures: a migrated database per test (SQLite always, PostgreSQL when TEST_DATABASE_URL is
set), a frozen clock, a service context, and the real bot running against the Bot API stub."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from channels.telegram import parts as telegram_parts
from core.clock import FrozenClock
from core.i18n import compile_catalogs
from playground.harness import BotHarness
from services.context import Ctx
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade

PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
START = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hà Nội

compile_catalogs()


async def _migrate(url: str) -> None:
    engine = make_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "template.db"
    asyncio.run(_migrate(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A throw-away database on the TEST_DATABASE_URL server, migrated once."""
    assert PG_URL
    admin_url = make_url(PG_URL)
    name = f"chibot_test_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        engine = make_engine(
            admin_url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
        )
        async with engine.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        await engine.dispose()

    async def drop() -> None:
        engine = make_engine(
            admin_url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
        )
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await engine.dispose()

    asyncio.run(create())
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    asyncio.run(_migrate(url))
    yield url
    asyncio.run(drop())


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "chibot.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return str(request.getfixturevalue("pg_database"))


TABLES_SQL = (
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = make_engine(database_url)
    if eng.dialect.name == "postgresql":
        async with eng.begin() as conn:
            names = (await conn.execute(text(TABLES_SQL))).scalars().all()
            if names:
                joined = ", ".join(f'"{n}"' for n in names)
                await conn.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))
    yield eng
    await eng.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
async def ctx(engine: AsyncEngine, clock: FrozenClock) -> AsyncIterator[Ctx]:
    async with make_session_factory(engine)() as session:
        yield Ctx(session, clock)


ADMIN_ID = 1001


@pytest.fixture
async def bot(
    database_url: str, engine: AsyncEngine, clock: FrozenClock
) -> AsyncIterator[BotHarness]:
    # The renderer remembers, per process, which messages of a chat make up one long screen;
    # every test's stub numbers messages from 1 again, so a screen of the last test must not
    # be taken for one of this test.
    telegram_parts._PARTS.clear()
    harness = BotHarness(
        database_url=database_url,
        engine=engine,
        clock=clock,
        migrate=False,
        bootstrap_admin_ids=[ADMIN_ID],
    )
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
