"""/donvi (/units): organisers add, rename, move and list the units of their tree.

Choosing is done with stateless buttons; only typing a name is a conversation step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from core.i18n import N_, Lang
from handlers import router
from handlers.flow import fallbacks, typed_text
from handlers.labels import kind_label
from handlers.pickers import tree_items, tree_text
from handlers.step import END, Turn, retry_or_end, step
from services import roles, units
from services.units import TreeRow
from storage.models import Role, UnitKind
from ui.actions import Action
from ui.common import cancel_choice, paged
from ui.screen import Choice, Expect, Screen

TYPE_NAME, TYPE_RENAME = range(2)
RETRY = N_("Please type the name again, or /huy to stop.")


class PickerKind:
    """Which picker a press belongs to: what it offers and what it asks."""

    ADD, RENAME, MOVE = "add", "rename", "move"


@dataclass(frozen=True, slots=True)
class OpenPicker(Action, prefix="units"):
    mode: str  # add | rename | move


@dataclass(frozen=True, slots=True)
class ParentPage(Action, prefix="ua:page"):
    page: int


@dataclass(frozen=True, slots=True)
class RenamePage(Action, prefix="ur:page"):
    page: int


@dataclass(frozen=True, slots=True)
class MoveUnitPage(Action, prefix="um:page"):
    page: int


@dataclass(frozen=True, slots=True)
class ParentPicked(Action, prefix="ua"):
    unit_id: int


@dataclass(frozen=True, slots=True)
class KindPicked(Action, prefix="uk"):
    parent_id: int
    kind: UnitKind


@dataclass(frozen=True, slots=True)
class RenamePicked(Action, prefix="ur"):
    unit_id: int


@dataclass(frozen=True, slots=True)
class MovePicked(Action, prefix="um"):
    unit_id: int


@dataclass(frozen=True, slots=True)
class MovePage(Action, prefix="ut"):
    unit_id: int
    word: Literal["page"]
    page: int


@dataclass(frozen=True, slots=True)
class TargetPicked(Action, prefix="ut"):
    unit_id: int
    target_id: int


@dataclass(slots=True)
class NewUnitDraft:
    parent_id: int
    kind: UnitKind


@dataclass(slots=True)
class RenameDraft:
    unit_id: int


def _refusal(lang: Lang) -> Screen:
    return Screen.of(
        lang.t(
            "Only organisers (Ban Tổ chức, Văn phòng) can manage units. "
            "If you need this, ask your committee's organisers."
        )
    )


async def _tree(turn: Turn) -> list[TreeRow]:
    return await units.managed_tree(turn.ctx, turn.me.person) if turn.me.person else []


def units_screen(lang: Lang, rows: list[TreeRow]) -> Screen:
    return Screen.of(
        lang.t("Your units:") + "\n" + tree_text(rows),
        rows=[
            [Choice(lang.t("➕ Add a unit"), OpenPicker(PickerKind.ADD))],
            [
                Choice(lang.t("✏️ Rename"), OpenPicker(PickerKind.RENAME)),
                Choice(lang.t("↪️ Move"), OpenPicker(PickerKind.MOVE)),
            ],
        ],
    )


@step
async def show_units(turn: Turn) -> None:
    rows = await _tree(turn)
    turn.show(units_screen(turn.lang, rows) if rows else _refusal(turn.lang))


# What each picker offers, what it asks, the action of picking an item and of turning a page.
_PICKERS = {
    PickerKind.ADD: (
        lambda r: r.unit.kind != UnitKind.CELL,
        N_("Under which unit should the new unit go?"),
        ParentPicked,
        ParentPage,
    ),
    PickerKind.RENAME: (
        lambda r: True,
        N_("Which unit do you want to rename?"),
        RenamePicked,
        RenamePage,
    ),
    PickerKind.MOVE: (
        lambda r: r.depth > 0,
        N_("Which unit do you want to move?"),
        MovePicked,
        MoveUnitPage,
    ),
}
_MODE_OF_PAGE = {
    ParentPage: PickerKind.ADD,
    RenamePage: PickerKind.RENAME,
    MoveUnitPage: PickerKind.MOVE,
}


async def _picker(turn: Turn, mode: str, page: int, *, flip: bool) -> None:
    if mode not in _PICKERS:
        return
    rows = await _tree(turn)
    if not rows:
        turn.show(_refusal(turn.lang))
        return
    keep, prompt, pick, flip_to = _PICKERS[mode]
    items = [(label, pick(int(value))) for label, value in tree_items([r for r in rows if keep(r)])]
    if not items:
        turn.say(turn.lang.t("There is no unit to choose here yet. Add a unit first."))
        return
    screen = Screen.of(
        turn.lang.t(prompt),
        rows=paged(turn.lang, items, page, flip_to),
        expect=Expect.CHOICE,
    )
    turn.show(screen.replacing() if flip else screen)


@step(action=OpenPicker)
async def open_picker(turn: Turn, pressed: OpenPicker) -> None:
    await _picker(turn, pressed.mode, 0, flip=False)


async def _flip(turn: Turn, pressed: ParentPage | RenamePage | MoveUnitPage) -> None:
    await _picker(turn, _MODE_OF_PAGE[type(pressed)], pressed.page, flip=True)


flip_parents = step(action=ParentPage)(_flip)
flip_renames = step(action=RenamePage)(_flip)
flip_moves = step(action=MoveUnitPage)(_flip)


@step(action=ParentPicked)
async def parent_picked(turn: Turn, pressed: ParentPicked) -> None:
    parent = await units.get_unit(turn.ctx, pressed.unit_id)
    await roles.require_organiser(turn.ctx, turn.me.person, parent.id)  # type: ignore[arg-type]
    kinds = units.ALLOWED_CHILDREN[UnitKind(parent.kind)]
    rows = [[Choice(kind_label(turn.lang, k), KindPicked(parent.id, k))] for k in kinds]  # type: ignore[arg-type]
    rows.append([cancel_choice(turn.lang)])
    turn.show(
        Screen.of(
            turn.lang.t("What kind of unit is the new unit under “{parent}”?", parent=parent.name),
            rows=rows,
            expect=Expect.CHOICE,
        )
    )


@step(action=KindPicked, on_error=END)
async def kind_picked(turn: Turn, pressed: KindPicked) -> int | None:
    await units.check_new_child(turn.ctx, turn.me.person, pressed.parent_id, pressed.kind)
    turn.put(NewUnitDraft(pressed.parent_id, pressed.kind))
    turn.show(
        Screen.of(
            turn.lang.t("Type the name of the new unit, for example: Chi bộ Phòng Kế toán."),
            expect=Expect.TEXT,
        )
    )
    return TYPE_NAME


@step(needs=NewUnitDraft, on_error=retry_or_end, retry=RETRY)
async def name_typed(turn: Turn, draft: NewUnitDraft) -> int | None:
    unit = await units.create_unit(turn.ctx, turn.me.person, draft.parent_id, turn.text, draft.kind)  # type: ignore[arg-type]
    turn.drop(NewUnitDraft)
    turn.say(turn.lang.t("Added “{name}”.", name=unit.name))
    turn.show(units_screen(turn.lang, await _tree(turn)))
    return END


@step(action=RenamePicked, on_error=END)
async def rename_picked(turn: Turn, pressed: RenamePicked) -> int | None:
    unit = await units.get_unit(turn.ctx, pressed.unit_id)
    await roles.require_organiser(turn.ctx, turn.me.person, unit.id)  # type: ignore[arg-type]
    turn.put(RenameDraft(unit.id))  # type: ignore[arg-type]
    turn.show(
        Screen.of(
            turn.lang.t("Type the new name for “{name}”.", name=unit.name), expect=Expect.TEXT
        )
    )
    return TYPE_RENAME


@step(needs=RenameDraft, on_error=retry_or_end, retry=RETRY)
async def rename_typed(turn: Turn, draft: RenameDraft) -> int | None:
    unit = await units.rename_unit(turn.ctx, turn.me.person, draft.unit_id, turn.text)  # type: ignore[arg-type]
    turn.drop(RenameDraft)
    turn.say(turn.lang.t("Renamed to “{name}”.", name=unit.name))
    turn.show(units_screen(turn.lang, await _tree(turn)))
    return END


async def _targets(turn: Turn, unit_id: int, page: int, *, flip: bool) -> None:
    rows = await _tree(turn)
    if not rows:
        turn.show(_refusal(turn.lang))
        return
    keep = [r for r in rows if r.unit.kind != UnitKind.CELL and r.unit.id != unit_id]
    items = [(label, TargetPicked(unit_id, int(value))) for label, value in tree_items(keep)]
    screen = Screen.of(
        turn.lang.t("Move it under which unit?"),
        rows=paged(turn.lang, items, page, lambda n: MovePage(unit_id, "page", n)),
        expect=Expect.CHOICE,
    )
    turn.show(screen.replacing() if flip else screen)


@step(action=MovePicked)
async def move_picked(turn: Turn, pressed: MovePicked) -> None:
    await _targets(turn, pressed.unit_id, 0, flip=False)


@step(action=MovePage)
async def flip_targets(turn: Turn, pressed: MovePage) -> None:
    await _targets(turn, pressed.unit_id, pressed.page, flip=True)


@step(action=TargetPicked)
async def target_picked(turn: Turn, pressed: TargetPicked) -> None:
    unit = await units.move_unit(turn.ctx, turn.me.person, pressed.unit_id, pressed.target_id)  # type: ignore[arg-type]
    turn.say(turn.lang.t("Moved “{name}”.", name=unit.name))
    turn.show(units_screen(turn.lang, await _tree(turn)))


ACTION = router.add(
    router.Action(
        key="units",
        label=N_("🏛 Units"),
        description=N_("Manage the units of your committee"),
        commands=("donvi", "units"),
        callback=show_units,
        roles=frozenset({Role.ORGANISER}),
        menu_row=1,
    )
)
router.press(OpenPicker, open_picker)
router.press(ParentPage, flip_parents)
router.press(RenamePage, flip_renames)
router.press(MoveUnitPage, flip_moves)
router.press(ParentPicked, parent_picked)
router.press(MovePicked, move_picked)
router.press(MovePage, flip_targets)
router.press(TargetPicked, target_picked)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        ConversationHandler(
            name="units_names",
            persistent=True,
            entry_points=[
                CallbackQueryHandler(kind_picked, pattern=KindPicked.pattern()),
                CallbackQueryHandler(rename_picked, pattern=RenamePicked.pattern()),
            ],
            states={
                TYPE_NAME: [MessageHandler(typed_text(), name_typed)],
                TYPE_RENAME: [MessageHandler(typed_text(), rename_typed)],
            },
            fallbacks=fallbacks(NewUnitDraft, RenameDraft),
            allow_reentry=True,
        )
    ]
