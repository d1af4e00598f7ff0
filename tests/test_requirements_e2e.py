"""End to end: organisers add report requirements to a plan by chat, follow them with /tiendo
(on time, overdue, delivered), and secretaries answer document requirements by sending files."""

from __future__ import annotations

from datetime import datetime

from core.clock import FrozenClock
from playground.harness import BotHarness, HarnessUser
from playground.stub_models import SentMessage
from services import sessions
from services.context import Ctx
from services.vn_datetime import VN_TZ
from storage.models import SessionKind
from tests.e2e_steps import only_text, texts
from tests.test_bad_input_e2e import photo
from tests.test_plans_e2e import (
    A1,
    B1,
    GA,
    GB,
    ORG_GA,
    ORG_ROOT,
    PRESS,
    ROOT,
    SEC_A1,
    SEC_B1,
    TEXT_PLEASE,
    TRY_AGAIN,
    issued_plan,
    labels,
    open_plan,
    org_of,
    plan_state,
    with_ctx,
)
from tests.test_plans_service import Org, at

MB = 1024 * 1024


async def start_requirement(to: HarnessUser, kind: str) -> list[SentMessage]:
    card = await open_plan(to, "82-KH/ĐU")
    asked = await to.press("➕ Yêu cầu báo cáo", card)
    assert only_text(asked) == "Yêu cầu mới của kế hoạch 82-KH/ĐU. Các đơn vị phải làm gì?"
    assert labels(asked[0]) == ["Báo cáo buổi sinh hoạt mẫu", "Gửi tài liệu (tham luận…)", "✖ Hủy"]
    return await to.press(kind)


async def report_session(bot: BotHarness, org: Org, plan_id: int, kind: SessionKind) -> None:
    host, unit = (org.sec_a1, org.a1) if kind == SessionKind.THUONG_KY else (org.sec_a2, org.a2)

    async def create(ctx: Ctx) -> None:
        await sessions.create_session(
            ctx,
            host,
            plan_id,
            unit.id,  # type: ignore[arg-type]
            kind,
            at(20, 3),
            topic="Học tập và làm theo tư tưởng Hồ Chí Minh",
        )

    await with_ctx(bot, create)


