"""The roll of a model session as organisers read it: counts per participant category and in
total (SQL aggregates), and one row per invitee and per guest. Organisers and leaders of the
plan's issuing unit (or of a unit above it) read the roll, and so do the organisers over the
host unit (who run the check-in)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func
from sqlmodel import col, select

from core.i18n import N_
from services.context import Ctx
from services.errors import PermissionDenied
from services.plans import get_plan
from services.read.sessions import get_session
from services.roles import can_manage, has_role_over
from services.units import get_unit, sort_key
from storage.models import (
    CheckIn,
    CheckinMethod,
    Invitation,
    InvitationStatus,
    Membership,
    ModelSession,
    ParticipantCategory,
    Person,
    Role,
    Unit,
)


@dataclass(frozen=True, slots=True)
class Counts:
    invited: int = 0
    accepted: int = 0
    declined: int = 0
    no_answer: int = 0
    checked_in: int = 0  # in the totals, guests included
    late: int = 0
    manual: int = 0
    guests: int = 0  # people who checked in without an invitation (totals only)


@dataclass(frozen=True, slots=True)
class Reason:
    person_id: int
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class CategoryRoll:
    category_id: int | None  # None: invitations whose category was deleted
    label: str | None
    counts: Counts
    reasons: list[Reason]  # of those who declined, by name


@dataclass(frozen=True, slots=True)
class Roll:
    session_id: int
    categories: list[CategoryRoll]
    totals: Counts


@dataclass(frozen=True, slots=True)
class RollRow:
    person_id: int
    name: str
    position: str
    unit: str  # the person's units, "; "-separated
    category: str | None
    answer: InvitationStatus | None  # None: a guest (not invited)
    reason: str | None
    checked_in_at: datetime | None
    late: bool
    method: CheckinMethod | None
    guest: bool


async def _load_for_reading(ctx: Ctx, actor: Person | None, session_id: int) -> ModelSession:
    session = await get_session(ctx, session_id)
    plan = await get_plan(ctx, session.plan_id)
    if await has_role_over(
        ctx, actor, plan.issuer_unit_id, (Role.ORGANISER, Role.LEADER)
    ) or await can_manage(ctx, actor, session.host_unit_id):
        return session
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    raise PermissionDenied(
        N_("Only the organisers or leaders of “{unit}” can see the roll of this session."),
        unit=issuer.name,
    )


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


_CHECKIN_JOIN = and_(
    col(CheckIn.session_id) == col(Invitation.session_id),
    col(CheckIn.person_id) == col(Invitation.person_id),
)


async def roll(ctx: Ctx, actor: Person | None, session_id: int) -> Roll:
    """Counts per category (in category order, invitations without a category last) and in
    total. Three aggregate queries and one for the reasons of those who declined."""
    await _load_for_reading(ctx, actor, session_id)
    per_category = await ctx.session.exec(
        select(  # type: ignore[call-overload]
            Invitation.category_id,
            func.count(col(Invitation.id)),
            _count_if(col(Invitation.status) == InvitationStatus.ACCEPTED.value),
            _count_if(col(Invitation.status) == InvitationStatus.DECLINED.value),
            _count_if(col(Invitation.status) == InvitationStatus.INVITED.value),
            func.count(col(CheckIn.id)),
            _count_if(col(CheckIn.late).is_(True)),
            _count_if(col(CheckIn.method) == CheckinMethod.MANUAL.value),
        )
        .select_from(Invitation)
        .outerjoin(CheckIn, _CHECKIN_JOIN)
        .where(Invitation.session_id == session_id)
        .group_by(Invitation.category_id)
    )
    counts: dict[int | None, Counts] = {
        cid: Counts(*(int(v) for v in values)) for cid, *values in per_category.all()
    }
    guests_result = await ctx.session.exec(
        select(  # type: ignore[call-overload]
            func.count(col(CheckIn.id)),
            _count_if(col(CheckIn.late).is_(True)),
            _count_if(col(CheckIn.method) == CheckinMethod.MANUAL.value),
        )
        .select_from(CheckIn)
        .outerjoin(Invitation, _CHECKIN_JOIN)
        .where(CheckIn.session_id == session_id, col(Invitation.id).is_(None))
    )
    guests, guests_late, guests_manual = (int(v) for v in guests_result.one())
    ids = [c for c in counts if c is not None]
    labels: dict[int, tuple[int, str]] = {}
    if ids:
        found = await ctx.session.exec(
            select(
                ParticipantCategory.id, ParticipantCategory.position, ParticipantCategory.label
            ).where(col(ParticipantCategory.id).in_(ids))
        )
        labels = {cid: (position, label) for cid, position, label in found.all()}
    reasons = await _reasons(ctx, session_id)
    order = sorted(counts, key=lambda c: (c is None, labels.get(c, (0, ""))[0] if c else 0, c or 0))
    rows = [
        CategoryRoll(
            category_id=cid,
            label=labels[cid][1] if cid is not None and cid in labels else None,
            counts=counts[cid],
            reasons=reasons.get(cid, []),
        )
        for cid in order
    ]
    totals = Counts(
        invited=sum(r.counts.invited for r in rows),
        accepted=sum(r.counts.accepted for r in rows),
        declined=sum(r.counts.declined for r in rows),
        no_answer=sum(r.counts.no_answer for r in rows),
        checked_in=sum(r.counts.checked_in for r in rows) + guests,
        late=sum(r.counts.late for r in rows) + guests_late,
        manual=sum(r.counts.manual for r in rows) + guests_manual,
        guests=guests,
    )
    return Roll(session_id, rows, totals)


async def _reasons(ctx: Ctx, session_id: int) -> dict[int | None, list[Reason]]:
    result = await ctx.session.exec(
        select(Invitation.category_id, Person.id, Person.full_name, Invitation.decline_reason)
        .join(Person, col(Person.id) == Invitation.person_id)
        .where(
            Invitation.session_id == session_id,
            Invitation.status == InvitationStatus.DECLINED.value,
        )
    )
    out: dict[int | None, list[Reason]] = {}
    for cid, pid, name, reason in result.all():
        out.setdefault(cid, []).append(Reason(pid, name, reason or ""))
    for reasons in out.values():
        reasons.sort(key=lambda r: (sort_key(r.name), r.person_id))
    return out


async def roll_rows(ctx: Ctx, actor: Person | None, session_id: int) -> list[RollRow]:
    """One row per invitee (by category, then name) and per guest (last, by name)."""
    await _load_for_reading(ctx, actor, session_id)
    invited = await ctx.session.exec(
        select(Invitation, Person, CheckIn, ParticipantCategory)
        .join(Person, col(Person.id) == Invitation.person_id)
        .outerjoin(CheckIn, _CHECKIN_JOIN)
        .outerjoin(ParticipantCategory, col(ParticipantCategory.id) == Invitation.category_id)
        .where(Invitation.session_id == session_id)
    )
    guests = await ctx.session.exec(
        select(CheckIn, Person)
        .join(Person, col(Person.id) == CheckIn.person_id)
        .outerjoin(Invitation, _CHECKIN_JOIN)
        .where(CheckIn.session_id == session_id, col(Invitation.id).is_(None))
    )
    units = await _units_of_people(ctx, session_id)
    keyed: list[tuple[tuple[Any, ...], RollRow]] = []
    for inv, person, checkin, category in invited.all():
        row = _row(person, units, checkin, category, inv)
        position = category.position if category is not None else 1 << 30
        keyed.append(((0, position, inv.category_id or 0, sort_key(person.full_name)), row))
    for checkin, person in guests.all():
        row = _row(person, units, checkin, None, None)
        keyed.append(((1, 0, 0, sort_key(person.full_name)), row))
    keyed.sort(key=lambda pair: (pair[0], pair[1].person_id))
    return [row for _, row in keyed]


def _row(
    person: Person,
    units: Mapping[int, list[str]],
    checkin: CheckIn | None,
    category: ParticipantCategory | None,
    invitation: Invitation | None,
) -> RollRow:
    assert person.id is not None
    return RollRow(
        person_id=person.id,
        name=person.full_name,
        position=person.position,
        unit="; ".join(units.get(person.id, [])),
        category=category.label if category is not None else None,
        answer=InvitationStatus(invitation.status) if invitation is not None else None,
        reason=invitation.decline_reason if invitation is not None else None,
        checked_in_at=checkin.at if checkin is not None else None,
        late=bool(checkin and checkin.late),
        method=CheckinMethod(checkin.method) if checkin is not None else None,
        guest=invitation is None,
    )


async def _units_of_people(ctx: Ctx, session_id: int) -> dict[int, list[str]]:
    """The unit names of everyone invited to or checked in at the session (one query)."""
    people = (
        select(Invitation.person_id)
        .where(Invitation.session_id == session_id)
        .union(select(CheckIn.person_id).where(CheckIn.session_id == session_id))
    )
    result = await ctx.session.exec(
        select(Membership.person_id, Unit.name)
        .join(Unit, col(Unit.id) == Membership.unit_id)
        .where(col(Membership.person_id).in_(people))
        .order_by(col(Membership.person_id), col(Membership.id))
    )
    out: dict[int, list[str]] = {}
    for pid, name in result.all():
        names = out.setdefault(pid, [])
        if name not in names:
            names.append(name)
    return out
