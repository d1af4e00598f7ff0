"""A draft as plain text lines in the reader's language (for the `import-plan` shell command)."""

from __future__ import annotations

from core.i18n import N_, Lang, Msgid

from .model import PlanDraft, SessionDraft

KIND_LABELS: dict[str, Msgid] = {
    "thuong_ky": N_("Regular session"),
    "chuyen_de": N_("Thematic session"),
    "hoi_thao": N_("Workshop"),
}


def draft_lines(draft: PlanDraft, lang: Lang) -> list[str]:
    """Every field of the draft under a translated label; what is missing shows as "—"."""
    none = "—"
    lines = [
        lang.t("Number: {value}", value=draft.number or none),
        lang.t("Title: {value}", value=draft.title or none),
        lang.t("Issuing body: {value}", value=draft.issuer or none),
        lang.t("Date of issue: {value}", value=_day(draft.issued_on) or none),
        lang.t("Place of issue: {value}", value=draft.place or none),
        lang.t("Legal bases: {n}", n=len(draft.legal_bases)),
    ]
    lines += [f"  - {basis}" for basis in draft.legal_bases]
    lines.append(lang.t("Sessions: {n}", n=len(draft.sessions)))
    for n, session in enumerate(draft.sessions, 1):
        lines.append(f"  {n}. {lang.t(KIND_LABELS[session.kind])}")
        lines += [f"     {line}" for line in _session_lines(session, lang)]
    lines.append(lang.t("Participants (thành phần): {n} groups", n=len(draft.participants)))
    lines += [f"  - {item}" for item in draft.participants]
    lines.append(lang.t("Deadlines: {n}", n=len(draft.deadlines)))
    lines += [f"  - {_day(d.due)}: {d.what}" for d in draft.deadlines]
    return lines


def _session_lines(session: SessionDraft, lang: Lang) -> list[str]:
    none = "—"
    if session.starts_at is not None:
        when = f"{session.starts_at:%H:%M %d/%m/%Y}"
    elif session.month:
        year, month = session.month.split("-")
        when = lang.t("expected in {month}", month=f"{int(month)}/{year}")
    else:
        when = none
    lines = []
    if session.kind != "thuong_ky":
        lines.append(lang.t("Topic: {value}", value=session.topic or none))
    lines += [
        lang.t("Host: {value}", value=session.host or none),
        lang.t("Belongs to: {value}", value=session.host_parent or none),
        lang.t("Time: {value}", value=when),
        lang.t("Venue: {value}", value=session.venue or none),
        lang.t("Address: {value}", value=session.address or none),
    ]
    return lines


def _day(value: object) -> str | None:
    return f"{value:%d/%m/%Y}" if value is not None else None
