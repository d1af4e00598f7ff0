"""/dangky, /lich, /gopy and /tonghop with text replies alone (the plain renderer: numbered
choices, no buttons, no edits — what Zalo gets): a session reported, one detail changed from the
summary, saved; then opened from the confirmation, rescheduled with a reason, and its history
read; a delegate's ratings and comments after a session; and /tonghop down to a session's roll."""

from __future__ import annotations

from datetime import timedelta

from core.clock import FrozenClock
from playground.harness import BotHarness
from services.context import Ctx
from tests.e2e_steps import texts
from tests.test_feedback_service import END, attend
from tests.test_plain_channel import assert_plain, plain_bot
from tests.test_report_session_e2e import SEC, SUMMARY, build, session_rows

__all__ = ["plain_bot"]


async def test_a_session_is_reported_and_moved_by_numbers(
    plain_bot: BotHarness, clock: FrozenClock
) -> None:
    await build(plain_bot, clock)
    sec = plain_bot.user(SEC, "An", language_code="vi")
    asked = await sec.send("/dangky")
    assert "Buổi sinh hoạt theo hình thức nào?" in texts(asked)
    await sec.choose("Sinh hoạt thường kỳ")
    # A date is asked: "28/3 8h" is the answer, not a choice.
    assert "Buổi sinh hoạt kéo dài bao lâu?" in texts(await sec.send("28/3 8h"))
    await sec.choose("120 phút")
    await sec.send("Hội trường Đảng ủy phường")
    summary = await sec.choose("Như địa điểm")
    assert SUMMARY in texts(summary) and "Thời lượng: 120 phút" in texts(summary)
    await sec.choose("✏️ Sửa")
    await sec.choose("Thời lượng")
    changed = await sec.choose("90 phút")
    assert "Thời lượng: 90 phút" in texts(changed)
    saved = await sec.choose("✅ Xác nhận")
    assert "Đã lưu: Sinh hoạt thường kỳ của “Chi bộ Khu phố 1”" in texts(saved)
    [row] = await session_rows(plain_bot)
    assert (row["duration_minutes"], row["venue"]) == (90, "Hội trường Đảng ủy phường")

    card = await sec.choose("📋 Xem buổi sinh hoạt")
    assert "Tình trạng: đã lên lịch" in texts(card), texts(card)
    asked = await sec.choose("🕘 Đổi lịch")
    assert "Xin gõ ngày giờ mới, ví dụ" in texts(asked), texts(asked)
    await sec.send("29/3 8h")
    moved = await sec.send("Trùng lịch họp")
    assert "Đã đổi lịch: Sinh hoạt thường kỳ của “Chi bộ Khu phố 1” nay vào" in texts(moved)
    await sec.choose("📋 Xem buổi sinh hoạt")
    history = await sec.choose("📜 Lịch sử")
    assert "Lý do: Trùng lịch họp" in texts(history), texts(history)
    assert_plain(sec)


async def test_feedback_is_given_by_numbers(
    plain_bot: BotHarness, ctx: Ctx, clock: FrozenClock
) -> None:
    found = await attend(ctx, clock)
    await ctx.session.commit()
    await plain_bot.drain()
    clock.set(END + timedelta(hours=1))
    person = found.present[0]
    user = plain_bot.user(person.telegram_id, person.full_name)  # type: ignore[arg-type]
    start = len(user.messages)  # (the scheduler's request before is the outbox's, not a flow's)
    card = await user.send("/gopy")
    assert "Câu 1/6: Công tác chuẩn bị (tối đa 15 điểm)" in texts(card), texts(card)
    await user.choose("Khá")
    await user.choose("◀ Quay lại")  # the first question again
    for _ in range(6):
        asked = await user.choose("Tốt")
    assert "Đã ghi nhận đánh giá của đồng chí" in texts(asked), texts(asked)
    assert "Mặt làm được (1/3)" in texts(asked)
    await user.send("Chuẩn bị chu đáo")
    await user.choose("⏭ Bỏ qua")
    done = await user.choose("⏭ Bỏ qua")
    assert "Cảm ơn đồng chí đã góp ý!" in texts(done), texts(done)
    for message in user.messages[start:]:
        assert not message.buttons and not message.edits and message.kind == "text", message


async def test_a_session_summary_and_its_roll_by_numbers(
    plain_bot: BotHarness, ctx: Ctx, clock: FrozenClock
) -> None:
    found = await attend(ctx, clock)
    await ctx.session.commit()
    await plain_bot.drain()
    organiser = plain_bot.user(found.organiser.telegram_id, "Tổ")  # type: ignore[arg-type]
    start = len(organiser.messages)
    await organiser.send("/tonghop")
    view = await organiser.choose("82-KH/ĐU — Tổ chức sinh hoạt chi bộ mẫu năm 2025")
    assert "📊 TỔNG HỢP KẾ HOẠCH" in texts(view)
    summary = await organiser.choose("Chi bộ Khoa Toán, 08:00 20/01/2025")
    assert "📊 TỔNG HỢP BUỔI SINH HOẠT" in texts(summary), texts(summary)
    roll = await organiser.choose("📋 Điểm danh (XLSX)")
    assert f"diem-danh-buoi-{found.session_id}.xlsx" in texts(roll), texts(roll)
    for message in organiser.messages[start:]:
        assert not message.buttons and not message.edits and message.kind == "text", message
