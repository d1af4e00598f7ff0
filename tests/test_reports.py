"""Exports, opened again with openpyxl and python-docx: the roll, the delegates' feedback (one
row per feedback, anonymised or with names per plan), and the "Báo cáo tổng hợp ý kiến đại
biểu" laid out like a Vietnamese party report; who may download them."""

from __future__ import annotations

from collections import Counter
from io import BytesIO

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.clock import FrozenClock
from core.i18n import Lang
from services import feedback, reports, roll
from services.context import Ctx
from services.errors import PermissionDenied
from services.feedback import Part, compute_score
from services.reports import sheets
from services.reports.roll_xlsx import ANSWERS, NOT_PRESENT, PRESENT
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
ROLL_HEADERS = [
    "STT",
    "Họ và tên",
    "Chức vụ",
    "Đơn vị",
    "Thành phần",
    "Trả lời giấy mời",
    "Lý do báo vắng",
    "Điểm danh",
    "Giờ điểm danh",
    "Đến muộn",
    "Hình thức điểm danh",
]


async def with_feedback(ctx: Ctx, clock: FrozenClock) -> Attended:
    """The attended session with five delegates' ratings and COMMENTS."""
    found = await attend(ctx, clock)
    for index, (person, (ratings, overall)) in enumerate(zip(found.present, GIVEN, strict=False)):
        await feedback.save_ratings(ctx, person, found.session_id, ratings, overall)
        for part, text in COMMENTS.get(index, {}).items():
            await feedback.set_comment(ctx, person, found.session_id, part, text)
    return found


@pytest.fixture
async def att(ctx: Ctx, clock: FrozenClock) -> Attended:
    return await with_feedback(ctx, clock)


def header_row(sheet: Worksheet) -> int:
    """The table's header row: the row printed again on every page."""
    titles = sheet.print_title_rows
    assert titles, "the header row repeats on every printed page"
    return int(titles.split(":")[0].lstrip("$"))


def rows_of(data: bytes, sheet: int = 0) -> list[list[object]]:
    """The table of a sheet, from its header row down (the title rows left out)."""
    found = load_workbook(BytesIO(data)).worksheets[sheet]
    return [list(r) for r in found.iter_rows(min_row=header_row(found), values_only=True)]


async def test_roll_export(ctx: Ctx, att: Attended) -> None:
    data = await reports.roll_xlsx(ctx, att.organiser, att.session_id, VI)
    assert len(load_workbook(BytesIO(data)).sheetnames) == 2
    rows = rows_of(data)
    assert rows[0] == ROLL_HEADERS
    assert len(rows) == 31
    # one vocabulary: answers to the invitation, and presence at the session
    assert Counter(r[5] for r in rows[1:]) == {
        "Xác nhận tham dự": 28,
        "Báo vắng": 1,
        "Chưa trả lời": 1,
    }
    assert Counter(r[7] for r in rows[1:]) == {"Có mặt": 28, "Vắng mặt": 2}
    summary = rows_of(data, 1)
    assert summary[0] == [
        "Thành phần",
        "Được mời",
        "Xác nhận tham dự",
        "Báo vắng",
        "Chưa trả lời",
        "Có mặt",
        "Vắng mặt",
        "Đến muộn",
        "Ban Tổ chức ghi nhận",
        "Khách",
    ]
    totals = summary[-1]
    assert totals[0] == "Tổng cộng"
    assert totals[1:7] == [30, 28, 1, 1, 28, 2]
    for column in range(1, 10):  # the groups add up to the total row
        assert sum(line[column] for line in summary[1:-1]) == totals[column]  # type: ignore[misc]


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


def assert_prints_like_an_office_table(sheet: Worksheet) -> int:
    """A4 landscape, one page wide, the header frozen and repeated, every table cell bordered,
    columns wide enough for the header's words, rows tall enough for their wrapped text."""
    setup = sheet.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "landscape")  # 9: A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)  # one page wide, any number tall
    top = header_row(sheet)
    assert sheet.freeze_panes == f"A{top + 1}"
    widths = []
    for column in range(1, sheet.max_column + 1):
        letter = get_column_letter(column)
        width = sheet.column_dimensions[letter].width
        header = str(sheet.cell(row=top, column=column).value)
        assert width >= max(sheets.text_units(w, bold=True) for w in header.split()), header
        widths.append(width)
    for row in range(top, sheet.max_row + 1):
        lines = max(
            sheets.lines_in(sheets.display_text(sheet.cell(row=row, column=c).value), w)
            for c, w in enumerate(widths, 1)
        )
        assert sheet.row_dimensions[row].height >= lines * sheets.LINE_HEIGHT_PT, row
        for column in range(1, sheet.max_column + 1):
            border = sheet.cell(row=row, column=column).border
            assert all(side.style == "thin" for side in (border.left, border.right, border.top))
    return top


