"""Values the organiser types on the draft card: number, title, and a session's topic, host,
time, venue or address, a deadline's day or text. Each is checked like a typed plan; a bad
value is explained and asked again, nothing else changes."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from core.i18n import N_, Msgid
from handlers.common import Context, answer_button, error_text, lang_only, say
from handlers.deps import deps
from handlers.flow import stale_button
from handlers.plan_import import state as st
from handlers.plan_import.card import show_card
from services import plans
from services.errors import ServiceError
from services.plan_import import VIETNAM_TZ
from services.plan_import.edits import EditTarget, apply_typed
from services.requirements import parse_due_day
from services.validation import check_label
from services.vn_datetime import ExactTime

TYPE_VALUE = 0

PROMPTS: dict[str, Msgid] = {
    "num": N_("Type the plan number as written on the document, for example: 82-KH/ĐU."),
    "title": N_("Type the title of the plan."),
    "topic": N_("Type the topic of thematic session {n}."),
    "workshop_topic": N_("Type the topic of workshop {n}."),
    "host": N_("Type the name of the unit that hosts session {n}, for example: Chi bộ 3."),
    "when": N_(
        "Type the day and time of session {n}, for example: 28/3/2025 8h, or only the month "
        "if the day is not fixed yet: tháng 5/2025."
    ),
    "venue": N_("Type the venue of session {n}, for example: Hội trường Đảng ủy."),
    "addr": N_("Type the address of session {n}."),
    "due": N_("Type the new day of deadline {n}, for example: 30/6/2025."),
    "what": N_("Type what is due by deadline {n}."),
}
SESSION_FIELDS = ("topic", "host", "when", "venue", "addr")
DEADLINE_FIELDS = ("due", "what")


async def ask_value(update: Update, context: Context) -> int | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer_button(update)
    state = st.load(context)
    parts = query.data.split(":")[1:]
    name = parts[0]
    index = None
    if name in SESSION_FIELDS or name in DEADLINE_FIELDS:
        index = st.index_of(state, parts[1], deadlines=name in DEADLINE_FIELDS)
    if state is None or (len(parts) > 1 and index is None):
        await stale_button(update, context)
        return ConversationHandler.END
    st.set_field(context, parts)
    lang = await lang_only(update, context)
    n = (index or 0) + 1
    prompt = PROMPTS[name]
    if name == "topic" and state.draft.sessions[n - 1].kind == "hoi_thao":
        prompt = PROMPTS["workshop_topic"]
    await say(update, lang.t(prompt, n=n) + "\n" + lang.t("Type /huy to stop."))
    return TYPE_VALUE


async def value_typed(update: Update, context: Context) -> int | None:
    state = st.load(context)
    lang = await lang_only(update, context)
    if state is None:
        return ConversationHandler.END
    field = st.field(context)
    text = update.effective_message.text if update.effective_message else ""
    if not field or (len(field) > 1 and not field[1].isdigit()):
        return ConversationHandler.END
    try:
        async with deps(context).ctx() as ctx:
            target = EditTarget(field[0], int(field[1]) if len(field) > 1 else None)
            apply_typed(state.draft, target, await _checked(ctx, field[0], text or ""))
    except (ServiceError, IndexError) as exc:
        if isinstance(exc, IndexError):
            await stale_button(update, context)
            return ConversationHandler.END
        await say(
            update, error_text(lang, exc) + "\n" + lang.t("Please type it again, or /huy to stop.")
        )
        return None
    if field[0] == "host" and len(field) > 1:
        state.host_ids[int(field[1])] = None  # a typed name is matched against the tree
    st.save(context, state)
    await show_card(update, context)
    return ConversationHandler.END


async def _checked(ctx: object, name: str, text: str) -> object:
    """The typed text as the value it stands for; ServiceError when it is not one."""
    if name == "num":
        return plans.check_plan_number(text)
    if name == "title":
        return check_label(text, max_length=300, what=N_("plan title"))
    if name == "topic":
        return check_label(text, max_length=300, what=N_("topic"))
    if name == "host":
        return check_label(text, max_length=200, what=N_("unit name"))
    if name in ("venue", "addr"):
        return check_label(text, max_length=300, what=N_("venue"))
    if name == "what":
        return check_label(text, max_length=500, what=N_("what is due"))
    if name == "due":
        return parse_due_day(ctx, text)  # type: ignore[arg-type]
    when = plans.parse_when_text(ctx, text)  # type: ignore[arg-type]
    if isinstance(when, ExactTime):
        return when.starts_at.astimezone(VIETNAM_TZ)
    return f"{when.year:04d}-{when.month:02d}"
