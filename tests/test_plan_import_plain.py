"""Importing a plan with text replies alone (the plain renderer: numbered choices, no buttons,
no edits, no files — what Zalo gets): the file, the draft card, a host picked on the second
page of the tree, another found by typing part of its name, and the plan created."""

from __future__ import annotations

from datetime import UTC, datetime

from core.clock import FrozenClock
from handlers.plan_import.typed import unit_named
from playground.harness import BotHarness
from services import people, units
from services.context import Ctx
from services.units import TreeRow
from storage.models import Unit, UnitKind
from tests.conftest import ADMIN_ID
from tests.test_plain_channel import admin_ready, assert_plain, plain_bot, rows
from tests.test_plan_import_card_e2e import CASCADE_PLAN, IMPORT
from tests.test_plans_e2e import with_ctx

__all__ = ["plain_bot"]
CELLS = [f"Chi bộ Khu {n}" for n in range(1, 10)]  # with the root: two pages of the picker


async def add_cells(ctx: Ctx) -> None:
    admin = await people.ensure_person(ctx, ADMIN_ID)
    root = (await units.managed_tree(ctx, admin))[0].unit  # type: ignore[arg-type]
    for name in CELLS:
        await units.create_unit(ctx, admin, root.id, name, UnitKind.CELL)  # type: ignore[arg-type]


async def test_a_plan_is_imported_and_its_hosts_fixed_by_numbers(
    plain_bot: BotHarness, clock: FrozenClock
) -> None:
    clock.set(datetime(2025, 1, 2, 2, 0, tzinfo=UTC))
    admin = await admin_ready(plain_bot)
    await with_ctx(plain_bot, add_cells)
    offered = await admin.send_document("ke-hoach-9.txt", CASCADE_PLAN.encode())
    assert f". {IMPORT}" in (offered[-1].text or "")
    card = (await admin.choose(IMPORT))[-1].text or ""
    assert "Chi bộ Tổ 1 (Đảng bộ Phường Mới) (đơn vị mới)" in card
    # Session 1 is hosted by a unit the tree has: it is on the picker's second page.
    await admin.choose("✏️ Sửa buổi 1")
    picker = (await admin.choose("🏛 Đơn vị thực hiện"))[-1].text or ""
    assert "1/2" in picker and CELLS[-1] not in picker
    page = (await admin.choose("▶"))[-1].text or ""
    assert "2/2" in page and CELLS[-1] in page
    menu = (await admin.choose("· " + CELLS[-1]))[-1].text or ""
    assert f"Đơn vị thực hiện: {CELLS[-1]} (đã có)" in menu
    await admin.choose("↩ Về bản nháp")
    # Session 2's host is typed: part of an existing unit's name finds it.
    await admin.choose("✏️ Sửa buổi 2")
    await admin.choose("🏛 Đơn vị thực hiện")
    prompt = (await admin.choose("✏️ Gõ tên đơn vị mới"))[-1].text or ""
    assert "tên đơn vị thực hiện buổi 2" in prompt
    card = (await admin.send("khu 3"))[-1].text or ""
    assert f"{CELLS[-1]} (đã có)" in card and f"{CELLS[2]} (đã có)" in card, card
    assert "đơn vị mới" not in card
    done = (await admin.choose("✅ Tạo kế hoạch"))[-1].text or ""
    assert "Đã tạo kế hoạch nháp 9-KH/ĐU: 2 buổi" in done, done
    hosts = await rows(
        plain_bot,
        "SELECT u.name FROM model_session s JOIN unit u ON u.id = s.host_unit_id ORDER BY s.id",
    )
    assert hosts == [(CELLS[-1],), (CELLS[2],)]
    assert_plain(admin)


def test_a_typed_host_names_one_unit_or_none() -> None:
    tree = [
        TreeRow(Unit(id=n, name=name, kind=UnitKind.CELL), 1)
        for n, name in enumerate(["Chi bộ Khu 1", "Chi bộ Khu 11", "Chi bộ số 4", "Chi bộ 4"])
    ]
    assert unit_named(tree, "chi bộ khu 1").id == 0  # type: ignore[union-attr]
    assert unit_named(tree, "Khu 11").id == 1  # type: ignore[union-attr]
    assert unit_named(tree, "Khu") is None  # two units: none is guessed
    assert unit_named(tree, "Chi bộ 4") is None  # two spellings of one name: ambiguous
    assert unit_named(tree, "Chi bộ Khu 7") is None  # a new unit
