"""End to end: /lich shows each person their upcoming sessions; a session's card lets its
officers reschedule, firm up and cancel it (the people concerned are told through the outbox)
and everyone who sees it read its history.

The clock is Monday 6 January 2025, 09:00 in Hà Nội."""

from __future__ import annotations

from core.clock import FrozenClock
from playground.harness import BotHarness, HarnessUser
from services.vn_datetime import MonthOnly
from storage.models import SessionKind
from tests.e2e_steps import only_text, texts
from tests.test_report_session_e2e import (
    CELL,
    MARCH_28_8H,
    MEM,
    ORG,
    PLAN,
    SEC,
    SEC_B,
    STALE,
    TEXT_PLEASE,
    World,
    add_session,
    build,
    labels,
    session_rows,
    snapshot,
)

TOPIC = "Học tập và làm theo tư tưởng Hồ Chí Minh"
TOMORROW_7H30 = "07 giờ 30, thứ Ba, ngày 7 tháng 1 năm 2025"
EDIT = "✏️ Địa điểm, thời lượng, chủ đề"  # issue 14, item 6: the card completes a session
ACTIONS = ["🕘 Đổi lịch", "🚫 Hủy buổi", EDIT, "📎 Nộp nội dung", "📜 Lịch sử"]


async def with_sessions(bot: BotHarness, clock: FrozenClock) -> tuple[World, int, int]:
    """A scheduled thường kỳ on 28/3 8h and a chuyên đề expected in March, both of chi bộ 1."""
    world = await build(bot, clock)
    sec, a1 = world.people["sec"], world.units["a1"]
    regular = await add_session(
        bot, clock, sec, a1, SessionKind.THUONG_KY, "28/3 8h", venue="Hội trường", address="Số 5"
    )
    thematic = await add_session(
        bot, clock, sec, a1, SessionKind.CHUYEN_DE, MonthOnly(2025, 3), topic=TOPIC
    )
    await bot.drain()  # the "new session" notices are not what these tests look at
    return world, regular, thematic


async def open_card(user: HarnessUser, number: int) -> str:
    """/lich, then the session's button ("1. …")."""
    listing = await user.send("/lich")
    label = next(lb for lb in labels(listing[0]) if lb.startswith(f"{number}. "))
    return only_text(await user.press(label))


