"""Reading plan files: .md/.txt/.docx to text, and refusing what cannot be a plan file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document

from services.plan_import import (
    MAX_FILE_BYTES,
    PlanImportError,
    extract_plan,
    import_plan_file,
    read_plan_bytes,
    read_plan_file,
)

PLAN_TEXT = "KẾ HOẠCH\nSinh hoạt chi bộ mẫu\n"


def error_code(call: object, *args: object) -> str:
    with pytest.raises(PlanImportError) as caught:
        call(*args)  # type: ignore[operator]
    assert caught.value.detail and str(caught.value) == caught.value.detail
    return caught.value.code


# --- text files ----------------------------------------------------------------------------


def test_reads_utf8_markdown_and_text(tmp_path: Path) -> None:
    for name in ("plan.md", "plan.txt", "PLAN.MD", "plan.markdown"):
        path = tmp_path / name
        path.write_bytes(("\ufeff" + PLAN_TEXT.replace("\n", "\r\n")).encode("utf-8"))
        assert read_plan_file(path) == PLAN_TEXT


def test_reads_utf16_and_legacy_windows_vietnamese() -> None:
    assert read_plan_bytes(PLAN_TEXT.encode("utf-16"), "plan.txt") == PLAN_TEXT
    # Windows-1258 writes tones as combining marks: "ố" is "ô" (0xF4) + acute (0xEC).
    legacy = b"S\xf4\xec 5-KH/\xd0U"
    assert read_plan_bytes(legacy, "plan.txt") == "Số 5-KH/ĐU"


def test_missing_file(tmp_path: Path) -> None:
    assert error_code(read_plan_file, tmp_path / "missing.md") == "not_found"


@pytest.mark.parametrize("name", ["plan.doc", "plan", "plan.md.exe", "plan.odt"])
def test_unsupported_extensions(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(PLAN_TEXT, encoding="utf-8")
    assert error_code(read_plan_file, path) == "unsupported_type"
    assert error_code(read_plan_bytes, PLAN_TEXT.encode(), name) == "unsupported_type"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", "\ufeff".encode()])
def test_empty_files(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "plan.md"
    path.write_bytes(data)
    assert error_code(read_plan_file, path) == "empty"
    assert error_code(read_plan_bytes, data, "plan.txt") == "empty"


def test_binary_files(tmp_path: Path) -> None:
    data = b"KE HOACH\x00\x01\x02\x00binary"
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    assert error_code(read_plan_file, path) == "binary"
    assert error_code(read_plan_bytes, bytes(range(1, 32)) * 10, "plan.md") == "binary"


def test_huge_files(tmp_path: Path) -> None:
    data = b"a" * (MAX_FILE_BYTES + 1)
    path = tmp_path / "plan.md"
    path.write_bytes(data)
    assert error_code(read_plan_file, path) == "too_large"
    assert error_code(read_plan_bytes, data, "plan.txt") == "too_large"
    assert error_code(read_plan_bytes, data, "plan.docx") == "too_large"


def test_unreadable_files(tmp_path: Path) -> None:
    directory = tmp_path / "folder.md"
    directory.mkdir()
    assert error_code(read_plan_file, directory) == "unreadable"
    # Bytes that are neither UTF-8 nor Windows-1258.
    assert error_code(read_plan_bytes, b"\x81\x8a\x8d plan", "plan.txt") == "unreadable"


def test_broken_docx_files() -> None:
    assert error_code(read_plan_bytes, b"\xd0\xcf\x11\xe0 old .doc", "plan.docx") == "unreadable"
    assert error_code(read_plan_bytes, b"PK\x03\x04 truncated", "plan.docx") == "unreadable"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    assert error_code(read_plan_bytes, buffer.getvalue(), "plan.docx") == "unreadable"


def test_error_codes_are_checked() -> None:
    with pytest.raises(ValueError):
        PlanImportError("nope", "detail")  # type: ignore[arg-type]


# --- .docx ---------------------------------------------------------------------------------


def build_docx() -> bytes:
    document = Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ĐẢNG BỘ QUẬN BA ĐÌNH"
    header.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    issuer_cell = header.cell(1, 0)
    issuer_cell.text = "ĐẢNG ỦY PHƯỜNG KIM MÃ"
    issuer_cell.add_paragraph("*")
    issuer_cell.add_paragraph("Số 18-KH/ĐU")
    header.cell(1, 1).text = "Ba Đình, ngày 02 tháng 3 năm 2024"

    document.add_heading("KẾ HOẠCH", level=1)
    document.add_paragraph().add_run("Tổ chức sinh hoạt chi bộ mẫu năm 2024").bold = True
    document.add_paragraph(
        "Căn cứ Hướng dẫn số 12-HD/BTCTW ngày 06/7/2017 của Ban Tổ chức Trung ương;"
    )
    document.add_paragraph("Đảng ủy phường xây dựng kế hoạch như sau:")

    document.add_heading("I. MỤC ĐÍCH, YÊU CẦU", level=2)
    document.add_paragraph("Nâng cao chất lượng sinh hoạt chi bộ thường kỳ.")

    document.add_heading("II. LỊCH SINH HOẠT CHI BỘ MẪU", level=2)
    rows = [
        ["TT", "Chi bộ", "Thuộc Đảng bộ", "Hình thức", "Thời gian", "Địa điểm"],
        [
            "1",
            "Chi bộ Tổ dân phố số 5",
            "Đảng bộ phường Kim Mã",
            "Thường kỳ",
            "19h30 ngày 15/3/2024",
            "Nhà văn hóa Tổ dân phố 5",
        ],
        [
            "2",
            "Chi bộ Trường Mầm non Kim Mã",
            "Đảng bộ phường Kim Mã",
            "Chuyên đề: “Nêu gương của đảng viên”",
            "14 giờ 00\nngày 22/3/2024",
            "Phòng họp nhà trường, địa chỉ: 12 Kim Mã",
        ],
    ]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value

    document.add_heading("III. THÀNH PHẦN THAM DỰ", level=2)
    document.add_paragraph("Đại diện Ban Tổ chức Quận ủy;", style="List Bullet")
    document.add_paragraph("Toàn thể đảng viên các chi bộ được chọn.", style="List Bullet")

    document.add_heading("IV. TỔ CHỨC THỰC HIỆN", level=2)
    document.add_paragraph(
        "Các chi bộ gửi chương trình sinh hoạt về Văn phòng Đảng ủy trước ngày 10/3/2024."
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_with_headings_paragraphs_and_table(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(build_docx())
    text = read_plan_file(path)
    assert "| TT | Chi bộ |" in text
    plan = extract_plan(text).to_json()
    assert plan["number"] == "18-KH/ĐU"
    assert plan["issuer"] == "ĐẢNG ỦY PHƯỜNG KIM MÃ"
    assert plan["issued_on"] == "2024-03-02"
    assert plan["place"] == "Ba Đình"
    assert plan["title"] == "Tổ chức sinh hoạt chi bộ mẫu năm 2024"
    assert plan["legal_bases"] == [
        "Hướng dẫn số 12-HD/BTCTW ngày 06/7/2017 của Ban Tổ chức Trung ương"
    ]
    assert plan["sessions"] == [
        {
            "kind": "thuong_ky",
            "topic": None,
            "host": "Chi bộ Tổ dân phố số 5",
            "host_parent": "Đảng bộ phường Kim Mã",
            "starts_at": "2024-03-15T19:30:00+07:00",
            "month": None,
            "venue": "Nhà văn hóa Tổ dân phố 5",
            "address": None,
        },
        {
            "kind": "chuyen_de",
            "topic": "Nêu gương của đảng viên",
            "host": "Chi bộ Trường Mầm non Kim Mã",
            "host_parent": "Đảng bộ phường Kim Mã",
            "starts_at": "2024-03-22T14:00:00+07:00",
            "month": None,
            "venue": "Phòng họp nhà trường",
            "address": "12 Kim Mã",
        },
    ]
    assert plan["participants"] == [
        "Đại diện Ban Tổ chức Quận ủy",
        "Toàn thể đảng viên các chi bộ được chọn",
    ]
    assert plan["deadlines"] == [
        {
            "due": "2024-03-10",
            "what": "Các chi bộ gửi chương trình sinh hoạt về Văn phòng Đảng ủy",
        }
    ]
    assert import_plan_file(path).to_json() == plan


def test_docx_bytes_from_chat_match_file(tmp_path: Path) -> None:
    data = build_docx()
    path = tmp_path / "KE HOACH.DOCX"
    path.write_bytes(data)
    assert read_plan_bytes(data, "KE HOACH.DOCX") == read_plan_file(path)
