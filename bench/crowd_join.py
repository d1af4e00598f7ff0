"""A crowd on one invite link: an organiser shows the QR at a meeting and N people (100) open
it at the same moment, then all type their name, then all type their position.

Each step is injected for everybody at once; a person's latency is from their update to the
bot's first answer to them. Printed per step: p50 / p95 / max, answers, generic errors; at the
end how many joined (memberships in the database). The baseline, measured in the same run, is
the echo bot (bench/echo_bot.py: python-telegram-bot answering every text at once, no
database) on the same crowd: the ratio says what the database and the flow cost on top.

    python -m bench.crowd_join                      # SQLite (and PostgreSQL when
    BENCH_DATABASE_URL=postgresql://... python -m bench.crowd_join --backend all
    python -m bench.crowd_join --rtt 50             # each Bot API call answered after 50 ms

The issue's target: all join, each answered within a few seconds, no error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bench.common import backends, fresh_database
from bench.echo_bot import build_echo_application
from core.clock import SystemClock
from core.config import Settings
from playground.botapi_stub import BotApiStub
from playground.harness import TOKEN, BotHarness
from playground.stub_models import StubUser
from services import invites, units
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import Membership, Person, Role, UnitKind

FIRST_TID = 800_000
GENERIC_ERROR = "Xin lỗi, hệ thống vừa gặp sự cố"  # the error handler's reply (handlers/errors.py)
TARGET_MAX_S = 5.0  # "each answered within a few seconds"
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng", "Bùi")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga")


def full_name(i: int) -> str:
    """A name the onboarding accepts (letters only), different for the first 1,000 people."""
    return f"{FAMILY[i % 10]} Văn {GIVEN[i // 10 % 10]} {GIVEN[i // 100 % 10]}"


@dataclass(slots=True)
class Step:
    label: str
    latencies: list[float]  # seconds, one per person answered
    answered: int
    generic: int

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self, baseline: Step | None = None) -> str:
        ratio = ""
        if baseline is not None and baseline is not self and baseline.pct(0.95) > 0:
            ratio = f"  p95 ×{self.pct(0.95) / baseline.pct(0.95):.1f} of the echo bot"
        return (
            f"  {self.label:<22} p50 {self.pct(0.5) * 1000:7.0f} ms  p95 {self.pct(0.95) * 1000:7.0f}"
            f" ms  max {max(self.latencies, default=float('nan')) * 1000:7.0f} ms  answered "
            f"{self.answered}  generic errors {self.generic}{ratio}"
        )


async def make_link(engine: AsyncEngine, count: int) -> str:
    """A committee with one chi bộ and a member link usable `count` times; its token."""
    clock = SystemClock()
    async with make_session_factory(engine)() as session:
        ctx = Ctx(session, clock)
        root = await units.ensure_root(ctx, "Đảng ủy")
        organiser = Person(
            telegram_id=FIRST_TID - 1, full_name="Trần Văn Tổ", position="—", created_at=clock.now()
        )
        session.add(organiser)
        await session.flush()
        from services import roles

        await roles.add_membership(ctx, organiser, root.id, Role.ORGANISER)  # type: ignore[arg-type]
        cell = await units.create_unit(ctx, organiser, root.id, "Chi bộ Khu phố 1", UnitKind.CELL)  # type: ignore[arg-type]
        link = await invites.create_invite(
            ctx, None, cell.id, Role.MEMBER, max_uses=count, ttl=timedelta(days=1)
        )  # type: ignore[arg-type]
        await session.commit()
        return link.token


async def crowd_step(stub: BotApiStub, label: str, users: list[StubUser], texts: list[str]) -> Step:
    """Everybody sends their text at once; waits for an answer to each."""
    before = {u.id: len(stub.messages_to(u.id)) for u in users}
    injected: dict[int, float] = {}
    replied: dict[int, float] = {}
    first: dict[int, str] = {}
    original = stub.store_sent

    def store_sent(chat_id: int, kind: object, **kw: object) -> object:
        message = original(chat_id, kind, **kw)  # type: ignore[arg-type]
        if chat_id in injected and chat_id not in replied:
            replied[chat_id] = time.perf_counter()
            first[chat_id] = message.text or ""
        return message

    stub.store_sent = store_sent  # type: ignore[method-assign,assignment]
    try:
        for user, text in zip(users, texts, strict=True):
            injected[user.id] = time.perf_counter()
            stub.send_text(user, text)
        await stub.wait_until(lambda: len(replied) >= len(users), timeout=120)
    finally:
        del stub.store_sent
    del before
    latencies = [replied[c] - injected[c] for c in replied]
    generic = sum(1 for t in first.values() if t.startswith(GENERIC_ERROR))
    return Step(label, latencies, len(replied), generic)


async def joined(engine: AsyncEngine) -> int:
    async with make_session_factory(engine)() as session:
        result = await session.exec(
            select(func.count()).select_from(Membership).where(Membership.role == Role.MEMBER)
        )
        return int(result.one())


async def echo_baseline(count: int, rtt_ms: float) -> Step:
    async with BotApiStub(TOKEN) as stub:
        stub.set_delay(rtt_ms)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            telegram_bot_token=TOKEN,
            telegram_base_url=stub.base_url,
            telegram_base_file_url=stub.base_file_url,
            database_url="sqlite://",
            rate_limit=False,
        )
        app = build_echo_application(settings)
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=10, drop_pending_updates=True)
        try:
            users = [StubUser(id=FIRST_TID + i, first_name=f"ĐV{i}") for i in range(count)]
            return await crowd_step(stub, "echo bot (baseline)", users, ["/start x"] * count)
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()


async def scenario(backend: str, count: int, rtt_ms: float, baseline: Step) -> bool:
    async with fresh_database(backend) as (url, engine):
        token = await make_link(engine, count)
        stub = BotApiStub(TOKEN)
        stub.set_delay(rtt_ms)
        harness = BotHarness(
            database_url=url,
            engine=engine,
            migrate=False,
            stub=stub,
            settings_overrides={"rate_limit": False},
        )
        harness.take_stub()  # the harness starts and stops it
        await harness.start()
        try:
            users = [
                StubUser(id=FIRST_TID + i, first_name=f"ĐV{i}", language_code="vi")
                for i in range(count)
            ]
            steps = [
                await crowd_step(stub, "open the link", users, [f"/start {token}"] * count),
                await crowd_step(
                    stub, "type the name", users, [full_name(i) for i in range(count)]
                ),
                await crowd_step(stub, "type the position", users, ["Đảng viên"] * count),
            ]
        finally:
            await harness.stop()
        members = await joined(engine)
    print(f"{backend}, {count} people at once, Bot API round trip {rtt_ms:g} ms:")
    for step in steps:
        print(step.line(baseline))
    worst = max(max(s.latencies, default=0.0) for s in steps)
    errors = sum(s.generic for s in steps) + sum(count - s.answered for s in steps)
    ok = members == count and errors == 0
    fast = worst <= TARGET_MAX_S
    print(
        f"  joined {members}/{count}, errors {errors}: {'OK' if ok else 'FAILED'}; slowest answer "
        f"{worst:.2f} s (target ≤ {TARGET_MAX_S:g} s: {'met' if fast else 'missed'}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    return ok


async def run(backend: str, count: int, rtt_ms: float) -> bool:
    baseline = await echo_baseline(count, rtt_ms)
    print(baseline.line())
    ok = True
    for name in backends() if backend == "all" else [backend]:
        ok = await scenario(name, count, rtt_ms, baseline) and ok
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--rtt", type=float, default=0.0, help="Bot API round trip, ms")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    args = parser.parse_args()
    ok = asyncio.run(run(args.backend, args.count, args.rtt))
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
