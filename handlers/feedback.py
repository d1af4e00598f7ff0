"""/gopy (/feedback): delegates who checked in rate a session and write what went well, what
fell short and what they propose.

The ratings are one card, edited in place: each press carries every level chosen so far
(`fbr:<session>:r<points…>`, 1 kém … 4 tốt), so a press works after a restart and nothing is
written before the last one; then services.feedback.save_ratings records them all at once
(replacing earlier ones: a revision). The three texts are typed steps, each saved as it
comes, or skipped with a button (`fbs:<session>:<part>:s`, or `:k` to keep what was written).
The conversation starts from /gopy, the menu, or the scheduler's button `fb:<session>`.
Every rule (who may, until when) is the service's.
"""

from __future__ import annotations

import re
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.i18n import N_, Lang, Msgid
from handlers import router
from handlers.common import Context, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.flow import drop, enter, fallbacks, flow_gone, give_up, stale_button
from handlers.pickers import cancel_button
from services import feedback
from services.errors import InvalidInput, ServiceError
from services.feedback import LEVEL_LABELS, LEVELS_BEST_FIRST, PART_LABELS, Part
from services.plans import SESSION_KIND_LABELS
from services.summaries import number
from services.units import get_unit
from services.vn_datetime import format_datetime_long, format_datetime_short
from storage.models import ModelSession, Role, SessionKind

_DATA = "feedback_flow"
RATING, WENT_WELL, SHORTCOMINGS, PROPOSALS = range(4)
PART_STATE = {Part.WENT_WELL: WENT_WELL, Part.SHORTCOMINGS: SHORTCOMINGS, Part.PROPOSALS: PROPOSALS}
PARTS = list(Part)
_RATE = re.compile(r"^fbr:(\d+):r([1-4]{0,9})$")
_SKIP = re.compile(r"^fbs:(\d+):(went_well|shortcomings|proposals):([sk])$")
_START = re.compile(r"^fb:(\d+)$")

QUESTIONS: dict[Part, Msgid] = {
    Part.WENT_WELL: N_("What went well at this session? Please type your comment, or tap Skip."),
    Part.SHORTCOMINGS: N_("What fell short, and why? Please type your comment, or tap Skip."),
    Part.PROPOSALS: N_(
        "What do you propose or recommend to the party cell and the committee? Please type "
        "your comment, or tap Skip."
    ),
}
ICONS = {Part.WENT_WELL: "✅", Part.SHORTCOMINGS: "⚠️", Part.PROPOSALS: "💡"}


def _level(lang: Lang, points: int) -> str:
    return lang.t(LEVEL_LABELS[feedback.POINT_LEVELS[points]])


def _criterion(lang: Lang, criterion: feedback.Criterion) -> str:
    return lang.t(criterion.label) if criterion.default else criterion.label


def _session_title(lang: Lang, context: Context, session: ModelSession, host: str) -> str:
    when = (
        format_datetime_long(session.starts_at, lang.locale, deps(context).settings.tz)
        if session.starts_at
        else "—"
    )
    return lang.t(
        "✍️ Feedback on the {kind} of “{host}” ({when})",
        kind=SESSION_KIND_LABELS[SessionKind(session.kind)],
        host=host,
        when=when,
    )


# --------------------------------------------------------------------------- choosing a session


async def begin(update: Update, context: Context) -> int:
    """/gopy or the menu: straight to the card when one session is open, else a picker."""
    drop(context, _DATA)
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        choices = await feedback.open_for(ctx, me.person)
        hosts = {c.session.id: (await get_unit(ctx, c.session.host_unit_id)).name for c in choices}
    lang = me.lang
    if not choices:
        await say(
            update,
            lang.t(
                "There is no session you can give feedback on now. Delegates who checked in "
                "at a session can give feedback on it for a few days after it ends."
            ),
        )
        return ConversationHandler.END
    if len(choices) == 1:
        return await _card(update, context, choices[0].session.id, "", edit=False)
    tz = deps(context).settings.tz
    rows = [
        [
            InlineKeyboardButton(
                (
                    f"{hosts[c.session.id]}, "
                    f"{format_datetime_short(c.session.starts_at, lang.locale, tz)}"  # type: ignore[arg-type]
                    + (" ✓" if c.given else "")
                )[:60],
                callback_data=f"fb:{c.session.id}",
            )
        ]
        for c in choices
    ]
    rows.append([cancel_button(lang)])
    await say(
        update,
        lang.t("Which session do you want to give feedback on? (✓: given, you may revise it)"),
        markup=InlineKeyboardMarkup(rows),
    )
    return ConversationHandler.END


