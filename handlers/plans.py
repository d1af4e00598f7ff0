"""/kehoach (/plans): the plans a person may see, a plan's card and what organisers do with it
(issue, add a report requirement, see progress, list sessions, close); and the typed
conversation that creates a draft plan.

The plan list, the card and its buttons are stateless (`plan:…`); only the new-plan form
(`pnew:…`) is a conversation, because its answers are typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.i18n import N_, Lang, Msgid
from handlers import deliver, router
from handlers.common import Context, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.flow import drop, drop_all, enter, fallbacks, flow_gone
from handlers.pickers import PAGE_SIZE, cancel_button, pressed_ids, split_data
from services import plans, requirements, roles, sessions
from services.errors import Conflict, ServiceError
from services.units import get_unit
from services.validation import check_label
from services.vn_datetime import VN_TZ, format_date_long
from storage.models import (
    ContentStatus,
    ModelSession,
    Plan,
    PlanStatus,
    Role,
    SessionKind,
    SessionStatus,
)

NUMBER, TITLE, ISSUER, ISSUED_ON, PLACE, BASES, CONFIRM = range(7)
_DATA = "plan_new"
LABEL_LIMIT = 60

PLAN_STATUS: dict[PlanStatus, Msgid] = {
    PlanStatus.DRAFT: N_("draft"),
    PlanStatus.ISSUED: N_("issued"),
    PlanStatus.CLOSED: N_("closed"),
}
SESSION_KIND_SHORT: dict[SessionKind, Msgid] = {
    SessionKind.THUONG_KY: N_("Regular"),
    SessionKind.CHUYEN_DE: N_("Thematic"),
    SessionKind.HOI_THAO: N_("Workshop"),
}
CONTENT_STATUS: dict[ContentStatus, Msgid] = {
    ContentStatus.NONE: N_("content not sent"),
    ContentStatus.SUBMITTED: N_("content waiting for review"),
    ContentStatus.RETURNED: N_("content returned for changes"),
    ContentStatus.APPROVED: N_("content approved"),
}
TRY_AGAIN = N_("Please type it again, or /huy to stop.")


# --------------------------------------------------------------------------- shared pieces


def short_label(head: str, tail: str = "", limit: int = LABEL_LIMIT) -> str:
    """`head` + `tail`, shortening `head` with “…” so that `tail` stays visible."""
    room = limit - len(tail)
    if len(head) > room:
        head = head[: max(room - 1, 1)].rstrip() + "…"
    return head + tail


def plan_label(lang: Lang, plan: Plan) -> str:
    """“82-KH/ĐU — title (status)” for a button."""
    status = lang.t(PLAN_STATUS[PlanStatus(plan.status)])
    return short_label(f"{plan.number} — {plan.title}", f" ({status})")


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
    return short_label(f"{session_day(session)} — {host}", f" — {kind}{cancelled}")


def paged_rows(
    lang: Lang,
    items: Sequence[tuple[str, str]],
    page: int,
    page_data: Callable[[int], str],
) -> list[list[InlineKeyboardButton]]:
    """One button per (label, callback data), a page at a time, with ◀ n/N ▶."""
    pages = max(1, (len(items) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    rows = [
        [InlineKeyboardButton(label[:LABEL_LIMIT], callback_data=data)]
        for label, data in items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    ]
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀", callback_data=page_data(page - 1)))
    if pages > 1:
        nav.append(InlineKeyboardButton(f"{page + 1}/{pages}", callback_data=page_data(page)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton("▶", callback_data=page_data(page + 1)))
    if nav:
        rows.append(nav)
    return rows


def pressed(update: Update) -> str | None:
    """The callback data of the button pressed (None for a message)."""
    return update.callback_query.data if update.callback_query else None


def typed(update: Update) -> str:
    """The text of the message (empty for anything else)."""
    message = update.effective_message
    return (message.text or "") if message else ""


def flow_data(context: Context, key: str) -> dict[str, Any] | None:
    """The answers a conversation keeps under `key` (None once it is over)."""
    return context.user_data.get(key) if context.user_data is not None else None


async def _error(update: Update, context: Context, exc: ServiceError) -> None:
    await say(update, error_text(await lang_only(update, context), exc))


# --------------------------------------------------------------------------- the list


async def show_plans(update: Update, context: Context, page: int = 0) -> None:
    """/kehoach, the menu button, or `plan:page:N` (turns the page of the same message)."""
    await answer_button(update)
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        found = await plans.visible_plans(ctx, me.person)
        can_create = bool(await plans.issuer_units(ctx, me.person))
    lang = me.lang
    items = [(plan_label(lang, p), f"plan:{p.id}") for p in found]
    rows = paged_rows(lang, items, page, lambda n: f"plan:page:{n}")
    if can_create:
        rows.append([InlineKeyboardButton(lang.t("➕ New plan"), callback_data="plan:new")])
    markup = InlineKeyboardMarkup(rows) if rows else None
    query = update.callback_query
    if query is not None and (query.data or "").startswith("plan:page:"):
        await query.edit_message_reply_markup(markup)
        return
    if found:
        text = lang.t("Plans (tap one to open it):")
    elif can_create:
        text = lang.t(
            "There is no plan yet. Tap ➕ New plan to type one in, "
            "or send the plan document (.docx) here to import it."
        )
    else:
        text = lang.t(
            "There is no plan for your units yet. "
            "Plans appear here once your committee issues them."
        )
    await say(update, text, markup=markup)


async def plan_page(update: Update, context: Context) -> None:
    parts = split_data(pressed(update), "plan")
    page = int(parts[1]) if parts and len(parts) == 2 and parts[1].isdigit() else 0
    await show_plans(update, context, page)


# --------------------------------------------------------------------------- the card


def card_text(lang: Lang, plan: Plan, issuer: str, n_sessions: int, n_reqs: int) -> str:
    lines = [
        lang.t("📋 Plan {number}", number=plan.number),
        plan.title,
        lang.t("Issued by: {unit}", unit=issuer),
        lang.t(
            "Date of issue: {day}",
            day=format_date_long(plan.issued_on, lang.locale) if plan.issued_on else "—",
        ),
    ]
    if plan.place:
        lines.append(lang.t("Place of issue: {place}", place=plan.place))
    bases = plans.legal_bases_of(plan)
    if bases:
        lines.append(lang.t("Legal bases:"))
        lines += [f"• {line}" for line in bases]
    lines.append(lang.t("Status: {status}", status=lang.t(PLAN_STATUS[PlanStatus(plan.status)])))
    lines.append(
        lang.t(
            "Model sessions: {sessions} · Report requirements: {requirements}",
            sessions=n_sessions,
            requirements=n_reqs,
        )
    )
    return "\n".join(lines)


async def show_plan(update: Update, context: Context, plan_id: int | None = None) -> None:
    """`plan:<id>`: the card, with the buttons the person may use."""
    if plan_id is None:
        ids = pressed_ids(update, "plan", 1)
        await answer_button(update)
        if ids is None:
            return
        plan_id = ids[0]
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await plans.get_visible_plan(ctx, me.person, plan_id)
            issuer = await get_unit(ctx, plan.issuer_unit_id)
            n_sessions = sum(
                s.status != SessionStatus.CANCELLED.value
                for s in await sessions.plan_sessions(ctx, plan_id)
            )
            n_reqs = len(await requirements.plan_requirements(ctx, plan_id))
            manage = await plans.can_manage_plan(ctx, me.person, plan)
            progress = await requirements.can_see_progress(ctx, me.person, plan)
    except ServiceError as exc:
        await _error(update, context, exc)
        return
    lang = me.lang
    status = PlanStatus(plan.status)
    rows = []
    if manage and status == PlanStatus.DRAFT:
        rows.append([InlineKeyboardButton(lang.t("Issue"), callback_data=f"plan:issue:{plan_id}")])
    if manage and status != PlanStatus.CLOSED:
        rows.append(
            [
                InlineKeyboardButton(
                    lang.t("➕ Report requirement"), callback_data=f"req:new:{plan_id}"
                )
            ]
        )
    nav = []
    if progress:
        nav.append(InlineKeyboardButton(lang.t("📊 Progress"), callback_data=f"prog:{plan_id}"))
    nav.append(InlineKeyboardButton(lang.t("📅 Sessions"), callback_data=f"plan:ses:{plan_id}"))
    rows.append(nav)
    if manage and status == PlanStatus.ISSUED:
        rows.append(
            [InlineKeyboardButton(lang.t("Close the plan"), callback_data=f"plan:close:{plan_id}")]
        )
    await say(
        update,
        card_text(lang, plan, issuer.name, n_sessions, n_reqs),
        markup=InlineKeyboardMarkup(rows),
    )


async def show_sessions(update: Update, context: Context) -> None:
    """`plan:ses:<id>` (and `plan:ses:<id>:page:N`): the plan's sessions; each opens its card."""
    parts = split_data(pressed(update), "plan:ses")
    await answer_button(update)
    if not parts or not parts[0].isdigit():
        return
    plan_id = int(parts[0])
    page = int(parts[2]) if len(parts) == 3 and parts[2].isdigit() else None
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await plans.get_visible_plan(ctx, me.person, plan_id)
            found = await sessions.plan_sessions(ctx, plan_id)
            hosts = {s.host_unit_id: (await get_unit(ctx, s.host_unit_id)).name for s in found}
    except ServiceError as exc:
        await _error(update, context, exc)
        return
    lang = me.lang
    if not found:
        await say(update, lang.t("Plan {plan} has no model session yet.", plan=plan.number))
        return
    items = [(session_label(lang, s, hosts[s.host_unit_id]), f"ss:{s.id}") for s in found]
    markup = InlineKeyboardMarkup(
        paged_rows(lang, items, page or 0, lambda n: f"plan:ses:{plan_id}:page:{n}")
    )
    query = update.callback_query
    if page is not None and query is not None:
        await query.edit_message_reply_markup(markup)
        return
    await say(
        update,
        lang.t("Model sessions of plan {plan} (tap one to open it):", plan=plan.number),
        markup=markup,
    )


