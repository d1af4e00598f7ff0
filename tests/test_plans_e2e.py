"""End to end: organisers create a plan by chat (/kehoach), check it, issue it, list its
sessions and close it; wrong answers at each step are asked again and change nothing.

Also the helpers the requirement and appraisal end-to-end tests share: the org tree of the
service tests, built in the bot's database, and a snapshot of the plan tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from playground.harness import BotHarness, HarnessUser
from playground.stub_models import SentMessage
from services.context import Ctx
from storage.engine import make_session_factory
from tests.e2e_steps import only_text, texts
from tests.test_bad_input_e2e import document, photo
from tests.test_plans_service import Org, build_org, new_plan

PLAN_TABLES = (
    "plan",
    "model_session",
    "requirement",
    "requirement_target",
    "document",
    "content_review",
    "notification",
)
# Telegram ids of the people `build_org` makes.
ORG_ROOT, LEADER, ORG_GA, SEC_A1, DEP_A1, MEM_A1, SEC_A2, SEC_B1, MEM_B1 = range(1, 10)
ROOT = "Đảng ủy"  # the bootstrap root unit, which `build_org` reuses
GA, GB = "Đảng bộ Trường A", "Đảng bộ Bệnh viện B"
A1, A2, B1 = "Chi bộ Khoa Toán", "Chi bộ Khoa Văn", "Chi bộ Khoa Nội"
TRY_AGAIN = "Xin gõ lại, hoặc gõ /huy để dừng."
PRESS = "Xin chọn bằng các nút ở trên, hoặc gõ /huy để dừng."
TEXT_PLEASE = "Xin gõ câu trả lời bằng tin nhắn chữ, hoặc gõ /huy để dừng."


async def with_ctx(bot: BotHarness, work: Any) -> Any:
    """Run `await work(ctx)` in one committed unit of work on the bot's database."""
    assert bot.clock is not None
    async with make_session_factory(bot.engine)() as session:
        result = await work(Ctx(session, bot.clock))
        await session.commit()
        return result


async def org_of(bot: BotHarness) -> Org:
    """The service tests' tree under the bootstrap root, with people who can chat."""
    return await with_ctx(bot, build_org)  # type: ignore[no-any-return]


async def issued_plan(bot: BotHarness, org: Org) -> int:
    plan = await with_ctx(bot, lambda ctx: new_plan(ctx, org))
    return plan.id  # type: ignore[no-any-return]


async def plan_state(bot: BotHarness) -> dict[str, list[tuple[Any, ...]]]:
    async with bot.engine.connect() as conn:
        out = {}
        for table in PLAN_TABLES:
            rows = await conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))
            out[table] = [tuple(r) for r in rows.all()]
        return out


def labels(message: SentMessage) -> list[str]:
    return [label for label, _ in message.buttons]


async def open_plan(user: HarnessUser, number: str) -> SentMessage:
    """/kehoach → the plan's button; returns the card."""
    listed = await user.send("/kehoach")
    button = next(label for label in labels(listed[-1]) if label.startswith(number + " — "))
    card = await user.press(button, listed[-1])
    assert card[-1].text and card[-1].text.startswith(f"📋 Kế hoạch số {number}")
    return card[-1]


# --------------------------------------------------------------------------- tests


