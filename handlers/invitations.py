"""✉️ Giấy mời (/giaymoi) and 👥 Thành phần (/thanhphan): organisers pick a session, read and
edit its participant categories, preview and send the invitations (a large fan-out edits a
progress message in place); invitees answer with the buttons under the invitation (Tham dự at
once, Vắng with a typed reason) until the session starts.

Buttons are stateless (`inv:…`, `pc:…`, `rsvp:…`) and every press is re-checked by the
services; only typing a category's label (then choosing its scope) and a reason for absence
are conversation steps.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.numbers import format_decimal
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

import scheduler
from core.i18n import N_, Lang, Msgid
from handlers import deliver, router
from handlers import invites as invite_links
from handlers.common import Context, Who, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.flow import drop, enter, fallbacks, flow_gone, give_up, stale_button
from handlers.labels import role_short
from handlers.pickers import cancel_button, one_id, pressed_ids, split_data
from services import invitations, outbox, participants, plans, sessions
from services.context import Ctx
from services.errors import InvalidInput, NotFound, ServiceError
from services.notifications import Notice, render
from services.outbox import Button, Planned
from services.participants import Resolved
from services.plans import SESSION_KIND_LABELS
from services.units import get_unit
from services.validation import check_label
from services.vn_datetime import format_datetime_long, format_datetime_short, format_month
from storage.models import (
    Invitation,
    InvitationStatus,
    ModelSession,
    ParticipantCategory,
    Person,
    Plan,
    Role,
    SessionKind,
    Unit,
    UnitKind,
)
from storage.outbox import NoticeState

log = logging.getLogger(__name__)

LABEL, SCOPE, REASON = range(3)
_DATA = "invitations_flow"
INVITATION_KIND = "invitation"
LIST_LIMIT = 10
PAGE_SIZE = 8
MAX_LINES = 8  # names or gaps shown per category before "… and N more"
MAX_CATEGORY_BUTTONS = 10
# A progress message is edited at most this often (and once at the end).
PROGRESS_EVERY_MESSAGES = 50
PROGRESS_EVERY_SECONDS = 2.0
WATCH_TICK = 0.25
WATCH_SECONDS = 6 * 3600  # a batch still not done after this keeps its last progress text

ATTEND = N_("✅ Attend")
ABSENT = N_("❌ Absent (give a reason)")
TRY_AGAIN = N_("Please type it again, or /huy to stop.")

# The roles an organiser may pick for a category, in this order (bit i of the mask = ROLES[i]).
ROLES: tuple[Role, ...] = (
    Role.SECRETARY,
    Role.DEPUTY_SECRETARY,
    Role.COMMITTEE_MEMBER,
    Role.MEMBER,
    Role.LEADER,
    Role.ORGANISER,
)
# Where the people of a category are: the units of a kind under the issuer, the issuer itself,
# or the session's host unit.
SCOPES = ("c", "g", "i", "h")
UNDER: dict[UnitKind, Msgid] = {
    UnitKind.CELL: N_("the party cells under {unit}"),
    UnitKind.GRASSROOTS: N_("the grassroots party organisations under {unit}"),
    UnitKind.SUB_COMMITTEE: N_("the sub-organisations under {unit}"),
    UnitKind.COMMITTEE: N_("the party committees under {unit}"),
}


# --------------------------------------------------------------------------- shared rendering


def number(lang: Lang, n: int) -> str:
    """1200 → "1.200" in Vietnamese, "1,200" in English."""
    return str(format_decimal(n, locale=lang.locale))


def when_text(lang: Lang, session: ModelSession, tz: Any) -> str:
    if session.starts_at is not None:
        return format_datetime_long(session.starts_at, lang.locale, tz)
    if session.tentative_year and session.tentative_month:
        return format_month(session.tentative_year, session.tentative_month, lang.locale)
    return lang.t("no day fixed yet")


def session_title(lang: Lang, session: ModelSession, host: str, tz: Any) -> str:
    """ "sinh hoạt thường kỳ của “Chi bộ Khoa Toán”, 08 giờ 00, thứ Hai, ngày 20 tháng 1…"."""
    return lang.t(
        "{kind} of “{host}”, {when}",
        kind=SESSION_KIND_LABELS[SessionKind(session.kind)],
        host=host,
        when=when_text(lang, session, tz),
    )


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def short_title(lang: Lang, session: ModelSession, host: str) -> str:
    """For a button: "08:00 20/01/2025 · Chi bộ Khoa Toán"."""
    if session.starts_at is not None:
        when = format_datetime_short(session.starts_at, lang.locale)
    elif session.tentative_year and session.tentative_month:
        when = f"{session.tentative_month}/{session.tentative_year}"
    else:
        when = "—"
    return f"{when} · {host}"


async def load_session(
    ctx: Ctx, person: Person | None, session_id: int
) -> tuple[ModelSession, Plan, Unit]:
    """The session (if the person may see it), its plan and its host unit."""
    session = await sessions.get_visible_session(ctx, person, session_id)
    plan = await plans.get_plan(ctx, session.plan_id)
    host = await get_unit(ctx, session.host_unit_id)
    return session, plan, host


def session_buttons(lang: Lang, session_id: int) -> list[list[InlineKeyboardButton]]:
    """What organisers do with a session here (also meant for the session card)."""
    return [
        [
            InlineKeyboardButton(lang.t("👥 Participants"), callback_data=f"pc:{session_id}"),
            InlineKeyboardButton(
                lang.t("✉️ Send invitations"), callback_data=f"inv:prev:{session_id}"
            ),
        ],
        [
            InlineKeyboardButton(lang.t("📷 Check-in"), callback_data=f"ck:{session_id}"),
            InlineKeyboardButton(lang.t("📋 Roll"), callback_data=f"roll:{session_id}"),
        ],
    ]


async def edit_in_place(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the message the pressed button belongs to ("not modified" is fine)."""
    query = update.callback_query
    if query is None:
        await say(update, text, markup=markup)
        return
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def show_screen(
    update: Update,
    context: Context,
    build: Callable[[Ctx, Who], Awaitable[tuple[str, InlineKeyboardMarkup]]],
    *,
    edit: bool,
) -> None:
    """Build a screen in one unit of work, then send it (or, with `edit`, put it in place of
    the message whose button was pressed)."""
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            text, markup = await build(ctx, me)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    if edit:
        await edit_in_place(update, text, markup)
    else:
        await say(update, text, markup=markup)