# --------------------------------------------------------------------------- issue and close


async def ask_issue_or_close(update: Update, context: Context) -> None:
    """`plan:issue:<id>` / `plan:close:<id>`: ask before doing what cannot be undone."""
    data = pressed(update) or ""
    what = "issue" if data.startswith("plan:issue:") else "close"
    ids = pressed_ids(update, f"plan:{what}", 1)
    await answer_button(update)
    if ids is None:
        return
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await plans.get_visible_plan(ctx, me.person, ids[0])
            await plans.require_plan_manager(ctx, me.person, plan)
    except ServiceError as exc:
        await _error(update, context, exc)
        return
    lang = me.lang
    if what == "issue":
        text = lang.t(
            "Issue plan {plan}? The secretaries and organisers of the units it concerns "
            "will be told.",
            plan=plan.number,
        )
        label = lang.t("✅ Issue")
    else:
        text = lang.t(
            "Close plan {plan}? Nothing can be added to it afterwards "
            "(sessions, requirements, documents).",
            plan=plan.number,
        )
        label = lang.t("✅ Close")
    buttons = [
        InlineKeyboardButton(label, callback_data=f"plan:{what}:{plan.id}:yes"),
        cancel_button(lang),
    ]
    await say(update, text, markup=InlineKeyboardMarkup([buttons]))