async def test_organiser_creates_and_issues_a_plan(bot: BotHarness) -> None:
    org = await org_of(bot)
    to = bot.user(ORG_ROOT, "Tổ")
    await to.send("/start")
    assert "📋 Kế hoạch" in to.menu()
    empty = await to.send("📋 Kế hoạch")
    assert only_text(empty).startswith("Chưa có kế hoạch nào. Bấm ➕ Kế hoạch mới")
    assert labels(empty[0]) == ["➕ Kế hoạch mới"]
    before = await plan_state(bot)

    # One unit organised: no issuer question.
    asked = await to.press("➕ Kế hoạch mới")
    assert only_text(asked) == "Xin gõ số hiệu kế hoạch như trên văn bản, ví dụ: 82-KH/ĐU."
    assert only_text(await to.send("Kế hoạch số tám")) == (
        "Xin gõ số hiệu kế hoạch như trên văn bản, ví dụ: 82-KH/ĐU.\n" + TRY_AGAIN
    )
    assert only_text(await photo(to)) == TEXT_PLEASE
    assert only_text(await to.send("82 - kh/đu")).startswith("Xin gõ tên kế hoạch")
    assert "quá dài" in only_text(await to.send("x" * 400))
    assert "biểu tượng cảm xúc" in only_text(await to.send("Kế hoạch 😀"))
    asked = await to.send("Tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu")
    assert only_text(asked) == "Xin gõ ngày ban hành, ví dụ: 02/01/2025, hoặc bấm Hôm nay."
    assert labels(asked[0]) == ["Hôm nay", "✖ Hủy"]
    assert only_text(await to.send("31/2/2025")).startswith("Ngày này không có")
    assert only_text(await to.send("ngày mai nhé")) != ""  # read as a date: tomorrow
    assert to.last.text == "Xin gõ nơi ban hành, ví dụ: Hà Nội, hoặc bấm Bỏ qua."
    assert "quá dài" in only_text(await to.send("y" * 200))
    asked = await to.send("Hà Nội")
    assert only_text(asked).startswith("Xin gõ các căn cứ của kế hoạch, mỗi căn cứ một dòng")
    too_many = "\n".join(f"Căn cứ {n}" for n in range(31))
    assert only_text(await to.send(too_many)) == (
        "Mỗi kế hoạch ghi tối đa 30 căn cứ. Xin giữ lại các căn cứ chính.\n" + TRY_AGAIN
    )
    assert only_text(await document(to)) == TEXT_PLEASE
    card = await to.send(
        "Chỉ thị số 10-CT/TW ngày 30/3/2007 của Ban Bí thư\n\n"
        "  Hướng dẫn số 12-HD/BTCTW ngày 06/7/2017  "
    )
    assert only_text(card) == (
        "Xin đồng chí kiểm tra kế hoạch mới:\n"
        "Số hiệu: 82-KH/ĐU\n"
        "Tên kế hoạch: Tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu\n"
        f"Đơn vị ban hành: {ROOT}\n"
        "Ngày ban hành: thứ Ba, ngày 7 tháng 1 năm 2025\n"
        "Nơi ban hành: Hà Nội\n"
        "Căn cứ:\n"
        "• Chỉ thị số 10-CT/TW ngày 30/3/2007 của Ban Bí thư\n"
        "• Hướng dẫn số 12-HD/BTCTW ngày 06/7/2017\n"
        "\n"
        "Kế hoạch được lưu dạng bản nháp: chưa ai được thông báo cho đến khi đồng chí ban hành."
    )
    assert labels(card[0]) == ["✅ Xác nhận", "✖ Hủy"]
    assert only_text(await to.send("đồng ý")) == PRESS
    assert await plan_state(bot) == before  # nothing is saved before the confirmation

    saved = await to.press("✅ Xác nhận")
    assert texts(saved).startswith(
        "Đã lưu bản nháp kế hoạch 82-KH/ĐU. Xin thêm các yêu cầu báo cáo, rồi bấm Ban hành.\n"
        "📋 Kế hoạch số 82-KH/ĐU\n"
        "Tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu\n"
        f"Đơn vị ban hành: {ROOT}\n"
    )
    assert "Tình trạng: bản nháp\nSố buổi sinh hoạt mẫu: 0 · Số yêu cầu báo cáo: 0" in texts(saved)
    assert labels(saved[-1]) == [
        "Ban hành",
        "➕ Yêu cầu báo cáo",
        "📊 Tiến độ",
        "📅 Các buổi",
    ]
    # The form is over: a text now is no answer.
    assert "chưa hiểu" in only_text(await to.send("Hà Nội"))

    # The list shows it; a second plan with the same number is refused, the number asked again.
    listed = await to.send("/kehoach")
    assert labels(listed[0]) == [
        "82-KH/ĐU — Tổ chức hội nghị chuyên đề sinh hoạt… (bản nháp)",
        "➕ Kế hoạch mới",
    ]
    await to.press("➕ Kế hoạch mới")
    await to.send("82-KH/ĐU")
    await to.send("Kế hoạch khác")
    await to.press("Hôm nay")
    await to.press("Bỏ qua")
    form = await to.press("Bỏ qua")
    assert "Nơi ban hành: —\nCăn cứ: —" in only_text(form)
    clash = await to.press("✅ Xác nhận")
    assert texts(clash) == (
        "Đơn vị này đã có kế hoạch số 82-KH/ĐU.\n"
        "Xin gõ số hiệu kế hoạch như trên văn bản, ví dụ: 82-KH/ĐU."
    )
    form = await to.send("83-KH/ĐU")
    assert "Số hiệu: 83-KH/ĐU" in only_text(form)
    assert only_text(await to.press("✖ Hủy")) == "Đã dừng. Không có gì thay đổi."
    assert len((await plan_state(bot))["plan"]) == 1

    # Issue it: asked first, then done; the card loses the button.
    card = await open_plan(to, "82-KH/ĐU")
    asked = await to.press("Ban hành", card)
    assert only_text(asked).startswith("Ban hành kế hoạch 82-KH/ĐU?")
    issued = await to.press("✅ Ban hành")
    assert issued[0].text == "Đã ban hành kế hoạch 82-KH/ĐU."
    assert "Tình trạng: đã ban hành" in (issued[-1].text or "")
    assert labels(issued[-1]) == [
        "➕ Yêu cầu báo cáo",
        "📊 Tiến độ",
        "📅 Các buổi",
        "Đóng kế hoạch",
    ]
    # The old confirmation, pressed again, is refused by the service.
    again = await to.press("✅ Ban hành", asked[0])
    assert only_text(again) == "Kế hoạch 82-KH/ĐU đã được ban hành rồi."
    assert org.org_root.id is not None


