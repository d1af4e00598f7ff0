"""/gopy (/feedback): delegates who checked in rate a session and write what went well, what
fell short and what they propose.

The ratings are one card, replaced in place: each press carries every level chosen so far
(`fbr:<session>:r<points…>`, 1 kém … 4 tốt), so a press works after a restart and nothing is
written before the last one; then services.feedback.save_ratings records them all at once
(replacing earlier ones: a revision). The three texts are typed steps, each saved as it
comes, or skipped with a button (`fbs:<session>:<part>:s`, or `:k` to keep what was written).
The conversation starts from /gopy, the menu, or the scheduler's button `fb:<session>`.
Every rule (who may, until when) is the service's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

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
from handlers.flow import enter, fallbacks, typed_text
from handlers.step import END, STAY, Turn, retry_if_invalid, step
from services import feedback
from services.feedback import LEVEL_LABELS, LEVELS_BEST_FIRST, PART_LABELS, Part
from services.labels import SESSION_KIND_LABELS
from services.summaries import number
from services.units import get_unit
from services.vn_datetime import format_datetime_long, format_datetime_short
from storage.models import ModelSession, Role, SessionKind
from ui.actions import Action
from ui.common import cancel_choice, short_label, stale_screen
from ui.screen import Choice, Expect, Mode, Screen

RATING, WENT_WELL, SHORTCOMINGS, PROPOSALS = range(4)
PART_STATE = {Part.WENT_WELL: WENT_WELL, Part.SHORTCOMINGS: SHORTCOMINGS, Part.PROPOSALS: PROPOSALS}
PARTS = list(Part)
CHOSEN = re.compile(r"^r[1-4]{0,9}$")  # the levels chosen so far, as a Rate press carries them
RETRY = N_("Please type it again, or /huy to stop.")

QUESTIONS: dict[Part, Msgid] = {
    Part.WENT_WELL: N_("What went well at this session? Please type your comment, or tap Skip."),
    Part.SHORTCOMINGS: N_("What fell short, and why? Please type your comment, or tap Skip."),
    Part.PROPOSALS: N_(
        "What do you propose or recommend to the party cell and the committee? Please type "
        "your comment, or tap Skip."
    ),
}
ICONS = {Part.WENT_WELL: "✅", Part.SHORTCOMINGS: "⚠️", Part.PROPOSALS: "💡"}


@dataclass(frozen=True, slots=True)
class StartFeedback(Action, prefix="fb"):
    """The scheduler's button and the picker: open the rating card."""

    session_id: int


@dataclass(frozen=True, slots=True)
class Rate(Action, prefix="fbr"):
    """One more level chosen, or one taken back: `chosen` is "r" and the points so far."""

    session_id: int
    chosen: str


class SkipHow(StrEnum):
    SKIP = "s"  # leave the part empty
    KEEP = "k"  # keep what was written before


@dataclass(frozen=True, slots=True)
class SkipPart(Action, prefix="fbs"):
    session_id: int
    part: Part
    how: SkipHow


@dataclass(slots=True)
class FeedbackDraft:
    """The session being given feedback on, and the text part asked (None: the ratings)."""

    session_id: int
    part: Part | None = None


def _level(lang: Lang, points: int) -> str:
    return lang.t(LEVEL_LABELS[feedback.POINT_LEVELS[points]])


def _criterion(lang: Lang, criterion: feedback.Criterion) -> str:
    return lang.t(criterion.label) if criterion.default else criterion.label


