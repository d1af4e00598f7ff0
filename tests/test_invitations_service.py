"""Invitations: preview, idempotent sending, the formal invitation notices, answers (accept,
decline with a reason, change of mind until the start), permissions and refused states."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from core.clock import FrozenClock
from core.i18n import Lang, Msgid
from services import invitations, participants, plans, sessions
from services.context import Ctx
from services.errors import Conflict, InvalidInput, PermissionDenied
from services.notifications import render
from services.vn_datetime import MonthOnly
from storage.models import Invitation, InvitationStatus, Role, SessionKind
from tests.test_participants_service import Crowd, build_crowd, member, person
from tests.test_plans_service import at


@pytest.fixture
async def crowd(ctx: Ctx) -> Crowd:
    return await build_crowd(ctx)


async def send_all(ctx: Ctx, crowd: Crowd) -> list[int]:
    return (await invitations.send(ctx, crowd.org.org_root, crowd.session.id)).value  # type: ignore[arg-type]


async def invitation_of(ctx: Ctx, crowd: Crowd, person_id: int) -> Invitation:
    result = await ctx.session.exec(
        select(Invitation).where(
            Invitation.session_id == crowd.session.id, Invitation.person_id == person_id
        )
    )
    return result.one()


# --------------------------------------------------------------------------- preview and send


async def test_preview_counts_per_category(ctx: Ctx, crowd: Crowd) -> None:
    preview = await invitations.preview(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    assert [(c.category_id, c.people, c.new, c.repeated) for c in preview.categories] == [
        (crowd.categories[0].id, 12, 12, 0),
        (crowd.categories[1].id, 10, 10, 1),
        (crowd.categories[2].id, 8, 8, 1),
    ]
    assert [c.label for c in preview.categories] == [c.label for c in crowd.categories]
    assert (preview.total, preview.new, preview.already_invited) == (30, 30, 0)
    assert (await ctx.session.exec(select(func.count()).select_from(Invitation))).one() == 0


async def test_send_twice_reaches_only_new_people(ctx: Ctx, crowd: Crowd) -> None:
    first = await invitations.send(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    assert len(first.value) == len(set(first.value)) == 30
    assert sorted(n.person_id for n in first.notices) == sorted(p.id for p in crowd.invitees)  # type: ignore[type-var]
    assert [n.params["invitation_id"] for n in first.notices] == first.value
    rows = (await ctx.session.exec(select(Invitation))).all()
    assert len(rows) == 30
    assert {r.status for r in rows} == {InvitationStatus.INVITED}
    by_person = {r.person_id: r for r in rows}
    assert by_person[crowd.org.sec_a1.id].category_id == crowd.categories[0].id  # type: ignore[index]
    assert by_person[crowd.committee[-1].id].category_id == crowd.categories[1].id  # type: ignore[index]
    assert by_person[crowd.named[1].id].category_id == crowd.categories[2].id  # type: ignore[index]
    assert all(r.invited_by_id == crowd.org.org_root.id for r in rows)

    again = await invitations.send(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    assert (again.value, again.notices) == ([], [])

    newcomer = await person(ctx, 500, "Trịnh Văn Mới", "Ủy viên BCH")
    await member(ctx, newcomer, crowd.org.root, Role.COMMITTEE_MEMBER)
    preview = await invitations.preview(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    assert [c.new for c in preview.categories] == [0, 1, 0]
    assert (preview.total, preview.new, preview.already_invited) == (31, 1, 30)
    third = await invitations.send(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    assert [n.person_id for n in third.notices] == [newcomer.id]
    assert len(third.value) == 1
    assert (await invitation_of(ctx, crowd, newcomer.id)).category_id == crowd.categories[1].id  # type: ignore[arg-type]


async def test_concurrent_send_does_not_invite_twice(
    ctx: Ctx, crowd: Crowd, monkeypatch: pytest.MonkeyPatch
) -> None:
    await send_all(ctx, crowd)

    async def nobody_yet(_ctx: Ctx, _session_id: int) -> set[int]:  # another send raced us
        return set()

    monkeypatch.setattr(invitations, "_invited_ids", nobody_yet)
    outcome = await invitations.send(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    assert (outcome.value, outcome.notices) == ([], [])
    assert (await ctx.session.exec(select(func.count()).select_from(Invitation))).one() == 30


async def test_the_invitation_text(ctx: Ctx, crowd: Crowd) -> None:
    outcome = await invitations.send(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    notice = outcome.notices[0]
    assert notice.msgid == invitations.INVITATION_TEXT_NO_TOPIC  # a regular session
    params = notice.params
    assert params["plan"] == "82-KH/ĐU"
    assert params["issuer"] == crowd.org.root.name
    assert params["host"] == crowd.org.a1.name
    assert params["when"] == at(20, 1)
    assert params["venue"] == "Hội trường Khoa Toán"
    assert params["address"] == "334 Nguyễn Trãi, Thanh Xuân, Hà Nội"
    assert isinstance(params["kind"], Msgid)
    assert params["session_id"] == crowd.session.id
    for locale in ("vi", "en"):
        text = render(Lang(locale), notice.msgid, params)
        assert "Hội trường Khoa Toán" in text and "82-KH/ĐU" in text


async def test_topic_and_tentative_sessions(ctx: Ctx, crowd: Crowd) -> None:
    thematic = await sessions.create_session(
        ctx,
        crowd.org.org_root,
        crowd.plan.id,  # type: ignore[arg-type]
        crowd.org.b1.id,  # type: ignore[arg-type]
        SessionKind.CHUYEN_DE,
        "tháng 3",
        topic="Học tập và làm theo Bác",
    )
    outcome = await invitations.send(ctx, crowd.org.org_root, thematic.value.id)  # type: ignore[arg-type]
    assert len(outcome.notices) == 22  # the two plan-level categories
    notice = outcome.notices[0]
    assert notice.msgid == invitations.INVITATION_TEXT
    assert notice.params["topic"] == "Học tập và làm theo Bác"
    assert notice.params["when"] == MonthOnly(2025, 3)
    assert notice.params["venue"] == notice.params["address"] == invitations.TO_BE_ANNOUNCED
    assert "Học tập và làm theo Bác" in render(Lang("vi"), notice.msgid, notice.params)


@pytest.mark.parametrize("who", ["sec_a1", "org_ga", "leader_root", "mem_a1"])
async def test_only_organisers_of_the_issuer_preview_and_send(
    ctx: Ctx, crowd: Crowd, who: str
) -> None:
    actor = getattr(crowd.org, who)
    with pytest.raises(PermissionDenied):
        await invitations.preview(ctx, actor, crowd.session.id)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await invitations.send(ctx, actor, crowd.session.id)  # type: ignore[arg-type]
    assert (await ctx.session.exec(select(func.count()).select_from(Invitation))).one() == 0


async def test_no_invitations_for_cancelled_held_or_started_sessions(
    ctx: Ctx, crowd: Crowd, clock: FrozenClock
) -> None:
    org_root = crowd.org.org_root
    later = await sessions.create_session(
        ctx,
        org_root,
        crowd.plan.id,
        crowd.org.b1.id,
        SessionKind.THUONG_KY,
        at(27, 1),  # type: ignore[arg-type]
    )
    await sessions.cancel_session(ctx, org_root, later.value.id, "Trùng lịch")  # type: ignore[arg-type]
    for call in (invitations.preview, invitations.send):
        with pytest.raises(Conflict):
            await call(ctx, org_root, later.value.id)  # type: ignore[arg-type]
    clock.set(at(20, 1) + timedelta(minutes=5))
    with pytest.raises(Conflict):  # started
        await invitations.send(ctx, org_root, crowd.session.id)  # type: ignore[arg-type]
    await sessions.mark_held(ctx, org_root, crowd.session.id)  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        await invitations.preview(ctx, org_root, crowd.session.id)  # type: ignore[arg-type]
    assert (await ctx.session.exec(select(func.count()).select_from(Invitation))).one() == 0


async def test_no_invitations_before_the_plan_is_issued(ctx: Ctx, crowd: Crowd) -> None:
    draft = await plans.create_plan(
        ctx,
        crowd.org.org_root,
        crowd.org.root.id,
        number="90-KH/ĐU",
        title="Kế hoạch nháp",  # type: ignore[arg-type]
    )
    session = await sessions.create_session(
        ctx,
        crowd.org.org_root,
        draft.id,
        crowd.org.a1.id,
        SessionKind.THUONG_KY,
        at(20, 1),  # type: ignore[arg-type]
    )
    with pytest.raises(Conflict) as err:
        await invitations.send(ctx, crowd.org.org_root, session.value.id)  # type: ignore[arg-type]
    assert err.value.params["plan"] == "90-KH/ĐU"


async def test_deleted_category_keeps_its_invitations(ctx: Ctx, crowd: Crowd) -> None:
    await send_all(ctx, crowd)
    await participants.delete_category(ctx, crowd.org.org_root, crowd.categories[2].id)  # type: ignore[arg-type]
    guest = await invitation_of(ctx, crowd, crowd.named[1].id)  # type: ignore[arg-type]
    assert guest.category_id is None
    preview = await invitations.preview(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    assert (preview.total, preview.new, preview.already_invited) == (22, 0, 30)


# --------------------------------------------------------------------------- answers


async def test_accept_decline_and_change_of_mind(
    ctx: Ctx, crowd: Crowd, clock: FrozenClock
) -> None:
    await send_all(ctx, crowd)
    guest = crowd.named[1]
    inv = await invitation_of(ctx, crowd, guest.id)  # type: ignore[arg-type]

    accepted = await invitations.answer(ctx, guest, inv.id, True)  # type: ignore[arg-type]
    assert (accepted.status, accepted.decline_reason) == (InvitationStatus.ACCEPTED, None)
    assert accepted.answered_at == clock.now()

    for empty in (None, "", "   "):
        with pytest.raises(InvalidInput):
            await invitations.answer(ctx, guest, inv.id, False, empty)  # type: ignore[arg-type]
    assert inv.status == InvitationStatus.ACCEPTED

    clock.advance(timedelta(days=1))
    declined = await invitations.answer(ctx, guest, inv.id, False, "  Đi công tác  Đà Nẵng ")  # type: ignore[arg-type]
    assert (declined.status, declined.decline_reason) == (
        InvitationStatus.DECLINED,
        "Đi công tác Đà Nẵng",
    )
    assert declined.answered_at == clock.now()
    assert guest.id not in await invitations.invitee_ids(ctx, crowd.session.id)  # type: ignore[arg-type]

    again = await invitations.answer(ctx, guest, inv.id, True, "ignored")  # type: ignore[arg-type]
    assert (again.status, again.decline_reason) == (InvitationStatus.ACCEPTED, None)

    with pytest.raises(InvalidInput):  # too long
        await invitations.answer(ctx, guest, inv.id, False, "x" * 501)  # type: ignore[arg-type]


async def test_only_the_invitee_answers(ctx: Ctx, crowd: Crowd) -> None:
    await send_all(ctx, crowd)
    inv = await invitation_of(ctx, crowd, crowd.named[1].id)  # type: ignore[arg-type]
    for other in (crowd.named[2], crowd.org.org_root):
        with pytest.raises(PermissionDenied):
            await invitations.answer(ctx, other, inv.id, True)  # type: ignore[arg-type]
    assert inv.status == InvitationStatus.INVITED


async def test_no_answers_after_the_start_or_for_cancelled_sessions(
    ctx: Ctx, crowd: Crowd, clock: FrozenClock
) -> None:
    await send_all(ctx, crowd)
    guest = crowd.named[1]
    inv = await invitation_of(ctx, crowd, guest.id)  # type: ignore[arg-type]
    clock.set(at(20, 1) - timedelta(minutes=1))
    await invitations.answer(ctx, guest, inv.id, False, "Ốm")  # type: ignore[arg-type]
    clock.set(at(20, 1))
    with pytest.raises(Conflict):
        await invitations.answer(ctx, guest, inv.id, True)  # type: ignore[arg-type]
    assert (inv.status, inv.decline_reason) == (InvitationStatus.DECLINED, "Ốm")

    clock.set(at(6, 1, hour=10))
    other = await sessions.create_session(
        ctx,
        crowd.org.org_root,
        crowd.plan.id,
        crowd.org.b1.id,
        SessionKind.THUONG_KY,
        at(27, 1),  # type: ignore[arg-type]
    )
    await invitations.send(ctx, crowd.org.org_root, other.value.id)  # type: ignore[arg-type]
    await sessions.cancel_session(ctx, crowd.org.org_root, other.value.id, "Trùng lịch")  # type: ignore[arg-type]
    result = await ctx.session.exec(
        select(Invitation).where(
            Invitation.session_id == other.value.id, Invitation.person_id == crowd.org.sec_b1.id
        )
    )
    with pytest.raises(Conflict):
        await invitations.answer(ctx, crowd.org.sec_b1, result.one().id, True)  # type: ignore[arg-type]


async def test_my_invitations_lists_upcoming_ones(
    ctx: Ctx, crowd: Crowd, clock: FrozenClock
) -> None:
    await send_all(ctx, crowd)
    mine = await invitations.my_invitations(ctx, crowd.org.sec_a1)
    assert [m.session.id for m in mine] == [crowd.session.id]
    assert mine[0].invitation.person_id == crowd.org.sec_a1.id
    clock.set(at(20, 1) + timedelta(minutes=1))
    assert await invitations.my_invitations(ctx, crowd.org.sec_a1) == []
