"""Text of a KẾ HOẠCH → PlanDraft. Never raises: whatever cannot be read stays empty."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TypeVar

from .bases import legal_bases
from .blocks import RANK_LETTER, Block, to_blocks
from .deadlines import find_deadlines
from .header import Header, read_header
from .layout import PlanLayout, find_layout
from .model import DeadlineDraft, PlanDraft, SessionDraft
from .participants import find_participants
from .sessions import find_sessions

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Sections that are not the plan's own schedule: its purpose, and looking back at past results.
_PURPOSE = re.compile(
    r"^(?:mục đích|yêu cầu|mục tiêu|đánh giá|kết quả|tình hình|thực trạng|sơ kết|tổng kết)",
    re.IGNORECASE,
)
_BASES_SECTION = re.compile(r"^căn cứ", re.IGNORECASE)


def extract_plan(text: str) -> PlanDraft:
    """Read what a plan says. Any input is accepted; unrecognised parts stay None/empty."""
    if not isinstance(text, str) or not text.strip():
        return PlanDraft()
    blocks = _guard("blocks", lambda: to_blocks(text), [])
    if not blocks:
        return PlanDraft()
    layout = _guard("layout", lambda: find_layout(blocks), None)
    if layout is None:
        return PlanDraft()
    header = _guard(
        "header",
        lambda: read_header(
            blocks[: layout.header_end],
            blocks,
            blocks[layout.preamble_start : layout.body_start],
        ),
        Header(None, None, None, None),
    )
    start, end = layout.preamble_start, layout.body_end
    participants, used = _guard(
        "participants", lambda: find_participants(blocks, start, end), ([], set())
    )
    skip = _guard("sections", lambda: _skipped(blocks, layout, used), [False] * len(blocks))
    sessions: list[SessionDraft] = _guard(
        "sessions",
        lambda: find_sessions(
            blocks, layout.body_start, end, skip, layout.title, header.issuer_clause
        ),
        [],
    )
    deadlines: list[DeadlineDraft] = _guard(
        "deadlines", lambda: find_deadlines(blocks, start, end), []
    )
    bases: list[str] = _guard("legal bases", lambda: legal_bases(_basis_blocks(blocks, layout)), [])
    return PlanDraft(
        number=header.number,
        issued_on=header.issued_on,
        place=header.place,
        issuer=header.issuer,
        title=layout.title,
        legal_bases=bases,
        sessions=sessions,
        participants=participants,
        deadlines=deadlines,
        issuer_clause=header.issuer_clause,
    )


def _guard(part: str, compute: Callable[[], T], fallback: T) -> T:
    """Run one extractor; a bug in it costs that part only, never the whole draft."""
    try:
        return compute()
    except Exception:
        logger.exception("plan import: extracting %s failed", part)
        return fallback


def _top_sections(blocks: list[Block], layout: PlanLayout) -> list[tuple[int, int]]:
    """(start, end) of the top-level sections of the body (I, II, III... or 1, 2, 3...)."""
    body = range(layout.body_start, layout.body_end)
    ranks = [
        blocks[i].rank for i in body if blocks[i].rank is not None and blocks[i].rank <= RANK_LETTER
    ]
    if not ranks:
        return []
    top = min(rank for rank in ranks if rank is not None)
    heads = [i for i in body if blocks[i].rank == top]
    return list(zip(heads, [*heads[1:], layout.body_end], strict=True))


def _skipped(blocks: list[Block], layout: PlanLayout, used: set[int]) -> list[bool]:
    """Blocks sessions must not be read from: the purpose section and participant lists."""
    skip = [False] * len(blocks)
    for head, end in _top_sections(blocks, layout):
        if _PURPOSE.match(blocks[head].text):
            for index in range(head, end):
                skip[index] = True
    for index in used:
        skip[index] = True
    return skip


def _basis_blocks(blocks: list[Block], layout: PlanLayout) -> list[Block]:
    chosen = blocks[layout.preamble_start : layout.body_start]
    for head, end in _top_sections(blocks, layout):
        if _BASES_SECTION.match(blocks[head].text):
            chosen.extend(blocks[head + 1 : end])
    return chosen
