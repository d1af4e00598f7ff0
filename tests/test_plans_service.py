"""Plans: creation rules, permissions, issue/close, visibility. Also the org tree the other
plan/session/requirement/appraisal tests build on (`build_org`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from services import plans, requirements, roles, sessions, units
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.vn_datetime import VN_TZ, MonthOnly
from storage.models import (
    ModelSession,
    Person,
    Plan,
    PlanStatus,
    RequirementKind,
    Role,
    SessionKind,
    Unit,
    UnitKind,
)


@dataclass
class Org:
    root: Unit  # Đảng ủy Khối (committee)
    ga: Unit  # đảng bộ cơ sở A
    gb: Unit  # đảng bộ cơ sở B
    a1: Unit  # chi bộ under A
    a2: Unit  # chi bộ under A
    b1: Unit  # chi bộ under B
    org_root: Person  # organiser of the committee
    leader_root: Person  # leader of the committee
    org_ga: Person  # organiser of A
    sec_a1: Person
    dep_a1: Person
    mem_a1: Person
    sec_a2: Person
    sec_b1: Person
    mem_b1: Person


async def _person(ctx: Ctx, telegram_id: int, name: str) -> Person:
    person = Person(telegram_id=telegram_id, full_name=name, created_at=ctx.clock.now())
    ctx.session.add(person)
    await ctx.session.flush()
    return person


async def build_org(ctx: Ctx) -> Org:
    """committee → 2 đảng bộ cơ sở → chi bộ, with people in each role."""
    root = await units.ensure_root(ctx, "Đảng ủy Khối")
    org_root = await _person(ctx, 1, "Trần Văn Tổ")
    await roles.add_membership(ctx, org_root, root.id, Role.ORGANISER)  # type: ignore[arg-type]
    ga = await units.create_unit(ctx, org_root, root.id, "Đảng bộ Trường A", UnitKind.GRASSROOTS)  # type: ignore[arg-type]
    gb = await units.create_unit(ctx, org_root, root.id, "Đảng bộ Bệnh viện B", UnitKind.GRASSROOTS)  # type: ignore[arg-type]
    a1 = await units.create_unit(ctx, org_root, ga.id, "Chi bộ Khoa Toán", UnitKind.CELL)  # type: ignore[arg-type]
    a2 = await units.create_unit(ctx, org_root, ga.id, "Chi bộ Khoa Văn", UnitKind.CELL)  # type: ignore[arg-type]
    b1 = await units.create_unit(ctx, org_root, gb.id, "Chi bộ Khoa Nội", UnitKind.CELL)  # type: ignore[arg-type]
    people: dict[str, Person] = {}
    for tid, (key, name, unit, role) in enumerate(
        [
            ("leader_root", "Lê Thị Lãnh", root, Role.LEADER),
            ("org_ga", "Phạm Văn Tổ", ga, Role.ORGANISER),
            ("sec_a1", "Nguyễn Văn An", a1, Role.SECRETARY),
            ("dep_a1", "Đỗ Thị Bình", a1, Role.DEPUTY_SECRETARY),
            ("mem_a1", "Hoàng Văn Cường", a1, Role.MEMBER),
            ("sec_a2", "Vũ Thị Dung", a2, Role.SECRETARY),
            ("sec_b1", "Bùi Văn Em", b1, Role.SECRETARY),
            ("mem_b1", "Ngô Thị Giang", b1, Role.MEMBER),
        ],
        start=2,
    ):
        people[key] = await _person(ctx, tid, name)
        await roles.add_membership(ctx, people[key], unit.id, role)  # type: ignore[arg-type]
    return Org(root=root, ga=ga, gb=gb, a1=a1, a2=a2, b1=b1, org_root=org_root, **people)


async def new_plan(
    ctx: Ctx, org: Org, *, number: str = "82-KH/ĐU", issuer: Unit | None = None, issue: bool = True
) -> Plan:
    plan = await plans.create_plan(
        ctx,
        org.org_root,
        (issuer or org.root).id,  # type: ignore[arg-type]
        number=number,
        title="Tổ chức sinh hoạt chi bộ mẫu năm 2025",
        issued_on=date(2025, 1, 2),
        place="Hà Nội",
    )
    if issue:
        await plans.issue_plan(ctx, org.org_root, plan.id)  # type: ignore[arg-type]
    return plan


async def new_session(
    ctx: Ctx,
    actor: Person,
    plan: Plan,
    host: Unit,
    when: object,
    kind: SessionKind = SessionKind.THUONG_KY,
    **kwargs: object,
) -> ModelSession:
    """A session reported by `actor` for `host` (the created session, not the outcome)."""
    outcome = await sessions.create_session(
        ctx,
        actor,
        plan.id,  # type: ignore[arg-type]
        host.id,  # type: ignore[arg-type]
        kind,
        when,  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )
    return outcome.value


def at(day: int, month: int, hour: int = 8, year: int = 2025) -> datetime:
    """A local (Hà Nội) time as an aware datetime."""
    return datetime(year, month, day, hour, tzinfo=VN_TZ)


@pytest.fixture
async def org(ctx: Ctx) -> Org:
    return await build_org(ctx)


# --------------------------------------------------------------------------- creation


async def test_create_plan_normalises_and_stores_draft(ctx: Ctx, org: Org) -> None:
    plan = await plans.create_plan(
        ctx,
        org.org_root,
        org.root.id,  # type: ignore[arg-type]
        number="82 - kh/đu",
        title="  Tổ chức   sinh hoạt chi bộ mẫu ",
        issued_on="2/1/2025",
        place="Hà Nội",
        legal_bases="Căn cứ Điều lệ Đảng;\n\n  Căn cứ Hướng dẫn số 12-HD/BTCTW ",
    )
    assert plan.number == "82-KH/ĐU"
    assert plan.title == "Tổ chức sinh hoạt chi bộ mẫu"
    assert plan.issued_on == date(2025, 1, 2)
    assert plan.status == PlanStatus.DRAFT
    assert plan.created_by_id == org.org_root.id
    assert plans.legal_bases_of(plan) == [
        "Căn cứ Điều lệ Đảng;",
        "Căn cứ Hướng dẫn số 12-HD/BTCTW",
    ]


@pytest.mark.parametrize("who", ["sec_a1", "mem_a1", "leader_root", "org_ga"])
async def test_only_organisers_of_issuer_or_above_create_plans(
    ctx: Ctx, org: Org, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        await plans.create_plan(
            ctx,
            getattr(org, who),
            org.root.id,
            number="1-KH/ĐU",
            title="Kế hoạch",  # type: ignore[arg-type]
        )


async def test_organiser_of_ancestor_creates_plan_for_lower_unit(ctx: Ctx, org: Org) -> None:
    by_root = await plans.create_plan(ctx, org.org_root, org.ga.id, number="5-KH/ĐU", title="KH A")  # type: ignore[arg-type]
    by_ga = await plans.create_plan(ctx, org.org_ga, org.ga.id, number="6-KH/ĐU", title="KH A2")  # type: ignore[arg-type]
    assert by_root.issuer_unit_id == by_ga.issuer_unit_id == org.ga.id


async def test_number_unique_per_issuer(ctx: Ctx, org: Org) -> None:
    await new_plan(ctx, org, issue=False)
    with pytest.raises(Conflict) as err:
        await plans.create_plan(ctx, org.org_root, org.root.id, number="82-kh/đu", title="Khác")  # type: ignore[arg-type]
    assert err.value.params["plan"] == "82-KH/ĐU"
    other = await plans.create_plan(ctx, org.org_root, org.ga.id, number="82-KH/ĐU", title="Khác")  # type: ignore[arg-type]
    assert other.id is not None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("number", "KH/ĐU"),
        ("number", ""),
        ("title", "   "),
        ("issued_on", "ngày nào đó"),
        ("legal_bases", ["x" * 1001]),
    ],
)
async def test_invalid_plan_input(ctx: Ctx, org: Org, field: str, value: object) -> None:
    kwargs: dict[str, object] = {"number": "82-KH/ĐU", "title": "Kế hoạch"} | {field: value}
    with pytest.raises(InvalidInput) as err:
        await plans.create_plan(ctx, org.org_root, org.root.id, **kwargs)  # type: ignore[arg-type]
    assert err.value.msgid  # a catalog message, never free text


async def test_unreadable_date_gives_example(ctx: Ctx, org: Org) -> None:
    with pytest.raises(InvalidInput) as err:
        await plans.create_plan(
            ctx,
            org.org_root,
            org.root.id,
            number="1-KH/ĐU",
            title="KH",
            issued_on="32/13",  # type: ignore[arg-type]
        )
    assert "example" in err.value.params


# --------------------------------------------------------------------------- lifecycle


async def test_issue_then_close_and_closed_plan_refuses_changes(ctx: Ctx, org: Org) -> None:
    plan = await new_plan(ctx, org, issue=False)
    with pytest.raises(Conflict):
        await plans.close_plan(ctx, org.org_root, plan.id)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await plans.issue_plan(ctx, org.sec_a1, plan.id)  # type: ignore[arg-type]
    outcome = await plans.issue_plan(ctx, org.org_root, plan.id)  # type: ignore[arg-type]
    assert outcome.value.status == PlanStatus.ISSUED
    with pytest.raises(Conflict):
        await plans.issue_plan(ctx, org.org_root, plan.id)  # type: ignore[arg-type]
    await plans.update_plan(ctx, org.org_root, plan.id, title="Tên mới")  # type: ignore[arg-type]
    closed = await plans.close_plan(ctx, org.org_root, plan.id)  # type: ignore[arg-type]
    assert closed.status == PlanStatus.CLOSED
    with pytest.raises(Conflict):
        await plans.update_plan(ctx, org.org_root, plan.id, title="Không được")  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        await new_session(ctx, org.sec_a1, plan, org.a1, at(20, 1))


async def test_issue_notifies_concerned_secretaries(ctx: Ctx, org: Org) -> None:
    plan = await new_plan(ctx, org, issue=False)
    await new_session(ctx, org.org_root, plan, org.a1, MonthOnly(2025, 3))
    await requirements.create_requirement(
        ctx,
        org.org_root,
        plan.id,  # type: ignore[arg-type]
        RequirementKind.DOCUMENT,
        date(2025, 3, 31),
        description="Gửi tham luận",
        target_unit_ids=[org.b1.id],  # type: ignore[list-item]
    )
    outcome = await plans.issue_plan(ctx, org.org_root, plan.id)  # type: ignore[arg-type]
    told = {n.person_id for n in outcome.notices}
    assert told == {org.sec_a1.id, org.dep_a1.id, org.sec_b1.id}
    assert all(n.params["plan"] == "82-KH/ĐU" for n in outcome.notices)


async def test_draft_seen_only_by_organisers_and_leaders_of_issuer(ctx: Ctx, org: Org) -> None:
    plan = await new_plan(ctx, org, issue=False)
    await new_session(ctx, org.org_root, plan, org.a1, at(20, 1))
    assert [p.id for p in await plans.visible_plans(ctx, org.org_root)] == [plan.id]
    assert [p.id for p in await plans.visible_plans(ctx, org.leader_root)] == [plan.id]
    for who in (org.sec_a1, org.mem_a1, org.org_ga):
        assert await plans.visible_plans(ctx, who) == []
    with pytest.raises(NotFound):
        await plans.get_visible_plan(ctx, org.sec_a1, plan.id)  # type: ignore[arg-type]


async def test_issued_plan_seen_by_concerned_units_only(ctx: Ctx, org: Org) -> None:
    plan = await new_plan(ctx, org)
    await new_session(ctx, org.sec_a1, plan, org.a1, at(20, 1))
    for who in (org.sec_a1, org.mem_a1, org.org_ga, org.org_root):
        assert await plans.can_view_plan(ctx, who, plan), who.full_name
    for who in (org.sec_a2, org.sec_b1, org.mem_b1):
        assert not await plans.can_view_plan(ctx, who, plan), who.full_name
    # A requirement on đảng bộ B concerns the cells under it too.
    await requirements.create_requirement(
        ctx,
        org.org_root,
        plan.id,  # type: ignore[arg-type]
        RequirementKind.DOCUMENT,
        "31/3/2025",
        description="Gửi tham luận",
        target_unit_ids=[org.gb.id],  # type: ignore[list-item]
    )
    assert await plans.can_view_plan(ctx, org.mem_b1, plan)
    assert not await plans.can_view_plan(ctx, org.sec_a2, plan)