# --------------------------------------------------------------------------- choosing a session


async def _refuse(update: Update, lang: Lang) -> None:
    await say(
        update,
        lang.t(
            "Only organisers (Ban Tổ chức, Văn phòng) send invitations. "
            "If you need this, ask your committee's organisers."
        ),
    )


async def _list_sessions(update: Update, context: Context, prefix: str) -> None:
    await answer_button(update)
    tz = deps(context).settings.tz
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        if Role.ORGANISER not in me.roles:
            await _refuse(update, me.lang)
            return
        found = await invitations.managed_sessions(ctx, me.person, limit=LIST_LIMIT)
        hosts = {s.host_unit_id: (await get_unit(ctx, s.host_unit_id)).name for s in found}
    lang = me.lang
    if not found:
        await say(
            update,
            lang.t(
                "There is no session to invite people to yet: only sessions that have not "
                "started, of plans your units issued, are listed here."
            ),
        )
        return
    lines = [lang.t("Choose the session:")]
    rows = []
    for n, session in enumerate(found, start=1):
        host = hosts[session.host_unit_id]
        lines.append(f"{n}. {capital(session_title(lang, session, host, tz))}")
        label = f"{n}. {short_title(lang, session, host)}"
        rows.append([InlineKeyboardButton(label[:60], callback_data=f"{prefix}:{session.id}")])
    await say(update, "\n".join(lines), markup=InlineKeyboardMarkup(rows))


async def show_invitation_sessions(update: Update, context: Context) -> None:
    await _list_sessions(update, context, "inv:s")


async def show_category_sessions(update: Update, context: Context) -> None:
    await _list_sessions(update, context, "pc")


