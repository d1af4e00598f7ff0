"""Fan-out on Zalo: N reminders through the real dispatcher and the Zalo sender to the local
Zalo Bot API stub, with ZALO_RATE_LIMIT kept (production settings: RATE_LIMIT on). The same
figures as bench.fanout: the achieved rate and its ratio to the configured limit (target
≥ 0.95, and never above it), lost and duplicated messages (target 0 and 0), and the 429
answers (the stub can inject some: --inject-429, each one must back off and still deliver).
The rate is measured from the first message the stub stored to the last (N − 1 intervals).
Every person has only a Zalo account (they used Zalo last), so every row goes through Zalo.

    python -m bench.zalo_fanout [--count 500] [--limit 10] [--inject-429 0] [--backend all]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bench.common import backends, fresh_database
from core.clock import SystemClock
from playground.zalo_harness import ZaloHarness
from services import outbox
from services.context import Ctx
from services.outbox import Planned
from storage.engine import make_session_factory
from storage.models import Channel, ChannelAccount, Person


@dataclass
class Result:
    backend: str
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
            f"[{self.backend}] zalo: {self.count} messages in {self.elapsed:6.1f} s, "
            f"{self.rate:6.2f} msg/s, ratio to the {self.limit:g}/s ZALO_RATE_LIMIT "
            f"{self.rate / self.limit:.3f} (target 0.95–1.0); lost {self.lost}, duplicated "
            f"{self.duplicated}, 429 answers {self.refused}"
        )


async def zalo_people_with_pending(engine: AsyncEngine, count: int) -> None:
    now = datetime.now(UTC)
    async with make_session_factory(engine)() as session:
        people = [Person(full_name=f"Đại biểu {i}", created_at=now) for i in range(count)]
        session.add_all(people)
        await session.flush()
        session.add_all(
            ChannelAccount(
                channel=Channel.ZALO,
                external_id=f"zb{i:018x}",
                person_id=p.id,
                created_at=now,
                last_seen_at=now,
            )
            for i, p in enumerate(people)
        )
        await outbox.plan(
            Ctx(session, SystemClock()),
            [
                Planned(
                    key=f"bench:{p.id}",
                    kind="reminder",
                    person_id=p.id,  # type: ignore[arg-type]
                    subject_type="session",
                    subject_id=1,
                    due_at=now,
                    msgid="Stopped. Nothing was changed.",
                    batch="bench",
                )
                for p in people
            ],
        )
        await session.commit()


async def run(backend: str, count: int, limit: float, inject_429: int) -> Result:
    async with fresh_database(backend) as (url, engine):
        await zalo_people_with_pending(engine, count)
        harness = ZaloHarness(
            database_url=url,
            engine=engine,
            migrate=False,
            settings_overrides={"rate_limit": True, "zalo_rate_limit": limit},
        )
        stub = harness.stub
        stored: list[float] = []
        original = stub._store

        def store(*args: Any, **kw: Any) -> Any:
            stored.append(time.perf_counter())
            return original(*args, **kw)

        stub._store = store  # type: ignore[method-assign]
        await harness.start()
        if inject_429:
            stub.fail_next("sendMessage", 429, times=inject_429)
        try:
            while len({m.chat_id for m in stub.sent}) < count:
                report = await harness.drain()
                if report.sent == 0:
                    await asyncio.sleep(0.2)  # rows backed off after a 429 are due shortly
            elapsed = stored[-1] - stored[0]
        finally:
            await harness.stop()
    per_chat = Counter(m.chat_id for m in stub.sent)
    refused = sum(1 for method, code, _ in stub.refused if method == "sendMessage" and code == 429)
    return Result(
        backend,
        count,
        elapsed,
        count - len(per_chat),
        sum(n - 1 for n in per_chat.values()),
        refused,
        limit,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--limit", type=float, default=10.0, help="ZALO_RATE_LIMIT, msg/s")
    parser.add_argument("--inject-429", type=int, default=0, help="429 answers to inject")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    args = parser.parse_args()
    chosen = backends() if args.backend == "all" else [args.backend]
    results = []
    for backend in chosen:
        result = asyncio.run(run(backend, args.count, args.limit, args.inject_429))
        print(result.line(), flush=True)
        results.append(result)
    worst = min(r.rate / r.limit for r in results)
    bad = sum(r.lost + r.duplicated for r in results)
    print(f"worst ratio {worst:.3f} (target ≥ 0.95); lost + duplicated {bad} (target 0)")


if __name__ == "__main__":
    main()
