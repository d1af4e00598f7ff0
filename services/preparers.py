"""What an outbox row says when it is sent: each notification kind registers its own preparer
(wired in services.reactions). A preparer looks at the state at that moment: it may drop a row
that is no longer relevant (None) or write its text then, in the recipient's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from services import outbox
from services.context import Ctx
from services.notifications import Button
from storage.outbox import Notification


@dataclass(frozen=True, slots=True)
class Prepared:
    """What to send for a row: a catalog message, or text already composed in the recipient's
    language (with an optional picture)."""

    msgid: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    photo: bytes | None = None
    buttons: list[list[Button]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Due:
    """A row about to be sent, its payload decoded."""

    row: Notification
    msgid: str
    params: dict[str, Any]
    locale: str


Preparer = Callable[[Ctx, Due], Awaitable[Prepared | None]]
_PREPARERS: dict[str, Preparer] = {}


def prepares(*kinds: str) -> Callable[[Preparer], Preparer]:
    """Register the preparer of these notification kinds (one preparer per kind)."""

    def register(fn: Preparer) -> Preparer:
        for kind in kinds:
            if _PREPARERS.get(kind, fn) is not fn:
                raise ValueError(f"notification kind {kind!r} already has a preparer")
            _PREPARERS[kind] = fn
        return fn

    return register


async def prepare(ctx: Ctx, row: Notification, locale: str) -> Prepared | None:
    """Just before sending: None drops a row that is no longer relevant; otherwise what to
    send. A kind without a preparer sends its catalog message as planned. The row's buttons go
    with a catalog message; composed text has none."""
    if not _PREPARERS:
        raise RuntimeError("no preparers are wired: import services.reactions at start-up")
    msgid, params, buttons = outbox.decode(row)
    preparer = _PREPARERS.get(row.kind)
    if preparer is None:
        prepared: Prepared | None = Prepared(msgid, params)
    else:
        prepared = await preparer(ctx, Due(row, msgid, params, locale))
    if prepared is None or prepared.text is not None:
        return prepared
    return replace(prepared, buttons=buttons)