async def show_panel(update: Update, context: Context) -> None:
    """`inv:s:<session_id>`: what organisers do with one session."""
    session_id = one_id(update, "inv:s")
    await answer_button(update)
    if session_id is None:
        return
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            session, plan, host = await load_session(ctx, me.person, session_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    text = "\n".join(
        [
            capital(session_title(lang, session, host.name, tz)),
            lang.t("Plan {plan}", plan=plan.number),
            "",
            lang.t("What would you like to do?"),
        ]
    )
    await say(update, text, markup=InlineKeyboardMarkup(session_buttons(lang, session_id)))


# --------------------------------------------------------------------------- categories


def _has_rule(r: Resolved) -> bool:
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
    if not _has_rule(r):
        return lang.t("named people") if r.people else ""
    who_ = ", ".join(role_short(lang, role) for role in r.roles) or lang.t("every party member")
    return f"{who_} · {_where(lang, r, unit_names, issuer)}"


def _more(lang: Lang, items: list[str]) -> list[str]:
    if len(items) <= MAX_LINES:
        return items
    rest = len(items) - MAX_LINES
    return [*items[:MAX_LINES], lang.t("… and {n} more", n=number(lang, rest))]


async def _category_screen(
    ctx: Ctx, me_person: Person | None, lang: Lang, session_id: int, tz: Any
) -> tuple[str, InlineKeyboardMarkup]:
    session, plan, host = await load_session(ctx, me_person, session_id)
    await plans.require_plan_manager(ctx, me_person, plan)
    resolved = await participants.resolve_for(ctx, session, plan)
    gaps = await participants.missing(ctx, session_id)
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    unit_names: dict[int, str] = {}
    for r in resolved:
        if r.category.unit_id is not None and r.category.unit_id not in unit_names:
            unit_names[r.category.unit_id] = (await get_unit(ctx, r.category.unit_id)).name
    lines = [lang.t("👥 Participants: {title}", title=session_title(lang, session, host.name, tz))]
    if not resolved:
        lines.append(lang.t("No participant group yet. Add one with the buttons below."))
    hint = False
    for n, r in enumerate(resolved, start=1):
        assert r.category.id is not None
        lines.append(
            lang.t("{n}. {label}: {count} people", n=n, label=r.category.label, count=len(r.people))
        )
        rule = rule_text(lang, r, unit_names, issuer.name)
        if rule:
            lines.append("    " + rule)
        if not r.defined:
            lines.append(
                "    "
                + lang.t("⚠️ Nobody can be found from this group yet: set a rule or pick people.")
            )
        if r.repeated:
            lines.append(
                "    " + lang.t("({n} more already counted in a group above)", n=r.repeated)
            )
        away = [p.full_name for p in r.people if p.telegram_id is None or p.blocked_bot]
        if away:
            hint = True
            lines.append(
                "    "
                + lang.t("Not using the assistant yet: {names}", names=", ".join(_more(lang, away)))
            )
        holes = [
            lang.t("{role} of {unit}", role=role_short(lang, g.role), unit=g.unit_name)
            for g in gaps
            if g.category_id == r.category.id
        ]
        if holes:
            hint = True
            lines.append("    " + lang.t("Nobody on the assistant yet as:"))
            lines += ["      • " + h for h in _more(lang, holes)]
    total = sum(len(r.people) for r in resolved)
    lines += ["", lang.t("In all: {n} people.", n=number(lang, total))]
    if hint:
        lines.append(
            lang.t(
                "To bring in people who are not on the assistant yet: tap {invite}, choose "
                "their unit and role, and pass the link on to them.",
                invite=lang.t(invite_links.ACTION.label),
            )
        )
    rows = [
        [
            InlineKeyboardButton(lang.t("➕ By role"), callback_data=f"pc:r:{session_id}:0:0"),
            InlineKeyboardButton(lang.t("➕ Named people"), callback_data=f"pc:np:{session_id}"),
        ]
    ]
    for r in resolved[:MAX_CATEGORY_BUTTONS]:
        cid = r.category.id
        short = r.category.label[:36]
        if not r.defined:
            rows.append(
                [
                    InlineKeyboardButton(
                        lang.t("⚙️ Rule: {label}", label=short),
                        callback_data=f"pc:r:{session_id}:{cid}:0",
                    )
                ]
            )
        if not _has_rule(r):
            rows.append(
                [
                    InlineKeyboardButton(
                        lang.t("👤 People: {label}", label=short),
                        callback_data=f"pc:pl:{session_id}:{cid}:0",
                    )
                ]
            )
    rows.append(
        [InlineKeyboardButton(lang.t("✉️ Send invitations"), callback_data=f"inv:prev:{session_id}")]
    )
    return "\n".join(lines)[:4000], InlineKeyboardMarkup(rows)


async def show_categories(update: Update, context: Context, session_id: int | None = None) -> None:
    """`pc:<session_id>`: the session's categories, their counts and who is missing."""
    if session_id is None:
        session_id = one_id(update, "pc")
        await answer_button(update)
        if session_id is None:
            return
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            text, markup = await _category_screen(ctx, me.person, me.lang, session_id, tz)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    await say(update, text, markup=markup)


def _roles_of(mask: int) -> list[Role]:
    return [role for i, role in enumerate(ROLES) if mask >> i & 1]


def _roles_keyboard(
    lang: Lang, session_id: int, category_id: int, mask: int
) -> InlineKeyboardMarkup:
    rows = []
    for i, role in enumerate(ROLES):
        mark = "☑" if mask >> i & 1 else "☐"
        rows.append(
            [
                InlineKeyboardButton(
                    f"{mark} {role_short(lang, role)}",
                    callback_data=f"pc:rt:{session_id}:{category_id}:{mask ^ (1 << i)}",
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                lang.t("Next ▶"), callback_data=f"pc:u:{session_id}:{category_id}:{mask}"
            ),
            cancel_button(lang),
        ]
    )
    return InlineKeyboardMarkup(rows)


@dataclass(frozen=True, slots=True)
class Editing:
    """What a step that changes a session's categories needs to know."""

    lang: Lang
    label: str  # the category's label ("" for a new category)
    plan: Plan
    issuer: Unit
    host: Unit


async def _check_category(
    update: Update, context: Context, session_id: int, category_id: int
) -> Editing | None:
    """The actor may change this session's categories now (and `category_id`, when not 0, is
    one of them); None after saying why not."""
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            session, plan, host = await load_session(ctx, me.person, session_id)
            await plans.require_plan_manager(ctx, me.person, plan)
            plans.require_not_closed(plan)
            label = ""
            if category_id:
                label = (await _category_of(ctx, session, category_id)).label
            issuer = await get_unit(ctx, plan.issuer_unit_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return None
    return Editing(me.lang, label, plan, issuer, host)


async def _category_of(ctx: Ctx, session: ModelSession, category_id: int) -> ParticipantCategory:
    """One of the session's categories (plan-level or its own)."""
    for category in await participants.categories_for(ctx, session):
        if category.id == category_id:
            return category
    raise NotFound(N_("That participant group no longer exists."))


def _roles_prompt(lang: Lang, label: str) -> str:
    head = (
        lang.t("The rule of “{label}”.", label=label)
        if label
        else lang.t("A new participant group by role.")
    )
    return (
        head
        + "\n"
        + lang.t(
            "Choose the roles of the people to invite (tap again to unselect). With no role "
            "chosen, every party member of the units is invited."
        )
    )


async def open_roles(update: Update, context: Context) -> None:
    """`pc:r:<sid>:<cid>:<mask>` (new message) and `pc:rt:…` (toggle, edited in place)."""
    query = update.callback_query
    toggle = bool(query and query.data and query.data.startswith("pc:rt:"))
    ids = pressed_ids(update, "pc:rt" if toggle else "pc:r", 3)
    await answer_button(update)
    if ids is None or ids[2] >= 1 << len(ROLES):
        return
    session_id, category_id, mask = ids
    checked = await _check_category(update, context, session_id, category_id)
    if checked is None:
        return
    lang = checked.lang
    text = _roles_prompt(lang, checked.label)
    markup = _roles_keyboard(lang, session_id, category_id, mask)
    if toggle:
        await edit_in_place(update, text, markup)
    else:
        await say(update, text, markup=markup)


async def open_units(update: Update, context: Context) -> None:
    """`pc:u:<sid>:<cid>:<mask>`: where those people are."""
    ids = pressed_ids(update, "pc:u", 3)
    await answer_button(update)
    if ids is None or ids[2] >= 1 << len(ROLES):
        return
    session_id, category_id, mask = ids
    checked = await _check_category(update, context, session_id, category_id)
    if checked is None:
        return
    lang, issuer = checked.lang, checked.issuer
    chosen = ", ".join(role_short(lang, r) for r in _roles_of(mask)) or lang.t("every party member")
    labels = {
        "c": lang.t(UNDER[UnitKind.CELL], unit=issuer.name),
        "g": lang.t(UNDER[UnitKind.GRASSROOTS], unit=issuer.name),
        "i": issuer.name,
        "h": lang.t("the host cell ({unit})", unit=checked.host.name),
    }
    data = f"pc:w:{session_id}:{category_id}:{mask}"
    rows = [[InlineKeyboardButton(labels[s][:60], callback_data=f"{data}:{s}")] for s in SCOPES]
    rows.append(
        [
            InlineKeyboardButton(
                lang.t("◀ Back"), callback_data=f"pc:rt:{session_id}:{category_id}:{mask}"
            ),
            cancel_button(lang),
        ]
    )
    text = lang.t("Roles: {roles}.", roles=chosen) + "\n" + lang.t("In which units?")
    await edit_in_place(update, text, InlineKeyboardMarkup(rows))


def _rule_args(scope: str, plan: Plan) -> dict[str, Any]:
    if scope == "c":
        return {"unit_kind": UnitKind.CELL}
    if scope == "g":
        return {"unit_kind": UnitKind.GRASSROOTS}
    if scope == "i":
        return {"unit_id": plan.issuer_unit_id}
    return {"host_unit": True}


def _where_data(update: Update) -> tuple[int, int, int, str] | None:
    parts = split_data(update.callback_query.data if update.callback_query else None, "pc:w")
    if (
        not parts
        or len(parts) != 4
        or not all(p.isdigit() for p in parts[:3])
        or parts[3] not in SCOPES
        or int(parts[2]) >= 1 << len(ROLES)
    ):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2]), parts[3]