async def test_quota_requirement_and_progress(bot: BotHarness, clock: FrozenClock) -> None:
    org = await org_of(bot)
    plan_id = await issued_plan(bot, org)
    to = bot.user(ORG_ROOT, "Tổ")
    before = await plan_state(bot)

    card = await open_plan(to, "82-KH/ĐU")
    await to.press("➕ Yêu cầu báo cáo", card)
    assert only_text(await to.send("báo cáo")) == PRESS
    targets = await to.press("Báo cáo buổi sinh hoạt mẫu")
    assert only_text(targets) == "Yêu cầu áp dụng cho những đơn vị nào?"
    assert labels(targets[0]) == [
        f"Tất cả đảng bộ cơ sở trực thuộc {ROOT}",
        f"Tất cả chi bộ trực thuộc {ROOT}",
        "Chọn từng đơn vị",
        "✖ Hủy",
    ]
    assert only_text(await to.send("tất cả")) == PRESS
    quota = await to.press(f"Tất cả đảng bộ cơ sở trực thuộc {ROOT}")
    assert only_text(quota) == "Mỗi đơn vị phải báo cáo bao nhiêu buổi sinh hoạt mẫu?"
    assert labels(quota[0]) == [
        "1 thường kỳ + 1 chuyên đề",
        "1 buổi thường kỳ",
        "1 buổi chuyên đề",
        "1 hội thảo",
        "✖ Hủy",
    ]
    assert only_text(await to.send("2")) == PRESS
    due = await to.press("1 thường kỳ + 1 chuyên đề")
    assert only_text(due) == "Xin gõ hạn nộp, ví dụ: 20/02/2025 hoặc “trước ngày 20/2”."
    assert only_text(await to.send("hôm qua")) == (
        "Ngày này đã qua. Xin chọn ngày sau, ví dụ: 30/6.\n" + TRY_AGAIN
    )
    assert "Xin gõ lại" in only_text(await to.send("sớm nhất có thể"))
    assert only_text(await photo(to)) == TEXT_PLEASE
    described = await to.send("20/02/2025")
    assert only_text(described).startswith("Xin gõ nội dung yêu cầu (các đơn vị sẽ đọc)")
    assert "quá dài" in only_text(await to.send("x" * 1200))
    card = await to.press("Bỏ qua")
    assert only_text(card) == (
        "Xin đồng chí kiểm tra yêu cầu mới của kế hoạch 82-KH/ĐU:\n"
        "Hình thức: Báo cáo buổi sinh hoạt mẫu\n"
        "Mỗi đơn vị báo cáo: 1 thường kỳ + 1 chuyên đề\n"
        f"Áp dụng cho 2 đơn vị: {GB}, {GA}\n"
        "Hạn: hết thứ Năm, ngày 20 tháng 2 năm 2025\n"
        "Nội dung: Báo cáo buổi sinh hoạt mẫu: 1 thường kỳ + 1 chuyên đề"
    )
    assert only_text(await to.send("ok")) == PRESS
    assert await plan_state(bot) == before  # nothing changed before the confirmation

    added = await to.press("✅ Xác nhận")
    # The organiser of Đảng bộ Trường A is told (Bệnh viện B has nobody to tell yet).
    assert added[0].text == "Đã thêm yêu cầu. Đang thông báo cho 1 người."
    assert "Số yêu cầu báo cáo: 1" in (added[-1].text or "")
    await bot.drain()
    assert bot.stub.messages_to(ORG_GA)[-1].text == (
        f"Kế hoạch 82-KH/ĐU yêu cầu “{GA}”: Báo cáo buổi sinh hoạt mẫu: 1 thường kỳ + 1 chuyên đề."
        " Hạn: thứ Năm, ngày 20 tháng 2 năm 2025."
    )

    # Đảng bộ Trường A reports both sessions (in two of its cells); Bệnh viện B reports nothing.
    await report_session(bot, org, plan_id, SessionKind.THUONG_KY)
    await report_session(bot, org, plan_id, SessionKind.CHUYEN_DE)
    clock.advance(at(1, 2) - at(6, 1, 9))
    pick = await to.send("/tiendo")
    assert only_text(pick) == "Xem tiến độ kế hoạch nào?"
    table = await to.press(labels(pick[0])[0])
    assert only_text(table) == (
        "📊 Tiến độ kế hoạch 82-KH/ĐU (lúc 08:00 01/02/2025)\n"
        "Đã nộp: 1/2 · Quá hạn: 0\n"
        "\n"
        "📌 Báo cáo buổi sinh hoạt mẫu: 1 thường kỳ + 1 chuyên đề — hạn 20/02/2025\n"
        f"⏳ {GB} — chưa đến hạn; còn thiếu: 1 buổi thường kỳ, 1 buổi chuyên đề\n"
        f"✅ {GA} — đã nộp 09:00 06/01/2025"
    )
    assert labels(table[0]) == ["🔄 Làm mới"]

    # After the deadline, the same message says who is overdue.
    clock.set(datetime(2025, 2, 21, 0, 30, tzinfo=VN_TZ))
    assert await to.press("🔄 Làm mới", table[0]) == []
    assert table[0].text == (
        "📊 Tiến độ kế hoạch 82-KH/ĐU (lúc 00:30 21/02/2025)\n"
        "Đã nộp: 1/2 · Quá hạn: 1\n"
        "\n"
        "📌 Báo cáo buổi sinh hoạt mẫu: 1 thường kỳ + 1 chuyên đề — hạn 20/02/2025\n"
        f"❗ {GB} — quá hạn; còn thiếu: 1 buổi thường kỳ, 1 buổi chuyên đề\n"
        f"✅ {GA} — đã nộp 09:00 06/01/2025"
    )
    assert labels(table[0]) == ["🔄 Làm mới"]
    # A secretary has no /tiendo, and forged progress buttons show nothing.
    sec = bot.user(SEC_B1, "Em")
    assert only_text(await sec.send("/tiendo")).startswith("Chưa có kế hoạch nào để đồng chí xem")
    refused = only_text(await sec.press_data(sec.last, f"prog:{plan_id}"))
    assert refused == (
        f"Chỉ Ban Tổ chức và Thường trực của “{ROOT}” hoặc của các đơn vị trực thuộc "
        "mới xem được tiến độ kế hoạch này."
    )