async def test_member_sees_the_schedule_and_a_card_without_actions(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await with_sessions(bot, clock)
    mem = bot.user(MEM, "Cường")
    listing = await mem.send("📅 Lịch sinh hoạt")
    assert only_text(listing) == "\n".join(
        [
            "Các buổi sinh hoạt mẫu sắp tới:",
            f"1. dự kiến tháng 3/2025\n    Sinh hoạt chuyên đề “{TOPIC}” — {CELL}",
            f"2. {MARCH_28_8H}\n    Sinh hoạt thường kỳ — {CELL}",
            "",
            "Bấm vào một buổi để xem chi tiết.",
        ]
    )
    assert labels(listing[0]) == [f"1. tháng 3/2025 · {CELL}", f"2. 08:00 28/03/2025 · {CELL}"]
    card = only_text(await mem.press(f"2. 08:00 28/03/2025 · {CELL}"))
    assert card == "\n".join(
        [
            f"Kế hoạch: {PLAN}",
            "Hình thức: Sinh hoạt thường kỳ",
            f"Đơn vị tổ chức: {CELL}",
            f"Thời gian: {MARCH_28_8H}",
            "Thời lượng: 120 phút",
            "Địa điểm: Hội trường",
            "Địa chỉ: Số 5",
            "Tình trạng: đã lên lịch",
            "Nội dung: chưa gửi",
        ]
    )
    assert labels(mem.last) == ["📜 Lịch sử"]
    history = only_text(await mem.press("📜 Lịch sử"))
    assert history.startswith("Lịch sử thay đổi của buổi sinh hoạt:\n• 09:00 06/01/2025 — ")
    assert f"Nguyễn Văn An đăng ký buổi sinh hoạt: {MARCH_28_8H}." in history
    # The officer's buttons, forged, are refused and open no typed step.
    before = await snapshot(bot)
    session_id = (await session_rows(bot))[0]["id"]
    for prefix in ("sm", "sf", "sk"):
        refused = only_text(await mem.press_data(mem.last, f"{prefix}:{session_id}"))
        assert refused.startswith(f"Chỉ bí thư, phó bí thư của “{CELL}”")
        assert "chưa hiểu" in only_text(await mem.send("ngày mai 8h"))
    assert await snapshot(bot) == before


async def test_who_sees_what(bot: BotHarness, clock: FrozenClock) -> None:
    await with_sessions(bot, clock)
    # Another chi bộ's secretary has nothing upcoming; the plan concerns their unit too, so
    # they may open these cards (to learn from the model sessions) but not change them.
    other = bot.user(SEC_B, "Em")
    assert only_text(await other.send("/lich")) == (
        "Đồng chí chưa có buổi sinh hoạt mẫu nào sắp tới."
    )
    session_id = (await session_rows(bot))[0]["id"]
    assert "Tình trạng: đã lên lịch" in only_text(
        await other.press_data(other.last, f"ss:{session_id}")
    )
    assert labels(other.last) == ["📜 Lịch sử"]
    assert only_text(await other.press_data(other.last, "ss:999")) == (
        "Buổi sinh hoạt này không còn nữa."
    )
    # Someone not registered is told so, and sees no card.
    stranger = bot.user(4000, "Lạ")
    assert "chưa đăng ký" in only_text(await stranger.send("/lich"))
    for data in (f"ss:{session_id}", f"sh:{session_id}"):
        assert only_text(await stranger.press_data(stranger.last, data)) == (
            "Buổi sinh hoạt này không còn nữa."
        )
    # The plan's organiser sees both, with the actions.
    org = bot.user(ORG, "Tổ")
    card = await open_card(org, 1)
    assert "Tình trạng: dự kiến (chưa chốt ngày)" in card
    assert labels(org.last) == [
        "🕘 Đổi lịch",
        "📌 Chốt ngày",
        "🚫 Hủy buổi",
        EDIT,
        "👥 Thành phần",
        "✉️ Gửi giấy mời",
        "📷 Điểm danh",
        "📋 Danh sách",
        "📜 Lịch sử",
    ]


async def test_reschedule_tells_the_members_and_the_organiser(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await with_sessions(bot, clock)
    sec = bot.user(SEC, "An")
    await open_card(sec, 2)
    assert labels(sec.last) == ACTIONS
    asked = only_text(await sec.press("🕘 Đổi lịch"))
    assert asked.startswith(
        f"Sinh hoạt thường kỳ của “{CELL}”, {MARCH_28_8H}.\nXin gõ ngày giờ mới"
    )
    before = await snapshot(bot)
    for wrong, answer in [
        ("hôm qua 8h", "Thời điểm này đã qua."),
        ("28/3", "Xin thêm giờ"),
        ("😀", "Tôi chưa đọc được ngày này."),
        ("x" * 5000, "Nội dung quá dài so với một ngày tháng."),
    ]:
        reply = only_text(await sec.send(wrong))
        assert reply.startswith(answer), reply
        assert "Ví dụ: 28/3 8h; 8h30 ngày mai; dự kiến tháng 5" in reply
    reply = only_text(await sec.send_document("lich.pdf", b"%PDF-1.4", "application/pdf"))
    assert reply == TEXT_PLEASE
    assert await snapshot(bot) == before
    asked = only_text(await sec.send("ngày mai 7h30"))
    assert asked.startswith(f"Thời gian mới: {TOMORROW_7H30}.\nXin gõ lý do đổi lịch")
    assert labels(sec.last) == ["Không nêu lý do", "✖ Hủy"]
    assert "Lý do quá dài (599 ký tự)" in only_text(await sec.send("Bận " * 150))
    assert await snapshot(bot) == before
    done = only_text(await sec.send("Trùng lịch họp Đảng ủy"))
    assert done.startswith(
        f"Đã đổi lịch: Sinh hoạt thường kỳ của “{CELL}” nay vào {TOMORROW_7H30}."
    )
    assert "Sẽ báo cho 3 đồng chí liên quan." in done
    await bot.drain()
    notice = (
        f"Buổi sinh hoạt thường kỳ của “{CELL}” đã đổi từ {MARCH_28_8H} sang {TOMORROW_7H30}. "
        "Lý do: Trùng lịch họp Đảng ủy"
    )
    assert bot.stub.messages_to(MEM)[-1].text == notice
    assert bot.stub.messages_to(ORG)[-1].text == notice
    assert all(m.text != notice for m in sec.messages)  # the one who changed it knows
    history = only_text(await sec.press("📋 Xem buổi sinh hoạt"))
    assert f"Thời gian: {TOMORROW_7H30}" in history
    history = only_text(await sec.press("📜 Lịch sử"))
    assert (
        f"Nguyễn Văn An đổi lịch từ {MARCH_28_8H} sang {TOMORROW_7H30}. "
        "Lý do: Trùng lịch họp Đảng ủy"
    ) in history
    # Once more, without a reason.
    await sec.press("↩ Quay lại buổi sinh hoạt")
    await sec.press("🕘 Đổi lịch")
    assert "Buổi này đã vào đúng thời gian đó" in only_text(await sec.send("7/1 7h30"))
    await sec.send("ngày kia 8h")
    await sec.press("Không nêu lý do")
    await bot.drain()
    assert bot.stub.messages_to(MEM)[-1].text == (
        f"Buổi sinh hoạt thường kỳ của “{CELL}” đã đổi từ {TOMORROW_7H30} "
        "sang 08 giờ 00, thứ Tư, ngày 8 tháng 1 năm 2025."
    )


async def test_firm_up_a_tentative_month(bot: BotHarness, clock: FrozenClock) -> None:
    await with_sessions(bot, clock)
    sec = bot.user(SEC, "An")
    card = await open_card(sec, 1)
    assert "Thời gian: dự kiến tháng 3/2025" in card
    asked = only_text(await sec.press("📌 Chốt ngày"))
    assert "Xin gõ ngày giờ trong tháng 3/2025, ví dụ: 15/3 8h." in asked
    before = await snapshot(bot)
    refused = only_text(await sec.send("2/4/2025 8h"))
    assert refused.startswith("Buổi này dự kiến vào tháng 3/2025. Xin chọn một ngày trong tháng đó")
    assert "Xin cho biết ngày và giờ" in only_text(await sec.send("tháng 4"))  # a day is needed
    assert "Tôi chưa đọc được ngày này" in only_text(await sec.send("😀"))
    assert only_text(await sec.send_document("a.docx", b"PK")) == TEXT_PLEASE
    assert await snapshot(bot) == before
    # The regular session is on 28/3 08:00-10:00: a firm-up at 09:00 is saved, with a warning.
    done = only_text(await sec.send("28/3 9h"))
    fixed = "09 giờ 00, thứ Sáu, ngày 28 tháng 3 năm 2025"
    assert done.startswith(f"Đã chốt ngày: Sinh hoạt chuyên đề của “{CELL}” vào {fixed}.")
    assert done.endswith(
        f"⚠️ “{CELL}” đã có một buổi trùng thời gian: sinh hoạt thường kỳ, {MARCH_28_8H}. "
        "Buổi này vẫn được lưu; xin kiểm tra lại thời gian của cả hai buổi."
    )
    await bot.drain()
    assert bot.stub.messages_to(MEM)[-1].text == (
        f"Buổi sinh hoạt chuyên đề của “{CELL}” đã chốt thời gian: {fixed}."
    )
    card = only_text(await sec.press("📋 Xem buổi sinh hoạt"))
    assert "Tình trạng: đã lên lịch" in card
    assert labels(sec.last) == ACTIONS  # no more 📌
    assert f"chốt ngày: {fixed}." in only_text(await sec.press("📜 Lịch sử"))


async def test_cancel_needs_a_reason(bot: BotHarness, clock: FrozenClock) -> None:
    await with_sessions(bot, clock)
    sec = bot.user(SEC, "An")
    await open_card(sec, 2)
    card_message = sec.last
    asked = only_text(await sec.press("🚫 Hủy buổi"))
    assert "Vì sao hủy buổi sinh hoạt?" in asked
    before = await snapshot(bot)
    for empty in ("\u200b", "   ", "\u2060\u200b"):
        refused = only_text(await sec.send(empty))
        assert refused.startswith("Xin nêu lý do hủy buổi"), refused
    assert "Lý do quá dài" in only_text(await sec.send("Mưa " * 200))
    assert only_text(await sec.send_document("a.pdf", b"%PDF")) == TEXT_PLEASE
    assert await snapshot(bot) == before
    done = only_text(await sec.send("Mưa bão"))
    assert done.startswith(f"Đã hủy: Sinh hoạt thường kỳ của “{CELL}” ({MARCH_28_8H}).")
    await bot.drain()
    assert bot.stub.messages_to(MEM)[-1].text == (
        f"Buổi sinh hoạt thường kỳ của “{CELL}” dự kiến {MARCH_28_8H} đã bị hủy. Lý do: Mưa bão"
    )
    card = only_text(await sec.press("📋 Xem buổi sinh hoạt"))
    assert "Tình trạng: đã hủy\nLý do hủy: Mưa bão" in card
    assert labels(sec.last) == ["📜 Lịch sử"]
    # The old card's buttons now say why nothing can change.
    refused = only_text(await sec.press("🕘 Đổi lịch", card_message))
    assert refused == "Buổi sinh hoạt này đã hủy nên không thay đổi được nữa."
    # A cancelled session leaves the schedule.
    assert "Mưa bão" not in texts(await sec.send("/lich"))
    assert len(labels(sec.last)) == 1


async def test_interruptions_while_typing(bot: BotHarness, clock: FrozenClock) -> None:
    await with_sessions(bot, clock)
    sec = bot.user(SEC, "An")
    await open_card(sec, 2)
    card_message = sec.last
    await sec.press("🕘 Đổi lịch")
    before = await snapshot(bot)
    # A command ends the step: the next text is no answer.
    assert only_text(await sec.send("/ngonngu")) == "Chọn ngôn ngữ:"
    assert "chưa hiểu" in only_text(await sec.send("ngày mai 8h"))
    # ✖ ends it too.
    await sec.press("🚫 Hủy buổi", card_message)
    assert only_text(await sec.press("✖ Hủy")) == "Đã dừng. Không có gì thay đổi."
    assert "chưa hiểu" in only_text(await sec.send("Mưa bão"))
    # A stale “No reason” button is refused.
    await sec.press("🕘 Đổi lịch", card_message)
    await sec.send("ngày mai 8h")
    no_reason = sec.last
    assert only_text(await sec.send("/huy")) == "Đã dừng. Không có gì thay đổi."
    assert only_text(await sec.press("Không nêu lý do", no_reason)) == STALE
    # Pressing a card action in the middle of /dangky: the new step takes over cleanly.
    await sec.send("/dangky")
    await sec.press("Sinh hoạt thường kỳ")
    asked = only_text(await sec.press("🚫 Hủy buổi", card_message))
    assert "Vì sao hủy buổi sinh hoạt?" in asked
    assert await snapshot(bot) == before
    assert "Đã hủy" in only_text(await sec.send("Trùng lịch"))


async def test_card_offers_each_person_their_own_actions(
    bot: BotHarness, clock: FrozenClock
) -> None:
    """The host's secretary can submit the content; organisers get invitations and check-in."""

    from storage.engine import make_session_factory
    from tests.e2e_steps import admin_ready

    admin = await admin_ready(bot)
    async with make_session_factory(bot.engine)() as session:
        from services.context import Ctx
        from tests.test_plans_service import at, build_org, new_plan, new_session

        ctx = Ctx(session, clock)
        org = await build_org(ctx)
        plan = await new_plan(ctx, org)
        created = await new_session(
            ctx, org.sec_a1, plan, org.a1, at(10, 3, 8), venue="Hội trường A", address="1 Lê Lợi"
        )
        await session.commit()
        session_id = created.id
    secretary = bot.user(org.sec_a1.telegram_id or 0, "An")
    card = (await secretary.send("/lich"))[-1]
    card = (await secretary.press_data(card, f"ss:{session_id}"))[-1]
    labels = [label for label, _ in card.buttons]
    assert "📎 Nộp nội dung" in labels and "✉️ Gửi giấy mời" not in labels
    listing = (await admin.send("/lich"))[-1]
    card = (await admin.press_data(listing, f"ss:{session_id}"))[-1]
    labels = [label for label, _ in card.buttons]
    assert {"✉️ Gửi giấy mời", "📷 Điểm danh", "📋 Danh sách"} <= set(labels), labels
    assert "📎 Nộp nội dung" not in labels
