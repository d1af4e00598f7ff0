"""How statuses, kinds and roles read to people: catalog message ids (`N_`), one table per
thing and use. Services and screens translate them with `lang.t` in the reader's language."""

from __future__ import annotations

from core.i18n import N_, Msgid
from storage.models import ContentStatus, PlanStatus, Role, SessionKind, SessionStatus, UnitKind

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

UNIT_KIND_LABELS: dict[UnitKind, Msgid] = {
    UnitKind.COMMITTEE: N_("Party committee (Đảng ủy)"),
    UnitKind.GRASSROOTS: N_("Grassroots party organisation (Đảng bộ cơ sở)"),
    UnitKind.SUB_COMMITTEE: N_("Sub-organisation (Đảng bộ bộ phận)"),
    UnitKind.CELL: N_("Party cell (Chi bộ)"),
}

# In a sentence ("the {kind} of “{host}”").
SESSION_KIND_LABELS: dict[SessionKind, Msgid] = {
    SessionKind.THUONG_KY: N_("regular session (sinh hoạt thường kỳ)"),
    SessionKind.CHUYEN_DE: N_("thematic session (sinh hoạt chuyên đề)"),
    SessionKind.HOI_THAO: N_("workshop (hội thảo)"),
}
# As a title or a button.
SESSION_KIND_TITLES: dict[SessionKind, Msgid] = {
    SessionKind.THUONG_KY: N_("Regular session"),
    SessionKind.CHUYEN_DE: N_("Thematic session"),
    SessionKind.HOI_THAO: N_("Workshop"),
}
# In a list where space is short.
SESSION_KIND_SHORT: dict[SessionKind, Msgid] = {
    SessionKind.THUONG_KY: N_("Regular"),
    SessionKind.CHUYEN_DE: N_("Thematic"),
    SessionKind.HOI_THAO: N_("Workshop"),
}

PLAN_STATUS_LABELS: dict[PlanStatus, Msgid] = {
    PlanStatus.DRAFT: N_("draft"),
    PlanStatus.ISSUED: N_("issued"),
    PlanStatus.CLOSED: N_("closed"),
}

SESSION_STATUS_LABELS: dict[SessionStatus, Msgid] = {
    SessionStatus.TENTATIVE: N_("tentative (the day is not fixed yet)"),
    SessionStatus.SCHEDULED: N_("scheduled"),
    SessionStatus.HELD: N_("held"),
    SessionStatus.CANCELLED: N_("cancelled"),
}

# After "Content: " on a session card.
CONTENT_STATUS_LABELS: dict[ContentStatus, Msgid] = {
    ContentStatus.NONE: N_("not sent yet"),
    ContentStatus.SUBMITTED: N_("sent, waiting for review"),
    ContentStatus.RETURNED: N_("returned for changes"),
    ContentStatus.APPROVED: N_("approved"),
}
# On its own in a list of sessions.
CONTENT_STATUS_PHRASES: dict[ContentStatus, Msgid] = {
    ContentStatus.NONE: N_("content not sent"),
    ContentStatus.SUBMITTED: N_("content waiting for review"),
    ContentStatus.RETURNED: N_("content returned for changes"),
    ContentStatus.APPROVED: N_("content approved"),
}
# In the host's checklist before the session (what still needs doing is marked).
CONTENT_CHECKLIST_LABELS: dict[ContentStatus, Msgid] = {
    ContentStatus.NONE: N_("not submitted yet ❗"),
    ContentStatus.SUBMITTED: N_("submitted, waiting for review"),
    ContentStatus.RETURNED: N_("returned for changes ❗"),
    ContentStatus.APPROVED: N_("approved ✅"),
}


# A secretary's and deputy's title follows the unit they run: a đảng ủy cơ sở (grassroots or
# sub-committee) or a committee has a bí thư đảng ủy, a chi bộ a bí thư chi bộ. One role in
# the model; `role_label_for` picks the wording from the unit's kind where it is known.
COMMITTEE_ROLE_LABELS: dict[Role, Msgid] = {
    Role.SECRETARY: N_("party committee secretary (bí thư đảng ủy)"),
    Role.DEPUTY_SECRETARY: N_("deputy party committee secretary (phó bí thư đảng ủy)"),
}
CELL_ROLE_LABELS: dict[Role, Msgid] = {
    Role.SECRETARY: N_("party cell secretary (bí thư chi bộ)"),
    Role.DEPUTY_SECRETARY: N_("deputy party cell secretary (phó bí thư chi bộ)"),
}
COMMITTEE_ROLE_SHORT: dict[Role, Msgid] = {
    Role.SECRETARY: N_("Party committee secretary"),
    Role.DEPUTY_SECRETARY: N_("Deputy party committee secretary"),
}
CELL_ROLE_SHORT: dict[Role, Msgid] = {
    Role.SECRETARY: N_("Party cell secretary"),
    Role.DEPUTY_SECRETARY: N_("Deputy party cell secretary"),
}


def role_label_for(role: Role | str, unit_kind: UnitKind | str | None = None) -> Msgid:
    """The role's label in a sentence, worded for the unit's kind when it is known."""
    role = Role(role)
    if unit_kind is None:
        return ROLE_LABELS[role]
    table = CELL_ROLE_LABELS if UnitKind(unit_kind) == UnitKind.CELL else COMMITTEE_ROLE_LABELS
    return table.get(role, ROLE_LABELS[role])


def role_short_for(role: Role | str, unit_kind: UnitKind | str | None = None) -> Msgid:
    """The role's short label (a button, a list), worded for the unit's kind when known."""
    role = Role(role)
    if unit_kind is None:
        return ROLE_SHORT[role]
    table = CELL_ROLE_SHORT if UnitKind(unit_kind) == UnitKind.CELL else COMMITTEE_ROLE_SHORT
    return table.get(role, ROLE_SHORT[role])