async def rule_chosen(update: Update, context: Context) -> None:
    """`pc:w:<sid>:<cid>:<mask>:<scope>` with a category: set its rule."""
    data = _where_data(update)
    await answer_button(update)
    if data is None or data[1] == 0:
        return
    session_id, category_id, mask, scope = data
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await plans.get_plan(ctx, (await sessions.get_session(ctx, session_id)).plan_id)
            category = await participants.set_rule(
                ctx,
                me.person,  # type: ignore[arg-type]
                category_id,
                roles=_roles_of(mask),
                **_rule_args(scope, plan),
            )
            text, markup = await _category_screen(ctx, me.person, me.lang, session_id, tz)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    await edit_in_place(
        update, me.lang.t("The rule of “{label}” is set.", label=category.label), None
    )
    await say(update, text, markup=markup)


# ----- a new category: label typed, then its scope


async def ask_label(update: Update, context: Context) -> int:
    """`pc:w:<sid>:0:<mask>:<scope>` (by role) or `pc:np:<sid>` (named people)."""
    query = update.callback_query
    data = query.data if query and query.data else ""
    await answer_button(update)
    if data.startswith("pc:np:"):
        session_id = one_id(update, "pc:np")
        flow: dict[str, Any] = {"named": True}
    else:
        where = _where_data(update)
        session_id = where[0] if where is not None and where[1] == 0 else None
        flow = {"named": False, "mask": where[2], "scope": where[3]} if where else {}
    if session_id is None:
        await stale_button(update, context)
        return ConversationHandler.END
    checked = await _check_category(update, context, session_id, 0)
    if checked is None:
        drop(context, _DATA)
        return ConversationHandler.END
    lang = checked.lang
    context.user_data[_DATA] = {"flow": "category", "session": session_id, **flow}  # type: ignore[index]
    example = "Đại biểu khách mời" if flow.get("named") else "Bí thư các chi bộ trực thuộc"
    if query is not None and not flow.get("named"):
        await edit_in_place(update, lang.t("Roles and units chosen."), None)
    await say(
        update,
        lang.t(
            "Type the name of this participant group as the plan words it, for example: "
            "{example}. Type /huy to stop.",
            example=example,
        ),
    )
    return LABEL


def _flow(context: Context, kind: str) -> dict[str, Any] | None:
    data = context.user_data.get(_DATA) if context.user_data is not None else None
    if not data or data.get("flow") != kind:
        return None
    return data  # type: ignore[no-any-return]


