"""End to end: secretaries and organisers report model sessions by chat with /dangky.

The organisation and the plan are built through the services; everything the secretary does
goes through the Bot API stub. The clock is Monday 6 January 2025, 09:00 in Hà Nội."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from core.clock import FrozenClock
from playground.harness import BotHarness, HarnessUser
from playground.stub_models import SentMessage
from services import plans, requirements, roles, sessions, units
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import Person, RequirementKind, Role, SessionKind, UnitKind
from tests.e2e_steps import only_text, texts

ORG, SEC, MEM, SEC_B, ORG_B = 3001, 3002, 3003, 3004, 3005
PLAN = "82-KH/ĐU"
CELL = "Chi bộ Khu phố 1"
GRASSROOTS = "Đảng bộ Phường 1"
TABLES = ("model_session", "session_change", "notification", "requirement_target")
KIND_BUTTONS = ["Sinh hoạt thường kỳ", "Sinh hoạt chuyên đề", "Hội thảo", "✖ Hủy"]
ASK_WHEN = "Buổi sinh hoạt vào lúc nào?"
ASK_VENUE = "Tổ chức ở đâu?"
ASK_ADDRESS = "Xin gõ địa chỉ của địa điểm"
ASK_DURATION = "Buổi sinh hoạt kéo dài bao lâu?"
SUMMARY = "Xin đồng chí kiểm tra lại trước khi lưu:"
TEXT_PLEASE = "Xin gõ câu trả lời bằng tin nhắn chữ, hoặc gõ /huy để dừng."
BUTTONS_PLEASE = "Xin chọn bằng các nút bên dưới."
EARLIER = "Nút đó thuộc một câu hỏi trước. Chưa có gì thay đổi."
STALE = "Nút này không còn dùng được (bước đó đã xong). Xin đồng chí bắt đầu lại từ menu."
LONG = ("Hội trường " * 455).strip()  # 5,004 characters
MARCH_28_8H = "08 giờ 00, thứ Sáu, ngày 28 tháng 3 năm 2025"


@dataclass
class World:
    plan_id: int
    people: dict[str, int]  # person ids
    units: dict[str, int]


async def build(
    bot: BotHarness, clock: FrozenClock, *, second_plan: bool = False, extra_cells: int = 0
) -> World:
    """Đảng ủy ─ Đảng bộ Phường 1 ─ Chi bộ Khu phố 1 (secretary, member), Chi bộ Khu phố 2
               └ Đảng bộ Phường 2 ─ Chi bộ Khu phố 3 (secretary)
    Plan 82-KH/ĐU, issued, asks both đảng bộ cơ sở for 1 thường kỳ + 1 chuyên đề."""
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        root = await units.ensure_root(ctx, "Đảng ủy")
        people: dict[str, Person] = {}

        async def person(key: str, telegram_id: int, name: str, unit_id: int, role: Role) -> None:
            found = Person(
                telegram_id=telegram_id, full_name=name, position="—", created_at=clock.now()
            )
            session.add(found)
            await session.flush()
            await roles.add_membership(ctx, found, unit_id, role)
            people[key] = found

        await person("org", ORG, "Trần Văn Tổ", root.id, Role.ORGANISER)  # type: ignore[arg-type]
        org = people["org"]
        made = {"root": root}
        for key, parent, name, kind in [
            ("ga", "root", GRASSROOTS, UnitKind.GRASSROOTS),
            ("gb", "root", "Đảng bộ Phường 2", UnitKind.GRASSROOTS),
            ("a1", "ga", CELL, UnitKind.CELL),
            ("a2", "ga", "Chi bộ Khu phố 2", UnitKind.CELL),
            ("b1", "gb", "Chi bộ Khu phố 3", UnitKind.CELL),
        ]:
            made[key] = await units.create_unit(ctx, org, made[parent].id, name, kind)  # type: ignore[arg-type]
        for n in range(1, extra_cells + 1):
            await units.create_unit(ctx, org, made["gb"].id, f"Chi bộ Tổ {n:02d}", UnitKind.CELL)  # type: ignore[arg-type]
        await person("sec", SEC, "Nguyễn Văn An", made["a1"].id, Role.SECRETARY)  # type: ignore[arg-type]
        await person("mem", MEM, "Hoàng Văn Cường", made["a1"].id, Role.MEMBER)  # type: ignore[arg-type]
        await person("sec_b", SEC_B, "Bùi Văn Em", made["b1"].id, Role.SECRETARY)  # type: ignore[arg-type]
        plan = await plans.create_plan(
            ctx, org, root.id, number=PLAN, title="Tổ chức sinh hoạt chi bộ mẫu năm 2025"
        )  # type: ignore[arg-type]
        await requirements.create_requirement(
            ctx,
            org,
            plan.id,  # type: ignore[arg-type]
            RequirementKind.REPORT_SESSIONS,
            "31/3/2025",
            description="Mỗi đảng bộ cơ sở báo cáo 1 buổi thường kỳ và 1 buổi chuyên đề",
            target_unit_ids=[made["ga"].id, made["gb"].id],  # type: ignore[list-item]
            quota={SessionKind.THUONG_KY: 1, SessionKind.CHUYEN_DE: 1},
        )
        await plans.issue_plan(ctx, org, plan.id)  # type: ignore[arg-type]
        if second_plan:
            other = await plans.create_plan(
                ctx, org, root.id, number="90-KH/ĐU", title="Hội thảo chuyên đề"
            )  # type: ignore[arg-type]
            await plans.issue_plan(ctx, org, other.id)  # type: ignore[arg-type]
        await session.commit()
        return World(
            plan.id,  # type: ignore[arg-type]
            {k: v.id for k, v in people.items()},  # type: ignore[misc]
            {k: v.id for k, v in made.items()},  # type: ignore[misc]
        )


async def add_session(
    bot: BotHarness,
    clock: FrozenClock,
    actor_id: int,
    host_id: int,
    kind: SessionKind,
    when: Any,
    **kwargs: Any,
) -> int:
    """A session reported through the service (for tests that start from one)."""
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        actor = await session.get(Person, actor_id)
        assert actor is not None
        plan_id = (await sessions.plans_person_can_report_in(ctx, actor))[-1].id
        outcome = await sessions.create_session(
            ctx,
            actor,
            plan_id,
            host_id,
            kind,
            when,
            **kwargs,  # type: ignore[arg-type]
        )
        await session.commit()
        return outcome.value.id  # type: ignore[return-value]


async def snapshot(bot: BotHarness) -> dict[str, list[tuple[Any, ...]]]:
    async with bot.engine.connect() as conn:
        out = {}
        for table in TABLES:
            rows = await conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))
            out[table] = [tuple(r) for r in rows.all()]
        return out


async def session_rows(bot: BotHarness) -> list[dict[str, Any]]:
    async with bot.engine.connect() as conn:
        rows = await conn.execute(text("SELECT * FROM model_session ORDER BY id"))
        return [dict(r._mapping) for r in rows.all()]


def labels(message: SentMessage) -> list[str]:
    return [label for label, _ in message.buttons]


def utc(value: Any) -> datetime:
    """A timestamp as read back from either database."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def to_summary(
    user: HarnessUser, kind: str, when: str, *, topic: str | None = None
) -> list[SentMessage]:
    """From the kind question to the summary card (120 minutes, venue as the address)."""
    await user.press(kind)
    if topic is not None:
        await user.send(topic)
    assert "Thời gian:" in texts(await user.send(when))
    await user.press("120 phút")
    await user.send("Hội trường Đảng ủy phường")
    return await user.press("Như địa điểm")


