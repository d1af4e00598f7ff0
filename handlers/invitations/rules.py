"""What the rule of a participant group is made of (roles, and where the people are) and how it
reads: "Bí thư chi bộ, Phó bí thư · các chi bộ trực thuộc Đảng ủy"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.i18n import N_, Lang, Msgid
from handlers.invitations.actions import Scope
from handlers.labels import role_short
from services.participants import Resolved
from storage.models import Plan, Role, Unit, UnitKind
from ui.actions import Action

# The roles an organiser may pick for a group, in this order (bit i of the mask = ROLES[i]).
ROLES: tuple[Role, ...] = (
    Role.SECRETARY,
    Role.DEPUTY_SECRETARY,
    Role.COMMITTEE_MEMBER,
    Role.MEMBER,
    Role.LEADER,
    Role.ORGANISER,
)
ALL_ROLES = (1 << len(ROLES)) - 1
UNDER: dict[UnitKind, Msgid] = {
    UnitKind.CELL: N_("the party cells under {unit}"),
    UnitKind.GRASSROOTS: N_("the grassroots party organisations under {unit}"),
    UnitKind.SUB_COMMITTEE: N_("the sub-organisations under {unit}"),
    UnitKind.COMMITTEE: N_("the party committees under {unit}"),
}


@dataclass(frozen=True, slots=True)
class RemoveRule(Action, prefix="pc:x"):
    """`pc:x:<sid>:<cid>`: the group keeps its label (and named people), loses its rule."""

    session_id: int
    category_id: int


def roles_of(mask: int) -> list[Role]:
    return [role for i, role in enumerate(ROLES) if mask >> i & 1]


def mask_of(roles: Iterable[Role]) -> int:
    """The inverse of `roles_of` (roles the picker does not offer are left out)."""
    return sum(1 << ROLES.index(role) for role in set(roles) if role in ROLES)


def roles_text(lang: Lang, mask: int) -> str:
    return ", ".join(role_short(lang, r) for r in roles_of(mask)) or lang.t("every party member")


def rule_args(scope: Scope, plan: Plan) -> dict[str, Any]:
    """The keyword arguments of services.participants for a scope."""
    if scope is Scope.CELLS:
        return {"unit_kind": UnitKind.CELL}
    if scope is Scope.GRASSROOTS:
        return {"unit_kind": UnitKind.GRASSROOTS}
    if scope is Scope.ISSUER:
        return {"unit_id": plan.issuer_unit_id}
    return {"host_unit": True}


def scope_labels(lang: Lang, issuer: Unit, host: Unit) -> dict[Scope, str]:
    return {
        Scope.CELLS: lang.t(UNDER[UnitKind.CELL], unit=issuer.name),
        Scope.GRASSROOTS: lang.t(UNDER[UnitKind.GRASSROOTS], unit=issuer.name),
        Scope.ISSUER: issuer.name,
        Scope.HOST: lang.t("the host cell ({unit})", unit=host.name),
    }


def has_rule(r: Resolved) -> bool:
    c = r.category
    return bool(r.roles) or bool(c.host_unit) or c.unit_id is not None or bool(c.unit_kind)


def _where(lang: Lang, r: Resolved, unit_names: dict[int, str], issuer: str) -> str:
    c = r.category
    if c.host_unit:
        base = lang.t("the host cell")
    else:
        base = unit_names.get(c.unit_id, "") if c.unit_id is not None else issuer
    if c.unit_kind:
        return lang.t(UNDER[UnitKind(c.unit_kind)], unit=base)
    return base


def rule_text(lang: Lang, r: Resolved, unit_names: dict[int, str], issuer: str) -> str:
    if not has_rule(r):
        return lang.t("named people") if r.people else ""
    who = ", ".join(role_short(lang, role) for role in r.roles) or lang.t("every party member")
    return f"{who} · {_where(lang, r, unit_names, issuer)}"
