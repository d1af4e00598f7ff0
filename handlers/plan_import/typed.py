"""Values the organiser types on the draft card: number, title, and a session's topic, host,
time, venue or address, a deadline's day or text. Each is checked like a typed plan; a bad
value is explained and asked again, nothing else changes."""

from __future__ import annotations

from core.i18n import N_, Msgid
from handlers.plan_import.actions import AskDeadlineValue, AskNumber, AskSessionValue, AskTitle
from handlers.plan_import.card import card_of, show_card
from handlers.plan_import.state import ImportCard, TypedValue
from handlers.step import END, Turn, step
from services import plans, units
from services.context import Ctx
from services.plan_import import VIETNAM_TZ
from services.plan_import.edits import EditTarget, apply_typed
from services.plan_import.hosts import normalise_name
from services.requirements import parse_due_day
from services.units import TreeRow
from services.validation import check_label
from services.vn_datetime import ExactTime
from storage.models import Unit
from ui.common import stale_screen
from ui.screen import Expect, Screen

TYPE_VALUE = 0
TRY_AGAIN = N_("Please type it again, or /huy to stop.")

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
EXPECTS = {"when": Expect.DATE, "due": Expect.DATE}

Ask = AskNumber | AskTitle | AskSessionValue | AskDeadlineValue


def _target(card: ImportCard, pressed: Ask) -> TypedValue | None:
    """The value the press asks for, if its session or deadline still exists."""
    if isinstance(pressed, AskNumber):
        return TypedValue("num")
    if isinstance(pressed, AskTitle):
        return TypedValue("title")
    if isinstance(pressed, AskSessionValue):
        index = card.session(pressed.index)
    else:
        index = card.deadline(pressed.index)
    return None if index is None else TypedValue(pressed.field.value, index)


async def _ask(turn: Turn, pressed: Ask) -> int:
    card = card_of(turn)
    target = _target(card, pressed) if card is not None else None
    if card is None or target is None:
        if card is not None:
            turn.show(stale_screen(turn.lang))
        return END
    turn.put(target)
    n = (target.index or 0) + 1
    prompt = PROMPTS[target.name]
    if target.name == "topic" and card.draft.sessions[n - 1].kind == "hoi_thao":
        prompt = PROMPTS["workshop_topic"]
    text = turn.lang.t(prompt, n=n) + "\n" + turn.lang.t("Type /huy to stop.")
    turn.show(Screen.of(text, expect=EXPECTS.get(target.name, Expect.TEXT)))
    return TYPE_VALUE


ask_number = step(action=AskNumber)(_ask)
ask_title = step(action=AskTitle)(_ask)
ask_session_value = step(action=AskSessionValue)(_ask)
ask_deadline_value = step(action=AskDeadlineValue)(_ask)


@step(needs=TypedValue, retry=TRY_AGAIN)
async def value_typed(turn: Turn, target: TypedValue) -> int | None:
    card = turn.get(ImportCard)
    if card is None:  # confirmed or thrown away meanwhile
        turn.drop(TypedValue)
        return END
    value = await _checked(turn.ctx, target.name, turn.text)
    try:
        apply_typed(card.draft, EditTarget(target.name, target.index), value)
    except IndexError:  # the session or deadline was dropped meanwhile
        turn.drop(TypedValue)
        turn.show(stale_screen(turn.lang))
        return END
    if target.name == "host" and target.index is not None:
        await _typed_host(turn, card, target.index, str(value))
    turn.drop(TypedValue)
    await show_card(turn, card)
    return END


def unit_named(rows: list[TreeRow], typed: str) -> Unit | None:
    """The one unit of `rows` the typed name (or part of it: whole words) stands for."""
    key = normalise_name(typed)
    exact = [r.unit for r in rows if normalise_name(r.unit.name) == key]
    if exact:
        return exact[0] if len(exact) == 1 else None
    words = set(key.split())
    partial = [r.unit for r in rows if words <= set(normalise_name(r.unit.name).split())]
    return partial[0] if words and len(partial) == 1 else None


async def _typed_host(turn: Turn, card: ImportCard, n: int, name: str) -> None:
    """A typed host: a unit of the issuer's tree it names is picked (as on the picker);
    any other name is a new unit, matched against the tree again on confirming."""
    unit = unit_named(await units.subtree_rows(turn.ctx, card.issuer), name)
    card.host_ids[n] = unit.id if unit is not None else None
    if unit is not None:
        session = card.draft.sessions[n]
        session.host, session.host_parent = unit.name, None


async def _checked(ctx: Ctx, name: str, text: str) -> object:
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
        return parse_due_day(ctx, text)
    when = plans.parse_when_text(ctx, text)
    if isinstance(when, ExactTime):
        return when.starts_at.astimezone(VIETNAM_TZ)
    return f"{when.year:04d}-{when.month:02d}"
