"""A plan's feedback settings: criteria, weights, thresholds and how long feedback stays open."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, InvalidInput
from services.events import FeedbackPeriodChanged
from services.feedback.scoring import (
    ATTENDANCE_KEY,
    DEFAULT_LABELS,
    KEY,
    MAX_CRITERIA,
    MAX_FEEDBACK_DAYS,
    Criterion,
    ScoringConfig,
)
from services.plans import can_manage_plan, get_plan, require_plan_manager
from services.validation import check_label
from storage.models import (
    Feedback,
    ModelSession,
    Person,
    Plan,
    PlanFeedbackConfig,
)

# --------------------------------------------------------------------------- configuration


def _from_row(row: PlanFeedbackConfig) -> ScoringConfig:
    criteria = tuple(
        Criterion(
            key=str(item["key"]),
            label=str(item.get("label") or DEFAULT_LABELS.get(str(item["key"]), item["key"])),
            weight=int(item["weight"]),
            default=not item.get("label") and str(item["key"]) in DEFAULT_LABELS,
        )
        for item in row.criteria
    )
    return ScoringConfig(
        plan_id=row.plan_id,
        criteria=criteria,
        attendance_weight=row.attendance_weight,
        good_from=row.good_from,
        fair_from=row.fair_from,
        average_from=row.average_from,
        min_attendance_pct=row.min_attendance_pct,
        min_minutes=row.min_minutes,
        feedback_days=row.feedback_days,
        show_names=row.show_names,
        stored=True,
    )


async def _config_row(ctx: Ctx, plan_id: int) -> PlanFeedbackConfig | None:
    result = await ctx.session.exec(
        select(PlanFeedbackConfig).where(PlanFeedbackConfig.plan_id == plan_id)
    )
    return result.first()


async def config_for(ctx: Ctx, plan_id: int) -> ScoringConfig:
    """The plan's settings, or the defaults."""
    row = await _config_row(ctx, plan_id)
    return _from_row(row) if row is not None else ScoringConfig(plan_id=plan_id)


def _criteria_json(criteria: Sequence[Criterion]) -> list[dict[str, Any]]:
    return [
        {"key": c.key, "label": "" if c.default else c.label, "weight": c.weight} for c in criteria
    ]


