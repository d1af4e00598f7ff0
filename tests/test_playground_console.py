"""The playground's command interpreter, driven as a newcomer types (no terminal): `:time`
moves the bot's clock and what became due is sent at once, `:b N@M` presses a button of an
earlier message, edits are printed again marked as updated, photos and files are saved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from core.clock import FrozenClock, MovableClock
from playground.console import Console, parse_time, save_file
from playground.harness import BotHarness
from playground.stub_models import SentMessage, StoredFile
from services import outbox
from services.context import Ctx
from services.outbox import Planned
from storage.engine import make_session_factory
from storage.models import Person
from tests.conftest import ADMIN_ID, START
from tests.e2e_steps import admin_ready


def later(person: Person, due: datetime) -> Planned:
    return Planned(
        key="later",
        kind="test",
        person_id=person.id,  # type: ignore[arg-type]
        subject_type="x",
        subject_id=1,
        due_at=due,
        msgid="Stopped. Nothing was changed.",
    )


def console_for(bot: BotHarness, tmp_path: Path) -> tuple[Console, list[str]]:
    lines: list[str] = []
    console = Console(bot, files_dir=tmp_path / "files", out=lines.append)
    console.switch(ADMIN_ID, "An")
    return console, lines


def test_time_forms() -> None:
    now = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)
    assert parse_time("+2h", now) == now + timedelta(hours=2)
    assert parse_time("+3d", now) == now + timedelta(days=3)
    assert parse_time("+1d 2h30m", now) == now + timedelta(days=1, hours=2, minutes=30)
    assert parse_time("2025-03-10 07:45", now) == datetime(2025, 3, 10, 0, 45, tzinfo=UTC)
    assert parse_time("10/03/2025 07:45", now) == datetime(2025, 3, 10, 0, 45, tzinfo=UTC)
    for wrong in ("+", "+2", "+2x", "2h", "+2h junk", "tomorrow", "2025-13-01 07:00"):
        assert parse_time(wrong, now) is None, wrong


def test_a_movable_clock_keeps_running_from_where_it_was_set() -> None:
    clock = MovableClock(datetime(2025, 3, 10, 0, 45, tzinfo=UTC))
    first = clock.now()
    assert timedelta(0) <= first - datetime(2025, 3, 10, 0, 45, tzinfo=UTC) < timedelta(seconds=5)
    clock.advance(timedelta(days=2))
    assert clock.now() - first >= timedelta(days=2)


async def test_time_moves_the_clock_and_sends_what_became_due(
    bot: BotHarness, clock: FrozenClock, tmp_path: Path
) -> None:
    await admin_ready(bot)
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        person = (await session.exec(select(Person))).one()
        await outbox.plan(ctx, [later(person, START + timedelta(hours=2))])
        await session.commit()
    console, lines = console_for(bot, tmp_path)
    console.show_new()
    lines.clear()
    await console.handle(":time +1h")
    assert clock.now() == START + timedelta(hours=1)
    assert lines == ["🕒 Đồng hồ của trợ lý bây giờ là 10:00 06/01/2025"]
    await console.handle(":time +1h")
    assert clock.now() == START + timedelta(hours=2)
    assert any(line.endswith("🤖 Đã dừng. Không có gì thay đổi.") for line in lines), lines
    lines.clear()
    await console.handle(":time 2025-03-10 07:45")
    assert clock.now() == datetime(2025, 3, 10, 0, 45, tzinfo=UTC)
    await console.handle(":time")
    assert lines[-1] == "🕒 Đồng hồ của trợ lý: 07:45 10/03/2025"
    await console.handle(":time +2 hours")
    assert clock.now() == datetime(2025, 3, 10, 0, 45, tzinfo=UTC)  # unchanged
    assert lines[-1].startswith("(cách dùng: :time +2h")


async def test_after_a_jump_the_scheduler_wakes_for_what_is_due_soon(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    """On the playground's running clock: a row due 3 s after the jump is sent by the
    scheduler's wake-up, re-aimed by the jump (it was days away before)."""
    clock = MovableClock(START)
    bot = BotHarness(
        database_url=database_url,
        engine=engine,
        clock=clock,
        migrate=False,
        bootstrap_admin_ids=[ADMIN_ID],
    )
    await bot.start()
    try:
        await admin_ready(bot)
        async with make_session_factory(bot.engine)() as session:
            person = (await session.exec(select(Person))).one()
            due = clock.now() + timedelta(days=2, seconds=3)
            await outbox.plan(Ctx(session, clock), [later(person, due)])
            await session.commit()
        console, _ = console_for(bot, tmp_path)
        before = len(bot.stub.messages_to(ADMIN_ID))
        await console.handle(":time +2d")
        assert len(bot.stub.messages_to(ADMIN_ID)) == before  # not due yet
        sent = await bot.stub.wait_for_messages(ADMIN_ID, before + 1, timeout=15)
        assert sent[-1].text == "Đã dừng. Không có gì thay đổi."
        assert clock.now() >= due
    finally:
        await bot.stop()