async def start_pressed(update: Update, context: Context) -> int:
    """`fb:<session>`: the scheduler's button or the picker."""
    query = update.callback_query
    found = _START.match(query.data or "") if query else None
    if found is None:
        await stale_button(update, context)
        return ConversationHandler.END
    await answer_button(update)
    return await _card(update, context, int(found.group(1)), "", edit=False)


# --------------------------------------------------------------------------- the rating card


async def rate_pressed(update: Update, context: Context) -> int:
    """`fbr:<session>:r<points…>`: one more level chosen (or one taken back)."""
    query = update.callback_query
    found = _RATE.match(query.data or "") if query else None
    if found is None:
        await stale_button(update, context)
        return ConversationHandler.END
    await answer_button(update)
    return await _card(update, context, int(found.group(1)), found.group(2), edit=True)


async def _card(
    update: Update, context: Context, session_id: int, chosen: str, *, edit: bool
) -> int:
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            form = await feedback.form(ctx, me.person, session_id)
            host = (await get_unit(ctx, form.session.host_unit_id)).name
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    lang = me.lang
    criteria = form.config.criteria
    if len(chosen) > len(criteria) + 1:
        await stale_button(update, context)
        return ConversationHandler.END
    context.user_data[_DATA] = {"session": session_id}  # type: ignore[index]
    if len(chosen) == len(criteria) + 1:
        return await _save(update, context, session_id, chosen)
    lines = [_session_title(lang, context, form.session, host)]
    if form.feedback is not None:
        lines.append(
            lang.t("You gave feedback on this session before: your new answers will replace it.")
        )
    lines.append("")
    for criterion, points in zip(criteria, chosen, strict=False):
        lines.append(f"✓ {_criterion(lang, criterion)}: {_level(lang, int(points))}")
    step = len(chosen)
    total = len(criteria) + 1
    if step < len(criteria):
        criterion = criteria[step]
        lines.append(
            lang.t(
                "Question {i}/{n}: {criterion} (up to {weight} points)",
                i=step + 1,
                n=total,
                criterion=_criterion(lang, criterion),
                weight=criterion.weight,
            )
        )
        if criterion.key == "content":
            lines.append(_content_hint(lang, form.session))
        before = form.ratings.get(criterion.key)
    else:
        lines.append(lang.t("Question {i}/{n}: the overall level of the session", i=total, n=total))
        before = form.feedback.overall if form.feedback is not None else None
    if before is not None:
        lines.append(lang.t("Your earlier answer: {level}", level=_level(lang, before)))
    lines.append(lang.t("How do you rate it?"))
    data = f"fbr:{session_id}:r{chosen}"
    rows = [
        [
            InlineKeyboardButton(
                lang.t(LEVEL_LABELS[level]),
                callback_data=f"{data}{feedback.RATING_POINTS[level]}",
            )
            for level in LEVELS_BEST_FIRST
        ]
    ]
    last = [cancel_button(lang)]
    if chosen:
        last.insert(0, InlineKeyboardButton(lang.t("◀ Back"), callback_data=data[:-1]))
    rows.append(last)
    await _show(update, "\n".join(lines), InlineKeyboardMarkup(rows), edit=edit)
    return RATING


def _content_hint(lang: Lang, session: ModelSession) -> str:
    if session.kind == SessionKind.CHUYEN_DE and session.topic:
        return lang.t("The topic: “{topic}”, and how it was presented.", topic=session.topic)
    return lang.t("Whether the content fits the unit's real tasks.")


