"""Legal bases: the documents a plan says it implements ("Căn cứ ...", "Thực hiện ...")."""

from __future__ import annotations

import re

from .blocks import Block
from .vocab import BASIS_LEAD, DOCUMENT_NUMBER, DOCUMENT_TYPE, DOCUMENT_TYPES, ISSUER_CLAUSE

_CLAUSE_SPLIT = re.compile(
    r";|\.\s+(?=(?:Căn cứ|Thực hiện|Theo|Triển khai|Nhằm|Để)\b)"
    r"|,?\s+(?:và|cùng với)\s+(?=(?:" + "|".join(DOCUMENT_TYPES) + r")\s+(?:số\s+)?\d)"
)
# A trailing ", <issuer> xây dựng kế hoạch ... như sau:" is the issuer speaking, not a basis.
_ISSUER_TAIL = re.compile(
    r",[^,]{0,200}?\b(?:xây dựng|ban hành|triển khai)\s+[Kk]ế hoạch.*$"
    r"|,[^,]{0,200}?\bnhư sau\s*:?\s*$"
)
_MAX_BASIS_CHARS = 400


def legal_bases(blocks: list[Block]) -> list[str]:
    """Each referenced document once, in order, without the leading verb."""
    found: dict[str, None] = {}
    for block in blocks:
        if block.is_table:
            continue
        for clause in _CLAUSE_SPLIT.split(block.text):
            basis = _basis(clause)
            if basis:
                found.setdefault(basis)
    return list(found)


def _basis(clause: str) -> str | None:
    text = clause.strip(" -–+•,.:")
    led = BASIS_LEAD.match(text)
    if led:
        text = text[led.end() :]
    text = _ISSUER_TAIL.sub("", text).strip(" ,.:;")
    if not text or ISSUER_CLAUSE.match(text):
        return None
    if not (DOCUMENT_TYPE.match(text) or (led and DOCUMENT_NUMBER.search(text))):
        return None
    if len(text) > _MAX_BASIS_CHARS:
        text = text[:_MAX_BASIS_CHARS].rsplit(" ", 1)[0] + "…"
    return text[0].upper() + text[1:]
