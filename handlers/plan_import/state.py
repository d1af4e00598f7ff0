"""What the draft card keeps between presses (in user_data, so it survives a restart):
the draft as JSON, the issuing unit, and the existing unit picked to host each session."""

from __future__ import annotations

from typing import Any

from handlers.common import Context
from services.plan_import import PlanDraft

PENDING_FILES = "pending_files"  # filled by handlers/documents.py
DATA = "plan_import"


class CardState:
    """The import in progress: `draft`, `issuer` (unit id) and `host_ids[n]` (session n's
    picked host unit, or None to match the drafted name against the tree)."""

    def __init__(self, draft: PlanDraft, issuer: int, host_ids: list[int | None]) -> None:
        self.draft = draft
        self.issuer = issuer
        self.host_ids = host_ids + [None] * (len(draft.sessions) - len(host_ids))

    def drop_session(self, index: int) -> None:
        del self.draft.sessions[index]
        del self.host_ids[index]


def load(context: Context) -> CardState | None:
    data: dict[str, Any] | None = (context.user_data or {}).get(DATA)
    if not data or "draft" not in data or data.get("issuer") is None:
        return None
    try:
        draft = PlanDraft.from_json(data["draft"])
    except (KeyError, TypeError, ValueError):
        return None
    return CardState(draft, int(data["issuer"]), list(data.get("host_ids") or []))


def save(context: Context, state: CardState) -> None:
    data = context.user_data.setdefault(DATA, {})  # type: ignore[union-attr]
    data["draft"] = state.draft.to_json()
    data["issuer"] = state.issuer
    data["host_ids"] = state.host_ids[: len(state.draft.sessions)]


def start(context: Context, draft: PlanDraft, issuer: int) -> CardState:
    context.user_data[DATA] = {}  # type: ignore[index]
    state = CardState(draft, issuer, [])
    save(context, state)
    return state


def set_field(context: Context, field: list[str]) -> None:
    """Which value the next typed message answers (["when", "0"], ["num"], ...)."""
    context.user_data[DATA]["field"] = field  # type: ignore[index]


def field(context: Context) -> list[str]:
    return list(((context.user_data or {}).get(DATA) or {}).get("field") or [])


def index_of(state: CardState | None, raw: str, *, deadlines: bool = False) -> int | None:
    """A session (or deadline) index from button data, if it still exists."""
    if state is None or not raw.isdigit():
        return None
    items = state.draft.deadlines if deadlines else state.draft.sessions
    return int(raw) if int(raw) < len(items) else None
