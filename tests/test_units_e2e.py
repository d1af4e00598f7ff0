"""End to end: organisers build their tree with /donvi: add, rename, move; others are refused."""

from __future__ import annotations

from playground.harness import BotHarness
from tests.e2e_steps import (
    ROOT,
    add_unit,
    admin_ready,
    admin_with_cell,
    count,
    db_state,
    join,
    make_link,
    only_text,
    texts,
    tree_label,
)

GRASSROOTS = "Đảng bộ cơ sở Phường 1"
CELL = "Chi bộ Khu phố 2"
TREE = f"Các đơn vị của đồng chí:\n🏛 {ROOT}\n└ {GRASSROOTS}\n    └ {CELL}"


async def test_admin_adds_units_with_buttons(bot: BotHarness) -> None:
    admin = await admin_ready(bot)
    assert only_text(await admin.send("🏛 Đơn vị")) == f"Các đơn vị của đồng chí:\n🏛 {ROOT}"
    asked = await admin.press("➕ Thêm đơn vị")
    assert only_text(asked) == "Đơn vị mới trực thuộc đơn vị nào?"
    kinds = await admin.press(ROOT)
    assert [label for label, _ in kinds[0].buttons] == [
        "Đảng ủy / cấp ủy",
        "Đảng bộ cơ sở",
        "Đảng bộ bộ phận",
        "Chi bộ",
        "✖ Hủy",
    ]
    assert "Chi bộ Phòng Kế toán" in only_text(await admin.press("Đảng bộ cơ sở"))
    added = await admin.send(GRASSROOTS)
    assert added[0].text == f"Đã thêm “{GRASSROOTS}”."

    # Under a đảng bộ cơ sở only đảng bộ bộ phận and chi bộ may go; a chi bộ has no children.
    await admin.send("/donvi")
    parents = await admin.press("➕ Thêm đơn vị")
    assert [label for label, _ in parents[0].buttons] == [ROOT, tree_label(GRASSROOTS, 1), "✖ Hủy"]
    kinds = await admin.press(tree_label(GRASSROOTS, 1))
    assert [label for label, _ in kinds[0].buttons] == ["Đảng bộ bộ phận", "Chi bộ", "✖ Hủy"]
    await admin.press("Chi bộ")
    added = await admin.send(CELL)
    assert texts(added) == f"Đã thêm “{CELL}”.\n{TREE}"
    units = (await db_state(bot))["unit"]
    assert [(u[1], u[2], u[3]) for u in units] == [
        (ROOT, "committee", None),
        (GRASSROOTS, "grassroots", 1),
        (CELL, "cell", 2),
    ]


