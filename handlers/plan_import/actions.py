"""The buttons of the draft card and its menus. `ip:ok` is the wire format older cards carry;
`imp:<n>` (📥 Import, on a sent file) is handlers/files.py's ImportFile."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from storage.models import SessionKind
from ui.actions import Action


class Part(StrEnum):
    SESSION = "s"
    DEADLINE = "d"


class SessionField(StrEnum):
    """A session's value typed on the card."""

    TOPIC = "topic"
    HOST = "host"
    WHEN = "when"
    VENUE = "venue"
    ADDRESS = "addr"


class DeadlineField(StrEnum):
    DUE = "due"
    WHAT = "what"


@dataclass(frozen=True, slots=True)
class Confirm(Action, prefix="ip:ok"):
    """✅ Create plan: the only press that creates anything."""


@dataclass(frozen=True, slots=True)
class CancelImport(Action, prefix="ip:cancel"):
    """✖ on the card: the draft is thrown away."""


@dataclass(frozen=True, slots=True)
class BackToCard(Action, prefix="ip:card"):
    pass


@dataclass(frozen=True, slots=True)
class DropPart(Action, prefix="ip:drop"):
    part: Part
    index: int


@dataclass(frozen=True, slots=True)
class PickIssuer(Action, prefix="ip:issuer"):
    pass


@dataclass(frozen=True, slots=True)
class IssuerPage(Action, prefix="ip:iss:page"):
    page: int


@dataclass(frozen=True, slots=True)
class IssuerPicked(Action, prefix="ip:iss"):
    unit_id: int


@dataclass(frozen=True, slots=True)
class OpenSession(Action, prefix="ip:s"):
    index: int


@dataclass(frozen=True, slots=True)
class SetKind(Action, prefix="ip:sk"):
    index: int
    kind: SessionKind


@dataclass(frozen=True, slots=True)
class PickHost(Action, prefix="ip:hp"):
    index: int


@dataclass(frozen=True, slots=True)
class HostPage(Action, prefix="ip:hp"):
    index: int
    word: Literal["page"]
    page: int


@dataclass(frozen=True, slots=True)
class HostPicked(Action, prefix="ip:hs"):
    index: int
    unit_id: int


@dataclass(frozen=True, slots=True)
class AddSession(Action, prefix="ip:add"):
    pass


@dataclass(frozen=True, slots=True)
class NewSession(Action, prefix="ip:new"):
    kind: SessionKind


@dataclass(frozen=True, slots=True)
class OpenDeadline(Action, prefix="ip:d"):
    index: int


@dataclass(frozen=True, slots=True)
class AskNumber(Action, prefix="ip:num"):
    """✏️ Number: the next text is the plan's number."""


@dataclass(frozen=True, slots=True)
class AskTitle(Action, prefix="ip:title"):
    pass


@dataclass(frozen=True, slots=True)
class AskSessionValue(Action, prefix="ip"):
    field: SessionField
    index: int


@dataclass(frozen=True, slots=True)
class AskDeadlineValue(Action, prefix="ip"):
    field: DeadlineField
    index: int
