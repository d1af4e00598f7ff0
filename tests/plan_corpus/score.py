"""Field-by-field score of an extracted draft against the expected one.

Every scalar field of the plan and of each expected session is one field; every expected
legal basis, participant group and deadline (its date, and its text) is one field. Each item
extracted that the plan does not have (an invented session, a wrong extra basis) costs one
field too, so guessing never raises the score.
"""

from __future__ import annotations

from typing import Any

PLAN_FIELDS = ("number", "issued_on", "place", "issuer", "title")
SESSION_FIELDS = ("kind", "topic", "host", "host_parent", "starts_at", "month", "venue", "address")


def score(expected: dict[str, Any], got: dict[str, Any]) -> tuple[int, int, list[str]]:
    """(right, total, what went wrong)."""
    right = total = 0
    wrong: list[str] = []

    def check(name: str, want: object, have: object) -> None:
        nonlocal right, total
        total += 1
        if want == have:
            right += 1
        else:
            wrong.append(f"{name}: expected {want!r}, got {have!r}")

    for name in PLAN_FIELDS:
        check(name, expected[name], got.get(name))
    for name in ("legal_bases", "participants"):
        want_items, have_items = expected[name], got.get(name) or []
        for item in want_items:
            check(f"{name}[]", item, item if item in have_items else None)
        for item in have_items:
            if item not in want_items:
                check(f"{name} extra", None, item)
    sessions = got.get("sessions") or []
    for index, want in enumerate(expected["sessions"]):
        have = sessions[index] if index < len(sessions) else {}
        for name in SESSION_FIELDS:
            check(f"session {index + 1}.{name}", want[name], have.get(name))
    for extra in sessions[len(expected["sessions"]) :]:
        check("session extra", None, extra)
    deadlines = got.get("deadlines") or []
    for index, want in enumerate(expected["deadlines"]):
        have = deadlines[index] if index < len(deadlines) else {}
        check(f"deadline {index + 1}.due", want["due"], have.get("due"))
        check(f"deadline {index + 1}.what", want["what"], have.get("what"))
    for extra in deadlines[len(expected["deadlines"]) :]:
        check("deadline extra", None, extra)
    return right, total, wrong
