"""python-telegram-bot's persistence on the project's own table (`conversation_state`):
half-finished conversations and what people typed into them (`user_data`) live in the
database, move with it, and are written as soon as an update changed them.

What is kept: each person's `user_data` (scope "user", key = Telegram user id) and the state of
every persistent ConversationHandler (scope "conv:<name>", key = the conversation key as JSON).
Values are pickled, so the dataclasses the flows keep in `user_data` survive as they are.
`bot_data` (it holds the engine), `chat_data` and callback data are never stored.

When: PTB hands changes over in `update_persistence`; `ChangeWritingApplication` calls it after
every update and then `write_changes()` puts everything changed in one transaction, so a hard
kill right after a question loses nothing typed before it. A value equal to what is already
stored is not written again. PTB's own periodic run (`update_interval`) stays as a safety net.
"""

from __future__ import annotations

import asyncio
import json
import logging
import pickle
from typing import Any

from sqlalchemy import Connection, delete, inspect
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from telegram import Update
from telegram.ext import Application, BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from core.clock import Clock
from storage.engine import SessionFactory
from storage.models import ConversationState

log = logging.getLogger(__name__)

USER = "user"
CONV = "conv:"
SAFETY_NET_SECONDS = 60.0

Key = tuple[str, str]


def conversation_key(key: ConversationKey) -> str:
    return json.dumps(list(key), separators=(",", ":"))


def _table_exists(connection: Connection) -> bool:
    return inspect(connection).has_table(ConversationState.__tablename__)


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(
        self,
        engine: AsyncEngine,
        sessions: SessionFactory,
        clock: Clock,
        *,
        update_interval: float = SAFETY_NET_SECONDS,
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.engine = engine
        self.sessions = sessions
        self.clock = clock
        self._stored: dict[Key, bytes] = {}  # what the table holds, as far as we know
        self._changes: dict[Key, bytes | None] = {}  # None: delete the row
        self._write_lock = asyncio.Lock()

    # ----------------------------------------------------------------- reading (at start)
    async def _rows(self, scope: str) -> list[tuple[str, bytes]]:
        async with self.engine.connect() as conn:
            if not await conn.run_sync(_table_exists):  # before the first migration
                return []
        async with self.sessions() as session:
            result = await session.exec(
                select(ConversationState.key, ConversationState.value).where(
                    col(ConversationState.scope) == scope
                )
            )
            rows = [(k, bytes(v)) for k, v in result.all()]
        for key, value in rows:
            self._stored[(scope, key)] = value
        return rows

    def _load(self, value: bytes, what: str) -> Any:
        try:
            return pickle.loads(value)
        except Exception:  # a class renamed since: start that conversation afresh
            log.warning("could not read stored %s: dropped", what, exc_info=True)
            return None

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        out: dict[int, dict[Any, Any]] = {}
        for key, value in await self._rows(USER):
            data = self._load(value, f"user_data of {key}")
            if isinstance(data, dict):
                out[int(key)] = data
        return out

    async def get_conversations(self, name: str) -> ConversationDict:
        out: ConversationDict = {}
        for key, value in await self._rows(CONV + name):
            state = self._load(value, f"conversation {name} {key}")
            if state is not None:
                out[tuple(json.loads(key))] = state
        return out

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    # ----------------------------------------------------------------- changes
    def _change(self, key: Key, value: bytes | None) -> None:
        if value is not None and self._stored.get(key) == value:
            self._changes.pop(key, None)  # back to what is stored
            return
        if value is None and key not in self._stored:
            self._changes.pop(key, None)
            return
        self._changes[key] = value

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        value = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL) if data else None
        self._change((USER, str(user_id)), value)

    async def drop_user_data(self, user_id: int) -> None:
        self._change((USER, str(user_id)), None)

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        value = None if new_state is None else pickle.dumps(new_state, pickle.HIGHEST_PROTOCOL)
        self._change((CONV + name, conversation_key(key)), value)

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """This process is the only writer: what it holds is current."""

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        pass

    async def drop_chat_data(self, chat_id: int) -> None:
        pass

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        pass

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        pass

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        pass

    async def update_callback_data(self, data: CDCData) -> None:
        pass

    # ----------------------------------------------------------------- writing
    @property
    def has_changes(self) -> bool:
        return bool(self._changes)

    async def write_changes(self) -> int:
        """Everything changed since the last write, in one transaction; returns the rows."""
        async with self._write_lock:
            if not self._changes:
                return 0
            changes, self._changes = self._changes, {}
            try:
                await self._write(changes)
            except Exception:
                for key, value in changes.items():  # keep them for the next write
                    self._changes.setdefault(key, value)
                raise
            for key, value in changes.items():
                if value is None:
                    self._stored.pop(key, None)
                else:
                    self._stored[key] = value
            return len(changes)

    async def _write(self, changes: dict[Key, bytes | None]) -> None:
        now = self.clock.now()
        upserts = [
            {"scope": s, "key": k, "value": v, "updated_at": now}
            for (s, k), v in changes.items()
            if v is not None
        ]
        removals = [key for key, v in changes.items() if v is None]
        async with self.sessions() as session:
            dialect = session.bind.dialect.name if session.bind else "sqlite"
            if upserts:
                insert = pg_insert if dialect == "postgresql" else sqlite_insert
                stmt = insert(ConversationState).values(upserts)
                stmt = stmt.on_conflict_do_update(
                    index_elements=["scope", "key"],
                    set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
                )
                await session.exec(stmt)  # type: ignore[call-overload]
            for scope, key in removals:
                await session.exec(  # type: ignore[call-overload]
                    delete(ConversationState).where(
                        col(ConversationState.scope) == scope, col(ConversationState.key) == key
                    )
                )
            await session.commit()

    async def flush(self) -> None:
        await self.write_changes()


class ChangeWritingApplication(Application):  # type: ignore[type-arg]
    """An Application that hands changed conversation state to the persistence after every
    update, and has it written at once (not only every `update_interval`)."""

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            if isinstance(update, Update) and self.persistence is not None:
                try:
                    await self.update_persistence()
                except Exception:  # the periodic run and the final flush try again
                    log.warning("conversation state not written yet", exc_info=True)

    async def update_persistence(self) -> None:
        await super().update_persistence()
        persistence = self.persistence
        if isinstance(persistence, DatabasePersistence) and persistence.has_changes:
            await persistence.write_changes()