async def _show(update: Update, text: str, markup: Any, *, edit: bool) -> None:
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():  # the same press twice: already shown
                return
            # too old to edit: send it anew
    await say(update, text, markup=markup)


async def _save(update: Update, context: Context, session_id: int, chosen: str) -> int:
    points = [int(p) for p in chosen]
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            outcome = await feedback.save_ratings(
                ctx, me.person, session_id, points[:-1], points[-1]
            )
            form = await feedback.form(ctx, me.person, session_id)
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    lang = me.lang
    saved = outcome.value
    lines = [
        lang.t("Your ratings were changed. Thank you.")
        if saved.revised
        else lang.t("Your ratings were recorded. Thank you.")
    ]
    for criterion in form.config.criteria:
        lines.append(
            f"✓ {_criterion(lang, criterion)}: {_level(lang, form.ratings[criterion.key])}"
        )
    lines.append(lang.t("✓ Overall level: {level}", level=_level(lang, saved.feedback.overall)))
    await _show(update, "\n".join(lines), None, edit=True)
    return await _ask(update, context, form, Part.WENT_WELL)


# --------------------------------------------------------------------------- the texts


async def _ask(update: Update, context: Context, form: feedback.Form, part: Part) -> int:
    lang = await lang_only(update, context)
    session_id = form.session.id
    context.user_data[_DATA] = {"session": session_id, "part": part.value}  # type: ignore[index]
    written = getattr(form.feedback, part.value, None) if form.feedback is not None else None
    lines = [
        f"{ICONS[part]} {lang.t(PART_LABELS[part])} ({PARTS.index(part) + 1}/3)",
        lang.t(QUESTIONS[part]),
    ]
    buttons = [InlineKeyboardButton(lang.t("⏭ Skip"), callback_data=f"fbs:{session_id}:{part}:s")]
    if written:
        lines.append(lang.t("You wrote before: “{text}”", text=written[:500]))
        buttons.insert(
            0,
            InlineKeyboardButton(
                lang.t("↩ Keep what I wrote"), callback_data=f"fbs:{session_id}:{part}:k"
            ),
        )
    await say(update, "\n".join(lines), markup=InlineKeyboardMarkup([buttons]))
    return PART_STATE[part]


async def _after(update: Update, context: Context, session_id: int, part: Part) -> int:
    """Ask the next part, or thank the delegate and show their score."""
    index = PARTS.index(part)
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            form = await feedback.form(ctx, me.person, session_id)
            mine = await feedback.my_score(ctx, me.person, session_id)  # type: ignore[arg-type]
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    if index + 1 < len(PARTS):
        return await _ask(update, context, form, PARTS[index + 1])
    drop(context, _DATA)
    lang = me.lang
    lines = [lang.t("Thank you for your feedback!")]
    if mine is not None and mine.score is not None:
        score = mine.score
        lines.append(
            lang.t(
                "By your ratings the session scores {points}/100: {level}.",
                points=number(lang, score.points),
                level=lang.t(LEVEL_LABELS[score.level]),
            )
        )
        if score.attendance_points is not None:
            lines.append(
                lang.t(
                    "This includes attendance from the roll: {present} of {invited} invited "
                    "delegates were present, {points} of {weight} points.",
                    present=mine.attendance.present,
                    invited=mine.attendance.invited,
                    points=number(lang, score.attendance_points),
                    weight=form.config.attendance_weight,
                )
            )
        if score.capped:
            lines.append(
                lang.t(
                    "(Good needs more than {pct}% attendance and at least {minutes} minutes, "
                    "so it is Fair at most.)",
                    pct=form.config.min_attendance_pct,
                    minutes=form.config.min_minutes,
                )
            )
    lines.append(
        lang.t(
            "You can change your feedback until {closes} with /gopy.",
            closes=format_datetime_long(form.closes_at, lang.locale, deps(context).settings.tz),
        )
    )
    await say(update, "\n".join(lines), markup=router.menu_for(me))
    return ConversationHandler.END


