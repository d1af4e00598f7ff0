"""Before a session: reminders to invitees who have not declined (1 day and 2 hours before)
and the host's checklist; after it: a feedback request to those who checked in and one nudge.
Reschedule, cancel and declining re-plan, so no stale reminder ever goes out."""

from __future__ import annotations

from datetime import timedelta

from core.clock import FrozenClock
from playground.harness import BotHarness
from services import checkin, invitations, participants, sessions
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import ModelSession
from tests.test_plans_service import Org, at, build_org, new_plan, new_session


async def _setup(bot: BotHarness, clock: FrozenClock) -> tuple[Org, ModelSession, list[int]]:
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        org = await build_org(ctx)
        plan = await new_plan(ctx, org)
        created = await new_session(
            ctx, org.sec_a1, plan, org.a1, at(10, 3, 8), venue="Hội trường A", address="1 Lê Lợi"
        )
        delegates = [org.mem_a1, org.sec_b1, org.mem_b1]
        await participants.add_category(
            ctx,
            org.org_root,
            plan.id,
            "Đại biểu",  # type: ignore[arg-type]
            session_id=created.id,
            person_ids=[p.id for p in delegates],  # type: ignore[misc]
        )
        sent = await invitations.send(ctx, org.org_root, created.id)  # type: ignore[arg-type]
        await session.commit()
        return org, created, sent.value


def _count(bot: BotHarness, chat: int | None, needle: str) -> int:
    return sum(needle in (m.text or "") for m in bot.stub.messages_to(chat or 0))


async def test_reminders_follow_answers_and_reschedules(
    bot: BotHarness, clock: FrozenClock
) -> None:
    org, meeting, invitation_ids = await _setup(bot, clock)
    await bot.drain()  # notices of the session's creation
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        # Ngô Thị Giang declines: she is not reminded.
        await invitations.answer(ctx, org.mem_b1, invitation_ids[2], False, "Đi công tác")
        await session.commit()
    clock.set(at(9, 3, 8))  # one day before
    await bot.drain()
    assert _count(bot, org.mem_a1.telegram_id, "Nhắc lịch") == 1
    assert _count(bot, org.sec_b1.telegram_id, "Nhắc lịch") == 1
    assert _count(bot, org.mem_b1.telegram_id, "Nhắc lịch") == 0
    checklist = [m.text or "" for m in bot.stub.messages_to(org.sec_a1.telegram_id or 0)]
    assert any("chưa nộp" in t and "Hội trường" not in t for t in checklist), checklist

    # Moved a week later: the 2-hour reminder of the old time never arrives.
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        await sessions.reschedule_session(
            ctx, org.sec_a1, meeting.id, at(17, 3, 8), reason="Trùng lịch"
        )  # type: ignore[arg-type]
        await session.commit()
    clock.set(at(10, 3, 6) + timedelta(minutes=1))
    await bot.drain()
    assert _count(bot, org.mem_a1.telegram_id, "Nhắc lịch") == 1
    clock.set(at(16, 3, 8))
    await bot.drain()
    clock.set(at(17, 3, 6))
    await bot.drain()
    assert _count(bot, org.mem_a1.telegram_id, "Nhắc lịch") == 3
    assert _count(bot, org.mem_b1.telegram_id, "Nhắc lịch") == 0


async def test_cancelled_session_reminds_nobody(bot: BotHarness, clock: FrozenClock) -> None:
    org, meeting, _ = await _setup(bot, clock)
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        await sessions.cancel_session(ctx, org.sec_a1, meeting.id, "Bão")  # type: ignore[arg-type]
        await session.commit()
    await bot.drain()
    clock.set(at(10, 3, 7))
    await bot.drain()
    assert _count(bot, org.mem_a1.telegram_id, "Nhắc lịch") == 0
    assert _count(bot, org.sec_a1.telegram_id, "Danh mục") == 0


