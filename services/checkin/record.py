"""Writing a check-in: where the person stands (one query), the insert, and the feedback
request it causes, in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, literal
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import select

from services.checkin.window import CheckedIn
from services.context import Ctx
from services.events import PersonCheckedIn
from storage.models import CheckIn, CheckinMethod, Invitation, ModelSession


@dataclass(frozen=True, slots=True)
class Standing:
    existing: CheckIn | None  # the person's earlier check-in at the session
    invited: bool


async def standing(ctx: Ctx, session_id: int, person_id: int) -> Standing:
    """The person's earlier check-in (if any) and whether they were invited: one query."""
    one_row = select(literal(1).label("one")).subquery()
    invited = exists().where(Invitation.session_id == session_id, Invitation.person_id == person_id)
    result = await ctx.session.exec(
        select(CheckIn, invited.label("invited"))
        .select_from(one_row)
        .outerjoin(
            CheckIn,
            and_(CheckIn.session_id == session_id, CheckIn.person_id == person_id),  # type: ignore[arg-type]
        )
    )
    existing, is_invited = result.one()
    return Standing(existing, bool(is_invited))


async def existing_checkin(ctx: Ctx, session_id: int, person_id: int) -> CheckIn | None:
    result = await ctx.session.exec(
        select(CheckIn).where(CheckIn.session_id == session_id, CheckIn.person_id == person_id)
    )
    return result.first()


async def record(
    ctx: Ctx,
    session: ModelSession,
    person_id: int,
    *,
    late: bool,
    method: CheckinMethod,
    guest: bool,
    by_id: int | None = None,
) -> CheckedIn:
    """Insert the check-in; a concurrent one of the same person wins quietly."""
    bind = ctx.session.bind
    insert = pg_insert if bind is not None and bind.dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(CheckIn)
        .values(
            session_id=session.id,
            person_id=person_id,
            at=ctx.clock.now(),
            late=late,
            method=method.value,
            guest=guest,
            by_id=by_id,
        )
        .on_conflict_do_nothing(index_elements=["session_id", "person_id"])
        .returning(CheckIn)
    )
    created = (await ctx.session.exec(stmt)).scalars().first()  # type: ignore[call-overload]
    if created is not None:
        await ctx.record(PersonCheckedIn(session, person_id))
        return CheckedIn(created, session, already=False)
    existing = await existing_checkin(ctx, session.id, person_id)  # type: ignore[arg-type]
    assert existing is not None
    return CheckedIn(existing, session, already=True)
