"""What the /tonghop buttons carry (`sum:…`, kept as they were) and what the settings
conversation keeps between steps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from ui.actions import Action


@dataclass(frozen=True, slots=True)
class PlansPage(Action, prefix="sum:p:page"):
    page: int


@dataclass(frozen=True, slots=True)
class PlanPicked(Action, prefix="sum:p"):
    plan_id: int


@dataclass(frozen=True, slots=True)
class SessionsPage(Action, prefix="sum:sp"):
    plan_id: int
    word: Literal["page"]
    page: int


@dataclass(frozen=True, slots=True)
class SessionPicked(Action, prefix="sum:sp"):
    plan_id: int
    session_id: int


class Export(StrEnum):
    ROLL = "roll"
    FEEDBACK = "fb"
    PLAN_FEEDBACK = "fbp"
    REPORT = "docx"


@dataclass(frozen=True, slots=True)
class ExportPressed(Action, prefix="sum:x"):
    what: Export
    ident: int  # the session (the plan for PLAN_FEEDBACK)


@dataclass(frozen=True, slots=True)
class ShowSettings(Action, prefix="sum:cfg"):
    plan_id: int


@dataclass(frozen=True, slots=True)
class SetNames(Action, prefix="sum:cfg"):
    plan_id: int
    word: Literal["names"]
    show: bool


@dataclass(frozen=True, slots=True)
class SetDays(Action, prefix="sum:cfg"):
    plan_id: int
    word: Literal["days"]
    days: int


@dataclass(frozen=True, slots=True)
class ResetScoring(Action, prefix="sum:cfg"):
    plan_id: int
    word: Literal["reset"]


@dataclass(frozen=True, slots=True)
class AskWeights(Action, prefix="sumw"):
    plan_id: int


@dataclass(frozen=True, slots=True)
class AskThresholds(Action, prefix="sumt"):
    plan_id: int


@dataclass(slots=True)
class ScoringDraft:
    """The plan whose weights or thresholds are being typed."""

    plan_id: int
    thresholds: bool
