"""Report requirements of a plan (organisers add them from the plan card) and /tiendo
(/progress): who has delivered what by when.

Adding a requirement is one conversation (`req:…`): kind → target units → session quota →
deadline (typed) → description (typed or skipped) → confirmation. The progress table is
stateless (`prog:…`); its 🔄 button edits the table in place.
"""

from __future__ import annotations

from datetime import date, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
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
from handlers.flow import drop, drop_all, enter, fallbacks, flow_gone, give_up
from handlers.pickers import cancel_button, one_id, split_data
from handlers.plans import (
    TRY_AGAIN,
    flow_data,
    paged_rows,
    plan_label,
    press_a_button,
    pressed,
    short_label,
    show_plan,
    typed,
)
from services import plans, requirements
from services.errors import InvalidInput, ServiceError
from services.requirements import ProgressRow, TargetScope
from services.units import get_unit
from services.vn_datetime import format_date_long, format_datetime_short
from storage.models import (
    Plan,
    PlanStatus,
    RequirementKind,
    Role,
    SessionKind,
    TargetStatus,
    UnitKind,
)

KIND, TARGETS, PICK, QUOTA, DUE, DESCRIPTION, CONFIRM = range(7)
_DATA = "req_new"
MAX_NAMES = 15
TEXT_LIMIT = 4000  # under Telegram's 4,096 characters per message
_TABLES = "progress_tables"  # chat_data: last message id → ids of one table's messages
KEEP_TABLES = 10

KIND_LABELS: dict[RequirementKind, Msgid] = {
    RequirementKind.REPORT_SESSIONS: N_("Report model sessions"),
    RequirementKind.DOCUMENT: N_("Send a document (tham luận…)"),
}
_KINDS = {"report": RequirementKind.REPORT_SESSIONS, "doc": RequirementKind.DOCUMENT}
QUOTAS: dict[str, tuple[Msgid, dict[SessionKind, int]]] = {
    "tk_cd": (
        N_("1 regular + 1 thematic session"),
        {SessionKind.THUONG_KY: 1, SessionKind.CHUYEN_DE: 1},
    ),
    "tk": (N_("1 regular session"), {SessionKind.THUONG_KY: 1}),
    "cd": (N_("1 thematic session"), {SessionKind.CHUYEN_DE: 1}),
    "ht": (N_("1 workshop"), {SessionKind.HOI_THAO: 1}),
}
SCOPES = {"grassroots": UnitKind.GRASSROOTS, "cell": UnitKind.CELL}


