"""End to end: check-in (điểm danh) at a model session and its roll.

The organiser shows the QR code (📷); 30 invitees in three participant groups check in by the
QR code's deep link or by /diemdanh CODE — one too early, one twice, two late, one wrong code;
someone not invited and someone not on the assistant are refused; an organiser records one
person by hand. The roll message (refreshed in place) and its XLSX export count exactly.

The session is on Monday 20 January 2025 at 08:00 in Hà Nội; check-in opens at 07:30, counts
as late from 08:15 and closes at 09:00."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import text

from core.clock import FrozenClock
from playground.harness import BotHarness
from services import checkin, invitations, sessions
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import Invitation
from tests.e2e_steps import only_text
from tests.test_invitations_e2e import (
    GROUPS,
    SESSION_BUTTON,
    START,
    TITLE,
    World,
    build,
    buttons,
    organiser,
    user_of,
)
from ui.qr import qr_png

LINK = re.compile(r"https://t\.me/chibot_test_bot\?start=(ci_[A-Za-z0-9_-]+)")
# Per group: (accept, decline) answers; the others do not answer.
ANSWERS = [(8, 2), (7, 2), (5, 2)]
ON_TIME = "✅ Đã điểm danh lúc 07:55: " + TITLE + ". Chào mừng đồng chí."


async def invited_and_answered(bot: BotHarness, clock: FrozenClock) -> World:
    """The crowd, invited (the invitations themselves are tested elsewhere) and answered."""
    world = await build(bot)
    crowd = world.crowd
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        await invitations.send(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
        for group, (accept, decline) in zip(world.groups, ANSWERS, strict=True):
            for n, person in enumerate(group[: accept + decline]):
                invitation = (
                    await session.exec(  # type: ignore[call-overload]
                        Invitation.__table__.select().where(
                            Invitation.__table__.c.person_id == person.id,
                            Invitation.__table__.c.session_id == crowd.session.id,
                        )
                    )
                ).first()
                await invitations.answer(
                    ctx, person, invitation.id, n < accept, None if n < accept else f"Bận {n}"
                )
        await session.commit()
    return world


async def checkins(bot: BotHarness) -> list[tuple[int, bool, str]]:
    async with bot.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT person_id, late, method FROM checkin ORDER BY person_id")
        )
        return [(pid, bool(late), method) for pid, late, method in rows.all()]


async def test_check_in_by_qr_and_code_and_the_roll(bot: BotHarness, clock: FrozenClock) -> None:
    world = await invited_and_answered(bot, clock)
    groups = world.groups
    org = organiser(bot, world)

    # The organiser opens the check-in: a QR code picture with the code and the window.
    await org.send("/giaymoi")
    await org.press(SESSION_BUTTON)
    await org.press("📷 Điểm danh")
    photo = org.last
    assert photo.kind == "photo"
    caption = photo.text or ""
    code = re.search(r"/diemdanh (\d{6})", caption).group(1)  # type: ignore[union-attr]
    found = LINK.search(caption)
    assert found is not None
    payload = found.group(1)
    assert caption == "\n".join(
        [
            f"📷 Điểm danh: {TITLE}",
            "",
            "Đại biểu quét mã QR này bằng camera điện thoại (mã sẽ mở Telegram), hoặc gõ: "
            f"/diemdanh {code}",
            f"Mã điểm danh: {code}",
            "Điểm danh mở từ 07:30 20/01/2025 đến 09:00 20/01/2025; đến sau 08:15 tính là "
            "đến muộn.",
            found.group(0),
            "",
            "Xin in ảnh này hoặc chiếu lên màn hình ở lối vào.",
        ]
    )
    assert photo.file_bytes == qr_png(found.group(0))  # the picture encodes the link
    image = Image.open(BytesIO(photo.file_bytes or b""))
    assert image.format == "PNG" and image.size[0] >= 300
    assert buttons(photo) == ["📋 Danh sách"]
    # Opening it again gives the same code.
    await org.press_data(photo, f"ck:{world.crowd.session.id}")
    assert f"/diemdanh {code}" in (org.last.text or "")

    # Too early: refused with the opening time; nothing recorded.
    clock.set(START - timedelta(minutes=40))
    early = user_of(bot, groups[0][0])
    assert only_text(await early.send(f"/diemdanh {code}")) == (
        "Điểm danh buổi sinh hoạt này mở lúc 07 giờ 30, thứ Hai, ngày 20 tháng 1 năm 2025. "
        "Xin điểm danh khi đó."
    )
    assert await checkins(bot) == []

    # On time: by the QR code's link (even places) or by the code (odd places).
    clock.set(START - timedelta(minutes=5))
    on_time = [*groups[0][:8], *groups[1][:6], *groups[2][:4]]
    for n, person in enumerate(on_time):
        delegate = user_of(bot, person)
        typed = f"/start {payload}" if n % 2 == 0 else f"/diemdanh {code[:3]} {code[3:]}"
        assert only_text(await delegate.send(typed)) == ON_TIME, person.full_name
    twice = user_of(bot, groups[1][0])
    assert only_text(await twice.send(f"/start {payload}")) == (
        f"Đồng chí đã điểm danh lúc 07:55: {TITLE}. Không cần điểm danh lại."
    )
    # Not invited; not on the assistant; a wrong code; a broken link.
    uninvited = user_of(bot, world.crowd.org.mem_b1)
    assert only_text(await uninvited.send(f"/start {payload}")).startswith(
        "Đồng chí không có trong danh sách được mời dự buổi sinh hoạt này"
    )
    stranger = bot.user(7777, "Lạ")
    assert only_text(await stranger.send(f"/diemdanh {code}")).startswith(
        "Đồng chí chưa dùng trợ lý nên chưa điểm danh ở đây được."
    )
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert only_text(await user_of(bot, groups[2][7]).send(f"/diemdanh {wrong}")) == (
        f"Không có buổi sinh hoạt nào có mã điểm danh {wrong}. Xin kiểm tra lại mã ghi ở lối "
        "vào (còn 4 lần thử)."
    )
    assert only_text(await user_of(bot, groups[2][7]).send("/start ci_nope")).startswith(
        "Đường dẫn điểm danh này không hợp lệ."
    )
    assert only_text(await user_of(bot, groups[2][7]).send("/diemdanh 12ab")).startswith(
        "Mã điểm danh gồm 6 chữ số."
    )

    # Late: one who said they would be absent came after all, one who never answered.
    clock.set(START + timedelta(minutes=20))
    for person in (groups[0][8], groups[1][9]):
        reply = only_text(await user_of(bot, person).send(f"/diemdanh {code}"))
        assert reply == f"✅ Đã điểm danh lúc 08:20 (đến muộn): {TITLE}. Chào mừng đồng chí."

    # The organiser: /diemdanh lists the session, its roll, a manual check-in.
    listing = only_text(await org.send("/diemdanh"))
    assert listing.startswith(
        "Các buổi đang hoặc sắp mở điểm danh — bấm vào một buổi để xem danh sách:\n"
        f"1. S{TITLE[1:]} — đang mở đến 09:00"
    )
    roll = only_text(await org.press("1. 08:00 · Chi bộ Khoa Toán"))
    roll_message = org.last
    expected_groups = [
        # (invited, accepted, declined, no answer, checked in, late), absent names
        (12, 8, 2, 2, 9, 1),
        (10, 7, 2, 1, 7, 1),
        (8, 5, 2, 1, 4, 0),
    ]
    lines = [
        f"📋 Danh sách: {TITLE}",
        "Được mời 30 · xác nhận tham dự 20 · báo vắng 6 · chưa trả lời 4",
        "Có mặt 20 (đến muộn 2, Ban Tổ chức ghi nhận 0, khách 0)",
        "",
        "Theo thành phần:",
    ]
    for n, (label, group, counts, (accept, decline)) in enumerate(
        zip(GROUPS, groups, expected_groups, ANSWERS, strict=True), start=1
    ):
        invited, accepted, declined, none, present, late = counts
        absent = sorted(
            group[accept : accept + decline], key=lambda p: p.full_name
        )  # (ASCII-safe names here)
        lines += [
            f"{n}. {label}",
            f"    Được mời {invited} · xác nhận tham dự {accepted} · báo vắng {declined} · chưa trả lời {none}",
            f"    có mặt {present} (đến muộn {late})",
        ]
        reasons = {
            p.id: f"Bận {i + accept}" for i, p in enumerate(group[accept : accept + decline])
        }
        shown = "; ".join(f"{p.full_name} ({reasons[p.id]})" for p in absent)
        lines.append(f"    Báo vắng: {shown}")
    lines += ["", "Cập nhật lúc 08:20 20/01/2025."]
    assert roll == "\n".join(lines)
    assert buttons(roll_message) == ["🔄 Làm mới", "✋ Điểm danh thủ công", "📥 Xuất Excel"]

    # Refreshing with nothing new leaves the message as it is (and says nothing).
    assert await org.press("🔄 Làm mới", roll_message) == []
    assert roll_message.edits == 0

    manual = only_text(await org.press("✋ Điểm danh thủ công"))
    assert manual.startswith(f"✋ Điểm danh thủ công: {TITLE}\nChưa điểm danh: 10 người.")
    picked = groups[2][4]
    label = next(b for b in buttons(org.last) if b.startswith(picked.full_name))
    list_message = org.last
    assert await org.press(label) == []  # answered on the button; the list is edited
    assert (list_message.text or "").startswith(
        f"✋ Điểm danh thủ công: {TITLE}\nChưa điểm danh: 9 người."
    )
    assert label not in buttons(list_message)
    callback_answers = list(bot.stub.callback_answers.values())
    assert callback_answers[-1].get("text") == f"Đã ghi nhận: {picked.full_name} có mặt."

    assert await org.press("🔄 Làm mới", roll_message) == []
    assert roll_message.edits == 1  # edited in place, not sent again
    refreshed = roll_message.text or ""
    assert "Có mặt 21 (đến muộn 3, Ban Tổ chức ghi nhận 1, khách 0)" in refreshed
    assert (
        "3. Đại biểu khách mời\n    Được mời 8 · xác nhận tham dự 5 · báo vắng 2 · chưa trả lời 1\n"
        in (refreshed)
    )
    assert "    có mặt 5 (đến muộn 1)" in refreshed

    # The export: one row per invitee, Vietnamese headers, and a summary that adds up.
    replies = await org.press("📥 Xuất Excel", roll_message)
    document = only_doc(replies)
    assert document.filename == f"diem-danh-{world.crowd.session.id}-20250120.xlsx"
    book = load_workbook(BytesIO(document.file_bytes or b""))
    sheet = book["Danh sách"]
    top = int(sheet.print_title_rows.split(":")[0].lstrip("$"))  # under the title rows
    rows = list(sheet.iter_rows(min_row=top, values_only=True))
    assert rows[0] == (
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
    )
    body = rows[1:]
    assert len(body) == 30
    assert sum(1 for r in body if r[8] is not None) == 21
    assert sum(1 for r in body if r[7] == "Có mặt") == 21
    assert sum(1 for r in body if r[9] == "Có") == 3
    assert sum(1 for r in body if r[5] == "Xác nhận tham dự") == 20
    assert sum(1 for r in body if r[5] == "Báo vắng") == 6
    assert sum(1 for r in body if r[5] == "Chưa trả lời") == 4
    methods = [r[10] for r in body if r[10]]
    assert (methods.count("Mã QR"), methods.count("Mã số"), methods.count("Ban Tổ chức")) == (
        9,
        11,
        1,
    )
    summary_sheet = book["Tổng hợp"]
    top = int(summary_sheet.print_title_rows.split(":")[0].lstrip("$"))
    summary = list(summary_sheet.iter_rows(min_row=top, values_only=True))
    assert summary[-1] == ("Tổng cộng", 30, 20, 6, 4, 21, 9, 3, 1, 0)
    assert [r[0] for r in summary[1:-1]] == list(GROUPS)
    db = await checkins(bot)
    assert len(db) == 21
    assert sum(1 for _, late, _ in db if late) == 3

    # After the window: refused, with the closing time.
    clock.set(START + timedelta(minutes=61))
    assert only_text(await user_of(bot, groups[2][7]).send(f"/diemdanh {code}")).startswith(
        "Điểm danh buổi sinh hoạt này đã đóng lúc 09 giờ 00"
    )
    assert len(await checkins(bot)) == 21


def only_doc(replies: list) -> object:  # type: ignore[type-arg]
    docs = [m for m in replies if m.kind == "document"]
    assert len(docs) == 1, [m.text for m in replies]
    return docs[0]


async def test_who_may_open_check_in_and_read_the_roll(bot: BotHarness, clock: FrozenClock) -> None:
    world = await invited_and_answered(bot, clock)
    session_id = world.crowd.session.id
    # A delegate: /diemdanh alone explains how to check in; the organiser buttons are refused.
    delegate = user_of(bot, world.groups[0][1])
    assert only_text(await delegate.send("/diemdanh")) == (
        "Để điểm danh, xin quét mã QR ở lối vào, hoặc gõ /diemdanh và mã 6 chữ số ghi ở đó, "
        "ví dụ: /diemdanh 123456."
    )
    for data in (f"ck:{session_id}", f"roll:{session_id}", f"roll:x:{session_id}"):
        refused = only_text(await delegate.press_data(delegate.last, data))
        assert refused.startswith("Chỉ "), refused
    assert await checkins(bot) == []
    async with bot.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM checkin_config"))).scalar() == 0
    # The organiser of the committee, before anything is open: the session is coming.
    org = organiser(bot, world)
    listing = only_text(await org.send("/checkin"))
    assert "— mở lúc 07:30 20/01/2025" in listing


async def test_too_many_wrong_codes_and_a_cancelled_session(
    bot: BotHarness, clock: FrozenClock
) -> None:
    world = await invited_and_answered(bot, clock)
    async with make_session_factory(bot.engine)() as session:
        config = await checkin.open_checkin(
            Ctx(session, clock),
            world.crowd.org.org_root,
            world.crowd.session.id,  # type: ignore[arg-type]
        )
        await session.commit()
    clock.set(START - timedelta(minutes=10))
    guesser = user_of(bot, world.groups[1][3])
    wrong = [f"{(int(config.code) + n) % 1_000_000:06d}" for n in range(1, 6)]
    for n, guess in enumerate(wrong):
        reply = only_text(await guesser.send(f"/diemdanh {guess}"))
        assert reply.endswith(f"(còn {4 - n} lần thử)."), reply
    # The right code is refused too now, with the time to wait until; the QR link still works.
    refused = only_text(await guesser.send(f"/diemdanh {config.code}"))
    assert refused.startswith("Đồng chí đã nhập sai mã quá nhiều lần. Xin chờ đến 08 giờ 00")
    assert only_text(await guesser.send(f"/start ci_{config.token}")).startswith("✅ Đã điểm danh")

    async with make_session_factory(bot.engine)() as session:
        await sessions.cancel_session(
            Ctx(session, clock),
            world.crowd.org.org_root,
            world.crowd.session.id,
            "Bão",  # type: ignore[arg-type]
        )
        await session.commit()
    late = user_of(bot, world.groups[0][2])
    assert only_text(await late.send(f"/diemdanh {config.code}")) == (
        "Buổi sinh hoạt này đã bị hủy nên không có điểm danh."
    )
    assert len(await checkins(bot)) == 1
