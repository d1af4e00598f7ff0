"""End to end against the Telegram-strict stub (issue 16): long lists and texts are never
refused by Telegram, double taps and old buttons are acknowledged quietly, refused input
changes nothing, /huy ends whatever is open, hints say what was wrong, and forged presses
get the "button no longer usable" answer with the way forward.

Each test fails on main as of e920ced (the problems the fuzzing found)."""

from __future__ import annotations

from playground.harness import BotHarness, HarnessUser
from playground.stub_models import SentMessage
from services import appraisal, sessions, units
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import ModelSession, Person, SessionKind, UnitKind
from tests.e2e_steps import only_text, texts
from tests.test_appraisal_e2e import a_session
from tests.test_plans_e2e import SEC_A1, org_of, with_ctx
from tests.test_plans_service import at
from tests.test_report_session_e2e import ORG, SEC, add_session, build, labels, snapshot

GENERIC = "Xin lỗi, hệ thống vừa gặp sự cố"
STALE = "Nút này không còn dùng được"
LIMIT = 4096


def assert_accepted(bot: BotHarness, replies: list[SentMessage]) -> None:
    """Telegram refused nothing, and no reply is the generic error."""
    assert bot.stub.refusals == []
    assert replies, "silence"
    assert all(len(m.text or "") <= LIMIT for m in replies)
    assert GENERIC not in texts(replies)


async def many_cells(bot: BotHarness, clock, actor_id: int, under: int, count: int) -> None:  # type: ignore[no-untyped-def]
    """`count` chi bộ with names as long as a district's (about 50 characters each)."""
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        actor = await session.get(Person, actor_id)
        assert actor is not None
        for n in range(1, count + 1):
            name = f"Chi bộ Khu dân cư số {n:03d} phường Nguyễn Trung Trực"
            await units.create_unit(ctx, actor, under, name, UnitKind.CELL)
        await session.commit()


async def test_units_list_of_100_units_and_adding_one_more(bot: BotHarness, clock) -> None:  # type: ignore[no-untyped-def]
    world = await build(bot, clock)
    await many_cells(bot, clock, world.people["org"], world.units["gb"], 100)
    org = bot.user(ORG, "Tổ")
    listing = await org.send("/donvi")
    assert_accepted(bot, listing)
    assert "Chi bộ Khu dân cư số 100 phường Nguyễn Trung Trực" in texts(listing)
    assert len(listing) > 1  # split, not cut
    await org.press("➕ Thêm đơn vị")
    await org.press("Đảng ủy")
    await org.press("Chi bộ")
    added = await org.send("Chi bộ Tổ 101")
    assert_accepted(bot, added)
    assert "Chi bộ Tổ 101" in texts(added)


async def test_history_after_30_moves_with_reasons(bot: BotHarness, clock) -> None:  # type: ignore[no-untyped-def]
    world = await build(bot, clock)
    sid = await add_session(
        bot, clock, world.people["sec"], world.units["a1"], SessionKind.THUONG_KY, "28/3 8h"
    )
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        actor = await session.get(Person, world.people["sec"])
        assert actor is not None
        for n in range(30):
            reason = f"Lý do {n:02d}: " + "trùng lịch họp của Đảng ủy phường " * 12
            await sessions.reschedule_session(
                ctx, actor, sid, f"{(n % 20) + 1}/4 {8 + n % 2}h", reason=reason
            )
        await session.commit()
    await bot.drain()
    sec = bot.user(SEC, "An")
    listing = await sec.send("/lich")
    await sec.press(next(lb for lb in labels(listing[0]) if lb.startswith("1. ")))
    history = await sec.press("📜 Lịch sử")
    assert_accepted(bot, history)
    assert len(history) > 1
    assert "Lý do 29" in texts(history)


async def test_thamdinh_with_two_long_return_comments(bot: BotHarness) -> None:
    org = await org_of(bot)
    first = await a_session(bot, org)

    async def second_and_returns(ctx: Ctx) -> None:
        other: ModelSession = (
            await sessions.create_session(
                ctx,
                org.sec_a1,
                (await ctx.session.get(ModelSession, first)).plan_id,  # type: ignore[union-attr]
                org.a1.id,
                SessionKind.THUONG_KY,
                at(20, 3),  # type: ignore[arg-type]
            )
        ).value
        for sid in (first, other.id):
            await appraisal.submit_content(ctx, org.sec_a1, sid, text="I. Chương trình")  # type: ignore[arg-type]
            comment = "Bổ sung phần liên hệ thực tiễn của chi bộ và kết quả " * 36
            await appraisal.return_content(ctx, org.org_ga, sid, comment[:1990])  # type: ignore[arg-type]

    await with_ctx(bot, second_and_returns)
    await bot.drain()
    sec = bot.user(SEC_A1, "An")
    listed = await sec.send("/thamdinh")
    assert_accepted(bot, listed)
    assert texts(listed).count("Ý kiến cần sửa") == 2


