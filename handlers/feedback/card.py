"""/gopy: choosing the session, and the rating card replaced in place as levels are chosen.

Each press carries every level chosen so far (`fbr:<session>:r<points…>`, 1 kém … 4 tốt), so a
press works after a restart and nothing is written before the last one; then
services.feedback.save_ratings records them all at once (replacing earlier ones: a revision).
"""

from __future__ import annotations

from core.i18n import Lang
from handlers.feedback.actions import CHOSEN, RATING, FeedbackDraft, Rate, StartFeedback
from handlers.feedback.comments import ask_part
from handlers.step import END, Turn, step
from services import feedback
from services.feedback import LEVEL_LABELS, LEVELS_BEST_FIRST, Part
from services.labels import SESSION_KIND_LABELS
from services.units import get_unit
from services.vn_datetime import format_datetime_long, format_datetime_short
from storage.models import ModelSession, SessionKind
from ui.common import cancel_choice, short_label, stale_screen
from ui.screen import Choice, Expect, Mode, Screen


def level_text(lang: Lang, points: int) -> str:
    return lang.t(LEVEL_LABELS[feedback.POINT_LEVELS[points]])


def criterion_text(lang: Lang, criterion: feedback.Criterion) -> str:
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
        lines.append(f"✓ {criterion_text(lang, criterion)}: {level_text(lang, int(points))}")
    step_no, total = len(chosen), len(criteria) + 1
    if step_no < len(criteria):
        criterion = criteria[step_no]
        lines.append(
            lang.t(
                "Question {i}/{n}: {criterion} (up to {weight} points)",
                i=step_no + 1,
                n=total,
                criterion=criterion_text(lang, criterion),
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
        lines.append(lang.t("Your earlier answer: {level}", level=level_text(lang, before)))
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
            f"✓ {criterion_text(lang, criterion)}: {level_text(lang, form.ratings[criterion.key])}"
        )
    lines.append(lang.t("✓ Overall level: {level}", level=level_text(lang, saved.feedback.overall)))
    turn.show(Screen.of("\n".join(lines), mode=Mode.REPLACE))
    return ask_part(turn, form, Part.WENT_WELL)
