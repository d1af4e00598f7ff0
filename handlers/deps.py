"""What handlers need from the application: settings, database sessions, clock, and the unit of
work that carries a change's notices to the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import CallbackContext

import services.reactions  # noqa: F401  (wires what services do when events are recorded)
from core.clock import Clock
from core.config import Settings
from services import outbox
from services.context import Ctx
from storage.engine import SessionFactory


@dataclass(slots=True)
class Deps:
    settings: Settings
    sessions: SessionFactory
    clock: Clock
    extra: dict[str, Any] = field(default_factory=dict)
    # Called after a unit of work committed rows that are due now (the application wakes the
    # outbox sender).
    on_commit: Callable[[], None] | None = None

    @asynccontextmanager
    async def ctx(self, *, hold_sending: bool = False) -> AsyncIterator[Ctx]:
        """A unit of work: commits when the block ends normally, rolls back on error.

        Notices the services recorded are written to the outbox right before the commit (same
        transaction); after it, the sender is woken if something is due now, unless
        `hold_sending` (the caller wakes it itself, e.g. once it watches the sending)."""
        async with self.sessions() as session:
            ctx = Ctx(session=session, clock=self.clock)
            yield ctx
            await outbox.flush(ctx)
            await session.commit()
        if ctx.due_now and not hold_sending and self.on_commit is not None:
            self.on_commit()


def deps(context: CallbackContext[Any, Any, Any, Any]) -> Deps:
    return context.bot_data["deps"]  # type: ignore[no-any-return]
