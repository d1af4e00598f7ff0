"""/tonghop (/summary): leaders and organisers read the summary of a plan or of one session,
with charts, and download the exports (roll and feedback as XLSX, the "Báo cáo tổng hợp ý
kiến đại biểu" as DOCX). Organisers of the issuing unit also set how the plan's sessions are
scored and whether comments reach leaders with names.

Every choice is a stateless button carrying ids (`sum:…`), re-checked by the services; only
typing new weights or thresholds is a conversation step.
"""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.i18n import N_, Lang
from handlers import router
from handlers.common import Context, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.flow import drop, enter, fallbacks, flow_gone, give_up, stale_button
from handlers.pickers import cancel_button, page_of, paged_keyboard, pressed_ids, split_data
from services import feedback, reports, summaries
from services.errors import InvalidInput, ServiceError
from services.feedback import ATTENDANCE_KEY, LEVEL_LABELS, Level, ScoringConfig
from services.plans import get_plan
from services.vn_datetime import format_datetime_short
from storage.models import Plan, Role

_DATA = "summary_flow"
TYPE_WEIGHTS, TYPE_THRESHOLDS = range(2)
DAYS_CHOICES = (1, 3, 5, 7)


# --------------------------------------------------------------------------- plans


async def show_plans(update: Update, context: Context) -> None:
    """/tonghop: the plans the person may read a summary of (`sum:p:page:N` turns pages)."""
    await answer_button(update)
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        choices = await summaries.plans_for(ctx, me.person)
    lang = me.lang
    if not choices:
        await say(
            update,
            lang.t(
                "Summaries are for the organisers and leaders of the committee that issued a "
                "plan. If you need one, please ask them."
            ),
        )
        return
    items = [(f"{c.plan.number} — {c.plan.title}", str(c.plan.id)) for c in choices]
    query = update.callback_query
    page = page_of(split_data(query.data, "sum:p") or []) if query else None
    if query is not None and page is not None:
        await query.edit_message_reply_markup(paged_keyboard(lang, items, "sum:p", page))
        return
    await say(
        update,
        lang.t("Which plan do you want a summary of?"),
        markup=paged_keyboard(lang, items, "sum:p"),
    )


