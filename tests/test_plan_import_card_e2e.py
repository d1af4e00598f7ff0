"""End to end over the stub: the organiser finishes an imported draft in chat. A host is
fixed by picking an existing unit, a missed session is added, a past date is moved, a
deadline is corrected, existing units are reused and none is made twice."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from core.clock import FrozenClock
from playground.harness import BotHarness, HarnessUser
from playground.stub_models import SentMessage
from tests.e2e_steps import ROOT, add_unit, admin_ready

EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "ke-hoach-82-KH-DU.md"
IMPORT = "📥 Nhập thành kế hoạch mới"
needs_example = pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example not present")

CASCADE_PLAN = """ĐẢNG ỦY
Số 9-KH/ĐU
Hà Nội, ngày 02 tháng 01 năm 2025

KẾ HOẠCH
Sinh hoạt chi bộ mẫu năm 2025

I. NỘI DUNG
1. Chi bộ Tổ 1 thuộc Đảng bộ Phường Mới sinh hoạt thường kỳ mẫu lúc 19 giờ 00 ngày 10/02/2025 tại Nhà văn hóa Tổ 1.
2. Chi bộ Tổ 2 thuộc Đảng bộ Phường Mới sinh hoạt chuyên đề mẫu “Dân vận khéo” lúc 19 giờ 00 ngày 20/02/2025 tại Nhà văn hóa Tổ 2.

