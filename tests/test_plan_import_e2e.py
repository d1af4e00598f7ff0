"""End to end: an organiser forwards a KẾ HOẠCH file, reviews the draft card, fixes a missing
topic, drops nothing, confirms; bad files get a clear message and create nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from core.clock import FrozenClock
from playground.harness import BotHarness
from tests.e2e_steps import admin_ready

EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "ke-hoach-82-KH-DU.md"
IMPORT = "📥 Nhập thành kế hoạch mới"


async def count(bot: BotHarness, table: str) -> int:
    async with bot.engine.connect() as conn:
        return int((await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example not present")
async def test_import_the_real_plan_by_chat(bot: BotHarness, clock: FrozenClock) -> None:
    clock.set(datetime(2024, 3, 1, 2, 0, tzinfo=UTC))
    admin = await admin_ready(bot)
    await admin.send_document("ke-hoach-82-KH-DU.md", EXAMPLE.read_bytes())
    card = (await admin.press(IMPORT))[-1]
    body = card.text or ""
    assert "Số hiệu: 82-KH/ĐU" in body
    assert "Chi bộ 01" in body and "08 giờ 00, thứ Năm, ngày 28 tháng 3 năm 2024" in body
    assert "(⚠ chưa có chủ đề)" in body
    assert "Thành phần tham dự: 5 nhóm" in body
    prompt = await admin.press("✏️ Chủ đề 2", card)
    assert "chủ đề của buổi chuyên đề 2" in (prompt[-1].text or "")
    card = (await admin.send("Nâng cao chất lượng sinh hoạt chi bộ"))[-1]
    assert "“Nâng cao chất lượng sinh hoạt chi bộ”" in (card.text or "")
    done = (await admin.press("✅ Tạo kế hoạch", card))[-1].text or ""
    assert "Đã tạo kế hoạch nháp 82-KH/ĐU: 2 buổi, 5 nhóm thành phần tham dự" in done
    assert await count(bot, "plan") == 1 and await count(bot, "model_session") == 2
    async with bot.engine.connect() as conn:
        status = (await conn.execute(text("SELECT status FROM plan"))).scalar_one()
    assert status == "draft"
    # The confirmed draft is gone: pressing again creates nothing more.
    again = await admin.press_data(card, "ip:ok")
    assert "không còn tác dụng" in (again[-1].text or "") or "đã xong" in (again[-1].text or "")
    assert await count(bot, "plan") == 1


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("trong.md", b"", "trống"),
        ("nhi-phan.txt", b"\x00\x01\x02binary\x00" * 50, "không phải văn bản"),
        ("ghi-chu.md", "Mua rau, nấu cơm, đón con.".encode(), "Không thấy kế hoạch"),
    ],
)
async def test_bad_files_create_nothing(
    bot: BotHarness, name: str, data: bytes, expected: str
) -> None:
    admin = await admin_ready(bot)
    replies = await admin.send_document(name, data)
    if any(IMPORT == label for m in replies for label, _ in m.buttons):
        replies = await admin.press(IMPORT)
    assert expected in (replies[-1].text or ""), [m.text for m in replies]
    assert await count(bot, "plan") == 0


async def test_only_organisers_import(bot: BotHarness) -> None:
    stranger = bot.user(3100, "Lan")
    reply = await stranger.send("/nhapkehoach")
    assert "Chỉ Ban Tổ chức" in (reply[-1].text or "")


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example not present")
async def test_cancel_throws_the_draft_away(bot: BotHarness) -> None:
    admin = await admin_ready(bot)
    await admin.send_document("ke-hoach-82-KH-DU.md", EXAMPLE.read_bytes())
    card = (await admin.press(IMPORT))[-1]
    assert "Đã dừng" in ((await admin.press("✖ Hủy", card))[-1].text or "")
    late = await admin.press_data(card, "ip:ok")
    assert "không còn tác dụng" in (late[-1].text or "") or "đã xong" in (late[-1].text or "")
    assert await count(bot, "plan") == 0