def _names(lang: Lang, names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    if len(names) > MAX_NAMES:
        shown += " " + lang.t("and {n} more", n=len(names) - MAX_NAMES)
    return shown


def missing_text(lang: Lang, row: ProgressRow) -> str:
    """What a unit still owes: “1 thematic session”, “the document”."""
    if row.missing_document:
        return lang.t("the document")
    parts = []
    for kind, n in row.missing.items():
        if kind == SessionKind.THUONG_KY:
            parts.append(lang.nt("{n} regular session", "{n} regular sessions", n))
        elif kind == SessionKind.CHUYEN_DE:
            parts.append(lang.nt("{n} thematic session", "{n} thematic sessions", n))
        else:
            parts.append(lang.nt("{n} workshop", "{n} workshops", n))
    return ", ".join(parts)


# --------------------------------------------------------------------------- a new requirement


async def begin(update: Update, context: Context) -> int:
    """`req:new:<plan_id>` (from the plan card)."""
    plan_id = one_id(update, "req:new")
    await answer_button(update)
    drop_all(context)  # a conversation left open below this one takes no more answers
    if plan_id is None:
        return ConversationHandler.END
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await requirements.check_new_requirement(ctx, me.person, plan_id)
            issuer = await get_unit(ctx, plan.issuer_unit_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return ConversationHandler.END
    context.user_data[_DATA] = {  # type: ignore[index]
        "plan": plan.id,
        "number": plan.number,
        "issuer": issuer.name,
        "units": [],
    }
    lang = me.lang
    rows = [
        [InlineKeyboardButton(lang.t(KIND_LABELS[kind]), callback_data=f"req:k:{code}")]
        for code, kind in _KINDS.items()
    ]
    rows.append([cancel_button(lang)])
    await say(
        update,
        lang.t("New requirement of plan {plan}. What must the units do?", plan=plan.number),
        markup=InlineKeyboardMarkup(rows),
    )
    return KIND


async def kind_picked(update: Update, context: Context) -> int | None:
    code = (pressed(update) or "").rsplit(":", 1)[-1]
    await answer_button(update)
    data = flow_data(context, _DATA)
    if data is None or code not in _KINDS:
        return await flow_gone(update, context)
    data["kind"] = code
    lang = await lang_only(update, context)
    issuer = data["issuer"]
    rows = [
        [
            InlineKeyboardButton(
                short_label(lang.t("All grassroots organisations under {unit}", unit=issuer)),
                callback_data="req:t:grassroots",
            )
        ],
        [
            InlineKeyboardButton(
                short_label(lang.t("All party cells under {unit}", unit=issuer)),
                callback_data="req:t:cell",
            )
        ],
        [InlineKeyboardButton(lang.t("Choose units one by one"), callback_data="req:t:pick")],
        [cancel_button(lang)],
    ]
    await say(update, lang.t("Which units does it apply to?"), markup=InlineKeyboardMarkup(rows))
    return TARGETS


async def targets_picked(update: Update, context: Context) -> int | None:
    code = (pressed(update) or "").rsplit(":", 1)[-1]
    await answer_button(update)
    data = flow_data(context, _DATA)
    if data is None:
        return await flow_gone(update, context)
    if code == "pick":
        return await _show_picker(update, context, data, page=0, edit=False)
    if code not in SCOPES:
        return None
    return await _targets_chosen(update, context, data, scope=code)


async def _targets_chosen(
    update: Update, context: Context, data: dict[str, object], *, scope: str | None
) -> int | None:
    """Check the targets with the service (and keep their names for the card)."""
    unit_ids = [] if scope else list(data["units"])  # type: ignore[call-overload]
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await plans.get_plan(ctx, int(data["plan"]))  # type: ignore[call-overload]
            target_scope = TargetScope(plan.issuer_unit_id, SCOPES[scope]) if scope else None
            shown = await requirements.preview_targets(
                ctx, me.person, plan.id, unit_ids, target_scope
            )  # type: ignore[arg-type]
    except InvalidInput as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return None
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    data["scope"] = scope
    data["names"] = [u.name for u in shown]
    return await _after_targets(update, context, data, me.lang)


async def _after_targets(
    update: Update, context: Context, data: dict[str, object], lang: Lang
) -> int:
    if data["kind"] == "report":
        rows = [
            [InlineKeyboardButton(lang.t(label), callback_data=f"req:q:{code}")]
            for code, (label, _) in QUOTAS.items()
        ]
        rows.append([cancel_button(lang)])
        await say(
            update,
            lang.t("How many model sessions must each unit report?"),
            markup=InlineKeyboardMarkup(rows),
        )
        return QUOTA
    return await _ask_due(update, lang)


async def _ask_due(update: Update, lang: Lang) -> int:
    await say(
        update,
        lang.t("Type the deadline, for example: 20/02/2025 or “trước ngày 20/2”."),
    )
    return DUE


async def _show_picker(
    update: Update, context: Context, data: dict[str, object], *, page: int, edit: bool
) -> int | None:
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            rows = await requirements.target_choices(ctx, me.person, int(data["plan"]))  # type: ignore[call-overload]
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    lang = me.lang
    chosen = set(data["units"])  # type: ignore[call-overload]
    items = [
        (
            ("☑ " if r.unit.id in chosen else "☐ ") + "· " * r.depth + r.unit.name,
            f"req:u:{r.unit.id}",
        )
        for r in rows
    ]
    if not items:
        await say(update, lang.t("There is no unit under {unit} yet.", unit=data["issuer"]))
        return None
    buttons = paged_rows(lang, items, page, lambda n: f"req:u:page:{n}")
    buttons.append(
        [
            InlineKeyboardButton(
                lang.t("✅ Done ({n})", n=len(chosen)), callback_data="req:u:done"
            ),
            cancel_button(lang),
        ]
    )
    data["page"] = page
    markup = InlineKeyboardMarkup(buttons)
    query = update.callback_query
    if edit and query is not None:
        await query.edit_message_reply_markup(markup)
    else:
        await say(
            update,
            lang.t("Tap the units it applies to, then ✅ Done."),
            markup=markup,
        )
    return PICK


async def unit_toggled(update: Update, context: Context) -> int | None:
    """`req:u:<id>` toggles a unit, `req:u:page:N` turns the page, `req:u:done` goes on."""
    parts = split_data(pressed(update), "req:u") or []
    await answer_button(update)
    data = flow_data(context, _DATA)
    if data is None:
        return await flow_gone(update, context)
    chosen: list[int] = list(data["units"])  # type: ignore[call-overload]
    if parts == ["done"]:
        return await _targets_chosen(update, context, data, scope=None)
    if len(parts) == 2 and parts[0] == "page" and parts[1].isdigit():
        return await _show_picker(update, context, data, page=int(parts[1]), edit=True)
    if len(parts) != 1 or not parts[0].isdigit():
        return None
    unit_id = int(parts[0])
    if unit_id in chosen:
        chosen.remove(unit_id)
    else:
        chosen.append(unit_id)  # (checked against the plan when ✅ Done is pressed)
    data["units"] = chosen
    return await _show_picker(update, context, data, page=int(data.get("page", 0)), edit=True)  # type: ignore[call-overload]


async def quota_picked(update: Update, context: Context) -> int | None:
    code = (pressed(update) or "").rsplit(":", 1)[-1]
    await answer_button(update)
    data = flow_data(context, _DATA)
    if data is None or code not in QUOTAS:
        return await flow_gone(update, context)
    data["quota"] = code
    return await _ask_due(update, await lang_only(update, context))


async def due_typed(update: Update, context: Context) -> int | None:
    data = flow_data(context, _DATA)
    if data is None:
        return await flow_gone(update, context)
    try:
        async with deps(context).ctx() as ctx:
            day = requirements.parse_due_day(ctx, typed(update))
    except ServiceError as exc:
        lang = await lang_only(update, context)
        await say(update, error_text(lang, exc) + "\n" + lang.t(TRY_AGAIN))
        return None
    data["due"] = day.isoformat()
    lang = await lang_only(update, context)
    await say(
        update,
        lang.t(
            "Type what the units must do (it is shown to them), for example: "
            "Gửi bài tham luận về kinh nghiệm sinh hoạt chi bộ. Or tap Skip."
        ),
        markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(lang.t("Skip"), callback_data="req:skip"),
                    cancel_button(lang),
                ]
            ]
        ),
    )
    return DESCRIPTION


