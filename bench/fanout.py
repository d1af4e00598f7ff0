"""Fan-out benchmark: N reminders through the real dispatcher and bot (with its rate limiter)
to the Bot API stub, which allows 30 messages/s and answers 429 above that.

Prints the achieved rate as a ratio of the limit (target ≥ 0.95), and lost and duplicated
messages (target 0 and 0).   python -m bench.fanout [--count 10000] [--limit 30]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter

from bench.common import backends, fresh_database, people_with_pending
from playground.harness import BotHarness

FIRST = 900_000


async def run(backend: str, count: int, limit: float) -> None:
    async with fresh_database(backend) as (url, engine):
        await people_with_pending(engine, count, FIRST)
        harness = BotHarness(
            database_url=url, engine=engine, settings_overrides={"rate_limit": True}
        )
        await harness.stub.start()
        harness.stub.set_rate_limit(limit)
        harness._own_stub = False
        start = time.perf_counter()
        await harness.start()
        try:
            while len({m.chat_id for m in harness.stub.sent}) < count:
                report = await harness.drain()
                if report.sent == 0:
                    await asyncio.sleep(0.2)  # flood-limit retries are due a moment later
            elapsed = time.perf_counter() - start
        finally:
            await harness.stop()
            await harness.stub.stop()
    per_chat = Counter(m.chat_id for m in harness.stub.sent)
    refused = sum(1 for method, _ in harness.stub.calls if method == "sendMessage") - len(
        harness.stub.sent
    )
    rate = count / elapsed
    print(
        f"[{backend}] fan-out of {count}: {elapsed:.1f} s, {rate:.2f} msg/s, "
        f"ratio to the {limit:g}/s limit {rate / limit:.3f} (target ≥ 0.95); "
        f"lost {count - len(per_chat)}, duplicated {sum(n - 1 for n in per_chat.values())}, "
        f"429 answers {refused}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=30.0)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    args = parser.parse_args()
    chosen = backends() if args.backend == "all" else [args.backend]
    for backend in chosen:
        asyncio.run(run(backend, args.count, args.limit))


if __name__ == "__main__":
    main()
