"""End to end: the first organiser completes a profile; a newcomer joins by an invite link."""

from __future__ import annotations

from playground.harness import BotHarness
from tests.conftest import ADMIN_ID
from tests.e2e_steps import (
    ADMIN_NAME,
    ADMIN_POSITION,
    admin_with_cell,
    db_state,
    join,
    make_link,
    only_text,
    texts,
)

ORGANISER_BUTTONS = {"🏛 Đơn vị", "🔗 Mời tham gia"}
MEMBER_BUTTONS = {"👤 Thông tin của tôi", "🌐 Ngôn ngữ", "❓ Trợ giúp", "📅 Lịch sinh hoạt"}
SECRETARY_BUTTONS = MEMBER_BUTTONS | {"📝 Đăng ký lịch"}
CELL = "Chi bộ Khu phố 2"


async def test_admin_completes_profile_and_sees_organiser_menu(bot: BotHarness) -> None:
    admin = bot.user(ADMIN_ID, "An")
    assert "họ và tên" in only_text(await admin.send("/start"))
    asked = await admin.send(ADMIN_NAME)
    assert f"Cảm ơn đồng chí {ADMIN_NAME}" in only_text(asked)
    assert admin.menu() == ["Chuyên viên Ban Tổ chức"]  # the suggested position
    done = texts(await admin.send(ADMIN_POSITION))
    assert "Đã lưu thông tin" in done
    assert f"Xin chào đồng chí {ADMIN_NAME}" in done
    assert "Ban Tổ chức / Văn phòng" in done
    assert ORGANISER_BUTTONS <= set(admin.menu())
    people = (await db_state(bot))["person"]
    assert [(p[1], p[3], p[4]) for p in people] == [(ADMIN_ID, ADMIN_NAME, ADMIN_POSITION)]
    # Next time: greeted by name, no questions.
    again = only_text(await admin.send("/start"))
    assert again.startswith(f"Xin chào đồng chí {ADMIN_NAME}")


async def test_admin_may_take_the_suggested_position(bot: BotHarness) -> None:
    admin = bot.user(ADMIN_ID, "An")
    await admin.send("/start")
    await admin.send(ADMIN_NAME)
    await admin.send(admin.menu()[0])
    assert (await db_state(bot))["person"][0][4] == "Chuyên viên Ban Tổ chức"


async def test_stranger_is_told_to_ask_for_a_link(bot: BotHarness) -> None:
    stranger = bot.user(2000, "Lan")
    reply = only_text(await stranger.send("/start"))
    assert "chưa đăng ký" in reply
    assert stranger.menu() == ["🌐 Ngôn ngữ", "❓ Trợ giúp"]
    assert "chưa đăng ký" in only_text(await stranger.send("/toi"))
    assert [p[1] for p in (await db_state(bot))["person"]] == [ADMIN_ID]  # nobody was made


