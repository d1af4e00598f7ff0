"""Requirements and deadlines: targets, session quotas, documents, status against the clock,
and the organisers' progress table."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.clock import FrozenClock
from services import requirements, sessions
from services.context import Ctx
from services.errors import Conflict, InvalidInput, PermissionDenied
from services.plans import SESSION_KIND_LABELS
from services.requirements import FileInfo, TargetScope
from services.vn_datetime import MonthOnly
from storage.models import (
    DocumentPurpose,
    Person,
    Plan,
    Requirement,
    RequirementKind,
    SessionKind,
    TargetStatus,
    Unit,
    UnitKind,
)
from tests.test_plans_service import Org, at, build_org, new_plan, new_session

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MB = 1024 * 1024


@pytest.fixture
async def org(ctx: Ctx) -> Org:
    return await build_org(ctx)


@pytest.fixture
async def plan(ctx: Ctx, org: Org) -> Plan:
    return await new_plan(ctx, org)


def a_file(name: str = "tham-luan.docx", size: int = 50_000, mime: str = DOCX) -> FileInfo:
    return FileInfo("BQACAgUAAxkBAAI", "AgADUQ", name, mime, size)


async def session_quota(ctx: Ctx, org: Org, plan: Plan, targets: list[Unit]) -> Requirement:
    outcome = await requirements.create_requirement(
        ctx,
        org.org_root,
        plan.id,  # type: ignore[arg-type]
        RequirementKind.REPORT_SESSIONS,
        date(2025, 3, 31),
        description="Mỗi đảng bộ báo cáo 1 buổi thường kỳ và 1 buổi chuyên đề",
        target_unit_ids=[u.id for u in targets],  # type: ignore[misc]
        quota={SessionKind.THUONG_KY: 1, SessionKind.CHUYEN_DE: 1},
    )
    return outcome.value


async def document_due(
    ctx: Ctx, org: Org, plan: Plan, due: date | str, units: list[Unit]
) -> Requirement:
    outcome = await requirements.create_requirement(
        ctx,
        org.org_root,
        plan.id,  # type: ignore[arg-type]
        RequirementKind.DOCUMENT,
        due,
        description="Gửi bài tham luận",
        target_unit_ids=[u.id for u in units],  # type: ignore[misc]
    )
    return outcome.value


async def send(
    ctx: Ctx, actor: Person, plan: Plan, unit: Unit, requirement: Requirement | None, **file: object
) -> None:
    await requirements.add_document(
        ctx,
        actor,
        plan.id,  # type: ignore[arg-type]
        unit.id,  # type: ignore[arg-type]
        DocumentPurpose.THAM_LUAN,
        a_file(**file),  # type: ignore[arg-type]
        requirement_id=requirement.id if requirement else None,
    )


async def statuses(ctx: Ctx, actor: Person, plan: Plan) -> dict[str, TargetStatus]:
    rows = await requirements.progress(ctx, actor, plan.id)  # type: ignore[arg-type]
    return {row.unit_name: row.status for row in rows}


# --------------------------------------------------------------------------- creation


async def test_targets_from_scope_and_list(ctx: Ctx, org: Org, plan: Plan) -> None:
    outcome = await requirements.create_requirement(
        ctx,
        org.org_root,
        plan.id,  # type: ignore[arg-type]
        RequirementKind.DOCUMENT,
        "31/3/2025",
        description="Gửi tham luận",
        scope=TargetScope(org.root.id, UnitKind.CELL),  # type: ignore[arg-type]
        target_unit_ids=[org.ga.id],  # type: ignore[list-item]
    )
    req = outcome.value
    assert req.due_on == date(2025, 3, 31)
    assert req.due_at == datetime(2025, 3, 31, 17, 0, tzinfo=UTC)  # midnight in Hà Nội
    assert req.document_purpose == DocumentPurpose.THAM_LUAN
    targets = await requirements.requirement_targets(ctx, req.id)  # type: ignore[arg-type]
    assert {t.unit_id for t in targets} == {org.ga.id, org.a1.id, org.a2.id, org.b1.id}
    assert {t.status for t in targets} == {TargetStatus.PENDING}
    # The issued plan tells each target's secretaries and organisers.
    assert {n.person_id for n in outcome.notices} == {
        org.org_ga.id,
        org.sec_a1.id,
        org.dep_a1.id,
        org.sec_a2.id,
        org.sec_b1.id,
    }


@pytest.mark.parametrize("who", ["sec_a1", "org_ga", "leader_root"])
async def test_only_plan_organisers_add_requirements(
    ctx: Ctx, org: Org, plan: Plan, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        await requirements.create_requirement(
            ctx,
            getattr(org, who),
            plan.id,  # type: ignore[arg-type]
            RequirementKind.DOCUMENT,
            date(2025, 3, 31),
            description="Gửi tham luận",
            target_unit_ids=[org.a1.id],  # type: ignore[list-item]
        )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"due_on": date(2025, 1, 5)}, "past"),
        ({"due_on": "hôm qua"}, "past"),
        ({"due_on": "tháng 5"}, "no day"),
        ({"description": "  "}, "description"),
        ({"target_unit_ids": []}, "no target"),
        ({"target_unit_ids": ["root"]}, "issuer itself"),
        ({"kind": RequirementKind.REPORT_SESSIONS, "quota": {}}, "no quota"),
        ({"kind": RequirementKind.REPORT_SESSIONS, "quota": {SessionKind.THUONG_KY: -1}}, "neg"),
        ({"quota": {SessionKind.THUONG_KY: 1}}, "quota on document"),
    ],
)
async def test_invalid_requirement_input(
    ctx: Ctx, org: Org, plan: Plan, kwargs: dict[str, object], code: str
) -> None:
    args: dict[str, object] = {
        "kind": RequirementKind.DOCUMENT,
        "due_on": date(2025, 3, 31),
        "description": "Gửi tham luận",
        "target_unit_ids": [org.a1.id],
    } | kwargs
    args["target_unit_ids"] = [
        getattr(org, u).id if isinstance(u, str) else u
        for u in args["target_unit_ids"]  # type: ignore[attr-defined]
    ]
    with pytest.raises(InvalidInput):
        await requirements.create_requirement(
            ctx,
            org.org_root,
            plan.id,  # type: ignore[arg-type]
            args.pop("kind"),  # type: ignore[arg-type]
            args.pop("due_on"),  # type: ignore[arg-type]
            **args,  # type: ignore[arg-type]
        )
    assert await requirements.plan_requirements(ctx, plan.id) == []  # type: ignore[arg-type]


async def test_target_must_be_under_the_issuer(ctx: Ctx, org: Org) -> None:
    plan_a = await new_plan(ctx, org, number="4-KH/ĐU", issuer=org.ga)
    with pytest.raises(InvalidInput) as err:
        await document_due(ctx, org, plan_a, date(2025, 3, 31), [org.b1])
    assert err.value.params["unit"] == org.b1.name


# --------------------------------------------------------------------------- quota


async def test_quota_enforced_with_what_is_missing(ctx: Ctx, org: Org, plan: Plan) -> None:
    req = await session_quota(ctx, org, plan, [org.ga, org.gb])
    await new_session(ctx, org.sec_a1, plan, org.a1, at(20, 1))
    with pytest.raises(Conflict) as err:
        await new_session(ctx, org.sec_a2, plan, org.a2, at(21, 1))
    assert err.value.params["unit"] == org.ga.name
    assert err.value.params["kind"] == SESSION_KIND_LABELS[SessionKind.THUONG_KY]
    assert err.value.params["missing_kind"] == SESSION_KIND_LABELS[SessionKind.CHUYEN_DE]
    assert err.value.params["missing_count"] == 1
    assert "{missing_kind}" in err.value.msgid
    # Another đảng bộ has its own quota; a workshop is not limited by this requirement.
    await new_session(ctx, org.sec_b1, plan, org.b1, at(21, 1))
    await new_session(ctx, org.sec_a2, plan, org.a2, at(22, 1), SessionKind.HOI_THAO)
    rows = {
        r.unit_name: r
        for r in await requirements.progress(ctx, org.org_root, plan.id)  # type: ignore[arg-type]
        if r.requirement_id == req.id
    }
    assert rows[org.ga.name].status == TargetStatus.PENDING
    assert rows[org.ga.name].missing == {SessionKind.CHUYEN_DE: 1}


async def test_quota_met_submits_and_cancel_reopens(ctx: Ctx, org: Org, plan: Plan) -> None:
    await session_quota(ctx, org, plan, [org.ga])
    await new_session(ctx, org.sec_a1, plan, org.a1, MonthOnly(2025, 2))
    outcome = await sessions.create_session(
        ctx,
        org.sec_a2,
        plan.id,  # type: ignore[arg-type]
        org.a2.id,  # type: ignore[arg-type]
        SessionKind.CHUYEN_DE,
        at(21, 1),
        topic="Học tập và làm theo Bác",
    )
    assert any(
        "{requirement}" in n.msgid and n.person_id == org.org_root.id for n in outcome.notices
    )
    assert await statuses(ctx, org.org_root, plan) == {org.ga.name: TargetStatus.SUBMITTED}
    with pytest.raises(Conflict) as err:
        await sessions.create_session(
            ctx,
            org.org_root,
            plan.id,
            org.a1.id,
            SessionKind.CHUYEN_DE,
            at(22, 1),
            topic="Khác",  # type: ignore[arg-type]
        )
    assert "nothing else is missing" in err.value.msgid
    await sessions.cancel_session(ctx, org.sec_a2, outcome.value.id, "Đổi chủ đề")  # type: ignore[arg-type]
    assert await statuses(ctx, org.org_root, plan) == {org.ga.name: TargetStatus.PENDING}
    # The freed place can be taken again.
    await sessions.create_session(
        ctx,
        org.sec_a1,
        plan.id,
        org.a1.id,
        SessionKind.CHUYEN_DE,
        at(23, 1),
        topic="Mới",  # type: ignore[arg-type]
    )
    assert await statuses(ctx, org.org_root, plan) == {org.ga.name: TargetStatus.SUBMITTED}


async def test_sessions_reported_before_the_requirement_count(
    ctx: Ctx, org: Org, plan: Plan
) -> None:
    for kind, topic in ((SessionKind.THUONG_KY, None), (SessionKind.CHUYEN_DE, "Chủ đề")):
        await sessions.create_session(
            ctx,
            org.sec_b1,
            plan.id,
            org.b1.id,
            kind,
            at(20, 1),
            topic=topic,  # type: ignore[arg-type]
        )
    await session_quota(ctx, org, plan, [org.gb])
    assert await statuses(ctx, org.org_root, plan) == {org.gb.name: TargetStatus.SUBMITTED}


# --------------------------------------------------------------------------- clock


async def test_status_moves_with_the_clock(
    ctx: Ctx, org: Org, plan: Plan, clock: FrozenClock
) -> None:
    req = await document_due(ctx, org, plan, "10/1/2025", [org.a1, org.a2, org.b1])
    await send(ctx, org.sec_b1, plan, org.b1, req)  # on time
    assert await statuses(ctx, org.org_root, plan) == {
        org.a1.name: TargetStatus.PENDING,
        org.a2.name: TargetStatus.PENDING,
        org.b1.name: TargetStatus.SUBMITTED,
    }
    clock.set(datetime(2025, 1, 10, 16, 59, tzinfo=UTC))  # 23:59 in Hà Nội: still due today
    assert (await statuses(ctx, org.org_root, plan))[org.a1.name] == TargetStatus.PENDING
    clock.advance(timedelta(minutes=1))  # midnight in Hà Nội: the deadline has passed
    assert await statuses(ctx, org.org_root, plan) == {
        org.a1.name: TargetStatus.LATE,
        org.a2.name: TargetStatus.LATE,
        org.b1.name: TargetStatus.SUBMITTED,
    }
    clock.advance(timedelta(days=2))
    await send(ctx, org.dep_a1, plan, org.a1, req)  # late
    rows = {r.unit_name: r for r in await requirements.progress(ctx, org.org_root, plan.id)}  # type: ignore[arg-type]
    assert rows[org.a1.name].status == TargetStatus.SUBMITTED
    assert rows[org.a1.name].submitted_late is True
    assert rows[org.a1.name].submitted_at == clock.now()
    assert rows[org.b1.name].submitted_late is False
    assert rows[org.a2.name].status == TargetStatus.LATE
    assert rows[org.a2.name].missing_document is True
    targets = {t.unit_id: t for t in await requirements.requirement_targets(ctx, req.id)}  # type: ignore[arg-type]
    assert requirements.target_status(targets[org.a2.id], req, clock.now()) == TargetStatus.LATE  # type: ignore[index]
    assert requirements.submitted_late(targets[org.a1.id], req)  # type: ignore[index]


# --------------------------------------------------------------------------- documents


@pytest.mark.parametrize(
    ("name", "size", "mime"),
    [
        ("tham-luan.exe", 1000, "application/octet-stream"),
        ("tham-luan", 1000, DOCX),
        ("anh.jpg", 1000, "image/jpeg"),
        ("tham-luan.pdf", 1000, "image/jpeg"),
        ("tham-luan.docx", 20 * MB + 1, DOCX),
        ("tham-luan.docx", 0, DOCX),
    ],
)
async def test_document_type_and_size_refused(
    ctx: Ctx, org: Org, plan: Plan, name: str, size: int, mime: str
) -> None:
    req = await document_due(ctx, org, plan, date(2025, 3, 31), [org.a1])
    with pytest.raises(InvalidInput):
        await send(ctx, org.sec_a1, plan, org.a1, req, name=name, size=size, mime=mime)
    assert await requirements.requirement_documents(ctx, req.id) == []  # type: ignore[arg-type]
    assert await statuses(ctx, org.org_root, plan) == {org.a1.name: TargetStatus.PENDING}


@pytest.mark.parametrize(
    ("name", "size", "mime"),
    [
        ("Tham luận.DOCX", 20 * MB, DOCX),
        ("tham-luan.pdf", 1000, "application/pdf"),
        ("tham-luan.doc", 1000, "application/msword"),
        ("tham-luan.txt", 1000, "text/plain"),
        ("tham-luan.docx", 1000, ""),
    ],
)
async def test_document_types_accepted(
    ctx: Ctx, org: Org, plan: Plan, name: str, size: int, mime: str
) -> None:
    req = await document_due(ctx, org, plan, date(2025, 3, 31), [org.a1])
    await send(ctx, org.sec_a1, plan, org.a1, req, name=name, size=size, mime=mime)
    docs = await requirements.requirement_documents(ctx, req.id)  # type: ignore[arg-type]
    assert [(d.file_name, d.size, d.uploaded_by_id) for d in docs] == [(name, size, org.sec_a1.id)]
    assert await statuses(ctx, org.org_root, plan) == {org.a1.name: TargetStatus.SUBMITTED}


async def test_document_permissions_and_targets(ctx: Ctx, org: Org, plan: Plan) -> None:
    req = await document_due(ctx, org, plan, date(2025, 3, 31), [org.a1])
    for who in (org.mem_a1, org.sec_b1, org.sec_a2):
        with pytest.raises(PermissionDenied):
            await send(ctx, who, plan, org.a1, req)
    with pytest.raises(Conflict):  # not asked of chi bộ Khoa Nội
        await send(ctx, org.sec_b1, plan, org.b1, req)
    await send(ctx, org.org_ga, plan, org.a1, req)  # organiser above the unit
    assert await statuses(ctx, org.org_root, plan) == {org.a1.name: TargetStatus.SUBMITTED}


# --------------------------------------------------------------------------- progress


async def test_progress_rows_and_who_sees_them(ctx: Ctx, org: Org, plan: Plan) -> None:
    sessions_req = await session_quota(ctx, org, plan, [org.ga, org.gb])
    doc_req = await document_due(ctx, org, plan, date(2025, 2, 28), [org.a1, org.b1])
    await sessions.create_session(
        ctx,
        org.sec_b1,
        plan.id,
        org.b1.id,
        SessionKind.CHUYEN_DE,
        at(20, 1),
        topic="Chủ đề",  # type: ignore[arg-type]
    )
    rows = await requirements.progress(ctx, org.org_root, plan.id)  # type: ignore[arg-type]
    assert [(r.requirement_id, r.unit_name) for r in rows] == [
        (doc_req.id, org.b1.name),  # due first; "Chi bộ Khoa Nội" < "Chi bộ Khoa Toán"
        (doc_req.id, org.a1.name),
        (sessions_req.id, org.gb.name),  # "Đảng bộ Bệnh viện B" < "Đảng bộ Trường A"
        (sessions_req.id, org.ga.name),
    ]
    by_unit = {r.unit_name: r for r in rows if r.requirement_id == sessions_req.id}
    assert by_unit[org.ga.name].missing == {SessionKind.THUONG_KY: 1, SessionKind.CHUYEN_DE: 1}
    assert by_unit[org.gb.name].missing == {SessionKind.THUONG_KY: 1}
    assert all(r.status == TargetStatus.PENDING for r in rows)
    assert rows[0].due_on == date(2025, 2, 28)
    # The leader of the issuing unit sees everything; an organiser below sees their units only.
    assert len(await requirements.progress(ctx, org.leader_root, plan.id)) == 4  # type: ignore[arg-type]
    mine = await requirements.progress(ctx, org.org_ga, plan.id)  # type: ignore[arg-type]
    assert {r.unit_name for r in mine} == {org.a1.name, org.ga.name}
    for who in (org.sec_a1, org.mem_b1):
        with pytest.raises(PermissionDenied):
            await requirements.progress(ctx, who, plan.id)  # type: ignore[arg-type]
