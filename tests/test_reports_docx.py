"""The "Báo cáo tổng hợp ý kiến đại biểu" (DOCX), opened again with python-docx: one issuer
throughout (the Ban Tổ chức by default, or the Ban Thường vụ), the parts and their headings,
the figures (printed points add up to the printed total), and what the printed page depends
on: column widths from the content, rows that never split, repeated header rows, the
signature kept with the last part."""

from __future__ import annotations

import random
from io import BytesIO

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from core.clock import FrozenClock
from core.i18n import Lang
from services import feedback, reports
from services.context import Ctx
from services.errors import InvalidInput, PermissionDenied
from services.feedback import Part
from services.reports.docx_layout import balanced_lines
from services.reports.report_parts import round_to_total
from storage.models import ReportIssuer, Unit
from tests.test_feedback_service import Attended
from tests.test_reports import COMMENTS, with_feedback

VI = Lang("vi")
PARTS = [
    "I. TÌNH HÌNH THAM DỰ",
    "II. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI",
    "III. MẶT LÀM ĐƯỢC",
    "IV. HẠN CHẾ",
    "V. ĐỀ XUẤT, KIẾN NGHỊ",
]


@pytest.fixture
async def att(ctx: Ctx, clock: FrozenClock) -> Attended:
    return await with_feedback(ctx, clock)


def texts(doc: object) -> list[str]:
    return [p.text for p in doc.paragraphs]  # type: ignore[attr-defined]


def number(text: str) -> float:
    return float(text.replace(",", "."))


async def report(ctx: Ctx, att: Attended) -> object:
    return Document(BytesIO(await reports.summary_docx(ctx, att.organiser, att.session_id, VI)))


async def test_the_organising_board_issues_and_signs_by_default(ctx: Ctx, att: Attended) -> None:
    doc = await report(ctx, att)
    header, _, _, signature = doc.tables  # type: ignore[attr-defined]
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "ĐẢNG ỦY KHỐI",
        "BAN TỔ CHỨC",
        "*",
        "Số …-BC/BTCĐU",
    ]
    assert not left.paragraphs[0].runs[0].bold and left.paragraphs[1].runs[0].bold
    party = right.paragraphs[0].runs[0]
    assert (party.text, party.bold, party.underline) == ("ĐẢNG CỘNG SẢN VIỆT NAM", True, True)
    assert right.paragraphs[-1].text == "Hà Nội, ngày 20 tháng 01 năm 2025"
    assert right.paragraphs[-1].runs[0].italic
    body = texts(doc)
    assert "Ban Tổ chức Đảng ủy Khối tổng hợp ý kiến đại biểu như sau:" in " ".join(body)
    recipients, sign = signature.rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert recipients.paragraphs[0].runs[0].underline
    assert [p.text for p in recipients.paragraphs[1:]] == [
        "- Ban Thường vụ Đảng ủy Khối (để báo cáo),",
        "- Chi bộ Khoa Toán,",
        "- Lưu Ban Tổ chức.",
    ]
    # a staff body is signed by its head directly (Hướng dẫn 36-HD/VPTW): no "T/M"
    assert sign.paragraphs[0].text == "TRƯỞNG BAN" and sign.paragraphs[0].runs[0].bold
    assert [p.text for p in sign.paragraphs[1:5]] == ["", "", "", ""]  # room to sign
    assert sign.paragraphs[-1].text == "……………………………"  # the name, to fill in
    everything = " ".join(body + [c.text for t in doc.tables for r in t.rows for c in r.cells])  # type: ignore[attr-defined]
    assert "T/M" not in everything and "BC/ĐU" not in everything


async def test_the_standing_committee_can_issue_instead(ctx: Ctx, att: Attended) -> None:
    plan_id = att.crowd.plan.id
    await reports.set_report_issuer(
        ctx, att.organiser, plan_id, ReportIssuer.STANDING_COMMITTEE, signer="  Trần  Văn Tổ "
    )  # type: ignore[arg-type]
    doc = await report(ctx, att)
    header, *_, signature = doc.tables  # type: ignore[attr-defined]
    assert [p.text for p in header.rows[0].cells[0].paragraphs] == [
        "ĐẢNG ỦY KHỐI",
        "*",
        "Số …-BC/ĐU",
    ]
    assert "Ban Thường vụ Đảng ủy Khối tổng hợp ý kiến" in " ".join(texts(doc))
    sign = signature.rows[0].cells[1]
    assert sign.paragraphs[0].text == "T/M BAN THƯỜNG VỤ\nBÍ THƯ"
    assert sign.paragraphs[-1].text == "Trần Văn Tổ"
    recipients = [p.text for p in signature.rows[0].cells[0].paragraphs]
    assert recipients[-1] == "- Lưu Văn phòng Đảng ủy Khối."
    assert "BAN TỔ CHỨC" not in " ".join(p.text for c in header.rows[0].cells for p in c.paragraphs)


