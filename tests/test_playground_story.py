"""`:story` in the playground, driven through the console's command interpreter as a newcomer
would type it (no terminal): it plays every step of the programme, reaches the summary and the
exports, and the files it saved open with openpyxl and python-docx and hold what was given."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from core.clock import MovableClock
from playground.console import Console
from playground.harness import BotHarness
from playground.story import COMMENTS, MEMBERS, SECRETARY

ROOT = Path(__file__).resolve().parents[1]


async def test_the_story_reaches_the_summary_and_the_exports(tmp_path: Path) -> None:
    lines: list[str] = []
    harness = BotHarness(
        database_url=f"sqlite:///{tmp_path / 'playground.db'}",
        bootstrap_admin_ids=[1],
        clock=MovableClock(),
    )
    await harness.start()
    console = Console(
        harness, files_dir=tmp_path / "files", story_db=tmp_path / "story.db", out=lines.append
    )
    try:
        assert await console.handle(":story")
        text = "\n".join(lines)
        assert "(câu chuyện dừng" not in text, text[-3000:]
        assert "🎬 Hết câu chuyện. Đồng chí có thể tiếp tục thử với dữ liệu vừa tạo." in text
        # Every step is captioned in Vietnamese, in order.
        captions = [line for line in lines if line.startswith("▶ ")]
        assert captions[0] == "▶ 1. Người tổ chức (người dùng 1) mở trợ lý, gõ họ tên và chức vụ"
        assert len(captions) == 15
        for expected in (
            "Đã tạo kế hoạch nháp 12-KH/ĐU",
            "Đã ban hành kế hoạch 12-KH/ĐU.",
            "Đã chốt ngày: Sinh hoạt thường kỳ của “Chi bộ Khu phố 3”",
            "✅ Đã gửi giấy mời: 4/4.",
            "✏️ (cập nhật) GIẤY MỜI",  # the invitation edited by the answer
            "🕒 Đồng hồ của trợ lý bây giờ là 08:30 09/03/2025",
            "Nhắc lịch: sinh hoạt thường kỳ của “Chi bộ Khu phố 3”",
            "✅ Đã điểm danh lúc 07:50",
            "📋 Danh sách: sinh hoạt thường kỳ của “Chi bộ Khu phố 3”",
            "Võ Thị Hà (Đi công tác tại Đà Nẵng)",  # the one who sent apologies, on the roll
            "Cảm ơn đồng chí đã góp ý!",
            "📊 TỔNG HỢP BUỔI SINH HOẠT",
            "3 (75%)",  # present: 3 of the 4 invited
            "[ảnh] đã lưu vào ",
            "[tệp] đã lưu vào ",
        ):
            assert expected in text, expected
        assert "octet-stream" not in text

        # The files were written where the console said, and open.
        saved = sorted((tmp_path / "files").iterdir())
        names = [p.name.split("-", 1)[1] for p in saved]
        assert "diem-danh-buoi-1.xlsx" in names
        assert "y-kien-dai-bieu-buoi-1.xlsx" in names
        assert "bao-cao-tong-hop-y-kien-buoi-1.docx" in names
        photos = [p for p in saved if p.name.endswith("-anh.png")]
        assert len(photos) >= 2  # the check-in QR code and the charts
        assert all(p.read_bytes().startswith(b"\x89PNG") for p in photos)
        for path in saved:
            assert f"đã lưu vào {path}" in text

        by_name = {p.name.split("-", 1)[1]: p for p in saved}
        roll = load_workbook(by_name["diem-danh-buoi-1.xlsx"]).active
        cells = {str(v) for row in roll.iter_rows(values_only=True) for v in row if v}
        for person in (SECRETARY, *MEMBERS):
            assert person.full_name in cells
        feedback = load_workbook(by_name["y-kien-dai-bieu-buoi-1.xlsx"]).active
        given = {str(v) for row in feedback.iter_rows(values_only=True) for v in row if v}
        written = {c for person in COMMENTS for c in person if c}
        assert written <= given
        report = Document(str(by_name["bao-cao-tong-hop-y-kien-buoi-1.docx"]))
        paragraphs = "\n".join(p.text for p in report.paragraphs)
        for comment in written:
            assert comment in paragraphs

        # :open tells where the newest file is; the world of the story goes on.
        lines.clear()
        await console.handle(":open")
        assert lines == [f"📂 Tệp mới nhất: {saved[-1].resolve()}"]
        assert console.h is not harness and console.h.app is not None
        lines.clear()
        await console.handle(":u 1")
        await console.handle("/tonghop")
        assert any("Đồng chí muốn xem tổng hợp của kế hoạch nào?" in line for line in lines)
    finally:
        await console.h.stop()


async def test_python_bot_py_playground_story_without_a_terminal(tmp_path: Path) -> None:
    """The real command, its input piped: the story plays, then the typed lines are read."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "playground",
        "--db",
        str(tmp_path / "playground.db"),
        "--story",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(b":time\n:open\n:q\n"), 120)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    text = out.decode()
    assert proc.returncode == 0, err.decode()[-2000:]
    assert "🎬 Hết câu chuyện. Đồng chí có thể tiếp tục thử với dữ liệu vừa tạo." in text, text[
        -2000:
    ]
    assert re.search(r"🕒 Đồng hồ của trợ lý: 10:3\d 13/03/2025", text)  # the story's clock
    assert "📂 Tệp mới nhất: " in text and "bao-cao-tong-hop-y-kien-buoi-1.docx" in text
    assert (tmp_path / "playground-story.db").exists()
    files = {p.name.split("-", 1)[1] for p in (tmp_path / "playground-files").iterdir()}
    assert {"diem-danh-buoi-1.xlsx", "bao-cao-tong-hop-y-kien-buoi-1.docx"} <= files
