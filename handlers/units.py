"""/donvi (/units): organisers add, rename, move and list the units of their tree.

Choosing is done with stateless buttons; only typing a name is a conversation step.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.i18n import N_, Lang
from handlers import router
from handlers.common import Context, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.flow import drop, fallbacks, flow_gone, stale_button
from handlers.labels import kind_label
from handlers.pickers import (
    cancel_button,
    page_of,
    paged_keyboard,
    split_data,
    tree_items,
    tree_text,
)
from services import roles, units
from services.errors import Conflict, InvalidInput, ServiceError
from services.units import TreeRow
from storage.models import Role, UnitKind

TYPE_NAME, TYPE_RENAME = range(2)
_DATA = "units_flow"
RETRY = N_("Please type the name again, or /huy to stop.")


async def _refuse(update: Update, lang: Lang) -> None:
    await say(
        update,
        lang.t(
            "Only organisers (Ban Tổ chức, Văn phòng) can manage units. "
            "If you need this, ask your committee's organisers."
        ),
    )


async def _tree(update: Update, context: Context) -> tuple[list[TreeRow], Lang]:
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        rows = await units.managed_tree(ctx, me.person) if me.person else []
    return rows, me.lang


async def show_units(update: Update, context: Context) -> None:
    rows, lang = await _tree(update, context)
    if not rows:
        await _refuse(update, lang)
        return
    buttons = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(lang.t("➕ Add a unit"), callback_data="units:add")],
            [
                InlineKeyboardButton(lang.t("✏️ Rename"), callback_data="units:rename"),
                InlineKeyboardButton(lang.t("↪️ Move"), callback_data="units:move"),
            ],
        ]
    )
    await say(update, lang.t("Your units:") + "\n" + tree_text(rows), markup=buttons)


# Which units each picker offers, and what it asks.
_PICKERS = {
    "ua": (lambda r: r.unit.kind != UnitKind.CELL, N_("Under which unit should the new unit go?")),
    "ur": (lambda r: True, N_("Which unit do you want to rename?")),
    "um": (lambda r: r.depth > 0, N_("Which unit do you want to move?")),
}
_MODES = {"add": "ua", "rename": "ur", "move": "um"}


async def open_picker(update: Update, context: Context) -> None:
    """`units:add|rename|move` shows a picker; `ua|ur|um:page:N` turns its pages."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer_button(update)
    head, _, rest = query.data.partition(":")
    prefix = _MODES.get(rest, "") if head == "units" else head
    if prefix not in _PICKERS:
        return
    rows, lang = await _tree(update, context)
    if not rows:
        await _refuse(update, lang)
        return
    keep, prompt = _PICKERS[prefix]
    items = tree_items([r for r in rows if keep(r)])
    if not items:
        await say(update, lang.t("There is no unit to choose here yet. Add a unit first."))
        return
    page = page_of(rest.split(":")) if head != "units" else None
    if page is not None:
        await query.edit_message_reply_markup(paged_keyboard(lang, items, prefix, page))
    else:
        await say(update, lang.t(prompt), markup=paged_keyboard(lang, items, prefix))


async def parent_picked(update: Update, context: Context) -> None:
    parts = split_data(update.callback_query.data if update.callback_query else None, "ua")
    await answer_button(update)
    if not parts or not parts[0].isdigit():
        return
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        try:
            parent = await units.get_unit(ctx, int(parts[0]))
            await roles.require_organiser(ctx, me.person, parent.id)  # type: ignore[arg-type]
        except ServiceError as exc:
            await say(update, error_text(me.lang, exc))
            return
    kinds = units.ALLOWED_CHILDREN[UnitKind(parent.kind)]
    rows = [
        [InlineKeyboardButton(kind_label(me.lang, k), callback_data=f"uk:{parent.id}:{k.value}")]
        for k in kinds
    ]
    rows.append([cancel_button(me.lang)])
    await say(
        update,
        me.lang.t("What kind of unit is the new unit under “{parent}”?", parent=parent.name),
        markup=InlineKeyboardMarkup(rows),
    )


async def kind_picked(update: Update, context: Context) -> int | None:
    parts = split_data(update.callback_query.data if update.callback_query else None, "uk")
    if not parts or len(parts) != 2 or not parts[0].isdigit() or parts[1] not in set(UnitKind):
        await stale_button(update, context)
        return ConversationHandler.END
    await answer_button(update)
    lang = await lang_only(update, context)
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            await units.check_new_child(ctx, me.person, int(parts[0]), UnitKind(parts[1]))
    except ServiceError as exc:
        drop(context, _DATA)
        await say(update, error_text(lang, exc))
        return ConversationHandler.END
    context.user_data[_DATA] = {"parent": int(parts[0]), "kind": parts[1]}  # type: ignore[index]
    await say(update, lang.t("Type the name of the new unit, for example: Chi bộ Phòng Kế toán."))
    return TYPE_NAME


