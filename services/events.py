"""What happened, as services record it on the unit of work (`Ctx.record`).

Events are plain values. Other services react to them in the same transaction (see
`services.context.reacts_to`; the reactions are wired in `services.reactions`): a writer says
"the session moved" and never needs to know that reminders are re-planned because of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.models import ModelSession, Plan, Requirement


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every recorded event."""


@dataclass(frozen=True, slots=True)
class SessionChanged(Event):
    """A session was created or any of its details (time, place, status) changed."""

    session: ModelSession


@dataclass(frozen=True, slots=True)
class SessionReported(SessionChanged):
    pass


@dataclass(frozen=True, slots=True)
class SessionEdited(SessionChanged):
    pass


@dataclass(frozen=True, slots=True)
class SessionRescheduled(SessionChanged):
    pass


@dataclass(frozen=True, slots=True)
class SessionFirmedUp(SessionChanged):
    pass


@dataclass(frozen=True, slots=True)
class SessionCancelled(SessionChanged):
    pass


@dataclass(frozen=True, slots=True)
class SessionHeld(Event):
    """A session was marked as held (what was planned for it stays)."""

    session: ModelSession


@dataclass(frozen=True, slots=True)
class InviteesAdded(Event):
    """People were invited to a session (a later round reaches only the new ones)."""

    session: ModelSession
    person_ids: Sequence[int]


@dataclass(frozen=True, slots=True)
class PersonCheckedIn(Event):
    """A person checked in at a session for the first time."""

    session: ModelSession
    person_id: int


@dataclass(frozen=True, slots=True)
class FeedbackPeriodChanged(Event):
    """How long a plan keeps feedback open changed: everything timed by it moves."""

    plan_id: int


@dataclass(frozen=True, slots=True)
class RequirementAdded(Event):
    plan: Plan
    requirement: Requirement
