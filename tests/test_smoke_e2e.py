from playground.harness import BotHarness
from tests.conftest import ADMIN_ID


async def test_start_unregistered(bot: BotHarness) -> None:
    stranger = bot.user(2000, "Lan")
    replies = await stranger.send("/start")
    assert len(replies) == 1
    assert "chưa đăng ký" in (replies[0].text or "")


async def test_admin_completes_profile(bot: BotHarness) -> None:
    admin = bot.user(ADMIN_ID, "Admin")
    replies = await admin.send("/start")
    assert "họ và tên" in (replies[0].text or "")
    replies = await admin.send("Nguyễn Văn An")
    replies = await admin.send("Chánh Văn phòng")
    texts = [m.text for m in replies]
    print(texts)
    assert any("Nguyễn Văn An" in (t or "") for t in texts)
    assert "🏛 Đơn vị" in admin.menu()