async def name_typed(update: Update, context: Context) -> int | None:
    data = context.user_data.get(_DATA) if context.user_data is not None else None
    if not data or "parent" not in data:
        return await flow_gone(update, context)
    text = update.effective_message.text if update.effective_message else ""
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            unit = await units.create_unit(
                ctx,
                me.person,
                data["parent"],
                text or "",
                UnitKind(data["kind"]),  # type: ignore[arg-type]
            )
    except ServiceError as exc:
        return await _name_refused(update, context, exc)
    drop(context, _DATA)
    await say(update, me.lang.t("Added “{name}”.", name=unit.name))
    await show_units(update, context)
    return ConversationHandler.END


async def _name_refused(update: Update, context: Context, exc: ServiceError) -> int | None:
    """A name that breaks a rule may be typed again; anything else ends the step."""
    lang = await lang_only(update, context)
    if isinstance(exc, InvalidInput | Conflict):
        await say(update, error_text(lang, exc) + "\n" + lang.t(RETRY))
        return None
    drop(context, _DATA)
    await say(update, error_text(lang, exc))
    return ConversationHandler.END


async def rename_picked(update: Update, context: Context) -> int | None:
    parts = split_data(update.callback_query.data if update.callback_query else None, "ur")
    await answer_button(update)
    if not parts or not parts[0].isdigit():
        return None
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        try:
            unit = await units.get_unit(ctx, int(parts[0]))
            await roles.require_organiser(ctx, me.person, unit.id)  # type: ignore[arg-type]
        except ServiceError as exc:
            drop(context, _DATA)
            await say(update, error_text(me.lang, exc))
            return ConversationHandler.END
    context.user_data[_DATA] = {"unit": unit.id}  # type: ignore[index]
    await say(update, me.lang.t("Type the new name for “{name}”.", name=unit.name))
    return TYPE_RENAME


async def rename_typed(update: Update, context: Context) -> int | None:
    data = context.user_data.get(_DATA) if context.user_data is not None else None
    if not data or "unit" not in data:
        return await flow_gone(update, context)
    text = update.effective_message.text if update.effective_message else ""
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            unit = await units.rename_unit(ctx, me.person, data["unit"], text or "")  # type: ignore[arg-type]
    except ServiceError as exc:
        return await _name_refused(update, context, exc)
    drop(context, _DATA)
    await say(update, me.lang.t("Renamed to “{name}”.", name=unit.name))
    await show_units(update, context)
    return ConversationHandler.END


async def move_picked(update: Update, context: Context) -> None:
    """`um:<id>` shows the targets; `ut:<id>:page:N` turns their pages."""
    query = update.callback_query
    assert query is not None
    parts = split_data(query.data, "um") or split_data(query.data, "ut")
    await answer_button(update)
    if not parts or not parts[0].isdigit():
        return
    unit_id = int(parts[0])
    rows, lang = await _tree(update, context)
    if not rows:
        await _refuse(update, lang)
        return
    targets = tree_items([r for r in rows if r.unit.kind != UnitKind.CELL and r.unit.id != unit_id])
    prefix = f"ut:{unit_id}"
    page = page_of(parts)
    if page is not None:
        await query.edit_message_reply_markup(paged_keyboard(lang, targets, prefix, page))
    else:
        await say(
            update,
            lang.t("Move it under which unit?"),
            markup=paged_keyboard(lang, targets, prefix),
        )


async def target_picked(update: Update, context: Context) -> None:
    parts = split_data(update.callback_query.data if update.callback_query else None, "ut")
    await answer_button(update)
    if not parts or len(parts) != 2 or not all(p.isdigit() for p in parts):
        return
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            unit = await units.move_unit(ctx, me.person, int(parts[0]), int(parts[1]))  # type: ignore[arg-type]
    except ServiceError as exc:
        lang = await lang_only(update, context)
        await say(update, error_text(lang, exc))
        return
    await say(update, me.lang.t("Moved “{name}”.", name=unit.name))
    await show_units(update, context)


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
router.button(r"^units:(add|rename|move)$", open_picker)
router.button(r"^(ua|ur|um):page:\d+$", open_picker)
router.button(r"^ua:\d+$", parent_picked)
router.button(r"^um:\d+$", move_picked)
router.button(r"^ut:\d+:page:\d+$", move_picked)
router.button(r"^ut:\d+:\d+$", target_picked)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    text = filters.TEXT & ~filters.COMMAND & ~router.menu_filter()
    return [
        ConversationHandler(
            name="units_names",
            persistent=True,
            entry_points=[
                CallbackQueryHandler(kind_picked, pattern=r"^uk:"),
                CallbackQueryHandler(rename_picked, pattern=r"^ur:\d+$"),
            ],
            states={
                TYPE_NAME: [MessageHandler(text, name_typed)],
                TYPE_RENAME: [MessageHandler(text, rename_typed)],
            },
            fallbacks=fallbacks(_DATA),
            allow_reentry=True,
        )
    ]
