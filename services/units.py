"""The organisation tree: committee → đảng bộ cơ sở / đảng bộ bộ phận → chi bộ."""

from __future__ import annotations

import unicodedata
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


# Vietnamese alphabetical order: a ă â b c d đ e ê … o ô ơ … u ư …; tone marks only break ties.
# Letter marks become code points that sort after every letter; tones go to a second key.
_LETTER_MARKS = {"\u0306": "\U0010fff1", "\u0302": "\U0010fff2", "\u031b": "\U0010fff3"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def sort_key(name: str) -> tuple[str, tuple[int, ...], str]:
    """Order names as a Vietnamese reader expects, independent of the database's collation."""
    letters: list[str] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", name.casefold()):
        if ch in _TONES:
            tones[-1:] = [_TONES[ch]]
        elif ch in _LETTER_MARKS:
            letters.append(_LETTER_MARKS[ch])
        elif ch == "đ":
            letters.append("d\U0010fff0")
            tones.append(0)
        else:
            letters.append(ch)
            tones.append(0)
    return "".join(letters), tuple(tones), name


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


async def check_new_child(ctx: Ctx, actor: Person | None, parent_id: int, kind: UnitKind) -> Unit:
    """May the actor add a unit of this kind under the parent? Returns the parent.

    Asked before the name is typed, so nobody types a name for a unit they cannot add."""
    parent = await get_unit(ctx, parent_id)
    await require_organiser(ctx, actor, parent.id)  # type: ignore[arg-type]
    _check_kind_under(parent, kind)
    return parent


async def create_unit(ctx: Ctx, actor: Person, parent_id: int, name: str, kind: UnitKind) -> Unit:
    parent = await check_new_child(ctx, actor, parent_id, kind)
    clean = check_label(name, max_length=200, what=UNIT_NAME)
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
    # Rights first, so that people without them learn nothing about the unit.
    await require_organiser(ctx, actor, unit.parent_id if unit.parent_id is not None else unit_id)
    if unit.parent_id is None:
        raise InvalidInput(N_("The top committee cannot be moved."))
    new_parent = await get_unit(ctx, new_parent_id)
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
    """Every unit, by name in Vietnamese order."""
    found = (await ctx.session.exec(select(Unit).order_by(Unit.id))).all()
    return sorted(found, key=lambda u: (sort_key(u.name), u.id))


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


async def subtree_rows(ctx: Ctx, unit_id: int) -> list[TreeRow]:
    """The unit (depth 0) and every unit under it, depth-first, siblings by name."""
    return _tree_rows(await all_units(ctx), [unit_id])


async def find_by_name(ctx: Ctx, name: str) -> list[Unit]:
    wanted = name.strip()
    return [u for u in await all_units(ctx) if _same_name(u.name, wanted)]


async def subtree(ctx: Ctx, unit_id: int) -> list[Unit]:
    """The unit and every unit below it, depth-first."""
    return [row.unit for row in _tree_rows(await all_units(ctx), [unit_id])]
