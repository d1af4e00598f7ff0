"""Saving a delegate's ratings and comments, and their own view of the score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import Conflict, InvalidInput
from services.feedback.config import config_for
from services.feedback.form import (
    Saved,
    attendance,
    check_points,
    feedback_of,
    load_form,
    ratings_of,
)
from services.feedback.scoring import MAX_COMMENT, Part, compute_score
from services.notifications import Outcome
from services.read.sessions import get_session
from services.validation import clean_lines
from storage.models import (
    Feedback,
    FeedbackRating,
    Person,
)


async def save_ratings(
    ctx: Ctx,
    actor: Person | None,
    session_id: int,
    ratings: Mapping[str, int] | Sequence[int],
    overall: int,
) -> Outcome[Saved]:
    """Record (or replace) the delegate's ratings: one per criterion of the plan (points 1–4,
    by key or in the criteria's order) and the overall level. The texts are kept."""
    session, _plan, config, _closes = await load_form(ctx, actor, session_id)
    assert actor is not None and actor.id is not None
    if isinstance(ratings, Mapping):
        given = dict(ratings)
    else:
        values = list(ratings)
        if len(values) != len(config.criteria):
            given = {}
        else:
            given = dict(zip(config.keys, values, strict=True))
    if set(given) != set(config.keys):
        raise InvalidInput(
            N_(
                "The rating form of this session has changed meanwhile. Please start the "
                "feedback again with /gopy."
            )
        )
    clean = {key: check_points(value) for key, value in given.items()}
    overall_points = check_points(overall)
    now = ctx.clock.now()
    existing = await feedback_of(ctx, session_id, actor.id)
    revised = existing is not None
    if existing is None:
        bind = ctx.session.bind
        insert = (
            pg_insert if bind is not None and bind.dialect.name == "postgresql" else sqlite_insert
        )
        await ctx.session.exec(  # type: ignore[call-overload]
            insert(Feedback)
            .values(
                session_id=session_id,
                person_id=actor.id,
                overall=overall_points,
                revisions=0,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["session_id", "person_id"])
        )
        existing = await feedback_of(ctx, session_id, actor.id)
        assert existing is not None
    else:
        existing.revisions += 1
    existing.overall = overall_points
    existing.updated_at = now
    ctx.session.add(existing)
    await ctx.session.flush()
    await ctx.session.exec(  # type: ignore[call-overload]
        delete(FeedbackRating)
        .where(col(FeedbackRating.feedback_id) == existing.id)
        .execution_options(synchronize_session=False)
    )
    for key in config.keys:
        ctx.session.add(
            FeedbackRating(
                feedback_id=existing.id,  # type: ignore[arg-type]
                session_id=session_id,
                criterion=key,
                value=clean[key],
            )
        )
    await ctx.session.flush()
    present = await attendance(ctx, session_id)
    score = compute_score(
        config, {k: float(v) for k, v in clean.items()}, present.rate, session.duration_minutes
    )
    return Outcome(Saved(existing, revised, score, present))


def check_comment(text: str | None) -> str | None:
    """A comment as stored: cleaned, None when empty; words required, bounded length."""
    clean = clean_lines(text)
    if not clean:
        return None
    if not any(ch.isalnum() for ch in clean):
        raise InvalidInput(
            N_("Please write your comment in words, or tap Skip to leave this part empty.")
        )
    if len(clean) > MAX_COMMENT:
        raise InvalidInput(
            N_("That is too long ({length} characters). Please keep it under {limit}."),
            length=len(clean),
            limit=MAX_COMMENT,
        )
    return clean


async def set_comment(
    ctx: Ctx, actor: Person | None, session_id: int, part: Part, text: str | None
) -> Feedback:
    """Write (or with None / empty text, clear) one of the three texts of the delegate's
    feedback. The ratings come first."""
    await load_form(ctx, actor, session_id)
    assert actor is not None and actor.id is not None
    clean = check_comment(text)
    feedback = await feedback_of(ctx, session_id, actor.id)
    if feedback is None:
        raise Conflict(
            N_("Please rate the session first: tap /gopy and choose a level for each part.")
        )
    setattr(feedback, Part(part).value, clean)
    feedback.updated_at = ctx.clock.now()
    ctx.session.add(feedback)
    await ctx.session.flush()
    return feedback


async def my_score(ctx: Ctx, actor: Person, session_id: int) -> Saved | None:
    """The delegate's feedback on the session with the score their ratings give (None when
    they gave none). Readable after feedback closed."""
    if actor.id is None:
        return None
    feedback = await feedback_of(ctx, session_id, actor.id)
    if feedback is None or feedback.id is None:
        return None
    session = await get_session(ctx, session_id)
    config = await config_for(ctx, session.plan_id)
    ratings = await ratings_of(ctx, feedback.id)
    present = await attendance(ctx, session_id)
    score = compute_score(
        config,
        {k: float(v) for k, v in ratings.items()},
        present.rate,
        session.duration_minutes,
    )
    return Saved(feedback, feedback.revisions > 0, score, present)


async def has_feedback(ctx: Ctx, session_id: int, person_id: int) -> bool:
    """Whether the person has rated the session (the scheduler skips their reminder)."""
    result = await ctx.session.exec(
        select(Feedback.id).where(
            Feedback.session_id == session_id, Feedback.person_id == person_id
        )
    )
    return result.first() is not None
