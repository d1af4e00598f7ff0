"""Restart benchmark: with N notifications pending in the outbox, how long does a starting bot
take until its schedule is rebuilt from the database (crash recovery + the wake-up job)?

Prints the time for N pending rows and, as the baseline measured in the same run, for an empty
outbox (target < 2 s).   python -m bench.restart [--count 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime, timedelta

import scheduler
from bench.common import backends, fresh_database, people_with_pending
from playground.harness import BotHarness


async def rebuild_seconds(url: str, engine: object) -> tuple[float, float, int]:
    """(seconds for the scheduler's rebuild, seconds for the whole start, jobs)."""
    harness = BotHarness(database_url=url, engine=engine)  # type: ignore[arg-type]
    begin = time.perf_counter()
    await harness.start()
    whole = time.perf_counter() - begin
    try:
        app = harness.app
        assert app is not None and app.job_queue is not None
        for job in app.job_queue.jobs():
            job.schedule_removal()
        start = time.perf_counter()
        await scheduler.start(app)
        elapsed = time.perf_counter() - start
        jobs = len(app.job_queue.jobs())
    finally:
        await harness.stop()
    return elapsed, whole, jobs


async def run(backend: str, count: int) -> None:
    async with fresh_database(backend) as (url, engine):
        empty, empty_whole, _ = await rebuild_seconds(url, engine)
        await people_with_pending(engine, count, 800_000, due=datetime.now(UTC) + timedelta(days=1))
        full, whole, jobs = await rebuild_seconds(url, engine)
    print(
        f"[{backend}] schedule rebuilt with {count} pending in {full * 1000:.1f} ms "
        f"(empty outbox: {empty * 1000:.1f} ms, ratio {full / max(empty, 1e-9):.2f}); "
        f"whole bot start {whole * 1000:.0f} ms (empty: {empty_whole * 1000:.0f} ms); "
        f"{jobs} scheduler jobs, none holding a message (target < 2 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    args = parser.parse_args()
    for backend in backends() if args.backend == "all" else [args.backend]:
        asyncio.run(run(backend, args.count))


if __name__ == "__main__":
    main()
