"""Participant categories (thành phần tham dự) of a plan or of one session, and the people they
name.

A category has a label (the plan's own wording) and optionally a rule and named people:

* roles (one or several, `participant_category_role`; the older single `role` column counts
  too) held in a set of units;
* the units: the session's host unit when `host_unit` is set, else `unit_id`, else the plan's
  issuing unit; with `unit_kind`, the units of that kind under it (itself included) instead;
* no roles but a unit rule means every party member of those units (secretary, deputy
  secretary, committee member, member; not organisers or leaders);
* named people (`category_person`).

A plan-level category (no `session_id`) applies to every session of the plan. Resolution
follows the categories in order (position, then id); a person named by two categories is
counted once, in the first.

Only organisers of the plan's issuing unit (or of a unit above it) change categories.
"""

from __future__ import annotations

from services.participants.changing import (
    add_category,
    add_people,
    candidates,
    delete_category,
    named_ids,
    remove_person,
    set_rule,
)
from services.participants.reading import (
    CATEGORY_LABEL,
    MAX_LABEL,
    PARTY_ROLES,
    Missing,
    Resolved,
    categories_for,
    missing,
    plan_categories,
    resolve,
    resolve_for,
    roles_of_categories,
)

__all__ = [
    "CATEGORY_LABEL",
    "MAX_LABEL",
    "PARTY_ROLES",
    "Missing",
    "Resolved",
    "add_category",
    "add_people",
    "candidates",
    "categories_for",
    "delete_category",
    "missing",
    "named_ids",
    "plan_categories",
    "remove_person",
    "resolve",
    "resolve_for",
    "roles_of_categories",
    "set_rule",
]
