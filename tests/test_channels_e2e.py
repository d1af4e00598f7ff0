"""The flows end to end on each channel, with the same steps (parametrised, not copied):
Telegram through its Bot API stub (buttons pressed), Zalo through its Bot Platform stub
(numbered replies). A person is a `ChannelUser`: `send(text)` and `choose(label)` answer with
the texts the bot sent back on that channel."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from typing import Protocol

import httpx
import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import FrozenClock
from playground.harness import BotHarness, HarnessUser
from playground.zalo_harness import ZaloHarness, ZaloUser
from services import accounts, invitations, outbox
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import Channel, Person
from tests.conftest import ADMIN_ID
from tests.e2e_steps import ADMIN_NAME, ADMIN_POSITION, ROOT
from tests.test_checkin_e2e import ON_TIME, invited_and_answered
from tests.test_feedback_service import END, attend
from tests.test_invitations_e2e import SESSION_BUTTON, START
from tests.test_invitations_e2e import build as build_invitation_world
from tests.test_report_session_e2e import SEC, SUMMARY, session_rows
from tests.test_report_session_e2e import build as build_report_world

CODE = re.compile(r"(?:Mã mời|Invite code)[^:]*: ([A-Z0-9]{4}-[A-Z0-9]{4})")


class ChannelUser(Protocol):
    async def send(self, text: str) -> list[str]: ...
    async def choose(self, label: str) -> list[str]: ...
    def all_texts(self) -> list[str]: ...
    async def received_file(self, suffix: str) -> bytes: ...


@dataclass
class TelegramPerson:
    user: HarnessUser

    async def send(self, text: str) -> list[str]:
        return [m.text or "" for m in await self.user.send(text)]

    async def choose(self, label: str) -> list[str]:
        return [m.text or "" for m in await self.user.choose(label)]

    def all_texts(self) -> list[str]:
        return [m.text or "" for m in self.user.messages]

    async def received_file(self, suffix: str) -> bytes:
        """The newest document sent to this chat (Telegram: the file itself)."""
        for message in reversed(self.user.messages):
            data = message.file_bytes
            if message.kind == "document" and data is not None:
                return data
        raise AssertionError(f"no {suffix} document was sent")


@dataclass
class ZaloPerson:
    user: ZaloUser

    async def send(self, text: str) -> list[str]:
        before = len(self.user.messages)
        await self.user.send(text)
        await self.settled()
        return [m.text or "" for m in self.user.messages[before:]]

    async def choose(self, label: str) -> list[str]:
        before = len(self.user.messages)
        await self.user.choose(label)
        await self.settled()
        return [m.text or "" for m in self.user.messages[before:]]

    async def received_file(self, suffix: str) -> bytes:
        """The newest download link sent to this chat, fetched (Zalo: a signed link)."""
        link = re.compile(r"(http://\S+/f/[0-9a-f]{32}\?\S+)")
        for message in reversed(self.user.messages):
            if suffix in (message.text or ""):
                found = link.search(message.text or "")
                if found:
                    async with httpx.AsyncClient() as http:
                        got = await http.get(found.group(1))
                    assert got.status_code == 200, got.text
                    assert got.headers["content-disposition"].startswith("attachment;")
                    return got.content
        raise AssertionError(f"no {suffix} link was sent")

    async def settled(self) -> None:
        """Wait until no more replies come (a handler may answer after its update is done)."""
        seen, quiet = len(self.user.messages), 0
        for _ in range(60):
            await asyncio.sleep(0.05)
            now = len(self.user.messages)
            quiet = quiet + 1 if now == seen else 0
            seen = now
            if quiet >= 3:
                return

    def all_texts(self) -> list[str]:
        return [m.text or "" for m in self.user.messages]


class Channels:
    """One channel's bot and its people; `person(telegram_id, …)` is the same person on
    either channel (on Zalo: a Zalo account tied to the person the Telegram id names, used
    last, so the outbox reaches them there too)."""

    def __init__(self, name: str, bot: BotHarness | ZaloHarness, clock: FrozenClock) -> None:
        self.name = name
        self.bot = bot
        self.clock = clock

    async def person(self, telegram_id: int, name: str) -> ChannelUser:
        if isinstance(self.bot, BotHarness):
            return TelegramPerson(self.bot.user(telegram_id, name, language_code="vi"))
        external = f"{telegram_id:020x}"
        async with make_session_factory(self.bot.engine)() as session:
            ctx = Ctx(session, self.clock)
            account = await accounts.ensure(ctx, Channel.ZALO, external, name)
            found = await session.exec(
                text("SELECT id FROM person WHERE telegram_id = :t").bindparams(t=telegram_id)  # type: ignore[call-overload]
            )
            row = found.first()
            if row is not None:
                account.last_seen_at = self.clock.now() + timedelta(seconds=1)
                await accounts.attach(ctx, account, int(row[0]))
            await session.commit()
        return ZaloPerson(self.bot.user(external, name))

    async def drain(self) -> None:
        await self.bot.drain()

    async def rows(self, sql: str) -> list[tuple[object, ...]]:
        async with self.bot.engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(text(sql))).all()]

    def assert_clean(self) -> None:
        if isinstance(self.bot, ZaloHarness):
            stub = self.bot.stub
            assert not [r for r in stub.refused if r[0] != "getUpdates"], stub.refused
            for sent in stub.sent:
                if sent.method == "sendPhoto" and sent.text is None:
                    continue  # a picture without a caption
                assert sent.text and 1 <= len(sent.text) <= 2000  # never over the API's limit
                assert "bấm" not in sent.text.lower(), sent.text


ADMIN_ZALO = f"{ADMIN_ID:020x}"


@pytest.fixture(params=["telegram", "zalo"])
async def channel(
    request: pytest.FixtureRequest, database_url: str, engine: AsyncEngine, clock: FrozenClock
) -> AsyncIterator[Channels]:
    bot: BotHarness | ZaloHarness
    if request.param == "telegram":
        bot = BotHarness(
            database_url=database_url,
            engine=engine,
            clock=clock,
            migrate=False,
            bootstrap_admin_ids=[ADMIN_ID],
        )
    else:
        bot = ZaloHarness(
            database_url=database_url,
            engine=engine,
            clock=clock,
            migrate=False,
            bootstrap_admin_ids=[f"zalo:{ADMIN_ZALO}"],  # type: ignore[list-item]
        )
    await bot.start()
    try:
        yield Channels(request.param, bot, clock)
    finally:
        await bot.stop()


def joined(texts: list[str]) -> str:
    return "\n".join(texts)


async def admin_ready(channel: Channels) -> ChannelUser:
    admin = await channel.person(ADMIN_ID, "An")
    await admin.send("/start")
    await admin.send(ADMIN_NAME)
    await admin.send(ADMIN_POSITION)
    return admin


async def test_units_invites_and_joining_by_code(channel: Channels) -> None:
    admin = await admin_ready(channel)
    await admin.send("/donvi")
    await admin.choose("➕ Thêm đơn vị")
    await admin.choose(ROOT)
    asked = await admin.choose("Chi bộ")
    assert "Chi bộ Phòng Kế toán" in joined(asked), asked
    await admin.send("Chi bộ Phòng Tài chính")
    assert await channel.rows("SELECT name, kind FROM unit ORDER BY id") == [
        (ROOT, "committee"),
        ("Chi bộ Phòng Tài chính", "cell"),
    ]
    await admin.send("/moi")
    await admin.choose("· Chi bộ Phòng Tài chính")
    await admin.choose("bí thư chi bộ")
    made = await admin.choose("5")
    code = CODE.search(joined(made))
    assert code, made
    lan = await channel.person(2002, "Lan")
    await lan.send(code.group(1))  # the code typed: Zalo passes no start parameter
    await lan.send("Trần Thị Lan")
    welcome = await lan.send("Bí thư chi bộ")
    assert "Chào mừng" in joined(welcome), welcome
    assert await channel.rows("SELECT full_name, position FROM person ORDER BY id") == [
        (ADMIN_NAME, ADMIN_POSITION),
        ("Trần Thị Lan", "Bí thư chi bộ"),
    ]
    channel.assert_clean()


async def test_feedback_with_ratings_and_comments(
    channel: Channels, engine: AsyncEngine, clock: FrozenClock
) -> None:
    async with make_session_factory(engine)() as session:
        found = await attend(Ctx(session, clock), clock)
        await session.commit()
        person: Person = found.present[0]
    clock.set(END + timedelta(hours=1))
    user = await channel.person(person.telegram_id, person.full_name)  # type: ignore[arg-type]
    await channel.drain()  # the feedback request reaches them (on Zalo: numbered, in the DB)
    assert any("góp ý" in t.lower() for t in user.all_texts()), user.all_texts()
    card = await user.send("/gopy")
    assert "Câu 1/6: Công tác chuẩn bị (tối đa 15 điểm)" in joined(card), card
    await user.choose("Khá")
    assert "Câu 2/6" in user.all_texts()[-1]  # Telegram edits the card, Zalo sends it anew
    await user.choose("◀ Quay lại")
    for _ in range(6):
        asked = await user.choose("Tốt")
    assert "Mặt làm được (1/3)" in joined(asked), asked  # the ratings are in; comments next
    await user.send("Chuẩn bị chu đáo")
    await user.choose("⏭ Bỏ qua")
    done = await user.choose("⏭ Bỏ qua")
    assert "Cảm ơn đồng chí đã góp ý!" in joined(done), done
    pid = person.id
    assert await channel.rows(f"SELECT went_well FROM feedback WHERE person_id = {pid}") == [
        ("Chuẩn bị chu đáo",)
    ]
    ratings = await channel.rows(
        f"SELECT count(*) FROM feedback_rating r JOIN feedback f ON f.id = r.feedback_id "
        f"WHERE f.person_id = {pid}"
    )
    assert ratings == [(5,)]  # five rated criteria (the sixth question is the overall one)
    channel.assert_clean()


async def test_check_in_by_code_and_the_qr_picture(channel: Channels, clock: FrozenClock) -> None:
    world = await invited_and_answered(channel.bot, clock)  # type: ignore[arg-type]
    org = await channel.person(world.crowd.org.org_root.telegram_id, "Tổ")  # type: ignore[arg-type]
    await org.send("/giaymoi")
    await org.choose(SESSION_BUTTON)
    shown = joined(await org.choose("📷 Điểm danh"))
    found = re.search(r"Mã điểm danh: (\d{6})", shown)
    assert found, shown
    code = found.group(1)
    if isinstance(channel.bot, ZaloHarness):  # the QR picture went out by a signed link
        [fetch] = channel.bot.stub.photo_fetches
        assert (fetch.status, fetch.content_type) == (200, "image/png") and fetch.size > 1000
    clock.set(START - timedelta(minutes=5))
    delegate: Person = world.groups[0][0]
    user = await channel.person(delegate.telegram_id, delegate.full_name)  # type: ignore[arg-type]
    wrong = await user.send("000000" if code != "000000" else "111111")
    assert not await channel.rows("SELECT * FROM checkin"), wrong
    done = await user.send(code)  # the code typed on its own
    assert ON_TIME in joined(done), done
    again = await user.send(f"/diemdanh {code}")
    assert "Đồng chí đã điểm danh" in joined(again), again
    assert await channel.rows("SELECT person_id, late FROM checkin") == [(delegate.id, False)]
    # The roll as an XLSX file: a document on Telegram, a signed download link on Zalo.
    await org.choose("📋 Danh sách")
    await org.choose("📥 Xuất Excel")
    sheet = load_workbook(BytesIO(await org.received_file(".xlsx"))).active
    assert sheet is not None
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert delegate.full_name in cells
    channel.assert_clean()


async def test_plan_and_session_summaries_with_their_chart_and_the_docx_report(
    channel: Channels, engine: AsyncEngine, clock: FrozenClock
) -> None:
    async with make_session_factory(engine)() as session:
        found = await attend(Ctx(session, clock), clock)
        await session.commit()
    org = await channel.person(found.organiser.telegram_id, "Tổ")  # type: ignore[arg-type]
    await channel.drain()
    await org.send("/tonghop")
    view = await org.choose("82-KH/ĐU — Tổ chức sinh hoạt chi bộ mẫu năm 2025")
    assert "📊 TỔNG HỢP KẾ HOẠCH" in joined(org.all_texts()), view
    summary = await org.choose("Chi bộ Khoa Toán, 08:00 20/01/2025")
    assert "📊 TỔNG HỢP BUỔI SINH HOẠT" in joined(org.all_texts()), summary
    if isinstance(channel.bot, ZaloHarness):  # each chart went out by sendPhoto; Zalo got PNGs
        fetches = channel.bot.stub.photo_fetches
        assert fetches and all(
            (f.status, f.content_type) == (200, "image/png") and f.size > 1000 for f in fetches
        ), fetches
    await org.choose("📝 Báo cáo tổng hợp ý kiến (DOCX)")
    document = Document(BytesIO(await org.received_file(".docx")))
    words = " ".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in words.upper()
    channel.assert_clean()


async def test_the_outbox_report(
    channel: Channels, engine: AsyncEngine, clock: FrozenClock
) -> None:
    async with make_session_factory(engine)() as session:
        found = await attend(Ctx(session, clock), clock)
        await session.commit()
    org = await channel.person(found.organiser.telegram_id, "Tổ")  # type: ignore[arg-type]
    await channel.drain()
    report = joined(await org.send("/hangdoi"))
    sent = await channel.rows("SELECT count(*) FROM notification WHERE state = 'sent'")
    assert "Tin nhắn hệ thống đã lên lịch và đã gửi:" in report, report
    assert f"• đã gửi: {sent[0][0]}" in report, report
    channel.assert_clean()


async def test_invitations_and_rsvp_with_a_reason(channel: Channels, clock: FrozenClock) -> None:
    world = await build_invitation_world(channel.bot)  # type: ignore[arg-type]
    crowd = world.crowd
    coming, away = world.groups[0][0], world.groups[0][1]
    users = {p.id: await channel.person(p.telegram_id, p.full_name) for p in (coming, away)}  # type: ignore[arg-type]
    async with make_session_factory(channel.bot.engine)() as session:
        ctx = Ctx(session, clock)
        await invitations.send(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
        await outbox.flush(ctx)
        await session.commit()
    await channel.drain()  # the invitations go out (on Zalo: numbered choices, kept in the DB)
    for user in users.values():
        assert any(t.startswith("GIẤY MỜI") for t in user.all_texts()), user.all_texts()
    await users[coming.id].choose("✅ Xác nhận tham dự")
    assert "Đồng chí đã xác nhận tham dự" in users[coming.id].all_texts()[-1]
    asked = joined(await users[away.id].choose("❌ Báo vắng (nêu lý do)"))
    assert "Xin đồng chí gõ lý do vắng mặt" in asked, asked
    done = joined(await users[away.id].send("Đi công tác"))
    assert "Đã ghi nhận: đồng chí báo vắng. Lý do: Đi công tác" in done, done
    rows = await channel.rows(
        f"SELECT person_id, status, decline_reason FROM invitation "
        f"WHERE person_id IN ({coming.id}, {away.id}) ORDER BY person_id"
    )
    assert sorted(rows) == sorted(
        [(coming.id, "accepted", None), (away.id, "declined", "Đi công tác")]
    ), rows
    channel.assert_clean()


async def test_reporting_a_session(channel: Channels, clock: FrozenClock) -> None:
    await build_report_world(channel.bot, clock)  # type: ignore[arg-type]
    sec = await channel.person(SEC, "An")

    def recent() -> str:
        return joined(sec.all_texts()[-3:])

    await sec.send("/dangky")
    assert "Buổi sinh hoạt theo hình thức nào?" in recent()
    await sec.choose("Sinh hoạt thường kỳ")
    await sec.send("28/3 8h")  # a date is asked: the answer, not a choice
    assert "Buổi sinh hoạt kéo dài bao lâu?" in recent()
    await sec.choose("120 phút")
    await sec.send("Hội trường Đảng ủy phường")
    await sec.choose("Như địa điểm")
    assert SUMMARY in recent() and "Thời lượng: 120 phút" in recent()
    await sec.choose("✏️ Sửa")
    await sec.choose("Thời lượng")
    await sec.choose("90 phút")
    assert "Thời lượng: 90 phút" in recent()
    await sec.choose("✅ Xác nhận")
    assert "Đã lưu: Sinh hoạt thường kỳ của “Chi bộ Khu phố 1”" in recent()
    [row] = await session_rows(channel.bot)  # type: ignore[arg-type]
    assert (row["duration_minutes"], row["venue"]) == (90, "Hội trường Đảng ủy phường")
    channel.assert_clean()