async def plan_picked(update: Update, context: Context) -> None:
    """`sum:p:<plan>`: the plan's summary and charts (when the person reads the whole plan),
    then its sessions to choose from."""
    parts = split_data(update.callback_query.data if update.callback_query else None, "sum:p")
    await answer_button(update)
    if not parts or not parts[0].isdigit():
        return
    plan_id = int(parts[0])
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await get_plan(ctx, plan_id)
            full = await summaries.can_read_plan(ctx, me.person, plan)
            summary = await summaries.plan_summary(ctx, me.person, plan_id) if full else None  # type: ignore[arg-type]
            manager = await feedback.can_configure(ctx, me.person, plan)
            sessions = await summaries.sessions_for(ctx, me.person, plan_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    if summary is not None:
        rows = [
            [
                InlineKeyboardButton(
                    lang.t("📄 Feedback of the whole plan (XLSX)"),
                    callback_data=f"sum:x:fbp:{plan_id}",
                )
            ]
        ]
        if manager:
            rows.append(
                [
                    InlineKeyboardButton(
                        lang.t("⚙️ Scoring and feedback settings"),
                        callback_data=f"sum:cfg:{plan_id}",
                    )
                ]
            )
        await say(
            update,
            summaries.render_plan_summary(lang, summary),
            markup=InlineKeyboardMarkup(rows),
        )
        pictures = await asyncio.to_thread(
            lambda: (
                summaries.plan_attendance_chart(lang, summary),
                summaries.plan_ratings_chart(lang, summary),
            )
        )
        for png in pictures:
            if png is not None:
                await _photo(update, png)
    await _session_picker(update, context, lang, plan, sessions)


async def _session_picker(
    update: Update,
    context: Context,
    lang: Lang,
    plan: Plan,
    sessions: list[summaries.SessionChoice],
    page: int | None = None,
) -> None:
    if not sessions:
        await say(update, lang.t("No session of this plan has taken place yet."))
        return
    tz = deps(context).settings.tz
    items = [
        (
            f"{c.host}, {format_datetime_short(c.session.starts_at, lang.locale, tz)}",  # type: ignore[arg-type]
            str(c.session.id),
        )
        for c in sessions
    ]
    prefix = f"sum:sp:{plan.id}"
    query = update.callback_query
    if page is not None and query is not None:
        await query.edit_message_reply_markup(paged_keyboard(lang, items, prefix, page))
        return
    await say(
        update,
        lang.t("Choose a session of plan {plan} to see its summary:", plan=plan.number),
        markup=paged_keyboard(lang, items, prefix),
    )


async def sessions_page(update: Update, context: Context) -> None:
    """`sum:sp:<plan>:page:N`."""
    parts = split_data(update.callback_query.data if update.callback_query else None, "sum:sp")
    await answer_button(update)
    page = page_of(parts or [])
    if not parts or not parts[0].isdigit() or page is None:
        return
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await get_plan(ctx, int(parts[0]))
            sessions = await summaries.sessions_for(ctx, me.person, plan.id)  # type: ignore[arg-type]
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    await _session_picker(update, context, me.lang, plan, sessions, page)


# --------------------------------------------------------------------------- a session


async def session_picked(update: Update, context: Context) -> None:
    """`sum:sp:<plan>:<session>`: the session's summary, its chart and the exports."""
    ids = pressed_ids(update, "sum:sp", 2)
    await answer_button(update)
    if ids is None:
        return
    session_id = ids[1]
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            summary = await summaries.session_summary(ctx, me.person, session_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    lang.t("📋 Roll (XLSX)"), callback_data=f"sum:x:roll:{session_id}"
                )
            ],
            [
                InlineKeyboardButton(
                    lang.t("📄 Delegates' feedback (XLSX)"), callback_data=f"sum:x:fb:{session_id}"
                )
            ],
            [
                InlineKeyboardButton(
                    lang.t("📝 Feedback report (DOCX)"), callback_data=f"sum:x:docx:{session_id}"
                )
            ],
        ]
    )
    text = summaries.render_session_summary(lang, summary)
    chart = await asyncio.to_thread(summaries.session_ratings_chart, lang, summary)
    if chart is None:
        await say(update, text, markup=buttons)
        return
    await say(update, text)
    await _photo(update, chart, markup=buttons)


async def _photo(update: Update, png: bytes, markup: object = None) -> None:
    chat = update.effective_chat
    if chat is not None:
        await chat.send_photo(photo=png, reply_markup=markup)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- exports


async def export_pressed(update: Update, context: Context) -> None:
    """`sum:x:<roll|fb|docx|fbp>:<id>`: build the file and send it."""
    parts = split_data(update.callback_query.data if update.callback_query else None, "sum:x")
    if not parts or len(parts) != 2 or parts[0] not in _EXPORTS or not parts[1].isdigit():
        await stale_button(update, context)
        return
    lang = await lang_only(update, context)
    await answer_button(update, lang.t("Preparing the file…"))
    what, ident = parts[0], int(parts[1])
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            lang = me.lang
            if what == "roll":
                data = await reports.roll_xlsx(ctx, me.person, ident, lang)
            elif what == "fb":
                data = await reports.feedback_xlsx(ctx, me.person, lang, session_id=ident)
            elif what == "fbp":
                data = await reports.feedback_xlsx(ctx, me.person, lang, plan_id=ident)
            else:
                data = await reports.summary_docx(ctx, me.person, ident, lang)
    except ServiceError as exc:
        await say(update, error_text(lang, exc))
        return
    chat = update.effective_chat
    if chat is not None:
        await chat.send_document(
            document=data,
            filename=reports.file_name(_EXPORTS[what], ident),
            caption=lang.t(_CAPTIONS[what]),
        )


_EXPORTS = {"roll": "roll", "fb": "feedback", "fbp": "plan_feedback", "docx": "report"}
_CAPTIONS = {
    "roll": N_("The roll of the session."),
    "fb": N_("The delegates' feedback, one row each."),
    "fbp": N_("The delegates' feedback on every session of the plan."),
    "docx": N_("The feedback report, ready to edit, sign and send."),
}


# --------------------------------------------------------------------------- settings


