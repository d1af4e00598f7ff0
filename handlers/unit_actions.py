"""The buttons of /donvi and what its typed steps keep (a unit's name, a name to look for)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storage.models import UnitKind
from ui.actions import Action


class PickerKind:
    """Which picker a press belongs to: what it offers and what it asks."""

    ADD, RENAME, MOVE, DELETE, MERGE = "add", "rename", "move", "delete", "merge"
    INVITE = "invite"  # /moi's unit picker (handlers.invites), searched here too


@dataclass(frozen=True, slots=True)
class OpenPicker(Action, prefix="units"):
    mode: str  # add | rename | move | delete | merge


@dataclass(frozen=True, slots=True)
class ParentPage(Action, prefix="ua:page"):
    page: int


@dataclass(frozen=True, slots=True)
class RenamePage(Action, prefix="ur:page"):
    page: int


@dataclass(frozen=True, slots=True)
class MoveUnitPage(Action, prefix="um:page"):
    page: int


@dataclass(frozen=True, slots=True)
class ParentPicked(Action, prefix="ua"):
    unit_id: int


@dataclass(frozen=True, slots=True)
class KindPicked(Action, prefix="uk"):
    parent_id: int
    kind: UnitKind


@dataclass(frozen=True, slots=True)
class RenamePicked(Action, prefix="ur"):
    unit_id: int


@dataclass(frozen=True, slots=True)
class MovePicked(Action, prefix="um"):
    unit_id: int


@dataclass(frozen=True, slots=True)
class MovePage(Action, prefix="ut"):
    unit_id: int
    word: Literal["page"]
    page: int


@dataclass(frozen=True, slots=True)
class TargetPicked(Action, prefix="ut"):
    unit_id: int
    target_id: int


@dataclass(slots=True)
class NewUnitDraft:
    parent_id: int
    kind: UnitKind


@dataclass(slots=True)
class RenameDraft:
    unit_id: int


@dataclass(frozen=True, slots=True)
class DeletePicked(Action, prefix="ud"):
    unit_id: int


@dataclass(frozen=True, slots=True)
class ConfirmDelete(Action, prefix="ud:ok"):
    unit_id: int


@dataclass(frozen=True, slots=True)
class MergePicked(Action, prefix="ug"):
    """The unit to merge away: the one to merge it into is asked next."""

    unit_id: int


@dataclass(frozen=True, slots=True)
class MergeInto(Action, prefix="ug:to"):
    unit_id: int
    into_id: int


@dataclass(frozen=True, slots=True)
class ConfirmMerge(Action, prefix="ug:ok"):
    unit_id: int
    into_id: int


@dataclass(frozen=True, slots=True)
class PickerPage(Action, prefix="up"):
    """A page of the delete / merge pickers (`unit_id`: the unit being merged, or 0)."""

    mode: str
    unit_id: int
    page: int


@dataclass(frozen=True, slots=True)
class FindUnit(Action, prefix="uf"):
    """🔎 in a picker of more than a page: type part of the name instead of paging."""

    mode: str
    unit_id: int


@dataclass(slots=True)
class FindDraft:
    mode: str
    unit_id: int
