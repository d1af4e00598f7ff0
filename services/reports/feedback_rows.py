"""The delegates' feedback as rows, one per feedback (with the score its ratings give), for
the XLSX export of a session or of a whole plan. Names go in only when the plan shows
comments with names; otherwise rows come in an order unrelated to who wrote first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from services.context import Ctx
from services.feedback import Criterion, Score, compute_score, config_for
from services.plans import get_plan
from services.sessions import get_session
from services.summaries import anonymous_order, require_plan_reader, require_session_reader
from services.units import sort_key
from services.vn_datetime import VN_TZ
from storage.models import CheckIn, Feedback, FeedbackRating, Invitation, ModelSession, Person, Unit


@dataclass(frozen=True, slots=True)
class FeedbackRow:
    session_id: int
    session: str  # "host, dd/mm/yyyy" (for exports spanning a plan)
    name: str | None  # None: anonymised
    position: str | None
    ratings: dict[str, int]  # criterion → points 1–4
    overall: int
    score: Score | None  # from the delegate's ratings and the session's attendance
    went_well: str | None
    shortcomings: str | None
    proposals: str | None
    updated_at: datetime | None  # None when anonymised


@dataclass(frozen=True, slots=True)
class FeedbackTable:
    criteria: tuple[Criterion, ...]
    show_names: bool
    rows: list[FeedbackRow]
    by_session: bool  # the rows span several sessions (a plan)


async def feedback_table(
    ctx: Ctx, actor: Person | None, *, session_id: int | None = None, plan_id: int | None = None
) -> FeedbackTable:
    """Every feedback of a session, or of every session of a plan: one row each."""
    if (session_id is None) == (plan_id is None):
        raise ValueError("give a session or a plan")
    if session_id is not None:
        session = await get_session(ctx, session_id)
        plan = await get_plan(ctx, session.plan_id)
        await require_session_reader(ctx, actor, session, plan)
        where: Any = col(Feedback.session_id) == session_id
    else:
        plan = await get_plan(ctx, plan_id)  # type: ignore[arg-type]
        await require_plan_reader(ctx, actor, plan)
        where = col(ModelSession.plan_id) == plan_id
    config = await config_for(ctx, plan.id)  # type: ignore[arg-type]
    found = await ctx.session.exec(
        select(Feedback, Person.full_name, Person.position, ModelSession, Unit.name)
        .join(Person, col(Person.id) == Feedback.person_id)
        .join(ModelSession, col(ModelSession.id) == Feedback.session_id)
        .join(Unit, col(Unit.id) == ModelSession.host_unit_id)
        .where(where)
    )
    records = list(found.all())
    ratings: dict[int, dict[str, int]] = {}
    rating_rows = await ctx.session.exec(
        select(FeedbackRating.feedback_id, FeedbackRating.criterion, FeedbackRating.value)
        .join(Feedback, col(Feedback.id) == FeedbackRating.feedback_id)
        .join(ModelSession, col(ModelSession.id) == Feedback.session_id)
        .where(where)
    )
    for fid, criterion, value in rating_rows.all():
        ratings.setdefault(fid, {})[criterion] = int(value)
    rates = await _attendance_rates(ctx, {s.id for _, _, _, s, _ in records})  # type: ignore[misc]

    def order(record: Any) -> tuple[Any, ...]:
        feedback, name, _, session, _ = record
        start = session.starts_at or datetime.max.replace(tzinfo=VN_TZ)
        who = (
            (sort_key(name or ""), feedback.id)
            if config.show_names
            else (anonymous_order(session.id, feedback.id),)
        )
        return (start, session.id, *who)

    records.sort(key=order)
    rows = []
    for feedback, name, position, session, host in records:
        given = ratings.get(feedback.id, {})
        score = compute_score(
            config,
            {k: float(v) for k, v in given.items()},
            rates.get(session.id),
            session.duration_minutes,
        )
        when = session.starts_at.astimezone(VN_TZ).strftime("%d/%m/%Y") if session.starts_at else ""
        rows.append(
            FeedbackRow(
                session_id=session.id,
                session=f"{host}, {when}" if when else host,
                name=name if config.show_names else None,
                position=position if config.show_names else None,
                ratings=given,
                overall=feedback.overall,
                score=score,
                went_well=feedback.went_well,
                shortcomings=feedback.shortcomings,
                proposals=feedback.proposals,
                updated_at=feedback.updated_at if config.show_names else None,
            )
        )
    return FeedbackTable(config.criteria, config.show_names, rows, by_session=plan_id is not None)


async def _attendance_rates(ctx: Ctx, session_ids: set[int]) -> dict[int, float | None]:
    if not session_ids:
        return {}
    result = await ctx.session.exec(
        select(  # type: ignore[call-overload]
            Invitation.session_id, func.count(col(Invitation.id)), func.count(col(CheckIn.id))
        )
        .select_from(Invitation)
        .outerjoin(
            CheckIn,
            (col(CheckIn.session_id) == col(Invitation.session_id))
            & (col(CheckIn.person_id) == col(Invitation.person_id)),
        )
        .where(col(Invitation.session_id).in_(session_ids))
        .group_by(Invitation.session_id)
    )
    rates: dict[int, float | None] = dict.fromkeys(session_ids)
    for sid, invited, present in result.all():
        rates[sid] = int(present) / int(invited) if invited else None
    return rates
