"""End to end over the stub: after a session with 30 invitees (28 present), 20 delegates give
feedback by chat (/gopy or the scheduler's button; some revise, some skip parts), feedback
closes on the clock (a revision is refused after), and the organiser's /tonghop gives the
summary with a chart, and exports that open with openpyxl and python-docx and hold exactly the
numbers and comments given."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO
from typing import Any

from docx import Document
from openpyxl import load_workbook

from core.clock import FrozenClock
from playground.harness import BotHarness, HarnessUser
from playground.stub_models import SentMessage
from services import feedback
from services.context import Ctx
from services.feedback import ScoringConfig, compute_score
from tests.e2e_steps import texts
from tests.test_feedback_service import CLOSES, END, Attended, attend

WORDS = {4: "Tốt", 3: "Khá", 2: "Trung bình", 1: "Kém"}
CRITERIA = ["preparation", "procedure", "content", "discussion", "closing"]


@dataclass
class Answer:
    ratings: list[int]
    overall: int
    comments: dict[str, str | None] = field(default_factory=dict)  # part → text or None


def first_answer(i: int) -> Answer:
    ratings = [4 if (i + k) % 3 else 3 for k in range(5)]
    if i % 7 == 0:
        ratings[2] = 2
    return Answer(
        ratings=ratings,
        overall=[4, 3, 4, 2][i % 4],
        comments={
            "went_well": f"Mặt làm được {i:02d}: chuẩn bị chu đáo" if i % 3 else None,
            "shortcomings": f"Hạn chế {i:02d}: thời gian thảo luận ngắn" if i % 2 == 0 else None,
            "proposals": f"Đề xuất {i:02d}: nhân rộng mô hình" if i % 5 == 0 else None,
        },
    )


REVISERS = (1, 6, 11)


def revised(i: int, before: Answer) -> Answer:
    """Everything Tốt; what went well is kept, the shortcoming rewritten, proposals cleared."""
    return Answer(
        ratings=[4] * 5,
        overall=4,
        comments={
            "went_well": before.comments["went_well"],
            "shortcomings": f"Hạn chế (sửa) {i:02d}",
            "proposals": None,
        },
    )


async def rate(user: HarnessUser, answer: Answer, *, back_once: bool = False) -> list[SentMessage]:
    """Press the levels on the card (optionally taking the second one back once)."""
    replies: list[SentMessage] = []
    for index, points in enumerate([*answer.ratings, answer.overall]):
        if back_once and index == 2:
            await user.press("◀ Quay lại")
            await user.press(WORDS[answer.ratings[1]])
        replies += await user.press(WORDS[points])
    return replies


async def write(
    user: HarnessUser, answer: Answer, keep: set[str] = frozenset()
) -> list[SentMessage]:  # type: ignore[assignment]
    replies: list[SentMessage] = []
    for part in ("went_well", "shortcomings", "proposals"):
        text = answer.comments[part]
        if part in keep:
            replies = await user.press("↩ Giữ ý kiến cũ")
        elif text is None:
            replies = await user.press("⏭ Bỏ qua")
        else:
            replies = await user.send(text)
    return replies


def table_rows(sheet: Any) -> list[tuple[Any, ...]]:
    """A sheet's table from its header row (the one repeated on every printed page) down."""
    top = int(sheet.print_title_rows.split(":")[0].lstrip("$"))
    return list(sheet.iter_rows(min_row=top, values_only=True))