async def issue_or_close(update: Update, context: Context) -> None:
    """`plan:issue:<id>:yes` / `plan:close:<id>:yes`."""
    data = pressed(update) or ""
    what = "issue" if data.startswith("plan:issue:") else "close"
    parts = split_data(data, f"plan:{what}")
    await answer_button(update)
    if not parts or len(parts) != 2 or not parts[0].isdigit() or parts[1] != "yes":
        return
    plan_id = int(parts[0])
    sent = 0
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            if what == "issue":
                outcome = await plans.issue_plan(ctx, me.person, plan_id)  # type: ignore[arg-type]
                plan = outcome.value
                sent = await deliver.queue(
                    ctx,
                    outcome.notices,
                    kind="plan_issued",
                    subject_type="plan",
                    subject_id=plan_id,
                )
            else:
                plan = await plans.close_plan(ctx, me.person, plan_id)  # type: ignore[arg-type]
    except ServiceError as exc:
        await _error(update, context, exc)
        return
    lang = me.lang
    if what == "issue":
        deliver.send_soon(context.application)
        text = lang.t("Plan {plan} has been issued.", plan=plan.number)
        if sent:
            text += " " + lang.nt("{n} person is being told.", "{n} people are being told.", sent)
    else:
        text = lang.t("Plan {plan} is closed.", plan=plan.number)
    await say(update, text)
    await show_plan(update, context, plan_id)