def _default_description(lang: Lang, data: dict[str, object]) -> str:
    if data["kind"] == "report":
        label = QUOTAS[str(data["quota"])][0]
        return lang.t("Report model sessions: {quota}", quota=lang.t(label))
    return lang.t("Send a document (tham luận)")


async def description_typed(update: Update, context: Context) -> int | None:
    data = flow_data(context, _DATA)
    if data is None:
        return await flow_gone(update, context)
    lang = await lang_only(update, context)
    try:
        data["description"] = requirements.check_description(typed(update))
    except ServiceError as exc:
        await say(update, error_text(lang, exc) + "\n" + lang.t(TRY_AGAIN))
        return None
    return await _show_form(update, data, lang)


async def description_skipped(update: Update, context: Context) -> int | None:
    await answer_button(update)
    data = flow_data(context, _DATA)
    if data is None:
        return await flow_gone(update, context)
    lang = await lang_only(update, context)
    data["description"] = _default_description(lang, data)
    return await _show_form(update, data, lang)


async def _show_form(update: Update, data: dict[str, object], lang: Lang) -> int:
    names: list[str] = list(data["names"])  # type: ignore[call-overload]
    kind = _KINDS[str(data["kind"])]
    lines = [
        lang.t("Please check the new requirement of plan {plan}:", plan=data["number"]),
        lang.t("Kind: {kind}", kind=lang.t(KIND_LABELS[kind])),
    ]
    if kind == RequirementKind.REPORT_SESSIONS:
        lines.append(
            lang.t("Each unit reports: {quota}", quota=lang.t(QUOTAS[str(data["quota"])][0]))
        )
    lines += [
        lang.nt(
            "Applies to {n} unit: {names}",
            "Applies to {n} units: {names}",
            len(names),
            names=_names(lang, names),
        ),
        lang.t(
            "Deadline: end of {day}",
            day=format_date_long(date.fromisoformat(str(data["due"])), lang.locale),
        ),
        lang.t("Description: {text}", text=data["description"]),
    ]
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(lang.t("✅ Confirm"), callback_data="req:ok"),
                cancel_button(lang),
            ]
        ]
    )
    await say(update, "\n".join(lines), markup=markup)
    return CONFIRM