async def test_feedback_after_a_session(bot: BotHarness, ctx: Ctx, clock: FrozenClock) -> None:
    found: Attended = await attend(ctx, clock)
    sid = found.session_id
    await ctx.session.commit()
    await bot.drain()  # whatever the check-ins planned that is due now (feedback requests)
    clock.set(END + timedelta(hours=1))
    delegates = found.present[:20]
    answers: dict[int, Answer] = {}

    for i, person in enumerate(delegates):
        user = bot.user(person.telegram_id, person.full_name)  # type: ignore[arg-type]
        answer = first_answer(i)
        if i % 4 == 0:  # from the scheduler's button (fb:<session>)
            request = next(
                (m for m in user.messages if any(d == f"fb:{sid}" for _, d in m.buttons)), None
            )
            if request is None:
                request = (await user.send("/trogiup"))[-1]
            card = await user.press_data(request, f"fb:{sid}")
        else:
            card = await user.send("/gopy")
        assert "Câu 1/6: Công tác chuẩn bị (tối đa 15 điểm)" in texts(card), texts(card)
        asked = await rate(user, answer, back_once=i == 2)
        assert "Đã ghi nhận đánh giá của đồng chí" in user.find_button_message(
            "⏭ Bỏ qua"
        ).text or any("Đã ghi nhận đánh giá" in (m.text or "") for m in user.messages)
        assert "Mặt làm được (1/3)" in texts(asked), texts(asked)
        if i == 19:  # stops before the texts: the ratings stay
            stopped = await user.send("/huy")
            assert "Đã dừng. Đánh giá của đồng chí đã được ghi nhận" in texts(stopped)
            answers[i] = Answer(answer.ratings, answer.overall, dict.fromkeys(answer.comments))
            continue
        done = await write(user, answer)
        assert "Cảm ơn đồng chí đã góp ý!" in texts(done), texts(done)
        assert (
            "Đồng chí có thể sửa góp ý đến 10 giờ 00, thứ Năm, ngày 23 tháng 1 năm 2025"
            in texts(done)
        )
        answers[i] = answer

    # Three delegates revise the next day: new ratings, one text kept, one rewritten, one cleared.
    clock.set(END + timedelta(days=1))
    for i in REVISERS:
        person = delegates[i]
        user = bot.user(person.telegram_id, person.full_name)  # type: ignore[arg-type]
        card = await user.send("/gopy")
        assert "Đồng chí đã góp ý về buổi sinh hoạt này" in texts(card)
        before = answers[i]
        assert f"Lần trước đồng chí chọn: {WORDS[before.ratings[0]]}" in texts(card)
        after = revised(i, before)
        asked = await rate(user, after, back_once=True)
        assert "Đã sửa đánh giá của đồng chí" in "\n".join(m.text or "" for m in user.messages[-3:])
        keep = {"went_well"} if before.comments["went_well"] else set()
        if keep:
            assert f"Đồng chí đã viết: “{before.comments['went_well']}”" in texts(asked)
        done = await write(user, after, keep)
        assert "Cảm ơn đồng chí đã góp ý!" in texts(done)
        answers[i] = after

    # Someone who did not come is refused politely, by command and by button.
    absent = found.no_show[0]
    stranger = bot.user(absent.telegram_id, absent.full_name)  # type: ignore[arg-type]
    assert "Hiện chưa có buổi sinh hoạt nào đồng chí có thể góp ý" in texts(
        await stranger.send("/gopy")
    )
    refusal = await stranger.press_data(stranger.last, f"fb:{sid}")
    assert "Chỉ đại biểu đã điểm danh tại buổi sinh hoạt này mới góp ý được" in texts(refusal)

    # Feedback closes on the clock: a revision is refused.
    clock.set(CLOSES)
    late = delegates[3]
    late_user = bot.user(late.telegram_id, late.full_name)  # type: ignore[arg-type]
    assert "Hiện chưa có buổi sinh hoạt nào" in texts(await late_user.send("/gopy"))
    old_card = late_user.messages[0]
    closed = await late_user.press_data(old_card, f"fbr:{sid}:r4")
    assert "Đã hết hạn góp ý về buổi sinh hoạt này lúc 10 giờ 00, thứ Năm, ngày 23 tháng 1" in (
        texts(closed)
    )
    await bot.drain()  # the scheduler's summary, if planned, goes out before /tonghop

    # What was given, as the exports must show it.
    config = ScoringConfig(plan_id=found.crowd.plan.id)  # type: ignore[arg-type]
    final = list(answers.values())
    per_criterion = [Counter(a.ratings[k] for a in final) for k in range(5)]
    overall = Counter(a.overall for a in final)
    averages = {key: sum(a.ratings[k] for a in final) / 20 for k, key in enumerate(CRITERIA)}
    score = compute_score(config, averages, 28 / 30, 120)
    assert score is not None
    points = f"{score.points:.1f}".rstrip("0").rstrip(".").replace(".", ",")

    organiser = bot.user(found.organiser.telegram_id, found.organiser.full_name)  # type: ignore[arg-type]
    plans = await organiser.send("/tonghop")
    assert "Đồng chí muốn xem tổng hợp của kế hoạch nào?" in texts(plans)
    plan_view = await organiser.press("82-KH/ĐU — Tổ chức sinh hoạt chi bộ mẫu năm 2025")
    assert "📊 TỔNG HỢP KẾ HOẠCH" in texts(plan_view)
    assert sum(m.kind == "photo" for m in plan_view) == 2
    session_view = await organiser.press("Chi bộ Khoa Toán, 08:00 20/01/2025")
    text = texts(session_view)
    assert "📊 TỔNG HỢP BUỔI SINH HOẠT" in text
    assert "Được mời: 30 · có mặt: 28 (93,3%) · đến muộn: 2" in text
    assert "⭐ Đánh giá (20 đại biểu)" in text
    distribution = " · ".join(f"{WORDS[p]} {per_criterion[0].get(p, 0)}" for p in (4, 3, 2, 1))
    assert f"• Công tác chuẩn bị (15 điểm): {distribution}" in text
    assert f"Điểm: {points}/100 — " in text
    went_well = [a.comments["went_well"] for a in final if a.comments["went_well"]]
    assert f"✅ Mặt làm được ({len(went_well)})" in text
    assert "Đã hết hạn góp ý lúc" in text
    photos = [m for m in session_view if m.kind == "photo"]
    assert len(photos) == 1 and (photos[0].file_bytes or b"").startswith(b"\x89PNG")

    # XLSX of the feedback: one row each, anonymised, the levels and texts as given.
    sheet = await organiser.press("📄 Ý kiến đại biểu (XLSX)")
    [doc] = [m for m in sheet if m.kind == "document"]
    assert doc.filename == f"y-kien-dai-bieu-buoi-{sid}.xlsx"
    rows = table_rows(load_workbook(BytesIO(doc.file_bytes or b"")).active)
    assert len(rows) == 21
    body = [list(r) for r in rows[1:]]
    assert sorted(r[1] for r in body) == [f"Đại biểu {n:02d}" for n in range(1, 21)]
    assert sorted(tuple(r[2:8]) for r in body) == sorted(
        tuple(WORDS[p] for p in [*a.ratings, a.overall]) for a in final
    )
    for column, part in ((10, "went_well"), (11, "shortcomings"), (12, "proposals")):
        assert sorted(r[column] for r in body if r[column]) == sorted(
            a.comments[part]
            for a in final
            if a.comments[part]  # type: ignore[type-var]
        )
    names = {p.full_name for p in delegates}
    assert not names & {str(v) for r in body for v in r}
    summary_rows = table_rows(load_workbook(BytesIO(doc.file_bytes or b"")).worksheets[1])
    assert list(summary_rows[1][2:6]) == [per_criterion[0].get(p, 0) for p in (4, 3, 2, 1)]
    assert list(summary_rows[-1][2:6]) == [overall.get(p, 0) for p in (4, 3, 2, 1)]

    # XLSX of the roll.
    roll = await organiser.press("📋 Điểm danh (XLSX)")
    [roll_doc] = [m for m in roll if m.kind == "document"]
    roll_rows = table_rows(load_workbook(BytesIO(roll_doc.file_bytes or b"")).active)
    assert len(roll_rows) == 31

    # The DOCX report: the numbers and every comment.
    report = await organiser.press("📝 Báo cáo tổng hợp ý kiến (DOCX)")
    [docx] = [m for m in report if m.kind == "document"]
    assert docx.filename == f"bao-cao-tong-hop-y-kien-buoi-{sid}.docx"
    document = Document(BytesIO(docx.file_bytes or b""))
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in paragraphs and "Tổng hợp ý kiến đại biểu" in paragraphs
    assert (
        "Tổng số đại biểu được mời: 30; có mặt: 28 (93,3%), trong đó đến muộn: 2; vắng mặt: 2 "
        "(có lý do: 1, không có lý do: 1). Khách không có giấy mời: 0."
    ) in paragraphs
    assert any(
        p.startswith("Số đại biểu gửi ý kiến: 20. Điểm đánh giá bình quân: " + points)
        for p in paragraphs
    )
    sections = [
        paragraphs.index(s) for s in ("III. MẶT LÀM ĐƯỢC", "IV. HẠN CHẾ", "V. ĐỀ XUẤT, KIẾN NGHỊ")
    ]
    parts = [
        paragraphs[sections[0] + 1 : sections[1]],
        paragraphs[sections[1] + 1 : sections[2]],
        paragraphs[sections[2] + 1 : paragraphs.index("", sections[2])],
    ]
    for lines, part in zip(parts, ("went_well", "shortcomings", "proposals"), strict=True):
        assert sorted(lines) == sorted(f"- {a.comments[part]}" for a in final if a.comments[part])
    ratings_table = document.tables[2]
    first_row = [c.text for c in ratings_table.rows[1].cells]
    assert first_row[:6] == ["Công tác chuẩn bị", "15"] + [
        str(per_criterion[0].get(p, 0)) for p in (4, 3, 2, 1)
    ]
    assert [c.text for c in ratings_table.rows[-1].cells][-1] == points


