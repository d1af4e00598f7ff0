"""Summary benchmark: a plan with 500 sessions and 50,000 invitations (about 36,000 check-ins,
14,500 feedback and 72,000 ratings, 50 units with a requirement each), bulk-inserted with SQL.
Prints the time of one plan summary (target < 0.5 s) and its peak Python memory (tracemalloc),
and the same for one session's summary, on SQLite and, when TEST_DATABASE_URL (or
BENCH_DATABASE_URL) is set, on PostgreSQL.

    python -m bench.summary [--sessions 500] [--invitees 100] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

import services.reactions  # noqa: F401  (wires the reactions, as start-up does)
from bench.common import backends, fresh_database
from core.clock import FrozenClock
from services import plans, requirements, roles, summaries, units
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import (
    CheckIn,
    Feedback,
    FeedbackRating,
    Invitation,
    ModelSession,
    Person,
    RequirementKind,
    RequirementTarget,
    Role,
    TargetStatus,
    UnitKind,
)

NOW = datetime(2025, 10, 1, 2, 0, tzinfo=UTC)  # the last ~55 sessions are still ahead
CHUNK = 5_000
CRITERIA = ("preparation", "procedure", "content", "discussion", "closing")


async def _bulk(ctx: Ctx, table: Any, rows: list[dict[str, Any]]) -> None:
    """Plain SQL INSERTs, many rows per statement (no ORM objects)."""
    connection = await ctx.session.connection()
    for start in range(0, len(rows), CHUNK):
        await connection.execute(insert(table), rows[start : start + CHUNK])


async def build(engine: AsyncEngine, sessions: int, invitees: int) -> tuple[int, int, int]:
    """(organiser id, plan id, id of one held session)."""
    rng = random.Random(2025)
    clock = FrozenClock(datetime(2025, 1, 2, 2, 0, tzinfo=UTC))
    async with make_session_factory(engine)() as session:
        ctx = Ctx(session, clock)
        root = await units.ensure_root(ctx, "Đảng ủy Khối")
        organiser = Person(telegram_id=1, full_name="Trần Văn Tổ", created_at=clock.now())
        session.add(organiser)
        await session.flush()
        await roles.add_membership(ctx, organiser, root.id, Role.ORGANISER)  # type: ignore[arg-type]
        cells = []
        for g in range(5):
            grassroots = await units.create_unit(
                ctx,
                organiser,
                root.id,
                f"Đảng bộ {g + 1:02d}",
                UnitKind.GRASSROOTS,  # type: ignore[arg-type]
            )
            for c in range(10):
                cells.append(
                    await units.create_unit(
                        ctx,
                        organiser,
                        grassroots.id,  # type: ignore[arg-type]
                        f"Chi bộ {g + 1:02d}.{c + 1:02d}",
                        UnitKind.CELL,
                    )
                )
        plan = await plans.create_plan(
            ctx,
            organiser,
            root.id,
            number="82-KH/ĐU",
            title="Sinh hoạt chi bộ mẫu năm 2025",  # type: ignore[arg-type]
        )
        await plans.issue_plan(ctx, organiser, plan.id)  # type: ignore[arg-type]
        requirement = (
            await requirements.create_requirement(
                ctx,
                organiser,
                plan.id,  # type: ignore[arg-type]
                RequirementKind.DOCUMENT,
                date(2025, 6, 30),
                description="Gửi bài tham luận",
                target_unit_ids=[c.id for c in cells],  # type: ignore[misc]
            )
        ).value
        await ctx.session.exec(  # type: ignore[call-overload]
            update(RequirementTarget)
            .where(col(RequirementTarget.requirement_id) == requirement.id)
            .where(col(RequirementTarget.unit_id).in_([c.id for c in cells[:30]]))
            .values(
                status=TargetStatus.SUBMITTED.value, submitted_at=datetime(2025, 6, 1, tzinfo=UTC)
            )
        )
        pool = 1_000
        await _bulk(
            ctx,
            Person,
            [
                {
                    "telegram_id": 10_000 + i,
                    "full_name": f"Đảng viên {i:04d}",
                    "position": "",
                    "blocked_bot": False,
                    "created_at": clock.now(),
                }
                for i in range(pool)
            ],
        )
        first_person = organiser.id + 1  # type: ignore[operator]
        start = datetime(2025, 2, 1, 1, 0, tzinfo=UTC)
        session_rows = []
        for s in range(sessions):
            when = start + timedelta(hours=13 * s)
            status = "held" if when < NOW else "scheduled"
            if s % 50 == 7:
                status = "cancelled"
            tentative = s % 100 == 99
            session_rows.append(
                {
                    "plan_id": plan.id,
                    "kind": "thuong_ky" if s % 3 else "chuyen_de",
                    "topic": None if s % 3 else "Học tập và làm theo tư tưởng Hồ Chí Minh",
                    "host_unit_id": cells[s % len(cells)].id,
                    "starts_at": None if tentative else when,
                    "tentative_year": 2026 if tentative else None,
                    "tentative_month": 3 if tentative else None,
                    "duration_minutes": 120,
                    "venue": "Hội trường",
                    "address": "",
                    "status": "tentative" if tentative else status,
                    "content_status": "approved",
                    "created_at": clock.now(),
                    "updated_at": clock.now(),
                }
            )
        await _bulk(ctx, ModelSession, session_rows)
        first_session = (
            await ctx.session.exec(
                select(func.min(ModelSession.id)).where(ModelSession.plan_id == plan.id)
            )
        ).one()
        invitations, checkins, feedback_rows, ratings = [], [], [], []
        feedback_id = 0
        for s, row in enumerate(session_rows):
            sid = first_session + s
            when = row["starts_at"]
            held = row["status"] == "held"
            for k in rng.sample(range(pool), invitees):
                pid = first_person + k
                roll = rng.random()
                status = "accepted" if roll < 0.85 else "declined" if roll < 0.9 else "invited"
                invitations.append(
                    {
                        "session_id": sid,
                        "person_id": pid,
                        "status": status,
                        "decline_reason": "Đi công tác" if status == "declined" else None,
                        "invited_at": clock.now(),
                    }
                )
                if not held or status != "accepted" or rng.random() > 0.98:
                    continue
                checkins.append(
                    {
                        "session_id": sid,
                        "person_id": pid,
                        "at": when,
                        "late": rng.random() < 0.05,
                        "method": "qr",
                        "guest": False,
                    }
                )
                if rng.random() < 0.4:
                    feedback_id += 1
                    feedback_rows.append(
                        {
                            "id": feedback_id,
                            "session_id": sid,
                            "person_id": pid,
                            "overall": rng.choice((4, 4, 3, 3, 2, 1)),
                            "went_well": "Chuẩn bị chu đáo" if rng.random() < 0.3 else None,
                            "shortcomings": "Thời gian ngắn" if rng.random() < 0.2 else None,
                            "proposals": None,
                            "revisions": 0,
                            "created_at": when,
                            "updated_at": when,
                        }
                    )
                    ratings += [
                        {
                            "feedback_id": feedback_id,
                            "session_id": sid,
                            "criterion": key,
                            "value": rng.choice((4, 4, 4, 3, 3, 2)),
                        }
                        for key in CRITERIA
                    ]
        await _bulk(ctx, Invitation, invitations)
        await _bulk(ctx, CheckIn, checkins)
        await _bulk(ctx, Feedback, feedback_rows)
        await _bulk(ctx, FeedbackRating, ratings)
        await session.commit()
        print(
            f"  built: {sessions} sessions, {len(invitations)} invitations, {len(checkins)} "
            f"check-ins, {len(feedback_rows)} feedback, {len(ratings)} ratings, 50 units"
        )
        return organiser.id, plan.id, first_session  # type: ignore[return-value]


async def measure(
    engine: AsyncEngine, call: Callable[[Ctx], Awaitable[Any]], runs: int
) -> tuple[float, float, int]:
    """(median seconds, best seconds, peak bytes) of `call` on a fresh database session each."""
    clock = FrozenClock(NOW)
    times = []
    for _ in range(runs):
        async with make_session_factory(engine)() as session:
            begin = time.perf_counter()
            await call(Ctx(session, clock))
            times.append(time.perf_counter() - begin)
    async with make_session_factory(engine)() as session:
        tracemalloc.start()
        await call(Ctx(session, clock))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return statistics.median(times), min(times), peak


async def run(backend: str, sessions: int, invitees: int, runs: int) -> None:
    async with fresh_database(backend) as (_url, engine):
        print(f"[{backend}]")
        began = time.perf_counter()
        organiser_id, plan_id, session_id = await build(engine, sessions, invitees)
        print(f"  bulk insert: {time.perf_counter() - began:.1f} s")

        async def plan_call(ctx: Ctx) -> summaries.PlanSummary:
            actor = await ctx.session.get(Person, organiser_id)
            return await summaries.plan_summary(ctx, actor, plan_id)  # type: ignore[arg-type]

        async def session_call(ctx: Ctx) -> summaries.SessionSummary:
            return await summaries.build_session_summary(ctx, session_id)

        median, best, peak = await measure(engine, plan_call, runs)
        async with make_session_factory(engine)() as session:
            summary = await plan_call(Ctx(session, FrozenClock(NOW)))
        verdict = "OK" if median < 0.5 else "SLOW"
        print(
            f"  plan summary: median {median * 1000:.0f} ms, best {best * 1000:.0f} ms over "
            f"{runs} runs; peak memory {peak / 1024:.0f} KiB  [{verdict}: target < 500 ms]"
        )
        print(
            f"    ({len(summary.lines)} sessions held, {summary.turnout.invited} invited, "
            f"{summary.turnout.present} present, {summary.feedback_count} feedback, "
            f"average score {summary.average_score})"
        )
        median, best, peak = await measure(engine, session_call, runs)
        print(
            f"  session summary: median {median * 1000:.0f} ms, best {best * 1000:.0f} ms; "
            f"peak memory {peak / 1024:.0f} KiB"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--invitees", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    args = parser.parse_args()
    for backend in backends() if args.backend == "all" else [args.backend]:
        asyncio.run(run(backend, args.sessions, args.invitees, args.runs))


if __name__ == "__main__":
    main()
