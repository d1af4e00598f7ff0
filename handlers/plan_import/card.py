"""The draft card: what was read, each host marked existing or new, past dates flagged, and
the choices that fix it. Building the screen is kept apart from loading the data."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from core.i18n import N_, Lang
from handlers.plan_import.actions import (
    AddSession,
    AskDeadlineValue,
    AskNumber,
    AskSessionValue,
    AskTitle,
    CancelImport,
    Confirm,
    DeadlineField,
    DropPart,
    OpenDeadline,
    OpenSession,
    Part,
    PickIssuer,
    SessionField,
)
from handlers.plan_import.state import ImportCard
from handlers.step import Turn
from services import units
from services.plan_import import PlanDraft, SessionDraft
from services.plan_import.apply import draft_hosts, past_parts
from services.plan_import.hosts import HostMatch
from services.vn_datetime import format_date_long, format_datetime_long, format_month
from ui.common import stale_screen
from ui.screen import Choice, Expect, Screen

KIND_NAMES = {
    "thuong_ky": N_("Regular session"),
    "chuyen_de": N_("Thematic session"),
    "hoi_thao": N_("Workshop"),
}


@dataclass(frozen=True, slots=True)
class CardView:
    """Everything the card shows, loaded once per showing."""

    draft: PlanDraft
    issuer_name: str
    hosts: list[HostMatch]
    past_sessions: set[int]
    past_deadlines: set[int]
    tz: ZoneInfo


def card_of(turn: Turn) -> ImportCard | None:
    """The import in progress; None (and the press is told it is no longer active) when it
    was confirmed, thrown away or never started."""
    card = turn.get(ImportCard)
    if card is None:
        turn.show(stale_screen(turn.lang))
    return card


async def load_view(turn: Turn, card: ImportCard) -> CardView:
    issuer = await units.get_unit(turn.ctx, card.issuer)
    hosts = await draft_hosts(turn.ctx, card.draft, card.issuer, card.host_ids)
    past_sessions, past_deadlines = past_parts(card.draft, turn.clock.now())
    return CardView(card.draft, issuer.name, hosts, past_sessions, past_deadlines, turn.settings.tz)


async def show_card(turn: Turn, card: ImportCard, *, replace: bool = False) -> None:
    view = await load_view(turn, card)
    screen = card_screen(turn.lang, view)
    turn.show(screen.replacing() if replace else screen)


def card_screen(lang: Lang, view: CardView) -> Screen:
    return Screen.of(
        "\n".join(card_lines(lang, view)), rows=card_rows(lang, view), expect=Expect.CHOICE
    )


# --------------------------------------------------------------------------- text


def when_text(lang: Lang, session: SessionDraft, tz: ZoneInfo) -> str:
    if session.starts_at is not None:
        return format_datetime_long(session.starts_at, lang.locale, tz)
    if session.month:
        year, month = (int(x) for x in session.month.split("-"))
        return lang.t("expected in {month}", month=format_month(year, month, lang.locale))
    return lang.t("⚠ no date")


def host_text(lang: Lang, session: SessionDraft, match: HostMatch) -> str:
    """ "Chi bộ 01 (Đảng bộ X) (đơn vị mới)", "Chi bộ 4 (đã có)", "⚠ no host"."""
    if match.unit is not None and (session.host or session.kind != "hoi_thao"):
        return lang.t("{name} (existing unit)", name=match.unit.name)
    if match.new:
        parent = f" ({session.host_parent})" if session.host_parent else ""
        return lang.t("{name} (new unit)", name=f"{session.host}{parent}")
    return lang.t("the committee") if session.kind == "hoi_thao" else lang.t("⚠ no host")


def session_line(lang: Lang, view: CardView, n: int) -> str:
    s = view.draft.sessions[n]
    topic = (
        f" “{s.topic}”" if s.topic else (lang.t(" (⚠ no topic)") if s.kind == "chuyen_de" else "")
    )
    place = f" — {s.venue}" if s.venue else ""
    if s.address:
        place += f", {s.address}"
    past = lang.t(" ⚠ already past") if n in view.past_sessions else ""
    host = host_text(lang, s, view.hosts[n])
    when = when_text(lang, s, view.tz)
    return f"{n + 1}. {lang.t(KIND_NAMES[s.kind])}{topic} — {host} — {when}{past}{place}"


def card_lines(lang: Lang, view: CardView) -> list[str]:
    draft, none = view.draft, "—"
    issued = format_date_long(draft.issued_on, lang.locale, view.tz) if draft.issued_on else none
    lines = [
        lang.t("📥 Draft plan read from the document"),
        lang.t("Number: {value}", value=draft.number or lang.t("⚠ missing")),
        lang.t("Title: {value}", value=draft.title or lang.t("⚠ missing")),
        lang.t(
            "Issued by: {unit} (the document says: {text})",
            unit=view.issuer_name,
            text=draft.issuer or none,
        ),
        lang.t("Date of issue: {value}", value=issued),
        lang.t("Legal bases: {n}", n=len(draft.legal_bases)),
        lang.t("Participants (thành phần): {n} groups", n=len(draft.participants)),
        "",
        lang.t("Sessions:") if draft.sessions else lang.t("Sessions: none"),
    ]
    lines += [session_line(lang, view, n) for n in range(len(draft.sessions))]
    if draft.deadlines:
        lines += ["", lang.t("Deadlines:")]
        for n, d in enumerate(draft.deadlines):
            past = lang.t(" ⚠ already past") if n in view.past_deadlines else ""
            due = format_date_long(d.due, lang.locale, view.tz)
            lines.append(f"{n + 1}. {due}{past} — {d.what}")
    if view.past_sessions or view.past_deadlines:
        lines += [
            "",
            lang.t(
                "⚠ Dates already past cannot be planned: change them (🗓) or drop them before "
                "creating the plan, otherwise they are left out."
            ),
        ]
    new_units = sorted({unit.name for match in view.hosts for unit in match.new})
    if new_units:
        lines += [
            "",
            lang.t("Confirming adds these new units: {names}.", names=", ".join(new_units)),
        ]
    lines += ["", lang.t("Check the draft, fix what is wrong, then tap ✅ Create plan.")]
    return lines


# --------------------------------------------------------------------------- choices


def card_rows(lang: Lang, view: CardView) -> list[list[Choice]]:
    rows = [
        [Choice(lang.t("✅ Create plan"), Confirm())],
        [
            Choice(lang.t("✏️ Number"), AskNumber()),
            Choice(lang.t("✏️ Title"), AskTitle()),
            Choice(lang.t("🏛 Issuing unit"), PickIssuer()),
        ],
    ]
    for n, session in enumerate(view.draft.sessions):
        row = [
            Choice(lang.t("✏️ Session {n}", n=n + 1), OpenSession(n)),
            Choice(lang.t("🗑 Drop session {n}", n=n + 1), DropPart(Part.SESSION, n)),
        ]
        if session.kind == "chuyen_de":
            row.append(
                Choice(lang.t("✏️ Topic {n}", n=n + 1), AskSessionValue(SessionField.TOPIC, n))
            )
        rows.append(row)
        if n in view.past_sessions:
            new_date = lang.t("🗓 New date for session {n}", n=n + 1)
            rows.append([Choice(new_date, AskSessionValue(SessionField.WHEN, n))])
    rows.append([Choice(lang.t("➕ Add a session"), AddSession())])
    for n in range(len(view.draft.deadlines)):
        rows.append(
            [
                Choice(lang.t("✏️ Deadline {n}", n=n + 1), OpenDeadline(n)),
                Choice(lang.t("🗑 Drop deadline {n}", n=n + 1), DropPart(Part.DEADLINE, n)),
            ]
        )
        if n in view.past_deadlines:
            new_day = lang.t("🗓 New day for deadline {n}", n=n + 1)
            rows.append([Choice(new_day, AskDeadlineValue(DeadlineField.DUE, n))])
    rows.append([Choice(lang.t("✖ Cancel"), CancelImport())])
    return rows
