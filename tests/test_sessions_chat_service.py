"""The pieces of services.sessions the chat flows use (/dangky, /lich): answer checks, the
pre-check of a report, who may change or see a session, its history with names, the hosts a
person can report for in a plan, and checking a new time before the reason is asked."""

from __future__ import annotations

import pytest

from services import plans, requirements, sessions
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.vn_datetime import ExactTime, MonthOnly
from storage.models import (
    ModelSession,
    Person,
    Plan,
    RequirementKind,
    SessionChangeKind,
    SessionKind,
    SessionStatus,
)
from tests.test_plans_service import Org, at, build_org, new_plan, new_session


@pytest.fixture
async def org(ctx: Ctx) -> Org:
    return await build_org(ctx)


@pytest.fixture
async def plan(ctx: Ctx, org: Org) -> Plan:
    return await new_plan(ctx, org)


async def report(
    ctx: Ctx,
    org: Org,
    actor: Person,
    plan: Plan,
    when: object,
    kind: SessionKind = SessionKind.THUONG_KY,
) -> ModelSession:
    """A session of chi bộ A1."""
    return await new_session(ctx, actor, plan, org.a1, when, kind)


def test_kinds_for_host(org: Org) -> None:
    assert sessions.kinds_for_host(org.a1) == list(SessionKind)
    assert sessions.kinds_for_host(org.ga) == [SessionKind.HOI_THAO]
    assert sessions.kinds_for_host(org.root) == [SessionKind.HOI_THAO]


def test_answer_checks() -> None:
    assert sessions.check_topic(SessionKind.CHUYEN_DE, "  Học  tập ") == "Học tập"
    assert sessions.check_topic(SessionKind.THUONG_KY, " ") is None
    assert sessions.check_venue(" Hội  trường ") == "Hội trường"
    assert sessions.check_address("Số 1 Đại Cồ Việt") == "Số 1 Đại Cồ Việt"
    assert sessions.check_reason("\u200b ") is None
    assert sessions.check_reason(" Bận ") == "Bận"
    assert sessions.check_duration(90) == 90
    for bad in (
        lambda: sessions.check_topic(SessionKind.CHUYEN_DE, "\u200b"),
        lambda: sessions.check_topic(SessionKind.CHUYEN_DE, "x" * 301),
        lambda: sessions.check_venue(""),
        lambda: sessions.check_venue("😀"),
        lambda: sessions.check_venue("a" * 201),
        lambda: sessions.check_address("🏠"),
        lambda: sessions.check_address("a" * 301),
        lambda: sessions.check_reason("x" * 501),
        lambda: sessions.check_duration(20),
    ):
        with pytest.raises(InvalidInput):
            bad()


async def test_check_report_gives_the_errors_create_would(ctx: Ctx, org: Org, plan: Plan) -> None:
    found_plan, host = await sessions.check_report(
        ctx,
        org.sec_a1,
        plan.id,  # type: ignore[arg-type]
        org.a1.id,  # type: ignore[arg-type]
        SessionKind.THUONG_KY,
    )
    assert (found_plan.id, host.id) == (plan.id, org.a1.id)
    with pytest.raises(PermissionDenied):
        await sessions.check_report(ctx, org.mem_a1, plan.id, org.a1.id, SessionKind.THUONG_KY)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        await sessions.check_report(ctx, org.org_root, plan.id, org.ga.id, SessionKind.THUONG_KY)  # type: ignore[arg-type]
    draft = await new_plan(ctx, org, number="90-KH/ĐU", issue=False)
    with pytest.raises(Conflict):
        await sessions.check_report(ctx, org.sec_a1, draft.id, org.a1.id, SessionKind.THUONG_KY)  # type: ignore[arg-type]
    plan_a = await new_plan(ctx, org, number="3-KH/ĐU", issuer=org.gb)
    with pytest.raises(InvalidInput):
        await sessions.check_report(ctx, org.org_root, plan_a.id, org.a1.id, SessionKind.THUONG_KY)  # type: ignore[arg-type]


async def test_check_report_enforces_the_quota_only_when_asked(
    ctx: Ctx, org: Org, plan: Plan
) -> None:
    await requirements.create_requirement(
        ctx,
        org.org_root,
        plan.id,  # type: ignore[arg-type]
        RequirementKind.REPORT_SESSIONS,
        "31/3/2025",
        description="Báo cáo",
        target_unit_ids=[org.ga.id],  # type: ignore[list-item]
        quota={SessionKind.THUONG_KY: 1},
    )
    await report(ctx, org, org.sec_a1, plan, at(20, 1))
    with pytest.raises(Conflict) as err:
        await sessions.check_report(ctx, org.sec_a2, plan.id, org.a2.id, SessionKind.THUONG_KY)  # type: ignore[arg-type]
    assert err.value.params["unit"] == org.ga.name
    await sessions.check_report(
        ctx,
        org.sec_a2,
        plan.id,  # type: ignore[arg-type]
        org.a2.id,  # type: ignore[arg-type]
        SessionKind.THUONG_KY,
        quota=False,
    )
    await sessions.check_report(ctx, org.sec_a2, plan.id, org.a2.id, SessionKind.CHUYEN_DE)  # type: ignore[arg-type]