def _config_text(lang: Lang, plan: Plan, config: ScoringConfig) -> str:
    lines = [
        lang.t("⚙️ Scoring and feedback, plan {plan}", plan=plan.number),
        lang.t("Criteria and weights (100 points in all):"),
    ]
    for index, c in enumerate(config.criteria, 1):
        label = lang.t(c.label) if c.default else c.label
        lines.append(f"{index}. {label}: {c.weight}")
    lines.append(
        f"{len(config.criteria) + 1}. "
        + lang.t("Attendance (from the roll): {weight}", weight=config.attendance_weight)
    )
    lines.append(
        lang.t(
            "Levels: {good} from {good_from} · {fair} from {fair_from} · {average} from "
            "{average_from} · below: {poor}",
            good=LEVEL_LABELS[Level.GOOD],
            fair=LEVEL_LABELS[Level.FAIR],
            average=LEVEL_LABELS[Level.AVERAGE],
            poor=LEVEL_LABELS[Level.POOR],
            good_from=config.good_from,
            fair_from=config.fair_from,
            average_from=config.average_from,
        )
    )
    lines.append(
        lang.t(
            "For Good: attendance above {pct}% and at least {minutes} minutes.",
            pct=config.min_attendance_pct,
            minutes=config.min_minutes,
        )
    )
    lines.append(
        lang.nt(
            "Feedback stays open {n} day after a session ends.",
            "Feedback stays open {n} days after a session ends.",
            config.feedback_days,
        )
    )
    lines.append(
        lang.t("Comments reach leaders with the names of their authors.")
        if config.show_names
        else lang.t("Comments reach leaders without names (anonymised).")
    )
    return "\n".join(lines)


def _config_buttons(lang: Lang, plan_id: int, config: ScoringConfig) -> InlineKeyboardMarkup:
    base = f"sum:cfg:{plan_id}"
    names = (
        InlineKeyboardButton(lang.t("🙈 Hide names"), callback_data=f"{base}:names:0")
        if config.show_names
        else InlineKeyboardButton(lang.t("👤 Show names"), callback_data=f"{base}:names:1")
    )
    days = [
        InlineKeyboardButton(
            ("• " if n == config.feedback_days else "") + lang.nt("{n} day", "{n} days", n),
            callback_data=f"{base}:days:{n}",
        )
        for n in DAYS_CHOICES
    ]
    return InlineKeyboardMarkup(
        [
            [names],
            days,
            [
                InlineKeyboardButton(lang.t("✏️ Weights"), callback_data=f"sumw:{plan_id}"),
                InlineKeyboardButton(lang.t("✏️ Thresholds"), callback_data=f"sumt:{plan_id}"),
            ],
            [InlineKeyboardButton(lang.t("↩ Default scoring"), callback_data=f"{base}:reset")],
            [cancel_button(lang)],
        ]
    )