async def test_newcomer_joins_as_secretary(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    token, created = await make_link(admin, CELL, 2, "bí thư chi bộ")
    assert "dùng cho 1 người" in texts(created)
    assert "13 tháng 1 năm 2025" in texts(created)  # 7 days from the frozen Monday
    notices_before = len(admin.messages)

    binh = bot.user(2001, "Bình")
    invited = only_text(await binh.send(f"/start {token}"))
    assert f"“{CELL}”" in invited and "bí thư chi bộ" in invited
    assert "Trần Thị Bình" in only_text(await binh.send("Trần Thị Bình"))
    assert binh.menu() == ["Bí thư chi bộ"]
    welcome = await binh.send("Bí thư Chi bộ Khu phố 2")
    assert "Chào mừng" in welcome[0].text
    assert f"“{CELL}”" in welcome[0].text
    assert SECRETARY_BUTTONS <= set(binh.menu())
    assert not ORGANISER_BUTTONS & set(binh.menu())

    notices = admin.messages[notices_before:]
    assert len(notices) == 1
    assert notices[0].text == (
        "Đồng chí Trần Thị Bình (Bí thư Chi bộ Khu phố 2) đã tham gia "
        f"“{CELL}” với vai trò bí thư chi bộ."
    )

    state = await db_state(bot)
    person = next(p for p in state["person"] if p[1] == 2001)
    assert person[3:6] == ("Trần Thị Bình", "Bí thư Chi bộ Khu phố 2", "vi")
    assert [(m[1], m[3]) for m in state["membership"] if m[1] == person[0]] == [
        (person[0], "secretary")
    ]
    assert [link[8] for link in state["invite_link"]] == [1]  # uses

    profile = only_text(await binh.send("/toi"))
    assert "Trần Thị Bình" in profile and f"{CELL}: bí thư chi bộ" in profile


async def test_newcomer_in_english(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    token, _ = await make_link(admin, CELL, 2, "đảng viên", uses=5)
    mai = bot.user(2002, "Mai", language_code="en")
    invited = only_text(await mai.send(f"/start {token}"))
    assert invited.startswith(f"You are invited to join “{CELL}” as party member")
    done = await join(mai, token, "Lê Thị Mai", "Party member")
    assert done[0].text == f"Welcome! You have joined “{CELL}” as party member (đảng viên)."
    assert {"👤 My profile", "🌐 Language", "❓ Help", "📅 Session schedule"} <= set(mai.menu())
    assert not MEMBER_BUTTONS & set(mai.menu())  # nothing left in Vietnamese
    # The organiser is told in their own language.
    assert "Đồng chí Lê Thị Mai (Party member) đã tham gia" in (admin.last.text or "")
    person = next(p for p in (await db_state(bot))["person"] if p[1] == 2002)
    assert person[5] == "en"


async def test_member_reopening_the_link_is_told_they_are_in(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    token, _ = await make_link(admin, CELL, 2, "đảng viên", uses=5)
    binh = bot.user(2001, "Bình")
    await join(binh, token, "Trần Thị Bình", "Đảng viên")
    before, notices = await db_state(bot), len(admin.messages)
    reply = only_text(await binh.send(f"/start {token}"))
    assert reply == f"Đồng chí đã ở “{CELL}” với vai trò đảng viên."
    assert MEMBER_BUTTONS <= set(binh.menu())
    assert not ORGANISER_BUTTONS & set(binh.menu())
    assert await db_state(bot) == before  # no use taken
    assert len(admin.messages) == notices  # nobody told twice


async def test_member_reopening_a_used_up_link_is_told_they_are_in(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    token, _ = await make_link(admin, CELL, 2, "đảng viên", uses=1)
    binh = bot.user(2001, "Bình")
    await join(binh, token, "Trần Thị Bình", "Đảng viên")
    before = await db_state(bot)
    reply = only_text(await binh.send(f"/start {token}"))
    assert reply == f"Đồng chí đã ở “{CELL}” với vai trò đảng viên."
    assert await db_state(bot) == before


async def test_registered_person_joins_another_unit_without_questions(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    first, _ = await make_link(admin, CELL, 2, "bí thư chi bộ")
    second, _ = await make_link(admin, "Đảng ủy", 0, "đảng viên")
    binh = bot.user(2001, "Bình")
    await join(binh, first, "Trần Thị Bình", "Bí thư chi bộ")
    replies = await binh.send(f"/start {second}")
    assert "Chào mừng" in replies[0].text and "“Đảng ủy”" in replies[0].text
    assert "Bí thư chi bộ, Đảng viên" in texts(replies)  # both roles
    profile = only_text(await binh.send("/toi"))
    assert f"{CELL}: bí thư chi bộ" in profile and "Đảng ủy: đảng viên" in profile


async def test_organiser_by_link_gets_the_organiser_menu(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    token, _ = await make_link(admin, "Đảng bộ cơ sở Phường 1", 1, "Ban Tổ chức / Văn phòng")
    cuong = bot.user(2003, "Cường")
    await join(cuong, token, "Lê Văn Cường", "Phó Chánh Văn phòng")
    assert ORGANISER_BUTTONS <= set(cuong.menu())
    # They manage their own subtree only.
    tree = only_text(await cuong.send("/donvi"))
    assert tree == "Các đơn vị của đồng chí:\n🏛 Đảng bộ cơ sở Phường 1\n└ Chi bộ Khu phố 2"
    # And the next newcomer there is announced to them, the nearest organiser, not the admin.
    notices = len(admin.messages)
    token, _ = await make_link(cuong, CELL, 1, "đảng viên")
    await join(bot.user(2004, "Dũng"), token, "Phạm Văn Dũng", "Đảng viên")
    assert "Phạm Văn Dũng" in (cuong.last.text or "")
    assert len(admin.messages) == notices