async def test_issue_tells_the_units_and_secretaries_see_issued_plans(bot: BotHarness) -> None:
    org = await org_of(bot)
    plan = await with_ctx(bot, lambda ctx: new_plan(ctx, org, issue=False))
    from services import requirements, sessions
    from storage.models import RequirementKind, SessionKind
    from tests.test_plans_service import at

    async def fill(ctx: Ctx) -> None:
        await sessions.create_session(
            ctx, org.org_root, plan.id, org.a1.id, SessionKind.THUONG_KY, at(28, 3)
        )
        await requirements.create_requirement(
            ctx,
            org.org_root,
            plan.id,
            RequirementKind.DOCUMENT,
            "20/2",
            description="Gửi bài tham luận",
            target_unit_ids=[org.b1.id],
        )

    await with_ctx(bot, fill)
    sec = bot.user(SEC_B1, "Em")
    # A draft is not shown to a secretary.
    assert only_text(await sec.send("/kehoach")).startswith("Chưa có kế hoạch nào cho đơn vị")
    to = bot.user(ORG_ROOT, "Tổ")
    card = await open_plan(to, "82-KH/ĐU")
    assert "Số buổi sinh hoạt mẫu: 1 · Số yêu cầu báo cáo: 1" in (card.text or "")
    await to.press("Ban hành", card)
    issued = await to.press("✅ Ban hành")
    # The secretary and deputy of the host cell, the secretary of the target cell.
    assert issued[0].text == "Đã ban hành kế hoạch 82-KH/ĐU. Đang thông báo cho 3 người."
    await bot.drain()
    # What the unit must deliver and by when, with the button that starts it (issue 14).
    told = bot.stub.messages_to(SEC_B1)[-1]
    assert told.text == (
        f"{ROOT} đã ban hành kế hoạch 82-KH/ĐU “Tổ chức sinh hoạt chi bộ mẫu năm 2025”. "
        f"“{B1}” cần thực hiện: Gửi bài tham luận. Hạn: hết thứ Năm, ngày 20 tháng 2 năm 2025."
    )
    assert told.buttons == [("📎 Gửi tài liệu", f"do:doc:1:{org.b1.id}")]
    card = await open_plan(sec, "82-KH/ĐU")
    assert labels(card) == ["📅 Các buổi"]  # nothing to manage
    listed = await sec.press("📅 Các buổi", card)
    assert only_text(listed) == (
        "Các buổi sinh hoạt mẫu của kế hoạch 82-KH/ĐU (bấm vào một buổi để xem):"
    )
    assert listed[0].buttons == [(f"28/3 — {A1} — Thường kỳ", f"ss:{1}")]
    # Forged organiser buttons do nothing for the secretary.
    before = await plan_state(bot)
    for data in (f"plan:close:{plan.id}", f"plan:close:{plan.id}:yes", f"req:new:{plan.id}"):
        refused = only_text(await sec.press_data(card, data))
        assert refused.startswith("Chỉ Ban Tổ chức của “Đảng ủy” hoặc của cấp trên"), refused
    assert only_text(await sec.press_data(card, "plan:new")).startswith("Chỉ Ban Tổ chức")
    assert only_text(await sec.press_data(card, "plan:999")) == "Kế hoạch này không còn nữa."
    assert await plan_state(bot) == before