async def confirmed(update: Update, context: Context) -> int | None:
    await answer_button(update)
    data = flow_data(context, _DATA)
    if data is None or "description" not in data:
        return await flow_gone(update, context)
    kind = _KINDS[str(data["kind"])]
    scope = data.get("scope")
    plan_id = int(data["plan"])  # type: ignore[call-overload]
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await plans.get_plan(ctx, plan_id)
            outcome = await requirements.create_requirement(
                ctx,
                me.person,  # type: ignore[arg-type]
                plan_id,
                kind,
                date.fromisoformat(str(data["due"])),
                description=str(data["description"]),
                target_unit_ids=[] if scope else list(data["units"]),  # type: ignore[call-overload]
                scope=TargetScope(plan.issuer_unit_id, SCOPES[str(scope)]) if scope else None,
                quota=QUOTAS[str(data["quota"])][1] if "quota" in data else None,
            )
            sent = await deliver.queue(
                ctx,
                outcome.notices,
                kind="requirement_added",
                subject_type="requirement",
                subject_id=outcome.value.id,  # type: ignore[arg-type]
            )
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    drop(context, _DATA)
    deliver.send_soon(context.application)
    lang = me.lang
    if plan.status == PlanStatus.DRAFT:
        text = lang.t("Requirement added. The units will be told when the plan is issued.")
    else:
        text = lang.t("Requirement added.")
        if sent:
            text += " " + lang.nt("{n} person is being told.", "{n} people are being told.", sent)
    await say(update, text)
    await show_plan(update, context, plan_id)
    return ConversationHandler.END


# --------------------------------------------------------------------------- progress


def progress_lines(lang: Lang, plan: Plan, rows: list[ProgressRow], now: datetime) -> list[str]:
    done = sum(r.status == TargetStatus.SUBMITTED for r in rows)
    late = sum(r.status == TargetStatus.LATE for r in rows)
    lines = [
        lang.t("📊 Progress of plan {plan} (at {time})", plan=plan.number, time=_short(now)),
        lang.t(
            "Delivered: {done}/{total} · Overdue: {late}", done=done, total=len(rows), late=late
        ),
    ]
    if not rows:
        lines.append(lang.t("The plan asks nothing of any unit yet."))
    current: int | None = None
    for row in rows:
        if row.requirement_id != current:
            current = row.requirement_id
            due = row.due_on.strftime("%d/%m/%Y")
            lines += ["", lang.t("📌 {text} — due {due}", text=row.description, due=due)]
        lines.append(_row_line(lang, row))
    return lines


def _short(moment: datetime) -> str:
    return format_datetime_short(moment, "vi")


def _row_line(lang: Lang, row: ProgressRow) -> str:
    if row.status == TargetStatus.SUBMITTED:
        when = _short(row.submitted_at) if row.submitted_at else ""
        line = lang.t("✅ {unit} — delivered {when}", unit=row.unit_name, when=when)
        if row.submitted_late:
            line += " " + lang.t("(late)")
        return line
    if row.status == TargetStatus.LATE:
        line = lang.t("❗ {unit} — overdue", unit=row.unit_name)
    else:
        line = lang.t("⏳ {unit} — not due yet", unit=row.unit_name)
    missing = missing_text(lang, row)
    return line + ("; " + lang.t("missing: {what}", what=missing) if missing else "")