II. TỔ CHỨC THỰC HIỆN
Các chi bộ gửi nội dung về Văn phòng Đảng ủy trước ngày 05/01/2025.
"""


async def rows(bot: BotHarness, sql: str) -> list[tuple[object, ...]]:
    async with bot.engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(text(sql))).all()]


async def unit_names(bot: BotHarness) -> list[str]:
    return [str(r[0]) for r in await rows(bot, "SELECT name FROM unit ORDER BY id")]


async def import_file(admin: HarnessUser, name: str, data: bytes) -> SentMessage:
    await admin.send_document(name, data)
    return (await admin.press(IMPORT))[-1]


@needs_example
async def test_existing_units_are_reused_and_a_host_is_fixed_by_picking(
    bot: BotHarness, clock: FrozenClock
) -> None:
    clock.set(datetime(2024, 3, 1, 2, 0, tzinfo=UTC))
    admin = await admin_ready(bot)
    # The tree already has the first host, spelt a little differently from the plan.
    await add_unit(
        admin, ROOT, 0, "Đảng bộ cơ sở", "Đảng bộ Trường Cao đẳng Lý Tự Trọng TP. Hồ Chí Minh"
    )
    await add_unit(
        admin, "Đảng bộ Trường Cao đẳng Lý Tự Trọng TP. Hồ Chí Minh", 1, "Chi bộ", "Chi bộ 1"
    )
    await add_unit(admin, ROOT, 0, "Chi bộ", "Chi bộ Văn phòng")
    before = await unit_names(bot)
    card = await import_file(admin, "ke-hoach.md", EXAMPLE.read_bytes())
    body = card.text or ""
    assert "Chi bộ 1 (đã có)" in body
    assert "Chi bộ 4 (Đảng bộ Trường Trung cấp Kinh tế - Kỹ thuật Quận 12) (đơn vị mới)" in body
    # Session 2 is really hosted by a unit that exists: pick it.
    menu = (await admin.press("✏️ Sửa buổi 2", card))[-1]
    assert "Buổi 2: Sinh hoạt chuyên đề" in (menu.text or "")
    picker = (await admin.press("🏛 Đơn vị thực hiện", menu))[-1]
    menu = (await admin.press("· Chi bộ Văn phòng", picker))[-1]
    assert "Đơn vị thực hiện: Chi bộ Văn phòng (đã có)" in (menu.text or "")
    card = (await admin.press("↩ Về bản nháp", menu))[-1]
    assert "đơn vị mới" not in (card.text or "")
    await admin.press("✏️ Chủ đề 2", card)
    card = (await admin.send("Nâng cao chất lượng sinh hoạt chi bộ"))[-1]
    done = (await admin.press("✅ Tạo kế hoạch", card))[-1].text or ""
    assert "Đã tạo kế hoạch nháp 82-KH/ĐU: 2 buổi" in done and "đơn vị mới" not in done
    assert await unit_names(bot) == before  # nothing new, nothing twice
    hosts = await rows(
        bot,
        "SELECT u.name FROM model_session s JOIN unit u ON u.id = s.host_unit_id ORDER BY s.id",
    )
    assert hosts == [("Chi bộ 1",), ("Chi bộ Văn phòng",)]


@needs_example
async def test_a_missed_session_is_added_and_a_past_date_moved(
    bot: BotHarness, clock: FrozenClock
) -> None:
    clock.set(datetime(2024, 4, 1, 2, 0, tzinfo=UTC))  # session 1 (28/3) is already past
    admin = await admin_ready(bot)
    card = await import_file(admin, "ke-hoach.md", EXAMPLE.read_bytes())
    body = card.text or ""
    assert "ngày 28 tháng 3 năm 2024 ⚠ đã qua" in body
    assert "Không thể lên lịch cho ngày đã qua" in body
    prompt = (await admin.press("🗓 Đổi ngày buổi 1", card))[-1]
    assert "ngày giờ của buổi 1" in (prompt.text or "")
    wrong = (await admin.send("25/3/2024 8h"))[-1].text or ""  # still in the past
    assert "đã qua" in wrong
    card = (await admin.send("10/4/2024 8h"))[-1]
    assert "⚠ đã qua" not in (card.text or "")
    assert "08 giờ 00, thứ Tư, ngày 10 tháng 4 năm 2024" in (card.text or "")
    # The plan forgot a third session: add it, with its host, time and venue.
    kinds = (await admin.press("➕ Thêm buổi", card))[-1]
    menu = (await admin.press("Hội thảo", kinds))[-1]
    assert "Buổi 3: Hội thảo" in (menu.text or "")
    picker = (await admin.press("🏛 Đơn vị thực hiện", menu))[-1]
    await admin.press("✏️ Gõ tên đơn vị mới", picker)
    card = (await admin.send("Chi bộ 7"))[-1]
    assert "Chi bộ 7 (đơn vị mới)" in (card.text or "")
    await admin.press("✏️ Sửa buổi 3", card)
    await admin.press("🗓 Thời gian")
    card = (await admin.send("tháng 5/2024"))[-1]
    await admin.press("✏️ Sửa buổi 3", card)
    await admin.press("📍 Địa điểm")
    card = (await admin.send("Hội trường Đảng ủy"))[-1]
    await admin.press("✏️ Sửa buổi 2", card)
    await admin.press("✏️ Chủ đề")
    card = (await admin.send("Chi bộ với công tác dân vận"))[-1]
    body = card.text or ""
    assert (
        "3. Hội thảo — Chi bộ 7 (đơn vị mới) — dự kiến tháng 5 năm 2024 — Hội trường Đảng ủy"
        in body
    )
    done = (await admin.press("✅ Tạo kế hoạch", card))[-1].text or ""
    assert "3 buổi" in done, done
    sessions = await rows(
        bot, "SELECT kind, starts_at, status, venue FROM model_session ORDER BY id"
    )
    assert [s[0] for s in sessions] == ["thuong_ky", "chuyen_de", "hoi_thao"]
    assert str(sessions[0][1]).startswith("2024-04-10 01:00")
    assert sessions[2][2] == "tentative" and sessions[2][3] == "Hội trường Đảng ủy"


async def test_a_deadline_is_corrected_and_shared_new_units_are_made_once(
    bot: BotHarness, clock: FrozenClock
) -> None:
    clock.set(datetime(2025, 1, 6, 2, 0, tzinfo=UTC))  # the deadline (5/1) has just passed
    admin = await admin_ready(bot)
    card = await import_file(admin, "ke-hoach-9.txt", CASCADE_PLAN.encode())
    body = card.text or ""
    assert "ngày 5 tháng 1 năm 2025 ⚠ đã qua" in body
    assert (
        "Khi xác nhận sẽ thêm các đơn vị mới: Chi bộ Tổ 1, Chi bộ Tổ 2, Đảng bộ Phường Mới" in body
    )
    menu = (await admin.press("✏️ Sửa hạn 1", card))[-1]
    await admin.press("🗓 Ngày", menu)
    card = (await admin.send("31/1/2025"))[-1]
    await admin.press("✏️ Sửa hạn 1", card)
    await admin.press("✏️ Nội dung")
    card = (await admin.send("Các chi bộ gửi đề cương sinh hoạt về Văn phòng Đảng ủy"))[-1]
    body = card.text or ""
    assert "ngày 31 tháng 1 năm 2025 — Các chi bộ gửi đề cương sinh hoạt" in body
    assert "⚠ đã qua" not in body
    done = (await admin.press("✅ Tạo kế hoạch", card))[-1].text or ""
    assert "2 buổi" in done and "1 yêu cầu" in done, done
    names = await unit_names(bot)
    assert names.count("Đảng bộ Phường Mới") == 1  # both sessions' parent, created once
    assert {"Chi bộ Tổ 1", "Chi bộ Tổ 2"} <= set(names)
    (requirement,) = await rows(bot, "SELECT due_on, description FROM requirement")
    assert str(requirement[0]) == str(date(2025, 1, 31))
    assert requirement[1] == "Các chi bộ gửi đề cương sinh hoạt về Văn phòng Đảng ủy"
    # The same plan again (a new number): every host now exists, nothing is made twice.
    card = await import_file(
        admin, "ke-hoach-9b.txt", CASCADE_PLAN.replace("9-KH", "10-KH").encode()
    )
    assert "Chi bộ Tổ 1 (đã có)" in (card.text or "") and "đơn vị mới" not in (card.text or "")
    await admin.press("🗑 Bỏ hạn 1", card)
    done = (await admin.press("✅ Tạo kế hoạch"))[-1].text or ""
    assert "Đã tạo kế hoạch nháp 10-KH/ĐU: 2 buổi" in done
    assert await unit_names(bot) == names


async def test_bad_typed_values_change_nothing(bot: BotHarness, clock: FrozenClock) -> None:
    clock.set(datetime(2025, 1, 2, 2, 0, tzinfo=UTC))
    admin = await admin_ready(bot)
    card = await import_file(admin, "ke-hoach-9.txt", CASCADE_PLAN.encode())
    await admin.press("✏️ Sửa buổi 1", card)
    await admin.press("🗓 Thời gian")
    reply = (await admin.send("ngày 35/13"))[-1].text or ""
    assert "Xin gõ lại" in reply
    card = (await admin.send("/huy"))[-1]
    await admin.press("↩ Về bản nháp")
    card = admin.last
    assert "19 giờ 00, thứ Hai, ngày 10 tháng 2 năm 2025" in (card.text or "")
    assert await rows(bot, "SELECT id FROM plan") == []
