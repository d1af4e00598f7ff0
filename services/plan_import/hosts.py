"""Which unit of the tree hosts each drafted session, before anything is created.

A host is matched to the existing tree by its normalised name *and* its parent: "Chi bộ 01"
of one đảng bộ is not "Chi bộ 01" of another. What does not match is a new unit, created
only when the organiser confirms (services/plan_import/apply.py), and at most once even when
several sessions name it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from storage.models import Unit, UnitKind

from .model import SessionDraft

# Old-style tone placement ("hoà", "thuỷ") is compared as the modern one ("hòa", "thủy").
_MODERN = {
    f"{vowel}{toned}": f"{marked}{glide}"
    for vowel, glide, pairs in (
        ("o", "a", zip("àáảãạ", "òóỏõọ", strict=True)),
        ("o", "e", zip("èéẻẽẹ", "òóỏõọ", strict=True)),
        ("u", "y", zip("ỳýỷỹỵ", "ùúủũụ", strict=True)),
    )
    for toned, marked in pairs
}
# Only where the pair ends the syllable: "hoà" → "hòa", but "hoạt" stays.
_OLD_TONE = re.compile("(?:" + "|".join(_MODERN) + r")(?!\w)")
_PUNCTUATION = re.compile(r"[^\w\s]")
_NUMBER_WORD = re.compile(r"\bsố\s+(?=\d)")
_LEADING_ZEROS = re.compile(r"\b0+(?=\d)")
_CITY = re.compile(r"\btp\b")


def normalise_name(name: str) -> str:
    """The form two spellings of one unit's name share: case, tone placement, punctuation,
    "số 4" / "4", "01" / "1" and "Tp" / "thành phố" do not matter."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = _OLD_TONE.sub(lambda m: _MODERN[m.group(0)], text)
    text = _PUNCTUATION.sub(" ", text)
    text = _CITY.sub("thành phố", _LEADING_ZEROS.sub("", _NUMBER_WORD.sub("", text)))
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class NewUnit:
    """A unit confirming would create: its name, kind and where it goes."""

    name: str
    kind: UnitKind
    parent_name: str  # an existing unit, or a NewUnit created just before it


@dataclass(frozen=True, slots=True)
class HostMatch:
    unit: Unit | None  # the existing unit that hosts the session
    new: tuple[NewUnit, ...]  # what confirming creates for it (parent first), or ()

    @property
    def is_new(self) -> bool:
        return self.unit is None and bool(self.new)


class UnitTree:
    """The issuer's subtree, searchable by normalised name; units made while applying join it."""

    def __init__(self, issuer: Unit, units: Sequence[Unit]) -> None:
        self.issuer = issuer
        self.units = list(units)

    def add(self, unit: Unit) -> None:
        self.units.append(unit)

    def get(self, unit_id: int | None) -> Unit | None:
        return next((unit for unit in self.units if unit.id == unit_id), None)

    def below(self, top: Unit) -> list[Unit]:
        """Every unit under `top` (not itself)."""
        children: dict[int | None, list[Unit]] = {}
        for unit in self.units:
            children.setdefault(unit.parent_id, []).append(unit)
        found: list[Unit] = []
        stack = list(children.get(top.id, []))
        while stack:
            unit = stack.pop(0)
            found.append(unit)
            stack.extend(children.get(unit.id, []))
        return found

    def find(self, name: str, top: Unit, kinds: tuple[UnitKind, ...]) -> Unit | None:
        """The unit called `name` under `top`: a direct child first, else the only match."""
        wanted = normalise_name(name)
        matches = [
            unit
            for unit in self.below(top)
            if normalise_name(unit.name) == wanted and UnitKind(unit.kind) in kinds
        ]
        direct = [unit for unit in matches if unit.parent_id == top.id]
        if direct:
            return direct[0]
        return matches[0] if len(matches) == 1 else None


_PARENT_KINDS = (UnitKind.GRASSROOTS, UnitKind.SUB_COMMITTEE, UnitKind.COMMITTEE)
_HOST_KINDS = (UnitKind.CELL, UnitKind.GRASSROOTS, UnitKind.SUB_COMMITTEE, UnitKind.COMMITTEE)


def match_host(tree: UnitTree, session: SessionDraft, chosen: int | None = None) -> HostMatch:
    """The host of one session: the unit the organiser picked, else the tree's unit of that
    name under that parent, else the new unit(s) confirming would create."""
    picked = tree.get(chosen) if chosen is not None else None
    if picked is not None:
        return HostMatch(picked, ())
    issuer = tree.issuer
    if not session.host:
        return HostMatch(issuer if session.kind == "hoi_thao" else None, ())
    if normalise_name(session.host) == normalise_name(issuer.name):
        return HostMatch(issuer, ())
    parent: Unit | None = issuer
    new: list[NewUnit] = []
    parent_name = session.host_parent
    if parent_name and normalise_name(parent_name) != normalise_name(issuer.name):
        parent = tree.find(parent_name, issuer, _PARENT_KINDS)
        if parent is None:
            new.append(NewUnit(parent_name, UnitKind.GRASSROOTS, issuer.name))
    if parent is not None:
        host = tree.find(session.host, parent, _HOST_KINDS)
        if host is not None:
            return HostMatch(host, ())
    new.append(NewUnit(session.host, UnitKind.CELL, parent.name if parent else parent_name or ""))
    return HostMatch(None, tuple(new))


_BOARD_PREFIX = re.compile(r"^(?:ban thường vụ|ban chấp hành|thường trực)\s+", re.IGNORECASE)


def match_issuer(candidates: Sequence[Unit], names: Sequence[str | None]) -> Unit | None:
    """The unit (among those the organiser manages) that issues the plan. The opening
    sentence ("Ban Thường vụ Đảng ủy Khối X ban hành Kế hoạch") is tried before the header:
    it names the issuer more precisely. A "Ban Thường vụ" issues for its committee."""
    by_name: dict[str, list[Unit]] = {}
    for unit in candidates:
        by_name.setdefault(normalise_name(unit.name), []).append(unit)
    for raw in names:
        if not raw:
            continue
        for name in (raw, _BOARD_PREFIX.sub("", raw.strip())):
            found = by_name.get(normalise_name(name))
            if found:
                return found[0]
    return None