# --------------------------------------------------------------------------- a new plan


async def new_plan(update: Update, context: Context) -> int:
    """`plan:new`: start the form (organisers only)."""
    await answer_button(update)
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        issuers = await plans.issuer_units(ctx, me.person)
    drop_all(context)  # a conversation left open below this one takes no more answers
    if not issuers:
        await say(
            update,
            me.lang.t(
                "Only organisers (Ban Tổ chức, Văn phòng) can create plans. "
                "If you need this, ask your committee's organisers."
            ),
        )
        return ConversationHandler.END
    data: dict[str, object] = {}
    if len(issuers) == 1:
        data["issuer"] = issuers[0].id
    context.user_data[_DATA] = data  # type: ignore[index]
    return await _ask_next(update, context, me.lang)


_STEPS = ("number", "title", "issuer", "issued_on", "place", "bases")


async def _ask_next(update: Update, context: Context, lang: Lang) -> int:
    """Ask the first question not answered yet; the card when all are."""
    data = flow_data(context, _DATA) or {}
    step = next((s for s in _STEPS if s not in data), None)
    if step == "number":
        await say(update, lang.t("Type the plan number as written on it, for example: 82-KH/ĐU."))
        return NUMBER
    if step == "title":
        await say(
            update,
            lang.t(
                "Type the title of the plan, for example: "
                "Tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu."
            ),
        )
        return TITLE
    if step == "issuer":
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            issuers = await plans.issuer_units(ctx, me.person)
        rows = [
            [InlineKeyboardButton(u.name[:LABEL_LIMIT], callback_data=f"pnew:iss:{u.id}")]
            for u in issuers
        ]
        rows.append([cancel_button(lang)])
        await say(update, lang.t("Which unit issues the plan?"), markup=InlineKeyboardMarkup(rows))
        return ISSUER
    if step == "issued_on":
        await say(
            update,
            lang.t("Type the date of issue, for example: 02/01/2025, or tap Today."),
            markup=_one_button(lang, lang.t("Today"), "pnew:today"),
        )
        return ISSUED_ON
    if step == "place":
        await say(
            update,
            lang.t("Type the place of issue, for example: Hà Nội, or tap Skip."),
            markup=_one_button(lang, lang.t("Skip"), "pnew:skip:place"),
        )
        return PLACE
    if step == "bases":
        await say(
            update,
            lang.t(
                "Type the legal bases of the plan, one per line, for example:\n"
                "Chỉ thị số 10-CT/TW ngày 30/3/2007 của Ban Bí thư\n"
                "Hướng dẫn số 12-HD/BTCTW ngày 06/7/2017 của Ban Tổ chức Trung ương\n"
                "or tap Skip."
            ),
            markup=_one_button(lang, lang.t("Skip"), "pnew:skip:bases"),
        )
        return BASES
    return await _show_form(update, context, lang)