def split_messages(lines: list[str], limit: int = TEXT_LIMIT) -> list[str]:
    """Whole lines per message, each message at most `limit` characters."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        line = line if len(line) <= limit else line[: limit - 1] + "…"
        if current and size + 1 + len(line) > limit:
            chunks.append("\n".join(current).strip("\n"))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        chunks.append("\n".join(current).strip("\n"))
    return [c for c in chunks if c] or [""]


async def choose_plan(update: Update, context: Context, page: int = 0) -> None:
    """/tiendo, the menu button, or `prog:page:N`."""
    await answer_button(update)
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        found = await requirements.progress_plans(ctx, me.person)
    lang = me.lang
    if not found:
        await say(
            update,
            lang.t(
                "There is no plan whose progress you can see. Organisers and leaders see the "
                "progress of the plans of their units."
            ),
        )
        return
    items = [(plan_label(lang, p), f"prog:{p.id}") for p in found]
    markup = InlineKeyboardMarkup(paged_rows(lang, items, page, lambda n: f"prog:page:{n}"))
    query = update.callback_query
    if query is not None and (query.data or "").startswith("prog:page:"):
        await query.edit_message_reply_markup(markup)
        return
    await say(update, lang.t("Progress of which plan?"), markup=markup)


async def progress_page(update: Update, context: Context) -> None:
    parts = split_data(pressed(update), "prog:page")
    await choose_plan(update, context, int(parts[0]) if parts and parts[0].isdigit() else 0)


async def _table(update: Update, context: Context, plan_id: int) -> tuple[list[str], Lang] | None:
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await plans.get_visible_plan(ctx, me.person, plan_id)
            rows = await requirements.progress(ctx, me.person, plan_id)  # type: ignore[arg-type]
            now = ctx.clock.now()
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return None
    return split_messages(progress_lines(me.lang, plan, rows, now)), me.lang


def _refresh(lang: Lang, plan_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(lang.t("🔄 Refresh"), callback_data=f"prog:r:{plan_id}")]]
    )


def _remember(context: Context, messages: list[int]) -> None:
    tables: dict[int, list[int]] = context.chat_data.setdefault(_TABLES, {})  # type: ignore[union-attr]
    tables[messages[-1]] = messages
    for old in list(tables)[:-KEEP_TABLES]:
        del tables[old]


async def show_progress(update: Update, context: Context) -> None:
    """`prog:<plan_id>`: the table, in as many messages as it needs."""
    plan_id = one_id(update, "prog")
    await answer_button(update)
    if plan_id is None:
        return
    table = await _table(update, context, plan_id)
    if table is None:
        return
    chunks, lang = table
    sent: list[Message | None] = []
    for n, chunk in enumerate(chunks):
        last = n == len(chunks) - 1
        sent.append(await say(update, chunk, markup=_refresh(lang, plan_id) if last else None))
    _remember(context, [m.message_id for m in sent if m is not None])


async def refresh_progress(update: Update, context: Context) -> None:
    """`prog:r:<plan_id>`: the same messages now say what is true now."""
    query = update.callback_query
    plan_id = one_id(update, "prog:r")
    if query is None or plan_id is None:
        await answer_button(update)
        return
    table = await _table(update, context, plan_id)
    if table is None:
        await answer_button(update)
        return
    chunks, lang = table
    await answer_button(update, lang.t("Updated."))
    message = query.message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    tables = context.chat_data.get(_TABLES, {}) if context.chat_data is not None else {}
    old_ids: list[int] = tables.pop(message.message_id, [message.message_id])
    new_ids: list[int] = []
    for n, chunk in enumerate(chunks):
        markup = _refresh(lang, plan_id) if n == len(chunks) - 1 else None
        if n < len(old_ids):
            try:
                await context.bot.edit_message_text(
                    chunk, chat_id=chat.id, message_id=old_ids[n], reply_markup=markup
                )
            except BadRequest as exc:
                if "not modified" not in str(exc).lower():
                    raise
            new_ids.append(old_ids[n])
        else:
            sent = await say(update, chunk, markup=markup)
            if sent is not None:
                new_ids.append(sent.message_id)
    for extra in old_ids[len(chunks) :]:
        try:
            await context.bot.delete_message(chat.id, extra)
        except BadRequest:
            pass  # (too old to delete: it stays, without the button)
    _remember(context, new_ids)


# --------------------------------------------------------------------------- registration


PROGRESS = router.add(
    router.Action(
        key="progress",
        label=N_("📊 Progress"),
        description=N_("Who has delivered what each plan asks, and who is late"),
        commands=("tiendo", "progress"),
        callback=choose_plan,
        roles=frozenset({Role.ORGANISER, Role.LEADER}),
        menu_row=2,
    )
)
router.button(r"^prog:page:\d+$", progress_page)
router.button(r"^prog:\d+$", show_progress)
router.button(r"^prog:r:\d+$", refresh_progress)

_CONVERSATION: ConversationHandler | None = None  # type: ignore[type-arg]
router.button(r"^req:new:\d+$", enter(lambda: _CONVERSATION))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    text = filters.TEXT & ~filters.COMMAND & ~router.menu_filter()
    _CONVERSATION = ConversationHandler(
        name="requirement_new",
        persistent=True,
        entry_points=[CallbackQueryHandler(begin, pattern=r"^req:new:\d+$")],
        states={
            KIND: [
                CallbackQueryHandler(kind_picked, pattern=r"^req:k:(report|doc)$"),
                MessageHandler(text, press_a_button),
            ],
            TARGETS: [
                CallbackQueryHandler(targets_picked, pattern=r"^req:t:(grassroots|cell|pick)$"),
                MessageHandler(text, press_a_button),
            ],
            PICK: [
                CallbackQueryHandler(unit_toggled, pattern=r"^req:u:"),
                MessageHandler(text, press_a_button),
            ],
            QUOTA: [
                CallbackQueryHandler(quota_picked, pattern=r"^req:q:[a-z_]+$"),
                MessageHandler(text, press_a_button),
            ],
            DUE: [MessageHandler(text, due_typed)],
            DESCRIPTION: [
                MessageHandler(text, description_typed),
                CallbackQueryHandler(description_skipped, pattern=r"^req:skip$"),
            ],
            CONFIRM: [
                CallbackQueryHandler(confirmed, pattern=r"^req:ok$"),
                MessageHandler(text, press_a_button),
            ],
        },
        fallbacks=fallbacks(_DATA),
        allow_reentry=True,
    )
    return [_CONVERSATION]