async def test_long_progress_tables_are_split(bot: BotHarness, clock: FrozenClock) -> None:
    from services import requirements, units
    from storage.models import RequirementKind, UnitKind

    org = await org_of(bot)
    plan_id = await issued_plan(bot, org)

    async def many(ctx: Ctx) -> None:
        for n in range(60):
            await units.create_unit(
                ctx,
                org.org_root,
                org.gb.id,
                f"Chi bộ Tổ dân phố số {n:03d} " + "x" * 60,
                UnitKind.CELL,
            )  # type: ignore[arg-type]
        await requirements.create_requirement(
            ctx,
            org.org_root,
            plan_id,
            RequirementKind.DOCUMENT,
            "20/2",
            description="Gửi bài tham luận",
            scope=requirements.TargetScope(org.gb.id, UnitKind.CELL),  # type: ignore[arg-type]
        )

    await with_ctx(bot, many)
    to = bot.user(ORG_ROOT, "Tổ")
    await to.send("/tiendo")
    table = await to.press(labels(to.last)[0])
    assert len(table) == 2
    assert all(len(m.text or "") <= 4096 for m in table)
    assert labels(table[0]) == [] and labels(table[1]) == ["🔄 Làm mới"]
    assert texts(table).count("⏳") == 61
    # Refreshed in place: the same two messages, the button still on the last one.
    clock.set(datetime(2025, 2, 21, 9, tzinfo=VN_TZ))
    assert await to.press("🔄 Làm mới", table[1]) == []
    assert texts(table).count("❗") == 61 and "⏳" not in texts(table)
    assert labels(table[1]) == ["🔄 Làm mới"]


