"""The organisation tree: committee → đảng bộ cơ sở / đảng bộ bộ phận → chi bộ."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound
from services.roles import ancestor_ids, require_organiser
from services.validation import check_label
from storage.models import Membership, Person, Role, Unit, UnitKind

# Which kinds may sit under which.
ALLOWED_CHILDREN: dict[UnitKind, tuple[UnitKind, ...]] = {
    UnitKind.COMMITTEE: (
        UnitKind.COMMITTEE,
        UnitKind.GRASSROOTS,
        UnitKind.SUB_COMMITTEE,
        UnitKind.CELL,
    ),
    UnitKind.GRASSROOTS: (UnitKind.SUB_COMMITTEE, UnitKind.CELL),
    UnitKind.SUB_COMMITTEE: (UnitKind.CELL,),
    UnitKind.CELL: (),
}

UNIT_NAME = N_("unit name")


@dataclass(frozen=True, slots=True)
class TreeRow:
    unit: Unit
    depth: int


async def get_unit(ctx: Ctx, unit_id: int) -> Unit:
    unit = await ctx.session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(N_("That unit no longer exists."))
    return unit


async def root_units(ctx: Ctx) -> list[Unit]:
    result = await ctx.session.exec(
        select(Unit).where(col(Unit.parent_id).is_(None)).order_by(Unit.id)
    )
    return list(result.all())


async def ensure_root(ctx: Ctx, name: str) -> Unit:
    roots = await root_units(ctx)
    if roots:
        return roots[0]
    unit = Unit(
        name=check_label(name, max_length=200, what=UNIT_NAME),
        kind=UnitKind.COMMITTEE,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(unit)
    await ctx.session.flush()
    return unit


def _same_name(a: str, b: str) -> bool:
    # Compared in Python: SQLite's lower() only folds ASCII, and Vietnamese is not ASCII.
    return a.casefold() == b.casefold()


async def _check_sibling_name(
    ctx: Ctx, parent_id: int | None, name: str, exclude: int | None
) -> None:
    parent_clause = (
        Unit.parent_id == parent_id if parent_id is not None else col(Unit.parent_id).is_(None)
    )
    siblings = await ctx.session.exec(select(Unit.id, Unit.name).where(parent_clause))
    for sibling_id, sibling_name in siblings.all():
        if sibling_id != exclude and _same_name(sibling_name, name):
            raise Conflict(N_("There is already a unit called “{name}” there."), name=name)


def _check_kind_under(parent: Unit, kind: UnitKind) -> None:
    if kind not in ALLOWED_CHILDREN[UnitKind(parent.kind)]:
        raise InvalidInput(
            N_("A unit of that kind cannot be placed under “{parent}”."), parent=parent.name
        )


async def create_unit(ctx: Ctx, actor: Person, parent_id: int, name: str, kind: UnitKind) -> Unit:
    parent = await get_unit(ctx, parent_id)
    await require_organiser(ctx, actor, parent.id)  # type: ignore[arg-type]
    clean = check_label(name, max_length=200, what=UNIT_NAME)
    _check_kind_under(parent, kind)
    await _check_sibling_name(ctx, parent.id, clean, None)
    unit = Unit(name=clean, kind=kind, parent_id=parent.id, created_at=ctx.clock.now())
    ctx.session.add(unit)
    await ctx.session.flush()
    return unit


async def rename_unit(ctx: Ctx, actor: Person, unit_id: int, name: str) -> Unit:
    unit = await get_unit(ctx, unit_id)
    await require_organiser(ctx, actor, unit_id)
    clean = check_label(name, max_length=200, what=UNIT_NAME)
    await _check_sibling_name(ctx, unit.parent_id, clean, unit.id)
    unit.name = clean
    ctx.session.add(unit)
    await ctx.session.flush()
    return unit


async def move_unit(ctx: Ctx, actor: Person, unit_id: int, new_parent_id: int) -> Unit:
    unit = await get_unit(ctx, unit_id)
    if unit.parent_id is None:
        raise InvalidInput(N_("The top committee cannot be moved."))
    new_parent = await get_unit(ctx, new_parent_id)
    await require_organiser(ctx, actor, unit.parent_id)
    await require_organiser(ctx, actor, new_parent_id)
    if unit_id in await ancestor_ids(ctx, new_parent_id):
        raise InvalidInput(N_("A unit cannot be moved under itself or one of its own units."))
    _check_kind_under(new_parent, UnitKind(unit.kind))
    await _check_sibling_name(ctx, new_parent_id, unit.name, unit.id)
    unit.parent_id = new_parent_id
    ctx.session.add(unit)
    await ctx.session.flush()
    return unit


async def all_units(ctx: Ctx) -> list[Unit]:
    return list((await ctx.session.exec(select(Unit).order_by(Unit.name, Unit.id))).all())


def _tree_rows(units: list[Unit], roots: list[int]) -> list[TreeRow]:
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    by_id = {u.id: u for u in units}
    rows: list[TreeRow] = []
    stack = [(by_id[r], 0) for r in reversed(roots) if r in by_id]
    while stack:
        unit, depth = stack.pop()
        rows.append(TreeRow(unit, depth))
        for child in reversed(children.get(unit.id, [])):
            stack.append((child, depth + 1))
    return rows


async def managed_tree(ctx: Ctx, actor: Person) -> list[TreeRow]:
    """The subtrees the actor organises, depth-first, siblings by name."""
    result = await ctx.session.exec(
        select(Membership.unit_id).where(
            Membership.person_id == actor.id, Membership.role == Role.ORGANISER.value
        )
    )
    top = set(result.all())
    if not top:
        return []
    units = await all_units(ctx)
    by_id = {u.id: u for u in units}
    # Drop organiser units that sit inside another managed subtree.
    roots = []
    for uid in sorted(top):
        parent = by_id[uid].parent_id if uid in by_id else None
        nested = False
        while parent is not None:
            if parent in top:
                nested = True
                break
            parent = by_id[parent].parent_id if parent in by_id else None
        if not nested:
            roots.append(uid)
    return _tree_rows(units, roots)


async def find_by_name(ctx: Ctx, name: str) -> list[Unit]:
    wanted = name.strip()
    return [u for u in await all_units(ctx) if _same_name(u.name, wanted)]
