"""Exports, opened again with openpyxl and python-docx: the roll, the delegates' feedback (one
row per feedback, anonymised or with names per plan), and the "Báo cáo tổng hợp ý kiến đại
biểu" laid out like a Vietnamese party report; who may download them."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from core.clock import FrozenClock
from core.i18n import Lang
from services import feedback, reports
from services.context import Ctx
from services.errors import PermissionDenied
from services.feedback import Part, compute_score
from tests.test_feedback_service import ALL, Attended, attend
from tests.test_summaries_service import GIVEN, _second_session

VI = Lang("vi")
COMMENTS = {
    0: {Part.WENT_WELL: "Chuẩn bị chu đáo, tài liệu gửi trước 3 ngày"},
    1: {Part.WENT_WELL: "Thảo luận sôi nổi", Part.SHORTCOMINGS: "Thời gian hơi dài"},
    2: {Part.PROPOSALS: '=HYPERLINK("x") Nhân rộng mô hình'},
    3: {Part.SHORTCOMINGS: "Một số đảng viên đến muộn\nCần nhắc nhở"},
}
FEEDBACK_HEADERS = [
    "STT",
    "Đại biểu",
    "Công tác chuẩn bị",
    "Quy trình, điều hành",
    "Nội dung sinh hoạt",
    "Thảo luận, tham gia ý kiến",
    "Kết luận, ra nghị quyết",
    "Xếp loại chung (đại biểu chọn)",
    "Điểm (thang 100)",
    "Xếp loại (tính theo điểm)",
    "Mặt làm được",
    "Hạn chế",
    "Đề xuất, kiến nghị",
]
WORDS = {4: "Tốt", 3: "Khá", 2: "Trung bình", 1: "Kém"}


@pytest.fixture
async def att(ctx: Ctx, clock: FrozenClock) -> Attended:
    found = await attend(ctx, clock)
    for index, (person, (ratings, overall)) in enumerate(zip(found.present, GIVEN, strict=False)):
        await feedback.save_ratings(ctx, person, found.session_id, ratings, overall)
        for part, text in COMMENTS.get(index, {}).items():
            await feedback.set_comment(ctx, person, found.session_id, part, text)
    return found


def rows_of(data: bytes, sheet: int = 0) -> list[list[object]]:
    book = load_workbook(BytesIO(data))
    return [list(r) for r in book.worksheets[sheet].iter_rows(values_only=True)]


async def test_roll_export(ctx: Ctx, att: Attended) -> None:
    data = await reports.roll_xlsx(ctx, att.organiser, att.session_id, VI)
    assert len(load_workbook(BytesIO(data)).sheetnames) == 2
    rows = rows_of(data)
    assert rows[0][:3] == ["STT", "Họ và tên", "Chức vụ"]
    assert len(rows) == 31
    totals = rows_of(data, 1)[-1]
    assert totals[0] == "Tổng cộng"
    assert totals[1:6] == [30, 28, 1, 1, 28]


async def test_feedback_export_is_anonymised_by_default(ctx: Ctx, att: Attended) -> None:
    data = await reports.feedback_xlsx(ctx, att.organiser, VI, session_id=att.session_id)
    rows = rows_of(data)
    assert rows[0] == FEEDBACK_HEADERS
    body = rows[1:]
    assert [r[0] for r in body] == [1, 2, 3, 4, 5]
    assert [r[1] for r in body] == [f"Đại biểu {n:02d}" for n in range(1, 6)]
    everything = " ".join(str(v) for r in rows for v in r)
    for person in att.present:
        assert person.full_name not in everything
    # the ratings, in words, exactly as given (rows are in an anonymous order)
    given = sorted(([WORDS[p] for p in ratings], WORDS[overall]) for ratings, overall in GIVEN)
    assert sorted((list(r[2:7]), r[7]) for r in body) == given
    for r in body:
        points = {
            k: float(next(p for p, w in WORDS.items() if w == v))
            for k, v in zip(ALL, r[2:7], strict=True)
        }
        score = compute_score(feedback.ScoringConfig(plan_id=1), points, 28 / 30, 120)
        assert r[8] == score.points  # type: ignore[union-attr]
        assert (
            r[9]
            == {"good": "Tốt", "fair": "Khá", "average": "Trung bình", "poor": "Kém"}[
                score.level  # type: ignore[union-attr]
            ]
        )
    texts = {(part, text) for comments in COMMENTS.values() for part, text in comments.items()}
    columns = {Part.WENT_WELL: 10, Part.SHORTCOMINGS: 11, Part.PROPOSALS: 12}
    found = {(part, r[col]) for r in body for part, col in columns.items() if r[col]}
    assert found == texts  # "=HYPERLINK" stays text, line breaks are kept
    summary = rows_of(data, 1)
    assert summary[0] == [
        "Tiêu chí",
        "Trọng số",
        "Tốt",
        "Khá",
        "Trung bình",
        "Kém",
        "Bình quân (1–4)",
    ]
    assert summary[1] == ["Công tác chuẩn bị", 15, 3, 1, 1, 0, 3.4]
    assert summary[-1] == ["Xếp loại chung (đại biểu chọn)", None, 2, 2, 1, 0, 3.2]


async def test_feedback_export_with_names(ctx: Ctx, att: Attended) -> None:
    await feedback.configure(ctx, att.organiser, att.crowd.plan.id, show_names=True)  # type: ignore[arg-type]
    rows = rows_of(await reports.feedback_xlsx(ctx, att.organiser, VI, session_id=att.session_id))
    assert rows[0][:4] == ["STT", "Họ và tên", "Chức vụ", "Công tác chuẩn bị"]
    assert rows[0][-1] == "Cập nhật lúc"
    names = [r[1] for r in rows[1:]]
    assert sorted(names) == sorted(p.full_name for p in att.present[:5])  # type: ignore[type-var]
    by_name = {r[1]: r for r in rows[1:]}
    first = att.present[0]
    assert by_name[first.full_name][3:9] == ["Tốt"] * 6
    assert by_name[first.full_name][11] == COMMENTS[0][Part.WENT_WELL]


async def test_plan_feedback_export(ctx: Ctx, clock: FrozenClock, att: Attended) -> None:
    await _second_session(ctx, clock, att)
    rows = rows_of(await reports.feedback_xlsx(ctx, att.organiser, VI, plan_id=att.crowd.plan.id))
    assert rows[0][:3] == ["STT", "Buổi sinh hoạt", "Đại biểu"]
    sessions = [r[1] for r in rows[1:]]
    assert (
        sessions
        == [f"{att.crowd.org.a1.name}, 20/01/2025"] * 5
        + [f"{att.crowd.org.b1.name}, 21/01/2025"] * 2
    )
    assert [r[2] for r in rows[1:]][-2:] == ["Đại biểu 01", "Đại biểu 02"]


def paragraphs(data: bytes) -> list[tuple[str, bool, bool, object]]:
    """(text, bold, italic, alignment) of every body paragraph."""
    doc = Document(BytesIO(data))
    out = []
    for p in doc.paragraphs:
        runs = [r for r in p.runs if r.text]
        out.append(
            (
                p.text,
                bool(runs) and all(r.bold for r in runs),
                bool(runs) and all(r.italic for r in runs),
                p.alignment,
            )
        )
    return out


async def test_docx_report(ctx: Ctx, att: Attended) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    data = await reports.summary_docx(ctx, att.organiser, att.session_id, VI)
    doc = Document(BytesIO(data))
    header, turnout, ratings, signature = doc.tables
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs] == ["ĐẢNG ỦY KHỐI", "*", "Số …-BC/ĐU"]
    assert left.paragraphs[0].runs[0].bold
    party = right.paragraphs[0].runs[0]
    assert (party.text, party.bold, party.underline) == ("ĐẢNG CỘNG SẢN VIỆT NAM", True, True)
    date_line = right.paragraphs[-1]
    assert date_line.text == "Hà Nội, ngày 20 tháng 01 năm 2025"
    assert date_line.runs[0].italic
    body = paragraphs(data)
    texts = [t for t, *_ in body]
    title = texts.index("BÁO CÁO")
    assert body[title][1] and body[title][3] == WD_ALIGN_PARAGRAPH.CENTER
    assert texts[title + 1] == "Tổng hợp ý kiến đại biểu"
    assert body[title + 1][1] and body[title + 1][3] == WD_ALIGN_PARAGRAPH.CENTER
    sections = [
        "I. TÌNH HÌNH THAM DỰ",
        "II. MẶT LÀM ĐƯỢC",
        "III. HẠN CHẾ",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    positions = [texts.index(s) for s in sections]
    assert positions == sorted(positions)
    assert all(body[i][1] for i in positions)
    assert texts[title + 4].startswith(
        "Thực hiện Kế hoạch số 82-KH/ĐU ngày 02/01/2025 của Đảng ủy Khối về “Tổ chức sinh hoạt "
        "chi bộ mẫu năm 2025”, vào 08 giờ 00, thứ Hai, ngày 20 tháng 1 năm 2025, “Chi bộ Khoa "
        "Toán” đã tổ chức"
    )
    attendance = texts[positions[0] + 1]
    assert attendance == (
        "Tổng số đại biểu được mời: 30; có mặt: 28 (93,3%), trong đó đến muộn: 2; vắng: 2 "
        "(có lý do: 1, không có lý do: 1). Khách không có giấy mời: 0."
    )
    assert "Số đại biểu gửi ý kiến: 5. Điểm đánh giá bình quân: 90,8/100, xếp loại: Tốt." in texts
    went_well = texts[positions[1] + 1 : positions[2]]
    assert sorted(went_well) == sorted(
        ["- Chuẩn bị chu đáo, tài liệu gửi trước 3 ngày", "- Thảo luận sôi nổi"]
    )
    shortcomings = texts[positions[2] + 1 : positions[3]]
    assert sorted(shortcomings) == sorted(
        ["- Thời gian hơi dài", "- Một số đảng viên đến muộn", "  Cần nhắc nhở"]
    ) or shortcomings in (
        ["- Thời gian hơi dài", "- Một số đảng viên đến muộn", "  Cần nhắc nhở"],
        ["- Một số đảng viên đến muộn", "  Cần nhắc nhở", "- Thời gian hơi dài"],
    )
    assert texts[positions[3] + 1] == '- =HYPERLINK("x") Nhân rộng mô hình'
    assert [c.text for c in turnout.rows[0].cells] == [
        "Thành phần",
        "Được mời",
        "Có mặt",
        "Tỷ lệ",
        "Đến muộn",
        "Vắng có lý do",
        "Vắng không lý do",
    ]
    assert [c.text for c in turnout.rows[-1].cells] == [
        "Tổng cộng",
        "30",
        "28",
        "93,3%",
        "2",
        "1",
        "1",
    ]
    assert [c.text for c in ratings.rows[1].cells] == [
        "Công tác chuẩn bị",
        "15",
        "3",
        "1",
        "1",
        "0",
        "12,8",
    ]
    assert [c.text for c in ratings.rows[-1].cells][-1] == "90,8"
    recipients, sign = signature.rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert recipients.paragraphs[-1].text == "- Lưu Ban Tổ chức."
    assert sign.paragraphs[0].text == "T/M BAN TỔ CHỨC" and sign.paragraphs[0].runs[0].bold
    assert sign.paragraphs[1].text == "(Ký, ghi rõ họ tên)"
    assert [p.text for p in sign.paragraphs[2:5]] == ["", "", ""]  # room to sign
    assert doc.core_properties.title == "Tổng hợp ý kiến đại biểu"
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.left_margin.cm, 1) == 3.0


async def test_docx_report_with_names(ctx: Ctx, att: Attended) -> None:
    await feedback.configure(ctx, att.organiser, att.crowd.plan.id, show_names=True)  # type: ignore[arg-type]
    texts = [
        t
        for t, *_ in paragraphs(await reports.summary_docx(ctx, att.organiser, att.session_id, VI))
    ]
    name = att.present[1].full_name
    assert f"- Đồng chí {name}: Thảo luận sôi nổi" in texts


async def test_exports_are_for_readers_only(ctx: Ctx, att: Attended) -> None:
    outsider = att.present[0]
    with pytest.raises(PermissionDenied):
        await reports.roll_xlsx(ctx, outsider, att.session_id, VI)
    with pytest.raises(PermissionDenied):
        await reports.feedback_xlsx(ctx, outsider, VI, session_id=att.session_id)
    with pytest.raises(PermissionDenied):
        await reports.feedback_xlsx(ctx, att.crowd.org.org_ga, VI, plan_id=att.crowd.plan.id)
    with pytest.raises(PermissionDenied):
        await reports.summary_docx(ctx, outsider, att.session_id, VI)
    # the organiser over the host unit may
    await reports.feedback_xlsx(ctx, att.crowd.org.org_ga, VI, session_id=att.session_id)