async def label_typed(update: Update, context: Context) -> int | None:
    data = _flow(context, "category")
    if data is None:
        return await flow_gone(update, context)
    lang = await lang_only(update, context)
    text = update.effective_message.text if update.effective_message else ""
    try:
        label = check_label(
            text, max_length=participants.MAX_LABEL, what=participants.CATEGORY_LABEL
        )
        async with deps(context).ctx() as ctx:
            session = await sessions.get_session(ctx, data["session"])
            plan = await plans.get_plan(ctx, session.plan_id)
    except InvalidInput as exc:
        await say(update, error_text(lang, exc) + "\n" + lang.t(TRY_AGAIN))
        return None
    except ServiceError as exc:
        drop(context, _DATA)
        await say(update, error_text(lang, exc))
        return ConversationHandler.END
    data["label"] = label
    rows = [
        [InlineKeyboardButton(lang.t("This session only"), callback_data="pc:sc:s")],
        [
            InlineKeyboardButton(
                lang.t("Every session of plan {plan}", plan=plan.number)[:60],
                callback_data="pc:sc:p",
            )
        ],
        [cancel_button(lang)],
    ]
    await say(
        update,
        lang.t(
            "Does “{label}” attend only this session, or every session of the plan?", label=label
        ),
        markup=InlineKeyboardMarkup(rows),
    )
    return SCOPE


async def scope_chosen(update: Update, context: Context) -> int:
    """`pc:sc:s|p`: create the category."""
    data = _flow(context, "category")
    query = update.callback_query
    await answer_button(update)
    if data is None or "label" not in data or query is None:
        await stale_button(update, context)
        return ConversationHandler.END
    session_id = data["session"]
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            session = await sessions.get_session(ctx, session_id)
            plan = await plans.get_plan(ctx, session.plan_id)
            rule: dict[str, Any] = {}
            if not data["named"]:
                rule = {"roles": _roles_of(data["mask"]), **_rule_args(data["scope"], plan)}
            category = await participants.add_category(
                ctx,
                me.person,  # type: ignore[arg-type]
                plan.id,  # type: ignore[arg-type]
                data["label"],
                session_id=session_id if query.data == "pc:sc:s" else None,
                **rule,
            )
            screen = None
            if not data["named"]:
                screen = await _category_screen(ctx, me.person, me.lang, session_id, tz)
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    drop(context, _DATA)
    lang = me.lang
    await edit_in_place(
        update, lang.t("Added the participant group “{label}”.", label=category.label), None
    )
    if screen is not None:
        await say(update, screen[0], markup=screen[1])
    else:
        await _send_people(update, context, session_id, category.id, 0, edit=False)  # type: ignore[arg-type]
    return ConversationHandler.END


# ----- named people