async def test_document_requirement_answered_in_chat(bot: BotHarness) -> None:
    org = await org_of(bot)
    await issued_plan(bot, org)
    to = bot.user(ORG_ROOT, "Tổ")
    picker = await start_requirement(to, "Gửi tài liệu (tham luận…)")
    picker = await to.press("Chọn từng đơn vị")
    assert only_text(picker) == "Bấm chọn các đơn vị áp dụng, rồi bấm ✅ Xong."
    assert labels(picker[0]) == [
        f"☐ {GB}",
        f"☐ · {B1}",
        f"☐ {GA}",
        f"☐ · {A1}",
        "☐ · Chi bộ Khoa Văn",
        "✅ Xong (0)",
        "✖ Hủy",
    ]
    assert "ít nhất một đơn vị" in only_text(await to.press("✅ Xong (0)", picker[0]))
    assert await to.press(f"☐ · {A1}", picker[0]) == []  # the same message is updated
    assert await to.press(f"☐ · {B1}", picker[0]) == []
    assert await to.press(f"☐ {GB}", picker[0]) == []
    assert await to.press(f"☑ {GB}", picker[0]) == []  # pressed again: not chosen any more
    assert labels(picker[0])[:4] == [f"☐ {GB}", f"☑ · {B1}", f"☐ {GA}", f"☑ · {A1}"]
    assert only_text(await to.send(A1)) == PRESS
    # A forged unit outside the plan's tree is refused when done; the picker stays.
    assert await to.press_data(picker[0], f"req:u:{org.root.id}") == []
    refused = await to.press("✅ Xong (3)", picker[0])
    assert only_text(refused) == (
        f"“{ROOT}” không trực thuộc {ROOT} nên kế hoạch này không giao việc cho đơn vị đó được. "
        f"Xin chọn một đơn vị trực thuộc {ROOT}."
    )
    assert await to.press_data(picker[0], f"req:u:{org.root.id}") == []
    due = await to.press("✅ Xong (2)", picker[0])
    assert only_text(due).startswith("Xin gõ hạn nộp")
    await to.send("trước ngày 20/2")
    await to.send("Gửi bài tham luận về kinh nghiệm sinh hoạt chi bộ")
    card = to.last
    assert f"Áp dụng cho 2 đơn vị: {A1}, {B1}" in (card.text or "")
    assert "Hình thức: Gửi tài liệu (tham luận…)" in (card.text or "")
    assert "Mỗi đơn vị báo cáo" not in (card.text or "")
    added = await to.press("✅ Xác nhận")
    assert added[0].text == "Đã thêm yêu cầu. Đang thông báo cho 3 người."

    # The secretary of Khoa Toán sends the tham luận as a PDF and says what it is.
    sec = bot.user(SEC_A1, "An")
    await bot.drain()  # (the notices are sent: their rows change no more)
    before = await plan_state(bot)
    asked = await sec.send_document("tham-luan.pdf", b"%PDF-1.4 tham luan", "application/pdf")
    assert only_text(asked) == "Tệp “tham-luan.pdf” là tài liệu gì? Xin chọn bên dưới."
    assert labels(asked[0]) == ["Tham luận — KH 82-KH/ĐU", "✖ Hủy"]
    assert await plan_state(bot) == before  # nothing kept before the choice
    got = await sec.press("Tham luận — KH 82-KH/ĐU")
    assert only_text(got) == (
        f"Đã nhận “tham-luan.pdf” của “{A1}” cho kế hoạch 82-KH/ĐU: "
        "Gửi bài tham luận về kinh nghiệm sinh hoạt chi bộ. Ban Tổ chức đã được thông báo."
    )
    assert labels(asked[0]) == []  # the choice cannot be made twice
    await bot.drain()
    assert bot.stub.messages_to(ORG_ROOT)[-1].text == (
        f"“{A1}” đã hoàn thành yêu cầu của Kế hoạch 82-KH/ĐU: "
        "Gửi bài tham luận về kinh nghiệm sinh hoạt chi bộ."
    )
    assert len((await plan_state(bot))["document"]) == 1
    # Nothing else is owed now: another file is not understood.
    assert "chưa hiểu" in only_text(await sec.send_document("khac.pdf", b"%PDF", "application/pdf"))
    await to.send("/tiendo")
    table = await to.press(labels(to.last)[0])
    lines = (table[0].text or "").split("\n")
    assert lines[1] == "Đã nộp: 1/2 · Quá hạn: 0"
    assert lines[4] == f"⏳ {B1} — chưa đến hạn; còn thiếu: tài liệu"
    assert lines[5] == f"✅ {A1} — đã nộp 09:00 06/01/2025"


