"""Kill the bot process in the middle of a fan-out of 500 (several requests in flight), restart
it, and check the stub's record against the outbox: nobody gets the message twice; killed hard
mid-request (SIGKILL), every row not delivered was re-sent after the restart or is reported
`uncertain`, and no more rows are uncertain than were in flight; stopped gracefully (SIGTERM),
the requests in flight finish and everyone gets it exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.clock import SystemClock
from playground.botapi_stub import BotApiStub
from playground.harness import TOKEN
from services import outbox
from services.context import Ctx
from services.outbox import Planned
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Person
from storage.outbox import Notification

ROOT = Path(__file__).resolve().parents[1]
FANOUT = 500
FIRST_ID = 700_000
IN_FLIGHT = 16


async def _prepare(url: str) -> None:
    engine = make_engine(url)
    await upgrade(engine)
    now = datetime.now(UTC)
    async with make_session_factory(engine)() as session:
        people = [
            Person(telegram_id=FIRST_ID + i, full_name=f"Đại biểu {i}", created_at=now)
            for i in range(FANOUT)
        ]
        session.add_all(people)
        await session.flush()
        ctx = Ctx(session, SystemClock())
        await outbox.plan(
            ctx,
            [
                Planned(
                    key=f"fanout:{p.id}",
                    kind="reminder",
                    person_id=p.id,  # type: ignore[arg-type]
                    subject_type="session",
                    subject_id=1,
                    due_at=now,
                    msgid="Stopped. Nothing was changed.",
                    batch="crash-test",
                )
                for p in people
            ],
        )
        await session.commit()
    await engine.dispose()


async def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    async with make_session_factory(engine)() as session:
        counts = await outbox.counts(Ctx(session, SystemClock()))
    await engine.dispose()
    return counts


async def _start(stub: BotApiStub, url: str, cwd: Path) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=stub.base_url,
        DATABASE_URL=url,
        RATE_LIMIT="false",
        OUTBOX_IN_FLIGHT=str(IN_FLIGHT),
        LOG_LEVEL="WARNING",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def _states_by_chat(url: str) -> dict[int, str]:
    from sqlmodel import select

    engine = make_engine(url)
    async with make_session_factory(engine)() as session:
        rows = (
            await session.exec(
                select(Person.telegram_id, Notification.state).join(
                    Notification, Notification.person_id == Person.id
                )
            )
        ).all()
    await engine.dispose()
    return {int(chat): state for chat, state in rows if chat is not None}


def _sends(stub: BotApiStub) -> int:
    return sum(1 for method, _ in stub.calls if method == "sendMessage")


@pytest.mark.parametrize("how", ["sigkill-mid-request", "sigterm"])
async def test_fanout_survives_a_kill_exactly_once(tmp_path: Path, how: str) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    await _prepare(url)
    async with BotApiStub(TOKEN) as stub:
        proc = await _start(stub, url, tmp_path)
        killed = asyncio.Event()
        record = stub.record_call

        def record_and_maybe_kill(method: str, params: dict[str, object]) -> None:
            record(method, params)
            if method == "sendMessage" and _sends(stub) == 200 and not killed.is_set():
                killed.set()
                # Mid-request: the message reaches "Telegram", the bot never hears back.
                proc.send_signal(signal.SIGKILL if how == "sigkill-mid-request" else signal.SIGTERM)

        stub.record_call = record_and_maybe_kill  # type: ignore[method-assign]
        try:
            await asyncio.wait_for(killed.wait(), 60)
            await asyncio.wait_for(proc.wait(), 30)
            interrupted = await _counts(url)
            assert interrupted["pending"] > 0, "the kill came too late to test anything"
            proc = await _start(stub, url, tmp_path)
            for _ in range(600):
                counts = await _counts(url)
                if counts["pending"] == 0 and counts["sending"] == 0:
                    break
                await asyncio.sleep(0.1)
        finally:
            if proc.returncode is None:
                proc.terminate()
                await proc.wait()
    per_chat = Counter(m.chat_id for m in stub.sent)
    assert set(per_chat.values()) == {1}, "someone got the message twice"
    counts = await _counts(url)
    assert counts["pending"] == 0 and counts["sending"] == 0
    states = await _states_by_chat(url)
    if how == "sigkill-mid-request":
        # Rows in flight when the process died: delivered or not, Telegram cannot tell us.
        assert 1 <= counts["uncertain"] <= IN_FLIGHT, counts
        assert counts["sent"] + counts["uncertain"] == FANOUT, counts
        not_delivered = {chat for chat in states if chat not in per_chat}
        assert all(states[chat] == "uncertain" for chat in not_delivered)
        assert all(chat in per_chat for chat, state in states.items() if state == "sent")
    else:
        assert len(per_chat) == FANOUT, f"{FANOUT - len(per_chat)} recipients got nothing"
        assert counts["uncertain"] == 0 and counts["sent"] == FANOUT