async def _people_screen(
    ctx: Ctx, person: Person | None, lang: Lang, session_id: int, category_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    session, plan, _host = await load_session(ctx, person, session_id)
    category = await _category_of(ctx, session, category_id)
    everyone = await participants.candidates(ctx, person, plan.id)  # type: ignore[arg-type]
    named = await participants.named_ids(ctx, category_id)
    pages = max(1, (len(everyone) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    rows = []
    for p in everyone[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        mark = "✓ " if p.id in named else ""
        label = f"{mark}{p.full_name}" + (f" — {p.position}" if p.position else "")
        rows.append(
            [
                InlineKeyboardButton(
                    label[:60], callback_data=f"pc:pt:{session_id}:{category_id}:{p.id}:{page}"
                )
            ]
        )
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton("◀", callback_data=f"pc:pp:{session_id}:{category_id}:{page - 1}")
        )
    if pages > 1:
        nav.append(
            InlineKeyboardButton(
                f"{page + 1}/{pages}", callback_data=f"pc:pp:{session_id}:{category_id}:{page}"
            )
        )
    if page < pages - 1:
        nav.append(
            InlineKeyboardButton("▶", callback_data=f"pc:pp:{session_id}:{category_id}:{page + 1}")
        )
    if nav:
        rows.append(nav)
    rows.append(
        [
            InlineKeyboardButton(
                lang.t("✅ Done ({n})", n=len(named)), callback_data=f"pc:{session_id}"
            )
        ]
    )
    text = lang.t(
        "Pick the people of “{label}” (tap to add or remove; ✓ = chosen). Chosen: {n}.",
        label=category.label,
        n=len(named),
    )
    if not everyone:
        text += "\n" + lang.t("Nobody is on the assistant in your units yet.")
    return text, InlineKeyboardMarkup(rows)


async def _send_people(
    update: Update, context: Context, session_id: int, category_id: int, page: int, *, edit: bool
) -> None:
    await show_screen(
        update,
        context,
        lambda ctx, me: _people_screen(ctx, me.person, me.lang, session_id, category_id, page),
        edit=edit,
    )


async def open_people(update: Update, context: Context) -> None:
    """`pc:pl:<sid>:<cid>:<page>` (new message) and `pc:pp:…` (page turned in place)."""
    query = update.callback_query
    turn = bool(query and query.data and query.data.startswith("pc:pp:"))
    ids = pressed_ids(update, "pc:pp" if turn else "pc:pl", 3)
    await answer_button(update)
    if ids is None:
        return
    await _send_people(update, context, ids[0], ids[1], ids[2], edit=turn)


async def toggle_person(update: Update, context: Context) -> None:
    """`pc:pt:<sid>:<cid>:<pid>:<page>`: name or un-name a person."""
    ids = pressed_ids(update, "pc:pt", 4)
    if ids is None:
        await answer_button(update)
        return
    session_id, category_id, person_id, page = ids
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            named = await participants.named_ids(ctx, category_id)
            if person_id in named:
                await participants.remove_person(ctx, me.person, category_id, person_id)  # type: ignore[arg-type]
            else:
                await participants.add_people(ctx, me.person, category_id, [person_id])  # type: ignore[arg-type]
    except ServiceError as exc:
        lang = await lang_only(update, context)
        await answer_button(update)
        await say(update, error_text(lang, exc))
        return
    await answer_button(update)
    await _send_people(update, context, session_id, category_id, page, edit=True)


# --------------------------------------------------------------------------- sending


async def preview(update: Update, context: Context) -> None:
    """`inv:prev:<session_id>`: who would be invited, per category, and how many are new."""
    session_id = one_id(update, "inv:prev")
    await answer_button(update)
    if session_id is None:
        return
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            found = await invitations.preview(ctx, me.person, session_id)  # type: ignore[arg-type]
            session, _plan, host = await load_session(ctx, me.person, session_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    lines = [lang.t("✉️ Invitations: {title}", title=session_title(lang, session, host.name, tz))]
    for c in found.categories:
        line = "• " + lang.t(
            "{label}: {people} people, {new} not invited yet",
            label=c.label,
            people=number(lang, c.people),
            new=number(lang, c.new),
        )
        if not c.defined:
            line += " " + lang.t("(⚠️ no rule and nobody named yet)")
        lines.append(line)
    if not found.categories:
        lines.append(lang.t("This session has no participant group yet."))
    lines += [
        "",
        lang.t(
            "In all {total} people; invited before: {before}; this time: {new}.",
            total=number(lang, found.total),
            before=number(lang, found.already_invited),
            new=number(lang, found.new),
        ),
    ]
    rows = []
    if found.new:
        rows.append(
            [
                InlineKeyboardButton(
                    lang.t("📨 Send ({n} people)", n=number(lang, found.new)),
                    callback_data=f"inv:send:{session_id}",
                )
            ]
        )
    else:
        lines.append(lang.t("Everyone in the participant groups has been invited already."))
    rows.append(
        [
            InlineKeyboardButton(lang.t("👥 Participants"), callback_data=f"pc:{session_id}"),
            cancel_button(lang),
        ]
    )
    await say(update, "\n".join(lines), markup=InlineKeyboardMarkup(rows))


def rsvp_buttons(invitation_id: int) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(ATTEND, f"rsvp:{invitation_id}:y"),
            Button(ABSENT, f"rsvp:{invitation_id}:n"),
        ),
    )


def planned_invitations(
    notices: Sequence[Notice], session: ModelSession, now: datetime, batch: str
) -> list[Planned]:
    """One outbox row per invitation, with the answer buttons; never sent after the start."""
    rows = []
    for notice in notices:
        invitation_id = int(notice.params["invitation_id"])
        rows.append(
            Planned(
                key=f"{INVITATION_KIND}:{invitation_id}",
                kind=INVITATION_KIND,
                person_id=notice.person_id,
                subject_type="session",
                subject_id=session.id,  # type: ignore[arg-type]
                due_at=now,
                msgid=notice.msgid,
                params=outbox.encode_params(notice.params),
                buttons=rsvp_buttons(invitation_id),
                useful_until=session.starts_at,
                batch=batch,
            )
        )
    return rows


async def send(update: Update, context: Context) -> None:
    """`inv:send:<session_id>`: invite everyone not invited yet (idempotent)."""
    session_id = one_id(update, "inv:send")
    await answer_button(update)
    if session_id is None:
        return
    batch = uuid.uuid4().hex
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            outcome = await invitations.send(ctx, me.person, session_id)  # type: ignore[arg-type]
            session = await sessions.get_session(ctx, session_id)
            await outbox.plan(
                ctx, planned_invitations(outcome.notices, session, ctx.clock.now(), batch)
            )
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    total = len(outcome.notices)
    if not total:
        await say(update, lang.t("Everyone in the participant groups has been invited already."))
        return
    message = await say(update, progress_text(lang, 0, total, 0, False))
    if message is not None:
        SendProgress(
            context.application, batch, total, message.chat_id, message.message_id, lang
        ).start()
    deliver.send_soon(context.application)


def progress_text(lang: Lang, sent: int, total: int, unreachable: int, finished: bool) -> str:
    if not finished:
        return lang.t(
            "📨 Sending invitations: {sent}/{total}",
            sent=number(lang, sent),
            total=number(lang, total),
        )
    text = lang.t(
        "✅ Invitations sent: {sent}/{total}.", sent=number(lang, sent), total=number(lang, total)
    )
    if unreachable:
        text += "\n" + lang.t(
            "{n} could not be reached (not on the assistant, or they blocked it). "
            "Details: /hangdoi",
            n=number(lang, unreachable),
        )
    return text


class SendProgress:
    """Edits the organiser's progress message while the dispatcher sends one batch: at most
    every PROGRESS_EVERY_SECONDS or every PROGRESS_EVERY_MESSAGES rows, and once at the end.

    The dispatcher reports each row it sends (`scheduler.watch_batch`); rows it gives up on
    before sending (recipient unreachable, no longer useful) are not reported, so a watchdog
    also looks every PROGRESS_EVERY_SECONDS until the batch is done. An edit that fails is
    logged and skipped: it never holds up or fails a send."""

    def __init__(
        self,
        app: Application,  # type: ignore[type-arg]
        batch: str,
        total: int,
        chat_id: int,
        message_id: int,
        lang: Lang,
    ) -> None:
        self.app = app
        self.batch = batch
        self.total = total
        self.chat_id = chat_id
        self.message_id = message_id
        self.lang = lang
        self.seen = 0  # rows reported (a retried row is reported again: only a hint)
        self.since_edit = 0
        self.last_edit = time.monotonic()
        self.shown = ""
        self.finished = False
        self._lock = asyncio.Lock()

    def start(self) -> None:
        scheduler.watch_batch(self.app, self.batch, self)
        self.app.create_task(self._watchdog(), name=f"invitations-progress-{self.batch}")

    async def __call__(self, batch: str) -> None:
        self.seen += 1
        self.since_edit += 1
        due = (
            self.since_edit >= PROGRESS_EVERY_MESSAGES
            or time.monotonic() - self.last_edit >= PROGRESS_EVERY_SECONDS
        )
        if due or self.seen >= self.total:
            await self._check(edit=due)

    async def _watchdog(self) -> None:
        deadline = time.monotonic() + WATCH_SECONDS
        while not self.finished and self.app.running and time.monotonic() < deadline:
            await asyncio.sleep(WATCH_TICK)
            if time.monotonic() - self.last_edit >= PROGRESS_EVERY_SECONDS:
                try:
                    await self._check(edit=True)
                except Exception:  # e.g. the database is briefly unavailable: look again
                    log.warning("progress of batch %s not checked", self.batch, exc_info=True)
        if not self.finished:
            scheduler.unwatch_batch(self.app, self.batch)

    async def _check(self, *, edit: bool) -> None:
        """Count the batch's rows; edit when asked to, and always once it is done."""
        async with self._lock:
            if self.finished:
                return
            app_deps = self.app.bot_data["deps"]
            async with app_deps.sessions() as session:
                counts = await outbox.counts(Ctx(session, app_deps.clock), self.batch)
            waiting = counts[NoticeState.PENDING.value] + counts[NoticeState.SENDING.value]
            sent = counts[NoticeState.SENT.value]
            done = sum(counts.values()) - waiting
            if waiting == 0:
                self.finished = True
                scheduler.unwatch_batch(self.app, self.batch)
                await self._show(progress_text(self.lang, sent, self.total, done - sent, True))
            elif edit:
                await self._show(progress_text(self.lang, done, self.total, 0, False))

    async def _show(self, text: str) -> None:
        self.since_edit = 0
        self.last_edit = time.monotonic()
        if text == self.shown:
            return
        try:
            await self.app.bot.edit_message_text(
                text, chat_id=self.chat_id, message_id=self.message_id
            )
        except TelegramError as exc:
            log.info("progress message of batch %s not edited: %s", self.batch, exc)
            return
        self.shown = text


# --------------------------------------------------------------------------- answers (RSVP)


def answer_line(lang: Lang, invitation: Invitation) -> str:
    if invitation.status == InvitationStatus.ACCEPTED:
        return lang.t("✅ Your answer: you will attend.")
    if invitation.status == InvitationStatus.DECLINED:
        return lang.t(
            "❌ Your answer: absent. Reason: {reason}", reason=invitation.decline_reason or ""
        )
    return ""


def _rsvp_markup(lang: Lang, invitation_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(lang.t(b.label), callback_data=b.data) for b in row]
            for row in rsvp_buttons(invitation_id)
        ]
    )