async def test_bad_files_are_refused_clearly(bot: BotHarness) -> None:
    org = await org_of(bot)
    await issued_plan(bot, org)
    sec = bot.user(SEC_A1, "An")
    before = await plan_state(bot)
    wrong_type = await sec.send_document("virus.exe", b"MZ\x90\x00", "application/x-msdownload")
    assert only_text(wrong_type) == (
        "Chỉ nhận tệp Word (.docx, .doc), PDF (.pdf) hoặc văn bản (.txt). "
        "Xin lưu tài liệu ở một trong các dạng này rồi gửi lại."
    )
    assert only_text(await sec.send_document("trong.pdf", b"", "application/pdf")) == (
        "Tệp này trống. Xin gửi lại tài liệu."
    )
    big = await sec._run(
        lambda: bot.stub.send_update(
            {
                "message": bot.stub._user_message(
                    sec.user,
                    {
                        "document": {
                            "file_id": "BIGFILE",
                            "file_unique_id": "UBIG01",
                            "file_name": "tham-luan.pdf",
                            "mime_type": "application/pdf",
                            "file_size": 25 * MB,
                        }
                    },
                )
            }
        )
    )
    assert only_text(big) == (
        "Tệp quá lớn (25.0 MB). Mỗi tệp tối đa 20 MB; "
        "xin gửi bản nhỏ hơn (ví dụ bỏ bớt hình ảnh, hoặc lưu dạng PDF)."
    )
    assert await plan_state(bot) == before
    # An organiser may still import a Markdown plan, which is no document type of a plan.
    to = bot.user(ORG_ROOT, "Tổ")
    md = await to.send_document("ke-hoach.md", b"# KE HOACH", "text/markdown")
    assert labels(md[0]) == ["📥 Nhập thành kế hoạch mới", "✖ Hủy"]
    assert md[0].buttons[0][1] == "imp:0"
    # One answer, no error before it (issue 14).
    assert only_text(md) == (
        "Có thể nhập “ke-hoach.md” thành kế hoạch mới. "
        "(Tài liệu của kế hoạch và buổi sinh hoạt là tệp Word hoặc PDF.)"
    )


async def test_stale_and_forged_document_buttons(bot: BotHarness) -> None:
    org = await org_of(bot)
    await issued_plan(bot, org)
    from services import requirements
    from storage.models import RequirementKind

    async def owe(ctx: Ctx) -> None:
        await requirements.create_requirement(
            ctx,
            org.org_root,
            1,
            RequirementKind.DOCUMENT,
            "20/2",
            description="Gửi bài tham luận",
            target_unit_ids=[org.a1.id, org.b1.id],  # type: ignore[list-item]
        )

    await with_ctx(bot, owe)
    sec = bot.user(SEC_A1, "An")
    asked = await sec.send_document("a.pdf", b"%PDF a", "application/pdf")
    data = asked[0].buttons[0][1]
    assert data is not None and data.startswith("doc:r:0:")
    before = await plan_state(bot)
    # For a unit the secretary does not run.
    forged = data.rsplit(":", 1)[0] + f":{org.b1.id}"
    refused = only_text(await sec.press_data(asked[0], forged))
    assert refused == (
        f"Chỉ bí thư, phó bí thư của “{B1}”, hoặc Ban Tổ chức của đơn vị này hay đơn vị "
        "cấp trên, mới làm được việc này."
    )
    # A slot whose file changed, or that never existed.
    for bad in ("doc:r:0:XXXXXX:1:3", "doc:r:7:" + data.split(":")[3] + ":1:3"):
        assert only_text(await sec.press_data(asked[0], bad)) == (
            "Tệp này không còn chờ xử lý. Xin đồng chí gửi lại tệp."
        )
    assert await plan_state(bot) == before
    assert GB and ORG_GA  # (names used by the other tests of this module)


async def test_a_flow_left_open_takes_no_more_answers(bot: BotHarness) -> None:
    org = await org_of(bot)
    await issued_plan(bot, org)
    to = bot.user(ORG_ROOT, "Tổ")
    await start_requirement(to, "Gửi tài liệu (tham luận…)")
    assert only_text(await to.press(f"Tất cả chi bộ trực thuộc {ROOT}")).startswith(
        "Xin gõ hạn nộp"
    )
    before = await plan_state(bot)
    # The plan form (an earlier conversation) starts from its button on the plan list…
    asked = await to.press("➕ Kế hoạch mới", to.find_button_message("➕ Kế hoạch mới"))
    assert only_text(asked).startswith("Xin gõ số hiệu kế hoạch")
    assert only_text(await to.send("/huy")) == "Đã dừng. Không có gì thay đổi."
    # …and the requirement left waiting for its deadline does not take the next text.
    assert "chưa hiểu" in only_text(await to.send("20/2"))
    assert "chưa hiểu" in only_text(await to.send("20/2"))
    assert await plan_state(bot) == before
