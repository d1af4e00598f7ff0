"""Render the exports to PDF the way an office prints them, and count their pages.

    python tools/render_pdf.py [--out DIR] [--png]

Builds a realistic plan in a throw-away SQLite database (a 30-person roll, three sessions —
two of them on the same day —, feedback with long, multi-line comments), writes the roll
XLSX, the feedback XLSX (a session's and the plan's), the report DOCX (issued by the Ban Tổ
chức and by the Ban Thường vụ) and the attendance and ratings charts, converts the documents
to PDF with LibreOffice (`soffice --headless --convert-to pdf`) when it is installed, and
prints the page count of each, whether the roll prints one page wide, and whether the
report's signature is on the page of its last section. With --png every PDF page is also
saved as a PNG (pdftoppm) to look at.

The data comes from the helpers the tests use (tests/), so the figures are those the tests
check. Exits 1 when a check fails, 0 otherwise (also when LibreOffice is missing: then only
the files are written)."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx import Document

import services.reactions  # noqa: F401  (wires the reactions, as start-up does)
from core.clock import FrozenClock
from core.i18n import Lang, compile_catalogs
from services import checkin, feedback, invitations, reports, summaries
from services.context import Ctx
from services.feedback import Part
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Person, ReportIssuer
from tests.test_feedback_service import attend
from tests.test_plans_service import at, new_session

VI = Lang("vi")
RATINGS = [
    ([4, 4, 4, 4, 4], 4),
    ([4, 3, 4, 3, 4], 4),
    ([3, 3, 2, 3, 4], 3),
    ([4, 4, 3, 4, 3], 3),
    ([2, 3, 4, 4, 4], 2),
    ([3, 4, 3, 3, 3], 3),
]
COMMENTS = [
    {
        Part.WENT_WELL: "Công tác chuẩn bị chu đáo, tài liệu được gửi trước ba ngày để đảng viên "
        "nghiên cứu; hội trường bố trí trang trọng, đúng nghi thức.",
        Part.PROPOSALS: "- Đề nghị Ban Tổ chức Đảng ủy tổng hợp kinh nghiệm của buổi sinh hoạt "
        "này để nhân rộng ra các chi bộ trực thuộc trong quý tới.\n"
        "- Biên soạn tài liệu hướng dẫn ngắn gọn về quy trình sinh hoạt chi bộ mẫu.",
    },
    {
        Part.WENT_WELL: "Đảng viên thảo luận sôi nổi, thẳng thắn, nhiều ý kiến có chất lượng.",
        Part.SHORTCOMINGS: "Thời gian phần báo cáo kết quả thực hiện nhiệm vụ tháng còn dài, "
        "chưa dành đủ thời gian cho phần thảo luận các giải pháp khắc phục hạn chế.",
    },
    {
        Part.SHORTCOMINGS: "Một số đảng viên đến muộn so với giờ triệu tập\nCần nhắc nhở "
        "trước buổi sinh hoạt\nMột số ý kiến phát biểu còn chung chung",
        Part.PROPOSALS: "Nên mời đại diện Ban Thường vụ Đảng ủy dự và kết luận.",
    },
    {
        Part.WENT_WELL: "Dự thảo nghị quyết ngắn gọn, xác định rõ nhiệm vụ, giải pháp và phân "
        "công trách nhiệm cụ thể cho từng đảng viên.",
    },
    {
        Part.PROPOSALS: "Đề nghị cấp ủy cấp trên sớm có văn bản hướng dẫn tiêu chí đánh giá "
        "chất lượng sinh hoạt chi bộ để các chi bộ thống nhất thực hiện; đồng thời tăng cường "
        "kiểm tra, giám sát việc thực hiện nghị quyết sau sinh hoạt.",
    },
]


async def build(ctx: Ctx, clock: FrozenClock) -> tuple[Person, int, int]:
    """The organiser, the first session's id, the plan's id."""
    found = await attend(ctx, clock)
    for index, person in enumerate(found.present[: len(RATINGS)]):
        ratings, overall = RATINGS[index]
        await feedback.save_ratings(ctx, person, found.session_id, ratings, overall)
        for part, text in (COMMENTS[index] if index < len(COMMENTS) else {}).items():
            await feedback.set_comment(ctx, person, found.session_id, part, text)
    org, plan = found.crowd.org, found.crowd.plan
    for host, when, come in ((org.b1, at(20, 1, 14), 9), (org.a2, at(21, 1), 18)):
        second = await new_session(ctx, org.org_root, plan, host, when)
        await invitations.send(ctx, org.org_root, second.id)  # type: ignore[arg-type]
        cfg = await checkin.open_checkin(ctx, org.org_root, second.id)  # type: ignore[arg-type]
        invitees = await invitations.invitee_ids(ctx, second.id)  # type: ignore[arg-type]
        clock.set(when - timedelta(minutes=5))
        came = [await ctx.session.get(Person, pid) for pid in invitees[:come]]
        for person in came:
            await checkin.check_in(ctx, person, token=cfg.token)  # type: ignore[arg-type]
        clock.set(when + timedelta(hours=2))
        for person, (ratings, overall) in zip(came, RATINGS[2:4], strict=False):
            await feedback.save_ratings(ctx, person, second.id, ratings, overall)  # type: ignore[arg-type]
    await ctx.session.commit()
    return org.org_root, found.session_id, plan.id  # type: ignore[return-value]


async def write_files(out: Path) -> dict[str, Path]:
    database = out / "sample.db"
    database.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{database}")
    await upgrade(engine)
    clock = FrozenClock(datetime(2025, 1, 6, 2, 0, tzinfo=UTC))
    files: dict[str, Path] = {}
    async with make_session_factory(engine)() as session:
        ctx = Ctx(session, clock)
        organiser, session_id, plan_id = await build(ctx, clock)
        exports = {
            "roll.xlsx": await reports.roll_xlsx(ctx, organiser, session_id, VI),
            "feedback.xlsx": await reports.feedback_xlsx(ctx, organiser, VI, session_id=session_id),
            "plan-feedback.xlsx": await reports.feedback_xlsx(ctx, organiser, VI, plan_id=plan_id),
            "report.docx": await reports.summary_docx(ctx, organiser, session_id, VI),
        }
        await reports.set_report_issuer(
            ctx, organiser, plan_id, ReportIssuer.STANDING_COMMITTEE, signer="Nguyễn Văn An"
        )
        exports["report-ban-thuong-vu.docx"] = await reports.summary_docx(
            ctx, organiser, session_id, VI
        )
        plan = await summaries.plan_summary(ctx, organiser, plan_id)
        session = await summaries.session_summary(ctx, organiser, session_id)
        charts = {
            "chart-attendance.png": summaries.plan_attendance_chart(VI, plan),
            "chart-ratings.png": summaries.session_ratings_chart(VI, session),
        }
    await engine.dispose()
    for name, data in {**exports, **charts}.items():
        if data is not None:
            (out / name).write_bytes(data)
            files[name] = out / name
    return files


def to_pdf(path: Path) -> Path:
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(path.parent),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.rmtree(profile, ignore_errors=True)
    return path.with_suffix(".pdf")


def pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("rendered"))
    parser.add_argument("--png", action="store_true", help="also save every page as a PNG")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    compile_catalogs()
    files = asyncio.run(write_files(args.out))
    print(f"wrote {len(files)} files to {args.out}/")
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        print("LibreOffice (soffice) or poppler-utils (pdftotext) is not installed: no PDF.")
        return 0
    failures = 0
    for name, path in files.items():
        if path.suffix not in {".xlsx", ".docx"}:
            continue
        pdf = to_pdf(path)
        pages = pages_text(pdf)
        line = f"{name:28} {len(pages)} page(s)"
        if name == "roll.xlsx":
            # one page wide: every printed page holds all the columns, the last included
            wide = all("Hình" in page for page in pages if "STT" in page)
            line += f"; one page wide: {'yes' if wide else 'NO'}"
            failures += not wide
        if name == "roll.xlsx":
            line += f" (the 30-person roll: {sum('STT' in page for page in pages)})"
        if name.startswith("report"):
            last = max(i for i, page in enumerate(pages) if "V. ĐỀ XUẤT" in page)
            signed = next(i for i, page in enumerate(pages) if "Nơi nhận" in page)
            # the last words of the last part are printed on the signature's page
            body = [p.text for p in Document(str(path)).paragraphs if p.text.strip()]
            tail = " ".join(body[-1].split()[-3:])
            same = tail in " ".join(pages[signed].split())
            line += f"; last part from page {last + 1}, signature on page {signed + 1}"
            line += f" with the part's last line: {'yes' if same else 'NO'}"
            failures += not same
        print(line)
        if args.png:
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", str(pdf), str(pdf.with_suffix(""))], check=True
            )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
