"""Deadline chasers (3 days, 1 day, on the day), the overdue notice and the late-units digest:
planned with the requirement, sent when due, and never sent to a unit that has delivered."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from core.clock import FrozenClock
from playground.harness import BotHarness
from services import requirements, roles, sessions
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import RequirementKind, Role, SessionKind
from storage.outbox import Notification
from tests.test_plans_service import Org, at, build_org, new_plan


async def _setup(bot: BotHarness, clock: FrozenClock) -> Org:
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        org = await build_org(ctx)
        # Đảng bộ B's office answers for it (as Phạm Văn Tổ does for A).
        await roles.add_membership(ctx, org.sec_b1, org.gb.id, Role.ORGANISER)  # type: ignore[arg-type]
        plan = await new_plan(ctx, org)
        await requirements.create_requirement(
            ctx,
            org.org_root,
            plan.id,  # type: ignore[arg-type]
            RequirementKind.REPORT_SESSIONS,
            date(2025, 2, 20),
            description="Báo cáo lịch 1 buổi thường kỳ",
            target_unit_ids=[org.ga.id, org.gb.id],  # type: ignore[list-item]
            quota={SessionKind.THUONG_KY: 1},
        )
        await session.commit()
        return org


def _texts(bot: BotHarness, chat: int) -> list[str]:
    return [m.text or "" for m in bot.stub.messages_to(chat)]


async def test_chasers_overdue_and_digest(bot: BotHarness, clock: FrozenClock) -> None:
    org = await _setup(bot, clock)
    sec_a, sec_b = org.org_ga.telegram_id, org.sec_b1.telegram_id
    assert sec_a and sec_b
    async with make_session_factory(bot.engine)() as session:
        kinds = [n.kind for n in (await session.exec(select(Notification))).all()]
    assert kinds.count("overdue") >= 2 and kinds.count("late_digest") >= 1
    await bot.drain()  # the issue notices of the plan and the requirement, nothing else
    before_a = len(_texts(bot, sec_a))

    clock.set(at(17, 2, 8))  # 3 days before, 08:00
    await bot.drain()
    assert "(sau 3 ngày)" in _texts(bot, sec_a)[-1] and "Đảng bộ Trường A" in _texts(bot, sec_a)[-1]
    assert "(sau 3 ngày)" in _texts(bot, sec_b)[-1]
    assert len(_texts(bot, sec_a)) == before_a + 1

    # Unit A delivers: its secretary of a chi bộ reports the session.
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        await sessions.create_session(
            ctx,
            org.sec_a1,
            1,
            org.a1.id,
            SessionKind.THUONG_KY,
            at(10, 3, 8),  # type: ignore[arg-type]
        )
        await session.commit()
    await bot.drain()
    count_a = len(_texts(bot, sec_a))

    clock.set(at(19, 2, 8))
    await bot.drain()
    assert "(ngày mai)" in _texts(bot, sec_b)[-1]
    assert len(_texts(bot, sec_a)) == count_a  # delivered: no more chasers for A
    clock.set(at(20, 2, 8))
    await bot.drain()
    assert "(hôm nay)" in _texts(bot, sec_b)[-1]

    clock.set(at(21, 2, 8) + timedelta(minutes=1))
    await bot.drain()
    assert _texts(bot, sec_b)[-1].startswith("Quá hạn")
    assert len(_texts(bot, sec_a)) == count_a
    digest = _texts(bot, org.org_root.telegram_id)[-1]  # type: ignore[arg-type]
    assert "1/2" in digest or "1 trên 2" in digest, digest
    assert "Đảng bộ Bệnh viện B" in digest and "Đảng bộ Trường A" not in digest.split(":")[-2]

    # Nothing is ever sent twice.
    clock.advance(timedelta(days=3))
    sent_before = len(bot.stub.sent)
    await bot.drain()
    assert len(bot.stub.sent) == sent_before