async def _rename_picker(bot: BotHarness, clock) -> tuple[HarnessUser, SentMessage]:  # type: ignore[no-untyped-def]
    await build(bot, clock, extra_cells=10)
    org = bot.user(ORG, "Tổ")
    await org.send("/donvi")
    picker = (await org.press("✏️ Đổi tên"))[0]
    return org, picker


async def test_page_button_of_the_page_shown_is_acknowledged_quietly(
    bot: BotHarness,
    clock,  # type: ignore[no-untyped-def]
) -> None:
    org, picker = await _rename_picker(bot, clock)
    forward = picker.callback_data_for("▶")
    assert await org.press("▶", picker) == []
    before = await snapshot(bot)
    again = await org.press_data(picker, forward)  # a double tap: that page is shown already
    assert again == []
    assert bot.stub.refusals == [] or all("not modified" in d for _, d in bot.stub.refusals)
    assert len(bot.stub.callback_answers) >= 2  # the press was answered, not left spinning
    assert GENERIC not in texts(org.messages)
    assert await snapshot(bot) == before


async def test_a_button_on_an_older_message_never_gets_the_generic_error(
    bot: BotHarness,
    clock,  # type: ignore[no-untyped-def]
) -> None:
    org, picker = await _rename_picker(bot, clock)
    await org.send("/donvi")  # a newer menu; the picker above is an older message now
    before = await snapshot(bot)
    old = await org.press("▶", picker)
    assert GENERIC not in texts(old)
    assert bot.stub.refusals == []
    assert await snapshot(bot) == before


async def test_a_blank_reason_when_rescheduling_moves_nothing(
    bot: BotHarness,
    clock,  # type: ignore[no-untyped-def]
) -> None:
    world = await build(bot, clock)
    await add_session(
        bot, clock, world.people["sec"], world.units["a1"], SessionKind.THUONG_KY, "28/3 8h"
    )
    await bot.drain()
    sec = bot.user(SEC, "An")
    listing = await sec.send("/lich")
    await sec.press(next(lb for lb in labels(listing[0]) if lb.startswith("1. ")))
    await sec.press("🕘 Đổi lịch")
    await sec.send("ngày mai 7h30")
    before = await snapshot(bot)
    refused = only_text(await sec.send(" "))
    assert GENERIC not in refused
    assert "Không nêu lý do" in refused  # says how to go on: type it, or tap “No reason”
    assert await snapshot(bot) == before


async def test_huy_with_two_flows_open_ends_both(bot: BotHarness, clock) -> None:  # type: ignore[no-untyped-def]
    await build(bot, clock)
    org = bot.user(ORG, "Tổ")
    await org.send("/donvi")
    await org.press("✏️ Đổi tên")
    await org.press("Đảng ủy")  # asks for the new name (units flow)
    await org.send("/moi")  # another flow opens on top
    await org.send("/huy")
    before = await snapshot(bot)
    after = only_text(await org.send("Tên mới của Đảng ủy"))
    assert "Đã đổi tên" not in after
    assert await snapshot(bot) == before


async def test_typed_answer_where_a_button_is_expected_says_so(
    bot: BotHarness,
    clock,  # type: ignore[no-untyped-def]
) -> None:
    await build(bot, clock)
    org = bot.user(ORG, "Tổ")
    await org.send("/donvi")
    await org.press("➕ Thêm đơn vị")
    await org.press("Đảng ủy")  # the kind picker: buttons only
    hint = only_text(await org.send("Chi bộ"))
    assert "nút" in hint
    assert "bằng tin nhắn chữ" not in hint


FORGED = [
    "ut:99999999999999999999999999:page:0",
    "ua:18446744073709551616",
    "iu:page:9223372036854775808",
    "ses:999999",
    "plan:99999999999999999999",
    "fb:999999",
    "ck:999999",
    "ap:submit:999999",
]


async def test_forged_presses_get_the_stale_answer_with_the_way_forward(
    bot: BotHarness,
    clock,  # type: ignore[no-untyped-def]
) -> None:
    await build(bot, clock)
    org = bot.user(ORG, "Tổ")
    await org.send("/start")
    before = await snapshot(bot)
    for data in FORGED:
        reply = await org.press_data(org.last, data)
        assert reply, data
        text = texts(reply)
        assert GENERIC not in text, data
        assert bot.stub.refusals == [], data
    assert await snapshot(bot) == before
    huge = only_text(await org.press_data(org.last, FORGED[0]))
    assert huge.startswith(STALE) and "menu" in huge
