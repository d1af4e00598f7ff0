"""`:story` in the playground: the whole programme in a minute, through the real chat flows.

A new database is made for it (the playground's own is left alone); then, step by step with a
short caption: the organiser imports a plan and issues it, a cell and its people join, the
cell's secretary reports a model session, the organiser sets who takes part and sends the
invitations, the clock moves and the reminders go out, everyone checks in with the code,
gives feedback, and the organiser reads the summary and exports the roll, the feedback and
the report. After the story the playground goes on in that world."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from core.clock import MovableClock
from core.i18n import N_
from playground.harness import BotHarness, HarnessUser

if TYPE_CHECKING:
    from playground.console import Console

PLAN_FILE = Path(__file__).resolve().parent / "ke-hoach-mau.md"
PLAN_NAME = "ke-hoach-12-KH-DU.txt"  # sent as plain text, a kind the bot takes
START = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)  # Monday 3 March 2025, 09:00 in Hà Nội
ORGANISER = 1
LINK = re.compile(r"https://t\.me/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]+)")
CELL = "Chi bộ Khu phố 3"
PLAN_NUMBER = "12-KH/ĐU"
ATTEND = ("✅ Xác nhận tham dự", "✅ Tham dự")  # the newer label first
DECLINE = ("❌ Báo vắng (nêu lý do)", "❌ Vắng (nêu lý do)")
SESSION_TIME = "10/3/2025 8h"
CODE = re.compile(r"/diemdanh (\d{6})")
CHECKIN_LINK = re.compile(r"\?start=(ci_[A-Za-z0-9_-]+)")
LEVELS = (
    ("Tốt", "Tốt", "Khá", "Tốt", "Tốt", "Tốt"),
    ("Khá", "Tốt", "Tốt", "Khá", "Tốt", "Khá"),
    ("Tốt", "Khá", "Tốt", "Tốt", "Trung bình", "Tốt"),
)
COMMENTS: tuple[tuple[str | None, ...], ...] = (
    ("Chuẩn bị chu đáo, đúng quy trình", "Thời gian thảo luận còn ngắn", None),
    ("Nội dung thiết thực, gắn với khu phố", None, "Nhân rộng cách làm ở các chi bộ khác"),
    (None, "Một số đảng viên phát biểu chưa sâu", "Gửi tài liệu trước cho đảng viên"),
)


@dataclass(frozen=True)
class Member:
    id: int
    first_name: str
    full_name: str
    position: str


SECRETARY = Member(2, "Bình", "Trần Văn Bình", "Bí thư Chi bộ Khu phố 3")
MEMBERS = (
    Member(3, "Cúc", "Lê Thị Cúc", "Đảng viên"),
    Member(4, "Dũng", "Phạm Văn Dũng", "Đảng viên"),
    Member(5, "Hà", "Võ Thị Hà", "Đảng viên"),
)


class StoryError(Exception):
    """A step of the story did not find what it expected (the chat flows changed)."""


class Story:
    def __init__(self, console: Console) -> None:
        self.c = console
        self.step = 0

    @property
    def bot(self) -> BotHarness:
        return self.c.h

    def caption(self, msgid: str, **params: object) -> None:
        self.c.show_new()
        self.step += 1
        self.c.out("\n" + "═" * 60)
        self.c.out(f"▶ {self.step}. {self.c.t(msgid, **params)}")
        self.c.out("═" * 60)

    def user(self, member: Member | int) -> HarnessUser:
        if isinstance(member, int):
            return self.c.switch(member)
        return self.c.switch(member.id, member.first_name)

    async def send(self, who: Member | int, text: str) -> None:
        user = self.user(who)
        self.c.out(f"\n👤 [user {user.id}] {text}")
        await user.send(text)
        self.c.show_new()

    async def press(
        self,
        who: Member | int,
        label: str | tuple[str, ...],
        *,
        prefix: bool = False,
        suffix: bool = False,
        contains: bool = False,
    ) -> None:
        """Press the button with this label, or one of these labels (or starting with, ending
        with, containing it) on the newest message to this person that has one."""
        labels = (label,) if isinstance(label, str) else label

        def fits(text: str) -> bool:
            if prefix:
                return text.startswith(labels)
            if suffix:
                return text.endswith(labels)
            if contains:
                return any(one in text for one in labels)
            return text in labels

        user = self.user(who)
        for message in reversed(user.messages):
            found = next((text for text, data in message.buttons if data and fits(text)), None)
            if found is not None and not message.deleted:
                break
        else:
            raise StoryError(f"no message to user {user.id} has a button {label!r}")
        self.c.out(f"\n👆 [user {user.id}] #{message.seq} [{found}]")
        await user.press(found, message)
        self.c.show_new()

    async def time(self, arg: str) -> None:
        self.c.out(f"\n⌨ :time {arg}")
        await self.c.move_time(arg)
        self.c.show_new()

    def newest_link(self) -> str:
        for message in reversed(self.bot.stub.sent):
            found = LINK.search(message.text or "")
            if found:
                return found.group(1)
        raise StoryError("no invite link was sent")

    async def join(self, member: Member, token: str) -> None:
        await self.send(member, f"/start {token}")
        await self.send(member, member.full_name)
        await self.send(member, member.position)

    # ----------------------------------------------------------------- the steps
    async def run(self) -> None:
        await self.organiser_starts()
        await self.import_plan()
        await self.people_join()
        await self.secretary_reports()
        await self.participants_and_invitations()
        await self.reminders()
        await self.check_in()
        await self.feedback()
        await self.summary_and_exports()

    async def organiser_starts(self) -> None:
        self.caption(N_("The organiser (user 1) opens the assistant and gives name and position"))
        await self.send(ORGANISER, "/start")
        await self.send(ORGANISER, "Nguyễn Văn An")
        await self.send(ORGANISER, "Chánh Văn phòng Đảng ủy")

    async def import_plan(self) -> None:
        self.caption(N_("The organiser sends the plan document: the assistant reads it as a draft"))
        data = await asyncio.to_thread(PLAN_FILE.read_bytes)
        self.c.out(f"\n📎 [user {ORGANISER}] {PLAN_NAME}")
        await self.user(ORGANISER).send_document(PLAN_NAME, data)
        self.c.show_new()
        await self.press(ORGANISER, "📥 Nhập thành kế hoạch mới")
        await self.press(ORGANISER, "✅ Tạo kế hoạch")
        self.caption(N_("The organiser issues the plan"))
        await self.send(ORGANISER, "/kehoach")
        await self.press(ORGANISER, PLAN_NUMBER, prefix=True)
        await self.press(ORGANISER, "Ban hành")
        await self.press(ORGANISER, "✅ Ban hành")

    async def people_join(self) -> None:
        self.caption(N_("Invite links: the cell's secretary and three party members join"))
        for role, uses, members in (
            ("bí thư chi bộ", "1", (SECRETARY,)),
            ("đảng viên", "5", MEMBERS),
        ):
            await self.send(ORGANISER, "/moi")
            await self.press(ORGANISER, CELL, suffix=True)
            await self.press(ORGANISER, role)
            await self.press(ORGANISER, uses)
            token = self.newest_link()
            for member in members:
                await self.join(member, token)

    async def secretary_reports(self) -> None:
        self.caption(N_("The cell's secretary reports the day and hour of the model session"))
        await self.send(SECRETARY, "/lich")
        await self.press(SECRETARY, CELL, contains=True)
        await self.press(SECRETARY, "📌 Chốt ngày")
        await self.send(SECRETARY, SESSION_TIME)

    async def participants_and_invitations(self) -> None:
        self.caption(N_("The organiser checks who takes part and sends the invitations"))
        await self.send(ORGANISER, "/giaymoi")
        await self.press(ORGANISER, CELL, contains=True)
        await self.press(ORGANISER, "👥 Thành phần")
        self.caption(N_("The plan names the group only: a rule says who is in it"))
        await self.press(ORGANISER, "⚙️ Quy tắc:", prefix=True)
        await self.press(ORGANISER, "☐ Bí thư chi bộ")
        await self.press(ORGANISER, "☐ Đảng viên")
        await self.press(ORGANISER, "Tiếp ▶")
        await self.press(ORGANISER, "chi bộ chủ trì", prefix=True)
        await self.press(ORGANISER, "✉️ Gửi giấy mời")
        await self.press(ORGANISER, "📨 Gửi", prefix=True)
        self.caption(N_("The invitees answer: three will attend, one cannot and gives a reason"))
        for member in (SECRETARY, *MEMBERS[:2]):
            await self.press(member, ATTEND)
        await self.press(MEMBERS[2], DECLINE)
        await self.send(MEMBERS[2], "Đi công tác tại Đà Nẵng")

    async def reminders(self) -> None:
        self.caption(N_("The clock moves to the day before: the reminders go out by themselves"))
        await self.time("2025-03-09 08:30")
        self.caption(N_("Two hours before the session: the second reminder"))
        await self.time("2025-03-10 06:30")

    async def check_in(self) -> None:
        self.caption(N_("At the door: the organiser shows the QR code, the delegates check in"))
        await self.time("2025-03-10 07:50")
        await self.send(ORGANISER, "/giaymoi")
        await self.press(ORGANISER, CELL, contains=True)
        await self.press(ORGANISER, "📷 Điểm danh")
        caption = self.user(ORGANISER).last.text or ""
        code = CODE.search(caption)
        link = CHECKIN_LINK.search(caption)
        if code is None or link is None:
            raise StoryError("the check-in card has no code or link")
        await self.send(SECRETARY, f"/start {link.group(1)}")
        for member in MEMBERS[:2]:
            await self.send(member, f"/diemdanh {code.group(1)}")
        self.caption(N_("The organiser looks at the roll"))
        await self.send(ORGANISER, "/diemdanh")
        await self.press(ORGANISER, CELL, contains=True)

    async def feedback(self) -> None:
        self.caption(N_("After the session the delegates are asked for feedback, and give it"))
        await self.time("2025-03-10 10:30")
        for n, member in enumerate((SECRETARY, *MEMBERS[:2])):
            await self.send(member, "/gopy")
            for level in LEVELS[n]:
                await self.press(member, level)
            for text in COMMENTS[n]:
                if text is None:
                    await self.press(member, "⏭ Bỏ qua")
                else:
                    await self.send(member, text)

    async def summary_and_exports(self) -> None:
        self.caption(N_("Feedback closes; the organiser reads the summary with its charts"))
        await self.time("+3d")
        await self.send(ORGANISER, "/tonghop")
        await self.press(ORGANISER, PLAN_NUMBER, prefix=True)
        await self.press(ORGANISER, CELL, prefix=True)
        self.caption(N_("The exports: the roll and the feedback (XLSX), the report (DOCX)"))
        await self.press(ORGANISER, "📋 Điểm danh (XLSX)")
        await self.press(ORGANISER, "📄 Ý kiến đại biểu (XLSX)")
        await self.press(ORGANISER, "📝 Báo cáo tổng hợp ý kiến (DOCX)")


async def play(console: Console) -> None:
    """Start a new world for the story (a fresh database, the clock at its start) and play it."""
    old = console.h
    owned = old.release_stub()
    await old.stop()
    path = console.story_db
    await asyncio.to_thread(path.unlink, missing_ok=True)
    harness = BotHarness(
        database_url=f"sqlite:///{path}",
        bootstrap_admin_ids=[ORGANISER],
        stub=old.stub,
        clock=MovableClock(START),
    )
    await harness.start()
    if owned:
        harness.take_stub()
    console.h = harness
    console.users.clear()
    console.printed = len(harness.stub.sent)
    console.out(console.t("🎬 The story starts in a new database: {path}", path=path))
    story = Story(console)
    try:
        await story.run()
    except StoryError as exc:
        console.out(console.t("(the story stopped at step {n}: {error})", n=story.step, error=exc))
        return
    console.switch(ORGANISER)
    console.out(console.t("🎬 The end. You can go on trying things with the data the story made."))
