"""Who attends: the "Thành phần (tham dự)" lists of a plan."""

from __future__ import annotations

from collections.abc import Sequence

from .blocks import RANK_BULLET, RANK_LETTER, Block
from .vocab import PARTICIPANTS_BACK_REFERENCE, PARTICIPANTS_LABEL

_MAX_ITEM_CHARS = 300


def find_participants(blocks: Sequence[Block], start: int, end: int) -> tuple[list[str], set[int]]:
    """Participant categories in order (each once), and the indices of the blocks they used."""
    items: dict[str, None] = {}
    used: set[int] = set()
    for index in range(start, end):
        block = blocks[index]
        if block.is_table or index in used:
            continue
        match = PARTICIPANTS_LABEL.match(block.text)
        if not match:
            continue
        used.add(index)
        inline = block.text[match.end() :]
        for piece in inline.split(";"):
            _add(items, piece)
        for child in _children(blocks, index, end):
            used.add(child)
            if blocks[child].rank is None:  # a paragraph under a heading: "A; B; C."
                for piece in blocks[child].text.split(";"):
                    _add(items, piece)
            else:
                _add(items, blocks[child].text)
    return list(items), used


def _children(blocks: Sequence[Block], label: int, end: int) -> list[int]:
    """The list items under a label: deeper-ranked blocks right after it."""
    rank = blocks[label].rank
    if rank is not None and rank <= RANK_LETTER and blocks[label + 1 : label + 2]:
        following = blocks[label + 1]
        if following.rank is None and not following.is_table and label + 1 < end:
            return [label + 1]  # "4. Thành phần" and the paragraph under it
    children = []
    for index in range(label + 1, end):
        block = blocks[index]
        if block.is_table or block.rank is None:
            break
        if rank is not None and block.rank <= rank:
            break
        if rank is None and block.rank < RANK_BULLET:
            break
        children.append(index)
    return children


def _add(items: dict[str, None], piece: str) -> None:
    item = piece.strip(" \t-–+•,.;:")
    if not item or PARTICIPANTS_BACK_REFERENCE.search(item):
        return
    if len(item) > _MAX_ITEM_CHARS:
        item = item[:_MAX_ITEM_CHARS].rsplit(" ", 1)[0] + "…"
    items.setdefault(item[0].upper() + item[1:])
