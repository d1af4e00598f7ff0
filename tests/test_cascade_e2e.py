"""End to end (issue 14): a district plan cascades to two đảng ủy cơ sở. Issuing it tells each
unit what it must deliver, with a button that starts it; one đảng ủy's secretary reports both
of its chi bộ's sessions by chat and the requirement is met; the other is chased with the same
button and reports late; a committee hosts its own workshop; nothing goes out for a draft;
roles read with the unit's kind."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import select

from core.clock import FrozenClock
from playground.harness import BotHarness, HarnessUser
from playground.stub_models import SentMessage
from services import requirements, roles, sessions
from services.context import Ctx
from storage.models import (
    ModelSession,
    RequirementKind,
    Role,
    SessionKind,
    TargetStatus,
)
from storage.outbox import Notification
from tests.e2e_steps import admin_with_cell, join, make_link, only_text, texts
from tests.test_plans_e2e import A1, A2, B1, ORG_ROOT, ROOT, SEC_A1, labels, open_plan, with_ctx
from tests.test_plans_service import Org, _person, at, build_org, new_plan

GA, GB = "Đảng bộ Trường A", "Đảng bộ Bệnh viện B"
SEC_GA, SEC_GB = 60, 61
PLAN = "82-KH/ĐU"
TITLE = "Tổ chức sinh hoạt chi bộ mẫu năm 2025"
REPORT = "📝 Báo cáo buổi sinh hoạt"
HOSTS_Q = "Đơn vị nào tổ chức buổi sinh hoạt?"
DEMAND = "Báo cáo buổi sinh hoạt mẫu: 1 thường kỳ + 1 chuyên đề"
TOPIC = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"


async def _cascade(bot: BotHarness) -> tuple[Org, int]:
    """The service tests' tree, a secretary for each đảng bộ cơ sở, and a draft plan that asks
    each đảng bộ cơ sở for one regular and one thematic session by 20/2."""

    async def build(ctx: Ctx) -> tuple[Org, int]:
        org = await build_org(ctx)
        for tid, name, unit in ((SEC_GA, "Lý Văn Hải", org.ga), (SEC_GB, "Mai Thị Hoa", org.gb)):
            person = await _person(ctx, tid, name)
            await roles.add_membership(ctx, person, unit.id, Role.SECRETARY)  # type: ignore[arg-type]
        plan = await new_plan(ctx, org, issue=False)
        await requirements.create_requirement(
            ctx,
            org.org_root,
            plan.id,  # type: ignore[arg-type]
            RequirementKind.REPORT_SESSIONS,
            date(2025, 2, 20),
            description=DEMAND,
            target_unit_ids=[org.ga.id, org.gb.id],  # type: ignore[list-item]
            quota={SessionKind.THUONG_KY: 1, SessionKind.CHUYEN_DE: 1},
        )
        return org, plan.id  # type: ignore[return-value]

    return await with_ctx(bot, build)  # type: ignore[no-any-return]


async def _issue(bot: BotHarness) -> None:
    to = bot.user(ORG_ROOT, "Tổ")
    card = await open_plan(to, PLAN)
    await to.press("Ban hành", card)
    await to.press("✅ Ban hành")
    await bot.drain()


async def _report(
    user: HarnessUser, asked: list[SentMessage], host: str, kind: str, when: str, **kw: Any
) -> str:
    """From the host question to ✅: what the bot answers on saving."""
    assert only_text(asked).endswith(HOSTS_Q), texts(asked)
    await user.press(host, asked[-1])
    await user.press(kind)
    if kw.get("topic"):
        await user.send(kw["topic"])
    assert "Thời gian:" in texts(await user.send(when))
    await user.press("120 phút")
    await user.send("Hội trường Đảng ủy")
    await user.press("Như địa điểm")
    return texts(await user.press("✅ Xác nhận"))


async def _target_status(bot: BotHarness, org: Org, plan_id: int) -> dict[str, tuple[str, bool]]:
    async def read(ctx: Ctx) -> dict[str, tuple[str, bool]]:
        rows = await requirements.progress(ctx, org.org_root, plan_id)
        return {r.unit_name: (r.status.value, r.submitted_late) for r in rows}

    return await with_ctx(bot, read)  # type: ignore[no-any-return]


async def test_a_district_plan_cascades_to_two_dang_uy(bot: BotHarness, clock: FrozenClock) -> None:
    org, plan_id = await _cascade(bot)
    await _issue(bot)

    # At issue each đảng ủy's secretary learns what the unit must deliver, with the button.
    told = bot.stub.messages_to(SEC_GA)[-1]
    assert told.text == (
        f"{ROOT} đã ban hành kế hoạch {PLAN} “{TITLE}”. “{GA}” cần thực hiện: {DEMAND}. "
        "Hạn: hết thứ Năm, ngày 20 tháng 2 năm 2025."
    )
    assert told.buttons == [(REPORT, f"do:rep:{plan_id}:{org.ga.id}")]
    assert bot.stub.messages_to(SEC_GB)[-1].buttons == [(REPORT, f"do:rep:{plan_id}:{org.gb.id}")]

    # Đảng bộ A's secretary reports its two chi bộ's sessions: asked which chi bộ each time.
    sec_a = bot.user(SEC_GA, "Hải")
    asked = await sec_a.press(REPORT, told)
    assert labels(asked[-1]) == [A1, A2, GA, "✖ Hủy"]  # the đảng ủy itself: a workshop
    saved = await _report(sec_a, asked, A1, "Sinh hoạt thường kỳ", "10/3 8h")
    assert f"Đã lưu: Sinh hoạt thường kỳ của “{A1}”" in saved
    asked = await sec_a.send("/dangky")  # the only plan is chosen alone; the host is asked
    assert labels(asked[-1]) == [A1, A2, GA, "✖ Hủy"]
    saved = await _report(sec_a, asked, A2, "Sinh hoạt chuyên đề", "12/3 8h", topic=TOPIC)
    assert f"Đã lưu: Sinh hoạt chuyên đề của “{A2}”" in saved
    status = await _target_status(bot, org, plan_id)
    assert status[GA] == (TargetStatus.SUBMITTED.value, False)  # met, on time
    assert status[GB] == (TargetStatus.PENDING.value, False)

    # Đảng bộ B is chased (3 days before) with the button that opens the report flow ...
    heard_a = len(bot.stub.messages_to(SEC_GA))
    clock.set(at(17, 2, 8))
    await bot.drain()
    chaser = bot.stub.messages_to(SEC_GB)[-1]
    assert GB in (chaser.text or "") and chaser.buttons == [
        (REPORT, f"do:rep:{plan_id}:{org.gb.id}")
    ]
    assert len(bot.stub.messages_to(SEC_GA)) == heard_a  # A has delivered: no chaser
    # ... and, after the deadline, told it is overdue, with the same button: it reports late.
    clock.set(at(21, 2, 8) + timedelta(minutes=1))
    await bot.drain()
    overdue = bot.stub.messages_to(SEC_GB)[-1]
    assert (overdue.text or "").startswith("Quá hạn"), overdue.text
    assert overdue.buttons == [(REPORT, f"do:rep:{plan_id}:{org.gb.id}")]
    sec_b = bot.user(SEC_GB, "Hoa")
    asked = await sec_b.press(REPORT, overdue)
    assert labels(asked[-1]) == [B1, GB, "✖ Hủy"]
    assert "Đã lưu" in await _report(sec_b, asked, B1, "Sinh hoạt thường kỳ", "10/3 8h")
    asked = await sec_b.send("/dangky")
    saved = await _report(sec_b, asked, B1, "Sinh hoạt chuyên đề", "12/3 8h", topic=TOPIC)
    assert "Đã lưu" in saved
    status = await _target_status(bot, org, plan_id)
    assert status[GB] == (TargetStatus.SUBMITTED.value, True)  # delivered, late


async def test_a_committee_hosts_its_own_workshop(bot: BotHarness) -> None:
    org, plan_id = await _cascade(bot)
    await _issue(bot)
    to = bot.user(ORG_ROOT, "Tổ")
    asked = await to.send("/dangky")
    assert HOSTS_Q in texts(asked)  # asked, never filled in
    assert ROOT in labels(asked[-1]) and GA in labels(asked[-1]) and A1 in labels(asked[-1])
    await to.press(ROOT, asked[-1])
    assert labels(to.last) == ["Hội thảo", "✖ Hủy"]  # a committee hosts workshops only
    await to.press("Hội thảo")
    assert "Thời gian:" in texts(await to.send("25/3 8h"))
    await to.press("120 phút")
    await to.send("Hội trường Đảng ủy")
    await to.press("Như địa điểm")
    assert f"Đã lưu: Hội thảo của “{ROOT}”" in texts(await to.press("✅ Xác nhận"))

    async def hosted(ctx: Ctx) -> list[tuple[int, str]]:
        found = await ctx.session.exec(select(ModelSession).where(ModelSession.plan_id == plan_id))
        return [(s.host_unit_id, s.kind) for s in found.all()]

    assert await with_ctx(bot, hosted) == [(org.root.id, SessionKind.HOI_THAO.value)]


async def test_nothing_is_sent_for_a_draft_and_issuing_tells_the_host(bot: BotHarness) -> None:
    org, plan_id = await _cascade(bot)

    async def draft_session(ctx: Ctx) -> int:
        outcome = await sessions.create_session(
            ctx, org.org_root, plan_id, org.a1.id, SessionKind.THUONG_KY, at(28, 3)
        )
        await requirements.create_requirement(
            ctx,
            org.org_root,
            plan_id,
            RequirementKind.DOCUMENT,
            "20/2",
            description="Gửi bài tham luận",
            target_unit_ids=[org.b1.id],
        )
        return outcome.value.id  # type: ignore[return-value]

    async def chasers(ctx: Ctx) -> int:
        rows = await ctx.session.exec(select(Notification).where(Notification.kind == "chase"))
        return len(rows.all())

    session_id = await with_ctx(bot, draft_session)
    await bot.drain()
    assert bot.stub.messages_to(SEC_A1) == []  # the host's secretary hears nothing of a draft
    assert await with_ctx(bot, chasers) == 0  # nor is anybody chased for it
    await _issue(bot)
    assert await with_ctx(bot, chasers) > 0  # issued: the deadlines are chased
    host_told = bot.stub.messages_to(SEC_A1)[-1]
    assert host_told.text == (
        f"{ROOT} đã ban hành kế hoạch {PLAN} “{TITLE}”. “{A1}” tổ chức buổi sinh hoạt thường "
        "kỳ, 08 giờ 00, thứ Sáu, ngày 28 tháng 3 năm 2025."
    )
    assert host_told.buttons == [("📋 Xem buổi sinh hoạt", f"ss:{session_id}")]
    # The tham luận asked of Chi bộ Khoa Nội: its button says how to send it.
    sec_b1 = bot.user(org.sec_b1.telegram_id, "Em")  # type: ignore[arg-type]
    notice = bot.stub.messages_to(org.sec_b1.telegram_id)[-1]  # type: ignore[arg-type]
    assert "Gửi bài tham luận" in (notice.text or "")
    answer = only_text(await sec_b1.press("📎 Gửi tài liệu", notice))
    assert answer.startswith(f"Xin đồng chí gửi tệp cho kế hoạch {PLAN} (“{B1}”: Gửi bài tham")


async def test_roles_read_with_the_unit_kind(bot: BotHarness) -> None:
    admin = await admin_with_cell(bot)
    token, made = await make_link(admin, "Đảng bộ cơ sở Phường 1", 1, "bí thư đảng ủy")
    assert "(Bí thư đảng ủy)" in texts(made)
    user = bot.user(70, "Hùng", language_code="vi")
    welcome = texts(await join(user, token, "Trần Văn Hùng", "Bí thư Đảng ủy phường"))
    assert "“Đảng bộ cơ sở Phường 1” với vai trò bí thư đảng ủy" in welcome
    assert "Đảng bộ cơ sở Phường 1: bí thư đảng ủy" in texts(await user.send("/toi"))
    # A chi bộ keeps its wording.
    await admin.send("/moi")
    await admin.press("· · Chi bộ Khu phố 2")
    assert "bí thư chi bộ" in labels(admin.last) and "phó bí thư chi bộ" in labels(admin.last)