async def test_close_a_plan(bot: BotHarness) -> None:
    org = await org_of(bot)
    await issued_plan(bot, org)
    to = bot.user(ORG_ROOT, "Tổ")
    card = await open_plan(to, "82-KH/ĐU")
    asked = await to.press("Đóng kế hoạch", card)
    assert only_text(asked).startswith("Đóng kế hoạch 82-KH/ĐU? Sau khi đóng")
    closed = await to.press("✅ Đóng")
    assert closed[0].text == "Đã đóng kế hoạch 82-KH/ĐU."
    assert "Tình trạng: đã đóng" in (closed[-1].text or "")
    assert labels(closed[-1]) == ["📊 Tiến độ", "📅 Các buổi"]
    assert only_text(await to.press("📅 Các buổi", closed[-1])) == (
        "Kế hoạch 82-KH/ĐU chưa có buổi sinh hoạt mẫu nào."
    )
    # Its old requirement button is refused with the reason.
    refused = await to.press("➕ Yêu cầu báo cáo", card)
    assert only_text(refused) == "Kế hoạch 82-KH/ĐU đã kết thúc nên không thêm hay sửa được nữa."


async def test_issuer_is_asked_when_one_organises_several_units(bot: BotHarness) -> None:
    org = await org_of(bot)
    from services import roles
    from storage.models import Role

    await with_ctx(
        bot, lambda ctx: roles.add_membership(ctx, org.org_ga, org.gb.id, Role.ORGANISER)
    )
    to = bot.user(ORG_GA, "Tổ A")
    listed = await to.send("/kehoach")
    # While another conversation waits for a unit name, the button starts the plan form.
    await to.send("/donvi")
    await to.press("✏️ Đổi tên")
    await to.press("· " + A1)
    asked = await to.press("➕ Kế hoạch mới", listed[0])
    assert only_text(asked) == "Xin gõ số hiệu kế hoạch như trên văn bản, ví dụ: 82-KH/ĐU."
    await to.send("5-KH/ĐU")
    asked = await to.send("Sinh hoạt chi bộ mẫu")
    assert only_text(asked) == "Đơn vị nào ban hành kế hoạch?"
    assert labels(asked[0]) == [GB, GA, "✖ Hủy"]
    assert only_text(await to.send(GA)) == PRESS
    # A forged unit the organiser does not run is refused; the question stays.
    refused = await to.press_data(asked[0], f"pnew:iss:{org.root.id}")
    assert only_text(refused) == "Chỉ Ban Tổ chức, Văn phòng của đơn vị này mới làm được việc đó."
    await to.press(GA, asked[0])
    await to.press("Hôm nay")
    await to.press("Bỏ qua")
    form = await to.press("Bỏ qua")
    assert f"Đơn vị ban hành: {GA}" in only_text(form)
    saved = await to.press("✅ Xác nhận")
    assert f"Đơn vị ban hành: {GA}" in texts(saved)
