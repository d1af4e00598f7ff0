"""The outbox and its dispatcher: planned once, sent once when due, re-planned, and honest
about failures (blocked users, flood limits, crashes mid-request, moments that passed)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from core.clock import FrozenClock
from playground.harness import BotHarness
from services import outbox, people
from services.context import Ctx
from services.outbox import Button, Planned, dt_param, msg_param
from storage.engine import make_session_factory
from storage.models import Person
from storage.outbox import NoticeState, Notification


async def _people(
    bot: BotHarness, clock: FrozenClock, ids: list[int], locale: str = "vi"
) -> list[Person]:
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        found = [await people.ensure_person(ctx, i, locale) for i in ids]
        await session.commit()
        return found


async def _plan(bot: BotHarness, clock: FrozenClock, items: list[Planned]) -> int:
    async with make_session_factory(bot.engine)() as session:
        n = await outbox.plan(Ctx(session, clock), items)
        await session.commit()
        return n


async def _states(bot: BotHarness, clock: FrozenClock) -> dict[str, str]:
    async with make_session_factory(bot.engine)() as session:
        rows = (await session.exec(select(Notification))).all()
        return {r.key: r.state for r in rows}


def _note(
    key: str, person: Person, clock: FrozenClock, delay: timedelta = timedelta(0), **kw: object
) -> Planned:
    return Planned(
        key=key,
        kind="test",
        person_id=person.id,  # type: ignore[arg-type]
        subject_type="session",
        subject_id=7,
        due_at=clock.now() + delay,
        msgid="Stopped. Nothing was changed.",
        **kw,  # type: ignore[arg-type]
    )


async def test_planning_is_idempotent_and_sends_once_when_due(
    bot: BotHarness, clock: FrozenClock
) -> None:
    (p,) = await _people(bot, clock, [501])
    items = [_note("a", p, clock), _note("b", p, clock, timedelta(hours=2))]
    assert await _plan(bot, clock, items) == 2
    assert await _plan(bot, clock, items) == 0  # same keys: nothing new
    report = await bot.drain()
    assert report.sent == 1
    assert [m.text for m in bot.stub.messages_to(501)] == ["Đã dừng. Không có gì thay đổi."]
    assert (await bot.drain()).sent == 0  # nothing due any more
    clock.advance(timedelta(hours=2))
    assert (await bot.drain()).sent == 1
    assert len(bot.stub.messages_to(501)) == 2
    assert set((await _states(bot, clock)).values()) == {"sent"}


async def test_rendered_in_the_recipients_language_with_dates_and_buttons(
    bot: BotHarness, clock: FrozenClock
) -> None:
    vi, en = await _people(bot, clock, [511, 512])
    async with make_session_factory(bot.engine)() as session:
        en.locale = "en"
        session.add(en)
        await session.commit()
    when = clock.now() + timedelta(days=3)
    for person in (vi, en):
        await _plan(
            bot,
            clock,
            [
                Planned(
                    key=f"r{person.id}",
                    kind="test",
                    person_id=person.id,
                    subject_type="x",
                    subject_id=1,  # type: ignore[arg-type]
                    due_at=clock.now(),
                    msgid="{role}: {url}\n  used {uses}/{max_uses}, valid until {until}",
                    params={
                        "role": msg_param("Leader"),
                        "url": "u",
                        "uses": 1,
                        "max_uses": 2,
                        "until": dt_param(when),
                    },
                    buttons=((Button("✖ Cancel", "x:cancel"),),),
                )
            ],
        )
    await bot.drain()
    vi_msg, en_msg = bot.stub.messages_to(511)[0], bot.stub.messages_to(512)[0]
    assert (
        vi_msg.text
        == "Lãnh đạo: u\n  đã dùng 1/2, hiệu lực đến 09 giờ 00, thứ Năm, ngày 9 tháng 1 năm 2025"
    )
    assert en_msg.text == "Leader: u\n  used 1/2, valid until 09:00, Thursday, 9 January 2025"
    assert vi_msg.buttons == [("✖ Hủy", "x:cancel")] and en_msg.buttons == [
        ("✖ Cancel", "x:cancel")
    ]


async def test_cancelled_rows_never_go_out(bot: BotHarness, clock: FrozenClock) -> None:
    (p,) = await _people(bot, clock, [521])
    await _plan(bot, clock, [_note("old", p, clock, timedelta(hours=1))])
    async with make_session_factory(bot.engine)() as session:
        assert await outbox.cancel_pending(Ctx(session, clock), "session", 7) == 1
        await session.commit()
    clock.advance(timedelta(hours=3))
    assert (await bot.drain()).sent == 0
    assert bot.stub.messages_to(521) == []
    assert (await _states(bot, clock))["old"] == "cancelled"


async def test_blocked_user_is_recorded_and_not_retried(
    bot: BotHarness, clock: FrozenClock
) -> None:
    (p,) = await _people(bot, clock, [531])
    bot.stub.block_bot(531)
    await _plan(bot, clock, [_note("x", p, clock), _note("y", p, clock)])
    report = await bot.drain()
    assert report.failed == 2 and report.sent == 0
    async with make_session_factory(bot.engine)() as session:
        person = await session.get(Person, p.id)
        assert person is not None and person.blocked_bot
    assert set((await _states(bot, clock)).values()) == {"failed"}
    assert len(bot.stub.calls_to("sendMessage")) == 1  # the second was not even tried


async def test_flood_limit_is_honoured_then_sent(bot: BotHarness, clock: FrozenClock) -> None:
    (p,) = await _people(bot, clock, [541])
    bot.stub.fail_next("sendMessage", status=429, retry_after=40)
    await _plan(bot, clock, [_note("f", p, clock)])
    report = await bot.drain()
    assert report.retried == 1 and bot.stub.messages_to(541) == []
    clock.advance(timedelta(seconds=39))
    assert (await bot.drain()).sent == 0
    clock.advance(timedelta(seconds=2))
    assert (await bot.drain()).sent == 1
    assert len(bot.stub.messages_to(541)) == 1


async def test_a_moment_passed_is_dropped(bot: BotHarness, clock: FrozenClock) -> None:
    (p,) = await _people(bot, clock, [551])
    start = clock.now() + timedelta(hours=2)
    await _plan(
        bot,
        clock,
        [
            _note("late-but-useful", p, clock, useful_until=start),
            _note("too-late", p, clock, timedelta(minutes=30), useful_until=start),
        ],
    )
    clock.advance(timedelta(hours=3))  # the bot was down past the session's start
    report = await bot.drain()
    assert report.dropped == 2 and report.sent == 0
    states = await _states(bot, clock)
    assert states == {"late-but-useful": "dropped", "too-late": "dropped"}


async def test_rows_cut_mid_request_become_uncertain_and_are_not_resent(
    bot: BotHarness, clock: FrozenClock
) -> None:
    (p,) = await _people(bot, clock, [561])
    await _plan(bot, clock, [_note("cut", p, clock), _note("fine", p, clock)])
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        (first, *_) = await outbox.due_ids(ctx, 10)
        assert await outbox.claim(ctx, first) is not None  # then the process "dies"
        await session.commit()
    assert await bot.dispatcher.recover() == 1
    report = await bot.drain()
    assert report.sent == 1
    states = await _states(bot, clock)
    assert sorted(states.values()) == ["sent", "uncertain"]
    assert len(bot.stub.messages_to(561)) == 1
    async with make_session_factory(bot.engine)() as session:
        counts = await outbox.counts(Ctx(session, clock))
    assert counts[NoticeState.UNCERTAIN] == 1 and counts[NoticeState.SENT] == 1


async def test_organisers_see_the_outbox_others_do_not(bot: BotHarness, clock: FrozenClock) -> None:
    from tests.e2e_steps import admin_ready

    (p,) = await _people(bot, clock, [571])
    bot.stub.block_bot(571)
    await _plan(
        bot, clock, [_note("blocked", p, clock), _note("later", p, clock, timedelta(days=1))]
    )
    await bot.drain()
    admin = await admin_ready(bot)
    text = (await admin.send("/hangdoi"))[0].text or ""
    assert "• đang chờ gửi: 1" in text, text
    assert "• thất bại: 1" in text and "đã chặn trợ lý" in text, text
    stranger = bot.user(572, "Lan")
    reply = (await stranger.send("/hangdoi"))[0].text or ""
    assert "Chỉ Ban Tổ chức" in reply
