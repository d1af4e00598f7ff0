"""Joining by typing the invite code: where a link cannot carry its token (Zalo) or the link
does not open, the short code shown beside it does the same, typed in any case or spacing."""

from __future__ import annotations

import re

from sqlalchemy import text

from playground.harness import BotHarness
from services import short_codes
from tests.e2e_steps import admin_with_cell, make_link, only_text

CODE = re.compile(r"Mã mời \(gõ trên Zalo, hoặc khi không mở được đường dẫn\): ([A-Z]{4}-[A-Z]{4})")
CELL = "Chi bộ Khu phố 2"


async def people(bot: BotHarness) -> list[tuple[object, ...]]:
    async with bot.engine.connect() as conn:
        rows = await conn.execute(text("SELECT full_name, position FROM person ORDER BY id"))
        return [tuple(r) for r in rows.all()]


async def test_a_typed_invite_code_joins_like_the_link(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    _, replies = await make_link(admin, CELL, 2, "đảng viên", uses=5)
    found = CODE.search(replies[-1].text or "")
    assert found, replies[-1].text
    code = found.group(1)

    lan = bot.user(2002, "Lan")
    asked = only_text(await lan.send(code.lower().replace("-", " ")))
    assert asked.startswith(f"Đồng chí được mời tham gia “{CELL}”")
    await lan.send("Trần Thị Lan")
    await lan.send("Đảng viên")
    binh = bot.user(2003, "Bình")
    assert "được mời tham gia" in only_text(await binh.send(f"/start {code}"))
    await binh.send("Lê Văn Bình")
    await binh.send("Đảng viên")
    assert [p[0] for p in await people(bot)][1:] == ["Trần Thị Lan", "Lê Văn Bình"]


async def test_a_code_that_is_no_invite_is_refused_politely_and_changes_nothing(
    bot: BotHarness,
) -> None:
    await admin_with_cell(bot)
    before = await people(bot)
    stranger = bot.user(2009, "Khách")
    refused = only_text(await stranger.send("ABCD-EFGH"))
    assert "không hợp lệ" in refused
    assert await people(bot) == before
    # A six-digit check-in code is not taken for an invite code.
    assert short_codes.normalise("123456") is None
    assert short_codes.normalise("abcd efgh") == "ABCDEFGH"


async def test_a_linking_code_from_my_profile_links_a_second_account(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    await admin.send("/toi")
    shown = await admin.press("🔗 Liên kết ứng dụng nhắn tin khác")
    found = re.search(r"Mã liên kết của đồng chí: ([A-Z]{4}-[A-Z]{4})", shown[-1].text or "")
    assert found, shown[-1].text
    second = bot.user(7007, "An (điện thoại 2)")
    linked = await second.send(found.group(1))
    assert linked[-1].text.startswith("Đã liên kết.")
    assert "🏛 Đơn vị" in second.menu()  # the second account is the same organiser
    async with bot.engine.connect() as conn:
        owners = await conn.execute(
            text("SELECT external_id, person_id FROM channel_account ORDER BY external_id")
        )
        rows = [tuple(r) for r in owners.all()]
    assert [r[0] for r in rows] == ["1001", "7007"] and rows[0][1] == rows[1][1]
    # The code is used up: typed again it is refused, and nothing changes.
    again = bot.user(7008, "Khách")
    assert "không còn hiệu lực" in only_text(await again.send(found.group(1)))
