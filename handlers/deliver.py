"""Hand the notices a change produced to the outbox (same transaction), then wake the sender."""

from __future__ import annotations

from collections.abc import Iterable

from telegram.ext import Application

import scheduler
from services import outbox
from services.context import Ctx
from services.notifications import Notice


async def queue(
    ctx: Ctx,
    notices: Iterable[Notice],
    *,
    kind: str,
    subject_type: str,
    subject_id: int,
) -> int:
    """Write the notices as outbox rows inside the caller's unit of work."""
    planned = outbox.from_notices(
        notices, now=ctx.clock.now(), kind=kind, subject_type=subject_type, subject_id=subject_id
    )
    return await outbox.plan(ctx, planned)


def send_soon(app: Application) -> None:  # type: ignore[type-arg]
    """Call after the unit of work committed."""
    scheduler.kick(app)
