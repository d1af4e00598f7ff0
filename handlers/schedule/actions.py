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
    "FirmUp",
    "NoReason",
    "OpenSessionCard",
    "Reschedule",
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


class Change(StrEnum):
    MOVE = "move"
    FIRM = "firm"
    CANCEL = "cancel"


@dataclass(slots=True)
class ChangeDraft:
    """The session being changed, how, and (for a move) the new time as stored: ISO for a day
    and time, YYYY-MM for a month."""

    session_id: int
    change: Change
    when: str | None = None
