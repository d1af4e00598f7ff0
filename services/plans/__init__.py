"""Plans (KẾ HOẠCH): create, edit, issue, close, and who may see them.

Also, re-exported here, what the session, requirement and appraisal services share: walking
the unit tree in SQL and finding the people to notify (services.read.org), and reading dates
typed by users (services.plans.rules).

Dates and times: services accept either objects (`date`, aware `datetime`, `ExactTime`,
`MonthOnly`) or the text the user typed, which is read with `vn_datetime.parse_when`
against `ctx.clock`; unreadable text raises `InvalidInput` with an example.
"""

from __future__ import annotations

from services.labels import SESSION_KIND_LABELS
from services.plans.records import (
    can_manage_plan,
    check_legal_bases,
    check_plan_number,
    close_plan,
    create_plan,
    get_plan,
    issue_plan,
    legal_bases_of,
    require_not_closed,
    require_open_for,
    require_plan_manager,
    update_plan,
)
from services.plans.rules import (
    EXAMPLE_DAY,
    EXAMPLE_MONTH,
    EXAMPLE_TIME,
    MAX_LEGAL_BASES,
    MAX_LEGAL_BASIS_LENGTH,
    PLAN_NUMBER,
    local_today,
    month_start_utc,
    parse_day,
    parse_when_text,
)
from services.plans.visibility import can_view_plan, get_visible_plan, visible_plans
from services.read.org import (
    ancestor_set,
    is_under,
    is_unit_officer,
    issuer_organiser_ids,
    issuer_units,
    member_unit_ids,
    people_in,
    require_unit_officer,
    subtree_ids,
    unit_ids_with_role,
)
from services.roles import HOST_ROLES, OVERSIGHT_ROLES

__all__ = [
    "EXAMPLE_DAY",
    "EXAMPLE_MONTH",
    "EXAMPLE_TIME",
    "HOST_ROLES",
    "MAX_LEGAL_BASES",
    "MAX_LEGAL_BASIS_LENGTH",
    "OVERSIGHT_ROLES",
    "PLAN_NUMBER",
    "SESSION_KIND_LABELS",
    "ancestor_set",
    "can_manage_plan",
    "can_view_plan",
    "check_legal_bases",
    "check_plan_number",
    "close_plan",
    "create_plan",
    "get_plan",
    "get_visible_plan",
    "is_under",
    "is_unit_officer",
    "issue_plan",
    "issuer_organiser_ids",
    "issuer_units",
    "legal_bases_of",
    "local_today",
    "member_unit_ids",
    "month_start_utc",
    "parse_day",
    "parse_when_text",
    "people_in",
    "require_not_closed",
    "require_open_for",
    "require_plan_manager",
    "require_unit_officer",
    "subtree_ids",
    "unit_ids_with_role",
    "update_plan",
    "visible_plans",
]
