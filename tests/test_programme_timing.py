"""Issue 14, items 5, 7 and 8, through the outbox and the stub with the clock moved: what a
message says about time is counted when it is sent; after downtime only the latest of a
series goes out; the readers of a summary are those of the day it is due; a session that
took place counts as held."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from core.clock import FrozenClock
from core.i18n import Lang
from playground.harness import BotHarness
from services import checkin, invitations, participants, requirements, roles, sessions, summaries
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import ModelSession, Person, RequirementKind, Role, SessionKind, SessionStatus
from tests.test_plans_service import Org, at, build_org, new_plan, new_session


def _texts(bot: BotHarness, chat: int | None) -> list[str]:
    return [m.text or "" for m in bot.stub.messages_to(chat or 0)]


async def _with_requirement(bot: BotHarness, clock: FrozenClock) -> Org:
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        org = await build_org(ctx)
        await roles.add_membership(ctx, org.sec_b1, org.gb.id, Role.ORGANISER)  # type: ignore[arg-type]
        plan = await new_plan(ctx, org)
        await requirements.create_requirement(
            ctx,
            org.org_root,
            plan.id,  # type: ignore[arg-type]
            RequirementKind.REPORT_SESSIONS,
            date(2025, 2, 20),
            description="Báo cáo lịch 1 buổi thường kỳ",
            target_unit_ids=[org.gb.id],  # type: ignore[list-item]
            quota={SessionKind.THUONG_KY: 1},
        )
        await session.commit()
    await bot.drain()
    return org


async def test_a_chaser_sent_a_day_late_states_the_days_actually_left(
    bot: BotHarness, clock: FrozenClock
) -> None:
    org = await _with_requirement(bot, clock)
    before = len(_texts(bot, org.sec_b1.telegram_id))
    clock.set(at(18, 2, 9))  # the bot was down on the 17th, when the 3-day chaser was due
    await bot.drain()
    texts = _texts(bot, org.sec_b1.telegram_id)
    assert len(texts) == before + 1, texts[before:]
    assert "(sau 2 ngày)" in texts[-1] and "sau 3 ngày" not in texts[-1], texts[-1]


async def test_after_downtime_a_superseded_chaser_is_dropped(
    bot: BotHarness, clock: FrozenClock
) -> None:
    org = await _with_requirement(bot, clock)
    before = len(_texts(bot, org.sec_b1.telegram_id))
    clock.set(at(19, 2, 9))  # down across the 3-day chaser; the 1-day one is due now
    await bot.drain()
    new = _texts(bot, org.sec_b1.telegram_id)[before:]
    assert len(new) == 1 and "(ngày mai)" in new[0], new


async def _with_session(bot: BotHarness, clock: FrozenClock) -> tuple[Org, ModelSession]:
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        org = await build_org(ctx)
        plan = await new_plan(ctx, org)
        created = await new_session(
            ctx,
            org.sec_a1,
            plan,
            org.a1,
            at(10, 3, 8),
            venue="Hội trường X",
            address="Hội trường X",  # "same as the venue"
        )
        await participants.add_category(
            ctx,
            org.org_root,
            plan.id,  # type: ignore[arg-type]
            "Đại biểu",
            session_id=created.id,
            person_ids=[org.mem_a1.id],  # type: ignore[list-item]
        )
        await invitations.send(ctx, org.org_root, created.id)  # type: ignore[arg-type]
        await session.commit()
    await bot.drain()
    return org, created


async def test_after_downtime_one_session_reminder_and_the_venue_once(
    bot: BotHarness, clock: FrozenClock
) -> None:
    org, _ = await _with_session(bot, clock)
    clock.set(at(10, 3, 6) + timedelta(minutes=5))  # down across the 1-day reminder
    await bot.drain()
    reminders = [t for t in _texts(bot, org.mem_a1.telegram_id) if "Nhắc lịch" in t]
    assert len(reminders) == 1, reminders
    assert reminders[0].count("Hội trường X") == 1, reminders[0]


async def _check_in(bot: BotHarness, clock: FrozenClock, org: Org, meeting: ModelSession) -> None:
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        config = await checkin.open_checkin(ctx, org.org_root, meeting.id)  # type: ignore[arg-type]
        await session.commit()
    clock.set(at(10, 3, 8))
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        await checkin.check_in(ctx, org.mem_a1, token=config.token)
        await session.commit()


async def test_a_leader_who_joins_late_receives_the_summary(
    bot: BotHarness, clock: FrozenClock
) -> None:
    org, meeting = await _with_session(bot, clock)
    await _check_in(bot, clock, org, meeting)
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        late = Person(telegram_id=77, full_name="Đinh Văn Mới", created_at=clock.now())
        session.add(late)
        await session.flush()
        await roles.add_membership(ctx, late, org.root.id, Role.LEADER)  # type: ignore[arg-type]
        await session.commit()
    clock.set(at(10, 3, 10) + timedelta(days=8))  # feedback closed (7 days by default)
    await bot.drain()
    await bot.drain()  # rows for late joiners are due at once
    assert any("Khoa Toán" in t for t in _texts(bot, org.leader_root.telegram_id))
    assert any("Khoa Toán" in t for t in _texts(bot, 77)), _texts(bot, 77)
    await bot.drain()
    assert sum("Khoa Toán" in t for t in _texts(bot, 77)) == 1  # once


async def test_a_session_with_check_ins_is_held_once_it_ends(
    bot: BotHarness, clock: FrozenClock
) -> None:
    org, meeting = await _with_session(bot, clock)
    await _check_in(bot, clock, org, meeting)
    clock.set(at(10, 3, 9))  # under way: not held yet
    await bot.drain()
    async with make_session_factory(bot.engine)() as session:
        found = await session.get(ModelSession, meeting.id)
        assert found is not None and found.status == SessionStatus.SCHEDULED
    clock.set(at(10, 3, 10) + timedelta(minutes=1))  # ended; the feedback request goes out
    await bot.drain()
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        found = await session.get(ModelSession, meeting.id)
        assert found is not None and found.status == SessionStatus.HELD
        summary = await summaries.plan_summary(ctx, org.leader_root, meeting.plan_id)
    text = summaries.render_plan_summary(Lang("vi"), summary)
    assert "đã tổ chức 1" in text and "đã lên lịch 0" in text, text


async def test_the_plan_summary_counts_a_session_that_took_place(
    bot: BotHarness, clock: FrozenClock
) -> None:
    """Even before the scheduler has looked (its rows not yet due or the bot down)."""
    org, meeting = await _with_session(bot, clock)
    await _check_in(bot, clock, org, meeting)
    clock.set(at(10, 3, 10) + timedelta(minutes=1))
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        summary = await summaries.plan_summary(ctx, org.leader_root, meeting.plan_id)
        await session.commit()
    assert summary.statuses[SessionStatus.HELD] == 1
    assert summary.statuses[SessionStatus.SCHEDULED] == 0


async def test_organisers_mark_held_or_not_held_by_hand(
    bot: BotHarness, clock: FrozenClock
) -> None:
    org, meeting = await _with_session(bot, clock)
    clock.set(at(10, 3, 11))  # nobody checked in: nothing is held on its own
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        assert await sessions.hold_ended(ctx, plan_id=meeting.plan_id) == []
        await sessions.mark_held(ctx, org.org_root, meeting.id, reason="Điểm danh trên giấy")  # type: ignore[arg-type]
        await session.commit()
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        outcome = await sessions.mark_not_held(ctx, org.org_root, meeting.id, "Hoãn vì bão")  # type: ignore[arg-type]
        await session.commit()
        assert outcome.value.status == SessionStatus.CANCELLED
        assert outcome.value.cancel_reason == "Hoãn vì bão"
        summary = await summaries.plan_summary(ctx, org.leader_root, meeting.plan_id)
        assert summary.statuses[SessionStatus.HELD] == 0
    async with make_session_factory(bot.engine)() as session:
        history = (
            await session.exec(
                select(ModelSession).where(ModelSession.id == meeting.id)  # still there
            )
        ).one()
        assert history.status == SessionStatus.CANCELLED
