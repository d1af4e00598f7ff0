"""End to end: organisers make and withdraw invite links with /moi; others cannot."""

from __future__ import annotations

from datetime import timedelta

from core.clock import FrozenClock
from playground.harness import BotHarness
from tests.e2e_steps import (
    LINK,
    ROOT,
    add_unit,
    admin_ready,
    admin_with_cell,
    db_state,
    join,
    make_link,
    only_text,
    texts,
    tree_label,
)

CELL = "Chi bộ Khu phố 2"
ROLES_VI = [
    "Ban Tổ chức / Văn phòng",
    "lãnh đạo (Thường trực / Ban Thường vụ)",
    "bí thư chi bộ",
    "phó bí thư chi bộ",  # a chi bộ: the role reads with the unit's kind (issue 14)
    "cấp ủy viên",
    "đảng viên",
]
ORGANISERS_ONLY = "Chỉ Ban Tổ chức, Văn phòng của đơn vị này mới làm được việc đó."


async def test_admin_creates_a_link_for_a_cell_secretary(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    picker = await admin.send("🔗 Mời tham gia")
    assert only_text(picker) == "Mời tham gia đơn vị nào?"
    assert [label for label, _ in picker[0].buttons] == [
        ROOT,
        tree_label("Đảng bộ cơ sở Phường 1", 1),
        tree_label(CELL, 2),
        "✖ Hủy",
    ]
    unit = only_text(await admin.press(tree_label(CELL, 2)))
    assert unit.startswith(f"Đơn vị: {CELL}\nĐơn vị này chưa có đường dẫn mời nào còn hiệu lực.")
    assert [label for label, _ in admin.last.buttons] == [*ROLES_VI, "✖ Hủy"]
    uses = await admin.press("bí thư chi bộ")
    assert only_text(uses) == "Đường dẫn này dùng được cho bao nhiêu người?"
    assert [label for label, _ in uses[0].buttons] == ["1", "5", "20", "100", "✖ Hủy"]
    made = only_text(await admin.press("5"))
    assert made.startswith(
        f"Đường dẫn mời vào “{CELL}” (Bí thư chi bộ), dùng cho 5 người, "
        "hiệu lực đến 09 giờ 00, thứ Hai, ngày 13 tháng 1 năm 2025:\nhttps://t.me/"
    )
    found = LINK.search(made)
    assert found
    links = (await db_state(bot))["invite_link"]
    assert [(ln[1], ln[2], ln[3], ln[7], ln[8]) for ln in links] == [
        (found.group(1), 3, "secretary", 5, 0)
    ]
    # The unit now lists it.
    await admin.send("/moi")
    listed = only_text(await admin.press(tree_label(CELL, 2)))
    assert f"Bí thư chi bộ: https://t.me/chibot_test_bot?start={found.group(1)}" in listed
    assert "đã dùng 0/5" in listed


async def test_withdrawn_link_cannot_be_used(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    token, _ = await make_link(admin, CELL, 2, "đảng viên", uses=5)
    await admin.send("/moi")
    await admin.press(tree_label(CELL, 2))
    withdrawn = await admin.press("🚫 Thu hồi đường dẫn 1")
    assert (
        withdrawn[0].text == "Đã thu hồi đường dẫn. Không ai tham gia được bằng đường dẫn này nữa."
    )
    assert "chưa có đường dẫn mời nào còn hiệu lực" in (withdrawn[1].text or "")
    assert all(not label.startswith("🚫") for label, _ in withdrawn[1].buttons)
    before = await db_state(bot)
    assert before["invite_link"][0][9] is not None  # revoked_at

    lan = bot.user(2001, "Lan")
    reply = only_text(await lan.send(f"/start {token}"))
    assert reply == ("Đường dẫn mời này đã bị Ban Tổ chức thu hồi. Xin đề nghị gửi đường dẫn mới.")
    assert await db_state(bot) == before


async def test_link_withdrawn_while_the_newcomer_types(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    token, _ = await make_link(admin, CELL, 2, "đảng viên")
    lan = bot.user(2001, "Lan")
    await lan.send(f"/start {token}")
    await lan.send("Phạm Thị Lan")
    await admin.send("/moi")
    await admin.press(tree_label(CELL, 2))
    await admin.press("🚫 Thu hồi đường dẫn 1")
    before = await db_state(bot)
    assert "thu hồi" in only_text(await lan.send("Đảng viên"))
    assert await db_state(bot) == before
    # The flow is over: the next text is not taken as an answer.
    assert "chưa hiểu" in only_text(await lan.send("Đảng viên"))


async def test_secretary_cannot_invite(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    token, _ = await make_link(admin, CELL, 2, "bí thư chi bộ")
    await make_link(admin, CELL, 2, "đảng viên", uses=5)
    binh = bot.user(2001, "Bình")
    await join(binh, token, "Trần Thị Bình", "Bí thư chi bộ")
    before = await db_state(bot)
    assert len(before["invite_link"]) == 2
    refusal = only_text(await binh.send("/moi"))
    assert refusal.startswith("Chỉ Ban Tổ chức, Văn phòng mới mời được người tham gia.")
    assert "🔗 Mời tham gia" not in binh.menu()
    own = binh.last
    assert only_text(await binh.press_data(own, "iu:page:1")).startswith("Chỉ Ban Tổ chức")
    for data in ("iu:3", "ir:3:member", "ir:1:organiser", "in:3:member:100", "ix:2"):
        assert only_text(await binh.press_data(own, data)) == ORGANISERS_ONLY, data
    assert await db_state(bot) == before
    assert LINK.search(texts(binh.messages)) is None  # no link was ever shown to them


async def test_links_expire_after_seven_days(bot: BotHarness, clock: FrozenClock) -> None:
    admin = await admin_with_cell(bot)
    token, _ = await make_link(admin, CELL, 2, "đảng viên", uses=5)
    clock.advance(timedelta(days=7))
    await admin.send("/moi")
    assert "chưa có đường dẫn mời nào còn hiệu lực" in only_text(
        await admin.press(tree_label(CELL, 2))
    )
    before = await db_state(bot)
    lan = bot.user(2001, "Lan")
    assert "hết hạn" in only_text(await lan.send(f"/start {token}"))
    assert await db_state(bot) == before


async def test_invite_picker_pages(bot: BotHarness) -> None:
    admin = await admin_ready(bot)
    for n in range(1, 10):
        await add_unit(admin, ROOT, 0, "Chi bộ", f"Chi bộ Tổ {n:02d}")
    picker = (await admin.send("/moi"))[0]
    find = "🔎 Gõ một phần tên để tìm"  # more than a page: typing a name too (issue 14)
    assert [label for label, _ in picker.buttons][-4:] == ["1/2", "▶", find, "✖ Hủy"]
    assert await admin.press("▶", picker) == []
    assert [label for label, _ in picker.buttons] == [
        tree_label("Chi bộ Tổ 08", 1),
        tree_label("Chi bộ Tổ 09", 1),
        "◀",
        "2/2",
        find,
        "✖ Hủy",
    ]
    assert "Đơn vị: Chi bộ Tổ 09" in only_text(await admin.press(tree_label("Chi bộ Tổ 09", 1)))


async def test_invite_in_english(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    await admin.send("/language")
    await admin.press("English")
    assert only_text(await admin.send("🔗 Invite people")) == "Invite people to which unit?"
    await admin.press(tree_label(CELL, 2))
    await admin.press("party cell secretary (bí thư chi bộ)")
    made = only_text(await admin.press("1"))
    assert made.startswith(
        f"Invite link for “{CELL}” (Party cell secretary), for 1 person, "
        "valid until 09:00, Monday, 13 January 2025:\nhttps://t.me/"
    )
    assert made.endswith(
        "Send it to the person you invite. Whoever opens it joins after giving their name."
    )
