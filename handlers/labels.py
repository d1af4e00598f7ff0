"""Names of roles and unit kinds as users read them."""

from __future__ import annotations

from core.i18n import N_, Lang, Msgid
from storage.models import Role, UnitKind

ROLE_LABELS: dict[Role, Msgid] = {
    Role.ORGANISER: N_("organiser (Ban Tổ chức / Văn phòng)"),
    Role.LEADER: N_("leader (Thường trực / Ban Thường vụ)"),
    Role.SECRETARY: N_("party cell secretary (bí thư chi bộ)"),
    Role.DEPUTY_SECRETARY: N_("deputy secretary (phó bí thư)"),
    Role.COMMITTEE_MEMBER: N_("committee member (cấp ủy viên)"),
    Role.MEMBER: N_("party member (đảng viên)"),
}

ROLE_SHORT: dict[Role, Msgid] = {
    Role.ORGANISER: N_("Organiser"),
    Role.LEADER: N_("Leader"),
    Role.SECRETARY: N_("Secretary"),
    Role.DEPUTY_SECRETARY: N_("Deputy secretary"),
    Role.COMMITTEE_MEMBER: N_("Committee member"),
    Role.MEMBER: N_("Party member"),
}

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


def role_label(lang: Lang, role: Role | str) -> str:
    return lang.t(ROLE_LABELS[Role(role)])


def role_short(lang: Lang, role: Role | str) -> str:
    return lang.t(ROLE_SHORT[Role(role)])


def kind_label(lang: Lang, kind: UnitKind | str) -> str:
    return lang.t(KIND_LABELS[UnitKind(kind)])
