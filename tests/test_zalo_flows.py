"""The flows on Zalo, end to end: the real application, Zalo only, driven through the local
Zalo Bot API stub by typing texts and numbers (long polling, and the webhook)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import FrozenClock
from playground.zalo_harness import ZaloHarness, ZaloUser
from playground.zalo_stub import ZaloStub
from services import accounts
from tests.e2e_steps import ADMIN_NAME, ADMIN_POSITION, ROOT

ADMIN_ZALO_ID = "a1b2c3d4e5f60718293a"
ADMIN = f"zalo:{ADMIN_ZALO_ID}"  # BOOTSTRAP_ADMIN_IDS names Zalo users so


async def rows(bot: ZaloHarness, sql: str) -> list[tuple[object, ...]]:
    async with bot.engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(text(sql))).all()]


def assert_zalo_clean(stub: ZaloStub) -> None:
    """No call was refused (a text over 2,000 characters would be a 400) and no text names
    Telegram's buttons."""
    assert not [r for r in stub.refused if r[0] != "getUpdates"], stub.refused
    for sent in stub.sent:
        assert sent.text and 1 <= len(sent.text) <= 2000
        assert "bấm" not in sent.text.lower(), sent.text


@pytest.fixture(params=["polling", "webhook"])
async def zalo_bot(
    request: pytest.FixtureRequest, database_url: str, engine: AsyncEngine, clock: FrozenClock
) -> AsyncIterator[ZaloHarness]:
    harness = ZaloHarness(
        database_url=database_url,
        engine=engine,
        clock=clock,
        migrate=False,
        bootstrap_admin_ids=[ADMIN],
        webhook=request.param == "webhook",
    )
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


async def admin_ready(bot: ZaloHarness) -> ZaloUser:
    admin = bot.user(ADMIN_ZALO_ID, "An")
    await admin.send("/start")
    await admin.send(ADMIN_NAME)
    await admin.send(ADMIN_POSITION)
    return admin


async def test_units_invites_and_language_by_numbers(zalo_bot: ZaloHarness) -> None:
    admin = await admin_ready(zalo_bot)
    units = await admin.send("/donvi")
    assert "1. ➕ Thêm đơn vị" in units[-1].text, units[-1].text
    assert re.search(r"Trả lời bằng số \(1–\d+\)\.$", units[-1].text or ""), units[-1].text
    await admin.choose("➕ Thêm đơn vị")
    await admin.choose(ROOT)
    await admin.choose("Chi bộ")
    await admin.send("Chi bộ Phòng Tài chính")
    assert await rows(zalo_bot, "SELECT name, kind FROM unit ORDER BY id") == [
        (ROOT, "committee"),
        ("Chi bộ Phòng Tài chính", "cell"),
    ]
    await admin.send("/moi")
    await admin.choose("· Chi bộ Phòng Tài chính")
    await admin.send("bi thu chi bo")
    invite = await admin.choose("1")
    assert invite and invite[-1].text
    await admin.send("/ngonngu")
    switched = await admin.send("english")
    assert switched[-1].text.startswith("Language set to English."), switched[-1].text
    assert_zalo_clean(zalo_bot.stub)


async def test_a_restart_between_a_question_and_its_numbered_answer(
    database_url: str, engine: AsyncEngine, clock: FrozenClock
) -> None:
    stub = ZaloStub("1234567890:zalo-local-stub-token")
    await stub.start()
    try:
        options = {"database_url": database_url, "engine": engine, "clock": clock}
        first = ZaloHarness(**options, migrate=False, bootstrap_admin_ids=[ADMIN], stub=stub)
        await first.start()
        admin = await admin_ready(first)
        await admin.send("/donvi")
        await admin.choose("➕ Thêm đơn vị")
        await admin.choose(ROOT)
        await first.stop()  # the question "which kind?" is on screen
        second = ZaloHarness(**options, migrate=False, bootstrap_admin_ids=[ADMIN], stub=stub)
        await second.start()
        try:
            admin = ZaloUser(second, admin.user)
            asked = await admin.choose("Chi bộ")
            assert "Chi bộ Phòng Kế toán" in (asked[-1].text or ""), [a.text for a in asked]
            await admin.send("Chi bộ Phòng Tổ chức")
            assert (await rows(second, "SELECT name FROM unit ORDER BY id"))[-1] == (
                "Chi bộ Phòng Tổ chức",
            )
        finally:
            await second.stop()
        assert_zalo_clean(stub)
    finally:
        await stub.stop()


async def test_stickers_voice_and_unsupported_get_a_polite_answer(zalo_bot: ZaloHarness) -> None:
    lan = zalo_bot.user("f00dfeedf00dfeed0001", "Lan")
    for send in (lan.send_sticker, lan.send_voice, lan.send_unsupported):
        replies = await send()
        assert len(replies) == 1
        assert replies[0].text.startswith("Trợ lý chỉ đọc được tin nhắn chữ"), replies[0].text
    assert await rows(zalo_bot, "SELECT count(*) FROM person") == [(1,)]  # the admin only


