"""SQLite's write path (storage/engine.py): writes take the lock up front, so a transaction
that read first can no longer fail for a lock when it comes to write; writers of one process
queue in the event loop; another process holding the lock is waited for, and retried."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

import storage.engine as engine_module
from storage.engine import is_write, make_engine, make_session_factory


async def _table(url: str) -> AsyncEngine:
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, n INTEGER)"))
    return engine


def test_what_counts_as_a_write() -> None:
    assert is_write("INSERT INTO checkin VALUES (1)")
    assert is_write("  update notification SET state = 'sent'")
    assert is_write("SAVEPOINT sa_savepoint_1")
    assert is_write("WITH x AS (SELECT 1) INSERT INTO item SELECT * FROM x")
    assert not is_write("SELECT * FROM item")
    assert not is_write("WITH x AS (SELECT 1) SELECT * FROM x")
    assert not is_write("PRAGMA foreign_keys=ON")


async def test_a_transaction_that_read_first_still_writes(tmp_path: Path) -> None:
    """Read, another process commits a write, then write: a transaction begun (deferred) before
    its read fails here with 'database is locked' (its snapshot is stale); ours reads without
    holding a snapshot and takes the lock at its first write."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    here = await _table(url)
    other = make_engine(url)  # its own pool and gate, as another process has
    try:
        async with make_session_factory(here)() as mine:
            await mine.exec(text("SELECT count(*) FROM item"))  # type: ignore[call-overload]
            async with other.begin() as conn:
                await conn.execute(text("INSERT INTO item (n) VALUES (1)"))
            await mine.exec(text("INSERT INTO item (n) VALUES (2)"))  # type: ignore[call-overload]
            await mine.commit()
        async with here.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM item"))).scalar() == 2
    finally:
        await other.dispose()
        await here.dispose()


async def test_many_writers_of_one_process_queue_for_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writers of one process never meet SQLite's busy timeout: they wait for each other in
    the event loop (a loaded server made waits in the busy handler run out)."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 5)  # shorter than the queue's wait
    engine = await _table(url)
    sessions = make_session_factory(engine)

    async def read_then_write(i: int) -> None:
        async with sessions() as session:
            result = await session.exec(text("SELECT count(*) FROM item"))  # type: ignore[call-overload]
            seen = result.scalar()
            await asyncio.sleep(0)  # let the others interleave between the read and the write
            await session.exec(  # type: ignore[call-overload]
                text("INSERT INTO item (n) VALUES (:n)"), params={"n": seen}
            )
            await asyncio.sleep(0.01)  # hold the lock a while: the others must wait
            await session.commit()

    try:
        await asyncio.gather(*(read_then_write(i) for i in range(60)))
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM item"))).scalar() == 60
    finally:
        await engine.dispose()


async def test_a_lock_held_by_another_process_is_waited_for_and_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    here = await _table(url)
    await here.dispose()
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)  # give up waiting quickly
    here = make_engine(url)
    other = make_engine(url)
    retried = asyncio.Event()

    class Retries(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "write lock busy" in record.getMessage():
                retried.set()

    watcher = Retries()
    logging.getLogger("storage.engine").addHandler(watcher)
    try:
        holder = await other.connect()
        await holder.execute(text("INSERT INTO item (n) VALUES (1)"))  # holds the write lock

        async def release_after_a_retry() -> None:
            # The other process lets go only once our BEGIN IMMEDIATE ran out its busy timeout.
            await asyncio.wait_for(retried.wait(), 10)
            await holder.commit()
            await holder.close()

        releasing = asyncio.create_task(release_after_a_retry())
        async with make_session_factory(here)() as session:
            await session.exec(text("INSERT INTO item (n) VALUES (2)"))  # type: ignore[call-overload]
            await session.commit()
        await releasing
        async with here.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM item"))).scalar() == 2
    finally:
        logging.getLogger("storage.engine").removeHandler(watcher)
        await other.dispose()
        await here.dispose()