async def test_who_may_change_a_session(ctx: Ctx, org: Org, plan: Plan) -> None:
    session = await report(ctx, org, org.sec_a1, plan, MonthOnly(2025, 3))
    for person, allowed in [
        (org.sec_a1, True),
        (org.dep_a1, True),
        (org.org_ga, True),
        (org.org_root, True),
        (org.mem_a1, False),
        (org.sec_a2, False),
        (org.leader_root, False),
        (None, False),
    ]:
        assert await sessions.can_change_session(ctx, person, session) is allowed
    assert (await sessions.require_can_change(ctx, org.sec_a1, session.id, firm_up=True)).id  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await sessions.require_can_change(ctx, org.mem_a1, session.id)  # type: ignore[arg-type]
    await sessions.firm_up_session(ctx, org.sec_a1, session.id, "15/3 8h")  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        await sessions.require_can_change(ctx, org.sec_a1, session.id, firm_up=True)  # type: ignore[arg-type]
    await plans.close_plan(ctx, org.org_root, plan.id)  # type: ignore[arg-type]
    assert not await sessions.can_change_session(ctx, org.sec_a1, session)
    with pytest.raises(Conflict):
        await sessions.require_can_change(ctx, org.sec_a1, session.id)  # type: ignore[arg-type]


async def test_cancelled_sessions_cannot_change(ctx: Ctx, org: Org, plan: Plan) -> None:
    session = await report(ctx, org, org.sec_a1, plan, at(20, 1))
    await sessions.cancel_session(ctx, org.sec_a1, session.id, "Mưa bão")  # type: ignore[arg-type]
    assert not await sessions.can_change_session(ctx, org.sec_a1, session)
    with pytest.raises(Conflict):
        await sessions.require_can_change(ctx, org.sec_a1, session.id)  # type: ignore[arg-type]


async def test_who_may_see_a_session_and_its_history(ctx: Ctx, org: Org, plan: Plan) -> None:
    session = await report(ctx, org, org.sec_a1, plan, at(20, 1))
    await sessions.reschedule_session(ctx, org.dep_a1, session.id, at(21, 1), reason="Bận")  # type: ignore[arg-type]
    for person in (org.sec_a1, org.mem_a1, org.org_root, org.leader_root):
        assert (await sessions.get_visible_session(ctx, person, session.id)).id == session.id  # type: ignore[arg-type]
    # Chi bộ B1 has no session and no requirement in this plan: it does not see it.
    for person in (org.sec_b1, org.mem_b1, None):
        with pytest.raises(NotFound):
            await sessions.get_visible_session(ctx, person, session.id)  # type: ignore[arg-type]
        with pytest.raises(NotFound):
            await sessions.history_for(ctx, person, session.id)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        await sessions.get_visible_session(ctx, org.sec_a1, 9999)
    history = await sessions.history_for(ctx, org.mem_a1, session.id)  # type: ignore[arg-type]
    assert [(e.change.kind, e.by_name) for e in history] == [
        (SessionChangeKind.CREATED, org.sec_a1.full_name),
        (SessionChangeKind.RESCHEDULED, org.dep_a1.full_name),
    ]
    assert history[1].change.reason == "Bận"


async def test_hosts_for_plan_stay_under_the_issuer(ctx: Ctx, org: Org) -> None:
    plan_a = await new_plan(ctx, org, number="3-KH/ĐU", issuer=org.ga)
    names = [u.id for u in await sessions.hosts_for_plan(ctx, org.org_root, plan_a.id)]  # type: ignore[arg-type]
    assert set(names) == {org.ga.id, org.a1.id, org.a2.id}  # the issuer too (a workshop)
    assert await sessions.hosts_for_plan(ctx, org.sec_b1, plan_a.id) == []  # type: ignore[arg-type]
    assert [u.id for u in await sessions.hosts_for_plan(ctx, org.sec_a1, plan_a.id)] == [org.a1.id]  # type: ignore[arg-type]


async def test_check_reschedule_changes_nothing(ctx: Ctx, org: Org, plan: Plan) -> None:
    session = await report(ctx, org, org.sec_a1, plan, at(20, 1))
    moment = await sessions.check_reschedule(ctx, org.sec_a1, session.id, "ngày mai 7h30")  # type: ignore[arg-type]
    assert isinstance(moment, ExactTime)
    assert moment.starts_at == at(7, 1, hour=7).replace(minute=30)
    assert session.starts_at == at(20, 1)
    for when, error in [
        (at(20, 1), InvalidInput),  # the same time
        ("tháng 3", InvalidInput),  # a month, once a day is fixed
        ("hôm qua 8h", InvalidInput),
    ]:
        with pytest.raises(error):
            await sessions.check_reschedule(ctx, org.sec_a1, session.id, when)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await sessions.check_reschedule(ctx, org.mem_a1, session.id, "ngày mai 8h")  # type: ignore[arg-type]
    tentative = await report(ctx, org, org.sec_a1, plan, MonthOnly(2025, 3))
    with pytest.raises(InvalidInput):
        await sessions.check_reschedule(ctx, org.sec_a1, tentative.id, "tháng 3")  # type: ignore[arg-type]
    assert await sessions.check_reschedule(ctx, org.sec_a1, tentative.id, "tháng 4") == MonthOnly(
        2025, 4
    )
    assert len(await sessions.session_history(ctx, session.id)) == 1  # type: ignore[arg-type]
    assert tentative.status == SessionStatus.TENTATIVE
