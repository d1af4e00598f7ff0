"""A unit tree as choices and as text: each unit's label indented by its depth (for pickers
paged by `ui.common.paged`), and the tree drawn as lines."""

from __future__ import annotations

from collections.abc import Sequence

from services.units import TreeRow


def tree_items(rows: Sequence[TreeRow]) -> list[tuple[str, str]]:
    """(label, unit id) per unit: "· " per level before the name."""
    return [("· " * row.depth + row.unit.name, str(row.unit.id)) for row in rows]


def tree_text(rows: Sequence[TreeRow]) -> str:
    lines = []
    for row in rows:
        marker = "🏛 " if row.depth == 0 else "    " * (row.depth - 1) + "└ "
        lines.append(marker + row.unit.name)
    return "\n".join(lines)