async def test_a_picture_is_fetched_at_once_and_answered(
    zalo_bot: ZaloHarness, tmp_path: object
) -> None:
    admin = await admin_ready(zalo_bot)
    replies = await admin.send_image("ảnh biên bản")
    assert replies and replies[-1].text  # a polite answer, not silence
    store = zalo_bot.zalo.publisher.store  # kept in the bot's file store, by a new id
    stored = [p for p in store.folder.iterdir() if p.suffix != ".json"]
    assert stored and stored[0].read_bytes().startswith(b"\xff\xd8")


async def test_a_long_text_is_sent_in_parts_never_over_2000(zalo_bot: ZaloHarness) -> None:
    admin = await admin_ready(zalo_bot)
    chat_key = (await rows(zalo_bot, "SELECT id FROM channel_account WHERE channel='zalo'"))[0]
    paragraph = "Nội dung sinh hoạt chi bộ " * 30
    body = "\n\n".join(f"{i}. {paragraph.strip()}" for i in range(12))
    assert zalo_bot.app is not None
    before = len(admin.messages)
    await zalo_bot.app.bot.send_message(accounts.ZALO_KEY_BASE + int(chat_key[0]), body)  # type: ignore[arg-type]
    parts = admin.messages[before:]
    assert len(parts) >= 3
    assert all(1 <= len(p.text or "") <= 2000 for p in parts)
    assert "\n\n".join(p.text or "" for p in parts) == body
    assert_zalo_clean(zalo_bot.stub)


async def test_the_menu_and_suggestions_are_numbered(zalo_bot: ZaloHarness) -> None:
    admin = zalo_bot.user(ADMIN_ZALO_ID, "An")
    await admin.send("/start")
    asked = await admin.send(ADMIN_NAME)
    assert "\n1. " in (asked[-1].text or ""), asked[-1].text  # the suggested position
    await admin.send(ADMIN_POSITION)
    units = await admin.choose("🏛 Đơn vị")  # the standing menu, by its number
    assert "1. ➕ Thêm đơn vị" in (units[-1].text or ""), [u.text for u in units]
    help_ = await admin.send("/trogiup")
    assert any("\n1. " in (h.text or "") for h in help_), [h.text for h in help_]
    assert_zalo_clean(zalo_bot.stub)


async def test_an_answer_to_an_older_screen_is_a_stale_press(zalo_bot: ZaloHarness) -> None:
    admin = await admin_ready(zalo_bot)
    await admin.send("/donvi")
    await admin.choose("➕ Thêm đơn vị")  # the parent picker is on offer
    await admin.send("/huy")  # the flow ends; its numbered choices belong to an older screen
    before = await rows(zalo_bot, "SELECT * FROM unit ORDER BY id")
    answer = await admin.send("1")
    assert answer and all(a.text for a in answer)
    assert await rows(zalo_bot, "SELECT * FROM unit ORDER BY id") == before
    assert_zalo_clean(zalo_bot.stub)


FUZZ = (
    "0",
    "99",
    "-1",
    "1,3",
    "１",  # a full-width digit
    "   ",
    "/",
    "/khonglenh",
    "<b>đậm</b> & 'nháy'",
    "🙂" * 50,
    "x" * 1999,
    "Đảng ủy " * 400,  # 3,200 characters
    "\u200b",
)


async def test_fuzzed_input_at_each_step_gets_a_polite_answer_and_changes_nothing(
    zalo_bot: ZaloHarness,
) -> None:
    admin = await admin_ready(zalo_bot)
    steps: list[tuple[str, ...]] = [(), ("/donvi",), ("/donvi", "➕ Thêm đơn vị"), ("/moi",)]
    for lead_in in steps:
        for junk in FUZZ:
            await admin.send("/huy")
            for i, step in enumerate(lead_in):
                await (admin.send(step) if i == 0 else admin.choose(step))
            before = await rows(zalo_bot, "SELECT * FROM unit ORDER BY id")
            invites = await rows(zalo_bot, "SELECT count(*) FROM invite_link")
            answer = await admin.send(junk)
            assert answer, (lead_in, junk)  # never silence
            assert all(a.text and a.text.strip() for a in answer)
            said = " ".join(a.text or "" for a in answer)
            assert "gặp sự cố" not in said and "error" not in said.lower(), (lead_in, junk)
            assert await rows(zalo_bot, "SELECT * FROM unit ORDER BY id") == before, junk
            assert await rows(zalo_bot, "SELECT count(*) FROM invite_link") == invites
    assert_zalo_clean(zalo_bot.stub)