def _one_button(lang: Lang, label: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data), cancel_button(lang)]]
    )


async def _show_form(update: Update, context: Context, lang: Lang) -> int:
    data = flow_data(context, _DATA) or {}
    async with deps(context).ctx() as ctx:
        issuer = await get_unit(ctx, int(data["issuer"]))  # type: ignore[call-overload]
    bases = str(data["bases"]).split("\n") if data["bases"] else []
    lines = [
        lang.t("Please check the new plan:"),
        lang.t("Number: {number}", number=data["number"]),
        lang.t("Title: {title}", title=data["title"]),
        lang.t("Issued by: {unit}", unit=issuer.name),
        lang.t(
            "Date of issue: {day}",
            day=format_date_long(date.fromisoformat(str(data["issued_on"])), lang.locale),
        ),
        lang.t("Place of issue: {place}", place=data["place"] or "—"),
        lang.t("Legal bases:") + (" —" if not bases else ""),
        *[f"• {line}" for line in bases],
        "",
        lang.t("It will be saved as a draft: nobody is told until you issue it."),
    ]
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(lang.t("✅ Confirm"), callback_data="pnew:ok"),
                cancel_button(lang),
            ]
        ]
    )
    await say(update, "\n".join(lines), markup=markup)
    return CONFIRM


async def _checked(
    update: Update, context: Context, key: str, check: Callable[..., object]
) -> int | None:
    """Store `check(ctx, text)` under `key` and go on; a refused answer is asked again."""
    data = flow_data(context, _DATA)
    if data is None:
        return await flow_gone(update, context)
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            value = check(ctx, typed(update))
    except ServiceError as exc:
        lang = await lang_only(update, context)
        await say(update, error_text(lang, exc) + "\n" + lang.t(TRY_AGAIN))
        return None
    data[key] = value
    return await _ask_next(update, context, me.lang)


async def number_typed(update: Update, context: Context) -> int | None:
    return await _checked(update, context, "number", lambda ctx, t: plans.check_plan_number(t))


async def title_typed(update: Update, context: Context) -> int | None:
    return await _checked(
        update,
        context,
        "title",
        lambda ctx, t: check_label(t, max_length=300, what=N_("plan title")),
    )


async def date_typed(update: Update, context: Context) -> int | None:
    return await _checked(
        update,
        context,
        "issued_on",
        lambda ctx, t: plans.parse_day(ctx, t, allow_past=True).isoformat(),
    )


async def place_typed(update: Update, context: Context) -> int | None:
    return await _checked(
        update,
        context,
        "place",
        lambda ctx, t: check_label(t, max_length=120, what=N_("place of issue")),
    )


async def bases_typed(update: Update, context: Context) -> int | None:
    return await _checked(
        update, context, "bases", lambda ctx, t: "\n".join(plans.check_legal_bases(t))
    )


async def issuer_picked(update: Update, context: Context) -> int | None:
    ids = pressed_ids(update, "pnew:iss", 1)
    await answer_button(update)
    data = flow_data(context, _DATA)
    if data is None or ids is None:
        return await flow_gone(update, context)
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            unit = await get_unit(ctx, ids[0])
            await roles.require_organiser(ctx, me.person, unit.id)  # type: ignore[arg-type]
    except ServiceError as exc:
        await _error(update, context, exc)
        return None
    data["issuer"] = unit.id
    return await _ask_next(update, context, me.lang)


async def shortcut_pressed(update: Update, context: Context) -> int | None:
    """`pnew:today` (date of issue) and `pnew:skip:place|bases`."""
    query_data = pressed(update) or ""
    await answer_button(update)
    data = flow_data(context, _DATA)
    if data is None:
        return await flow_gone(update, context)
    if query_data == "pnew:today":
        async with deps(context).ctx() as ctx:
            data["issued_on"] = plans.local_today(ctx).isoformat()
    else:
        data[query_data.rsplit(":", 1)[1]] = ""
    return await _ask_next(update, context, await lang_only(update, context))


