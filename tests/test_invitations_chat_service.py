"""The small service pieces the invitation, check-in and roll chats use: the sessions an
organiser may invite to, whether an answer may still change, an invitation's text as it reads
now, the people an organiser may name, and the sessions whose roll is open or coming."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import FrozenClock
from services import checkin, invitations, participants, sessions
from services.context import Ctx
from services.errors import Conflict, PermissionDenied
from storage.models import Person
from tests.test_participants_service import Crowd, build_crowd
from tests.test_plans_service import at, new_plan, new_session

START = at(20, 1)


@pytest.fixture
async def crowd(ctx: Ctx) -> Crowd:
    return await build_crowd(ctx)


async def test_managed_sessions(ctx: Ctx, crowd: Crowd, clock: FrozenClock) -> None:
    org = crowd.org
    tentative = await new_session(ctx, org.org_root, crowd.plan, org.b1, "tháng 3")
    ids = [s.id for s in await invitations.managed_sessions(ctx, org.org_root)]
    assert ids == [crowd.session.id, tentative.id]  # soonest first, tentative by month
    # Organisers of a unit below the issuer do not send the committee's invitations.
    assert await invitations.managed_sessions(ctx, org.org_ga) == []
    assert await invitations.managed_sessions(ctx, org.sec_a1) == []
    assert await invitations.managed_sessions(ctx, None) == []
    # A plan of the grassroots unit is theirs; a started or cancelled session is nobody's.
    own = await new_plan(ctx, org, number="5-KH/ĐU", issuer=org.ga)
    theirs = await new_session(ctx, org.org_root, own, org.a2, at(10, 2))
    assert [s.id for s in await invitations.managed_sessions(ctx, org.org_ga)] == [theirs.id]
    await sessions.cancel_session(ctx, org.org_root, tentative.id, "Trùng lịch")  # type: ignore[arg-type]
    clock.set(START + timedelta(minutes=1))
    assert [s.id for s in await invitations.managed_sessions(ctx, org.org_root)] == [theirs.id]


async def test_check_answer_and_the_invitation_text(
    ctx: Ctx, crowd: Crowd, clock: FrozenClock
) -> None:
    outcome = await invitations.send(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    notice = outcome.notices[0]
    invitee = await ctx.session.get(Person, notice.person_id)
    assert invitee is not None
    invitation = await invitations.check_answer(ctx, invitee, outcome.value[0])
    assert invitation.id == outcome.value[0]
    assert await invitations.invitation_message(ctx, invitation) == (notice.msgid, notice.params)
    with pytest.raises(PermissionDenied):
        await invitations.check_answer(ctx, crowd.org.mem_a1, outcome.value[0])
    with pytest.raises(PermissionDenied):
        await invitations.check_answer(ctx, Person(), outcome.value[0])  # not on the bot
    clock.set(START)
    with pytest.raises(Conflict):
        await invitations.check_answer(ctx, invitee, outcome.value[0])
    with pytest.raises(Conflict):  # `answer` applies the same rule
        await invitations.answer(ctx, invitee, outcome.value[0], True)


async def test_candidates_and_named_people(ctx: Ctx, crowd: Crowd) -> None:
    org = crowd.org
    found = await participants.candidates(ctx, org.org_root, crowd.plan.id)  # type: ignore[arg-type]
    ids = {p.id for p in found}
    assert {org.mem_a1.id, org.leader_root.id, org.org_ga.id, crowd.officers[-1].id} <= ids
    assert not {p.id for p in crowd.named[1:]} & ids  # guests hold no role in the tree
    names = [p.full_name for p in found]
    assert names.index("Bùi Văn Em") < names.index("Đỗ Thị Bình") < names.index("Hoàng Văn Cường")
    with pytest.raises(PermissionDenied):
        await participants.candidates(ctx, org.sec_a1, crowd.plan.id)  # type: ignore[arg-type]
    named = crowd.categories[2]
    assert await participants.named_ids(ctx, named.id) == {p.id for p in crowd.named}  # type: ignore[arg-type]
    assert await participants.named_ids(ctx, crowd.categories[0].id) == set()  # type: ignore[arg-type]


async def test_roll_sessions(ctx: Ctx, crowd: Crowd, clock: FrozenClock) -> None:
    org = crowd.org
    found = await checkin.roll_sessions(ctx, org.org_root)
    assert [(s.id, w.opens_at) for s, w in found] == [
        (crowd.session.id, START - timedelta(minutes=30))
    ]
    assert [s.id for s, _ in await checkin.roll_sessions(ctx, org.leader_root)] == [
        crowd.session.id
    ]
    assert [s.id for s, _ in await checkin.roll_sessions(ctx, org.org_ga)] == [crowd.session.id]
    assert await checkin.roll_sessions(ctx, org.sec_a1) == []
    assert await checkin.roll_sessions(ctx, org.mem_a1) == []
    await checkin.configure_checkin(
        ctx,
        org.org_root,
        crowd.session.id,
        closes_after_minutes=120,  # type: ignore[arg-type]
    )
    clock.set(START + timedelta(minutes=90))  # still open (the default would have closed)
    assert [s.id for s, _ in await checkin.roll_sessions(ctx, org.org_root)] == [crowd.session.id]
    clock.set(START + timedelta(minutes=121))
    assert await checkin.roll_sessions(ctx, org.org_root) == []
