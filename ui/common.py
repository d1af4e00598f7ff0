"""Actions and choices every flow shares: cancel, a press that changes nothing, paging."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.i18n import Lang
from ui.actions import Action
from ui.screen import Choice, Screen

PAGE_SIZE = 8
LABEL_WIDTH = 60


@dataclass(frozen=True, slots=True)
class Cancel(Action, prefix="x:cancel"):
    """✖: stop the flow that is open."""


@dataclass(frozen=True, slots=True)
class Noop(Action, prefix="x:noop"):
    """A press that changes nothing (the page indicator): acknowledged quietly."""


def cancel_choice(lang: Lang) -> Choice:
    return Choice(lang.t("✖ Cancel"), Cancel())


def stale_screen(lang: Lang) -> Screen:
    """The answer to a press whose button belongs to a finished step (or is not ours)."""
    return Screen.of(
        lang.t("That button belongs to a finished step. Please start again from the menu."),
        toast=lang.t("This button is no longer active."),
    )


def short_label(label: str, width: int = LABEL_WIDTH) -> str:
    """`label` cut at a word boundary with "…" when it is longer than `width`."""
    label = " ".join(label.split())
    if len(label) <= width:
        return label
    cut = label[: width - 1]
    space = cut.rfind(" ")
    if space >= width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + "…"


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, (total + size - 1) // size)


def paged(
    lang: Lang,
    items: Sequence[tuple[str, Action]],
    page: int,
    page_action: Callable[[int], Action],
    *,
    cancel: bool = True,
    size: int = PAGE_SIZE,
) -> list[list[Choice]]:
    """Rows of one page of `items` (label, action), ◀ n/N ▶ to flip, and ✖ Cancel."""
    pages = page_count(len(items), size)
    page = min(max(page, 0), pages - 1)
    rows = [
        [Choice(short_label(label), action)]
        for label, action in items[page * size : (page + 1) * size]
    ]
    nav = []
    if page > 0:
        nav.append(Choice("◀", page_action(page - 1)))
    if pages > 1:
        nav.append(Choice(f"{page + 1}/{pages}", page_action(page)))
    if page < pages - 1:
        nav.append(Choice("▶", page_action(page + 1)))
    if nav:
        rows.append(nav)
    if cancel:
        rows.append([cancel_choice(lang)])
    return rows


def folded(text: str) -> str:
    """`text` for matching what people type: case, diacritics and đ ignored."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join(
        "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split()
    )


def name_matches(name: str, typed: str) -> bool:
    """Whether `typed` is part of `name` ("khoa toan" finds "Chi bộ Khoa Toán")."""
    wanted = folded(typed)
    return bool(wanted) and wanted in folded(name)


def offers_search(count: int, size: int = PAGE_SIZE) -> bool:
    """A picker of more than one page offers typing part of a name instead of paging."""
    return count > size