async def test_only_organisers_choose_the_issuer(ctx: Ctx, att: Attended) -> None:
    plan_id = att.crowd.plan.id
    with pytest.raises(PermissionDenied):
        await reports.set_report_issuer(
            ctx, att.present[0], plan_id, ReportIssuer.STANDING_COMMITTEE
        )  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        await reports.set_report_issuer(ctx, att.organiser, plan_id, "the mayor")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        await reports.set_report_issuer(
            ctx, att.organiser, plan_id, ReportIssuer.ORGANISING_BOARD, signer="A" * 121
        )  # type: ignore[arg-type]


async def test_the_parts_headings_and_comments(ctx: Ctx, att: Attended) -> None:
    doc = await report(ctx, att)
    body = texts(doc)
    title = body.index("BÁO CÁO")
    assert body[title + 1 : title + 3] == [
        "Tổng hợp ý kiến đại biểu",
        "tại buổi sinh hoạt thường kỳ của Chi bộ Khoa Toán thuộc Đảng bộ Trường A",
    ]
    assert doc.paragraphs[title].alignment == WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]
    assert "“" not in body[title + 2]  # the unit is named, not quoted
    positions = [body.index(p) for p in PARTS]
    assert positions == sorted(positions)
    for index in positions:
        heading = doc.paragraphs[index]  # type: ignore[attr-defined]
        assert heading.runs[0].bold and heading.paragraph_format.keep_with_next
    intro = body[title + 4]
    assert "Chi bộ Khoa Toán thuộc Đảng bộ Trường A đã tổ chức buổi sinh hoạt thường kỳ" in intro
    assert body[positions[0] + 1] == (
        "Tổng số đại biểu được mời: 30; có mặt: 28 (93,3%), trong đó đến muộn: 2; vắng mặt: 2 "
        "(có lý do: 1, không có lý do: 1). Khách không có giấy mời: 0."
    )
    assert body[positions[1] + 1] == (
        "Số đại biểu gửi ý kiến: 5. Điểm đánh giá bình quân: 90,8/100, xếp loại: Tốt."
    )
    assert (
        body[positions[1] + 2]
        == "Xếp loại chung do đại biểu chọn: Tốt 2; Khá 2; Trung bình 1; Kém 0."
    )
    shortcomings = body[positions[3] + 1 : positions[4]]
    # a comment over two lines is two items, each with its dash
    assert sorted(shortcomings) == sorted(
        ["- Thời gian hơi dài", "- Một số đảng viên đến muộn", "- Cần nhắc nhở"]
    )
    assert body[positions[4] + 1] == '- =HYPERLINK("x") Nhân rộng mô hình'


async def test_named_comments_over_several_lines(ctx: Ctx, att: Attended) -> None:
    await feedback.configure(ctx, att.organiser, att.crowd.plan.id, show_names=True)  # type: ignore[arg-type]
    body = texts(await report(ctx, att))
    name = att.present[3].full_name
    at = body.index(f"- Đồng chí {name}:")
    assert body[at + 1 : at + 3] == ["+ Một số đảng viên đến muộn", "+ Cần nhắc nhở"]
    assert f"- Đồng chí {att.present[1].full_name}: Thảo luận sôi nổi" in body
    assert COMMENTS[1][Part.SHORTCOMINGS] in " ".join(body)


async def test_tables_print_whole_rows_at_content_widths(ctx: Ctx, att: Attended) -> None:
    doc = await report(ctx, att)
    _, turnout, ratings, _ = doc.tables  # type: ignore[attr-defined]
    available = Cm(16.5)
    for table in (turnout, ratings):
        rows = table._tbl.findall(qn("w:tr"))
        for index, row in enumerate(rows):
            properties = row.find(qn("w:trPr"))
            assert properties is not None and properties.find(qn("w:cantSplit")) is not None
            assert (properties.find(qn("w:tblHeader")) is not None) == (index == 0)
        widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(widths) * 635 - available) < Cm(0.1)  # twips → EMU: the text width
        assert widths[0] == max(widths) and widths[0] > 2 * min(widths)  # names need room
    # "Thành phần" gets the room its long group names need: no 17-line cells
    assert turnout.columns[0].width > Cm(4)