async def test_feedback_request_after_the_session_to_those_who_came(
    bot: BotHarness, clock: FrozenClock
) -> None:
    org, meeting, _ = await _setup(bot, clock)
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        config = await checkin.open_checkin(ctx, org.org_root, meeting.id)  # type: ignore[arg-type]
        await session.commit()
    clock.set(at(10, 3, 8))
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        await checkin.check_in(ctx, org.mem_a1, token=config.token)
        await session.commit()
    clock.set(at(10, 3, 10) + timedelta(minutes=1))  # 120 minutes after the start
    await bot.drain()
    requests = [
        m for m in bot.stub.messages_to(org.mem_a1.telegram_id or 0) if "góp ý" in (m.text or "")
    ]
    assert len(requests) == 1 and requests[0].buttons == [("✍️ Góp ý", f"fb:{meeting.id}")]
    assert _count(bot, org.sec_b1.telegram_id, "góp ý") == 0  # did not come
    clock.set(at(11, 3, 11))
    await bot.drain()
    nudges = [
        m for m in bot.stub.messages_to(org.mem_a1.telegram_id or 0) if "góp ý" in (m.text or "")
    ]
    assert len(nudges) == 2


async def test_invitees_hear_of_a_reschedule(bot: BotHarness, clock: FrozenClock) -> None:
    org, meeting, _ = await _setup(bot, clock)
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        moved = await sessions.reschedule_session(ctx, org.sec_a1, meeting.id, at(17, 3, 8))  # type: ignore[arg-type]
        await session.commit()
    told = [n.person_id for n in moved.notices]
    # Bùi Văn Em is invited from another đảng bộ: he learns of the move too, once.
    assert told.count(org.sec_b1.id) == 1  # type: ignore[arg-type]
    assert org.sec_a1.id not in told  # the one who moved it


async def test_summary_goes_to_leaders_when_the_plans_feedback_period_ends(
    bot: BotHarness, clock: FrozenClock
) -> None:
    from services import feedback

    org, meeting, _ = await _setup(bot, clock)
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        config = await checkin.open_checkin(ctx, org.org_root, meeting.id)  # type: ignore[arg-type]
        await feedback.configure(ctx, org.org_root, meeting.plan_id, feedback_days=5)
        await session.commit()
    clock.set(at(10, 3, 8))
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        await checkin.check_in(ctx, org.mem_a1, token=config.token)
        await session.commit()
    leader = org.leader_root.telegram_id or 0
    clock.set(at(13, 3, 11))  # 3 days after the end: the plan keeps feedback open for 5
    await bot.drain()
    assert not [m for m in bot.stub.messages_to(leader) if m.kind == "photo"]
    clock.set(at(15, 3, 10) + timedelta(minutes=1))
    await bot.drain()
    texts = [m.text or "" for m in bot.stub.messages_to(leader) if m.kind == "text"]
    assert any("Hội trường A" in t or "Khoa Toán" in t for t in texts[-1:]), texts[-1:]
    assert len(bot.stub.messages_to(org.mem_a1.telegram_id or 0)) >= 2  # request and nudge


async def test_an_edit_keeps_reminders_with_the_new_words(
    bot: BotHarness, clock: FrozenClock
) -> None:
    org, meeting, _ = await _setup(bot, clock)
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        await sessions.update_session(ctx, org.sec_a1, meeting.id, venue="Phòng họp tầng 3")  # type: ignore[arg-type]
        await session.commit()
    clock.set(at(9, 3, 8))
    await bot.drain()
    reminders = [
        m.text or ""
        for m in bot.stub.messages_to(org.mem_a1.telegram_id or 0)
        if "Nhắc lịch" in (m.text or "")
    ]
    assert len(reminders) == 1 and "Phòng họp tầng 3" in reminders[0]


async def test_reminder_offsets_come_from_the_settings(
    database_url: str, engine: object, clock: FrozenClock
) -> None:
    harness = BotHarness(
        database_url=database_url,
        engine=engine,  # type: ignore[arg-type]
        clock=clock,
        migrate=False,
        settings_overrides={"reminder_offsets_minutes": [30]},
    )
    await harness.start()
    try:
        org, _, _ = await _setup(harness, clock)
        clock.set(at(9, 3, 8))  # a day before: no 1-day reminder is planned any more
        await harness.drain()
        assert _count(harness, org.mem_a1.telegram_id, "Nhắc lịch") == 0
        clock.set(
            at(
                10,
                3,
                7,
            )
            + timedelta(minutes=30)
        )
        await harness.drain()
        assert _count(harness, org.mem_a1.telegram_id, "Nhắc lịch") == 1
    finally:
        await harness.stop()
        from services import reminders

        reminders.POLICY.reminder_offsets = (timedelta(days=1), timedelta(hours=2))
