"""The buttons of the plan list and card, and those the card offers into other flows (a new
requirement, the progress table, a session's card). Their wire format is the one older
buttons and notices carry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ui.actions import Action


@dataclass(frozen=True, slots=True)
class PlanPage(Action, prefix="plan:page"):
    page: int


@dataclass(frozen=True, slots=True)
class OpenPlan(Action, prefix="plan"):
    plan_id: int


@dataclass(frozen=True, slots=True)
class NewPlan(Action, prefix="plan:new"):
    """➕ New plan: starts the form."""


@dataclass(frozen=True, slots=True)
class PlanSessions(Action, prefix="plan:ses"):
    plan_id: int


@dataclass(frozen=True, slots=True)
class PlanSessionsPage(Action, prefix="plan:ses"):
    plan_id: int
    word: Literal["page"]
    page: int


@dataclass(frozen=True, slots=True)
class AskIssue(Action, prefix="plan:issue"):
    plan_id: int


@dataclass(frozen=True, slots=True)
class Issue(Action, prefix="plan:issue"):
    plan_id: int
    yes: Literal["yes"]


@dataclass(frozen=True, slots=True)
class AskClose(Action, prefix="plan:close"):
    plan_id: int


@dataclass(frozen=True, slots=True)
class Close(Action, prefix="plan:close"):
    plan_id: int
    yes: Literal["yes"]


@dataclass(frozen=True, slots=True)
class NewRequirement(Action, prefix="req:new"):
    """➕ Report requirement (handlers/requirements)."""

    plan_id: int


@dataclass(frozen=True, slots=True)
class ShowProgress(Action, prefix="prog"):
    """📊 Progress of one plan (handlers/requirements)."""

    plan_id: int


@dataclass(frozen=True, slots=True)
class OpenSessionCard(Action, prefix="ss"):
    """A session's card (handlers/schedule answers `ss:<id>`)."""

    session_id: int
