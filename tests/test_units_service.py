"""The organisation tree service: what may go where, names, moves, rights, and the tree view."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from services import people, roles, units
from services.bootstrap import bootstrap
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from storage.models import Person, Role, Unit, UnitKind

K = UnitKind


@dataclass
class Tree:
    """Đảng ủy ─ Đảng bộ cơ sở A ─ Đảng bộ bộ phận A1 ─ Chi bộ A1a
    └ Chi bộ B (directly under the root)."""

    admin: Person
    root: Unit
    grassroots: Unit
    sub: Unit
    cell: Unit
    cell_b: Unit


async def person(ctx: Ctx, telegram_id: int, name: str) -> Person:
    p = await people.ensure_person(ctx, telegram_id)
    return await people.update_profile(ctx, p, name, "Đảng viên")


@pytest.fixture
async def tree(ctx: Ctx) -> Tree:
    root = await bootstrap(ctx, "Đảng ủy Khối", [1001])
    admin = await people.by_chat_key(ctx, 1001)
    assert admin is not None
    grassroots = await units.create_unit(ctx, admin, root.id, "Đảng bộ cơ sở A", K.GRASSROOTS)  # type: ignore[arg-type]
    sub = await units.create_unit(ctx, admin, grassroots.id, "Đảng bộ bộ phận A1", K.SUB_COMMITTEE)  # type: ignore[arg-type]
    cell = await units.create_unit(ctx, admin, sub.id, "Chi bộ A1a", K.CELL)  # type: ignore[arg-type]
    cell_b = await units.create_unit(ctx, admin, root.id, "Chi bộ B", K.CELL)  # type: ignore[arg-type]
    await ctx.session.commit()
    return Tree(admin, root, grassroots, sub, cell, cell_b)


async def snapshot(ctx: Ctx) -> list[tuple[object, ...]]:
    """Every unit row as the database has it (pending changes are flushed first)."""
    conn = await ctx.session.connection()
    rows = await conn.execute(text("SELECT id, name, kind, parent_id FROM unit ORDER BY id"))
    return [tuple(r) for r in rows.all()]


def by_kind(t: Tree) -> dict[UnitKind, Unit]:
    return {K.COMMITTEE: t.root, K.GRASSROOTS: t.grassroots, K.SUB_COMMITTEE: t.sub, K.CELL: t.cell}


ALLOWED = {
    (K.COMMITTEE, K.COMMITTEE),
    (K.COMMITTEE, K.GRASSROOTS),
    (K.COMMITTEE, K.SUB_COMMITTEE),
    (K.COMMITTEE, K.CELL),
    (K.GRASSROOTS, K.SUB_COMMITTEE),
    (K.GRASSROOTS, K.CELL),
    (K.SUB_COMMITTEE, K.CELL),
}


# --- kinds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("parent_kind", list(UnitKind))
async def test_kinds_allowed_under_each_kind(ctx: Ctx, tree: Tree, parent_kind: UnitKind) -> None:
    parent = by_kind(tree)[parent_kind]
    for child_kind in UnitKind:
        before = await snapshot(ctx)
        name = f"Đơn vị mới {child_kind.value.replace('_', ' ')}"
        if (parent_kind, child_kind) in ALLOWED:
            unit = await units.create_unit(ctx, tree.admin, parent.id, name, child_kind)  # type: ignore[arg-type]
            assert (unit.parent_id, unit.kind, unit.name) == (parent.id, child_kind, name)
        else:
            with pytest.raises(InvalidInput) as err:
                await units.create_unit(ctx, tree.admin, parent.id, name, child_kind)  # type: ignore[arg-type]
            assert err.value.params == {"parent": parent.name}
            assert await snapshot(ctx) == before


def test_allowed_children_table_matches_the_rules() -> None:
    table = {(p, c) for p, children in units.ALLOWED_CHILDREN.items() for c in children}
    assert table == ALLOWED


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clash",
    [
        "Chi bộ B",
        "chi bộ b",
        "CHI BỘ B",
        "  Chi   bộ\nB ",
        unicodedata.normalize("NFD", "CHI BỘ B"),
    ],
)
async def test_sibling_name_clash_is_case_insensitive(ctx: Ctx, tree: Tree, clash: str) -> None:
    before = await snapshot(ctx)
    with pytest.raises(Conflict):
        await units.create_unit(ctx, tree.admin, tree.root.id, clash, K.CELL)  # type: ignore[arg-type]
    assert await snapshot(ctx) == before


async def test_vietnamese_capitals_clash(ctx: Ctx, tree: Tree) -> None:
    await units.create_unit(ctx, tree.admin, tree.root.id, "Chi bộ Đoàn Ủy Ban", K.CELL)  # type: ignore[arg-type]
    before = await snapshot(ctx)
    for clash in ("chi bộ đoàn ủy ban", "CHI BỘ ĐOÀN ỦY BAN"):
        with pytest.raises(Conflict) as err:
            await units.create_unit(ctx, tree.admin, tree.root.id, clash, K.CELL)  # type: ignore[arg-type]
        assert err.value.params == {"name": clash}
    # Different tone marks are different names.
    await units.create_unit(ctx, tree.admin, tree.root.id, "Chi bộ Đoàn Uy Ban", K.CELL)  # type: ignore[arg-type]
    assert len(await snapshot(ctx)) == len(before) + 1


async def test_same_name_in_another_branch_is_fine(ctx: Ctx, tree: Tree) -> None:
    unit = await units.create_unit(ctx, tree.admin, tree.sub.id, "chi bộ b", K.CELL)  # type: ignore[arg-type]
    assert unit.parent_id == tree.sub.id


async def test_name_is_stored_clean_and_nfc(ctx: Ctx, tree: Tree) -> None:
    raw = "  " + unicodedata.normalize("NFD", "Chi bộ Phòng   Kế toán") + "\u200b\n"
    unit = await units.create_unit(ctx, tree.admin, tree.root.id, raw, K.CELL)  # type: ignore[arg-type]
    rows = await snapshot(ctx)
    assert (unit.id, "Chi bộ Phòng Kế toán") in [(r[0], r[1]) for r in rows]


@pytest.mark.parametrize("bad", ["", "   ", "😀", "123", "Chi bộ 😀", "x" * 5000])
async def test_bad_names_change_nothing(ctx: Ctx, tree: Tree, bad: str) -> None:
    before = await snapshot(ctx)
    with pytest.raises(InvalidInput):
        await units.create_unit(ctx, tree.admin, tree.root.id, bad, K.CELL)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        await units.rename_unit(ctx, tree.admin, tree.cell_b.id, bad)  # type: ignore[arg-type]
    assert await snapshot(ctx) == before


async def test_rename(ctx: Ctx, tree: Tree) -> None:
    unit = await units.rename_unit(ctx, tree.admin, tree.cell_b.id, "Chi bộ Văn phòng")  # type: ignore[arg-type]
    assert unit.name == "Chi bộ Văn phòng"
    await ctx.session.commit()
    assert (tree.cell_b.id, "Chi bộ Văn phòng") in [(r[0], r[1]) for r in await snapshot(ctx)]


async def test_rename_to_own_name_in_other_case_is_fine(ctx: Ctx, tree: Tree) -> None:
    unit = await units.rename_unit(ctx, tree.admin, tree.cell_b.id, "CHI BỘ B")  # type: ignore[arg-type]
    assert unit.name == "CHI BỘ B"


async def test_rename_onto_a_sibling_clashes(ctx: Ctx, tree: Tree) -> None:
    before = await snapshot(ctx)
    with pytest.raises(Conflict):
        await units.rename_unit(ctx, tree.admin, tree.cell_b.id, "đảng bộ cơ sở a")  # type: ignore[arg-type]
    assert await snapshot(ctx) == before


async def test_root_can_be_renamed_by_its_organiser(ctx: Ctx, tree: Tree) -> None:
    unit = await units.rename_unit(ctx, tree.admin, tree.root.id, "Đảng ủy Khối Cơ quan")  # type: ignore[arg-type]
    assert unit.parent_id is None


async def test_missing_unit(ctx: Ctx, tree: Tree) -> None:
    with pytest.raises(NotFound):
        await units.get_unit(ctx, 999_999)
    with pytest.raises(NotFound):
        await units.create_unit(ctx, tree.admin, 999_999, "Chi bộ X", K.CELL)
    with pytest.raises(NotFound):
        await units.rename_unit(ctx, tree.admin, 999_999, "Chi bộ X")
    with pytest.raises(NotFound):
        await units.move_unit(ctx, tree.admin, tree.cell_b.id, 999_999)  # type: ignore[arg-type]


# --- moves ------------------------------------------------------------------------------------


async def test_move(ctx: Ctx, tree: Tree) -> None:
    unit = await units.move_unit(ctx, tree.admin, tree.cell_b.id, tree.sub.id)  # type: ignore[arg-type]
    assert unit.parent_id == tree.sub.id
    await ctx.session.commit()
    assert (tree.cell_b.id, tree.sub.id) in [(r[0], r[3]) for r in await snapshot(ctx)]


@pytest.mark.parametrize("target", ["grassroots", "sub"])
async def test_cannot_move_under_own_subtree(ctx: Ctx, tree: Tree, target: str) -> None:
    before = await snapshot(ctx)
    with pytest.raises(InvalidInput) as err:
        await units.move_unit(ctx, tree.admin, tree.grassroots.id, getattr(tree, target).id)  # type: ignore[arg-type]
    assert "under itself" in err.value.msgid
    assert await snapshot(ctx) == before


async def test_root_cannot_move(ctx: Ctx, tree: Tree) -> None:
    before = await snapshot(ctx)
    with pytest.raises(InvalidInput) as err:
        await units.move_unit(ctx, tree.admin, tree.root.id, tree.grassroots.id)  # type: ignore[arg-type]
    assert err.value.msgid == "The top committee cannot be moved."
    assert await snapshot(ctx) == before


async def test_move_checks_the_kind_and_the_names_there(ctx: Ctx, tree: Tree) -> None:
    await units.create_unit(ctx, tree.admin, tree.sub.id, "chi bộ b", K.CELL)  # type: ignore[arg-type]
    before = await snapshot(ctx)
    with pytest.raises(InvalidInput):  # a grassroots organisation cannot go under a cell
        await units.move_unit(ctx, tree.admin, tree.grassroots.id, tree.cell_b.id)  # type: ignore[arg-type]
    with pytest.raises(Conflict):  # the sub-organisation already has a "chi bộ b"
        await units.move_unit(ctx, tree.admin, tree.cell_b.id, tree.sub.id)  # type: ignore[arg-type]
    assert await snapshot(ctx) == before


# --- rights -----------------------------------------------------------------------------------


async def test_organiser_of_an_ancestor_may_manage(ctx: Ctx, tree: Tree) -> None:
    org = await person(ctx, 2001, "Trần Thị Bình")
    await roles.add_membership(ctx, org, tree.grassroots.id, Role.ORGANISER)  # type: ignore[arg-type]
    made = await units.create_unit(ctx, org, tree.sub.id, "Chi bộ A1b", K.CELL)  # type: ignore[arg-type]
    await units.rename_unit(ctx, org, made.id, "Chi bộ A1c")  # type: ignore[arg-type]
    moved = await units.move_unit(ctx, org, made.id, tree.grassroots.id)  # type: ignore[arg-type]
    assert (moved.name, moved.parent_id) == ("Chi bộ A1c", tree.grassroots.id)
    # ...but not outside its own subtree.
    before = await snapshot(ctx)
    with pytest.raises(PermissionDenied):
        await units.move_unit(ctx, org, made.id, tree.root.id)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await units.create_unit(ctx, org, tree.root.id, "Chi bộ C", K.CELL)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await units.rename_unit(ctx, org, tree.cell_b.id, "Chi bộ C")  # type: ignore[arg-type]
    assert await snapshot(ctx) == before


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SECRETARY, Role.LEADER, None])
async def test_others_are_refused_and_nothing_changes(
    ctx: Ctx, tree: Tree, role: Role | None
) -> None:
    actor = await person(ctx, 3001, "Lê Văn Cường")
    if role is not None:
        await roles.add_membership(ctx, actor, tree.cell.id, role)  # type: ignore[arg-type]
        await roles.add_membership(ctx, actor, tree.root.id, role)  # type: ignore[arg-type]
    await ctx.session.commit()
    before = await snapshot(ctx)
    attempts = [
        units.create_unit(ctx, actor, tree.cell.id, "Tổ đảng", K.CELL),  # type: ignore[arg-type]
        units.create_unit(ctx, actor, tree.root.id, "Chi bộ C", K.CELL),  # type: ignore[arg-type]
        units.rename_unit(ctx, actor, tree.cell.id, "Chi bộ đổi tên"),  # type: ignore[arg-type]
        units.rename_unit(ctx, actor, tree.root.id, "Đảng ủy đổi tên"),  # type: ignore[arg-type]
        units.move_unit(ctx, actor, tree.cell.id, tree.root.id),  # type: ignore[arg-type]
        units.move_unit(ctx, actor, tree.cell_b.id, tree.sub.id),  # type: ignore[arg-type]
        # Refused for lack of rights before anything is said about the unit itself.
        units.move_unit(ctx, actor, tree.root.id, tree.grassroots.id),  # type: ignore[arg-type]
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            await attempt
    assert await units.managed_tree(ctx, actor) == []
    assert await snapshot(ctx) == before


# --- the tree ---------------------------------------------------------------------------------


def shape(rows: list[units.TreeRow]) -> list[tuple[str, int]]:
    return [(r.unit.name, r.depth) for r in rows]


async def test_managed_tree_is_depth_first_with_depths(ctx: Ctx, tree: Tree) -> None:
    assert shape(await units.managed_tree(ctx, tree.admin)) == [
        ("Đảng ủy Khối", 0),
        ("Chi bộ B", 1),
        ("Đảng bộ cơ sở A", 1),
        ("Đảng bộ bộ phận A1", 2),
        ("Chi bộ A1a", 3),
    ]


async def test_managed_tree_sorts_siblings_in_vietnamese_order(ctx: Ctx, tree: Tree) -> None:
    for name in ("Chi bộ Kế toán", "chi bộ Bảo vệ", "Chi bộ Đoàn", "Chi bộ Ăn uống", "Chi bộ An"):
        await units.create_unit(ctx, tree.admin, tree.sub.id, name, K.CELL)  # type: ignore[arg-type]
    rows = await units.managed_tree(ctx, tree.admin)
    under_sub = [r.unit.name for r in rows if r.unit.parent_id == tree.sub.id]
    # a < ă < b < d < đ < k, whatever the case and whatever the database's collation.
    assert under_sub == [
        "Chi bộ A1a",
        "Chi bộ An",
        "Chi bộ Ăn uống",
        "chi bộ Bảo vệ",
        "Chi bộ Đoàn",
        "Chi bộ Kế toán",
    ]


async def test_managed_tree_of_a_sub_organiser(ctx: Ctx, tree: Tree) -> None:
    org = await person(ctx, 2001, "Trần Thị Bình")
    await roles.add_membership(ctx, org, tree.sub.id, Role.ORGANISER)  # type: ignore[arg-type]
    await roles.add_membership(ctx, org, tree.cell.id, Role.ORGANISER)  # nested: listed once
    await roles.add_membership(ctx, org, tree.cell_b.id, Role.ORGANISER)  # type: ignore[arg-type]
    await roles.add_membership(ctx, org, tree.root.id, Role.MEMBER)  # type: ignore[arg-type]
    assert shape(await units.managed_tree(ctx, org)) == [
        ("Đảng bộ bộ phận A1", 0),
        ("Chi bộ A1a", 1),
        ("Chi bộ B", 0),
    ]


async def test_managed_tree_follows_a_move(ctx: Ctx, tree: Tree) -> None:
    await units.move_unit(ctx, tree.admin, tree.cell_b.id, tree.sub.id)  # type: ignore[arg-type]
    assert shape(await units.managed_tree(ctx, tree.admin))[-2:] == [
        ("Chi bộ A1a", 3),
        ("Chi bộ B", 3),
    ]
