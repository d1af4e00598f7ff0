"""End to end: Vietnamese by default, English for English Telegram clients, /ngonngu to switch."""

from __future__ import annotations

from playground.harness import BotHarness
from tests.conftest import ADMIN_ID
from tests.e2e_steps import admin_ready, admin_with_cell, db_state, make_link, only_text

# Buttons every organiser has (features add more); the menu must be wholly in one language.
MENU_VI = ["🔗 Mời tham gia", "🏛 Đơn vị", "👤 Thông tin của tôi", "🌐 Ngôn ngữ", "❓ Trợ giúp"]
MENU_EN = ["🔗 Invite people", "🏛 Units", "👤 My profile", "🌐 Language", "❓ Help"]


def assert_menu(menu: list[str], expected: list[str], other_language: list[str]) -> None:
    assert set(expected) <= set(menu), menu
    assert not set(other_language) & set(menu), menu


async def locale_of(bot: BotHarness, telegram_id: int) -> str | None:
    person = next(p for p in (await db_state(bot))["person"] if p[1] == telegram_id)
    return person[5]


async def test_switch_to_english_and_back(bot: BotHarness) -> None:
    admin = await admin_ready(bot)
    assert_menu(admin.menu(), MENU_VI, MENU_EN)
    picker = await admin.send("/ngonngu")
    assert only_text(picker) == "Chọn ngôn ngữ:"
    assert [label for label, _ in picker[0].buttons] == ["✓ Tiếng Việt", "English"]
    assert only_text(await admin.press("English")) == "Language set to English."
    assert_menu(admin.menu(), MENU_EN, MENU_VI)
    assert await locale_of(bot, ADMIN_ID) == "en"
    # Later replies are in English, to commands and to the English menu labels alike.
    assert only_text(await admin.send("/start")).startswith("Hello Nguyễn Văn An! Your roles:")
    assert only_text(await admin.send("🏛 Units")).startswith("Your units:")
    assert only_text(await admin.send("/donvi")).startswith("Your units:")  # Vietnamese command
    assert "I didn't understand that" in only_text(await admin.send("xin chào"))

    picker = await admin.send("🌐 Language")
    assert only_text(picker) == "Choose your language:"
    assert [label for label, _ in picker[0].buttons] == ["Tiếng Việt", "✓ English"]
    assert only_text(await admin.press("Tiếng Việt")) == "Đã chuyển sang tiếng Việt."
    assert_menu(admin.menu(), MENU_VI, MENU_EN)
    assert await locale_of(bot, ADMIN_ID) == "vi"
    assert only_text(await admin.send("/units")).startswith("Các đơn vị của đồng chí:")


async def test_chosen_language_beats_the_telegram_language(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    token, _ = await make_link(admin, "Chi bộ Khu phố 2", 2, "đảng viên")
    mai = bot.user(2002, "Mai", language_code="en")
    await mai.send(f"/start {token}")
    await mai.send("Lê Thị Mai")
    await mai.send("Party member")
    assert await locale_of(bot, 2002) == "en"
    await mai.send("/language")
    await mai.press("Tiếng Việt")
    assert only_text(await mai.send("/start")).startswith("Xin chào đồng chí Lê Thị Mai")
    assert_menu(mai.menu(), ["👤 Thông tin của tôi", "🌐 Ngôn ngữ", "❓ Trợ giúp"], MENU_EN)
    assert not {"🔗 Mời tham gia", "🏛 Đơn vị"} & set(mai.menu())


async def test_defaults(bot: BotHarness) -> None:
    en = bot.user(2001, "Anna", language_code="en-GB")
    assert only_text(await en.send("/start")).startswith("Hello! This is chibot")
    assert en.menu() == ["🌐 Language", "❓ Help"]
    for code in ("vi", "fr", ""):
        other = bot.user(2100 + len(code), "Lan", language_code=code)
        assert only_text(await other.send("/start")).startswith("Xin chào! Đây là chibot")


async def test_newcomer_switches_language_before_joining(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    token, _ = await make_link(admin, "Chi bộ Khu phố 2", 2, "đảng viên")
    lan = bot.user(2001, "Lan")
    await lan.send("/ngonngu")
    assert only_text(await lan.press("English")) == "Language set to English."
    assert lan.menu() == ["🌐 Language", "❓ Help"]
    assert [p[1] for p in (await db_state(bot))["person"]] == [ADMIN_ID]  # nothing stored yet
    assert only_text(await lan.send(f"/start {token}")).startswith("You are invited to join")
    await lan.send("Phạm Thị Lan")
    welcome = await lan.send("Party member")
    assert (welcome[0].text or "").startswith("Welcome! You have joined")
    assert await locale_of(bot, 2001) == "en"  # remembered from the choice


async def test_help_lists_commands_in_the_users_language(bot: BotHarness) -> None:
    admin = await admin_ready(bot)
    help_vi = only_text(await admin.send("/trogiup"))
    assert help_vi.startswith("Những việc đồng chí có thể làm:")
    assert "/donvi" in help_vi and "/moi" in help_vi and "/units" not in help_vi
    await admin.send("/ngonngu")
    await admin.press("English")
    help_en = only_text(await admin.send("❓ Help"))
    assert help_en.startswith("What you can do here:")
    assert "/units" in help_en and "/invite" in help_en and "/donvi" not in help_en
    stranger = only_text(await bot.user(2001, "Lan").send("/help"))
    assert "/donvi" not in stranger and "/ngonngu" in stranger
    assert "đường dẫn mời" in stranger


async def test_commands_are_published_per_language(bot: BotHarness) -> None:
    calls = bot.stub.calls_to("setMyCommands")
    by_language = {call.get("language_code"): call["commands"] for call in calls}
    assert set(by_language) == {None, "en", "vi"}
    names = {lang: [c["command"] for c in commands] for lang, commands in by_language.items()}
    assert set(names[None]) == set(names["vi"]) >= {"donvi", "moi", "ngonngu", "trogiup", "toi"}
    assert set(names["en"]) >= {"units", "invite", "language", "help", "me"}
    assert by_language[None] == by_language["vi"]
    descriptions = {c["command"]: c["description"] for c in by_language["en"]}
    assert descriptions["language"] == "Change the language"
    descriptions = {c["command"]: c["description"] for c in by_language["vi"]}
    assert descriptions["ngonngu"] == "Đổi ngôn ngữ"
    # Telegram's limits: 1-32 lowercase letters, digits and underscores; descriptions 1-256.
    for commands in by_language.values():
        for command in commands:
            assert command["command"].isascii() and command["command"].islower()
            assert 1 <= len(command["command"]) <= 32
            assert 1 <= len(command["description"]) <= 256
