"""The /dangky buttons and answers: typed actions carrying this run's nonce
(`sr:<nonce>:<action>[:<arg>]`), so a button of another run or of an earlier question is told
apart, and the draft the conversation keeps until ✅ Confirm."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from services.vn_datetime import MonthOnly
from storage.models import SessionKind
from ui.actions import Action


class Step(StrEnum):
    """The questions, in the order they are asked (the first eight are the session's details)."""

    PLAN = "plan"
    HOST = "host"
    KIND = "kind"
    TOPIC = "topic"
    WHEN = "when"
    DURATION = "duration"
    VENUE = "venue"
    ADDRESS = "address"
    CONFIRM = "confirm"
    EDIT = "edit"


STEPS = tuple(Step)
STATE = {step: n for n, step in enumerate(STEPS)}  # the conversation state of each question
FIELDS = STEPS[:8]
TEXT_STEPS = frozenset({Step.TOPIC, Step.WHEN, Step.VENUE, Step.ADDRESS})
DURATIONS = (90, 120, 150, 180)


class Pick(StrEnum):
    """What a numbered choice chooses."""

    PLAN = "plan"
    HOST = "host"
    DURATION = "dur"


@dataclass(frozen=True, slots=True)
class Picked(Action, prefix="sr"):
    """A plan, a host unit (by id) or a duration (minutes)."""

    nonce: str
    what: Pick
    value: int


@dataclass(frozen=True, slots=True)
class PageTurned(Action, prefix="sr"):
    nonce: str
    what: Pick
    word: Literal["page"]
    page: int


@dataclass(frozen=True, slots=True)
class KindPicked(Action, prefix="sr"):
    nonce: str
    word: Literal["kind"]
    kind: SessionKind


@dataclass(frozen=True, slots=True)
class DetailPicked(Action, prefix="sr"):
    """The detail to change, from the summary."""

    nonce: str
    word: Literal["ef"]
    field: Step


class Verb(StrEnum):
    SAME = "same"  # the address is the venue's
    CONFIRM = "ok"
    CHANGE = "edit"  # ✏️ on the summary: which detail?
    BACK = "back"  # back to the summary
    KEEP = "keep"  # while a detail is being changed: keep it as it was
    STOP = "x"


@dataclass(frozen=True, slots=True)
class Pressed(Action, prefix="sr"):
    nonce: str
    verb: Verb


@dataclass(frozen=True, slots=True)
class ReportFor(Action, prefix="do:rep"):
    """📝 on a notice of what a plan asks of a unit: report its sessions (the unit's own, or
    its chi bộ's for a đảng ủy cơ sở). The wire format is services.plans.deliverables'."""

    plan_id: int
    unit_id: int


@dataclass(slots=True)
class ReportDraft:
    """The answers so far (None: not given), the question being asked, and this run's nonce.

    `when` is ISO for a day and time, YYYY-MM for a month. While a detail is changed from the
    summary, `editing` names it and `old` keeps its value for "keep as it was"."""

    nonce: str
    step: Step = Step.PLAN
    plan: int | None = None
    host: int | None = None
    kind: SessionKind | None = None
    topic: str | None = None
    when: str | None = None
    duration: int | None = None
    venue: str | None = None
    address: str | None = None
    single_plan: bool = False  # chosen alone: the only plan (not offered for a change)
    single_host: bool = False
    within: int | None = None  # started from a notice: hosts in this unit's subtree only
    editing: Step | None = None
    old: Any = None

    @staticmethod
    def fresh() -> ReportDraft:
        return ReportDraft(secrets.token_hex(3))

    def get(self, field: Step) -> Any:
        return getattr(self, field.value)

    def set(self, field: Step, value: Any) -> None:
        setattr(self, field.value, value)

    def needed(self) -> list[Step]:
        """The details this session needs (a topic only for a thematic session)."""
        return [f for f in FIELDS if f != Step.TOPIC or self.kind == SessionKind.CHUYEN_DE]

    def next_step(self) -> Step:
        for field in self.needed():
            if self.get(field) is None:
                return field
        return Step.CONFIRM

    def missing(self) -> list[Step]:
        return [f for f in self.needed() if self.get(f) is None]

    def when_value(self) -> datetime | MonthOnly | None:
        if not self.when:
            return None
        if len(self.when) == 7:
            year, month = self.when.split("-")
            return MonthOnly(int(year), int(month))
        return datetime.fromisoformat(self.when)

    def finish_edit(self, field: Step) -> None:
        """The detail being changed from the summary has its new value."""
        if self.editing == field:
            self.editing = None
            self.old = None