async def test_organisers_set_scoring_and_names(
    bot: BotHarness, ctx: Ctx, clock: FrozenClock
) -> None:
    found = await attend(ctx, clock)
    plan_id = found.crowd.plan.id
    await ctx.session.commit()
    await bot.drain()
    organiser = bot.user(found.organiser.telegram_id, "Tổ")  # type: ignore[arg-type]
    await organiser.send("/tonghop")
    await organiser.press("82-KH/ĐU — Tổ chức sinh hoạt chi bộ mẫu năm 2025")
    settings = await organiser.press("⚙️ Cách chấm điểm và góp ý")
    text = texts(settings)
    for expected in [
        "1. Công tác chuẩn bị: 15",
        "5. Kết luận, ra nghị quyết: 20",
        "6. Tham dự (theo điểm danh): 20",
        "Xếp loại: Tốt từ 90 · Khá từ 70 · Trung bình từ 50 · thấp hơn: Kém",
        "Để xếp loại Tốt: tỷ lệ tham dự trên 85% và thời lượng ít nhất 90 phút.",
        "Đại biểu góp ý được trong 3 ngày sau khi buổi sinh hoạt kết thúc.",
        "Ý kiến gửi lãnh đạo không kèm tên người góp ý (ẩn danh).",
    ]:
        assert expected in text, expected
    card = settings[0]
    await organiser.press("👤 Hiện tên người góp ý")
    assert "Ý kiến gửi lãnh đạo kèm tên người góp ý." in (card.text or "")
    await organiser.press("5 ngày")
    assert "trong 5 ngày sau khi" in (card.text or "")
    assert "• 5 ngày" in [label for label, _ in card.buttons]

    asked = await organiser.press("✏️ Trọng số")
    assert "Xin gõ 6 trọng số theo thứ tự trên, tổng bằng 100, ví dụ: 15 15 15 15 20 20" in texts(
        asked
    )
    wrong = await organiser.send("10 10 10 10 10 10")
    assert texts(wrong) == (
        "Tổng các trọng số là 60. Xin điều chỉnh để tổng bằng 100.\n"
        "Xin gõ lại, hoặc gõ /huy để dừng."
    )
    saved = await organiser.send("10 10 30 10 20 20")
    assert "Đã lưu." in texts(saved) and "3. Nội dung sinh hoạt: 30" in texts(saved)
    await organiser.press("✏️ Ngưỡng xếp loại")
    saved = await organiser.send("80 60 40")
    assert "Xếp loại: Tốt từ 80 · Khá từ 60 · Trung bình từ 40" in texts(saved)

    # A leader reads the summary but has no settings, and a forged press changes nothing.
    leader = bot.user(found.crowd.org.leader_root.telegram_id, "Lãnh")  # type: ignore[arg-type]
    await leader.send("/tonghop")
    view = await leader.press("82-KH/ĐU — Tổ chức sinh hoạt chi bộ mẫu năm 2025")
    labels = [label for m in view for label, _ in m.buttons]
    assert "⚙️ Cách chấm điểm và góp ý" not in labels
    refused = await leader.press_data(view[0], f"sum:cfg:{plan_id}:names:0")
    assert "Chỉ Ban Tổ chức" in texts(refused)

    ctx.session.expire_all()
    config = await feedback.config_for(ctx, plan_id)  # type: ignore[arg-type]
    assert (config.show_names, config.feedback_days) == (True, 5)
    assert [c.weight for c in config.criteria] == [10, 10, 30, 10, 20]
    assert (config.attendance_weight, config.good_from, config.fair_from) == (20, 80, 60)