async def test_roll_prints_on_one_page_wide_with_its_title(ctx: Ctx, att: Attended) -> None:
    data = await reports.roll_xlsx(ctx, att.organiser, att.session_id, VI)
    book = load_workbook(BytesIO(data))
    for sheet in book.worksheets:
        top = assert_prints_like_an_office_table(sheet)
        titles = [sheet.cell(row=r, column=1).value for r in range(1, top)]
        assert titles[:5] == [
            titles[0],
            "Kế hoạch số 82-KH/ĐU: Tổ chức sinh hoạt chi bộ mẫu năm 2025",
            "Buổi sinh hoạt: Sinh hoạt thường kỳ của Chi bộ Khoa Toán thuộc Đảng bộ Trường A",
            "Thời gian: 08 giờ 00, thứ Hai, ngày 20 tháng 1 năm 2025. Địa điểm: Hội trường "
            "Khoa Toán, 334 Nguyễn Trãi, Thanh Xuân, Hà Nội",
            "Số liệu tính đến 10:00 20/01/2025",
        ]
    assert [s.cell(row=1, column=1).value for s in book.worksheets] == [
        "DANH SÁCH ĐIỂM DANH",
        "TỔNG HỢP ĐIỂM DANH",
    ]
    roll_sheet = book.worksheets[0]
    # the 10 columns fit a landscape page at a readable scale
    assert sum(roll_sheet.column_dimensions[get_column_letter(c)].width for c in range(1, 12)) <= (
        sheets.PAGE_WIDTH_UNITS
    )
    times = [roll_sheet.cell(row=r, column=9) for r in range(8, roll_sheet.max_row + 1)]
    assert {c.number_format for c in times if c.value is not None} == {"dd/mm/yyyy hh:mm"}


async def test_feedback_rows_are_as_tall_as_their_comments(ctx: Ctx, att: Attended) -> None:
    long = "Đề nghị cấp ủy cấp trên sớm có văn bản hướng dẫn tiêu chí đánh giá " * 4
    await feedback.set_comment(ctx, att.present[4], att.session_id, Part.PROPOSALS, long)
    data = await reports.feedback_xlsx(ctx, att.organiser, VI, session_id=att.session_id)
    book = load_workbook(BytesIO(data))
    for sheet in book.worksheets:
        assert_prints_like_an_office_table(sheet)
    sheet = book.worksheets[0]
    top = header_row(sheet)
    assert sheet.cell(row=1, column=1).value == "Ý KIẾN ĐẠI BIỂU"
    heights = [sheet.row_dimensions[r].height for r in range(top + 1, sheet.max_row + 1)]
    assert max(heights) >= 4 * sheets.LINE_HEIGHT_PT  # the long proposal wraps over lines
    scores = [sheet.cell(row=r, column=9) for r in range(top + 1, sheet.max_row + 1)]
    assert {c.number_format for c in scores} == {sheets.DECIMAL_FORMAT}  # "90,8", not 90.8


def test_text_units_grow_with_the_text() -> None:
    assert sheets.text_units("Tham dự") < sheets.text_units("Xác nhận tham dự")
    assert sheets.lines_in("một hai ba bốn năm", 6) > sheets.lines_in("một hai ba bốn năm", 40)


def test_one_vocabulary_in_chat_and_exports() -> None:
    """Answers to an invitation: Xác nhận tham dự / Báo vắng / Chưa trả lời; presence at the
    session: Có mặt / Vắng mặt — the same words in the chat, the XLSX and the DOCX."""
    assert [VI.t(m) for m in ANSWERS.values()][:3] == [
        "Xác nhận tham dự",
        "Báo vắng",
        "Chưa trả lời",
    ]
    assert (VI.t(PRESENT), VI.t(NOT_PRESENT)) == ("Có mặt", "Vắng mặt")
    # the chat's roll and invitation buttons (services.roll's labels, the handlers' msgids)
    assert [VI.t(roll.ROLL_LABELS[k]) for k in ("accepted", "declined", "no_answer")] == [
        "Xác nhận tham dự",
        "Báo vắng",
        "Chưa trả lời",
    ]
    assert VI.t(roll.ROLL_LABELS["checked_in"]) == "Có mặt"
    line = "Invited {invited} · will attend {accepted} · absent {declined} · no answer {no_answer}"
    assert VI.t(line, invited=4, accepted=1, declined=2, no_answer=1) == (
        "Được mời 4 · xác nhận tham dự 1 · báo vắng 2 · chưa trả lời 1"
    )
    assert VI.t("✅ Attend") == "✅ Xác nhận tham dự"
    assert VI.t("❌ Absent (give a reason)") == "❌ Báo vắng (nêu lý do)"
    # the report and the chat summary speak of presence
    assert VI.t("Absent with a reason") == "Vắng mặt có lý do"
    assert VI.t("Absent without a reason") == "Vắng mặt không lý do"
