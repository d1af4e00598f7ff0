"""Inline keyboards for choosing among many items, a page at a time.

Buttons are stateless: the callback data says everything needed (`prefix:value`,
`prefix:page:N`), so a press works after a restart and is re-checked by the services.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from core.i18n import Lang
from services.units import TreeRow

PAGE_SIZE = 8
CANCEL = "x:cancel"


def paged_keyboard(
    lang: Lang,
    items: Sequence[tuple[str, str]],
    prefix: str,
    page: int = 0,
) -> InlineKeyboardMarkup:
    """`items` are (label, value); buttons carry `prefix:value` and `prefix:page:N`."""
    pages = max(1, (len(items) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    chunk = items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows = [
        [InlineKeyboardButton(label[:60], callback_data=f"{prefix}:{value}")]
        for label, value in chunk
    ]
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀", callback_data=f"{prefix}:page:{page - 1}"))
    if pages > 1:
        nav.append(
            InlineKeyboardButton(f"{page + 1}/{pages}", callback_data=f"{prefix}:page:{page}")
        )
    if page < pages - 1:
        nav.append(InlineKeyboardButton("▶", callback_data=f"{prefix}:page:{page + 1}"))
    if nav:
        rows.append(nav)
    rows.append([cancel_button(lang)])
    return InlineKeyboardMarkup(rows)


def cancel_button(lang: Lang) -> InlineKeyboardButton:
    return InlineKeyboardButton(lang.t("✖ Cancel"), callback_data=CANCEL)


def tree_items(rows: Sequence[TreeRow]) -> list[tuple[str, str]]:
    return [("· " * row.depth + row.unit.name, str(row.unit.id)) for row in rows]


def tree_text(rows: Sequence[TreeRow]) -> str:
    lines = []
    for row in rows:
        marker = "🏛 " if row.depth == 0 else "    " * (row.depth - 1) + "└ "
        lines.append(marker + row.unit.name)
    return "\n".join(lines)


def split_data(data: str | None, prefix: str) -> list[str] | None:
    """The parts after `prefix:`, or None when the data is not ours or malformed."""
    if not data or not data.startswith(prefix + ":"):
        return None
    parts = data[len(prefix) + 1 :].split(":")
    return parts if all(parts) else None


def pressed_ids(update: Update, prefix: str, count: int) -> list[int] | None:
    """The `count` numbers after `prefix:` in the pressed button's data, or None when it is not that."""
    parts = split_data(update.callback_query.data if update.callback_query else None, prefix)
    if not parts or len(parts) != count or not all(p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


def one_id(update: Update, prefix: str) -> int | None:
    """The one number after `prefix:` in the pressed button's data (`prefix:<id>`), or None."""
    ids = pressed_ids(update, prefix, 1)
    return ids[0] if ids else None


def page_of(parts: list[str]) -> int | None:
    """`[..., "page", "N"]` → N."""
    if len(parts) >= 2 and parts[-2] == "page" and parts[-1].isdigit():
        return int(parts[-1])
    return None
