"""Extraction of KẾ HOẠCH documents into drafts: the shared real example and our fixtures."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from services.plan_import import (
    PlanDraft,
    PlanImportError,
    extract_plan,
    import_plan_bytes,
    read_plan_file,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples"
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "plans"
EXAMPLE_82 = EXAMPLES / "ke-hoach-82-KH-DU.md"

JSON_KEYS = [
    "number",
    "issued_on",
    "place",
    "issuer",
    "title",
    "legal_bases",
    "sessions",
    "participants",
    "deadlines",
]
SESSION_KEYS = [
    "kind",
    "topic",
    "host",
    "host_parent",
    "starts_at",
    "month",
    "venue",
    "address",
]


def fixture(name: str) -> dict[str, Any]:
    return extract_plan(read_plan_file(FIXTURES / name)).to_json()


@pytest.fixture(scope="module")
def example_82() -> dict[str, Any]:
    if not EXAMPLE_82.is_file():
        pytest.skip(f"shared example not available at {EXAMPLE_82}")
    return extract_plan(read_plan_file(EXAMPLE_82)).to_json()


# --- the real example: Kế hoạch 82-KH/ĐU ------------------------------------------------


def test_example_json_shape(example_82: dict[str, Any]) -> None:
    assert list(example_82) == JSON_KEYS
    for session in example_82["sessions"]:
        assert list(session) == SESSION_KEYS


def test_example_header(example_82: dict[str, Any]) -> None:
    assert example_82["number"] == "82-KH/ĐU"
    # The conversion lost the place/date line; nothing is invented for it.
    assert example_82["issued_on"] is None
    assert example_82["place"] is None
    # No header block either: the issuer is the one that "xây dựng kế hoạch" in the preamble.
    assert example_82["issuer"] == "Đảng ủy Sở giáo dục và Đào tạo"
    assert example_82["title"] == "Tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu"


def test_example_legal_bases(example_82: dict[str, Any]) -> None:
    assert example_82["legal_bases"] == [
        "Chỉ thị số 10-CT/TW ngày 30 tháng 3 năm 2007 của Ban Bí thư về nâng cao chất lượng"
        " sinh hoạt chi bộ",
        "Hướng dẫn số 12-HD/BTCTW ngày 06 tháng 7 năm 2017 của Ban Tổ chức Trung ương một số"
        " vấn đề về nâng cao chất lượng sinh hoạt chi bộ",
        "Hướng dẫn 02-HD/TU ngày 22 tháng 3 năm 2019 của Ban Thường vụ Thành ủy về nội dung"
        " sinh hoạt chi bộ và tiêu chí đánh giá chất lượng sinh hoạt chi bộ",
    ]


def test_example_regular_session(example_82: dict[str, Any]) -> None:
    assert example_82["sessions"][0] == {
        "kind": "thuong_ky",
        "topic": None,
        "host": "Chi bộ 01",
        "host_parent": "Đảng bộ Trường Cao đẳng Lý Tự Trọng Tp Hồ Chí Minh",
        "starts_at": "2024-03-28T08:00:00+07:00",
        "month": None,
        "venue": "Hội trường Trường Cao đẳng Lý Tự Trọng",
        "address": "390 Hoàng Văn Thụ, Phường 4, Quận Tân Bình",
    }


def test_example_thematic_session(example_82: dict[str, Any]) -> None:
    assert len(example_82["sessions"]) == 2
    assert example_82["sessions"][1] == {
        "kind": "chuyen_de",
        "topic": None,  # the plan names no topic for it
        "host": "Chi bộ 4",
        "host_parent": "Đảng bộ Trường Trung cấp Kinh tế - Kỹ thuật Quận 12",
        "starts_at": "2024-04-18T08:00:00+07:00",
        "month": None,
        "venue": "Hội trường Trường Trung cấp Kinh tế - Kỹ thuật Quận 12",
        "address": "592 Nguyễn Ảnh Thủ, Phường Trung Mỹ Tây, Quận 12",
    }


def test_example_participants_and_deadlines(example_82: dict[str, Any]) -> None:
    assert example_82["participants"] == [
        "Đại diện Thường trực Thành ủy; lãnh đạo Ban Tổ chức Thành ủy; lãnh đạo, chuyên viên"
        " các phòng thuộc Ban Tổ chức Thành ủy",
        "Đại diện Ban Thường vụ; Ủy viên Ban Chấp hành Đảng bộ Sở; trưởng, phó các Ban xây dựng"
        " Đảng; lãnh đạo, chuyên viên Văn phòng Đảng ủy Sở",
        "Cấp ủy đảng bộ, chi bộ cơ sở",
        "Cấp ủy các chi bộ trực thuộc đảng bộ cơ sở",
        "Đảng viên các chi bộ thực hiện sinh hoạt mẫu",
    ]
    # "Nơi nhận" (recipients) is not an attendance list, and the plan sets no deadline.
    assert "Lưu Văn phòng Đảng ủy" not in example_82["participants"]
    assert example_82["deadlines"] == []


def test_example_survives_nfd_and_odd_whitespace(example_82: dict[str, Any]) -> None:
    text = EXAMPLE_82.read_text(encoding="utf-8")
    mangled = unicodedata.normalize("NFD", text).replace(" ", "\u00a0 \t").replace("\n", "\r\n")
    assert extract_plan(mangled).to_json() == example_82


def test_example_roundtrips_through_json(example_82: dict[str, Any]) -> None:
    assert PlanDraft.from_json(example_82).to_json() == example_82


# --- fixtures in other styles -------------------------------------------------------------


def test_regular_and_thematic_sessions_in_mixed_styles() -> None:
    plan = fixture("huyen-uy-thuong-ky-chuyen-de.md")
    assert plan["number"] == "45-KH/HU"
    assert plan["issued_on"] == "2024-02-05"
    assert plan["place"] == "Quế Võ"
    assert plan["issuer"] == "HUYỆN ỦY QUẾ VÕ"  # the lower line of the header, not the province
    assert plan["title"] == "Tổ chức sinh hoạt chi bộ mẫu năm 2024"
    assert plan["legal_bases"] == [
        "Điều lệ Đảng Cộng sản Việt Nam",
        "Hướng dẫn số 12-HD/BTCTW ngày 06/7/2017 của Ban Tổ chức Trung ương về một số vấn đề"
        " nâng cao chất lượng sinh hoạt chi bộ",
    ]
    regular_a, regular_b, thematic = plan["sessions"]
    assert regular_a == {
        "kind": "thuong_ky",
        "topic": None,
        "host": "Chi bộ Khu phố 3",
        "host_parent": "Đảng bộ thị trấn Phố Mới",
        "starts_at": "2024-03-12T19:30:00+07:00",
        "month": None,
        "venue": "Nhà văn hóa Khu phố 3",
        "address": None,
    }
    assert regular_b["host"] == "Chi bộ Thôn Nam Viên"
    assert regular_b["host_parent"] == "Đảng bộ xã Phương Liễu"
    assert regular_b["starts_at"] == "2024-03-14T14:00:00+07:00"
    assert regular_b["kind"] == "thuong_ky"
    assert thematic == {
        "kind": "chuyen_de",
        "topic": "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "host": "Chi bộ Trường Tiểu học Kim Đồng",
        "host_parent": "Đảng bộ xã Yên Giả",
        "starts_at": "2024-04-05T14:00:00+07:00",
        "month": None,
        "venue": "Hội trường UBND xã Yên Giả",
        "address": "thôn Yên Lã, xã Yên Giả",
    }
    assert plan["participants"] == [
        "Thường trực Huyện ủy",
        "Lãnh đạo Ban Tổ chức Huyện ủy",
        "Bí thư các chi bộ trực thuộc Đảng bộ được chọn",
    ]
    assert plan["deadlines"] == [
        {
            "due": "2024-03-01",
            "what": "Các đảng ủy được chọn gửi nội dung, chương trình sinh hoạt về Ban Tổ chức"
            " Huyện ủy",
        }
    ]


def test_workshop_with_only_a_month() -> None:
    plan = fixture("hoi-thao-thang.md")
    assert plan["number"] == "87-KH/HU"
    assert plan["issuer"] == "HUYỆN UỶ GIA LÂM"  # old tone placement is accepted as written
    assert plan["issued_on"] == "2022-04-12"
    assert plan["place"] == "Gia Lâm"
    assert plan["legal_bases"] == [
        "Chỉ thị số 10-CT/TW ngày 30/3/2007 của Ban Bí thư khóa X",
        "Quy định số 24-QĐ/TW ngày 30/7/2021 của Ban Chấp hành Trung ương",
    ]
    assert plan["sessions"] == [
        {
            "kind": "hoi_thao",
            "topic": "Nâng cao chất lượng sinh hoạt chi bộ trong giai đoạn hiện nay",
            "host": None,
            "host_parent": None,
            "starts_at": None,
            "month": "2022-05",
            "venue": "Hội trường Trung tâm Chính trị huyện Gia Lâm",
            "address": None,
        }
    ]
    assert plan["participants"] == [
        "Thường trực Huyện ủy",
        "Lãnh đạo các ban xây dựng Đảng Huyện ủy",
        "Bí thư các đảng ủy, chi bộ cơ sở",
    ]
    assert plan["deadlines"] == [
        {
            "due": "2022-04-25",
            "what": "Các đơn vị được phân công gửi tham luận về Ban Tuyên giáo Huyện ủy",
        },
        {"due": "2022-05-05", "what": "Ban Tuyên giáo Huyện ủy tổng hợp, biên tập kỷ yếu hội thảo"},
    ]


def test_cascade_plan_deadlines_for_units() -> None:
    plan = fixture("cascade-dang-uy-co-so.md")
    assert plan["number"] == "120-KH/HU"
    assert plan["issuer"] == "HUYỆN ỦY SÓC SƠN"
    assert plan["title"] == "Triển khai sinh hoạt chi bộ mẫu tại các đảng bộ cơ sở"
    assert len(plan["legal_bases"]) == 2
    # "Mỗi đảng ủy cơ sở chọn 2 chi bộ ..." is an instruction, not a session of its own.
    assert plan["sessions"] == [
        {
            "kind": "thuong_ky",
            "topic": None,
            "host": "Chi bộ Thôn Đông",
            "host_parent": "Đảng bộ xã Phù Linh",
            "starts_at": None,
            "month": "2025-03",
            "venue": None,
            "address": None,
        }
    ]
    assert plan["deadlines"] == [
        {
            "due": "2025-02-20",
            "what": "Mỗi đảng ủy cơ sở chọn 2 chi bộ (1 chi bộ sinh hoạt thường kỳ, 1 chi bộ sinh"
            " hoạt chuyên đề) tổ chức sinh hoạt mẫu, báo cáo danh sách về Ban Tổ chức Huyện ủy",
        },
        {
            "due": "2025-03-15",
            "what": "Các đơn vị được phân công gửi tham luận về Ban Tổ chức Huyện ủy",
        },
        # A bare "Thời hạn: chậm nhất ngày ..." takes its heading as the description.
        {"due": "2025-03-31", "what": "Báo cáo kết quả"},
    ]


def test_plan_without_sessions() -> None:
    plan = fixture("khong-co-buoi.md")
    assert plan["number"] == "33-KH/ĐU"
    assert plan["issuer"] == "ĐẢNG ỦY PHƯỜNG TRUNG HÒA"
    assert plan["issued_on"] == "2024-06-03"
    assert plan["place"] == "Cầu Giấy"
    assert plan["title"] == "Kiểm tra việc thực hiện sinh hoạt chi bộ mẫu năm 2024"
    assert plan["sessions"] == []
    assert plan["participants"] == []
    assert plan["deadlines"] == [
        {"due": "2024-06-30", "what": "Các chi bộ tự kiểm tra và gửi báo cáo về Văn phòng Đảng ủy"}
    ]


def test_plain_text_plan_with_wrapped_lines() -> None:
    plan = fixture("chi-bo-chuyen-de.txt")
    assert plan["number"] == "05-KH/CB"
    assert plan["issuer"] == "CHI BỘ TRƯỜNG THCS NGUYỄN DU"
    assert plan["issued_on"] == "2025-02-20"
    assert plan["place"] == "Hà Nội"
    assert plan["title"] == "Sinh hoạt chi bộ chuyên đề mẫu quý I năm 2025"
    assert plan["legal_bases"] == [
        "Hướng dẫn số 12-HD/BTCTW ngày 06 tháng 7 năm 2017 của Ban Tổ chức Trung ương",
        "Kế hoạch số 40-KH/ĐU ngày 10/01/2025 của Đảng ủy phường Cửa Nam",
    ]
    assert plan["sessions"] == [
        {
            "kind": "chuyen_de",
            "topic": "Nâng cao vai trò nêu gương của đảng viên là giáo viên",
            "host": "Chi bộ Trường THCS Nguyễn Du",
            "host_parent": None,
            "starts_at": "2025-03-15T07:30:00+07:00",
            "month": None,
            "venue": "Phòng họp Hội đồng sư phạm, Trường THCS Nguyễn Du, số 12 phố Hàng Bài",
            "address": None,
        }
    ]
    assert plan["participants"] == [
        "Toàn thể đảng viên trong Chi bộ",
        "Đại diện Đảng ủy phường Cửa Nam",
    ]
    assert plan["deadlines"] == [
        {
            "due": "2025-03-05",
            "what": "Đồng chí Bí thư chuẩn bị báo cáo chuyên đề, gửi Đảng ủy phường",
        }
    ]


def test_sessions_as_numbered_host_sections_with_labelled_items() -> None:
    plan = fixture("chi-bo-theo-muc.md")
    assert plan["number"] == "15-KH/CB"
    assert plan["issuer"] == "CHI BỘ CÔNG TY CỔ PHẦN MAY 10"  # header flattened on one line
    assert (plan["place"], plan["issued_on"]) == ("Tp. Hồ Chí Minh", "2024-03-05")
    assert plan["title"] == "Tổ chức sinh hoạt chi bộ mẫu"  # "Kế hoạch" in lower case
    assert plan["sessions"] == [
        {
            "kind": "chuyen_de",
            "topic": "Xây dựng tác phong công nghiệp",
            "host": "Chi bộ Phân xưởng 2",
            "host_parent": "Đảng bộ Công ty May 10",
            "starts_at": "2024-03-12T14:00:00+07:00",
            "month": None,
            "venue": "Hội trường tầng 3",
            "address": None,
        },
        {
            "kind": "thuong_ky",
            "topic": None,
            "host": "Chi bộ Phân xưởng 5",
            "host_parent": "Đảng bộ Công ty May 10",
            "starts_at": "2024-03-20T07:30:00+07:00",
            "month": None,
            "venue": "Nhà ăn ca",
            "address": None,
        },
    ]


def test_time_and_venue_in_a_section_of_their_own() -> None:
    text = """KẾ HOẠCH
