"""Check-in burst: N invited delegates check in at a session's entrance through the real bot and
the Bot API stub, half by the QR code's deep link (`/start ci_<token>`), half by
`/diemdanh CODE`. The baseline is python-telegram-bot's bare echo bot (bench/echo_bot.py),
built with the same ApplicationBuilder settings, fed the same N messages on the same stub in
the same run.

Three load shapes:
  spread  the N updates are injected evenly over `--seconds` (default 60 s: "1,000 people
          arrive within a minute"), with the builder settings of production (rate limiter on);
  burst   all N are injected at once, as fast as possible, with the rate limiter off for both
          bots (raw processing capacity; latency then includes waiting in the queue);
  arrival a realistic entrance (bench/arrivals.py): N delegates over 15 minutes in two waves
          peaking at 5/s, quiet gaps cut to 0.2 s (compressed time), production settings.

`--load K` starts K processes that keep one core busy each for the whole run (a small server
busy with other work); lost check-ins must stay 0 and no reply may be the generic error.

Latency of an update: from its injection into the stub to the moment the stub records the
bot's reply to that chat. Throughput: N / (last reply − first injection). Lost check-ins:
N − check-in rows in the database (target 0).

    python -m bench.checkin_burst [--count 1000] [--seconds 60] [--load 1]
                                  [--mode both|spread|burst|arrival|all]
                                  [--backend all|sqlite|postgresql]
PostgreSQL is measured too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bench.arrivals import PEAK_RATE, arrival_times, compressed, peak_per_second
from bench.common import backends, cpu_load, fresh_database
from bench.echo_bot import build_echo_application, same_settings
from core.clock import SystemClock
from core.config import Settings
from handlers.application import build_application
from playground.botapi_stub import BotApiStub
from playground.harness import TOKEN, BotHarness
from playground.stub_models import StubUser
from services import checkin, invitations, participants, plans, roles, sessions, units
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import CheckIn, Membership, Person, Role, SessionKind, UnitKind

FIRST_TID = 700_000
GENERIC_ERROR = "Xin lỗi, hệ thống vừa gặp sự cố"  # the error handler's reply (handlers/errors.py)
ORGANISER_TID = 1


@dataclass
class World:
    session_id: int
    code: str
    payload: str


@dataclass
class Run:
    label: str
    latencies: list[float]  # seconds, one per update answered
    elapsed: float  # first injection → last reply
    answered: int
    ok: int  # replies that say the check-in succeeded (ours only)
    generic: int = 0  # replies that are the generic "something went wrong"

    @property
    def throughput(self) -> float:
        return self.answered / self.elapsed if self.elapsed > 0 else 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def build_world(engine: AsyncEngine, count: int) -> World:
    """A committee, a cell with `count` party members invited to a session starting in 10 min."""
    clock = SystemClock()
    async with make_session_factory(engine)() as session:
        ctx = Ctx(session, clock)
        root = await units.ensure_root(ctx, "Đảng ủy")
        organiser = Person(
            telegram_id=ORGANISER_TID, full_name="Trần Văn Tổ", created_at=clock.now()
        )
        session.add(organiser)
        await session.flush()
        await roles.add_membership(ctx, organiser, root.id, Role.ORGANISER)  # type: ignore[arg-type]
        cell = await units.create_unit(ctx, organiser, root.id, "Chi bộ Hội trường", UnitKind.CELL)  # type: ignore[arg-type]
        plan = await plans.create_plan(
            ctx,
            organiser,
            root.id,  # type: ignore[arg-type]
            number="1-KH/ĐU",
            title="Sinh hoạt chi bộ mẫu",
            issued_on=clock.now().date(),
            place="Hà Nội",
        )
        await plans.issue_plan(ctx, organiser, plan.id)  # type: ignore[arg-type]
        people = [
            Person(
                telegram_id=FIRST_TID + i,
                full_name=f"Đại biểu {i:04d}",
                position="Đảng viên",
                created_at=clock.now(),
            )
            for i in range(count)
        ]
        session.add_all(people)
        await session.flush()
        session.add_all(
            Membership(person_id=p.id, unit_id=cell.id, role=Role.MEMBER, created_at=clock.now())  # type: ignore[arg-type]
            for p in people
        )
        starts = (datetime.now(UTC) + timedelta(minutes=10)).replace(second=0, microsecond=0)
        model = (
            await sessions.create_session(
                ctx,
                organiser,
                plan.id,
                cell.id,
                SessionKind.THUONG_KY,
                starts,  # type: ignore[arg-type]
            )
        ).value
        await participants.add_category(
            ctx,
            organiser,
            plan.id,
            "Toàn thể đảng viên chi bộ",
            host_unit=True,  # type: ignore[arg-type]
        )
        sent = await invitations.send(ctx, organiser, model.id)  # type: ignore[arg-type]
        assert len(sent.value) == count, len(sent.value)
        config = await checkin.open_checkin(ctx, organiser, model.id)  # type: ignore[arg-type]
        await session.commit()
        return World(model.id, config.code, checkin.deep_link_payload(config))  # type: ignore[arg-type]


async def count_checkins(engine: AsyncEngine, session_id: int) -> int:
    async with make_session_factory(engine)() as session:
        result = await session.exec(
            select(func.count()).select_from(CheckIn).where(CheckIn.session_id == session_id)
        )
        return int(result.one())


def texts_for(world: World, count: int) -> list[str]:
    return [
        f"/start {world.payload}" if i % 2 == 0 else f"/diemdanh {world.code}" for i in range(count)
    ]


def even(count: int, seconds: float) -> list[float]:
    """Injection moments spread evenly over `seconds` (all at 0 when 0)."""
    return [i * seconds / count for i in range(count)]


async def inject(
    stub: BotApiStub,
    texts: list[str],
    at: list[float],
    injected: dict[int, float],
) -> float:
    """Inject the messages at the moments `at` (seconds from the start); returns the start."""
    users = [
        StubUser(id=FIRST_TID + i, first_name=f"ĐB{i}", language_code="vi")
        for i in range(len(texts))
    ]
    start = time.perf_counter()
    for i, (user, text) in enumerate(zip(users, texts, strict=True)):
        if at[i]:
            delay = start + at[i] - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        injected[user.id] = time.perf_counter()
        stub.send_text(user, text)
    return start


def watch_replies(stub: BotApiStub) -> tuple[dict[int, float], dict[int, str], Callable[[], None]]:
    """Record when the stub stores the first reply to each chat (and its text)."""
    replied: dict[int, float] = {}
    first_text: dict[int, str] = {}
    original = stub.store_sent

    def store_sent(chat_id: int, kind: Any, **kw: Any) -> Any:
        message = original(chat_id, kind, **kw)
        if chat_id not in replied:
            replied[chat_id] = time.perf_counter()
            first_text[chat_id] = message.text or ""
        return message

    stub.store_sent = store_sent  # type: ignore[method-assign]

    def restore() -> None:
        del stub.store_sent  # back to the class's method

    return replied, first_text, restore


async def measure(
    label: str,
    stub: BotApiStub,
    texts: list[str],
    at: list[float],
    ok_prefix: str | None,
) -> Run:
    injected: dict[int, float] = {}
    replied, first_text, restore = watch_replies(stub)
    try:
        start = await inject(stub, texts, at, injected)
        await stub.wait_until(lambda: len(replied) >= len(texts), timeout=max(at) + 120)
    finally:
        restore()
    latencies = [replied[c] - injected[c] for c in injected if c in replied]
    elapsed = max(replied.values()) - start
    ok = sum(1 for t in first_text.values() if ok_prefix and t.startswith(ok_prefix))
    generic = sum(1 for t in first_text.values() if t.startswith(GENERIC_ERROR))
    return Run(label, latencies, elapsed, len(replied), ok, generic)


def settings_for(stub: BotApiStub, url: str, rate_limit: bool) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_base_url=stub.base_url,
        telegram_base_file_url=stub.base_file_url,
        database_url=url,
        rate_limit=rate_limit,
    )


async def run_echo(stub: BotApiStub, settings: Settings, texts: list[str], at: list[float]) -> Run:
    app = build_echo_application(settings)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=10, drop_pending_updates=True)
    try:
        return await measure("echo bot", stub, texts, at, None)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        stub.drop_pending_updates()


async def run_ours(
    stub: BotApiStub,
    url: str,
    engine: AsyncEngine,
    rate_limit: bool,
    texts: list[str],
    at: list[float],
) -> Run:
    harness = BotHarness(
        database_url=url,
        engine=engine,
        migrate=False,
        stub=stub,
        settings_overrides={"rate_limit": rate_limit},
    )
    await harness.start()
    try:
        run = await measure("chibot", stub, texts, at, "✅ Đã điểm danh")
    finally:
        await harness.stop()
        stub.drop_pending_updates()
    return run


def schedule(mode: str, count: int, seconds: float) -> tuple[list[float], str]:
    if mode == "spread":
        return even(count, seconds), (
            f"spread over {seconds:g} s, rate limiter on (production settings)"
        )
    if mode == "arrival":
        real = arrival_times(count)
        at = compressed(real)
        return at, (
            f"arriving over 15 min in two waves (peak {PEAK_RATE:g}/s on average, "
            f"{peak_per_second(real)} in the busiest second), quiet gaps cut to 0.2 s: "
            f"{at[-1]:.0f} s; rate limiter on (production settings)"
        )
    return even(count, 0.0), "all at once, rate limiter off for both"


async def scenario(backend: str, mode: str, count: int, seconds: float, load: int) -> None:
    rate_limit = mode != "burst"  # production settings; burst: raw capacity, limiter off
    at, how = schedule(mode, count, seconds)
    async with fresh_database(backend) as (url, engine):
        world = await build_world(engine, count)
        texts = texts_for(world, count)
        async with BotApiStub(TOKEN) as stub, cpu_load(load):
            settings = settings_for(stub, url, rate_limit)
            same_settings(
                build_application(settings, engine=engine, migrate=False),
                build_echo_application(settings),
            )
            echo = await run_echo(stub, settings, texts, at)
            ours = await run_ours(stub, url, engine, rate_limit, texts, at)
        stored = await count_checkins(engine, world.session_id)
    ratio = ours.throughput / echo.throughput if echo.throughput else float("nan")
    busy = f"; {load} other process(es) keeping a core busy each" if load else ""
    print(f"[{backend}] {count} check-ins, {how}{busy}:")
    for run in (echo, ours):
        print(
            f"    {run.label:9s} throughput {run.throughput:7.1f} updates/s   "
            f"p50 {run.pct(0.50):6.1f} ms   p95 {run.pct(0.95):6.1f} ms   "
            f"max {max(run.latencies) * 1000:7.1f} ms   answered {run.answered}/{count}"
        )
    target = (
        f"ratio of throughput to the echo bot {ratio:.3f} (target ≥ 0.6)"
        if mode == "burst"
        else f"chibot p95 {ours.pct(0.95):.1f} ms (target < 50 ms), "
        f"echo p95 {echo.pct(0.95):.1f} ms, ratio {ours.pct(0.95) / echo.pct(0.95):.2f}"
    )
    print(
        f"    {target}; successful check-in replies {ours.ok}/{count}; "
        f"generic error replies {ours.generic} (target 0); "
        f"lost check-ins {count - stored} (target 0)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--mode", choices=["spread", "burst", "arrival", "both", "all"], default="both"
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--load", type=int, default=0, help="processes keeping a core busy")
    args = parser.parse_args()
    chosen = backends() if args.backend == "all" else [args.backend]
    modes = {
        "both": ["spread", "burst"],
        "all": ["spread", "burst", "arrival"],
    }.get(args.mode, [args.mode])
    for backend in chosen:
        for mode in modes:
            asyncio.run(scenario(backend, mode, args.count, args.seconds, args.load))


if __name__ == "__main__":
    main()
