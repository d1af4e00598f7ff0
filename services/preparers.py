"""What an outbox row says when it is sent: each notification kind registers its own preparer
(wired in services.reactions). A preparer looks at the state at that moment: it may drop a row
that is no longer relevant (None) or write its text then, in the recipient's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel import col, select

from services import outbox
from services.context import Ctx
from services.notifications import Button
from storage.outbox import NoticeState, Notification


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


async def superseded(ctx: Ctx, row: Notification) -> bool:
    """A later row of the same kind about the same subject for the same person is due now too
    (the bot was down across this one): this one is dropped, the later one says it all."""
    later = await ctx.session.exec(
        select(Notification.id)
        .where(
            Notification.kind == row.kind,
            Notification.subject_type == row.subject_type,
            Notification.subject_id == row.subject_id,
            Notification.person_id == row.person_id,
            col(Notification.state) == NoticeState.PENDING.value,
            col(Notification.due_at) > row.due_at,
            col(Notification.due_at) <= ctx.clock.now(),
        )
        .limit(1)
    )
    return later.first() is not None


async def reach_late_joiners(ctx: Ctx, row: Notification, person_ids: Iterable[int]) -> int:
    """The audience of a row is resolved when it is due: everyone in it who has no row of this
    message yet (they joined after it was planned) gets one now, like `row`. Keys follow the
    row's own (`…:<person id>` last), so a second look adds nobody twice."""
    stem = row.key.rsplit(":", 1)[0]
    msgid, params, buttons = outbox.decode(row)
    items = [
        outbox.Planned(
            key=f"{stem}:{person_id}",
            kind=row.kind,
            person_id=person_id,
            subject_type=row.subject_type,
            subject_id=row.subject_id,
            due_at=ctx.clock.now(),
            msgid=msgid,
            params=outbox.encode_params(params),
            buttons=tuple(tuple(line) for line in buttons),
            useful_until=row.useful_until,
            batch=row.batch,
        )
        for person_id in sorted(set(person_ids))
        if person_id != row.person_id
    ]
    # Only keys nobody has yet, in one order: upserting a key another worker has just claimed
    # would wait on its row lock while that worker waits on ours (a deadlock on PostgreSQL).
    found = await ctx.session.exec(
        select(Notification.key).where(col(Notification.key).in_([i.key for i in items]))
    )
    taken = set(found.all())
    return await outbox.plan(ctx, [i for i in items if i.key not in taken])