Sinh hoạt chuyên đề mẫu

I. NỘI DUNG
Chi bộ Khối Dân chính thuộc Đảng bộ xã Tân Lập tổ chức sinh hoạt chuyên đề với chủ đề
“Phòng chống tham nhũng”.

II. THỜI GIAN, ĐỊA ĐIỂM
- Thời gian: 8 giờ 00, ngày 10/3/2024.
- Địa điểm: Hội trường UBND xã Tân Lập.

III. TỔ CHỨC THỰC HIỆN
- Thời gian thực hiện: tháng 4/2024.
"""
    (session,) = extract_plan(text).to_json()["sessions"]
    assert session == {
        "kind": "chuyen_de",
        "topic": "Phòng chống tham nhũng",
        "host": "Chi bộ Khối Dân chính",
        "host_parent": "Đảng bộ xã Tân Lập",
        "starts_at": "2024-03-10T08:00:00+07:00",
        "month": None,
        "venue": "Hội trường UBND xã Tân Lập",
        "address": None,
    }


def test_markdown_table_of_sessions() -> None:
    text = """## KẾ HOẠCH
Sinh hoạt chi bộ mẫu năm 2024
### II. NỘI DUNG
| STT | Đơn vị thực hiện | Nội dung/Chủ đề | Thời gian | Địa điểm |
|---|---|---|---|---|
| 1 | Chi bộ Thôn 1 thuộc Đảng bộ xã A | Sinh hoạt thường kỳ | 19h ngày 3/4/2024 | Nhà văn hóa thôn 1 |
| 2 | Chi bộ Thôn 2 | Chuyên đề: “Dân vận khéo” | Tháng 5/2024 | Nhà văn hóa thôn 2 |
"""
    first, second = extract_plan(text).to_json()["sessions"]
    assert (first["kind"], first["host"], first["host_parent"]) == (
        "thuong_ky",
        "Chi bộ Thôn 1",
        "Đảng bộ xã A",
    )
    assert (first["starts_at"], first["venue"]) == (
        "2024-04-03T19:00:00+07:00",
        "Nhà văn hóa thôn 1",
    )
    assert (second["kind"], second["topic"], second["host"]) == (
        "chuyen_de",
        "Dân vận khéo",
        "Chi bộ Thôn 2",
    )
    assert (second["starts_at"], second["month"]) == (None, "2024-05")


# --- small inputs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "starts_at", "month"),
    [
        ("Thời gian: 14h00 ngày 5/4/2024.", "2024-04-05T14:00:00+07:00", None),
        ("Thời gian: 2 giờ chiều ngày 05-04-2024.", "2024-04-05T14:00:00+07:00", None),
        ("Thời gian: 8:30, ngày 5 tháng 4 năm 2024.", "2024-04-05T08:30:00+07:00", None),
        ("Thời gian: ngày 5/4/2024.", None, "2024-04"),  # no clock time: only the month
        ("Thời gian: dự kiến tháng 5/2022.", None, "2022-05"),
        ("Thời gian: hoàn thành trong tháng 3 năm 2025.", None, "2025-03"),
        ("Thời gian: ngày 31/2/2024.", None, None),  # impossible date
        ("Thời gian: ngày 5/4.", None, None),  # no year: not guessed
    ],
)
def test_session_time_forms(line: str, starts_at: str | None, month: str | None) -> None:
    text = f"KẾ HOẠCH\nSinh hoạt chi bộ mẫu\n\nI. NỘI DUNG\n1. Sinh hoạt chi bộ thường kỳ mẫu\n- Chi bộ Thôn A thực hiện.\n- {line}\n"
    (session,) = extract_plan(text).to_json()["sessions"]
    assert (session["starts_at"], session["month"]) == (starts_at, month)


def test_undated_issue_line_keeps_place() -> None:
    text = "HUYỆN ỦY ĐÔNG ANH\nSố 7-KH/HU\nĐông Anh, ngày    tháng 4 năm 2024\n\nKẾ HOẠCH\nSinh hoạt chi bộ mẫu"
    plan = extract_plan(text).to_json()
    assert (plan["place"], plan["issued_on"], plan["number"]) == ("Đông Anh", None, "7-KH/HU")


def test_text_without_a_plan_gives_an_empty_draft() -> None:
    draft = extract_plan("Xin chào, đây là tin nhắn bình thường.")
    assert draft.is_empty()
    assert draft.to_json() == {
        "number": None,
        "issued_on": None,
        "place": None,
        "issuer": None,
        "title": None,
        "legal_bases": [],
        "sessions": [],
        "participants": [],
        "deadlines": [],
    }
    with pytest.raises(PlanImportError) as caught:
        import_plan_bytes("Xin chào.".encode(), "tin-nhan.txt")
    assert caught.value.code == "no_plan_found"


def test_fixture_plans_are_not_empty() -> None:
    for path in sorted(FIXTURES.iterdir()):
        assert not extract_plan(read_plan_file(path)).is_empty(), path.name