async def config_pressed(update: Update, context: Context) -> None:
    """`sum:cfg:<plan>` shows the settings; `…:names:<0|1>`, `…:days:<n>`, `…:reset` change
    them and show them again."""
    query = update.callback_query
    parts = split_data(query.data if query else None, "sum:cfg")
    await answer_button(update)
    if not parts or not parts[0].isdigit():
        return
    plan_id, change = int(parts[0]), parts[1:]
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await get_plan(ctx, plan_id)
            if change == ["reset"]:
                config = await feedback.configure(ctx, me.person, plan_id, reset_scoring=True)
            elif len(change) == 2 and change[0] == "names" and change[1] in ("0", "1"):
                config = await feedback.configure(
                    ctx, me.person, plan_id, show_names=change[1] == "1"
                )
            elif len(change) == 2 and change[0] == "days" and change[1].isdigit():
                config = await feedback.configure(
                    ctx, me.person, plan_id, feedback_days=int(change[1])
                )
            else:
                if not await feedback.can_configure(ctx, me.person, plan):
                    await say(
                        update,
                        me.lang.t(
                            "Only the organisers of the committee that issued the plan can "
                            "change how it is scored."
                        ),
                    )
                    return
                config = await feedback.config_for(ctx, plan_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    await _show_config(update, me.lang, plan, config, edit=bool(change))


async def _show_config(
    update: Update, lang: Lang, plan: Plan, config: ScoringConfig, *, edit: bool
) -> None:
    text = _config_text(lang, plan, config)
    markup = _config_buttons(lang, plan.id, config)  # type: ignore[arg-type]
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():  # nothing changed: already shown
                return
    await say(update, text, markup=markup)


async def ask_numbers(update: Update, context: Context) -> int:
    """`sumw:<plan>` (weights) or `sumt:<plan>` (thresholds): ask for the numbers."""
    query = update.callback_query
    data = query.data if query and query.data else ""
    head, _, rest = data.partition(":")
    await answer_button(update)
    if not rest.isdigit():
        return ConversationHandler.END
    plan_id = int(rest)
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await get_plan(ctx, plan_id)
            if not await feedback.can_configure(ctx, me.person, plan):
                await say(
                    update,
                    me.lang.t(
                        "Only the organisers of the committee that issued the plan can change "
                        "how it is scored."
                    ),
                )
                return ConversationHandler.END
            config = await feedback.config_for(ctx, plan_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return ConversationHandler.END
    lang = me.lang
    what = "weights" if head == "sumw" else "thresholds"
    context.user_data[_DATA] = {"plan": plan_id, "what": what}  # type: ignore[index]
    if what == "weights":
        example = " ".join(str(c.weight) for c in config.criteria) + f" {config.attendance_weight}"
        await say(
            update,
            lang.t(
                "Type the {count} weights in the order shown, adding up to 100, for example: "
                "{example}",
                count=len(config.criteria) + 1,
                example=example,
            ),
        )
        return TYPE_WEIGHTS
    await say(
        update,
        lang.t(
            "Type the lowest scores for Good, Fair and Average, for example: {example}",
            example=f"{config.good_from} {config.fair_from} {config.average_from}",
        ),
    )
    return TYPE_THRESHOLDS


async def numbers_typed(update: Update, context: Context) -> int | None:
    data = context.user_data.get(_DATA) if context.user_data is not None else None
    if not data or "plan" not in data:
        return await flow_gone(update, context)
    text = update.effective_message.text if update.effective_message else ""
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            plan = await get_plan(ctx, data["plan"])
            config = await feedback.config_for(ctx, data["plan"])
            if data.get("what") == "thresholds":
                good, fair, average = feedback.parse_numbers(text, 3)
                config = await feedback.configure(
                    ctx, me.person, data["plan"], thresholds=(good, fair, average)
                )
            else:
                values = feedback.parse_numbers(text, len(config.criteria) + 1)
                weights = dict(zip([*config.keys, ATTENDANCE_KEY], values, strict=True))
                config = await feedback.configure(ctx, me.person, data["plan"], weights=weights)
    except InvalidInput as exc:
        lang = await lang_only(update, context)
        await say(
            update, error_text(lang, exc) + "\n" + lang.t("Please type it again, or /huy to stop.")
        )
        return None
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    drop(context, _DATA)
    await say(update, me.lang.t("Saved."))
    await _show_config(update, me.lang, plan, config, edit=False)
    return ConversationHandler.END


# --------------------------------------------------------------------------- registration


ACTION = router.add(
    router.Action(
        key="summary",
        label=N_("📈 Summaries"),
        description=N_("Summaries of sessions and plans: attendance, ratings, comments, exports"),
        commands=("tonghop", "summary"),
        callback=show_plans,
        roles=frozenset({Role.ORGANISER, Role.LEADER}),
        menu_row=2,
    )
)
router.button(r"^sum:p:page:\d+$", show_plans)
router.button(r"^sum:p:\d+$", plan_picked)
router.button(r"^sum:sp:\d+:page:\d+$", sessions_page)
router.button(r"^sum:sp:\d+:\d+$", session_picked)
router.button(r"^sum:x:[a-z]+:\d+$", export_pressed)
router.button(r"^sum:cfg:\d+(:names:[01]|:days:\d+|:reset)?$", config_pressed)

_CONVERSATION: ConversationHandler | None = None  # type: ignore[type-arg]


router.button(r"^sum[wt]:\d+$", enter(lambda: _CONVERSATION))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    text = filters.TEXT & ~filters.COMMAND & ~router.menu_filter()
    _CONVERSATION = ConversationHandler(
        name="summary_settings",
        persistent=True,
        entry_points=[CallbackQueryHandler(ask_numbers, pattern=r"^sum[wt]:\d+$")],
        states={
            TYPE_WEIGHTS: [MessageHandler(text, numbers_typed)],
            TYPE_THRESHOLDS: [MessageHandler(text, numbers_typed)],
        },
        fallbacks=fallbacks(_DATA),
        allow_reentry=True,
    )
    return [_CONVERSATION]