async def confirmed(update: Update, context: Context) -> int | None:
    await answer_button(update)
    data = flow_data(context, _DATA)
    if data is None or any(step not in data for step in _STEPS):
        return await flow_gone(update, context)
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await plans.create_plan(
                ctx,
                me.person,  # type: ignore[arg-type]
                int(data["issuer"]),  # type: ignore[call-overload]
                number=str(data["number"]),
                title=str(data["title"]),
                issued_on=date.fromisoformat(str(data["issued_on"])),
                place=str(data["place"]),
                legal_bases=str(data["bases"]),
            )
    except Conflict as exc:
        # The number is taken (or the plan can no longer be made): ask for another number.
        lang = await lang_only(update, context)
        data.pop("number", None)
        await say(update, error_text(lang, exc))
        return await _ask_next(update, context, lang)
    except ServiceError as exc:
        drop(context, _DATA)
        await _error(update, context, exc)
        return ConversationHandler.END
    drop(context, _DATA)
    await say(
        update,
        me.lang.t(
            "Saved plan {plan} as a draft. Add its report requirements, then tap Issue.",
            plan=plan.number,
        ),
    )
    await show_plan(update, context, plan.id)
    return ConversationHandler.END


async def press_a_button(update: Update, context: Context) -> None:
    lang = await lang_only(update, context)
    await say(update, lang.t("Please choose with the buttons above, or /huy to stop."))


# --------------------------------------------------------------------------- registration


ACTION = router.add(
    router.Action(
        key="plans",
        label=N_("📋 Plans"),
        description=N_("Plans of model party cell meetings: create, issue, follow"),
        commands=("kehoach", "plans"),
        callback=show_plans,
        roles=frozenset({Role.ORGANISER, Role.LEADER}),
        menu_row=2,
    )
)
router.button(r"^plan:page:\d+$", plan_page)
router.button(r"^plan:\d+$", show_plan)
router.button(r"^plan:ses:\d+(:page:\d+)?$", show_sessions)
router.button(r"^plan:(issue|close):\d+$", ask_issue_or_close)
router.button(r"^plan:(issue|close):\d+:yes$", issue_or_close)


_CONVERSATION: ConversationHandler | None = None


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    _CONVERSATION = _conversation()
    return [_CONVERSATION]


router.button(r"^plan:new$", enter(lambda: _CONVERSATION))


def _conversation() -> ConversationHandler:  # type: ignore[type-arg]
    text = filters.TEXT & ~filters.COMMAND & ~router.menu_filter()
    return ConversationHandler(
        name="plan_new",
        persistent=True,
        entry_points=[CallbackQueryHandler(new_plan, pattern=r"^plan:new$")],
        states={
            NUMBER: [MessageHandler(text, number_typed)],
            TITLE: [MessageHandler(text, title_typed)],
            ISSUER: [
                CallbackQueryHandler(issuer_picked, pattern=r"^pnew:iss:\d+$"),
                MessageHandler(text, press_a_button),
            ],
            ISSUED_ON: [
                MessageHandler(text, date_typed),
                CallbackQueryHandler(shortcut_pressed, pattern=r"^pnew:today$"),
            ],
            PLACE: [
                MessageHandler(text, place_typed),
                CallbackQueryHandler(shortcut_pressed, pattern=r"^pnew:skip:place$"),
            ],
            BASES: [
                MessageHandler(text, bases_typed),
                CallbackQueryHandler(shortcut_pressed, pattern=r"^pnew:skip:bases$"),
            ],
            CONFIRM: [
                CallbackQueryHandler(confirmed, pattern=r"^pnew:ok$"),
                MessageHandler(text, press_a_button),
            ],
        },
        fallbacks=fallbacks(_DATA),
        allow_reentry=True,
    )
