"""Wake the outbox sender by hand. A unit of work does it on its own after committing notices
(handlers.deps); only a caller that held the sending (`Deps.ctx(hold_sending=True)`, e.g. to
watch a batch first) calls this."""

from __future__ import annotations

from telegram.ext import Application

import scheduler


def send_soon(app: Application) -> None:  # type: ignore[type-arg]
    """Call after the unit of work committed."""
    scheduler.kick(app)