def _check_weight(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise InvalidInput(N_("Each weight must be a whole number from 0 to 100."))
    return value


def _check_criteria(criteria: Sequence[Criterion | tuple[str, str, int]]) -> tuple[Criterion, ...]:
    out: list[Criterion] = []
    for item in criteria:
        key, label, weight = (
            (item.key, item.label, item.weight) if isinstance(item, Criterion) else item
        )
        if not KEY.match(key or "") or key == ATTENDANCE_KEY:
            raise InvalidInput(
                N_("“{key}” cannot name a criterion. Please use short latin words, like content."),
                key=key,
            )
        default = key in DEFAULT_LABELS and (not label or label == DEFAULT_LABELS[key])
        clean = (
            DEFAULT_LABELS[key]
            if default
            else check_label(label, max_length=120, what=N_("criterion name"))
        )
        out.append(Criterion(key, clean, _check_weight(weight), default))
    if not 1 <= len(out) <= MAX_CRITERIA:
        raise InvalidInput(
            N_("Please give from 1 to {limit} criteria to rate."), limit=MAX_CRITERIA
        )
    if len({c.key for c in out}) != len(out):
        raise InvalidInput(N_("Each criterion can appear only once."))
    return tuple(out)


def parse_numbers(text: str | None, count: int) -> list[int]:
    """Whole numbers typed by a user ("15 20 15, 15 15 20"), exactly `count` of them."""
    found = re.findall(r"-?\d+", text or "")
    if len(found) != count or re.search(r"\d[.,]\d", text or ""):
        raise InvalidInput(
            N_("Please type exactly {count} whole numbers, separated by spaces."), count=count
        )
    return [int(n) for n in found]


async def _plan_has_feedback(ctx: Ctx, plan_id: int) -> bool:
    result = await ctx.session.exec(
        select(Feedback.id)
        .join(ModelSession, col(ModelSession.id) == Feedback.session_id)
        .where(ModelSession.plan_id == plan_id)
        .limit(1)
    )
    return result.first() is not None


async def configure(
    ctx: Ctx,
    actor: Person | None,
    plan_id: int,
    *,
    criteria: Sequence[Criterion | tuple[str, str, int]] | None = None,
    weights: Mapping[str, int] | None = None,
    thresholds: tuple[int, int, int] | None = None,
    min_attendance_pct: int | None = None,
    min_minutes: int | None = None,
    feedback_days: int | None = None,
    show_names: bool | None = None,
    reset_scoring: bool = False,
) -> ScoringConfig:
    """Change a plan's scoring and feedback settings (None leaves a setting as it is).
    Organisers of the issuing unit or of a unit above it.

    `weights` maps criterion keys (and "attendance") to new weights; criteria weights and the
    attendance weight must add up to 100. The list of criteria cannot change once someone
    has given feedback in the plan (their ratings would no longer fit). `reset_scoring` puts
    the criteria, weights and thresholds back to the defaults first."""
    plan = await get_plan(ctx, plan_id)
    await require_plan_manager(ctx, actor, plan)
    current = await config_for(ctx, plan_id)
    base = ScoringConfig(plan_id=plan_id) if reset_scoring else current
    new_criteria = base.criteria if criteria is None else _check_criteria(criteria)
    attendance_weight = base.attendance_weight
    if weights is not None:
        by_key = {c.key: c for c in new_criteria}
        unknown = [k for k in weights if k not in by_key and k != ATTENDANCE_KEY]
        if unknown:
            raise InvalidInput(N_("There is no criterion “{key}” in this plan."), key=unknown[0])
        new_criteria = tuple(
            Criterion(c.key, c.label, _check_weight(weights.get(c.key, c.weight)), c.default)
            for c in new_criteria
        )
        attendance_weight = _check_weight(weights.get(ATTENDANCE_KEY, attendance_weight))
    total = sum(c.weight for c in new_criteria) + attendance_weight
    if total != 100:
        raise InvalidInput(
            N_("The weights add up to {total}. Please make them add up to 100."), total=total
        )
    if not any(c.weight for c in new_criteria):
        raise InvalidInput(N_("At least one criterion must have a weight above 0."))
    good, fair, average = thresholds or (base.good_from, base.fair_from, base.average_from)
    if not 0 < average < fair < good <= 100:
        raise InvalidInput(
            N_(
                "The thresholds must go down from Good to Average, between 1 and 100, for "
                "example: 90 70 50."
            )
        )
    if tuple(c.key for c in new_criteria) != current.keys and await _plan_has_feedback(
        ctx, plan_id
    ):
        raise Conflict(
            N_(
                "Delegates have already rated sessions of this plan, so its criteria can no "
                "longer change. The weights and thresholds still can."
            )
        )
    pct = current.min_attendance_pct if min_attendance_pct is None else min_attendance_pct
    minutes = current.min_minutes if min_minutes is None else min_minutes
    days = current.feedback_days if feedback_days is None else feedback_days
    if not 0 <= pct <= 100:
        raise InvalidInput(N_("The expected attendance must be from 0 to 100 percent."))
    if not 0 <= minutes <= 600:
        raise InvalidInput(N_("The minimum duration must be from 0 to 600 minutes."))
    if not 1 <= days <= MAX_FEEDBACK_DAYS:
        raise InvalidInput(
            N_("Feedback can stay open from 1 to {limit} days after a session."),
            limit=MAX_FEEDBACK_DAYS,
        )
    row = await _config_row(ctx, plan_id) or PlanFeedbackConfig(
        plan_id=plan_id, criteria=[], updated_at=ctx.clock.now()
    )
    row.criteria = _criteria_json(new_criteria)
    row.attendance_weight = attendance_weight
    row.good_from, row.fair_from, row.average_from = good, fair, average
    row.min_attendance_pct = pct
    row.min_minutes = minutes
    row.feedback_days = days
    if show_names is not None:
        row.show_names = show_names
    row.updated_by_id = actor.id if actor is not None else None
    row.updated_at = ctx.clock.now()
    ctx.session.add(row)
    await ctx.session.flush()
    if days != current.feedback_days:
        await ctx.record(FeedbackPeriodChanged(plan_id))
    return _from_row(row)


async def can_configure(ctx: Ctx, person: Person | None, plan: Plan) -> bool:
    """Whether the person may change the plan's settings (organisers of the issuer or above)."""
    return await can_manage_plan(ctx, person, plan)
