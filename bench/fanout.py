"""Fan-out benchmark: N reminders through the real dispatcher and bot (production settings:
rate limiter on, OUTBOX_IN_FLIGHT requests in flight) to the Bot API stub, which allows 30
messages/s (429 above that) and answers every call after a simulated round trip.

For each round trip (default sweep 0, 50, 100 and 250 ms) it prints the achieved rate and its
ratio to the limit (target ≥ 0.95), lost and duplicated messages (target 0 and 0) and the 429
answers, on SQLite and (with BENCH_DATABASE_URL or TEST_DATABASE_URL) PostgreSQL. The rate is
measured from the first message the stub stored to the last (N - 1 intervals), so the bot's
own start (getMe, setMyCommands: a few round trips) is left out.

    python -m bench.fanout [--count 2000] [--rtt-ms 250 | --rtt-sweep 0,50,100,250]
                           [--jitter-ms 20] [--limit 30] [--in-flight 16] [--backend all]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bench.common import backends, fresh_database, people_with_pending
from playground.harness import BotHarness

FIRST = 900_000
DEFAULT_SWEEP = "0,50,100,250"


@dataclass
class Result:
    backend: str
    rtt_ms: float
    count: int
    elapsed: float
    lost: int
    duplicated: int
    refused: int
    limit: float

    @property
    def rate(self) -> float:
        return (self.count - 1) / self.elapsed if self.elapsed > 0 else 0.0

    def line(self) -> str:
        return (
            f"[{self.backend}] rtt {self.rtt_ms:5g} ms: {self.count} messages in "
            f"{self.elapsed:6.1f} s, {self.rate:6.2f} msg/s, ratio to the {self.limit:g}/s limit "
            f"{self.rate / self.limit:.3f} (target ≥ 0.95); lost {self.lost}, duplicated "
            f"{self.duplicated}, 429 answers {self.refused}"
        )


async def run(
    backend: str, count: int, limit: float, rtt_ms: float, jitter_ms: float, in_flight: int | None
) -> Result:
    overrides: dict[str, object] = {"rate_limit": True}
    if in_flight:
        overrides["outbox_in_flight"] = in_flight
    async with fresh_database(backend) as (url, engine):
        await people_with_pending(engine, count, FIRST)
        harness = BotHarness(database_url=url, engine=engine, settings_overrides=overrides)
        await harness.stub.start()
        harness.stub.set_rate_limit(limit)
        harness.stub.set_delay(rtt_ms, jitter_ms)
        harness._own_stub = False
        stored: list[float] = []
        original = harness.stub.store_sent

        def store_sent(*args: Any, **kw: Any) -> Any:
            stored.append(time.perf_counter())
            return original(*args, **kw)

        harness.stub.store_sent = store_sent  # type: ignore[method-assign]
        await harness.start()
        try:
            while len({m.chat_id for m in harness.stub.sent}) < count:
                report = await harness.drain()
                if report.sent == 0:
                    await asyncio.sleep(0.2)  # flood-limit retries are due a moment later
            elapsed = stored[-1] - stored[0]
        finally:
            await harness.stop()
            await harness.stub.stop()
    per_chat = Counter(m.chat_id for m in harness.stub.sent)
    refused = sum(1 for method, _ in harness.stub.calls if method == "sendMessage") - len(
        harness.stub.sent
    )
    return Result(
        backend,
        rtt_ms,
        count,
        elapsed,
        count - len(per_chat),
        sum(n - 1 for n in per_chat.values()),
        refused,
        limit,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000, help="messages per round trip")
    parser.add_argument("--limit", type=float, default=30.0)
    parser.add_argument("--rtt-ms", type=float, default=None, help="one round trip only")
    parser.add_argument("--rtt-sweep", default=DEFAULT_SWEEP, help="round trips, ms, comma-sep.")
    parser.add_argument("--jitter-ms", type=float, default=0.0)
    parser.add_argument("--in-flight", type=int, default=None, help="OUTBOX_IN_FLIGHT")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    args = parser.parse_args()
    chosen = backends() if args.backend == "all" else [args.backend]
    rtts = (
        [args.rtt_ms]
        if args.rtt_ms is not None
        else [float(x) for x in args.rtt_sweep.split(",") if x.strip()]
    )
    results = []
    for backend in chosen:
        for rtt in rtts:
            result = asyncio.run(
                run(backend, args.count, args.limit, rtt, args.jitter_ms, args.in_flight)
            )
            print(result.line(), flush=True)
            results.append(result)
    worst = min(r.rate / r.limit for r in results)
    bad = sum(r.lost + r.duplicated for r in results)
    print(f"worst ratio {worst:.3f} (target ≥ 0.95); lost + duplicated {bad} (target 0)")


if __name__ == "__main__":
    main()
