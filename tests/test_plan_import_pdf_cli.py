"""PDF plans (text layer read, scanned ones refused clearly) and the plain `import-plan` output."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

from services.plan_import import PlanImportError, extract_plan, read_plan_bytes, read_plan_file

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages

ROOT = Path(__file__).resolve().parents[1]
PLAN_LINES = [
    "ĐẢNG ỦY XÃ TÂN LẬP",
    "Số 12-KH/ĐU",
    "Tân Lập, ngày 02 tháng 3 năm 2024",
    "KẾ HOẠCH",
    "Sinh hoạt chi bộ thường kỳ mẫu",
    "I. NỘI DUNG",
    "1. Sinh hoạt chi bộ thường kỳ mẫu",
    "- Chi bộ Thôn Đông thực hiện.",
    "- Thời gian: 8 giờ 00, ngày 10/3/2024.",
    "- Địa điểm: Nhà văn hóa Thôn Đông.",
]


def _pdf(lines: list[str], *, text: bool = True) -> bytes:
    old = matplotlib.rcParams["pdf.fonttype"]
    matplotlib.rcParams["pdf.fonttype"] = 42  # TrueType: the text layer keeps Unicode
    try:
        figure = plt.figure(figsize=(8.27, 11.69))
        if text:
            for n, line in enumerate(lines):
                figure.text(0.08, 0.95 - n * 0.03, line, fontsize=10)
        else:
            figure.figimage([[0.2, 0.8], [0.8, 0.2]], xo=50, yo=50)  # a "scan": pixels only
        buffer = io.BytesIO()
        with PdfPages(buffer) as pdf:
            pdf.savefig(figure)
        plt.close(figure)
        return buffer.getvalue()
    finally:
        matplotlib.rcParams["pdf.fonttype"] = old


def test_a_pdf_with_a_text_layer_is_read() -> None:
    draft = extract_plan(read_plan_bytes(_pdf(PLAN_LINES), "ke-hoach.pdf"))
    assert draft.number == "12-KH/ĐU"
    (session,) = draft.sessions
    assert (session.kind, session.host, session.venue) == (
        "thuong_ky",
        "Chi bộ Thôn Đông",
        "Nhà văn hóa Thôn Đông",
    )
    assert session.starts_at is not None and session.starts_at.isoformat() == (
        "2024-03-10T08:00:00+07:00"
    )


def test_a_scanned_pdf_is_refused_with_its_own_code() -> None:
    with pytest.raises(PlanImportError) as caught:
        read_plan_bytes(_pdf([], text=False), "scan.pdf")
    assert caught.value.code == "scanned_pdf"
    assert "scanned" in caught.value.detail


def test_a_broken_pdf_is_unreadable() -> None:
    with pytest.raises(PlanImportError) as caught:
        read_plan_bytes(b"%PDF-1.4 nothing else", "hong.pdf")
    assert caught.value.code == "unreadable"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "import-plan", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_plain_output_has_vietnamese_labels(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.txt"
    path.write_text("\n".join(PLAN_LINES), encoding="utf-8")
    assert not read_plan_file(path) == ""
    done = _cli(str(path))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Số hiệu: 12-KH/ĐU" in out
    assert "Sinh hoạt thường kỳ" in out and "Đơn vị thực hiện: Chi bộ Thôn Đông" in out
    assert "Địa điểm: Nhà văn hóa Thôn Đông" in out
    for key in ("thuong_ky", "starts_at", "host_parent", "session 1", "participant groups"):
        assert key not in out


def test_a_file_with_no_plan_says_so_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "ghi-chu.txt"
    path.write_text("Mua rau, nấu cơm, đón con lúc 5 giờ chiều.", encoding="utf-8")
    done = _cli(str(path))
    assert done.returncode == 1
    assert "không giống một kế hoạch" in done.stderr and done.stdout == ""


def test_a_corpus_plan_reads_the_same_from_its_pdf() -> None:
    source = ROOT / "tests" / "plan_corpus" / "p03-van-ban-tron.txt"
    lines = source.read_text(encoding="utf-8").splitlines()
    old = matplotlib.rcParams["pdf.fonttype"]
    matplotlib.rcParams["pdf.fonttype"] = 42
    buffer = io.BytesIO()
    try:
        with PdfPages(buffer) as pdf:
            for start in range(0, len(lines), 45):  # two pages
                figure = plt.figure(figsize=(8.27, 11.69))
                for n, line in enumerate(lines[start : start + 45]):
                    figure.text(0.06, 0.96 - n * 0.021, line, fontsize=7.5)
                pdf.savefig(figure)
                plt.close(figure)
    finally:
        matplotlib.rcParams["pdf.fonttype"] = old
    from_pdf = extract_plan(read_plan_bytes(buffer.getvalue(), "ke-hoach.pdf")).to_json()
    assert from_pdf == extract_plan(read_plan_file(source)).to_json()
    assert len(from_pdf["sessions"]) == 2
