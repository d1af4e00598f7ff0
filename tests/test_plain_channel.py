"""Every step of the flows is possible with text replies alone: the bot drawn by the plain
renderer (numbered choices, no buttons, no edits, no files — what Zalo gets), driven through
the stub by typing numbers and words."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from channels.plain.offers import Offer, fold
from channels.plain.render import TEXT_LIMIT, compose
from core.clock import FrozenClock
from core.i18n import Lang
from playground.harness import BotHarness, HarnessUser
from tests.conftest import ADMIN_ID
from tests.e2e_steps import ADMIN_NAME, ADMIN_POSITION, ROOT
from ui.common import Cancel
from ui.screen import Choice, Expect, Screen

LINK = re.compile(r"https://t\.me/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]+)")


@pytest.fixture
async def plain_bot(
    database_url: str, engine: AsyncEngine, clock: FrozenClock
) -> AsyncIterator[BotHarness]:
    harness = BotHarness(
        database_url=database_url,
        engine=engine,
        clock=clock,
        migrate=False,
        bootstrap_admin_ids=[ADMIN_ID],
        settings_overrides={"render_plain": True},
    )
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


def assert_plain(user: HarnessUser) -> None:
    """Nothing the user got has a button, a keyboard, a file or an edit, or is too long."""
    for message in user.messages:
        assert not message.buttons, message.text
        assert message.kind == "text", message.kind
        assert not message.edits, message.text
        assert len(message.text or "") <= TEXT_LIMIT


async def rows(bot: BotHarness, sql: str) -> list[tuple[object, ...]]:
    async with bot.engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(text(sql))).all()]


async def admin_ready(bot: BotHarness) -> HarnessUser:
    admin = bot.user(ADMIN_ID, "An", language_code="vi")
    await admin.send("/start")
    await admin.send(ADMIN_NAME)
    await admin.send(ADMIN_POSITION)
    return admin


async def test_units_invites_and_joining_by_numbers(plain_bot: BotHarness) -> None:
    admin = await admin_ready(plain_bot)
    units = await admin.send("/donvi")
    assert "1. ➕ Thêm đơn vị" in units[-1].text
    assert "Trả lời bằng số (1–5)." in units[-1].text  # with merge and delete (issue 14)
    await admin.choose("➕ Thêm đơn vị")
    await admin.choose(ROOT)
    asked = await admin.choose("Chi bộ")
    assert "Chi bộ Phòng Kế toán" in asked[-1].text
    await admin.send("Chi bộ Phòng Tài chính")
    # A number where a name is asked is a name, not a choice.
    await admin.send("/donvi")
    await admin.choose("✏️ Đổi tên")
    await admin.choose("· Chi bộ Phòng Tài chính")
    await admin.send("Chi bộ Phòng Tài chính - Kế hoạch")
    assert await rows(plain_bot, "SELECT name, kind FROM unit ORDER BY id") == [
        (ROOT, "committee"),
        ("Chi bộ Phòng Tài chính - Kế hoạch", "cell"),
    ]

    await admin.send("/moi")
    await admin.choose("· Chi bộ Phòng Tài chính - Kế hoạch")
    await admin.send("bi thu chi bo")  # the label typed without accents picks it
    link = await admin.choose("1")
    token = LINK.search(link[-1].text or "")
    assert token, link[-1].text

    lan = plain_bot.user(2002, "Lan", language_code="vi")
    await lan.send(f"/start {token.group(1)}")
    await lan.send("Trần Thị Lan")
    joined = await lan.send("Bí thư chi bộ")
    assert "Chào mừng" in joined[0].text
    assert await rows(plain_bot, "SELECT full_name, position FROM person ORDER BY id") == [
        (ADMIN_NAME, ADMIN_POSITION),
        ("Trần Thị Lan", "Bí thư chi bộ"),
    ]
    # The language is chosen by typing its name.
    await lan.send("/ngonngu")
    switched = await lan.send("english")
    assert switched[-1].text.startswith("Language set to English.")
    assert_plain(admin)
    assert_plain(lan)


async def test_a_number_out_of_range_or_an_old_offer_changes_nothing(
    plain_bot: BotHarness,
) -> None:
    admin = await admin_ready(plain_bot)
    await admin.send("/donvi")
    before = await rows(plain_bot, "SELECT * FROM unit ORDER BY id")
    answer = await admin.send("9")
    assert answer and answer[-1].text
    assert await rows(plain_bot, "SELECT * FROM unit ORDER BY id") == before
    assert_plain(admin)


def test_numbered_choices_and_how_to_answer() -> None:
    lang = Lang("vi")
    screen = Screen.of(
        "Đồng chí có tham dự không?",
        rows=[[Choice("✅ Tham dự", Cancel()), Choice("Vắng (nêu lý do)", Cancel())]],
        expect=Expect.CHOICE,
    )
    body, offer = compose(lang, screen)
    assert body.splitlines()[-4:] == [
        "1. ✅ Tham dự",
        "2. Vắng (nêu lý do)",
        "",
        "Trả lời bằng số (1–2).",
    ]
    assert offer is not None and offer.pick("2") == "x:cancel"
    assert offer.pick("3") is None and offer.pick("0") is None


def test_a_number_is_an_answer_where_a_number_is_expected() -> None:
    offer = Offer((("✖ Hủy", "x:cancel"),), Expect.CODE)
    assert offer.pick("1") is None
    assert offer.pick("huy") == "x:cancel"
    text_offer = Offer((("✖ Hủy", "x:cancel"),), Expect.TEXT)
    assert text_offer.pick("1") == "x:cancel"


def test_labels_are_matched_without_accents_case_or_emoji() -> None:
    assert fold("✅ Tham DỰ!") == "tham du"
    assert fold("Đảng ủy") == "dang uy"
    offer = Offer((("Tham dự", "a"), ("Tham dự ", "b")), Expect.CHOICE)
    assert offer.pick("tham du") is None  # two labels alike: ambiguous, not guessed


def test_choices_of_two_screens_in_one_turn_are_numbered_on_and_all_stay_valid() -> None:
    lang = Lang("vi")
    first = Screen.of("Tổng hợp", rows=[[Choice("📥 Xuất Excel", Cancel())]])
    second = Screen.of("Chọn buổi", rows=[[Choice("Buổi A", Cancel()), Choice("Buổi B", Cancel())]])
    _, earlier = compose(lang, first)
    body, offer = compose(lang, second, earlier)
    assert "2. Buổi A\n3. Buổi B" in body and "Trả lời bằng số (1–3)." in body
    assert offer is not None and [label for label, _ in offer.choices] == [
        "📥 Xuất Excel",
        "Buổi A",
        "Buổi B",
    ]
