"""Issue 14, item 10, by chat over the stub: a unit created by mistake is deleted (refused with
the reason while something uses it) or merged into the right one (its people, sessions and
requirements move); pickers of more than 8 units find a unit by part of its name."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from core.clock import FrozenClock
from playground.harness import BotHarness
from services import requirements, roles, units
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import (
    Membership,
    ModelSession,
    RequirementKind,
    RequirementTarget,
    Role,
    SessionKind,
    TargetStatus,
    Unit,
)
from tests.e2e_steps import ROOT, add_unit, admin_ready, join, make_link, only_text, tree_label
from tests.test_plans_service import at, build_org, new_plan, new_session
from tests.test_units_e2e import FIND


def _buttons(bot_message: object) -> list[str]:
    return [label for label, _ in bot_message.buttons]  # type: ignore[attr-defined]


async def test_delete_a_unit_nothing_uses_and_refuse_one_in_use(bot: BotHarness) -> None:
    admin = await admin_ready(bot)
    await add_unit(admin, ROOT, 0, "Đảng bộ cơ sở", "Đảng bộ cơ sở Phường 1")
    await add_unit(admin, ROOT, 0, "Chi bộ", "Chi bộ Gõ Nhầm")
    await add_unit(admin, "Đảng bộ cơ sở Phường 1", 1, "Chi bộ", "Chi bộ Khu phố 2")
    token, _ = await make_link(admin, "Chi bộ Khu phố 2", 2, "đảng viên")
    await join(bot.user(5001, "Bình"), token, "Trần Thị Bình", "Đảng viên")

    await admin.send("/donvi")
    picker = await admin.press("🗑 Xóa")
    assert "Đồng chí muốn xóa đơn vị nào?" in only_text(picker)
    assert ROOT not in _buttons(picker[0])  # the top committee is never offered
    refused = only_text(await admin.press(tree_label("Chi bộ Khu phố 2", 2)))
    assert refused.startswith("Chưa thể xóa “Chi bộ Khu phố 2” vì đơn vị đang được dùng")
    assert "1 vai trò của đảng viên" in refused and "gộp" in refused

    await admin.send("/donvi")
    await admin.press("🗑 Xóa")
    asked = only_text(await admin.press(tree_label("Chi bộ Gõ Nhầm", 1)))
    assert asked == "Xóa “Chi bộ Gõ Nhầm”? Việc này không hoàn tác được."
    done = await admin.press("🗑 Xóa")
    assert done[0].text == "Đã xóa “Chi bộ Gõ Nhầm”."
    assert "Gõ Nhầm" not in (done[1].text or "")
    async with make_session_factory(bot.engine)() as session:
        names = [u.name for u in (await session.exec(select(Unit))).all()]
    assert "Chi bộ Gõ Nhầm" not in names and "Chi bộ Khu phố 2" in names


async def test_merge_moves_people_sessions_and_requirements(
    bot: BotHarness, clock: FrozenClock
) -> None:
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        org = await build_org(ctx)
        # A duplicate of Chi bộ Khoa Toán, created by mistake, with a session and a target.
        dup = await units.create_unit(ctx, org.org_root, org.ga.id, "Chi bộ Toán (trùng)", "cell")  # type: ignore[arg-type]
        await roles.add_membership(ctx, org.sec_a2, dup.id, Role.SECRETARY)  # type: ignore[arg-type]
        dup_grassroots = await units.create_unit(
            ctx,
            org.org_root,
            org.root.id,
            "Đảng bộ Trường A (trùng)",
            "grassroots",  # type: ignore[arg-type]
        )
        await units.create_unit(ctx, org.org_root, dup_grassroots.id, "Chi bộ Khoa Lý", "cell")  # type: ignore[arg-type]
        await roles.add_membership(ctx, org.sec_a1, dup.id, Role.SECRETARY)  # type: ignore[arg-type]
        plan = await new_plan(ctx, org)
        await requirements.create_requirement(
            ctx,
            org.org_root,
            plan.id,  # type: ignore[arg-type]
            RequirementKind.REPORT_SESSIONS,
            date(2025, 2, 20),
            description="Báo cáo lịch",
            target_unit_ids=[org.a1.id, dup.id],  # type: ignore[list-item]
            quota={SessionKind.THUONG_KY: 1},
        )
        await new_session(ctx, org.sec_a1, plan, dup, at(10, 3, 8))
        await session.commit()
        dup_id, a1_id = dup.id, org.a1.id
    organiser = bot.user(org.org_root.telegram_id or 0, "Tổ")
    await organiser.send("/donvi")
    await organiser.press("🔀 Gộp")
    asked = only_text(await organiser.press(tree_label("Chi bộ Toán (trùng)", 2)))
    assert asked.startswith("Gộp vào đơn vị nào?")
    offered = _buttons(organiser.last)
    assert tree_label("Chi bộ Khoa Toán", 2) in offered
    assert tree_label("Đảng bộ Trường A", 1) not in offered  # only units of the same kind
    confirm = only_text(await organiser.press(tree_label("Chi bộ Khoa Toán", 2)))
    assert confirm.startswith("Gộp “Chi bộ Toán (trùng)” vào “Chi bộ Khoa Toán”?")
    done = await organiser.press("🔀 Gộp")
    assert done[0].text == "Đã gộp “Chi bộ Toán (trùng)” vào “Chi bộ Khoa Toán”."
    async with make_session_factory(bot.engine)() as session:
        assert await session.get(Unit, dup_id) is None
        hosts = {s.host_unit_id for s in (await session.exec(select(ModelSession))).all()}
        assert hosts == {a1_id}
        secretaries = (
            await session.exec(
                select(Membership.person_id).where(
                    Membership.unit_id == a1_id, Membership.role == Role.SECRETARY.value
                )
            )
        ).all()
        assert sorted(secretaries) == sorted([org.sec_a1.id, org.sec_a2.id])  # once each
        targets = (
            await session.exec(select(RequirementTarget).where(RequirementTarget.unit_id == a1_id))
        ).all()
        assert len(targets) == 1 and targets[0].status == TargetStatus.SUBMITTED


async def test_a_long_picker_finds_a_unit_by_part_of_its_name(bot: BotHarness) -> None:
    admin = await admin_ready(bot)
    for n in range(1, 10):
        await add_unit(admin, ROOT, 0, "Chi bộ", f"Chi bộ Tổ dân phố {n}")
    await add_unit(admin, ROOT, 0, "Chi bộ", "Chi bộ Trường Tiểu học Đống Đa")
    await admin.send("/donvi")
    picker = (await admin.press("✏️ Đổi tên"))[0]
    assert FIND in _buttons(picker)
    asked = only_text(await admin.press(FIND, picker))
    assert asked.startswith("Xin gõ một phần tên đơn vị")
    nothing = only_text(await admin.send("bệnh viện"))
    assert nothing.startswith("Không có đơn vị nào có “bệnh viện” trong tên.")
    found = await admin.send("dong da")  # without diacritics, any case
    assert _buttons(found[0]) == [tree_label("Chi bộ Trường Tiểu học Đống Đa", 1), "✖ Hủy"]
    asked = only_text(await admin.press(tree_label("Chi bộ Trường Tiểu học Đống Đa", 1)))
    assert "Xin gõ tên mới" in asked or "tên mới" in asked
    done = await admin.send("Chi bộ Trường Tiểu học Đống Đa 2")
    assert done[0].text == "Đã đổi tên thành “Chi bộ Trường Tiểu học Đống Đa 2”."


async def test_a_short_picker_offers_no_search(bot: BotHarness) -> None:
    admin = await admin_ready(bot)
    await add_unit(admin, ROOT, 0, "Chi bộ", "Chi bộ Tổ 1")
    await admin.send("/donvi")
    picker = (await admin.press("✏️ Đổi tên"))[0]
    assert FIND not in _buttons(picker)


async def test_merging_moves_the_units_under_it(bot: BotHarness, clock: FrozenClock) -> None:
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        org = await build_org(ctx)
        dup = await units.create_unit(
            ctx,
            org.org_root,
            org.root.id,
            "Đảng bộ Trường A (trùng)",
            "grassroots",  # type: ignore[arg-type]
        )
        await units.create_unit(ctx, org.org_root, dup.id, "Chi bộ Khoa Lý", "cell")  # type: ignore[arg-type]
        await session.commit()
    organiser = bot.user(org.org_root.telegram_id or 0, "Tổ")
    await organiser.send("/donvi")
    await organiser.press("🔀 Gộp")
    await organiser.press(tree_label("Đảng bộ Trường A (trùng)", 1))
    await organiser.press(tree_label("Đảng bộ Trường A", 1))
    done = await organiser.press("🔀 Gộp")
    tree = done[1].text or ""
    assert "trùng" not in tree
    below_a = tree.split("Đảng bộ Trường A")[1].split("Đảng bộ Bệnh viện B")[0]
    assert "Chi bộ Khoa Lý" in below_a, tree


async def test_the_invite_picker_finds_a_unit_by_part_of_its_name(bot: BotHarness) -> None:
    admin = await admin_ready(bot)
    for n in range(1, 10):
        await add_unit(admin, ROOT, 0, "Chi bộ", f"Chi bộ Tổ dân phố {n}")
    await add_unit(admin, ROOT, 0, "Chi bộ", "Chi bộ Trường Tiểu học Đống Đa")
    picker = (await admin.send("/moi"))[0]
    assert FIND in _buttons(picker)
    await admin.press(FIND, picker)
    found = await admin.send("Đống")
    assert _buttons(found[0]) == [tree_label("Chi bộ Trường Tiểu học Đống Đa", 1), "✖ Hủy"]
    roles_asked = only_text(await admin.press(tree_label("Chi bộ Trường Tiểu học Đống Đa", 1)))
    assert "Chi bộ Trường Tiểu học Đống Đa" in roles_asked
