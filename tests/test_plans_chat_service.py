"""The small service pieces the plan, requirement, document and appraisal chats use: typed
deadlines, checks before a flow asks its questions, the choices a flow offers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.clock import FrozenClock
from services import appraisal, plans, requirements, sessions
from services.context import Ctx
from services.errors import Conflict, InvalidInput, PermissionDenied
from services.requirements import FileInfo, TargetScope
from storage.models import (
    ContentStatus,
    DocumentPurpose,
    Plan,
    RequirementKind,
    SessionKind,
    UnitKind,
)
from tests.test_plans_service import Org, at, build_org, new_plan, new_session


@pytest.fixture
async def org(ctx: Ctx) -> Org:
    return await build_org(ctx)


@pytest.fixture
async def plan(ctx: Ctx, org: Org) -> Plan:
    return await new_plan(ctx, org)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("20/02/2025", date(2025, 2, 20)),
        ("trước ngày 20/2", date(2025, 2, 20)),
        ("Trước ngày 20/2/2025", date(2025, 2, 20)),
        ("hạn chót: 20/2", date(2025, 2, 20)),
        ("chậm nhất ngày 20 tháng 2", date(2025, 2, 20)),
        ("hôm nay", date(2025, 1, 6)),
    ],
)
def test_typed_deadlines(ctx: Ctx, typed: str, day: date) -> None:
    assert requirements.parse_due_day(ctx, typed) == day


@pytest.mark.parametrize(
    ("typed", "start"),
    [
        ("5/1/2025", "That date has already passed."),
        ("trước", "Please type a date"),
        ("trước hôm qua", "That date has already passed."),
        ("xyz", "I could not read that date."),
    ],
)
def test_typed_deadlines_refused(ctx: Ctx, typed: str, start: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        requirements.parse_due_day(ctx, typed)
    assert caught.value.msgid.startswith(start)


def test_deadline_objects_must_not_have_passed(ctx: Ctx, clock: FrozenClock) -> None:
    assert requirements.parse_due_day(ctx, date(2025, 1, 6)) == date(2025, 1, 6)
    clock.advance(timedelta(days=1))
    with pytest.raises(InvalidInput, match="deadline has already passed"):
        requirements.parse_due_day(ctx, date(2025, 1, 6))


async def test_create_requirement_reads_deadline_words(ctx: Ctx, org: Org, plan: Plan) -> None:
    outcome = await requirements.create_requirement(
        ctx,
        org.org_root,
        plan.id,  # type: ignore[arg-type]
        RequirementKind.DOCUMENT,
        "trước ngày 20/2",
        description="Gửi bài tham luận",
        target_unit_ids=[org.ga.id],  # type: ignore[list-item]
    )
    assert outcome.value.due_on == date(2025, 2, 20)


async def test_issuer_units(ctx: Ctx, org: Org) -> None:
    assert [u.name for u in await plans.issuer_units(ctx, org.org_root)] == ["Đảng ủy Khối"]
    assert [u.name for u in await plans.issuer_units(ctx, org.org_ga)] == ["Đảng bộ Trường A"]
    assert await plans.issuer_units(ctx, org.sec_a1) == []
    assert await plans.issuer_units(ctx, None) == []


async def test_checks_and_choices_before_a_requirement(ctx: Ctx, org: Org, plan: Plan) -> None:
    pid = plan.id
    assert pid is not None
    assert (await requirements.check_new_requirement(ctx, org.org_root, pid)).id == pid
    with pytest.raises(PermissionDenied):
        await requirements.check_new_requirement(ctx, org.org_ga, pid)
    rows = await requirements.target_choices(ctx, org.org_root, pid)
    assert [(r.unit.name, r.depth) for r in rows] == [
        ("Đảng bộ Bệnh viện B", 0),
        ("Chi bộ Khoa Nội", 1),
        ("Đảng bộ Trường A", 0),
        ("Chi bộ Khoa Toán", 1),
        ("Chi bộ Khoa Văn", 1),
    ]
    grassroots = TargetScope(org.root.id, UnitKind.GRASSROOTS)  # type: ignore[arg-type]
    shown = await requirements.preview_targets(ctx, org.org_root, pid, scope=grassroots)
    assert [u.name for u in shown] == ["Đảng bộ Bệnh viện B", "Đảng bộ Trường A"]
    cells = await requirements.preview_targets(
        ctx,
        org.org_root,
        pid,
        [org.a1.id],
        TargetScope(org.gb.id, UnitKind.CELL),  # type: ignore[list-item, arg-type]
    )
    assert [u.name for u in cells] == ["Chi bộ Khoa Toán", "Chi bộ Khoa Nội"]
    with pytest.raises(InvalidInput, match="at least one unit"):
        await requirements.preview_targets(
            ctx,
            org.org_root,
            pid,
            scope=TargetScope(org.a1.id, UnitKind.CELL),  # type: ignore[arg-type]
        )
    await plans.close_plan(ctx, org.org_root, pid)
    with pytest.raises(Conflict):
        await requirements.target_choices(ctx, org.org_root, pid)


async def test_pending_documents(ctx: Ctx, org: Org, plan: Plan) -> None:
    draft = await new_plan(ctx, org, number="90-KH/ĐU", issue=False)
    for p, due in ((plan, "20/2"), (plan, "10/2"), (draft, "1/2")):
        await requirements.create_requirement(
            ctx,
            org.org_root,
            p.id,  # type: ignore[arg-type]
            RequirementKind.DOCUMENT,
            due,
            description=f"Tham luận {due}",
            target_unit_ids=[org.ga.id, org.a1.id],  # type: ignore[list-item]
        )
    mine = await requirements.pending_documents_for(ctx, org.sec_a1)
    # Drafts are left out; the soonest deadline comes first.
    assert [(d.requirement.description, d.unit.name) for d in mine] == [
        ("Tham luận 10/2", "Chi bộ Khoa Toán"),
        ("Tham luận 20/2", "Chi bộ Khoa Toán"),
    ]
    assert [d.unit.name for d in await requirements.pending_documents_for(ctx, org.org_ga)] == [
        "Đảng bộ Trường A",
        "Đảng bộ Trường A",
    ]
    assert await requirements.pending_documents_for(ctx, org.mem_a1) == []
    first = mine[0]
    await requirements.add_document(
        ctx,
        org.sec_a1,
        plan.id,  # type: ignore[arg-type]
        org.a1.id,  # type: ignore[arg-type]
        DocumentPurpose.THAM_LUAN,
        FileInfo("F1", "U1", "tham-luan.pdf", "application/pdf", 1000),
        requirement_id=first.requirement.id,
    )
    left = await requirements.pending_documents_for(ctx, org.sec_a1)
    assert [d.requirement.description for d in left] == ["Tham luận 20/2"]


async def test_progress_plans(ctx: Ctx, org: Org, plan: Plan) -> None:
    own = await new_plan(ctx, org, number="5-KH/ĐU", issuer=org.ga)
    assert [p.number for p in await requirements.progress_plans(ctx, org.org_root)] == [
        "5-KH/ĐU",
        "82-KH/ĐU",
    ]
    assert await requirements.can_see_progress(ctx, org.leader_root, plan)
    assert [p.id for p in await requirements.progress_plans(ctx, org.org_ga)] == [own.id]
    assert await requirements.progress_plans(ctx, org.sec_a1) == []
    assert not await requirements.can_see_progress(ctx, None, plan)


async def test_hosted_sessions_and_submit_checks(
    ctx: Ctx, org: Org, plan: Plan, clock: FrozenClock
) -> None:
    pid = plan.id
    assert pid is not None
    later = (
        await sessions.create_session(
            ctx, org.sec_a1, pid, org.a1.id, SessionKind.THUONG_KY, at(28, 3)
        )
    ).value  # type: ignore[arg-type]
    soon = (
        await sessions.create_session(
            ctx, org.sec_a1, pid, org.a1.id, SessionKind.CHUYEN_DE, at(10, 1), topic="Chuyên đề"
        )
    ).value  # type: ignore[arg-type]
    other = (
        await sessions.create_session(
            ctx, org.sec_b1, pid, org.b1.id, SessionKind.THUONG_KY, at(12, 1)
        )
    ).value  # type: ignore[arg-type]
    assert [s.id for s in await appraisal.hosted_sessions(ctx, org.sec_a1)] == [soon.id, later.id]
    assert [s.id for s in await appraisal.hosted_sessions(ctx, org.dep_a1)] == [soon.id, later.id]
    assert await appraisal.hosted_sessions(ctx, org.org_root) == []
    assert (await appraisal.check_can_submit(ctx, org.sec_a1, soon.id)).id == soon.id  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await appraisal.check_can_submit(ctx, org.sec_b1, soon.id)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await appraisal.check_can_submit(ctx, None, soon.id)  # type: ignore[arg-type]
    await appraisal.submit_content(ctx, org.sec_a1, soon.id, text="Chương trình")  # type: ignore[arg-type]
    with pytest.raises(Conflict, match="already been submitted"):
        await appraisal.check_can_submit(ctx, org.sec_a1, soon.id)  # type: ignore[arg-type]
    assert [s.id for s in await appraisal.sessions_to_submit(ctx, org.sec_a1)] == [later.id]
    assert await appraisal.last_return_comment(ctx, soon.id) is None  # type: ignore[arg-type]
    await appraisal.return_content(ctx, org.org_ga, soon.id, "Bổ sung phần liên hệ")  # type: ignore[arg-type]
    assert await appraisal.last_return_comment(ctx, soon.id) == "Bổ sung phần liên hệ"  # type: ignore[arg-type]
    assert [s.id for s in await appraisal.sessions_to_submit(ctx, org.sec_a1)] == [
        soon.id,
        later.id,
    ]
    assert soon.content_status == ContentStatus.RETURNED
    # Once a session has begun it is no longer offered.
    clock.set(at(10, 1, 9))
    assert [s.id for s in await appraisal.hosted_sessions(ctx, org.sec_a1)] == [later.id]
    assert [s.id for s in await appraisal.hosted_sessions(ctx, org.sec_b1)] == [other.id]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("I. Chương trình\n1. Khai mạc", "I. Chương trình\n1. Khai mạc"),
        ("\n\n  a  \u200b b \n\n\n\nc\r\n", "a b\n\nc"),
        ("   \n \n", ""),
        (None, ""),
    ],
)
def test_clean_lines(typed: str | None, kept: str) -> None:
    from services.validation import clean_lines

    assert clean_lines(typed) == kept


async def test_submitted_content_keeps_its_lines(ctx: Ctx, org: Org, plan: Plan) -> None:
    session = await new_session(ctx, org.sec_a1, plan, org.a1, at(28, 3))
    outcome = await appraisal.submit_content(
        ctx,
        org.sec_a1,
        session.id,
        text="I. Chương trình\n\n\n1.  Khai mạc\n",  # type: ignore[arg-type]
    )
    assert outcome.value.content_text == "I. Chương trình\n\n1. Khai mạc"
