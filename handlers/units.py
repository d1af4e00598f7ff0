"""/donvi (/units): organisers add, rename, move, merge, delete and list the units of their
tree. Pickers of more than a page offer typing part of a name instead of paging.

Choosing is done with stateless buttons; only typing a name is a conversation step.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from core.i18n import N_, Lang
from handlers import router
from handlers.flow import fallbacks, typed_text
from handlers.invites import UnitPage, UnitPicked
from handlers.labels import kind_label
from handlers.pickers import tree_items
from handlers.step import END, Turn, retry_or_end, step
from handlers.unit_actions import (
    ConfirmDelete,
    ConfirmMerge,
    DeletePicked,
    FindDraft,
    FindUnit,
    KindPicked,
    MergeInto,
    MergePicked,
    MovePage,
    MovePicked,
    MoveUnitPage,
    NewUnitDraft,
    OpenPicker,
    ParentPage,
    ParentPicked,
    PickerKind,
    PickerPage,
    RenameDraft,
    RenamePage,
    RenamePicked,
    TargetPicked,
)
from handlers.unit_screens import managed_rows, refusal, units_screen
from services import roles, unit_removal, units
from services.units import TreeRow
from storage.models import Role, UnitKind
from ui.actions import Action
from ui.common import cancel_choice, name_matches, offers_search, paged
from ui.screen import Choice, Expect, Screen

TYPE_NAME, TYPE_RENAME, TYPE_FIND = range(3)
TARGETS = "target"  # the picker of where a unit moves
RETRY = N_("Please type the name again, or /huy to stop.")


@step
async def show_units(turn: Turn) -> None:
    rows = await managed_rows(turn)
    turn.show(units_screen(turn.lang, rows) if rows else refusal(turn.lang))


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


def _items(mode: str, unit_id: int, rows: list[TreeRow]) -> list[tuple[str, Action]]:
    """What a picker offers: (label, action of picking it)."""
    if mode in _PICKERS:
        keep, _prompt, pick, _flip_to = _PICKERS[mode]
        return [(label, pick(int(v))) for label, v in tree_items([r for r in rows if keep(r)])]
    if mode == PickerKind.DELETE or (mode == PickerKind.MERGE and not unit_id):
        picked = DeletePicked if mode == PickerKind.DELETE else MergePicked
        return [(label, picked(int(v))) for label, v in tree_items([r for r in rows if r.depth])]
    if mode == PickerKind.MERGE:
        source = next((r.unit for r in rows if r.unit.id == unit_id), None)
        same = [r for r in rows if source and r.unit.kind == source.kind and r.unit.id != unit_id]
        return [(label, MergeInto(unit_id, int(v))) for label, v in tree_items(same)]
    if mode == PickerKind.INVITE:
        return [(label, UnitPicked(int(v))) for label, v in tree_items(rows)]
    if mode == TARGETS:
        keep_rows = [r for r in rows if r.unit.kind != UnitKind.CELL and r.unit.id != unit_id]
        return [(label, TargetPicked(unit_id, int(v))) for label, v in tree_items(keep_rows)]
    return []


def _page_action(mode: str, unit_id: int) -> Callable[[int], Action]:
    if mode in _PICKERS:
        return _PICKERS[mode][3]  # type: ignore[no-any-return]
    if mode == TARGETS:
        return lambda n: MovePage(unit_id, "page", n)
    if mode == PickerKind.INVITE:
        return UnitPage
    return lambda n: PickerPage(mode, unit_id, n)


PROMPTS = {
    PickerKind.DELETE: N_("Which unit do you want to delete?"),
    PickerKind.MERGE: N_("Which unit do you want to merge into another one (and remove)?"),
    TARGETS: N_("Move it under which unit?"),
    PickerKind.INVITE: N_("Invite people to which unit?"),
}


async def _picker(
    turn: Turn, mode: str, page: int, *, flip: bool, unit_id: int = 0, typed: str = ""
) -> bool:
    """One page of a picker; with `typed`, only the units whose name contains it. A picker of
    more than a page offers 🔎 (type part of the name). False: nothing matched `typed`."""
    lang = turn.lang
    rows = await managed_rows(turn)
    if not rows:
        turn.show(refusal(lang))
        return True
    items = _items(mode, unit_id, rows)
    if not items:
        turn.say(lang.t("There is no unit to choose here yet. Add a unit first."))
        return True
    if mode == PickerKind.MERGE and unit_id:
        prompt = lang.t("Merge it into which unit? Everything it has moves there.")
    else:
        prompt = lang.t(_PICKERS[mode][1] if mode in _PICKERS else PROMPTS[mode])
    if typed:
        items = [(label, action) for label, action in items if name_matches(label, typed)]
        if not items:
            turn.say(
                lang.t("No unit has “{typed}” in its name. Please type another part.", typed=typed)
            )
            return False
    choices = paged(lang, items, page, _page_action(mode, unit_id))
    if not typed and offers_search(len(items)):
        find = Choice(lang.t("🔎 Type part of the name"), FindUnit(mode, unit_id))
        choices.insert(len(choices) - 1, [find])
    screen = Screen.of(prompt, rows=choices, expect=Expect.CHOICE)
    turn.show(screen.replacing() if flip else screen)
    return True


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
    turn.show(units_screen(turn.lang, await managed_rows(turn)))
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
    turn.show(units_screen(turn.lang, await managed_rows(turn)))
    return END


@step(action=MovePicked)
async def move_picked(turn: Turn, pressed: MovePicked) -> None:
    await _picker(turn, TARGETS, 0, flip=False, unit_id=pressed.unit_id)


@step(action=MovePage)
async def flip_targets(turn: Turn, pressed: MovePage) -> None:
    await _picker(turn, TARGETS, pressed.page, flip=True, unit_id=pressed.unit_id)


@step(action=PickerPage)
async def flip_picker(turn: Turn, pressed: PickerPage) -> None:
    await _picker(turn, pressed.mode, pressed.page, flip=True, unit_id=pressed.unit_id)


@step(action=FindUnit, on_error=END)
async def find_unit(turn: Turn, pressed: FindUnit) -> int:
    turn.put(FindDraft(pressed.mode, pressed.unit_id))
    turn.show(
        Screen.of(
            turn.lang.t("Type part of the unit's name, for example: Khoa Toán."),
            rows=[[cancel_choice(turn.lang)]],
            expect=Expect.TEXT,
        )
    )
    return TYPE_FIND


@step(needs=FindDraft, on_error=END)
async def find_typed(turn: Turn, draft: FindDraft) -> int | None:
    """The units whose name contains what was typed (stateless buttons from here on)."""
    if not await _picker(turn, draft.mode, 0, flip=False, unit_id=draft.unit_id, typed=turn.text):
        return None
    turn.drop(FindDraft)
    return END


@step(action=TargetPicked)
async def target_picked(turn: Turn, pressed: TargetPicked) -> None:
    unit = await units.move_unit(turn.ctx, turn.me.person, pressed.unit_id, pressed.target_id)  # type: ignore[arg-type]
    turn.say(turn.lang.t("Moved “{name}”.", name=unit.name))
    turn.show(units_screen(turn.lang, await managed_rows(turn)))


# --------------------------------------------------------------------------- delete, merge


def _confirm(lang: Lang, text: str, yes: str, action: Action) -> Screen:
    return Screen.of(text, rows=[[Choice(yes, action), cancel_choice(lang)]], expect=Expect.CHOICE)


@step(action=DeletePicked)
async def delete_picked(turn: Turn, pressed: DeletePicked) -> None:
    """The reason when the unit is in use (merge it instead); otherwise a confirmation."""
    unit = await unit_removal.check_delete(turn.ctx, turn.me.person, pressed.unit_id)
    lang = turn.lang
    text = lang.t("Delete “{name}”? This cannot be undone.", name=unit.name)
    turn.show(_confirm(lang, text, lang.t("🗑 Delete it"), ConfirmDelete(pressed.unit_id)))


@step(action=ConfirmDelete)
async def delete_confirmed(turn: Turn, pressed: ConfirmDelete) -> None:
    name = await unit_removal.delete_unit(turn.ctx, turn.me.person, pressed.unit_id)  # type: ignore[arg-type]
    turn.say(turn.lang.t("Deleted “{name}”.", name=name))
    turn.show(units_screen(turn.lang, await managed_rows(turn)))


@step(action=MergePicked)
async def merge_picked(turn: Turn, pressed: MergePicked) -> None:
    await _picker(turn, PickerKind.MERGE, 0, flip=False, unit_id=pressed.unit_id)


@step(action=MergeInto)
async def merge_into(turn: Turn, pressed: MergeInto) -> None:
    ctx, lang = turn.ctx, turn.lang
    into = await unit_removal.check_merge(ctx, turn.me.person, pressed.unit_id, pressed.into_id)
    unit = await units.get_unit(ctx, pressed.unit_id)
    text = lang.t(
        "Merge “{name}” into “{into}”? Its units, people, plans, sessions, requirements and "
        "documents move to “{into}”, and “{name}” is removed.",
        name=unit.name,
        into=into.name,
    )
    action = ConfirmMerge(pressed.unit_id, pressed.into_id)
    turn.show(_confirm(lang, text, lang.t("🔀 Merge them"), action))


@step(action=ConfirmMerge)
async def merge_confirmed(turn: Turn, pressed: ConfirmMerge) -> None:
    ctx = turn.ctx
    name = (await units.get_unit(ctx, pressed.unit_id)).name
    into = await unit_removal.merge_units(ctx, turn.me.person, pressed.unit_id, pressed.into_id)  # type: ignore[arg-type]
    turn.say(turn.lang.t("Merged “{name}” into “{into}”.", name=name, into=into.name))
    turn.show(units_screen(turn.lang, await managed_rows(turn)))


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
router.press(PickerPage, flip_picker)
router.press(DeletePicked, delete_picked)
router.press(ConfirmDelete, delete_confirmed)
router.press(MergePicked, merge_picked)
router.press(MergeInto, merge_into)
router.press(ConfirmMerge, merge_confirmed)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        ConversationHandler(
            name="units_names",
            persistent=True,
            entry_points=[
                CallbackQueryHandler(kind_picked, pattern=KindPicked.pattern()),
                CallbackQueryHandler(rename_picked, pattern=RenamePicked.pattern()),
                CallbackQueryHandler(find_unit, pattern=FindUnit.pattern()),
            ],
            states={
                TYPE_NAME: [MessageHandler(typed_text(), name_typed)],
                TYPE_RENAME: [MessageHandler(typed_text(), rename_typed)],
                TYPE_FIND: [MessageHandler(typed_text(), find_typed)],
            },
            fallbacks=fallbacks(NewUnitDraft, RenameDraft, FindDraft),
            allow_reentry=True,
        )
    ]
