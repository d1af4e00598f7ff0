"""The /donvi overview: the organiser's unit tree and what can be done with it."""

from __future__ import annotations

from core.i18n import Lang
from handlers.pickers import tree_text
from handlers.step import Turn
from handlers.unit_actions import OpenPicker, PickerKind
from services import units
from services.units import TreeRow
from ui.screen import Choice, Screen


def refusal(lang: Lang) -> Screen:
    return Screen.of(
        lang.t(
            "Only organisers (Ban Tổ chức, Văn phòng) can manage units. "
            "If you need this, ask your committee's organisers."
        )
    )


async def managed_rows(turn: Turn) -> list[TreeRow]:
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
            [
                Choice(lang.t("🔀 Merge"), OpenPicker(PickerKind.MERGE)),
                Choice(lang.t("🗑 Delete"), OpenPicker(PickerKind.DELETE)),
            ],
        ],
    )
