"""What every service call needs: a database session and a clock; and what a unit of work
records besides its rows: the notices for people and the events other services react to.

* `ctx.notify(notices, kind=..., ...)` keeps notices; the unit of work writes them to the
  outbox right before it commits (handlers.deps), so nothing is queued for a change that was
  rolled back. Record them once every check has passed.
* `await ctx.record(event)` runs the reactions registered for the event's type (and its base
  types) at once, in the same transaction: e.g. a moved session re-plans its reminders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import Clock
from services.events import Event
from services.notifications import Buttons, Delivery, Notice, Queued

E = TypeVar("E", bound=Event)
Reaction = Callable[["Ctx", Any], Awaitable[None]]

_REACTIONS: dict[type[Event], list[Reaction]] = {}


def reacts_to(
    *event_types: type[E],
) -> Callable[[Callable[[Ctx, E], Awaitable[None]]], Callable[[Ctx, E], Awaitable[None]]]:
    """Register a reaction to events of these types (and their subtypes)."""

    def register(fn: Callable[[Ctx, E], Awaitable[None]]) -> Callable[[Ctx, E], Awaitable[None]]:
        for event_type in event_types:
            found = _REACTIONS.setdefault(event_type, [])
            if fn not in found:
                found.append(fn)
        return fn

    return register


def reactions_for(event_type: type[Event]) -> list[Reaction]:
    out: list[Reaction] = []
    for cls in event_type.__mro__:
        out += _REACTIONS.get(cls, [])  # type: ignore[arg-type]
    return out


@dataclass(slots=True)
class Ctx:
    session: AsyncSession
    clock: Clock
    queued: list[Queued] = field(default_factory=list)
    recorded: list[Event] = field(default_factory=list)
    due_now: bool = False  # the outbox got rows due at once: wake the sender after commit

    def notify(
        self,
        notices: Iterable[Notice],
        *,
        kind: str,
        subject_type: str,
        subject_id: int,
        buttons: Buttons = (),
        useful_until: datetime | None = None,
        batch: str | None = None,
        key: str | None = None,
    ) -> None:
        """Keep notices to send once the unit of work commits (see services.outbox.flush)."""
        found = tuple(notices)
        if not found:
            return
        if key is not None and len(found) != 1:
            raise ValueError("a stable key names one notice")
        delivery = Delivery(kind, subject_type, subject_id, buttons, useful_until, batch, key)
        self.queued.append(Queued(found, delivery))

    async def record(self, event: Event) -> None:
        """Keep the event and run its reactions now (same transaction)."""
        self.recorded.append(event)
        if not _REACTIONS:
            raise RuntimeError("no reactions are wired: import services.reactions at start-up")
        for reaction in reactions_for(type(event)):
            await reaction(self, event)

    def take_queued(self) -> list[Queued]:
        """The notices kept so far, handed over once."""
        taken, self.queued = self.queued, []
        return taken