def invitation_with_answer(
    lang: Lang, invitation: Invitation, msgid: str, params: dict[str, Any]
) -> str:
    return "\n\n".join(
        [
            render(lang, msgid, params),
            answer_line(lang, invitation),
            lang.t("You can change your answer until the session starts."),
        ]
    )


async def _show_answer(
    context: Context,
    chat_id: int,
    message_id: int,
    lang: Lang,
    invitation: Invitation,
    msgid: str,
    params: dict[str, Any],
) -> None:
    """Edit the invitation message to show the current answer (never fails the answer)."""
    try:
        await context.bot.edit_message_text(
            invitation_with_answer(lang, invitation, msgid, params),
            chat_id=chat_id,
            message_id=message_id,
            reply_markup=_rsvp_markup(lang, invitation.id),  # type: ignore[arg-type]
        )
    except TelegramError as exc:
        log.info("invitation %s not edited: %s", invitation.id, exc)


def _rsvp_id(update: Update, answer: str) -> int | None:
    parts = split_data(update.callback_query.data if update.callback_query else None, "rsvp")
    if not parts or len(parts) != 2 or not parts[0].isdigit() or parts[1] != answer:
        return None
    return int(parts[0])


async def attend(update: Update, context: Context) -> None:
    """`rsvp:<invitation_id>:y`: answered at once."""
    invitation_id = _rsvp_id(update, "y")
    query = update.callback_query
    if invitation_id is None or query is None:
        await answer_button(update)
        return
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            invitation = await invitations.answer(
                ctx, me.person or Person(), invitation_id, accept=True
            )
            msgid, params = await invitations.invitation_message(ctx, invitation)
    except ServiceError as exc:
        lang = await lang_only(update, context)
        await answer_button(update)
        await say(update, error_text(lang, exc))
        return
    lang = me.lang
    await answer_button(update, lang.t("Recorded: you will attend."))
    message = query.message
    if message is not None:
        await _show_answer(
            context, message.chat.id, message.message_id, lang, invitation, msgid, params
        )


