"""Names of roles and unit kinds as users read them (role wording: services.labels)."""

from __future__ import annotations

from core.i18n import N_, Lang, Msgid
from services.labels import (  # noqa: F401 (ROLE_LABELS, ROLE_SHORT re-exported)
    ROLE_LABELS,
    ROLE_SHORT,
    role_label_for,
    role_short_for,
)
from storage.models import Role, UnitKind

POSITION_SUGGESTIONS: dict[Role, Msgid] = {
    Role.ORGANISER: N_("Ban Tổ chức specialist"),
    Role.LEADER: N_("Standing Deputy Secretary"),
    Role.SECRETARY: N_("Party cell secretary"),
    Role.DEPUTY_SECRETARY: N_("Deputy party cell secretary"),
    Role.COMMITTEE_MEMBER: N_("Committee member"),
    Role.MEMBER: N_("Party member"),
}

KIND_LABELS: dict[UnitKind, Msgid] = {
    UnitKind.COMMITTEE: N_("Party committee (Đảng ủy)"),
    UnitKind.GRASSROOTS: N_("Grassroots party organisation (Đảng bộ cơ sở)"),
    UnitKind.SUB_COMMITTEE: N_("Sub-organisation (Đảng bộ bộ phận)"),
    UnitKind.CELL: N_("Party cell (Chi bộ)"),
}


def role_label(lang: Lang, role: Role | str, unit_kind: UnitKind | str | None = None) -> str:
    """The role in a sentence; a secretary's title follows the unit's kind when given."""
    return lang.t(role_label_for(role, unit_kind))


def role_short(lang: Lang, role: Role | str, unit_kind: UnitKind | str | None = None) -> str:
    return lang.t(role_short_for(role, unit_kind))


def kind_label(lang: Lang, kind: UnitKind | str) -> str:
    return lang.t(KIND_LABELS[UnitKind(kind)])
