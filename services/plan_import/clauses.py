"""Split a sentence that announces several sessions into one clause per host chi bộ.

"Chọn Chi bộ A tổ chức sinh hoạt thường kỳ, Chi bộ B tổ chức sinh hoạt chuyên đề." and
"Chi bộ A ... vào ngày ...; Chi bộ B ... vào ngày ..." are two sessions, each with its own
host, kind and time: the text is cut at the clause boundary before each further host.
"""

from __future__ import annotations

import re

from .fields import host_mentions

_BOUNDARY = re.compile(r"[;,]\s*(?:và\s+|còn\s+)?|\s+và\s+|\.\s+")


def split_by_hosts(text: str) -> list[str]:
    """`text` itself, or its clauses when it names two or more different chi bộ."""
    mentions = host_mentions(text)
    names = {name for _, name in mentions}
    if len(names) < 2:
        return [text]
    cuts: list[int] = []
    seen: set[str] = set()
    previous_end = 0
    for start, name in mentions:
        if name in seen:
            continue  # a host named again in its own clause ("Chi bộ thực hiện: Chi bộ A")
        seen.add(name)
        if cuts or previous_end:
            cut = _boundary_before(text, previous_end, start)
            if cut is not None:
                cuts.append(cut)
        previous_end = start + 1
    pieces = []
    begin = 0
    for cut in cuts:
        pieces.append(text[begin:cut].strip(" ,;"))
        begin = cut
    pieces.append(text[begin:].strip(" ,;"))
    return [piece for piece in pieces if piece] or [text]


def _boundary_before(text: str, floor: int, start: int) -> int | None:
    """Where the clause holding the mention at `start` begins (after the last boundary)."""
    last = None
    for match in _BOUNDARY.finditer(text, floor, start):
        last = match.end()
    return last