async def ask_reason(update: Update, context: Context) -> int:
    """`rsvp:<invitation_id>:n`: the reason is a typed step."""
    invitation_id = _rsvp_id(update, "n")
    query = update.callback_query
    await answer_button(update)
    if invitation_id is None or query is None or query.message is None:
        return ConversationHandler.END
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            await invitations.check_answer(ctx, me.person or Person(), invitation_id)
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    context.user_data[_DATA] = {  # type: ignore[index]
        "flow": "rsvp",
        "invitation": invitation_id,
        "chat": query.message.chat.id,
        "message": query.message.message_id,
    }
    await say(
        update,
        me.lang.t(
            "Please type the reason why you cannot attend, for example: "
            "Đi công tác tại Đà Nẵng. Type /huy to stop."
        ),
    )
    return REASON


async def reason_typed(update: Update, context: Context) -> int | None:
    data = _flow(context, "rsvp")
    if data is None:
        return await flow_gone(update, context)
    text = update.effective_message.text if update.effective_message else ""
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            invitation = await invitations.answer(
                ctx, me.person or Person(), data["invitation"], accept=False, reason=text
            )
            msgid, params = await invitations.invitation_message(ctx, invitation)
    except InvalidInput as exc:
        lang = await lang_only(update, context)
        await say(update, error_text(lang, exc) + "\n" + lang.t(TRY_AGAIN))
        return None
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    drop(context, _DATA)
    lang = me.lang
    await _show_answer(context, data["chat"], data["message"], lang, invitation, msgid, params)
    await say(
        update,
        lang.t(
            "Recorded: you will be absent. Reason: {reason}\n"
            "If your plans change, tap ✅ under the invitation before the session starts.",
            reason=invitation.decline_reason or "",
        ),
    )
    return ConversationHandler.END


# --------------------------------------------------------------------------- registration

INVITATIONS = router.add(
    router.Action(
        key="invitations",
        label=N_("✉️ Invitations"),
        description=N_("Send invitations to a session, check-in and the roll"),
        commands=("giaymoi", "invitations"),
        callback=show_invitation_sessions,
        roles=frozenset({Role.ORGANISER}),
        menu_row=3,
    )
)
PARTICIPANTS = router.add(
    router.Action(
        key="participants",
        label=N_("👥 Participants"),
        description=N_("Who is invited to a session (participant groups)"),
        commands=("thanhphan", "participants"),
        callback=show_category_sessions,
        roles=frozenset({Role.ORGANISER}),
        menu_row=-1,
    )
)
router.button(r"^inv:s:\d+$", show_panel)
router.button(r"^inv:prev:\d+$", preview)
router.button(r"^inv:send:\d+$", send)
router.button(r"^pc:\d+$", show_categories)
router.button(r"^pc:rt?:\d+:\d+:\d+$", open_roles)
router.button(r"^pc:u:\d+:\d+:\d+$", open_units)
router.button(r"^pc:w:\d+:[1-9]\d*:\d+:[a-z]$", rule_chosen)
router.button(r"^pc:p[lp]:\d+:\d+:\d+$", open_people)
router.button(r"^pc:pt:\d+:\d+:\d+:\d+$", toggle_person)
router.button(r"^rsvp:\d+:y$", attend)


router.button(r"^pc:w:\d+:0:\d+:[a-z]$", enter(lambda: _CONVERSATION))
router.button(r"^pc:np:\d+$", enter(lambda: _CONVERSATION))
router.button(r"^rsvp:\d+:n$", enter(lambda: _CONVERSATION))

_CONVERSATION: ConversationHandler | None = None  # type: ignore[type-arg]


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    text = filters.TEXT & ~filters.COMMAND & ~router.menu_filter()
    _CONVERSATION = ConversationHandler(
        name="invitations_steps",
        persistent=True,
        entry_points=[
            CallbackQueryHandler(ask_label, pattern=r"^pc:w:\d+:0:\d+:[a-z]$"),
            CallbackQueryHandler(ask_label, pattern=r"^pc:np:\d+$"),
            CallbackQueryHandler(ask_reason, pattern=r"^rsvp:\d+:n$"),
        ],
        states={
            LABEL: [MessageHandler(text, label_typed)],
            SCOPE: [CallbackQueryHandler(scope_chosen, pattern=r"^pc:sc:[sp]$")],
            REASON: [MessageHandler(text, reason_typed)],
        },
        fallbacks=fallbacks(_DATA),
        allow_reentry=True,
    )
    return [_CONVERSATION]
