"""How plans and sessions read on buttons and in lists (shared by the plan, requirement,
document and appraisal flows)."""

from __future__ import annotations

from core.i18n import Lang
from services.labels import PLAN_STATUS_LABELS, SESSION_KIND_SHORT
from services.vn_datetime import VN_TZ
from storage.models import ModelSession, Plan, PlanStatus, SessionKind, SessionStatus
from ui.common import LABEL_WIDTH, short_label


def label_with_tail(head: str, tail: str = "", width: int = LABEL_WIDTH) -> str:
    """`head` + `tail`, shortening `head` with “…” so that `tail` stays visible."""
    return short_label(head, max(width - len(tail), 2)) + tail


def plan_label(lang: Lang, plan: Plan) -> str:
    """“82-KH/ĐU — title (status)” for a button."""
    status = lang.t(PLAN_STATUS_LABELS[PlanStatus(plan.status)])
    return label_with_tail(f"{plan.number} — {plan.title}", f" ({status})")


def session_day(session: ModelSession) -> str:
    """“28/3”, or “5/2025” when only the month is known."""
    if session.starts_at is not None:
        local = session.starts_at.astimezone(VN_TZ)
        return f"{local.day}/{local.month}"
    if session.tentative_month and session.tentative_year:
        return f"{session.tentative_month}/{session.tentative_year}"
    return "?"


def session_label(lang: Lang, session: ModelSession, host: str) -> str:
    """“28/3 — Chi bộ 4 — Thematic” for a button."""
    kind = lang.t(SESSION_KIND_SHORT[SessionKind(session.kind)])
    cancelled = (
        " " + lang.t("(cancelled)") if session.status == SessionStatus.CANCELLED.value else ""
    )
    return label_with_tail(f"{session_day(session)} — {host}", f" — {kind}{cancelled}")
