"""What the draft card keeps between presses (pickled in user_data, so it survives a restart):
the draft, the issuing unit, the existing unit picked to host each session; and, while the
organiser types a value, which value it is."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.plan_import import PlanDraft


@dataclass(slots=True)
class ImportCard:
    """The import in progress: `host_ids[n]` is session n's picked host unit, or None to
    match the drafted name against the tree."""

    draft: PlanDraft
    issuer: int
    host_ids: list[int | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.fit_hosts()

    def fit_hosts(self) -> None:
        count = len(self.draft.sessions)
        self.host_ids = (self.host_ids + [None] * count)[:count]

    def session(self, index: int) -> int | None:
        """`index` if session `index` still exists."""
        return index if index < len(self.draft.sessions) else None

    def deadline(self, index: int) -> int | None:
        return index if index < len(self.draft.deadlines) else None

    def drop_session(self, index: int) -> None:
        del self.draft.sessions[index]
        del self.host_ids[index]


@dataclass(slots=True)
class TypedValue:
    """Which value the next typed message answers: "num", "title", a session's field or a
    deadline's (with its index)."""

    name: str
    index: int | None = None
