"""The draft card: what was read, each host marked existing or new, past dates flagged, and
the buttons that fix it. Building the text and buttons is kept apart from loading the data."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from core.i18n import N_, Lang
from handlers.common import Context, lang_only, say
from handlers.deps import deps
from handlers.flow import stale_button
from handlers.plan_import import state as st
from services import units
from services.plan_import import PlanDraft, SessionDraft
from services.plan_import.apply import draft_hosts, past_parts
from services.plan_import.hosts import HostMatch
from services.vn_datetime import format_date_long, format_datetime_long, format_month

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


async def load_view(context: Context, state: st.CardState) -> CardView:
    async with deps(context).ctx() as ctx:
        issuer = await units.get_unit(ctx, state.issuer)
        hosts = await draft_hosts(ctx, state.draft, state.issuer, state.host_ids)
        past_sessions, past_deadlines = past_parts(state.draft, ctx.clock.now())
    return CardView(
        state.draft, issuer.name, hosts, past_sessions, past_deadlines, deps(context).settings.tz
    )


async def show_card(update: Update, context: Context) -> None:
    state = st.load(context)
    if state is None:
        await stale_button(update, context)
        return
    lang = await lang_only(update, context)
    view = await load_view(context, state)
    text = "\n".join(card_lines(lang, view))[:4000]
    await say(update, text, markup=InlineKeyboardMarkup(card_buttons(lang, view)))


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


# --------------------------------------------------------------------------- buttons


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def card_buttons(lang: Lang, view: CardView) -> list[list[InlineKeyboardButton]]:
    rows = [
        [_button(lang.t("✅ Create plan"), "ip:ok")],
        [
            _button(lang.t("✏️ Number"), "ip:num"),
            _button(lang.t("✏️ Title"), "ip:title"),
            _button(lang.t("🏛 Issuing unit"), "ip:issuer"),
        ],
    ]
    for n, session in enumerate(view.draft.sessions):
        row = [
            _button(lang.t("✏️ Session {n}", n=n + 1), f"ip:s:{n}"),
            _button(lang.t("🗑 Drop session {n}", n=n + 1), f"ip:drop:s:{n}"),
        ]
        if session.kind == "chuyen_de":
            row.append(_button(lang.t("✏️ Topic {n}", n=n + 1), f"ip:topic:{n}"))
        rows.append(row)
        if n in view.past_sessions:
            rows.append([_button(lang.t("🗓 New date for session {n}", n=n + 1), f"ip:when:{n}")])
    rows.append([_button(lang.t("➕ Add a session"), "ip:add")])
    for n in range(len(view.draft.deadlines)):
        rows.append(
            [
                _button(lang.t("✏️ Deadline {n}", n=n + 1), f"ip:d:{n}"),
                _button(lang.t("🗑 Drop deadline {n}", n=n + 1), f"ip:drop:d:{n}"),
            ]
        )
        if n in view.past_deadlines:
            rows.append([_button(lang.t("🗓 New day for deadline {n}", n=n + 1), f"ip:due:{n}")])
    rows.append([_button(lang.t("✖ Cancel"), "ip:cancel")])
    return rows
