"""End to end: a host secretary sends a session's content for review (thẩm định); the
organiser above returns it once with a comment, the host sends it again, and it is approved.
Files for a session can also be sent outside the flow, from the document question."""

from __future__ import annotations

from playground.harness import BotHarness
from services import sessions
from services.context import Ctx
from storage.models import ModelSession, SessionKind
from tests.e2e_steps import only_text, texts
from tests.test_bad_input_e2e import photo
from tests.test_plans_e2e import (
    A1,
    ORG_GA,
    ORG_ROOT,
    SEC_A1,
    SEC_B1,
    TRY_AGAIN,
    issued_plan,
    labels,
    org_of,
    plan_state,
    with_ctx,
)
from tests.test_plans_service import Org, at

WHEN = "08 giờ 00, thứ Sáu, ngày 28 tháng 3 năm 2025"
KIND = "sinh hoạt chuyên đề"


async def a_session(bot: BotHarness, org: Org) -> int:
    plan_id = await issued_plan(bot, org)

    async def create(ctx: Ctx) -> ModelSession:
        outcome = await sessions.create_session(
            ctx,
            org.sec_a1,
            plan_id,
            org.a1.id,  # type: ignore[arg-type]
            SessionKind.CHUYEN_DE,
            at(28, 3),
            topic="Học tập và làm theo tư tưởng Hồ Chí Minh",
        )
        return outcome.value

    session = await with_ctx(bot, create)
    return session.id  # type: ignore[no-any-return]


async def test_submit_return_resubmit_approve(bot: BotHarness) -> None:
    org = await org_of(bot)
    await a_session(bot, org)
    sec = bot.user(SEC_A1, "An")
    reviewer = bot.user(ORG_GA, "Tổ A")
    await bot.drain()

    listed = await sec.send("📝 Thẩm định")
    assert only_text(listed) == (
        "Nội dung các buổi do đơn vị đồng chí thực hiện:\n"
        f"• 28/3 — {A1} — Chuyên đề: chưa gửi nội dung"
    )
    asked = await sec.press(f"📎 28/3 — {A1} — Chuyên đề")
    assert only_text(asked) == (
        f"Nội dung {KIND} của “{A1}” ({WHEN}).\n"
        "Xin gõ nội dung (chương trình, dự thảo nghị quyết, bài chuyên đề) và/hoặc gửi tệp "
        ".docx, .pdf. Sau đó bấm 📨 Gửi thẩm định."
    )
    before = await plan_state(bot)
    # Sending with nothing in it is refused; a photo or a bad file gets a hint.
    refused = await sec.press("📨 Gửi thẩm định", asked[0])
    assert only_text(refused).startswith("Xin gửi chương trình, dự thảo nghị quyết")
    assert only_text(await photo(sec)).startswith("Xin gõ nội dung bằng chữ hoặc gửi tệp")
    assert only_text(
        await sec.send_document("a.exe", b"MZ", "application/x-msdownload")
    ).startswith("Chỉ nhận tệp Word")
    assert await plan_state(bot) == before
    noted = await sec.send("I. Chương trình sinh hoạt\n1. Khai mạc")
    assert only_text(noted).startswith("Đã ghi (37 ký tự).")
    got = await sec.send_document("du-thao-nghi-quyet.docx", b"PK\x03\x04 docx")
    assert only_text(got).startswith("Đã nhận “du-thao-nghi-quyet.docx”.")
    assert await plan_state(bot) == before  # nothing kept before it is sent
    sent = await sec.press("📨 Gửi thẩm định", got[0])
    assert only_text(sent) == (
        "Đã gửi thẩm định. Đã báo cho 1 người thẩm định; kết quả sẽ được gửi đến đồng chí tại đây."
    )
    await bot.drain()
    notice = bot.stub.messages_to(ORG_GA)[-1]
    assert notice.text == f"“{A1}” đã gửi nội dung {KIND} ({WHEN}) để thẩm định."
    assert labels(notice) == ["✅ Duyệt", "↩️ Trả lại", "🔍 Xem nội dung"]

    # The reviewer looks at it, then returns it; the comment is required.
    shown = await reviewer.press("🔍 Xem nội dung", notice)
    assert only_text(shown) == (
        f"Nội dung {KIND} của “{A1}” ({WHEN}), kế hoạch 82-KH/ĐU\n"
        "Tình trạng: nội dung đang chờ thẩm định\n"
        "Chuyên đề: Học tập và làm theo tư tưởng Hồ Chí Minh\n"
        "\n"
        "I. Chương trình sinh hoạt\n1. Khai mạc\n"
        "\n"
        "Tệp đính kèm:\n"
        "📄 du-thao-nghi-quyet.docx"
    )
    files = await reviewer.press("📄 Mở tệp (1)", shown[0])
    assert [m.filename for m in files] == ["du-thao-nghi-quyet.docx"]
    before = await plan_state(bot)
    asked = await reviewer.press("↩️ Trả lại", notice)
    assert only_text(asked).startswith(f"Xin gõ ý kiến: “{A1}” cần sửa những gì")
    assert only_text(await reviewer.send("\u200b")) == (
        "Xin ghi rõ đơn vị cần sửa gì, ví dụ: Bổ sung phần liên hệ thực tiễn của chi bộ.\n"
        + TRY_AGAIN
    )
    assert "quá dài" in only_text(await reviewer.send("x" * 2100))
    assert await plan_state(bot) == before
    returned = await reviewer.send("Bổ sung phần liên hệ thực tiễn của chi bộ.")
    assert only_text(returned).startswith(f"Đã trả lại nội dung cho “{A1}” kèm ý kiến")
    await bot.drain()
    told = sec.messages[-1]
    assert told.text == (
        f"Nội dung {KIND} của “{A1}” ({WHEN}) bị trả lại để sửa: "
        "Bổ sung phần liên hệ thực tiễn của chi bộ."
    )
    assert labels(told) == ["📎 Nộp nội dung"]
    # The stale approve button of the first notice is refused now.
    assert only_text(await reviewer.press("✅ Duyệt", notice)) == (
        "Buổi sinh hoạt này không có nội dung nào đang chờ thẩm định."
    )
    listed = await sec.send("/thamdinh")
    assert "Ý kiến cần sửa: Bổ sung phần liên hệ thực tiễn của chi bộ." in only_text(listed)

    # The host sends it again (the earlier text and file are kept) and it is approved.
    again = await sec.press("📎 Nộp nội dung", told)
    assert texts(again).split("\n")[1:3] == [
        "Ý kiến cần sửa: Bổ sung phần liên hệ thực tiễn của chi bộ.",
        "Nội dung đã gửi trước đây được giữ lại, trừ khi đồng chí gõ nội dung mới.",
    ]
    await sec.send("II. Liên hệ thực tiễn của chi bộ")
    await sec.press("📨 Gửi thẩm định")
    await bot.drain()
    second = bot.stub.messages_to(ORG_GA)[-1]
    assert labels(second) == ["✅ Duyệt", "↩️ Trả lại", "🔍 Xem nội dung"]
    waiting = await reviewer.send("/thamdinh")
    assert only_text(waiting) == (f"Nội dung chờ đồng chí thẩm định:\n• 28/3 — {A1} — Chuyên đề")
    approved = await reviewer.press("✅ Duyệt", second)
    assert only_text(approved) == f"Đã duyệt nội dung của “{A1}”. Đơn vị đã được thông báo."
    assert labels(second) == []
    await bot.drain()
    assert sec.messages[-1].text == f"Nội dung {KIND} của “{A1}” ({WHEN}) đã được duyệt."
    listed = await sec.send("/thamdinh")
    assert only_text(listed).endswith(f"• 28/3 — {A1} — Chuyên đề: nội dung đã được duyệt")
    assert labels(listed[0]) == []
    reviews = (await plan_state(bot))["content_review"]
    assert [r[2] for r in reviews] == ["submitted", "returned", "submitted", "approved"]
    assert len((await plan_state(bot))["document"]) == 1


