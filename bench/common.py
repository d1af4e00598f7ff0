"""Helpers shared by the benchmarks: databases, people and planned rows in bulk."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import SystemClock
from services import outbox
from services.context import Ctx
from services.outbox import Planned
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Person

PG_URL = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")


def backends() -> list[str]:
    return ["sqlite"] + (["postgresql"] if PG_URL else [])


@asynccontextmanager
async def fresh_database(backend: str) -> AsyncIterator[tuple[str, AsyncEngine]]:
    """A migrated, empty database that is thrown away afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            engine = make_engine(url)
            await upgrade(engine)
            try:
                yield url, engine
            finally:
                await engine.dispose()
        return
    assert PG_URL
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"chibot_bench_{uuid.uuid4().hex[:8]}"
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    await upgrade(engine)
    try:
        yield url, engine
    finally:
        await engine.dispose()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def people_with_pending(
    engine: AsyncEngine, count: int, first_tid: int, due: datetime | None = None
) -> None:
    """`count` people, each with one reminder due at `due` (default: now)."""
    due = due or datetime.now(UTC)
    async with make_session_factory(engine)() as session:
        now = datetime.now(UTC)
        people = [
            Person(telegram_id=first_tid + i, full_name=f"Đại biểu {i}", created_at=now)
            for i in range(count)
        ]
        session.add_all(people)
        await session.flush()
        await outbox.plan(
            Ctx(session, SystemClock()),
            [
                Planned(
                    key=f"bench:{p.id}",
                    kind="reminder",
                    person_id=p.id,  # type: ignore[arg-type]
                    subject_type="session",
                    subject_id=1,
                    due_at=due,
                    msgid="Stopped. Nothing was changed.",
                    batch="bench",
                )
                for p in people
            ],
        )
        await session.commit()


@asynccontextmanager
async def cpu_load(cores: int) -> AsyncIterator[None]:
    """`cores` other processes that each keep one core busy while the block runs (a small
    server busy with other work)."""
    import asyncio
    import sys

    burners = [
        await asyncio.create_subprocess_exec(sys.executable, "-c", "while True: pass")
        for _ in range(cores)
    ]
    try:
        yield
    finally:
        for proc in burners:
            proc.kill()
            await proc.wait()
