"""The unit of work carries a change's side effects: notices the services recorded reach the
outbox once, in the same transaction, and the sender is woken after the commit; a rolled-back
change queues nothing. Events run their reactions in the same transaction."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import FrozenClock
from core.config import Settings
from handlers.deps import Deps
from services import sessions
from services.context import Ctx
from services.events import SessionRescheduled
from services.notifications import Button, Notice
from storage.engine import make_session_factory
from tests.test_plans_service import at, build_org, new_plan, new_session


def _deps(engine: AsyncEngine, clock: FrozenClock, woken: list[str]) -> Deps:
    return Deps(
        settings=Settings(_env_file=None),  # type: ignore[call-arg]
        sessions=make_session_factory(engine),
        clock=clock,
        on_commit=lambda: woken.append("kick"),
    )


async def _rows(engine: AsyncEngine) -> list[tuple[str, int, str, str | None]]:
    async with engine.connect() as conn:
        result = await conn.execute(
            text("SELECT kind, person_id, key, batch FROM notification ORDER BY id")
        )
        return [tuple(r) for r in result.all()]  # type: ignore[misc]


async def _people(engine: AsyncEngine, clock: FrozenClock) -> list[int]:
    async with make_session_factory(engine)() as session:
        org = await build_org(Ctx(session, clock))
        await session.commit()
        return [org.mem_a1.id, org.sec_b1.id]  # type: ignore[list-item]


async def test_notices_reach_the_outbox_once_after_commit(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    first, second = await _people(engine, clock)
    woken: list[str] = []
    deps = _deps(engine, clock, woken)
    async with deps.ctx() as ctx:
        ctx.notify(
            [Notice(first, "Stopped. Nothing was changed."), Notice(second, "Stopped.")],
            kind="test",
            subject_type="unit",
            subject_id=1,
            buttons=((Button("OK", "ok:1"),),),
            batch="b1",
        )
        assert await _rows(engine) == []  # not before the commit
    rows = await _rows(engine)
    assert [(k, p, b) for k, p, _, b in rows] == [("test", first, "b1"), ("test", second, "b1")]
    assert woken == ["kick"]


async def test_a_rolled_back_change_queues_nothing(engine: AsyncEngine, clock: FrozenClock) -> None:
    (first, _) = await _people(engine, clock)
    woken: list[str] = []
    deps = _deps(engine, clock, woken)
    try:
        async with deps.ctx() as ctx:
            ctx.notify([Notice(first, "Stopped.")], kind="test", subject_type="unit", subject_id=1)
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    assert await _rows(engine) == []
    assert woken == []


async def test_a_stable_key_is_sent_once_and_holding_defers_the_wake_up(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    (first, _) = await _people(engine, clock)
    woken: list[str] = []
    deps = _deps(engine, clock, woken)
    for _ in range(2):
        async with deps.ctx(hold_sending=True) as ctx:
            ctx.notify(
                [Notice(first, "Stopped.")],
                kind="test",
                subject_type="unit",
                subject_id=1,
                key="test:once",
            )
    assert [key for _, _, key, _ in await _rows(engine)] == ["test:once"]
    assert woken == []


async def test_nothing_due_wakes_nobody(engine: AsyncEngine, clock: FrozenClock) -> None:
    await _people(engine, clock)
    woken: list[str] = []
    async with _deps(engine, clock, woken).ctx():
        pass
    assert woken == []


async def test_a_recorded_event_replans_in_the_same_transaction(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    async with make_session_factory(engine)() as session:
        ctx = Ctx(session, clock)
        org = await build_org(ctx)
        plan = await new_plan(ctx, org)
        meeting = await new_session(ctx, org.sec_a1, plan, org.a1, at(10, 3, 8))
        await session.commit()
    new_stamp = ":202503170100:"  # 17/3 08:00 in Hà Nội, in UTC
    checklist = text(
        "SELECT count(*) FROM notification WHERE kind = 'host_checklist' AND key LIKE :k"
    )
    async with make_session_factory(engine)() as session:
        ctx = Ctx(session, clock)
        moved = await sessions.reschedule_session(ctx, org.sec_a1, meeting.id, at(17, 3, 8))  # type: ignore[arg-type]
        assert [type(e) for e in ctx.recorded] == [SessionRescheduled]
        # The notices wait for the unit of work; the re-planned checklist is written already.
        queued = [n for q in ctx.queued for n in q.notices]
        assert queued == moved.notices and queued
        written = await (await session.connection()).execute(checklist, {"k": f"%{new_stamp}%"})
        assert written.scalar() == 2  # the host's secretary and deputy
        await session.rollback()
    async with engine.connect() as conn:
        assert (await conn.execute(checklist, {"k": f"%{new_stamp}%"})).scalar() == 0
