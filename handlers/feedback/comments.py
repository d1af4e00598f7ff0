"""/gopy after the ratings: what went well, what fell short, what is proposed — typed steps,
each saved as it comes, or skipped with a button (`fbs:<session>:<part>:s`, or `:k` to keep
what was written before); then the thanks with the delegate's own score."""

from __future__ import annotations

from core.i18n import N_, Lang, Msgid
from handlers import router
from handlers.feedback.actions import PART_STATE, PARTS, RETRY, FeedbackDraft, SkipHow, SkipPart
from handlers.step import END, STAY, Turn, retry_if_invalid, step
from services import feedback
from services.feedback import LEVEL_LABELS, PART_LABELS, Part
from services.summaries import number
from services.vn_datetime import format_datetime_long
from ui.screen import Choice, Expect, Mode, Screen

QUESTIONS: dict[Part, Msgid] = {
    Part.WENT_WELL: N_("What went well at this session? Please type your comment, or tap Skip."),
    Part.SHORTCOMINGS: N_("What fell short, and why? Please type your comment, or tap Skip."),
    Part.PROPOSALS: N_(
        "What do you propose or recommend to the party cell and the committee? Please type "
        "your comment, or tap Skip."
    ),
}
ICONS = {Part.WENT_WELL: "✅", Part.SHORTCOMINGS: "⚠️", Part.PROPOSALS: "💡"}


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


def ask_part(turn: Turn, form: feedback.Form, part: Part) -> int:
    turn.put(FeedbackDraft(form.session.id, part))  # type: ignore[arg-type]
    turn.show(_question(turn.lang, form, part))
    return PART_STATE[part]


async def _after(turn: Turn, session_id: int, part: Part) -> int:
    """Ask the next part, or thank the delegate and show their score."""
    index = PARTS.index(part)
    form = await feedback.form(turn.ctx, turn.me.person, session_id)
    mine = await feedback.my_score(turn.ctx, turn.me.person, session_id)  # type: ignore[arg-type]
    if index + 1 < len(PARTS):
        return ask_part(turn, form, PARTS[index + 1])
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