async def comment_typed(update: Update, context: Context) -> int | None:
    data = context.user_data.get(_DATA) if context.user_data is not None else None
    if not data or "part" not in data:
        return await flow_gone(update, context)
    part = Part(data["part"])
    text = update.effective_message.text if update.effective_message else ""
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            await feedback.set_comment(ctx, me.person, data["session"], part, text or "")
    except InvalidInput as exc:
        lang = await lang_only(update, context)
        await say(
            update, error_text(lang, exc) + "\n" + lang.t("Please type it again, or /huy to stop.")
        )
        return None
    except ServiceError as exc:
        return await give_up(update, context, _DATA, exc)
    return await _after(update, context, data["session"], part)


async def skip_pressed(update: Update, context: Context) -> int:
    """`fbs:<session>:<part>:s` leaves the part empty; `:k` keeps what was written."""
    query = update.callback_query
    found = _SKIP.match(query.data or "") if query else None
    if found is None:
        await stale_button(update, context)
        return ConversationHandler.END
    await answer_button(update)
    session_id, part, how = int(found.group(1)), Part(found.group(2)), found.group(3)
    if how == "s":
        try:
            async with deps(context).ctx() as ctx:
                me = await who(ctx, update, context)
                await feedback.set_comment(ctx, me.person, session_id, part, None)
        except ServiceError as exc:
            return await give_up(update, context, _DATA, exc)
    if query is not None and query.message is not None:
        try:
            await query.edit_message_reply_markup(None)
        except BadRequest:
            pass
    return await _after(update, context, session_id, part)


async def stop_comments(update: Update, context: Context) -> int:
    """/huy while the texts are asked: the ratings given stay recorded."""
    drop(context, _DATA)
    lang = await lang_only(update, context)
    await say(
        update,
        lang.t("Stopped. Your ratings are recorded; you can add comments later with /gopy."),
    )
    return ConversationHandler.END


async def use_buttons(update: Update, context: Context) -> int | None:
    lang = await lang_only(update, context)
    await say(update, lang.t("Please choose with the buttons above, or /huy to stop."))
    return None


# --------------------------------------------------------------------------- registration


_CONVERSATION: ConversationHandler | None = None  # type: ignore[type-arg]


ACTION = router.add(
    router.Action(
        key="feedback",
        label=N_("✍️ Feedback"),
        description=N_("Rate a session you attended and give your comments"),
        commands=("gopy", "feedback"),
        callback=enter(lambda: _CONVERSATION, begin),
        roles=frozenset(Role),
        menu_row=4,
    )
)
router.button(r"^fb:\d+$", enter(lambda: _CONVERSATION))
router.button(r"^fbr:\d+:r[1-4]*$", enter(lambda: _CONVERSATION))
router.button(r"^fbs:\d+:", enter(lambda: _CONVERSATION))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    text = filters.TEXT & ~filters.COMMAND & ~router.menu_filter()
    other = ~filters.COMMAND & ~router.menu_filter()
    stop = CommandHandler(["huy", "cancel"], stop_comments)
    _CONVERSATION = ConversationHandler(
        name="feedback",
        persistent=True,
        entry_points=[
            CommandHandler(list(ACTION.commands), begin),
            MessageHandler(filters.Text(sorted(router.labels_of(ACTION))), begin),
            CallbackQueryHandler(start_pressed, pattern=_START.pattern),
            CallbackQueryHandler(rate_pressed, pattern=_RATE.pattern),
            CallbackQueryHandler(skip_pressed, pattern=_SKIP.pattern),
        ],
        states={
            RATING: [MessageHandler(other, use_buttons)],
            WENT_WELL: [stop, MessageHandler(text, comment_typed)],
            SHORTCOMINGS: [stop, MessageHandler(text, comment_typed)],
            PROPOSALS: [stop, MessageHandler(text, comment_typed)],
        },
        fallbacks=fallbacks(_DATA),
        allow_reentry=True,
    )
    return [_CONVERSATION]
