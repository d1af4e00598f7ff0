"""/tonghop settings: how a plan's sessions are scored (weights, thresholds, the default), how
long feedback stays open, whether comments reach leaders with names. Organisers of the issuing
committee only (the services check it); weights and thresholds are typed."""

from __future__ import annotations

from core.i18n import N_, Lang
from handlers.step import END, Turn, retry_if_invalid, step
from handlers.summaries.actions import (
    AskThresholds,
    AskWeights,
    ResetScoring,
    ScoringDraft,
    SetDays,
    SetNames,
    ShowSettings,
)
from services import feedback
from services.feedback import ATTENDANCE_KEY, LEVEL_LABELS, Level, ScoringConfig
from services.plans import get_plan
from storage.models import Plan
from ui.common import cancel_choice
from ui.screen import Choice, Expect, Mode, Screen

TYPE_WEIGHTS, TYPE_THRESHOLDS = range(2)
DAYS_CHOICES = (1, 3, 5, 7)
RETRY = N_("Please type it again, or /huy to stop.")
NOT_YOURS = N_(
    "Only the organisers of the committee that issued the plan can change how it is scored."
)


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


def _config_screen(lang: Lang, plan: Plan, config: ScoringConfig, *, edit: bool) -> Screen:
    plan_id = plan.id
    assert plan_id is not None
    names = (
        Choice(lang.t("🙈 Hide names"), SetNames(plan_id, "names", False))
        if config.show_names
        else Choice(lang.t("👤 Show names"), SetNames(plan_id, "names", True))
    )
    days = [
        Choice(
            ("• " if n == config.feedback_days else "") + lang.nt("{n} day", "{n} days", n),
            SetDays(plan_id, "days", n),
        )
        for n in DAYS_CHOICES
    ]
    return Screen.of(
        _config_text(lang, plan, config),
        rows=[
            [names],
            days,
            [
                Choice(lang.t("✏️ Weights"), AskWeights(plan_id)),
                Choice(lang.t("✏️ Thresholds"), AskThresholds(plan_id)),
            ],
            [Choice(lang.t("↩ Default scoring"), ResetScoring(plan_id, "reset"))],
            [cancel_choice(lang)],
        ],
        mode=Mode.REPLACE if edit else Mode.NEW,
    )


@step(action=ShowSettings)
async def show_settings(turn: Turn, pressed: ShowSettings) -> None:
    plan = await get_plan(turn.ctx, pressed.plan_id)
    if not await feedback.can_configure(turn.ctx, turn.me.person, plan):
        turn.say(turn.lang.t(NOT_YOURS))
        return
    config = await feedback.config_for(turn.ctx, pressed.plan_id)
    turn.show(_config_screen(turn.lang, plan, config, edit=False))


async def _change(turn: Turn, pressed: SetNames | SetDays | ResetScoring) -> None:
    """Change one setting and show them all again in place."""
    plan = await get_plan(turn.ctx, pressed.plan_id)
    person, plan_id = turn.me.person, pressed.plan_id
    if isinstance(pressed, SetNames):
        config = await feedback.configure(turn.ctx, person, plan_id, show_names=pressed.show)
    elif isinstance(pressed, SetDays):
        config = await feedback.configure(turn.ctx, person, plan_id, feedback_days=pressed.days)
    else:
        config = await feedback.configure(turn.ctx, person, plan_id, reset_scoring=True)
    turn.show(_config_screen(turn.lang, plan, config, edit=True))


set_names = step(action=SetNames)(_change)
set_days = step(action=SetDays)(_change)
reset_scoring = step(action=ResetScoring)(_change)


async def _ask_numbers(turn: Turn, plan_id: int, *, thresholds: bool) -> int:
    """Ask for the weights or the thresholds."""
    lang = turn.lang
    plan = await get_plan(turn.ctx, plan_id)
    if not await feedback.can_configure(turn.ctx, turn.me.person, plan):
        turn.say(lang.t(NOT_YOURS))
        return END
    config = await feedback.config_for(turn.ctx, plan_id)
    turn.put(ScoringDraft(plan_id, thresholds))
    if not thresholds:
        example = " ".join(str(c.weight) for c in config.criteria) + f" {config.attendance_weight}"
        turn.say(
            lang.t(
                "Type the {count} weights in the order shown, adding up to 100, for example: "
                "{example}",
                count=len(config.criteria) + 1,
                example=example,
            ),
            expect=Expect.TEXT,
        )
        return TYPE_WEIGHTS
    turn.say(
        lang.t(
            "Type the lowest scores for Good, Fair and Average, for example: {example}",
            example=f"{config.good_from} {config.fair_from} {config.average_from}",
        ),
        expect=Expect.TEXT,
    )
    return TYPE_THRESHOLDS


@step(action=AskWeights, on_error=END)
async def ask_weights(turn: Turn, pressed: AskWeights) -> int:
    return await _ask_numbers(turn, pressed.plan_id, thresholds=False)


@step(action=AskThresholds, on_error=END)
async def ask_thresholds(turn: Turn, pressed: AskThresholds) -> int:
    return await _ask_numbers(turn, pressed.plan_id, thresholds=True)


@step(needs=ScoringDraft, on_error=retry_if_invalid, retry=RETRY)
async def numbers_typed(turn: Turn, draft: ScoringDraft) -> int:
    person, plan_id = turn.me.person, draft.plan_id
    plan = await get_plan(turn.ctx, plan_id)
    config = await feedback.config_for(turn.ctx, plan_id)
    if draft.thresholds:
        good, fair, average = feedback.parse_numbers(turn.text, 3)
        config = await feedback.configure(
            turn.ctx, person, plan_id, thresholds=(good, fair, average)
        )
    else:
        values = feedback.parse_numbers(turn.text, len(config.criteria) + 1)
        weights = dict(zip([*config.keys, ATTENDANCE_KEY], values, strict=True))
        config = await feedback.configure(turn.ctx, person, plan_id, weights=weights)
    turn.drop(ScoringDraft)
    turn.say(turn.lang.t("Saved."))
    turn.show(_config_screen(turn.lang, plan, config, edit=False))
    return END