def summary_time(replies: list[SentMessage]) -> str:
    line = next(ln for ln in texts(replies).splitlines() if ln.startswith("Thời gian: "))
    return line.removeprefix("Thời gian: ")


async def change_time(user: HarnessUser, typed: str) -> str:
    """✏️ Sửa → Ngày giờ → typed: the time the summary then shows."""
    await user.press("✏️ Sửa")
    await user.press("Ngày giờ")
    replies = await user.send(typed)
    assert SUMMARY in texts(replies), texts(replies)
    return summary_time(replies)


# --------------------------------------------------------------------------- the happy path


async def test_secretary_reports_both_sessions_in_every_date_form(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await build(bot, clock)
    before = await snapshot(bot)
    sec = bot.user(SEC, "An")
    await sec.send("/trogiup")
    assert {"📝 Đăng ký lịch", "📅 Lịch sinh hoạt"} <= set(sec.menu())
    # One plan and one unit: the first question is the kind.
    asked = await sec.send("/dangky")
    assert only_text(asked) == f"Kế hoạch {PLAN}, “{CELL}”.\nBuổi sinh hoạt theo hình thức nào?"
    assert labels(asked[0]) == KIND_BUTTONS
    assert ASK_WHEN in only_text(await sec.press("Sinh hoạt thường kỳ"))
    timed = only_text(await sec.send("28/3/2025 8h"))
    assert timed.startswith(f"Thời gian: {MARCH_28_8H}.\n{ASK_DURATION}")
    assert labels(sec.last) == ["90 phút", "120 phút", "150 phút", "180 phút", "✖ Hủy"]
    assert ASK_VENUE in only_text(await sec.press("120 phút"))
    assert ASK_ADDRESS in only_text(await sec.send("Hội trường Đảng ủy phường"))
    summary = only_text(await sec.press("Như địa điểm"))
    assert summary == "\n".join(
        [
            SUMMARY,
            f"Kế hoạch: {PLAN}",
            "Hình thức: Sinh hoạt thường kỳ",
            f"Đơn vị tổ chức: {CELL}",
            f"Thời gian: {MARCH_28_8H}",
            "Thời lượng: 120 phút",
            "Địa điểm: Hội trường Đảng ủy phường",
            "Địa chỉ: Hội trường Đảng ủy phường",
        ]
    )
    assert labels(sec.last) == ["✅ Xác nhận", "✏️ Sửa", "✖ Hủy"]
    # Every accepted form of a date, changed from the summary and shown back.
    assert await change_time(sec, "8h30 28/3") == "08 giờ 30, thứ Sáu, ngày 28 tháng 3 năm 2025"
    assert await change_time(sec, "ngày mai 7h30") == "07 giờ 30, thứ Ba, ngày 7 tháng 1 năm 2025"
    assert await change_time(sec, "08 giờ 00 ngày 28 tháng 3 năm 2025") == MARCH_28_8H
    # The edit menu: only what can change; plan and unit have one choice each.
    await sec.press("✏️ Sửa")
    assert labels(sec.last) == [
        "Hình thức",
        "Ngày giờ",
        "Thời lượng",
        "Địa điểm",
        "Địa chỉ",
        "↩ Quay lại bản tóm tắt",
        "✖ Hủy",
    ]
    await sec.press("Thời lượng")
    assert "Thời lượng: 90 phút" in texts(await sec.press("90 phút"))
    await sec.press("✏️ Sửa")
    await sec.press("Địa chỉ")
    assert "↩ Giữ như cũ" in labels(sec.last)
    assert "Địa chỉ: Số 5 Lê Lợi" in texts(await sec.send("Số 5 Lê Lợi"))
    assert await snapshot(bot) == before  # nothing is written before ✅
    saved = only_text(await sec.press("✅ Xác nhận"))
    assert saved.startswith(f"Đã lưu: Sinh hoạt thường kỳ của “{CELL}”, {MARCH_28_8H}.")
    assert labels(sec.last) == ["📋 Xem buổi sinh hoạt"]
    (row,) = await session_rows(bot)
    assert (row["kind"], row["status"], row["duration_minutes"]) == ("thuong_ky", "scheduled", 90)
    assert utc(row["starts_at"]) == datetime(2025, 3, 28, 1, 0, tzinfo=UTC)
    assert (row["venue"], row["address"]) == ("Hội trường Đảng ủy phường", "Số 5 Lê Lợi")
    await bot.drain()
    new = (
        f"Buổi sinh hoạt mẫu mới của Kế hoạch {PLAN}: sinh hoạt thường kỳ của “{CELL}”, "
        f"{MARCH_28_8H}."
    )
    assert bot.stub.messages_to(MEM)[-1].text == new
    assert bot.stub.messages_to(ORG)[-1].text == new
    assert all(m.text != new for m in sec.messages)

    # The second: a thematic session; a weekday that does not match the date is refused.
    await sec.send("📝 Đăng ký lịch")
    asked = only_text(await sec.press("Sinh hoạt chuyên đề"))
    assert asked.startswith("Xin gõ tên chuyên đề")
    assert ASK_WHEN in only_text(await sec.send("Học tập và làm theo tư tưởng Hồ Chí Minh"))
    wrong_day = only_text(await sec.send("thứ năm 28/3 lúc 14 giờ"))
    assert wrong_day.startswith("Ngày giờ này có chỗ chưa khớp (chẳng hạn thứ trong tuần")
    assert "Ví dụ: 28/3 8h; 8h30 ngày mai; dự kiến tháng 5" in wrong_day
    assert "14 giờ 00, thứ Sáu, ngày 28 tháng 3 năm 2025" in only_text(
        await sec.send("thứ sáu 28/3 lúc 14 giờ")
    )
    await sec.press("150 phút")
    await sec.send("Nhà văn hóa khu phố")
    summary = texts(await sec.send("Số 2 Trần Phú"))
    assert "Chuyên đề: Học tập và làm theo tư tưởng Hồ Chí Minh" in summary
    assert await change_time(sec, "tháng 3/2025") == "dự kiến tháng 3/2025"
    saved = texts(await sec.press("✅ Xác nhận"))
    assert saved.startswith(f"Đã lưu: Sinh hoạt chuyên đề của “{CELL}”, dự kiến tháng 3/2025.")
    second = (await session_rows(bot))[1]
    assert (second["status"], second["tentative_year"], second["tentative_month"]) == (
        "tentative",
        2025,
        3,
    )
    assert second["starts_at"] is None
    assert second["topic"] == "Học tập và làm theo tư tưởng Hồ Chí Minh"
    await bot.drain()
    told = texts(bot.stub.messages_to(ORG)[-2:])
    assert f"“{GRASSROOTS}” đã hoàn thành yêu cầu của Kế hoạch {PLAN}" in told

    # A third breaks the quota: refused at once, with what is (not) missing.
    before = await snapshot(bot)
    await sec.send("/dangky")
    refused = only_text(await sec.press("Sinh hoạt thường kỳ"))
    assert refused.startswith(
        f"“{GRASSROOTS}” đã đăng ký đủ 1 buổi sinh hoạt thường kỳ theo Kế hoạch {PLAN} "
        "và không còn thiếu buổi nào."
    )
    assert labels(sec.last) == KIND_BUTTONS  # another kind may be chosen, or ✖
    assert "không còn thiếu" in only_text(await sec.press("Sinh hoạt chuyên đề"))
    assert only_text(await sec.press("✖ Hủy")) == "Đã dừng. Không có gì thay đổi."
    assert await snapshot(bot) == before


async def test_quota_reached_while_the_form_was_open(bot: BotHarness, clock: FrozenClock) -> None:
    """The quota is checked again on ✅: a clear refusal, nothing saved, the flow ends."""
    world = await build(bot, clock)
    sec = bot.user(SEC, "An")
    await sec.send("/dangky")
    await to_summary(sec, "Sinh hoạt thường kỳ", "28/3 8h")
    await add_session(
        bot, clock, world.people["org"], world.units["a2"], SessionKind.THUONG_KY, "27/3 8h"
    )
    before = await snapshot(bot)
    refused = only_text(await sec.press("✅ Xác nhận"))
    assert refused.startswith(f"“{GRASSROOTS}” đã đăng ký đủ 1 buổi sinh hoạt thường kỳ")
    assert "Còn thiếu: 1 buổi sinh hoạt chuyên đề." in refused
    assert await snapshot(bot) == before
    assert "chưa hiểu" in only_text(await sec.send("Hội trường"))


async def test_time_passed_before_confirming_can_be_corrected(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await build(bot, clock)
    sec = bot.user(SEC, "An")
    await sec.send("/dangky")
    await to_summary(sec, "Sinh hoạt thường kỳ", "hôm nay 10h")
    clock.set(datetime(2025, 1, 6, 4, 0, tzinfo=UTC))  # 11:00: the time has passed
    refused = texts(await sec.press("✅ Xác nhận"))
    assert refused.startswith("Thời điểm này đã qua.")
    assert "Xin bấm ✏️ Sửa để sửa lại." in refused
    assert SUMMARY in refused
    assert await session_rows(bot) == []
    assert await change_time(sec, "ngày mai 8h") == "08 giờ 00, thứ Ba, ngày 7 tháng 1 năm 2025"
    assert "Đã lưu" in texts(await sec.press("✅ Xác nhận"))
    assert len(await session_rows(bot)) == 1


async def test_organiser_picks_plan_and_unit_and_changes_them(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await build(bot, clock, second_plan=True)
    org = bot.user(ORG, "Tổ")
    asked = await org.send("/dangky")
    assert only_text(asked) == "Buổi sinh hoạt thuộc kế hoạch nào?"
    assert labels(asked[0]) == [
        "90-KH/ĐU — Hội thảo chuyên đề",
        f"{PLAN} — Tổ chức sinh hoạt chi bộ mẫu năm 2025",
        "✖ Hủy",
    ]
    hosts = await org.press(f"{PLAN} — Tổ chức sinh hoạt chi bộ mẫu năm 2025")
    assert only_text(hosts) == "Đơn vị nào tổ chức buổi sinh hoạt?"
    # The committees are among the hosts (a workshop of theirs; issue 14).
    assert labels(hosts[0]) == [
        CELL,
        "Chi bộ Khu phố 2",
        "Chi bộ Khu phố 3",
        GRASSROOTS,
        "Đảng bộ Phường 2",
        "Đảng ủy",
        "✖ Hủy",
    ]
    kinds = await org.press("Chi bộ Khu phố 3")
    assert only_text(kinds).startswith(f"Kế hoạch {PLAN}, “Chi bộ Khu phố 3”.")
    await to_summary(org, "Sinh hoạt thường kỳ", "30/1 8h")
    await org.press("✏️ Sửa")
    assert labels(org.last)[:3] == ["Kế hoạch", "Đơn vị tổ chức", "Hình thức"]
    await org.press("Đơn vị tổ chức")
    assert "↩ Giữ như cũ" in labels(org.last)
    changed = texts(await org.press("Chi bộ Khu phố 2"))
    assert "Đơn vị tổ chức: Chi bộ Khu phố 2" in changed
    # Keep as it was: the plan stays.
    await org.press("✏️ Sửa")
    await org.press("Kế hoạch")
    assert f"Kế hoạch: {PLAN}" in texts(await org.press("↩ Giữ như cũ"))
    assert "Đã lưu: Sinh hoạt thường kỳ của “Chi bộ Khu phố 2”" in texts(
        await org.press("✅ Xác nhận")
    )


async def test_a_long_list_of_units_has_pages(bot: BotHarness, clock: FrozenClock) -> None:
    await build(bot, clock, extra_cells=8)
    org = bot.user(ORG, "Tổ")
    picker = (await org.send("/dangky"))[0]
    assert labels(picker)[:3] == [CELL, "Chi bộ Khu phố 2", "Chi bộ Khu phố 3"]
    assert labels(picker)[8:] == ["1/2", "▶", "✖ Hủy"]
    assert await org.press("1/2", picker) == []  # the same page: nothing changes
    assert await org.press("▶", picker) == []  # the same message turns to page 2
    assert labels(picker) == [  # the committees too (issue 14)
        "Chi bộ Tổ 06",
        "Chi bộ Tổ 07",
        "Chi bộ Tổ 08",
        GRASSROOTS,
        "Đảng bộ Phường 2",
        "Đảng ủy",
        "◀",
        "2/2",
        "✖ Hủy",
    ]
    kinds = only_text(await org.press("Chi bộ Tổ 08", picker))
    assert kinds.startswith(f"Kế hoạch {PLAN}, “Chi bộ Tổ 08”.")


async def test_members_cannot_report(bot: BotHarness, clock: FrozenClock) -> None:
    await build(bot, clock)
    mem = bot.user(MEM, "Cường")
    refused = only_text(await mem.send("/dangky"))
    assert refused.startswith("Chỉ bí thư, phó bí thư chi bộ và Ban Tổ chức")
    await mem.send("/trogiup")
    assert "📅 Lịch sinh hoạt" in mem.menu()
    assert "📝 Đăng ký lịch" not in mem.menu()
    # A secretary's button data, forged, is stale for them.
    sec = bot.user(SEC, "An")
    await sec.send("/dangky")
    data = sec.last.callback_data_for("Sinh hoạt thường kỳ")
    assert only_text(await mem.press_data(mem.last, data)) == STALE
    assert await session_rows(bot) == []


# --------------------------------------------------------------------------- bad input


# Each step: how to reach it from the kind question, and what a wrong answer gets.
STEPS: list[tuple[str, list[tuple[str, str]], dict[str, str]]] = [
    ("kind", [], {"text": BUTTONS_PLEASE}),
    (
        "topic",
        [("press", "Sinh hoạt chuyên đề")],
        {
            "empty": "Buổi sinh hoạt chuyên đề cần có tên chuyên đề.",
            "long": "chuyên đề quá dài (5004 ký tự)",
            "emoji": "Xin gõ chuyên đề bằng chữ.",
        },
    ),
    (
        "when",
        [("press", "Sinh hoạt thường kỳ")],
        {
            "empty": "Tôi chưa đọc được ngày này. Xin gõ theo mẫu: 28/3 lúc 8h.",
            "long": "Nội dung quá dài so với một ngày tháng.",
            "emoji": "Tôi chưa đọc được ngày này.",
        },
    ),
    ("duration", [("press", "Sinh hoạt thường kỳ"), ("send", "28/3 8h")], {"text": BUTTONS_PLEASE}),
    (
        "venue",
        [("press", "Sinh hoạt thường kỳ"), ("send", "28/3 8h"), ("press", "120 phút")],
        {
            "empty": "Xin gõ địa điểm bằng chữ.",
            "long": "địa điểm quá dài (5004 ký tự)",
            "emoji": "Xin gõ địa điểm bằng chữ.",
        },
    ),
    (
        "address",
        [
            ("press", "Sinh hoạt thường kỳ"),
            ("send", "28/3 8h"),
            ("press", "120 phút"),
            ("send", "Hội trường"),
        ],
        {
            "empty": "Xin gõ địa chỉ bằng chữ.",
            "long": "địa chỉ quá dài (5004 ký tự)",
            "emoji": "Xin gõ địa chỉ bằng chữ.",
        },
    ),
    (
        "confirm",
        [
            ("press", "Sinh hoạt thường kỳ"),
            ("send", "28/3 8h"),
            ("press", "120 phút"),
            ("send", "Hội trường"),
            ("press", "Như địa điểm"),
        ],
        {"text": BUTTONS_PLEASE},
    ),
    (
        "edit",
        [
            ("press", "Sinh hoạt thường kỳ"),
            ("send", "28/3 8h"),
            ("press", "120 phút"),
            ("send", "Hội trường"),
            ("press", "Như địa điểm"),
            ("press", "✏️ Sửa"),
        ],
        {"text": BUTTONS_PLEASE},
    ),
]
GARBAGE = {"empty": "\u200b", "long": LONG, "emoji": "😀🎉"}


async def _reach(user: HarnessUser, path: list[tuple[str, str]]) -> tuple[SentMessage, str]:
    """/dangky, then the path; returns the message asking the step's question and the data of
    this run's first kind button (pressed again later: a button of an earlier question)."""
    await user.send("/dangky")
    kind_data = user.last.buttons[0][1] or ""
    for how, value in path:
        if how == "press":
            await user.press(value)
        else:
            await user.send(value)
    return user.last, kind_data


async def test_bad_input_at_every_step_changes_nothing(bot: BotHarness, clock: FrozenClock) -> None:
    await build(bot, clock)
    sec = bot.user(SEC, "An")
    # A button of an earlier run (stopped with ✖).
    await sec.send("/dangky")
    old_run = sec.last
    old_kind = old_run.callback_data_for("Sinh hoạt thường kỳ")
    await sec.press("✖ Hủy")
    before = await snapshot(bot)
    for step, path, expected in STEPS:
        question, kind_data = await _reach(sec, path)
        asked = (question.text or "").splitlines()[-1]
        for name, typed in GARBAGE.items():
            reply = only_text(await sec.send(typed))
            want = expected.get(name) or expected["text"]
            assert want in reply, (step, name, reply)
            if want == BUTTONS_PLEASE:
                assert asked in reply  # and the question again, with its buttons
        for send in (
            lambda: sec.send_document("bien_ban.pdf", b"%PDF-1.4", "application/pdf"),
            lambda: sec._run(lambda: sec.h.stub.send_photo(sec.user, b"\xff\xd8jpeg")),
        ):
            reply = only_text(await send())
            assert reply == TEXT_PLEASE or reply.startswith(BUTTONS_PLEASE), (step, reply)
        # A button of the earlier run, and one of an earlier question of this run.
        reply = only_text(await sec.press_data(old_run, old_kind))
        assert reply.startswith(EARLIER) and asked in reply, (step, reply)
        if step != "kind":
            reply = only_text(await sec.press_data(question, kind_data))
            assert reply.startswith(EARLIER) and asked in reply, (step, reply)
        assert await snapshot(bot) == before, step
    # After all that the last step still works: a field can be changed.
    await sec.press("Địa điểm")
    assert "Địa điểm: Phòng họp 2" in texts(await sec.send("Phòng họp 2"))
    assert await snapshot(bot) == before


@pytest.mark.parametrize("step", ["kind", "when", "duration", "address", "confirm"])
async def test_a_command_mid_flow_ends_it_and_changes_nothing(
    bot: BotHarness, clock: FrozenClock, step: str
) -> None:
    await build(bot, clock)
    sec = bot.user(SEC, "An")
    path = next(p for s, p, _ in STEPS if s == step)
    question, kind_data = await _reach(sec, path)
    before = await snapshot(bot)
    assert only_text(await sec.send("/ngonngu")) == "Chọn ngôn ngữ:"
    # The flow is over: its buttons are stale, and text is no answer.
    data = question.buttons[0][1] or kind_data
    assert only_text(await sec.press_data(question, data)) == STALE
    assert "chưa hiểu" in only_text(await sec.send("Hội trường"))
    assert await snapshot(bot) == before


async def test_huy_and_starting_again(bot: BotHarness, clock: FrozenClock) -> None:
    await build(bot, clock)
    sec = bot.user(SEC, "An")
    await sec.send("/dangky")
    await sec.press("Sinh hoạt thường kỳ")
    assert only_text(await sec.send("/huy")) == "Đã dừng. Không có gì thay đổi."
    assert "chưa hiểu" in only_text(await sec.send("28/3 8h"))
    # /dangky mid-flow starts afresh: the earlier answers are gone.
    await sec.send("/dangky")
    await sec.press("Sinh hoạt chuyên đề")
    restarted = only_text(await sec.send("📝 Đăng ký lịch"))
    assert restarted.endswith("Buổi sinh hoạt theo hình thức nào?")
    assert await session_rows(bot) == []
