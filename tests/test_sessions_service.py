"""Model sessions: permissions, time rules, overlap warnings, history, firm-up, cancel, held,
and the queries the handlers use."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import FrozenClock
from services import sessions
from services.context import Ctx
from services.errors import Conflict, InvalidInput, PermissionDenied
from services.vn_datetime import ExactTime, MonthOnly
from storage.models import (
    Plan,
    SessionChangeKind,
    SessionKind,
    SessionStatus,
)
from tests.test_plans_service import Org, at, build_org, new_plan, new_session

# The clock starts on Monday 6 January 2025, 09:00 in Hà Nội.


@pytest.fixture
async def org(ctx: Ctx) -> Org:
    return await build_org(ctx)


@pytest.fixture
async def plan(ctx: Ctx, org: Org) -> Plan:
    return await new_plan(ctx, org)


# --------------------------------------------------------------------------- permissions


@pytest.mark.parametrize("who", ["sec_a1", "dep_a1", "org_ga", "org_root"])
async def test_host_officers_and_ancestor_organisers_may_report(
    ctx: Ctx, org: Org, plan: Plan, who: str
) -> None:
    session = await new_session(ctx, getattr(org, who), plan, org.a1, at(20, 1))
    assert session.status == SessionStatus.SCHEDULED
    assert session.starts_at == at(20, 1)
    assert session.duration_minutes == 120


@pytest.mark.parametrize("who", ["sec_b1", "sec_a2", "mem_a1", "leader_root"])
async def test_others_may_not_report_or_change(ctx: Ctx, org: Org, plan: Plan, who: str) -> None:
    actor = getattr(org, who)
    with pytest.raises(PermissionDenied) as err:
        await new_session(ctx, actor, plan, org.a1, at(20, 1))
    assert err.value.params["unit"] == org.a1.name
    session = await new_session(ctx, org.sec_a1, plan, org.a1, at(20, 1))
    for change in (
        sessions.reschedule_session(ctx, actor, session.id, at(21, 1)),  # type: ignore[arg-type]
        sessions.cancel_session(ctx, actor, session.id, "Bận"),  # type: ignore[arg-type]
        sessions.update_session(ctx, actor, session.id, venue="Phòng họp"),  # type: ignore[arg-type]
    ):
        with pytest.raises(PermissionDenied):
            await change
    assert session.status == SessionStatus.SCHEDULED
    assert session.starts_at == at(20, 1)


async def test_secretary_cannot_report_in_draft_plan(ctx: Ctx, org: Org) -> None:
    draft = await new_plan(ctx, org, number="90-KH/ĐU", issue=False)
    with pytest.raises(Conflict):
        await new_session(ctx, org.sec_a1, draft, org.a1, at(20, 1))
    assert (await new_session(ctx, org.org_root, draft, org.a1, at(20, 1))).id is not None


# --------------------------------------------------------------------------- input rules


@pytest.mark.parametrize(
    "when",
    [
        at(6, 1, hour=8),  # an hour ago
        "hôm qua 8h",
        "6/1/2025 8h",
        MonthOnly(2024, 12),
        ExactTime(at(1, 1)),
    ],
)
async def test_nobody_schedules_in_the_past(ctx: Ctx, org: Org, plan: Plan, when: object) -> None:
    with pytest.raises(InvalidInput) as err:
        await new_session(ctx, org.org_root, plan, org.a1, when)
    assert "example" in err.value.params


async def test_typed_time_and_month(ctx: Ctx, org: Org, plan: Plan) -> None:
    exact = await new_session(ctx, org.sec_a1, plan, org.a1, "thứ năm 9/1 lúc 14h")
    assert exact.starts_at == at(9, 1, hour=14)
    month = await new_session(ctx, org.sec_a1, plan, org.a1, "dự kiến tháng 3")
    assert month.status == SessionStatus.TENTATIVE
    assert month.starts_at is None
    assert (month.tentative_year, month.tentative_month) == (2025, 3)
    current = await new_session(ctx, org.sec_a1, plan, org.a1, MonthOnly(2025, 1))
    assert current.status == SessionStatus.TENTATIVE


@pytest.mark.parametrize(
    ("host", "kind", "kwargs"),
    [
        ("a1", SessionKind.CHUYEN_DE, {}),  # topic required
        ("ga", SessionKind.THUONG_KY, {}),  # regular sessions are held by a chi bộ
        ("a1", SessionKind.THUONG_KY, {"duration_minutes": 20}),
        ("a1", SessionKind.THUONG_KY, {"duration_minutes": 601}),
        ("a1", SessionKind.THUONG_KY, {"location": (91.0, 105.0)}),
        ("a1", SessionKind.THUONG_KY, {"venue": "🎉"}),
    ],
)
async def test_invalid_session_input(
    ctx: Ctx, org: Org, plan: Plan, host: str, kind: SessionKind, kwargs: dict[str, object]
) -> None:
    with pytest.raises(InvalidInput):
        await new_session(ctx, org.org_root, plan, getattr(org, host), at(20, 1), kind, **kwargs)


async def test_workshop_may_be_hosted_by_the_committee(ctx: Ctx, org: Org, plan: Plan) -> None:
    session = await new_session(ctx, org.org_root, plan, org.root, at(20, 1), SessionKind.HOI_THAO)
    assert session.host_unit_id == org.root.id
    topic = await new_session(
        ctx, org.sec_a1, plan, org.a1, at(21, 1), SessionKind.CHUYEN_DE, topic="Học tập Bác"
    )
    assert topic.topic == "Học tập Bác"


async def test_host_must_be_under_the_issuer(ctx: Ctx, org: Org) -> None:
    plan_a = await new_plan(ctx, org, number="3-KH/ĐU", issuer=org.ga)
    with pytest.raises(InvalidInput):
        await new_session(ctx, org.org_root, plan_a, org.b1, at(20, 1))


# --------------------------------------------------------------------------- overlap


async def test_overlap_with_same_host_warns_but_saves(ctx: Ctx, org: Org, plan: Plan) -> None:
    first = await new_session(ctx, org.sec_a1, plan, org.a1, at(20, 1, hour=8))
    outcome = await sessions.create_session(
        ctx,
        org.sec_a1,
        plan.id,  # type: ignore[arg-type]
        org.a1.id,  # type: ignore[arg-type]
        SessionKind.CHUYEN_DE,
        at(20, 1, hour=9),
        topic="Chuyên đề",
    )
    assert outcome.value.id is not None
    assert [w.params["session_id"] for w in outcome.warnings] == [first.id]
    assert outcome.warnings[0].params["when"] == first.starts_at


async def test_no_overlap_after_end_or_other_host(ctx: Ctx, org: Org, plan: Plan) -> None:
    await new_session(ctx, org.sec_a1, plan, org.a1, at(20, 1, hour=8))  # 08:00-10:00
    later = await sessions.create_session(
        ctx,
        org.sec_a1,
        plan.id,
        org.a1.id,
        SessionKind.THUONG_KY,
        at(20, 1, hour=10),  # type: ignore[arg-type]
    )
    elsewhere = await sessions.create_session(
        ctx,
        org.sec_b1,
        plan.id,
        org.b1.id,
        SessionKind.THUONG_KY,
        at(20, 1, hour=8),  # type: ignore[arg-type]
    )
    assert later.warnings == []
    assert elsewhere.warnings == []


async def test_reschedule_onto_another_session_warns(ctx: Ctx, org: Org, plan: Plan) -> None:
    await new_session(ctx, org.sec_a1, plan, org.a1, at(20, 1, hour=8))
    second = await new_session(ctx, org.sec_a1, plan, org.a1, at(22, 1, hour=8))
    outcome = await sessions.reschedule_session(ctx, org.sec_a1, second.id, at(20, 1, hour=7))  # type: ignore[arg-type]
    assert len(outcome.warnings) == 1


# --------------------------------------------------------------------------- reschedule


async def test_reschedule_keeps_history_and_notifies(ctx: Ctx, org: Org, plan: Plan) -> None:
    session = await new_session(ctx, org.sec_a1, plan, org.a1, at(20, 1))
    outcome = await sessions.reschedule_session(
        ctx,
        org.dep_a1,
        session.id,
        "27/1 14h",
        reason="Trùng lịch họp Đảng ủy",  # type: ignore[arg-type]
    )
    assert outcome.value.starts_at == at(27, 1, hour=14)
    await sessions.reschedule_session(ctx, org.org_ga, session.id, at(28, 1, hour=14))  # type: ignore[arg-type]
    history = await sessions.session_history(ctx, session.id)  # type: ignore[arg-type]
    assert [h.kind for h in history] == [
        SessionChangeKind.CREATED,
        SessionChangeKind.RESCHEDULED,
        SessionChangeKind.RESCHEDULED,
    ]
    first_move = history[1]
    assert first_move.old_value == "2025-01-20T01:00:00+00:00"
    assert first_move.new_value == "2025-01-27T07:00:00+00:00"
    assert first_move.reason == "Trùng lịch họp Đảng ủy"
    assert first_move.by_id == org.dep_a1.id
    assert history[2].reason is None
    told = {n.person_id for n in outcome.notices}
    assert told == {org.sec_a1.id, org.mem_a1.id, org.org_root.id}  # actor left out
    notice = outcome.notices[0]
    assert notice.params["old_when"] == at(20, 1)
    assert notice.params["when"] == at(27, 1, hour=14)
    assert notice.params["reason"] == "Trùng lịch họp Đảng ủy"


async def test_reschedule_to_same_time_or_to_a_month_is_refused(
    ctx: Ctx, org: Org, plan: Plan
) -> None:
    session = await new_session(ctx, org.sec_a1, plan, org.a1, at(20, 1))
    with pytest.raises(InvalidInput):
        await sessions.reschedule_session(ctx, org.sec_a1, session.id, at(20, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        await sessions.reschedule_session(ctx, org.sec_a1, session.id, MonthOnly(2025, 2))  # type: ignore[arg-type]
    assert len(await sessions.session_history(ctx, session.id)) == 1  # type: ignore[arg-type]


async def test_tentative_session_moves_to_another_month(ctx: Ctx, org: Org, plan: Plan) -> None:
    session = await new_session(ctx, org.sec_a1, plan, org.a1, MonthOnly(2025, 3))
    await sessions.reschedule_session(ctx, org.sec_a1, session.id, "tháng 4", reason="Lùi")  # type: ignore[arg-type]
    assert (session.tentative_year, session.tentative_month) == (2025, 4)
    history = await sessions.session_history(ctx, session.id)  # type: ignore[arg-type]
    assert (history[-1].old_value, history[-1].new_value) == ("2025-03", "2025-04")


# --------------------------------------------------------------------------- firm-up


async def test_firm_up_inside_the_month(ctx: Ctx, org: Org, plan: Plan) -> None:
    session = await new_session(ctx, org.org_root, plan, org.a1, MonthOnly(2025, 3))
    outcome = await sessions.firm_up_session(ctx, org.sec_a1, session.id, "15/3 8h")  # type: ignore[arg-type]
    assert outcome.value.status == SessionStatus.SCHEDULED
    assert outcome.value.starts_at == at(15, 3)
    assert outcome.value.tentative_month is None
    assert {n.person_id for n in outcome.notices} == {
        org.dep_a1.id,
        org.mem_a1.id,
        org.org_root.id,
    }
    history = await sessions.session_history(ctx, session.id)  # type: ignore[arg-type]
    assert history[-1].kind == SessionChangeKind.FIRMED_UP
    assert history[-1].old_value == "2025-03"
    with pytest.raises(Conflict):
        await sessions.firm_up_session(ctx, org.sec_a1, session.id, "16/3 8h")  # type: ignore[arg-type]


@pytest.mark.parametrize("when", ["2/4/2025 8h", "28/2/2025 8h", "tháng 3"])
async def test_firm_up_outside_the_month_is_refused(
    ctx: Ctx, org: Org, plan: Plan, when: str
) -> None:
    session = await new_session(ctx, org.org_root, plan, org.a1, MonthOnly(2025, 3))
    with pytest.raises(InvalidInput):
        await sessions.firm_up_session(ctx, org.sec_a1, session.id, when)  # type: ignore[arg-type]
    assert session.status == SessionStatus.TENTATIVE


async def test_firm_up_month_boundary_uses_local_time(ctx: Ctx, org: Org, plan: Plan) -> None:
    # 1 March 06:00 in Hà Nội is still 28 February in UTC: it belongs to March.
    session = await new_session(ctx, org.org_root, plan, org.a1, MonthOnly(2025, 3))
    outcome = await sessions.firm_up_session(ctx, org.sec_a1, session.id, at(1, 3, hour=6))  # type: ignore[arg-type]
    assert outcome.value.starts_at is not None
    assert outcome.value.starts_at.month == 2  # stored in UTC


# --------------------------------------------------------------------------- cancel, held


async def test_cancel_needs_a_reason_and_then_freezes(ctx: Ctx, org: Org, plan: Plan) -> None:
    session = await new_session(ctx, org.sec_a1, plan, org.a1, at(20, 1))
    with pytest.raises(InvalidInput):
        await sessions.cancel_session(ctx, org.sec_a1, session.id, "   ")  # type: ignore[arg-type]
    assert session.status == SessionStatus.SCHEDULED
    outcome = await sessions.cancel_session(ctx, org.sec_a1, session.id, "Mưa bão")  # type: ignore[arg-type]
    assert outcome.value.status == SessionStatus.CANCELLED
    assert outcome.value.cancel_reason == "Mưa bão"
    assert outcome.notices[0].params["reason"] == "Mưa bão"
    for change in (
        sessions.update_session(ctx, org.sec_a1, session.id, venue="Hội trường"),  # type: ignore[arg-type]
        sessions.reschedule_session(ctx, org.sec_a1, session.id, at(21, 1)),  # type: ignore[arg-type]
        sessions.cancel_session(ctx, org.sec_a1, session.id, "Lại"),  # type: ignore[arg-type]
        sessions.firm_up_session(ctx, org.sec_a1, session.id, at(21, 1)),  # type: ignore[arg-type]
    ):
        with pytest.raises(Conflict):
            await change
    history = await sessions.session_history(ctx, session.id)  # type: ignore[arg-type]
    assert history[-1].kind == SessionChangeKind.CANCELLED
    assert history[-1].reason == "Mưa bão"


async def test_mark_held_only_once_begun_then_frozen(
    ctx: Ctx, org: Org, plan: Plan, clock: FrozenClock
) -> None:
    session = await new_session(ctx, org.sec_a1, plan, org.a1, at(20, 1))
    with pytest.raises(Conflict):
        await sessions.mark_held(ctx, org.sec_a1, session.id)  # type: ignore[arg-type]
    clock.set(at(20, 1, hour=10))
    outcome = await sessions.mark_held(ctx, org.sec_a1, session.id)  # type: ignore[arg-type]
    assert outcome.value.status == SessionStatus.HELD
    assert {n.person_id for n in outcome.notices} == {org.org_root.id}
    with pytest.raises(Conflict):
        await sessions.update_session(ctx, org.sec_a1, session.id, venue="Hội trường")  # type: ignore[arg-type]


async def test_edit_records_each_changed_field(ctx: Ctx, org: Org, plan: Plan) -> None:
    session = await new_session(ctx, org.sec_a1, plan, org.a1, at(20, 1), venue="Phòng 1")
    outcome = await sessions.update_session(
        ctx,
        org.sec_a1,
        session.id,  # type: ignore[arg-type]
        venue="Phòng 2",
        address="Số 1 Đại Cồ Việt",
        duration_minutes=120,  # unchanged: not recorded
        location=(21.0, 105.8),
    )
    assert outcome.value.venue == "Phòng 2"
    edits = [h for h in await sessions.session_history(ctx, session.id) if h.field]  # type: ignore[arg-type]
    assert {h.field for h in edits} == {"venue", "address", "latitude", "longitude"}
    venue = next(h for h in edits if h.field == "venue")
    assert (venue.old_value, venue.new_value) == ("Phòng 1", "Phòng 2")
    nothing = await sessions.update_session(ctx, org.sec_a1, session.id, venue="Phòng 2")  # type: ignore[arg-type]
    assert nothing.notices == []


# --------------------------------------------------------------------------- queries


async def test_upcoming_for_orders_and_filters(
    ctx: Ctx, org: Org, plan: Plan, clock: FrozenClock
) -> None:
    late = await new_session(ctx, org.sec_a1, plan, org.a1, at(25, 2))
    soon = await new_session(ctx, org.sec_a1, plan, org.a1, at(10, 1))
    month = await new_session(ctx, org.sec_a1, plan, org.a1, MonthOnly(2025, 2))
    gone = await new_session(ctx, org.sec_a1, plan, org.a1, at(11, 1))
    await sessions.cancel_session(ctx, org.sec_a1, gone.id, "Hoãn")  # type: ignore[arg-type]
    other = await new_session(ctx, org.sec_b1, plan, org.b1, at(12, 1))
    assert [s.id for s in await sessions.upcoming_for(ctx, org.mem_a1)] == [
        soon.id,
        month.id,
        late.id,
    ]
    assert [s.id for s in await sessions.upcoming_for(ctx, org.mem_a1, limit=2)] == [
        soon.id,
        month.id,
    ]
    # The organiser who runs the plan sees every unit's sessions.
    assert [s.id for s in await sessions.upcoming_for(ctx, org.org_root)] == [
        soon.id,
        other.id,
        month.id,
        late.id,
    ]
    assert [s.id for s in await sessions.upcoming_for(ctx, org.sec_b1)] == [other.id]
    # A session still running is upcoming; once over it is not.
    clock.set(at(10, 1, hour=9))
    assert (await sessions.upcoming_for(ctx, org.mem_a1))[0].id == soon.id
    clock.set(at(10, 1, hour=10) + timedelta(minutes=1))
    assert (await sessions.upcoming_for(ctx, org.mem_a1))[0].id == month.id


async def test_plan_sessions_and_get(ctx: Ctx, org: Org, plan: Plan) -> None:
    second = await new_session(ctx, org.sec_a1, plan, org.a1, MonthOnly(2025, 3))
    first = await new_session(ctx, org.sec_b1, plan, org.b1, at(20, 2))
    assert [s.id for s in await sessions.plan_sessions(ctx, plan.id)] == [first.id, second.id]  # type: ignore[arg-type]
    assert (await sessions.get_session(ctx, first.id)).id == first.id  # type: ignore[arg-type]


async def test_where_a_person_can_report(ctx: Ctx, org: Org, plan: Plan) -> None:
    names = lambda units: [u.id for u in units]  # noqa: E731
    assert names(await sessions.hosts_person_can_report_for(ctx, org.sec_a1)) == [org.a1.id]
    # Organisers: every unit they run, the committees too (their workshops; issue 14).
    assert set(names(await sessions.hosts_person_can_report_for(ctx, org.org_ga))) == {
        org.ga.id,
        org.a1.id,
        org.a2.id,
    }
    assert set(names(await sessions.hosts_person_can_report_for(ctx, org.org_root))) == {
        org.root.id,
        org.ga.id,
        org.gb.id,
        org.a1.id,
        org.a2.id,
        org.b1.id,
    }
    assert await sessions.hosts_person_can_report_for(ctx, org.mem_a1) == []
    draft = await new_plan(ctx, org, number="99-KH/ĐU", issue=False)
    plan_b = await new_plan(ctx, org, number="7-KH/ĐU", issuer=org.gb)
    assert [p.id for p in await sessions.plans_person_can_report_in(ctx, org.sec_a1)] == [plan.id]
    assert {p.id for p in await sessions.plans_person_can_report_in(ctx, org.sec_b1)} == {
        plan.id,
        plan_b.id,
    }
    assert {p.id for p in await sessions.plans_person_can_report_in(ctx, org.org_root)} == {
        plan.id,
        draft.id,
        plan_b.id,
    }
    assert await sessions.plans_person_can_report_in(ctx, org.mem_a1) == []
