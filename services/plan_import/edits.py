"""Changes the organiser makes to a draft before confirming, as plain data operations (the
chat layer only checks the typed text and says what happened)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .model import PlanDraft


@dataclass(frozen=True, slots=True)
class EditTarget:
    """A field of the draft: "num", "title"; "topic"/"host"/"when"/"venue"/"addr" of session
    `index`; "due"/"what" of deadline `index`."""

    name: str
    index: int | None = None


def apply_typed(draft: PlanDraft, target: EditTarget, value: object) -> None:
    """Put a checked value in place. Raises IndexError when the session or deadline is gone."""
    name, index = target.name, target.index
    if name == "num":
        draft.number = str(value)
    elif name == "title":
        draft.title = str(value)
    elif name in ("due", "what"):
        deadline = draft.deadlines[_index(index)]
        if name == "due":
            assert isinstance(value, date)
            deadline.due = value
        else:
            deadline.what = str(value)
    else:
        session = draft.sessions[_index(index)]
        if name == "topic":
            session.topic = str(value)
        elif name == "host":
            session.host = str(value)
        elif name == "venue":
            session.venue = str(value)
        elif name == "addr":
            session.address = str(value)
        elif name == "when":
            if isinstance(value, datetime):
                session.starts_at, session.month = value, None
            else:
                session.starts_at, session.month = None, str(value)
        else:
            raise ValueError(f"unknown draft field: {name!r}")


def _index(index: int | None) -> int:
    if index is None or index < 0:
        raise IndexError("no such item")
    return index
