"""The SQL pieces the summaries are counted with (GROUP BY in the database)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import case, func
from sqlmodel import col, select

from services.context import Ctx
from services.feedback import (
    POINT_LEVELS,
    ScoringConfig,
)
from services.summaries.values import CriterionRatings, Turnout
from storage.models import (
    CheckIn,
    Feedback,
    FeedbackRating,
    Invitation,
    InvitationStatus,
    ModelSession,
)

# --------------------------------------------------------------------------- SQL pieces


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


CHECKIN_JOIN = (col(CheckIn.session_id) == col(Invitation.session_id)) & (
    col(CheckIn.person_id) == col(Invitation.person_id)
)
_NOT_PRESENT = col(CheckIn.id).is_(None)
_DECLINED = col(Invitation.status) == InvitationStatus.DECLINED.value


def turnout_columns() -> tuple[Any, ...]:
    return (
        func.count(col(Invitation.id)),
        func.count(col(CheckIn.id)),
        _count_if(col(CheckIn.late).is_(True)),
        _count_if(_NOT_PRESENT & _DECLINED),
        _count_if(_NOT_PRESENT & ~_DECLINED),
    )


def turnout_of(values: Iterable[Any], guests: int = 0) -> Turnout:
    invited, present, late, with_reason, without = (int(v) for v in values)
    return Turnout(invited, present, late, with_reason, without, guests)


async def rating_counts(ctx: Ctx, where: Any, join_plan: bool = False) -> dict[str, dict[int, int]]:
    query = select(  # type: ignore[call-overload]
        FeedbackRating.criterion, FeedbackRating.value, func.count()
    ).group_by(FeedbackRating.criterion, FeedbackRating.value)
    if join_plan:
        query = query.join(ModelSession, col(ModelSession.id) == FeedbackRating.session_id)
    out: dict[str, dict[int, int]] = {}
    for criterion, value, n in (await ctx.session.exec(query.where(where))).all():
        out.setdefault(criterion, {})[int(value)] = int(n)
    return out


async def overall_counts(ctx: Ctx, where: Any, join_plan: bool = False) -> dict[int, int]:
    query = select(Feedback.overall, func.count()).group_by(Feedback.overall)  # type: ignore[call-overload]
    if join_plan:
        query = query.join(ModelSession, col(ModelSession.id) == Feedback.session_id)
    result = await ctx.session.exec(query.where(where))
    return {int(points): int(n) for points, n in result.all()}


def criteria_ratings(
    config: ScoringConfig, counts: Mapping[str, Mapping[int, int]]
) -> list[CriterionRatings]:
    return [
        CriterionRatings(
            key=c.key,
            label=c.label,
            weight=c.weight,
            default=c.default,
            counts={p: int(counts.get(c.key, {}).get(p, 0)) for p in sorted(POINT_LEVELS)},
        )
        for c in config.criteria
    ]


def anonymous_order(session_id: int, feedback_id: int) -> str:
    """A stable order of anonymised feedback that does not follow the order of arrival."""
    return hashlib.sha256(f"feedback:{session_id}:{feedback_id}".encode()).hexdigest()
