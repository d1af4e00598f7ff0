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
