"""The plan, requirement, progress, document and appraisal flows with text replies alone (the
plain renderer: numbered choices, no buttons, no edits, no files — what Zalo gets)."""

from __future__ import annotations

from playground.harness import BotHarness
from tests.test_plain_channel import assert_plain, plain_bot, rows
from tests.test_plans_e2e import A1, ORG_GA, ORG_ROOT, SEC_A1, org_of, with_ctx
from tests.test_plans_service import new_plan

__all__ = ["plain_bot"]


async def test_a_plan_is_typed_issued_and_given_a_requirement_by_numbers(
    plain_bot: BotHarness,
) -> None:
    await org_of(plain_bot)
    to = plain_bot.user(ORG_ROOT, "Tổ", language_code="vi")
    await to.send("/kehoach")
    await to.choose("➕ Kế hoạch mới")
    await to.send("82-KH/ĐU")
    asked = await to.send("Tổ chức sinh hoạt chi bộ mẫu")
    assert "1. Hôm nay" in (asked[-1].text or "")
    await to.send("Hôm nay")  # (a number where a date is asked is a date: the label is typed)
    await to.send("Hà Nội")
    form = await to.choose("Bỏ qua")
    assert "Nơi ban hành: Hà Nội" in (form[-1].text or "")
    card = await to.choose("✅ Xác nhận")
    assert "Tình trạng: bản nháp" in (card[-1].text or "")
    await to.choose("Ban hành")
    issued = await to.choose("✅ Ban hành")
    assert issued[0].text == "Đã ban hành kế hoạch 82-KH/ĐU."

    await to.choose("➕ Yêu cầu báo cáo")
    await to.choose("Gửi tài liệu (tham luận…)")
    await to.choose("Chọn từng đơn vị")
    picked = await to.choose("☐ · " + A1)  # the picker, again, with the unit ticked
    assert f"☑ · {A1}" in (picked[-1].text or "")
    await to.choose("✅ Xong (1)")
    await to.send("20/2")
    await to.send("Gửi bài tham luận")
    added = await to.choose("✅ Xác nhận")
    assert added[0].text and added[0].text.startswith("Đã thêm yêu cầu.")
    assert await rows(plain_bot, "SELECT description FROM requirement") == [("Gửi bài tham luận",)]
    await to.send("/tiendo")
    table = await to.choose("82-KH/ĐU — Tổ chức sinh hoạt chi bộ mẫu (đã ban hành)")
    assert f"⏳ {A1} — chưa đến hạn; còn thiếu: tài liệu" in (table[0].text or "")
    refreshed = await to.choose("🔄 Làm mới")
    assert "Đã nộp: 0/1" in (refreshed[0].text or "")
    assert_plain(to)


async def test_content_is_submitted_and_approved_by_numbers(plain_bot: BotHarness) -> None:
    from services import sessions
    from storage.models import SessionKind
    from tests.test_plans_service import at

    org = await org_of(plain_bot)
    plan = await with_ctx(plain_bot, lambda ctx: new_plan(ctx, org))

    async def create(ctx):  # type: ignore[no-untyped-def]
        await sessions.create_session(
            ctx,
            org.sec_a1,
            plan.id,
            org.a1.id,
            SessionKind.CHUYEN_DE,
            at(28, 3),
            topic="Học tập và làm theo tư tưởng Hồ Chí Minh",
        )

    await with_ctx(plain_bot, create)
    sec = plain_bot.user(SEC_A1, "An", language_code="vi")
    await sec.send("/thamdinh")
    await sec.choose(f"📎 28/3 — {A1} — Chuyên đề")
    noted = await sec.send("I. Chương trình sinh hoạt")
    assert (noted[-1].text or "").startswith("Đã ghi (25 ký tự).")
    sent = await sec.choose("📨 Gửi thẩm định")
    assert (sent[-1].text or "").startswith("Đã gửi thẩm định.")

    reviewer = plain_bot.user(ORG_GA, "Tổ A", language_code="vi")
    await reviewer.send("/thamdinh")
    await reviewer.choose(f"🔍 28/3 — {A1} — Chuyên đề")
    approved = await reviewer.choose("✅ Duyệt")
    assert approved[-1].text == f"Đã duyệt nội dung của “{A1}”. Đơn vị đã được thông báo."
    assert await rows(plain_bot, "SELECT content_status FROM model_session") == [("approved",)]
    assert_plain(sec)
    # (The reviewer's notice comes from the outbox, whose sender still draws Telegram buttons.)