async def test_printed_points_add_up_to_the_printed_total(ctx: Ctx, att: Attended) -> None:
    doc = await report(ctx, att)
    ratings = doc.tables[2]  # type: ignore[attr-defined]
    lines = [[c.text for c in row.cells] for row in ratings.rows]
    assert lines[0][-1] == "Điểm đạt"
    parts = [number(line[-1]) for line in lines[1:-1]]
    assert lines[-1][0] == "Tổng điểm" and lines[-1][1] == "100"
    assert round(sum(parts), 1) == number(lines[-1][-1]) == 90.8
    assert sum(int(line[1]) for line in lines[1:-1]) == 100


def test_rounding_keeps_the_total() -> None:
    rng = random.Random(15)
    for _ in range(500):
        parts = [rng.uniform(0, 25) for _ in range(rng.randint(1, 7))]
        total = round(sum(parts), 1)
        printed = round_to_total(parts, total)
        assert round(sum(p for p in printed if p is not None), 1) == total
        assert all(abs(p - q) < 0.1 + 1e-9 for p, q in zip(printed, parts, strict=True))  # type: ignore[operator]


async def test_the_signature_stays_with_the_last_part(ctx: Ctx, att: Attended) -> None:
    doc = await report(ctx, att)
    body = doc.element.body  # type: ignore[attr-defined]
    children = list(body.iterchildren())
    signature = doc.tables[-1]._tbl  # type: ignore[attr-defined]
    before = children[children.index(signature) - 2 : children.index(signature)]
    assert [c.tag for c in before] == [qn("w:p"), qn("w:p")]
    for element in before:  # the last comment and the space under it
        assert element.find(qn("w:pPr")).find(qn("w:keepNext")) is not None
    row = signature.find(qn("w:tr"))
    assert row.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None


async def test_the_header_breaks_between_phrases(ctx: Ctx, att: Attended) -> None:
    root = await ctx.session.get(Unit, att.crowd.org.root.id)
    assert root is not None
    root.name = "Đảng ủy Sở Giáo dục và Đào tạo"
    await ctx.session.flush()
    doc = await report(ctx, att)
    left = doc.tables[0].rows[0].cells[0]  # type: ignore[attr-defined]
    assert left.paragraphs[0].text == "ĐẢNG ỦY SỞ GIÁO DỤC\nVÀ ĐÀO TẠO"
    width = Cm(7.5) / Pt(1) - 12
    assert balanced_lines("ĐẢNG ỦY KHỐI CÁC CƠ QUAN THÀNH PHỐ HÀ NỘI", width, 13) == [
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN",
        "THÀNH PHỐ HÀ NỘI",
    ] or balanced_lines("ĐẢNG ỦY KHỐI CÁC CƠ QUAN THÀNH PHỐ HÀ NỘI", width, 13) == [
        "ĐẢNG ỦY KHỐI",
        "CÁC CƠ QUAN THÀNH PHỐ HÀ NỘI",
    ]
    assert balanced_lines("BAN TỔ CHỨC", width, 13) == ["BAN TỔ CHỨC"]
    assert balanced_lines("ĐẢNG ỦY TRƯỜNG ĐẠI HỌC SƯ PHẠM HÀ NỘI", width, 13) == [
        "ĐẢNG ỦY TRƯỜNG",
        "ĐẠI HỌC SƯ PHẠM HÀ NỘI",
    ]
    assert balanced_lines(
        "ĐẢNG BỘ TRƯỜNG CAO ĐẲNG LÝ TỰ TRỌNG THÀNH PHỐ HỒ CHÍ MINH", width, 13
    ) == ["ĐẢNG BỘ TRƯỜNG", "CAO ĐẲNG LÝ TỰ TRỌNG", "THÀNH PHỐ HỒ CHÍ MINH"]


async def test_document_properties(ctx: Ctx, att: Attended) -> None:
    doc = await report(ctx, att)
    assert doc.core_properties.title == "Tổng hợp ý kiến đại biểu"  # type: ignore[attr-defined]
    section = doc.sections[0]  # type: ignore[attr-defined]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.left_margin.cm, 1) == 3.0
