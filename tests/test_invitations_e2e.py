"""End to end: an organiser sends the invitations (giấy mời) of a model session to the 30 people
of its three participant groups, with a progress message edited in place; invitees answer
Xác nhận tham dự or Báo vắng with a reason (and change their minds) until the session starts; a person
added later is the only one reached by a second sending. The participant groups are read and
completed in chat: a group by role, a rule for an imported label-only group, named people,
and who is not on the assistant yet.

The clock is Monday 6 January 2025, 09:00 in Hà Nội; the session is on 20 January at 08:00."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text

import scheduler
from core.clock import FrozenClock
from playground.harness import BotHarness, HarnessUser
from playground.stub_models import SentMessage
from services import outbox, participants, roles
from services.context import Ctx
from services.outbox import Planned
from storage.engine import make_session_factory
from storage.models import Person, Role
from tests.e2e_steps import only_text, texts
from tests.test_participants_service import Crowd, build_crowd
from tests.test_plans_service import at

START = at(20, 1)
TITLE = "sinh hoạt thường kỳ của “Chi bộ Khoa Toán”, 08 giờ 00, thứ Hai, ngày 20 tháng 1 năm 2025"
SESSION_BUTTON = "1. 08:00 20/01/2025 · Chi bộ Khoa Toán"
GROUPS = (
    "Bí thư, phó bí thư các chi bộ trực thuộc",
    "Ủy viên Ban Chấp hành Đảng ủy",
    "Đại biểu khách mời",
)
ATTEND, ABSENT = "✅ Xác nhận tham dự", "❌ Báo vắng (nêu lý do)"


@dataclass
class World:
    crowd: Crowd
    groups: list[list[Person]]  # the invitees of each participant group, as resolved


async def build(bot: BotHarness) -> World:
    """The crowd of tests.test_participants_service, built through the services."""
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, bot.clock)  # type: ignore[arg-type]
        crowd = await build_crowd(ctx)
        resolved = await participants.resolve(ctx, crowd.session.id)  # type: ignore[arg-type]
        await session.commit()
    return World(crowd, [r.people for r in resolved])


def organiser(bot: BotHarness, world: World) -> HarnessUser:
    return bot.user(world.crowd.org.org_root.telegram_id, "Tổ")  # type: ignore[arg-type]


def user_of(bot: BotHarness, person: Person) -> HarnessUser:
    return bot.user(person.telegram_id, person.full_name.split()[-1])  # type: ignore[arg-type]


def buttons(message: SentMessage) -> list[str]:
    return [label for label, _ in message.buttons]


async def open_preview(org: HarnessUser) -> str:
    """/giaymoi → the session → ✉️ Gửi giấy mời."""
    listing = await org.send("/giaymoi")
    assert buttons(listing[0]) == [SESSION_BUTTON]
    panel = only_text(await org.press(SESSION_BUTTON))
    assert panel.startswith(f"S{TITLE[1:]}\nKế hoạch 82-KH/ĐU")
    assert buttons(org.last) == ["👥 Thành phần", "✉️ Gửi giấy mời", "📷 Điểm danh", "📋 Danh sách"]
    return only_text(await org.press("✉️ Gửi giấy mời"))


async def invitation_rows(bot: BotHarness) -> list[tuple[int, str, str | None]]:
    async with bot.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT person_id, status, decline_reason FROM invitation ORDER BY person_id")
        )
        return [tuple(r) for r in rows.all()]  # type: ignore[misc]


async def test_thirty_invitations_answers_and_a_second_round(
    bot: BotHarness, clock: FrozenClock
) -> None:
    world = await build(bot)
    org = organiser(bot, world)
    everyone = [p for group in world.groups for p in group]
    assert len(everyone) == 30

    preview = await open_preview(org)
    assert preview == "\n".join(
        [
            f"✉️ Giấy mời: {TITLE}",
            f"• {GROUPS[0]}: 12 người, 12 người chưa được mời",
            f"• {GROUPS[1]}: 10 người, 10 người chưa được mời",
            f"• {GROUPS[2]}: 8 người, 8 người chưa được mời",
            "",
            "Tổng cộng 30 người; đã mời trước đây: 0; lần này: 30.",
        ]
    )
    assert buttons(org.last) == ["📨 Gửi (30 người)", "👥 Thành phần", "✖ Hủy"]
    sent = await org.press("📨 Gửi (30 người)")
    assert len(sent) == 1
    progress_message = sent[0]
    assert progress_message.history[0].text == "📨 Đang gửi giấy mời: 0/30"

    await bot.drain()  # (the kick after the press may have sent them already)
    for person in everyone:
        received = user_of(bot, person).messages
        assert len(received) == 1, person.full_name
        assert (received[0].text or "").startswith("GIẤY MỜI\nĐảng ủy trân trọng kính mời đồng chí")
        assert "Địa điểm: Hội trường Khoa Toán" in (received[0].text or "")
        assert buttons(received[0]) == [ATTEND, ABSENT]
    for outsider in (world.crowd.org.mem_a1, world.crowd.org.leader_root):
        assert user_of(bot, outsider).messages == []
    assert progress_message.text == "✅ Đã gửi giấy mời: 30/30."
    assert progress_message.edits >= 1

    # Answers: per group (accept, decline); the rest say nothing.
    plan = [(8, 2), (7, 2), (5, 2)]
    reasons: dict[int, str] = {}
    for group, (accept, decline) in zip(world.groups, plan, strict=True):
        for person in group[:accept]:
            delegate = user_of(bot, person)
            replies = await delegate.press(ATTEND)
            assert replies == []  # answered on the button itself
            assert delegate.last.text is not None
            assert delegate.last.text.endswith(
                "✅ Đồng chí đã xác nhận tham dự.\n\n"
                "Đồng chí có thể đổi câu trả lời cho đến giờ bắt đầu."
            )
            assert buttons(delegate.last) == [ATTEND, ABSENT]
        for n, person in enumerate(group[accept : accept + decline]):
            delegate = user_of(bot, person)
            ask = only_text(await delegate.press(ABSENT))
            assert ask.startswith("Xin đồng chí gõ lý do vắng mặt")
            reason = f"Đi công tác số {n + 1} ({person.full_name})"
            reasons[person.id] = reason  # type: ignore[index]
            done = only_text(await delegate.send(reason))
            assert done.startswith(f"Đã ghi nhận: đồng chí báo vắng. Lý do: {reason}")
            invitation = delegate.messages[0]
            assert (invitation.text or "").endswith(
                f"❌ Đồng chí đã báo vắng. Lý do: {reason}\n\n"
                "Đồng chí có thể đổi câu trả lời cho đến giờ bắt đầu."
            )
    # A change of mind both ways; an empty reason is asked again.
    changer = user_of(bot, world.groups[0][0])
    await changer.press(ABSENT)
    again = only_text(await changer.send("   "))
    assert again.startswith("Xin cho biết lý do vắng mặt")
    assert only_text(await changer.send("Ốm")).startswith("Đã ghi nhận: đồng chí báo vắng")
    await changer.press(ATTEND)
    assert "✅ Đồng chí đã xác nhận tham dự." in (changer.messages[0].text or "")
    # Someone else's invitation cannot be answered (a forged press).
    stranger = user_of(bot, world.crowd.org.mem_a1)
    await stranger.send("/start")
    forged = user_of(bot, world.groups[0][-1]).messages[0].buttons[0][1]
    refused = await stranger.press_data(stranger.last, forged)  # type: ignore[arg-type]
    assert only_text(refused) == "Giấy mời này gửi cho người khác, chỉ người đó mới trả lời được."

    rows = await invitation_rows(bot)
    assert len(rows) == 30
    assert sum(1 for _, status, _ in rows if status == "accepted") == 20
    assert sum(1 for _, status, _ in rows if status == "declined") == 6
    assert sum(1 for _, status, _ in rows if status == "invited") == 4
    assert {pid: reason for pid, status, reason in rows if status == "declined"} == reasons

    # Sending again reaches nobody…
    again = await open_preview(org)
    assert again.endswith(
        "Tổng cộng 30 người; đã mời trước đây: 30; lần này: 0.\n"
        "Mọi người trong các thành phần đều đã được gửi giấy mời."
    )
    assert buttons(org.last) == ["👥 Thành phần", "✖ Hủy"]
    # … until a group by role brings one more person: the party members of the host cell.
    listing = only_text(await org.press("👥 Thành phần"))
    assert listing.startswith(f"👥 Thành phần tham dự: {TITLE}\n1. {GROUPS[0]}: 12 người")
    await org.press("➕ Theo vai trò")
    roles = org.last
    assert buttons(roles)[:4] == ["☐ Bí thư chi bộ", "☐ Phó bí thư", "☐ Cấp ủy viên", "☐ Đảng viên"]
    await org.press("☐ Đảng viên")
    assert buttons(org.last)[3] == "☑ Đảng viên"
    await org.press("Tiếp ▶")
    assert org.last.text == "Chức vụ: Đảng viên.\nỞ những đơn vị nào?"
    assert buttons(org.last) == [
        "các chi bộ trực thuộc Đảng ủy",
        "các đảng bộ cơ sở trực thuộc Đảng ủy",
        "Đảng ủy",
        "chi bộ chủ trì (Chi bộ Khoa Toán)",
        "◀ Quay lại",
        "✖ Hủy",
    ]
    ask = only_text(await org.press("chi bộ chủ trì (Chi bộ Khoa Toán)"))
    assert ask.startswith("Xin gõ tên thành phần này như trong kế hoạch")
    scope = only_text(await org.send("Đảng viên chi bộ Khoa Toán"))
    assert (
        scope
        == "Thành phần “Đảng viên chi bộ Khoa Toán” chỉ dự buổi này, hay dự mọi buổi của kế hoạch?"
    )
    replies = await org.press("Chỉ buổi này")
    listing = texts(replies)
    assert "4. Đảng viên chi bộ Khoa Toán: 1 người\n    Đảng viên · chi bộ chủ trì" in listing
    assert "Tổng cộng: 31 người." in listing

    before = {p.id: len(user_of(bot, p).messages) for p in everyone}
    second = await open_preview(org)
    assert "• Đảng viên chi bộ Khoa Toán: 1 người, 1 người chưa được mời" in second
    (progress_message,) = await org.press("📨 Gửi (1 người)")
    assert progress_message.history[0].text == "📨 Đang gửi giấy mời: 0/1"
    await bot.drain()
    newcomer = user_of(bot, world.crowd.org.mem_a1)
    assert len([m for m in newcomer.messages if (m.text or "").startswith("GIẤY MỜI")]) == 1
    assert {p.id: len(user_of(bot, p).messages) for p in everyone} == before
    assert progress_message.text == "✅ Đã gửi giấy mời: 1/1."

    # Once the session has started, answers can no longer change.
    clock.set(START + timedelta(minutes=1))
    late = user_of(bot, world.groups[2][-1])
    refused_answer = await late.press(ATTEND)
    assert only_text(refused_answer).startswith(
        "Buổi sinh hoạt đã bắt đầu nên không thay đổi câu trả lời được nữa."
    )
    assert only_text(await late.press(ABSENT)).startswith("Buổi sinh hoạt đã bắt đầu")
    assert sum(1 for _, s, _ in await invitation_rows(bot) if s == "invited") == 5


async def test_participant_groups_in_chat(bot: BotHarness, clock: FrozenClock) -> None:
    world = await build(bot)
    crowd = world.crowd
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        # An imported group (label only) and a named guest who is not on the assistant.
        await participants.add_category(
            ctx,
            crowd.org.org_root,
            crowd.plan.id,
            "Đại diện lãnh đạo Đảng ủy",  # type: ignore[arg-type]
        )
        offline = Person(full_name="Phan Văn Vắng", created_at=clock.now())
        session.add(offline)
        await session.flush()
        await participants.add_people(
            ctx,
            crowd.org.org_root,
            crowd.categories[2].id,
            [offline.id],  # type: ignore[arg-type, list-item]
        )
        await session.commit()
    org = organiser(bot, world)
    listing = await org.send("/thanhphan")
    screen = only_text(await org.press(SESSION_BUTTON, listing[0]))
    assert screen == "\n".join(
        [
            f"👥 Thành phần tham dự: {TITLE}",
            f"1. {GROUPS[0]}: 12 người",
            "    Bí thư chi bộ, Phó bí thư · các chi bộ trực thuộc Đảng ủy",
            "    Chưa có ai dùng trợ lý với vai trò:",
            "      • Phó bí thư của Chi bộ Khoa Nội",
            "      • Phó bí thư của Chi bộ Khoa Văn",
            f"2. {GROUPS[1]}: 10 người",
            "    Cấp ủy viên · Đảng ủy",
            "    (thêm 1 người đã được tính ở thành phần phía trên)",
            f"3. {GROUPS[2]}: 9 người",
            "    người được chọn cụ thể",
            "    (thêm 1 người đã được tính ở thành phần phía trên)",
            "    Chưa dùng trợ lý: Phan Văn Vắng",
            "4. Đại diện lãnh đạo Đảng ủy: 0 người",
            "    ⚠️ Chưa xác định được ai thuộc thành phần này: xin đặt quy tắc hoặc chọn "
            "người cụ thể.",
            "",
            "Tổng cộng: 31 người.",
            "Để mời những người chưa dùng trợ lý: bấm 🔗 Mời tham gia, chọn đơn vị và vai trò "
            "của họ, rồi gửi đường dẫn cho họ.",
        ]
    )
    # Issue 14, item 9: roles are "vai trò"; a group's rule can be changed or removed.
    assert buttons(org.last) == [
        "➕ Theo vai trò",
        "➕ Người cụ thể",
        "⚙️ Đổi quy tắc: Bí thư, phó bí thư các chi bộ trực…",  # cut at a word
        "🗑 Bỏ quy tắc",
        f"⚙️ Đổi quy tắc: {GROUPS[1]}",
        "🗑 Bỏ quy tắc",
        f"👤 Chọn người: {GROUPS[2]}",
        "⚙️ Quy tắc: Đại diện lãnh đạo Đảng ủy",
        "👤 Chọn người: Đại diện lãnh đạo Đảng ủy",
        "✉️ Gửi giấy mời",
    ]
    # A rule for the imported group: the leaders of the issuing committee itself.
    rule = only_text(await org.press("⚙️ Quy tắc: Đại diện lãnh đạo Đảng ủy"))
    assert rule.startswith("Quy tắc của thành phần “Đại diện lãnh đạo Đảng ủy”.\nChọn vai trò")
    await org.press("☐ Lãnh đạo")
    await org.press("Tiếp ▶")
    after = only_text(await org.press("Đảng ủy"))
    assert "4. Đại diện lãnh đạo Đảng ủy: 1 người\n    Lãnh đạo · Đảng ủy" in after
    assert "Tổng cộng: 32 người." in after
    assert org.messages[-2].text == "Đã đặt quy tắc cho thành phần “Đại diện lãnh đạo Đảng ủy”."

    # Named people: a new group for this session, people picked from a paged list. (The
    # organiser was half-way through adding a unit: the press takes over from that step.)
    categories = org.find_button_message("➕ Người cụ thể")
    await org.send("/donvi")
    await org.press("➕ Thêm đơn vị")
    await org.press("Đảng ủy")
    assert "Xin gõ tên" in only_text(await org.press("Chi bộ"))
    ask = only_text(await org.press("➕ Người cụ thể", categories))
    assert ask.startswith(
        "Xin gõ tên thành phần này như trong kế hoạch, ví dụ: Đại biểu khách mời."
    )
    too_long = only_text(await org.send("x" * 600))
    assert too_long.endswith("Xin gõ lại, hoặc gõ /huy để dừng."), too_long
    await org.send("Khách mời đặc biệt")
    picker = only_text(await org.press("Chỉ buổi này"))
    assert picker.startswith("Chọn người cho thành phần “Khách mời đặc biệt”")
    assert picker.endswith("Đã chọn: 0.")
    page = org.last
    names = buttons(page)
    assert names[0] == "Bí thư Khoa Hóa — Bí thư chi bộ"  # by name, Vietnamese order
    assert names[-3:] == ["1/4", "▶", "✅ Xong (0)"]
    await org.press("▶")
    assert org.last.message_id == page.message_id  # pages turn in place
    assert buttons(org.last)[-4:] == ["◀", "2/4", "▶", "✅ Xong (0)"]
    await org.press("◀")
    target = "Hoàng Văn Cường"
    await org.press(target)
    assert f"✓ {target}" in buttons(org.last)
    assert (org.last.text or "").endswith("Đã chọn: 1.")
    done = texts(await org.press("✅ Xong (1)"))
    assert (
        "5. Khách mời đặc biệt: 1 người\n    người được chọn cụ thể\n\nTổng cộng: 33 người." in done
    )

    # Someone who is no organiser of the plan is refused, forged buttons too.
    member = user_of(bot, crowd.org.sec_a1)
    assert "Chỉ Ban Tổ chức, Văn phòng mới gửi giấy mời" in only_text(
        await member.send("/thanhphan")
    )
    session_id = crowd.session.id
    for data in (f"pc:{session_id}", f"pc:r:{session_id}:0:0", f"inv:send:{session_id}"):
        refused = only_text(await member.press_data(member.last, data))
        assert refused.startswith("Chỉ Ban Tổ chức của “Đảng ủy”"), refused
    async with bot.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM invitation"))).scalar() == 0


async def test_a_large_fan_out_edits_its_progress_message(
    bot: BotHarness, clock: FrozenClock
) -> None:
    world = await build(bot)
    crowd = world.crowd
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        people = [
            Person(
                telegram_id=50_000 + i if i else None,  # the first is not on the assistant
                full_name=f"Đảng viên Số {i:03d}",
                created_at=clock.now(),
            )
            for i in range(121)
        ]
        session.add_all(people)
        await session.flush()
        for p in people:
            await roles.add_membership(ctx, p, crowd.org.a1.id, Role.MEMBER)  # type: ignore[arg-type]
        await participants.add_category(
            ctx,
            crowd.org.org_root,
            crowd.plan.id,  # type: ignore[arg-type]
            "Đảng viên chi bộ chủ trì",
            session_id=crowd.session.id,
            host_unit=True,
        )
        await session.commit()
    org = organiser(bot, world)
    await open_preview(org)
    bot.stub.fail_next("editMessageText", status=400)  # a failed edit changes nothing
    (progress,) = await org.press("📨 Gửi (152 người)")
    assert progress.history[0].text == "📨 Đang gửi giấy mời: 0/152"
    await bot.drain()
    await bot.stub.wait_until(lambda: (progress.text or "").startswith("✅"), timeout=5)
    assert progress.text == (
        "✅ Đã gửi giấy mời: 151/152.\n"
        "1 người chưa nhận được (chưa dùng trợ lý hoặc đã chặn trợ lý). Chi tiết: /hangdoi"
    )
    invited = {m.chat_id for m in bot.stub.sent if (m.text or "").startswith("GIẤY MỜI")}
    assert len(invited) == 151
    shown = [state.text or "" for state in progress.history]
    steps = [s for s in shown if s.startswith("📨 Đang gửi giấy mời: ") and s != shown[0]]
    assert steps, shown  # at least one step between the start and the end
    assert all(s.endswith("/152") for s in steps)
    edits = bot.stub.calls_to("editMessageText")
    assert 2 <= len(edits) <= 152 // 50 + 3  # at most every 50 messages (or 2 s), and the end


async def test_a_failing_progress_watcher_never_stops_the_sending(
    bot: BotHarness, clock: FrozenClock
) -> None:
    """scheduler.watch_batch: the watcher hears of every row of its batch; if it fails, the
    error is logged and the sending goes on."""
    world = await build(bot)
    people = [p for group in world.groups for p in group][:5]
    async with make_session_factory(bot.engine)() as session:
        await outbox.plan(
            Ctx(session, clock),
            [
                Planned(
                    key=f"test:{p.id}",
                    kind="test",
                    person_id=p.id,  # type: ignore[arg-type]
                    subject_type="session",
                    subject_id=0,
                    due_at=clock.now(),
                    msgid="Stopped. Nothing was changed.",
                    batch="b1",
                )
                for p in people
            ],
        )
        await session.commit()
    heard: list[str] = []

    async def watcher(batch: str) -> None:
        heard.append(batch)
        raise RuntimeError("a broken progress display")

    assert bot.app is not None
    scheduler.watch_batch(bot.app, "b1", watcher)
    report = await bot.drain()
    assert report.sent == 5
    assert heard == ["b1"] * 5
    assert all(len(user_of(bot, p).messages) == 1 for p in people)
    scheduler.unwatch_batch(bot.app, "b1")
