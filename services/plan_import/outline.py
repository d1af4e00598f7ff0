"""The outline of a plan: which block encloses which, computed once in linear time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .blocks import Block


@dataclass(frozen=True, slots=True)
class Outline:
    """For each block index i:

    - `parent[i]`: the nearest enclosing ranked block (for a plain paragraph: the last ranked
      block before it), or None;
    - `section[i]`: the nearest numbered block (or heading) before i, or None;
    - `scope_end[i]`: for a ranked block, the index of the next block ranked as high or
      higher (where its section ends); for a plain paragraph, i + 1.
    """

    parent: list[int | None]
    section: list[int | None]
    scope_end: list[int]


def build_outline(blocks: Sequence[Block]) -> Outline:
    count = len(blocks)
    parent: list[int | None] = [None] * count
    section: list[int | None] = [None] * count
    scope_end = [index + 1 for index in range(count)]

    open_sections: list[int] = []  # ranked blocks with strictly increasing ranks
    last_numbered: int | None = None
    for index, block in enumerate(blocks):
        section[index] = last_numbered
        if block.rank is None:
            parent[index] = open_sections[-1] if open_sections else None
            continue
        while open_sections and _rank(blocks, open_sections[-1]) >= block.rank:
            open_sections.pop()
        parent[index] = open_sections[-1] if open_sections else None
        open_sections.append(index)
        if block.numbered:
            last_numbered = index

    following: list[int] = []  # ranked blocks to the right, ranks strictly increasing from top
    for index in range(count - 1, -1, -1):
        rank = blocks[index].rank
        if rank is None:
            continue
        while following and _rank(blocks, following[-1]) > rank:
            following.pop()
        scope_end[index] = following[-1] if following else count
        following.append(index)
    return Outline(parent=parent, section=section, scope_end=scope_end)


def _rank(blocks: Sequence[Block], index: int) -> float:
    rank = blocks[index].rank
    return rank if rank is not None else float("inf")
