"""Check-in burst on Zalo: N invited delegates type the session's 6-digit code to the real bot
through the local Zalo Bot API stub (long polling: one update per getUpdates call; or the
webhook: the stub POSTs each update). The baseline is the same bot on Telegram (Bot API stub,
`/diemdanh CODE`), fed the same N check-ins on the same schedule in the same run.

The same figures as bench.checkin_burst: throughput, p50/p95/max latency (injection → the
stub records the bot's reply to that chat), successful replies, generic error replies
(target 0) and lost check-ins (N − check-in rows; target 0).

    python -m bench.zalo_checkin [--count 300] [--seconds 20] [--receive both|polling|webhook]
                                 [--backend all|sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.checkin_burst import (
    FIRST_TID,
    GENERIC_ERROR,
    Run,
    build_world,
    count_checkins,
    even,
    run_ours,
)
from bench.common import backends, fresh_database
from playground.botapi_stub import BotApiStub
from playground.harness import TOKEN
from playground.zalo_harness import ZaloHarness
from playground.zalo_stub import ZaloStub
from storage.engine import make_session_factory
from storage.models import Channel, ChannelAccount

OK = "✅ Đã điểm danh"


def zalo_id(i: int) -> str:
    return f"zc{i:018x}"


async def give_zalo_accounts(engine: AsyncEngine, count: int) -> None:
    """Each delegate of build_world also has a Zalo account (used last)."""
    now = datetime.now(UTC)
    async with make_session_factory(engine)() as session:
        found = await session.exec(  # type: ignore[call-overload]
            text("SELECT id, telegram_id FROM person WHERE telegram_id >= :f").bindparams(
                f=FIRST_TID
            )
        )
        session.add_all(
            ChannelAccount(
                channel=Channel.ZALO,
                external_id=zalo_id(tid - FIRST_TID),
                person_id=pid,
                created_at=now,
                last_seen_at=now,
            )
            for pid, tid in found.all()
            if tid - FIRST_TID < count
        )
        await session.commit()


async def measure_zalo(stub: ZaloStub, code: str, count: int, at: list[float]) -> Run:
    injected: dict[str, float] = {}
    replied: dict[str, float] = {}
    first_text: dict[str, str] = {}
    original = stub._store

    def store(sent: Any) -> Any:
        if sent.chat_id not in replied:
            replied[sent.chat_id] = time.perf_counter()
            first_text[sent.chat_id] = sent.text or ""
        return original(sent)

    stub._store = store  # type: ignore[method-assign]
    users = [stub.user(zalo_id(i), f"ĐB{i}") for i in range(count)]
    start = time.perf_counter()
    for i, user in enumerate(users):
        delay = start + at[i] - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        injected[user.id] = time.perf_counter()
        stub.send_text(user, code)
    deadline = time.perf_counter() + max(at) + 180
    while len(replied) < count and time.perf_counter() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    stub._store = original  # type: ignore[method-assign]
    latencies = [replied[c] - injected[c] for c in injected if c in replied]
    elapsed = (max(replied.values()) - start) if replied else float("nan")
    ok = sum(1 for t in first_text.values() if t.startswith(OK))
    generic = sum(1 for t in first_text.values() if t.startswith(GENERIC_ERROR))
    return Run("chibot", latencies, elapsed, len(replied), ok, generic)


async def zalo_run(backend: str, receive: str, count: int, at: list[float]) -> tuple[Run, int]:
    async with fresh_database(backend) as (url, engine):
        world = await build_world(engine, count)
        await give_zalo_accounts(engine, count)
        harness = ZaloHarness(
            database_url=url,
            engine=engine,
            migrate=False,
            webhook=receive == "webhook",
            settings_overrides={"rate_limit": True},
        )
        await harness.start()
        try:
            run = await measure_zalo(harness.stub, world.code, count, at)
        finally:
            await harness.stop()
        return run, count - await count_checkins(engine, world.session_id)


async def telegram_run(backend: str, count: int, at: list[float]) -> tuple[Run, int]:
    async with fresh_database(backend) as (url, engine):
        world = await build_world(engine, count)
        texts = [f"/diemdanh {world.code}"] * count
        async with BotApiStub(TOKEN) as stub:
            run = await run_ours(stub, url, engine, True, texts, at)
        return run, count - await count_checkins(engine, world.session_id)


def line(label: str, run: Run, lost: int, count: int) -> str:
    return (
        f"    {label:18s} throughput {run.throughput:7.1f} updates/s   "
        f"p50 {run.pct(0.50):7.1f} ms   p95 {run.pct(0.95):7.1f} ms   "
        f"max {max(run.latencies, default=0) * 1000:7.1f} ms   answered {run.answered}/{count}   "
        f"ok {run.ok}   generic errors {run.generic} (target 0)   lost {lost} (target 0)"
    )


async def scenario(backend: str, receives: list[str], count: int, seconds: float) -> None:
    at = even(count, seconds)
    print(f"[{backend}] {count} check-ins by typed code, spread over {seconds:g} s:")
    base, base_lost = await telegram_run(backend, count, at)
    print(line("telegram (base)", base, base_lost, count), flush=True)
    for receive in receives:
        run, lost = await zalo_run(backend, receive, count, at)
        print(line(f"zalo {receive}", run, lost, count), flush=True)
        print(
            f"    zalo {receive}: p95 {run.pct(0.95):.1f} ms vs telegram {base.pct(0.95):.1f} ms "
            f"(ratio {run.pct(0.95) / base.pct(0.95):.2f}); throughput ratio "
            f"{run.throughput / base.throughput:.3f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--receive", choices=["both", "polling", "webhook"], default="both")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    args = parser.parse_args()
    receives = ["polling", "webhook"] if args.receive == "both" else [args.receive]
    for backend in backends() if args.backend == "all" else [args.backend]:
        asyncio.run(scenario(backend, receives, args.count, args.seconds))


if __name__ == "__main__":
    main()