async def test_rename(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    await admin.send("/donvi")
    picker = await admin.press("✏️ Đổi tên")
    assert only_text(picker) == "Đồng chí muốn đổi tên đơn vị nào?"
    assert only_text(await admin.press(tree_label(CELL, 2))) == f"Xin gõ tên mới cho “{CELL}”."
    renamed = await admin.send("Chi bộ Khu phố 3")
    assert texts(renamed) == "Đã đổi tên thành “Chi bộ Khu phố 3”.\n" + TREE.replace(
        CELL, "Chi bộ Khu phố 3"
    )


async def test_rename_clash_asks_again_and_changes_nothing(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    await add_unit(admin, GRASSROOTS, 1, "Chi bộ", "Chi bộ Khu phố 5")
    before = await db_state(bot)
    await admin.send("/donvi")
    await admin.press("✏️ Đổi tên")
    await admin.press(tree_label("Chi bộ Khu phố 5", 2))
    clash = only_text(await admin.send("CHI BỘ KHU PHỐ 2"))
    assert clash == (
        "Ở đó đã có đơn vị tên “CHI BỘ KHU PHỐ 2”.\nXin gõ lại tên, hoặc gõ /huy để dừng."
    )
    assert "Xin gõ lại tên" in only_text(await admin.send("😀"))
    assert "quá dài" in only_text(await admin.send("x" * 5000))
    assert await db_state(bot) == before
    # Still waiting for the name: a good one is taken.
    assert "Đã đổi tên thành “Chi bộ Khu phố 6”." in texts(await admin.send("Chi bộ Khu phố 6"))


async def test_move(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    await admin.send("/donvi")
    picker = await admin.press("↪️ Chuyển")
    # The root cannot move, so it is not offered.
    assert [label for label, _ in picker[0].buttons] == [
        tree_label(GRASSROOTS, 1),
        tree_label(CELL, 2),
        "✖ Hủy",
    ]
    targets = await admin.press(tree_label(CELL, 2))
    assert only_text(targets) == "Chuyển đến trực thuộc đơn vị nào?"
    # Only units that can have children, and not the unit itself.
    assert [label for label, _ in targets[0].buttons] == [
        ROOT,
        tree_label(GRASSROOTS, 1),
        "✖ Hủy",
    ]
    moved = await admin.press(ROOT)
    assert texts(moved) == (
        f"Đã chuyển “{CELL}”.\nCác đơn vị của đồng chí:\n🏛 {ROOT}\n└ {CELL}\n└ {GRASSROOTS}"
    )


async def test_move_under_own_subtree_is_refused(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    await add_unit(admin, GRASSROOTS, 1, "Đảng bộ bộ phận", "Đảng bộ bộ phận Tổ 1")
    before = await db_state(bot)
    await admin.send("/donvi")
    await admin.press("↪️ Chuyển")
    await admin.press(tree_label(GRASSROOTS, 1))
    refused = only_text(await admin.press(tree_label("Đảng bộ bộ phận Tổ 1", 2)))
    assert refused == "Không thể chuyển một đơn vị vào chính nó hoặc vào đơn vị trực thuộc nó."
    assert await db_state(bot) == before


FIND = "🔎 Gõ một phần tên để tìm"


async def test_pages_of_a_long_picker(bot: BotHarness) -> None:
    admin = await admin_ready(bot)
    for n in range(1, 11):
        await add_unit(admin, ROOT, 0, "Chi bộ", f"Chi bộ Tổ {n:02d}")
    await admin.send("/donvi")
    picker = (await admin.press("✏️ Đổi tên"))[0]
    labels = [label for label, _ in picker.buttons]
    assert labels[:8] == [ROOT] + [tree_label(f"Chi bộ Tổ {n:02d}", 1) for n in range(1, 8)]
    assert labels[8:] == ["1/2", "▶", FIND, "✖ Hủy"]  # issue 14, item 10: and typing a name
    assert await admin.press("▶", picker) == []  # the same message shows page 2
    labels = [label for label, _ in picker.buttons]
    assert labels == [tree_label(f"Chi bộ Tổ {n:02d}", 1) for n in (8, 9, 10)] + [
        "◀",
        "2/2",
        FIND,
        "✖ Hủy",
    ]
    assert "Chi bộ Tổ 10" in only_text(await admin.press(tree_label("Chi bộ Tổ 10", 1), picker))


async def test_cancel_while_typing_a_name(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    before = await db_state(bot)
    await admin.send("/donvi")
    await admin.press("➕ Thêm đơn vị")
    await admin.press(ROOT)
    await admin.press("Chi bộ")
    assert only_text(await admin.send("/huy")) == "Đã dừng. Không có gì thay đổi."
    # The text that follows is not taken as a unit name.
    assert "chưa hiểu" in only_text(await admin.send("Chi bộ Lạ"))
    assert await db_state(bot) == before


async def test_cancel_button_while_typing_a_name(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    before = await db_state(bot)
    await admin.send("/donvi")
    await admin.press("✏️ Đổi tên")
    await admin.press(ROOT)
    assert only_text(await admin.press("✖ Hủy")) == "Đã dừng. Không có gì thay đổi."
    assert "chưa hiểu" in only_text(await admin.send("Đảng ủy Mới"))
    assert await db_state(bot) == before


async def test_menu_button_while_typing_a_name_ends_the_step(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    before = await db_state(bot)
    await admin.send("/donvi")
    await admin.press("✏️ Đổi tên")
    await admin.press(ROOT)
    assert only_text(await admin.send("🔗 Mời tham gia")) == "Mời tham gia đơn vị nào?"
    assert "chưa hiểu" in only_text(await admin.send("Đảng ủy Mới"))
    assert await db_state(bot) == before


async def test_start_while_typing_a_name_ends_the_step(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    before = await db_state(bot)
    await admin.send("/donvi")
    await admin.press("➕ Thêm đơn vị")
    await admin.press(ROOT)
    await admin.press("Chi bộ")
    assert "Xin chào đồng chí" in only_text(await admin.send("/start"))
    # Typed later, a text is not silently taken as the name of a new unit.
    assert "chưa hiểu" in only_text(await admin.send("Chi bộ Lạ"))
    assert await db_state(bot) == before


async def test_secretary_cannot_manage_units(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    token, _ = await make_link(admin, CELL, 2, "bí thư chi bộ")
    binh = bot.user(2001, "Bình")
    await join(binh, token, "Trần Thị Bình", "Bí thư chi bộ")
    before = await db_state(bot)
    assert await count(bot, "unit") == 3
    refusal = only_text(await binh.send("/donvi"))
    assert refusal.startswith("Chỉ Ban Tổ chức, Văn phòng mới quản lý được đơn vị.")
    assert "🏛 Đơn vị" not in binh.menu()
    # The organiser's buttons' data, forged by the secretary, does nothing either.
    own = binh.last
    for data in ("units:add", "units:rename", "units:move", "ua:page:1", "um:3", "ut:3:page:0"):
        assert only_text(await binh.press_data(own, data)).startswith("Chỉ Ban Tổ chức")
    for data in ("ua:1", "ur:3"):
        assert "Chỉ Ban Tổ chức, Văn phòng của đơn vị này" in only_text(
            await binh.press_data(own, data)
        )
    for data in ("uk:1:cell", "uk:2:cell"):
        assert "Chỉ Ban Tổ chức, Văn phòng của đơn vị này" in only_text(
            await binh.press_data(own, data)
        )
        # No name is asked for, so the next text is no unit name.
        assert "chưa hiểu" in only_text(await binh.send("Chi bộ Của Tôi"))
    for data in ("ut:3:1", "ut:1:1"):
        assert "Chỉ Ban Tổ chức, Văn phòng của đơn vị này" in only_text(
            await binh.press_data(own, data)
        )
    assert await db_state(bot) == before


async def test_units_in_english(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    await admin.send("/ngonngu")
    await admin.press("English")
    shown = only_text(await admin.send("🏛 Units"))
    assert shown == TREE.replace("Các đơn vị của đồng chí:", "Your units:")
    await admin.press("➕ Add a unit")
    kinds = await admin.press(tree_label(GRASSROOTS, 1))
    assert [label for label, _ in kinds[0].buttons] == [
        "Sub-organisation (Đảng bộ bộ phận)",
        "Party cell (Chi bộ)",
        "✖ Cancel",
    ]
    await admin.press("Party cell (Chi bộ)")
    assert only_text(await admin.send("\u200b")) == "Please type the unit name in words.\n" + (
        "Please type the name again, or /huy to stop."
    )
