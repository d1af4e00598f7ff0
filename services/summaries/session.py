"""The summary of one session: attendance by category, ratings, score and comments."""

from __future__ import annotations

from sqlalchemy import func, or_
from sqlmodel import col, select

from services.context import Ctx
from services.feedback import (
    POINT_LEVELS,
    Part,
    averages_from_counts,
    closes_at_for,
    compute_score,
    config_for,
)
from services.plans import (
    get_plan,
)
from services.read.sessions import get_session
from services.summaries.aggregates import (
    CHECKIN_JOIN,
    anonymous_order,
    criteria_ratings,
    overall_counts,
    rating_counts,
    turnout_columns,
    turnout_of,
)
from services.summaries.readers import require_session_reader
from services.summaries.values import CategoryTurnout, Comment, SessionSummary, Turnout
from services.units import get_unit, sort_key
from storage.models import (
    CheckIn,
    Feedback,
    FeedbackRating,
    Invitation,
    ParticipantCategory,
    Person,
    SessionKind,
    SessionStatus,
)

# --------------------------------------------------------------------------- session summary


async def session_summary(ctx: Ctx, actor: Person | None, session_id: int) -> SessionSummary:
    """The summary of one session, for its readers (see the module's doc)."""
    session = await get_session(ctx, session_id)
    plan = await get_plan(ctx, session.plan_id)
    await require_session_reader(ctx, actor, session, plan)
    return await build_session_summary(ctx, session_id)


async def build_session_summary(ctx: Ctx, session_id: int) -> SessionSummary:
    """The summary without a permission check (the scheduler sends it to the readers)."""
    session = await get_session(ctx, session_id)
    plan = await get_plan(ctx, session.plan_id)
    config = await config_for(ctx, session.plan_id)
    per_category = await ctx.session.exec(
        select(Invitation.category_id, *turnout_columns())  # type: ignore[call-overload]
        .select_from(Invitation)
        .outerjoin(CheckIn, CHECKIN_JOIN)
        .where(Invitation.session_id == session_id)
        .group_by(Invitation.category_id)
    )
    by_category = {cid: turnout_of(values) for cid, *values in per_category.all()}
    guests = (
        await ctx.session.exec(
            select(func.count(col(CheckIn.id)))
            .select_from(CheckIn)
            .outerjoin(Invitation, CHECKIN_JOIN)
            .where(CheckIn.session_id == session_id, col(Invitation.id).is_(None))
        )
    ).one()
    labels: dict[int, tuple[int, str]] = {}
    ids = [c for c in by_category if c is not None]
    if ids:
        found = await ctx.session.exec(
            select(
                ParticipantCategory.id, ParticipantCategory.position, ParticipantCategory.label
            ).where(col(ParticipantCategory.id).in_(ids))
        )
        labels = {cid: (position, label) for cid, position, label in found.all()}
    order = sorted(
        by_category, key=lambda c: (c is None, labels.get(c, (0, ""))[0] if c else 0, c or 0)
    )
    categories = [
        CategoryTurnout(labels[c][1] if c is not None and c in labels else None, by_category[c])
        for c in order
    ]
    total = Turnout(guests=int(guests))
    for row in categories:
        total = total + row.turnout
    counts = await rating_counts(ctx, col(FeedbackRating.session_id) == session_id)
    overall = await overall_counts(ctx, col(Feedback.session_id) == session_id)
    criteria = criteria_ratings(config, counts)
    score = compute_score(
        config,
        averages_from_counts({c.key: c.counts for c in criteria}),
        total.rate,
        session.duration_minutes,
    )
    comments = await _comments(ctx, session_id, config.show_names)
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    parent = await get_unit(ctx, issuer.parent_id) if issuer.parent_id else None
    host = await get_unit(ctx, session.host_unit_id)
    closes = closes_at_for(session, config)
    return SessionSummary(
        session_id=session_id,
        plan_id=plan.id,  # type: ignore[arg-type]
        plan_number=plan.number,
        plan_title=plan.title,
        plan_issued_on=plan.issued_on,
        plan_place=plan.place,
        issuer=issuer.name,
        issuer_parent=parent.name if parent else None,
        host=host.name,
        kind=SessionKind(session.kind),
        topic=session.topic,
        starts_at=session.starts_at,
        duration_minutes=session.duration_minutes,
        status=SessionStatus(session.status),
        turnout=total,
        categories=categories,
        feedback_count=sum(overall.values()),
        criteria=criteria,
        overall={p: overall.get(p, 0) for p in sorted(POINT_LEVELS)},
        score=score,
        comments=comments,
        config=config,
        closes_at=closes,
        closed=closes is not None and ctx.clock.now() >= closes,
    )


async def _comments(ctx: Ctx, session_id: int, show_names: bool) -> dict[Part, list[Comment]]:
    result = await ctx.session.exec(
        select(
            Feedback.id,
            Person.full_name,
            Feedback.went_well,
            Feedback.shortcomings,
            Feedback.proposals,
        )
        .join(Person, col(Person.id) == Feedback.person_id)
        .where(
            Feedback.session_id == session_id,
            or_(
                col(Feedback.went_well).is_not(None),
                col(Feedback.shortcomings).is_not(None),
                col(Feedback.proposals).is_not(None),
            ),
        )
    )
    rows = list(result.all())
    if show_names:
        rows.sort(key=lambda r: (sort_key(r[1] or ""), r[0]))
    else:
        rows.sort(key=lambda r: anonymous_order(session_id, r[0]))
    out: dict[Part, list[Comment]] = {part: [] for part in Part}
    for _fid, name, *texts in rows:
        for part, text in zip(Part, texts, strict=True):
            if text:
                out[part].append(Comment(name if show_names else None, text))
    return out