async def test_press_a_button_of_an_earlier_message_and_see_edits(
    bot: BotHarness, tmp_path: Path
) -> None:
    await admin_ready(bot)
    console, lines = console_for(bot, tmp_path)
    console.show_new()
    await console.handle("/donvi")
    units = console.current.last
    assert f"#{units.seq} 🤖 Các đơn vị của đồng chí:" in "\n".join(lines)
    await console.handle("/ngonngu")  # a newer message with buttons
    lines.clear()
    await console.handle(f":b 1@{units.seq}")  # ➕ Thêm đơn vị, on the older message
    assert any("Đơn vị mới trực thuộc đơn vị nào?" in line for line in lines), lines
    lines.clear()
    await console.handle(":b 9@1")
    assert lines[0].startswith("(không có nút đó")
    await console.handle(f":b 1@{units.seq + 1000}")
    assert lines[-1].startswith("(không có nút đó")

    # The bot edits a message: it is printed again, marked as updated.
    lines.clear()
    units.text = units.plain_text = "Các đơn vị (đã đổi)"
    units.edits += 1
    console.show_new()
    assert lines[0] == f"\n#{units.seq} 🤖 ✏️ (cập nhật) Các đơn vị (đã đổi)"
    lines.clear()
    console.show_new()
    assert lines == []  # printed once per edit

    units.deleted = True  # the bot deletes it: told once
    console.show_new()
    assert lines == [f"\n#{units.seq} 🤖 (đã xóa)"]
    console.show_new()
    assert len(lines) == 1
    units.deleted = False
    lines.clear()

    await console.handle(":show")
    assert lines[0].startswith(f"\n#{console.current.last.seq} 🤖 ")
    shown_from = len(lines)
    await console.handle(f":show {units.seq}")
    # the message again, then its buttons (the units screen now has five: add … delete)
    assert lines[shown_from] == f"\n#{units.seq} 🤖 Các đơn vị (đã đổi)"
    assert all(line.lstrip().startswith("[") for line in lines[shown_from + 1 :])


async def test_a_message_to_someone_else_is_pressed_as_them(
    bot: BotHarness, tmp_path: Path
) -> None:
    await admin_ready(bot)
    console, lines = console_for(bot, tmp_path)
    await console.handle("/donvi")
    number = console.current.last.seq
    console.switch(2, "Lan")
    lines.clear()
    await console.handle(f":b 1@{number}")
    assert lines == [f"(#{number} gửi cho người dùng {ADMIN_ID}: đổi người bằng :u {ADMIN_ID})"]


def test_photos_and_files_are_saved_and_their_path_printed(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    photo = SentMessage(
        seq=7,
        chat_id=1,
        message_id=3,
        kind="photo",
        text="Mã QR",
        parse_mode=None,
        reply_markup=None,
        date=0,
        plain_text="Mã QR",
        file=StoredFile("f1", "u1", "photos/f1", png, None, "application/octet-stream"),
    )
    path = save_file(tmp_path, photo)
    assert path == tmp_path / "0007-anh.png" and path.read_bytes() == png
    document = SentMessage(
        seq=8,
        chat_id=1,
        message_id=4,
        kind="document",
        text=None,
        parse_mode=None,
        reply_markup=None,
        date=0,
        file=StoredFile("f2", "u2", "documents/f2", b"PK..", "../diem-danh.xlsx", None),
    )
    assert save_file(tmp_path, document) == tmp_path / "0008-diem-danh.xlsx"
