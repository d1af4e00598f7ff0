"""What handlers need from the application: settings, database sessions, clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import CallbackContext

from core.clock import Clock
from core.config import Settings
from services.context import Ctx
from storage.engine import SessionFactory


@dataclass(slots=True)
class Deps:
    settings: Settings
    sessions: SessionFactory
    clock: Clock
    extra: dict[str, Any] = field(default_factory=dict)

    @asynccontextmanager
    async def ctx(self) -> AsyncIterator[Ctx]:
        """A unit of work: commits when the block ends normally, rolls back on error."""
        async with self.sessions() as session:
            yield Ctx(session=session, clock=self.clock)
            await session.commit()


def deps(context: CallbackContext[Any, Any, Any, Any]) -> Deps:
    return context.bot_data["deps"]  # type: ignore[no-any-return]
