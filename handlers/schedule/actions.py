"""What the /lich buttons carry (`ss:<id>` opens a card, also from /kehoach and the
confirmations; `sh:<id>` its history; `sm`/`sf`/`sk:<id>` start a change; `sq:<id>` "no
reason") and what the change conversation keeps between steps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from handlers.plans.actions import OpenSessionCard
from ui.actions import Action

__all__ = [
    "CancelSession",
    "Change",
    "ChangeDraft",
    "Detail",
    "EditDetail",
    "EditDetails",
    "FirmUp",
    "MarkHeld",
    "MarkNotHeld",
    "NoReason",
    "OpenSessionCard",
    "Reschedule",
    "SameAsVenue",
    "ShowHistory",
]


@dataclass(frozen=True, slots=True)
class ShowHistory(Action, prefix="sh"):
    session_id: int


@dataclass(frozen=True, slots=True)
class Reschedule(Action, prefix="sm"):
    session_id: int


@dataclass(frozen=True, slots=True)
class FirmUp(Action, prefix="sf"):
    session_id: int


@dataclass(frozen=True, slots=True)
class CancelSession(Action, prefix="sk"):
    session_id: int


@dataclass(frozen=True, slots=True)
class NoReason(Action, prefix="sq"):
    """A reschedule without a reason."""

    session_id: int


class Detail(StrEnum):
    """What the card's "edit details" can change."""

    VENUE = "venue"
    ADDRESS = "address"
    DURATION = "duration"
    TOPIC = "topic"


@dataclass(frozen=True, slots=True)
class EditDetails(Action, prefix="sd"):
    """The card's "edit details": which detail to change."""

    session_id: int


@dataclass(frozen=True, slots=True)
class EditDetail(Action, prefix="sdf"):
    session_id: int
    detail: Detail


@dataclass(frozen=True, slots=True)
class SameAsVenue(Action, prefix="sdv"):
    """The address is the venue's own (nothing more to type)."""

    session_id: int


@dataclass(frozen=True, slots=True)
class MarkHeld(Action, prefix="sdh"):
    session_id: int


@dataclass(frozen=True, slots=True)
class MarkNotHeld(Action, prefix="sdn"):
    session_id: int


class Change(StrEnum):
    MOVE = "move"
    FIRM = "firm"
    CANCEL = "cancel"
    DETAIL = "detail"
    HELD = "held"
    NOT_HELD = "not_held"


@dataclass(slots=True)
class ChangeDraft:
    """The session being changed, how, and (for a move) the new time as stored: ISO for a day
    and time, YYYY-MM for a month."""

    session_id: int
    change: Change
    when: str | None = None
    detail: Detail | None = None  # for Change.DETAIL