def _session_title(turn: Turn, session: ModelSession, host: str) -> str:
    lang = turn.lang
    when = (
        format_datetime_long(session.starts_at, lang.locale, turn.settings.tz)
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


@step
async def begin(turn: Turn) -> int:
    """/gopy or the menu: straight to the card when one session is open, else a picker."""
    turn.drop(FeedbackDraft)
    lang = turn.lang
    choices = await feedback.open_for(turn.ctx, turn.me.person)
    if not choices:
        turn.say(
            lang.t(
                "There is no session you can give feedback on now. Delegates who checked in "
                "at a session can give feedback on it for a few days after it ends."
            )
        )
        return END
    if len(choices) == 1:
        return await _card(turn, choices[0].session.id, "", edit=False)  # type: ignore[arg-type]
    tz = turn.settings.tz
    rows = []
    for c in choices:
        host = (await get_unit(turn.ctx, c.session.host_unit_id)).name
        when = format_datetime_short(c.session.starts_at, lang.locale, tz)  # type: ignore[arg-type]
        label = f"{host}, {when}" + (" ✓" if c.given else "")
        rows.append([Choice(short_label(label), StartFeedback(c.session.id))])  # type: ignore[arg-type]
    rows.append([cancel_choice(lang)])
    turn.show(
        Screen.of(
            lang.t("Which session do you want to give feedback on? (✓: given, you may revise it)"),
            rows=rows,
            expect=Expect.CHOICE,
        )
    )
    return END


@step(action=StartFeedback, on_error=END)
async def start_pressed(turn: Turn, pressed: StartFeedback) -> int:
    turn.drop(FeedbackDraft)
    return await _card(turn, pressed.session_id, "", edit=False)


# --------------------------------------------------------------------------- the rating card


@step(action=Rate, on_error=END)
async def rate_pressed(turn: Turn, pressed: Rate) -> int:
    """One more level chosen (or one taken back)."""
    turn.drop(FeedbackDraft)
    if not CHOSEN.match(pressed.chosen):
        turn.show(stale_screen(turn.lang))
        return END
    return await _card(turn, pressed.session_id, pressed.chosen[1:], edit=True)


async def _card(turn: Turn, session_id: int, chosen: str, *, edit: bool) -> int:
    form = await feedback.form(turn.ctx, turn.me.person, session_id)
    host = (await get_unit(turn.ctx, form.session.host_unit_id)).name
    lang = turn.lang
    criteria = form.config.criteria
    if len(chosen) > len(criteria) + 1:
        turn.show(stale_screen(lang))
        return END
    turn.put(FeedbackDraft(session_id))
    if len(chosen) == len(criteria) + 1:
        return await _save(turn, session_id, chosen)
    lines = [_session_title(turn, form.session, host)]
    if form.feedback is not None:
        lines.append(
            lang.t("You gave feedback on this session before: your new answers will replace it.")
        )
    lines.append("")
    for criterion, points in zip(criteria, chosen, strict=False):
        lines.append(f"✓ {_criterion(lang, criterion)}: {_level(lang, int(points))}")
    step_no, total = len(chosen), len(criteria) + 1
    if step_no < len(criteria):
        criterion = criteria[step_no]
        lines.append(
            lang.t(
                "Question {i}/{n}: {criterion} (up to {weight} points)",
                i=step_no + 1,
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
    levels = [
        Choice(
            lang.t(LEVEL_LABELS[level]),
            Rate(session_id, f"r{chosen}{feedback.RATING_POINTS[level]}"),
        )
        for level in LEVELS_BEST_FIRST
    ]
    last = [cancel_choice(lang)]
    if chosen:
        last.insert(0, Choice(lang.t("◀ Back"), Rate(session_id, f"r{chosen[:-1]}")))
    turn.show(
        Screen.of(
            "\n".join(lines),
            rows=[levels, last],
            expect=Expect.CHOICE,
            mode=Mode.REPLACE if edit else Mode.NEW,
        )
    )
    return RATING


def _content_hint(lang: Lang, session: ModelSession) -> str:
    if session.kind == SessionKind.CHUYEN_DE and session.topic:
        return lang.t("The topic: “{topic}”, and how it was presented.", topic=session.topic)
    return lang.t("Whether the content fits the unit's real tasks.")


async def _save(turn: Turn, session_id: int, chosen: str) -> int:
    points = [int(p) for p in chosen]
    outcome = await feedback.save_ratings(
        turn.ctx, turn.me.person, session_id, points[:-1], points[-1]
    )
    form = await feedback.form(turn.ctx, turn.me.person, session_id)
    lang = turn.lang
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
    turn.show(Screen.of("\n".join(lines), mode=Mode.REPLACE))
    return _ask(turn, form, Part.WENT_WELL)


# --------------------------------------------------------------------------- the texts


def _question(lang: Lang, form: feedback.Form, part: Part) -> Screen:
    session_id = form.session.id
    assert session_id is not None
    written = getattr(form.feedback, part.value, None) if form.feedback is not None else None
    lines = [
        f"{ICONS[part]} {lang.t(PART_LABELS[part])} ({PARTS.index(part) + 1}/3)",
        lang.t(QUESTIONS[part]),
    ]
    choices = [Choice(lang.t("⏭ Skip"), SkipPart(session_id, part, SkipHow.SKIP))]
    if written:
        lines.append(lang.t("You wrote before: “{text}”", text=written[:500]))
        choices.insert(
            0, Choice(lang.t("↩ Keep what I wrote"), SkipPart(session_id, part, SkipHow.KEEP))
        )
    return Screen.of("\n".join(lines), rows=[choices], expect=Expect.TEXT)


def _ask(turn: Turn, form: feedback.Form, part: Part) -> int:
    turn.put(FeedbackDraft(form.session.id, part))  # type: ignore[arg-type]
    turn.show(_question(turn.lang, form, part))
    return PART_STATE[part]


async def _after(turn: Turn, session_id: int, part: Part) -> int:
    """Ask the next part, or thank the delegate and show their score."""
    index = PARTS.index(part)
    form = await feedback.form(turn.ctx, turn.me.person, session_id)
    mine = await feedback.my_score(turn.ctx, turn.me.person, session_id)  # type: ignore[arg-type]
    if index + 1 < len(PARTS):
        return _ask(turn, form, PARTS[index + 1])
    turn.drop(FeedbackDraft)
    lang = turn.lang
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
            closes=format_datetime_long(form.closes_at, lang.locale, turn.settings.tz),
        )
    )
    turn.say("\n".join(lines), menu=router.menu_for(turn.me))
    return END


@step(needs=FeedbackDraft, on_error=retry_if_invalid, retry=RETRY)
async def comment_typed(turn: Turn, draft: FeedbackDraft) -> int | None:
    if draft.part is None:  # the ratings are asked: a text is no answer to them
        return await use_buttons_here(turn)
    await feedback.set_comment(turn.ctx, turn.me.person, draft.session_id, draft.part, turn.text)
    return await _after(turn, draft.session_id, draft.part)


@step(action=SkipPart, on_error=END)
async def skip_pressed(turn: Turn, pressed: SkipPart) -> int:
    """Skip leaves the part empty; keep leaves what was written."""
    turn.drop(FeedbackDraft)
    form = await feedback.form(turn.ctx, turn.me.person, pressed.session_id)
    if pressed.how == SkipHow.SKIP:
        await feedback.set_comment(turn.ctx, turn.me.person, pressed.session_id, pressed.part, None)
    question = _question(turn.lang, form, pressed.part)
    turn.show(Screen.of(question.text, mode=Mode.REPLACE))  # the question's buttons go away
    return await _after(turn, pressed.session_id, pressed.part)


@step
async def stop_comments(turn: Turn) -> int:
    """/huy while the texts are asked: the ratings given stay recorded."""
    turn.drop(FeedbackDraft)
    turn.say(
        turn.lang.t("Stopped. Your ratings are recorded; you can add comments later with /gopy.")
    )
    return END


async def use_buttons_here(turn: Turn) -> int | None:
    turn.say(turn.lang.t("Please choose with the buttons above, or /huy to stop."))
    return STAY


use_buttons = step(use_buttons_here)


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
for _action in (StartFeedback, Rate, SkipPart):
    router.press(_action, enter(lambda: _CONVERSATION))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    other = ~filters.COMMAND & ~router.menu_filter()
    stop = CommandHandler(["huy", "cancel"], stop_comments)
    comment = MessageHandler(typed_text(), comment_typed)
    _CONVERSATION = ConversationHandler(
        name="feedback",
        persistent=True,
        entry_points=[
            CommandHandler(list(ACTION.commands), begin),
            MessageHandler(filters.Text(sorted(router.labels_of(ACTION))), begin),
            CallbackQueryHandler(start_pressed, pattern=StartFeedback.pattern()),
            CallbackQueryHandler(rate_pressed, pattern=Rate.pattern()),
            CallbackQueryHandler(skip_pressed, pattern=SkipPart.pattern()),
        ],
        states={
            RATING: [MessageHandler(other, use_buttons)],
            WENT_WELL: [stop, comment],
            SHORTCOMINGS: [stop, comment],
            PROPOSALS: [stop, comment],
        },
        fallbacks=fallbacks(FeedbackDraft),
        allow_reentry=True,
    )
    return [_CONVERSATION]
