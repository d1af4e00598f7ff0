"""The outbox service: plan, re-plan and account for messages to people.

Protocol (exactly-once as users see it):
  1. A change and the notifications it causes are written in one transaction
     (`plan`), each with a unique key, so planning twice never sends twice.
  2. The dispatcher claims each due row (pending → sending, committed) right before its request
     to the messenger, and records the outcome (sent / failed / pending again) right after.
  3. After a crash, rows still `sending` were cut mid-request: the messenger may or may not have
     delivered them and offers no way to ask. They become `uncertain` and are NOT sent again (a
     duplicate order is worse than one reminder fewer); organisers see them in the outbox
     report. At most OUTBOX_IN_FLIGHT rows (16) can be uncertain after one crash.
  4. A row whose moment passed while the bot was down is sent late only while it is still useful
     (`useful_until`, e.g. the session has not started); otherwise it is dropped and logged.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from services.context import Ctx
from services.notifications import Button, Buttons, Notice, Queued
from services.outbox_params import decode_params, encode_params
from services.outbox_params import dt_param as dt_param  # re-exported: callers use outbox.*
from services.outbox_params import msg_param as msg_param
from storage.outbox import NoticeState, Notification

INSERT_CHUNK = 500


def from_notices(
    notices: Iterable[Notice],
    *,
    now: datetime,
    kind: str,
    subject_type: str,
    subject_id: int,
    batch: str | None = None,
) -> list[Planned]:
    """Immediate notifications for notices a change produced (one key each: never merged)."""
    return [
        Planned(
            key=f"{kind}:{subject_type}:{subject_id}:{uuid.uuid4().hex}",
            kind=kind,
            person_id=n.person_id,
            subject_type=subject_type,
            subject_id=subject_id,
            due_at=now,
            msgid=n.msgid,
            params=encode_params(n.params),
            batch=batch,
        )
        for n in notices
    ]


@dataclass(frozen=True, slots=True)
class Planned:
    key: str
    kind: str
    person_id: int
    subject_type: str
    subject_id: int
    due_at: datetime
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    buttons: Buttons = ()
    useful_until: datetime | None = None
    batch: str | None = None

    def payload(self) -> str:
        return json.dumps(
            {
                "msgid": self.msgid,
                "params": self.params,
                "buttons": [
                    [{"label": b.label, "data": b.data} for b in row] for row in self.buttons
                ],
            },
            ensure_ascii=False,
        )


async def plan(ctx: Ctx, items: Iterable[Planned]) -> int:
    """Insert the notifications whose keys are new, and bring back those a re-plan cancelled;
    keys already waiting or sent are left alone. Returns how many were added or revived."""
    now = ctx.clock.now()
    rows = [
        {
            "key": p.key,
            "kind": p.kind,
            "person_id": p.person_id,
            "subject_type": p.subject_type,
            "subject_id": p.subject_id,
            "due_at": p.due_at,
            "useful_until": p.useful_until,
            "state": NoticeState.PENDING.value,
            "attempts": 0,
            "payload": p.payload(),
            "batch": p.batch,
            "created_at": now,
        }
        for p in items
    ]
    if not rows:
        return 0
    if any(row["due_at"] <= now for row in rows):
        ctx.due_now = True
    dialect = ctx.session.bind.dialect.name if ctx.session.bind else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    added = 0
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start : start + INSERT_CHUNK]
        stmt = insert(Notification).values(chunk)
        # A key already sent (or waiting) stays as it is; one cancelled by a re-plan comes back
        # with its new time and words.
        stmt = stmt.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "state": stmt.excluded.state,
                "due_at": stmt.excluded.due_at,
                "useful_until": stmt.excluded.useful_until,
                "payload": stmt.excluded.payload,
                "last_error": None,
            },
            where=col(Notification.state) == NoticeState.CANCELLED.value,
        )
        result = await ctx.session.exec(stmt)  # type: ignore[call-overload]
        added += max(result.rowcount or 0, 0)
    return added


def planned_from(queued: Iterable[Queued], now: datetime) -> list[Planned]:
    """Outbox rows for notices recorded on a unit of work (see `Ctx.notify`)."""
    out: list[Planned] = []
    for item in queued:
        d = item.delivery
        for notice in item.notices:
            out.append(
                Planned(
                    key=d.key or f"{d.kind}:{d.subject_type}:{d.subject_id}:{uuid.uuid4().hex}",
                    kind=d.kind,
                    person_id=notice.person_id,
                    subject_type=d.subject_type,
                    subject_id=d.subject_id,
                    due_at=now,
                    msgid=notice.msgid,
                    params=encode_params(notice.params),
                    buttons=d.buttons,
                    useful_until=d.useful_until,
                    batch=d.batch,
                )
            )
    return out


async def flush(ctx: Ctx) -> int:
    """Write the notices recorded on `ctx` as outbox rows (call before commit). Returns how
    many rows were added."""
    return await plan(ctx, planned_from(ctx.take_queued(), ctx.clock.now()))


async def cancel_pending(
    ctx: Ctx,
    subject_type: str,
    subject_id: int,
    *,
    kinds: Sequence[str] | None = None,
    person_id: int | None = None,
) -> int:
    """Cancel what is still waiting for a subject (re-planning after a change)."""
    stmt = (
        update(Notification)
        .where(
            col(Notification.subject_type) == subject_type,
            col(Notification.subject_id) == subject_id,
            col(Notification.state) == NoticeState.PENDING.value,
        )
        .values(state=NoticeState.CANCELLED.value)
        .execution_options(synchronize_session=False)
    )
    if kinds is not None:
        stmt = stmt.where(col(Notification.kind).in_(list(kinds)))
    if person_id is not None:
        stmt = stmt.where(col(Notification.person_id) == person_id)
    result = await ctx.session.exec(stmt)  # type: ignore[call-overload]
    return int(result.rowcount or 0)


async def due_ids(ctx: Ctx, limit: int) -> list[int]:
    now = ctx.clock.now()
    result = await ctx.session.exec(
        select(Notification.id)
        .where(col(Notification.state) == NoticeState.PENDING.value, Notification.due_at <= now)
        .order_by(Notification.due_at, Notification.id)
        .limit(limit)
    )
    return [i for i in result.all() if i is not None]


async def claim(ctx: Ctx, notification_id: int) -> Notification | None:
    """pending → sending, only if still pending (another worker may have taken it)."""
    now = ctx.clock.now()
    result = await ctx.session.exec(  # type: ignore[call-overload]
        update(Notification)
        .where(
            col(Notification.id) == notification_id,
            col(Notification.state) == NoticeState.PENDING.value,
        )
        .values(
            state=NoticeState.SENDING.value,
            attempts=Notification.attempts + 1,
            claimed_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    return await ctx.session.get(Notification, notification_id, populate_existing=True)


async def _set(ctx: Ctx, notification_id: int, **values: Any) -> None:
    await ctx.session.exec(  # type: ignore[call-overload]
        update(Notification)
        .where(col(Notification.id) == notification_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def mark_sent(ctx: Ctx, notification_id: int, tg_message_id: int | None) -> None:
    await _set(
        ctx,
        notification_id,
        state=NoticeState.SENT.value,
        sent_at=ctx.clock.now(),
        tg_message_id=tg_message_id,
        last_error=None,
    )


async def mark_failed(ctx: Ctx, notification_id: int, error: str) -> None:
    await _set(ctx, notification_id, state=NoticeState.FAILED.value, last_error=error[:500])


async def mark_dropped(ctx: Ctx, notification_id: int, reason: str) -> None:
    await _set(ctx, notification_id, state=NoticeState.DROPPED.value, last_error=reason[:500])


async def retry_later(ctx: Ctx, notification_id: int, at: datetime, error: str) -> None:
    """The request certainly did not deliver (refused before sending): try again at `at`."""
    await _set(
        ctx,
        notification_id,
        state=NoticeState.PENDING.value,
        due_at=at,
        last_error=error[:500],
    )


async def recover(ctx: Ctx) -> int:
    """After a restart: rows left `sending` were cut mid-request → `uncertain` (never re-sent)."""
    result = await ctx.session.exec(  # type: ignore[call-overload]
        update(Notification)
        .where(col(Notification.state) == NoticeState.SENDING.value)
        .values(state=NoticeState.UNCERTAIN.value, last_error="process stopped mid-request")
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


async def next_due_at(ctx: Ctx) -> datetime | None:
    result = await ctx.session.exec(
        select(func.min(Notification.due_at)).where(
            col(Notification.state) == NoticeState.PENDING.value
        )
    )
    return result.one()


def _to_people_of(unit_ids: Iterable[int]) -> Any:
    """Rows addressed to people with a role in one of these units."""
    from storage.models import Membership

    return col(Notification.person_id).in_(
        select(Membership.person_id).where(col(Membership.unit_id).in_(set(unit_ids)))
    )


async def counts(
    ctx: Ctx, batch: str | None = None, *, unit_ids: Iterable[int] | None = None
) -> dict[str, int]:
    """Rows by state; with `unit_ids`, only those to people of these units (an organiser's
    view: their units and below)."""
    stmt = select(Notification.state, func.count()).group_by(Notification.state)
    if batch is not None:
        stmt = stmt.where(col(Notification.batch) == batch)
    if unit_ids is not None:
        stmt = stmt.where(_to_people_of(unit_ids))
    result = await ctx.session.exec(stmt)
    found = {state: int(n) for state, n in result.all()}
    return {s.value: found.get(s.value, 0) for s in NoticeState}


def decode(notification: Notification) -> tuple[str, dict[str, Any], list[list[Button]]]:
    data = json.loads(notification.payload or "{}")
    buttons = [[Button(b["label"], b["data"]) for b in row] for row in data.get("buttons", [])]
    return str(data.get("msgid", "")), decode_params(dict(data.get("params", {}))), buttons


async def recover_one(ctx: Ctx, notification_id: int, error: str) -> None:
    """The request may have reached Telegram but its answer was lost: never re-sent."""
    await _set(ctx, notification_id, state=NoticeState.UNCERTAIN.value, last_error=error[:500])


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str
    state: str
    person_name: str
    error: str
    due_at: datetime


async def problems(
    ctx: Ctx, limit: int = 10, *, unit_ids: Iterable[int] | None = None
) -> list[Problem]:
    """The most recent rows that failed or may not have arrived, newest first; with
    `unit_ids`, only those to people of these units."""
    from storage.models import Person

    scope = _to_people_of(unit_ids) if unit_ids is not None else true()
    result = await ctx.session.exec(
        select(
            Notification.kind,
            Notification.state,
            Person.full_name,
            Notification.last_error,
            Notification.due_at,
        )
        .join(Person, col(Person.id) == Notification.person_id)
        .where(col(Notification.state).in_([NoticeState.FAILED.value, NoticeState.UNCERTAIN.value]))
        .where(scope)
        .order_by(col(Notification.due_at).desc(), col(Notification.id).desc())
        .limit(limit)
    )
    return [Problem(k, s, name or "?", err or "", due) for k, s, name, err, due in result.all()]
