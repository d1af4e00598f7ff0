"""The async engine and session factory. The event loop never blocks on the database.

SQLite write path. A deferred SQLite transaction that has read cannot be upgraded to a write
while another connection writes (`database is locked` at once: the busy timeout does not help),
which lost check-ins in a rush. So on SQLite:

* pysqlite/aiosqlite never start transactions themselves (`isolation_level = None`), and a
  transaction that only reads takes no lock: each SELECT sees the latest committed data, as
  under PostgreSQL's default READ COMMITTED;
* right before a transaction's first write (INSERT, UPDATE, DELETE, DDL or a savepoint) it
  takes the write lock up front with `BEGIN IMMEDIATE`, holds it to COMMIT or ROLLBACK, and so
  can never fail half-way for a lock;
* the writers of one process queue for the lock in the event loop (one writer at a time, first
  come first served) instead of polling in SQLite's busy handler; other processes are waited
  for by the busy timeout, and `BEGIN IMMEDIATE` is retried when even that runs out
  (`SQLITE_BUSY`), before anything of the transaction was done.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.util import await_only
from sqlmodel.ext.asyncio.session import AsyncSession

log = logging.getLogger(__name__)

SessionFactory = async_sessionmaker[AsyncSession]

BUSY_TIMEOUT_MS = 10_000
BEGIN_ATTEMPTS = 4  # each waits up to the busy timeout for another process's writer
GATE_TIMEOUT_S = 60.0  # a writer of this process holding the lock longer than this is a bug
_WRITE_STARTS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "SAVEPOINT")
_WRITING = "sqlite_writing"


def async_url(url: str) -> str:
    """Map plain URLs (sqlite:///x.db, postgresql://...) to their async drivers."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif backend == "postgresql" and parsed.drivername in (
        "postgresql",
        "postgres",
        "postgresql+psycopg2",
        "postgresql+psycopg",
    ):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif parsed.drivername == "postgres":
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver must not BEGIN on its own: the write path below decides when and how.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def is_write(statement: str) -> bool:
    head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    if head in _WRITE_STARTS:
        return True
    if head == "WITH":  # a CTE in front of a write
        upper = statement.upper()
        return any(f" {w} " in upper for w in ("INSERT", "UPDATE", "DELETE"))
    return False


def is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


class WriterGate:
    """One writing transaction at a time in this process, queued in the event loop."""

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _current(self) -> asyncio.Lock | None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop = asyncio.Lock(), loop
        return self._lock

    def enter(self) -> bool:
        """Wait for the gate (from SQLAlchemy's greenlet); False when not under asyncio."""
        lock = self._current()
        if lock is None:
            return False
        try:
            await_only(asyncio.wait_for(lock.acquire(), GATE_TIMEOUT_S))
        except TimeoutError:
            raise OperationalError(
                "BEGIN IMMEDIATE", {}, Exception("database is locked (writer gate)")
            ) from None
        return True

    def leave(self) -> None:
        lock = self._lock
        if lock is not None and lock.locked():
            lock.release()


def _install_sqlite_write_path(engine: AsyncEngine) -> None:
    gate = WriterGate()
    sync_engine = engine.sync_engine

    def before_cursor_execute(
        conn: Connection,
        cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        if conn.info.get(_WRITING) is not None or not is_write(statement):
            return
        if not conn.in_transaction():  # a bare autocommit statement outside any transaction
            return
        gated = gate.enter()
        conn.info[_WRITING] = gated
        for attempt in range(1, BEGIN_ATTEMPTS + 1):
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return
            except Exception as exc:
                if not is_busy(exc) or attempt == BEGIN_ATTEMPTS:
                    _end(conn)
                    raise
                log.warning("SQLite write lock busy (attempt %d), waiting again", attempt)

    def _end(conn: Connection) -> None:
        gated = conn.info.pop(_WRITING, None)
        if gated:
            gate.leave()

    # SQLAlchemy's commit/rollback events come just before the driver's call: end the write
    # transaction here, so the gate opens only once the lock is free (the driver's own call
    # that follows finds no transaction and does nothing).
    def on_commit(conn: Connection) -> None:
        if conn.info.get(_WRITING) is None:
            return
        try:
            conn.connection.dbapi_connection.commit()  # type: ignore[union-attr]
        finally:
            _end(conn)

    def on_rollback(conn: Connection) -> None:
        if conn.info.get(_WRITING) is None:
            return
        try:
            conn.connection.dbapi_connection.rollback()  # type: ignore[union-attr]
        finally:
            _end(conn)

    event.listen(sync_engine, "before_cursor_execute", before_cursor_execute)
    event.listen(sync_engine, "commit", on_commit)
    event.listen(sync_engine, "rollback", on_rollback)


# The pool is sized to the concurrency the bot allows: every update handled at once
# (MAX_CONCURRENT_UPDATES) and every outbox request in flight (OUTBOX_IN_FLIGHT) can hold a
# connection, with a few spare for the scheduler's jobs. A unit of work that still finds none
# waits its turn (POOL_WAIT_S) instead of failing at SQLAlchemy's default 30 s.
DEFAULT_CONCURRENCY = 32  # core.config's MAX_CONCURRENT_UPDATES default
DEFAULT_IN_FLIGHT = 16  # core.config's OUTBOX_IN_FLIGHT default
SPARE_CONNECTIONS = 8
POOL_WAIT_S = 120.0


def pool_options(
    concurrency: int = DEFAULT_CONCURRENCY, in_flight: int = DEFAULT_IN_FLIGHT
) -> dict[str, Any]:
    """Queue-pool settings for a bot handling `concurrency` updates at once with
    `in_flight` outbox requests open."""
    return {
        "pool_size": concurrency,
        "max_overflow": in_flight + SPARE_CONNECTIONS,
        "pool_timeout": POOL_WAIT_S,
    }


def _pooled(target: str) -> bool:
    """Whether SQLAlchemy gives this URL a queue pool (an in-memory SQLite has one connection)."""
    parsed = make_url(target)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database not in (None, "", ":memory:") and "mode=memory" not in target
    return True


def make_engine(
    url: str,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    in_flight: int = DEFAULT_IN_FLIGHT,
    **kwargs: Any,
) -> AsyncEngine:
    target = async_url(url)
    if _pooled(target) and "poolclass" not in kwargs:
        kwargs = {**pool_options(concurrency, in_flight), **kwargs}
    engine = create_async_engine(target, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        _install_sqlite_write_path(engine)
    return engine


def make_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
