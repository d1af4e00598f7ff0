"""The buttons of the invitations flows, with their wire formats (`inv:…`, `pc:…`, `rsvp:…`).

The RSVP buttons are also written by services.invitations into the outbox rows of the
invitations themselves (`rsvp:<id>:y|n`), so their format never changes. Every press is
re-checked by the services."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from ui.actions import Action


class Scope(StrEnum):
    """Where the people of a group by role are."""

    CELLS = "c"  # the party cells under the issuer
    GRASSROOTS = "g"  # the grassroots organisations under the issuer
    ISSUER = "i"  # the issuing unit itself
    HOST = "h"  # the session's host unit


class Reach(StrEnum):
    """Which sessions a new group attends."""

    SESSION = "s"
    PLAN = "p"


@dataclass(frozen=True, slots=True)
class OpenPanel(Action, prefix="inv:s"):
    session_id: int


@dataclass(frozen=True, slots=True)
class SendNow(Action, prefix="inv:send"):
    session_id: int


@dataclass(frozen=True, slots=True)
class OpenRoles(Action, prefix="pc:r"):
    """The roles of a group (category 0: a new group), as a new message."""

    session_id: int
    category_id: int
    mask: int


@dataclass(frozen=True, slots=True)
class ToggleRole(Action, prefix="pc:rt"):
    """The same, one role (un)chosen: replaced in place."""

    session_id: int
    category_id: int
    mask: int


@dataclass(frozen=True, slots=True)
class OpenScopes(Action, prefix="pc:u"):
    session_id: int
    category_id: int
    mask: int


@dataclass(frozen=True, slots=True)
class RuleScope(Action, prefix="pc:w"):
    """The rule of an existing group is set."""

    session_id: int
    category_id: int
    mask: int
    scope: Scope


@dataclass(frozen=True, slots=True)
class NewByRole(Action, prefix="pc:wn"):
    """A new group by role: its label is asked next."""

    session_id: int
    mask: int
    scope: Scope


@dataclass(frozen=True, slots=True)
class NewNamed(Action, prefix="pc:np"):
    """A new group of named people: its label is asked next."""

    session_id: int


@dataclass(frozen=True, slots=True)
class ReachChosen(Action, prefix="pc:sc"):
    reach: Reach


@dataclass(frozen=True, slots=True)
class OpenPeople(Action, prefix="pc:pl"):
    session_id: int
    category_id: int
    page: int


@dataclass(frozen=True, slots=True)
class PeoplePage(Action, prefix="pc:pp"):
    session_id: int
    category_id: int
    page: int


@dataclass(frozen=True, slots=True)
class TogglePerson(Action, prefix="pc:pt"):
    session_id: int
    category_id: int
    person_id: int
    page: int


@dataclass(frozen=True, slots=True)
class Attend(Action, prefix="rsvp"):
    invitation_id: int
    answer: Literal["y"]


@dataclass(frozen=True, slots=True)
class Decline(Action, prefix="rsvp"):
    invitation_id: int
    answer: Literal["n"]