async def test_others_cannot_review_or_submit(bot: BotHarness) -> None:
    org = await org_of(bot)
    sid = await a_session(bot, org)
    other = bot.user(SEC_B1, "Em")
    await other.send("/thamdinh")
    before = await plan_state(bot)
    for data in (f"ap:ok:{sid}", f"ap:view:{sid}", f"ap:files:{sid}", f"ap:ret:{sid}"):
        refused = only_text(await other.press_data(other.last, data))
        assert refused.startswith("Chỉ Ban Tổ chức của “Đảng bộ Trường A”"), refused
    refused = only_text(await other.press_data(other.last, f"ap:submit:{sid}"))
    assert refused == f"Chỉ bí thư hoặc phó bí thư của “{A1}” mới nộp được nội dung của đơn vị."
    assert "chưa hiểu" in only_text(await other.send("Nội dung"))  # no step was opened
    # The organiser of the committee reviews too, but there is nothing waiting yet.
    top = bot.user(ORG_ROOT, "Tổ")
    await top.send("/thamdinh")
    assert only_text(await top.press_data(top.last, f"ap:ret:{sid}")) == (
        "Buổi sinh hoạt này không có nội dung nào đang chờ thẩm định."
    )
    assert await plan_state(bot) == before


async def test_session_files_from_the_document_question(bot: BotHarness) -> None:
    org = await org_of(bot)
    sid = await a_session(bot, org)
    sec = bot.user(SEC_A1, "An")
    asked = await sec.send_document("chuong-trinh.pdf", b"%PDF-1.4", "application/pdf")
    assert labels(asked[0]) == [f"Nội dung buổi 28/3 — {A1}", "✖ Hủy"]
    parts = await sec.press(f"Nội dung buổi 28/3 — {A1}")
    assert only_text(parts) == "Đây là phần nào của nội dung?"
    assert labels(parts[0]) == ["Chương trình", "Dự thảo nghị quyết", "Bài chuyên đề", "✖ Hủy"]
    got = await sec.press("Chương trình")
    assert only_text(got).startswith(
        f"Đã nhận “chuong-trinh.pdf” (Chương trình) cho buổi sinh hoạt của “{A1}” ngày 28/3."
    )
    assert len((await plan_state(bot))["document"]) == 1
    # From there, to the submission; a command on the way ends the step and does what it says.
    await sec.press("📎 Nộp nội dung", got[0])
    listed = await sec.send("/thamdinh")
    assert only_text(listed).endswith(f"• 28/3 — {A1} — Chuyên đề: chưa gửi nội dung")
    assert "chưa hiểu" in only_text(await sec.send("Nội dung"))
    await sec.press("📎 Nộp nội dung", got[0])
    sent = await sec.press("📨 Gửi thẩm định")  # the file counts as content
    assert only_text(sent).startswith("Đã gửi thẩm định.")
    assert (await plan_state(bot))["model_session"][0][0] == sid
