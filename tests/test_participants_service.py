"""Participant categories: rules by roles in units, committee members, the host unit's members,
named people; resolution with de-duplication; roles nobody holds yet; permissions.

Also the crowd the invitation, check-in and roll tests build on (`build_crowd`): 30 invitees
in three categories."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from services import participants, roles, sessions, units
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from storage.models import (
    ModelSession,
    ParticipantCategory,
    Person,
    Plan,
    Role,
    SessionKind,
    Unit,
    UnitKind,
)
from tests.test_plans_service import Org, at, build_org, new_plan, new_session


@dataclass
class Crowd:
    org: Org
    plan: Plan
    session: ModelSession  # regular session of chi bộ Khoa Toán (a1), 20/1/2025 08:00
    cells: list[Unit]  # the four extra cells, each with a secretary and a deputy
    officers: list[Person]  # secretaries and deputies of every cell (12)
    committee: list[Person]  # committee members of the root (11, sec_a1 among them)
    named: list[Person]  # named guests of honour (9, one of them a committee member)
    categories: list[ParticipantCategory] = field(default_factory=list)

    @property
    def invitees(self) -> list[Person]:
        """The 30 people the categories bring, each once."""
        seen: dict[int, Person] = {}
        for p in [*self.officers, *self.committee, *self.named]:
            seen.setdefault(p.id, p)  # type: ignore[arg-type]
        return list(seen.values())


async def person(ctx: Ctx, telegram_id: int, name: str, position: str = "") -> Person:
    p = Person(
        telegram_id=telegram_id, full_name=name, position=position, created_at=ctx.clock.now()
    )
    ctx.session.add(p)
    await ctx.session.flush()
    return p


async def member(ctx: Ctx, p: Person, unit: Unit, role: Role) -> None:
    await roles.add_membership(ctx, p, unit.id, role)  # type: ignore[arg-type]


async def build_crowd(ctx: Ctx) -> Crowd:
    org = await build_org(ctx)
    plan = await new_plan(ctx, org)
    session = await new_session(
        ctx,
        org.org_root,
        plan,
        org.a1,
        at(20, 1),
        venue="Hội trường Khoa Toán",
        address="334 Nguyễn Trãi, Thanh Xuân, Hà Nội",
    )
    cells: list[Unit] = []
    officers = [org.sec_a1, org.dep_a1, org.sec_a2, org.sec_b1]
    tid = 100
    for parent, name in [(org.ga, "Lý"), (org.ga, "Hóa"), (org.gb, "Ngoại"), (org.gb, "Sản")]:
        cell = await units.create_unit(
            ctx,
            org.org_root,
            parent.id,  # type: ignore[arg-type]
            f"Chi bộ Khoa {name}",
            UnitKind.CELL,
        )
        cells.append(cell)
        for role, title in [(Role.SECRETARY, "Bí thư"), (Role.DEPUTY_SECRETARY, "Phó Bí thư")]:
            tid += 1
            p = await person(ctx, tid, f"{title} Khoa {name}", f"{title} chi bộ")
            await member(ctx, p, cell, role)
            officers.append(p)
    committee = [org.sec_a1]
    for i in range(10):
        tid += 1
        p = await person(ctx, tid, f"Ủy viên Số {i + 1:02d}", "Ủy viên BCH")
        committee.append(p)
    for p in committee:
        await member(ctx, p, org.root, Role.COMMITTEE_MEMBER)
    named = [committee[-1]]
    for i in range(8):
        tid += 1
        named.append(await person(ctx, tid, f"Khách Mời {i + 1:02d}", "Đại biểu"))
    crowd = Crowd(org, plan, session, cells, officers, committee, named)
    crowd.categories = [
        await participants.add_category(
            ctx,
            org.org_root,
            plan.id,  # type: ignore[arg-type]
            "Bí thư, phó bí thư các chi bộ trực thuộc",
            roles=[Role.SECRETARY, Role.DEPUTY_SECRETARY],
            unit_kind=UnitKind.CELL,
        ),
        await participants.add_category(
            ctx,
            org.org_root,
            plan.id,  # type: ignore[arg-type]
            "Ủy viên Ban Chấp hành Đảng ủy",
            roles=[Role.COMMITTEE_MEMBER],
            unit_id=org.root.id,
        ),
        await participants.add_category(
            ctx,
            org.org_root,
            plan.id,  # type: ignore[arg-type]
            "Đại biểu khách mời",
            session_id=session.id,
            person_ids=[p.id for p in named],  # type: ignore[misc]
        ),
    ]
    return crowd


@pytest.fixture
async def crowd(ctx: Ctx) -> Crowd:
    return await build_crowd(ctx)


def ids(people: list[Person]) -> list[int]:
    return [p.id for p in people]  # type: ignore[misc]


# --------------------------------------------------------------------------- resolution


async def test_thirty_invitees_in_three_categories_each_once(ctx: Ctx, crowd: Crowd) -> None:
    resolved = await participants.resolve(ctx, crowd.session.id)  # type: ignore[arg-type]
    assert [r.category.id for r in resolved] == [c.id for c in crowd.categories]
    assert [len(r.people) for r in resolved] == [12, 10, 8]
    assert [r.repeated for r in resolved] == [0, 1, 1]
    assert all(r.defined for r in resolved)
    assert resolved[0].roles == (Role.SECRETARY, Role.DEPUTY_SECRETARY)
    everyone = [p.id for r in resolved for p in r.people]
    assert len(everyone) == len(set(everyone)) == 30
    assert set(everyone) == set(ids(crowd.invitees))
    # sec_a1 is also a committee member: attributed to the first category only.
    assert crowd.org.sec_a1.id in ids(resolved[0].people)
    assert crowd.org.sec_a1.id not in ids(resolved[1].people)
    # the committee member named as a guest stays with the committee.
    assert crowd.committee[-1].id in ids(resolved[1].people)
    assert crowd.committee[-1].id not in ids(resolved[2].people)
    # not invited: plain members, organisers, leaders
    for outsider in (crowd.org.mem_a1, crowd.org.mem_b1, crowd.org.org_ga, crowd.org.leader_root):
        assert outsider.id not in everyone


async def test_session_categories_apply_to_their_session_only(ctx: Ctx, crowd: Crowd) -> None:
    other = await sessions.create_session(
        ctx,
        crowd.org.org_root,
        crowd.plan.id,  # type: ignore[arg-type]
        crowd.org.b1.id,  # type: ignore[arg-type]
        SessionKind.THUONG_KY,
        at(27, 1),
    )
    resolved = await participants.resolve(ctx, other.value.id)  # type: ignore[arg-type]
    assert [len(r.people) for r in resolved] == [12, 10]


async def test_missing_roles_are_listed_once_by_unit(ctx: Ctx, crowd: Crowd) -> None:
    gaps = await participants.missing(ctx, crowd.session.id)  # type: ignore[arg-type]
    # by unit name: Khoa Nội before Khoa Văn
    assert [(m.unit_id, m.role) for m in gaps] == [
        (crowd.org.b1.id, Role.DEPUTY_SECRETARY),
        (crowd.org.a2.id, Role.DEPUTY_SECRETARY),
    ]
    assert {m.category_id for m in gaps} == {crowd.categories[0].id}
    assert {m.unit_name for m in gaps} == {crowd.org.a2.name, crowd.org.b1.name}
    # once the deputy of Khoa Văn joins, only Khoa Nội is missing
    await member(ctx, crowd.org.mem_a1, crowd.org.a2, Role.DEPUTY_SECRETARY)
    gaps = await participants.missing(ctx, crowd.session.id)  # type: ignore[arg-type]
    assert [(m.unit_id, m.role) for m in gaps] == [(crowd.org.b1.id, Role.DEPUTY_SECRETARY)]


async def test_host_unit_members_follow_the_session(ctx: Ctx) -> None:
    org = await build_org(ctx)
    plan = await new_plan(ctx, org)
    empty = await units.create_unit(ctx, org.org_root, org.ga.id, "Chi bộ Mới", UnitKind.CELL)  # type: ignore[arg-type]
    await participants.add_category(
        ctx,
        org.org_root,
        plan.id,  # type: ignore[arg-type]
        "Đảng viên chi bộ chủ trì",
        host_unit=True,
    )
    found: dict[str, set[int]] = {}
    for host in (org.a1, org.b1, empty):
        session = await sessions.create_session(
            ctx,
            org.org_root,
            plan.id,
            host.id,
            SessionKind.THUONG_KY,
            at(20, 1),  # type: ignore[arg-type]
        )
        (resolved,) = await participants.resolve(ctx, session.value.id)  # type: ignore[arg-type]
        found[host.name] = set(ids(resolved.people))
        gaps = await participants.missing(ctx, session.value.id)  # type: ignore[arg-type]
        if host is empty:
            assert [(m.unit_id, m.role) for m in gaps] == [(empty.id, Role.MEMBER)]
        else:
            assert gaps == []
    assert found[org.a1.name] == {org.sec_a1.id, org.dep_a1.id, org.mem_a1.id}
    assert found[org.b1.name] == {org.sec_b1.id, org.mem_b1.id}
    assert found[empty.name] == set()


async def test_roles_in_cells_under_one_unit(ctx: Ctx, crowd: Crowd) -> None:
    await participants.add_category(
        ctx,
        crowd.org.org_root,
        crowd.plan.id,  # type: ignore[arg-type]
        "Bí thư các chi bộ thuộc Đảng bộ Trường A",
        session_id=crowd.session.id,
        roles=[Role.SECRETARY],
        unit_id=crowd.org.ga.id,
        unit_kind=UnitKind.CELL,
    )
    resolved = await participants.resolve(ctx, crowd.session.id)  # type: ignore[arg-type]
    # all of them were already in the first category
    assert resolved[-1].people == []
    assert resolved[-1].repeated == 4  # a1, a2 and the two new cells under A


async def test_label_only_category_then_a_rule(ctx: Ctx, crowd: Crowd) -> None:
    imported = ParticipantCategory(
        plan_id=crowd.plan.id,  # type: ignore[arg-type]
        label="Lãnh đạo Đảng ủy",
        position=10,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(imported)
    await ctx.session.flush()
    resolved = await participants.resolve(ctx, crowd.session.id)  # type: ignore[arg-type]
    assert resolved[-1].category.id == imported.id
    assert (resolved[-1].defined, resolved[-1].people) == (False, [])
    await participants.set_rule(
        ctx,
        crowd.org.org_root,
        imported.id,  # type: ignore[arg-type]
        roles=[Role.LEADER],
        unit_id=crowd.org.root.id,
    )
    resolved = await participants.resolve(ctx, crowd.session.id)  # type: ignore[arg-type]
    assert ids(resolved[-1].people) == [crowd.org.leader_root.id]
    assert resolved[-1].roles == (Role.LEADER,)


async def test_named_people_added_and_removed(ctx: Ctx, crowd: Crowd) -> None:
    category = crowd.categories[2]
    actor = crowd.org.org_root
    assert await participants.add_people(ctx, actor, category.id, [crowd.org.mem_b1.id]) == 1  # type: ignore[arg-type, list-item]
    assert await participants.add_people(ctx, actor, category.id, [crowd.org.mem_b1.id]) == 0  # type: ignore[arg-type, list-item]
    resolved = await participants.resolve(ctx, crowd.session.id)  # type: ignore[arg-type]
    assert crowd.org.mem_b1.id in ids(resolved[2].people)
    assert await participants.remove_person(ctx, actor, category.id, crowd.org.mem_b1.id)  # type: ignore[arg-type]
    resolved = await participants.resolve(ctx, crowd.session.id)  # type: ignore[arg-type]
    assert crowd.org.mem_b1.id not in ids(resolved[2].people)
    with pytest.raises(NotFound):
        await participants.add_people(ctx, actor, category.id, [999_999])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- rules and rights


@pytest.mark.parametrize("who", ["sec_a1", "org_ga", "leader_root", "mem_a1"])
async def test_only_organisers_of_the_issuer_change_categories(
    ctx: Ctx, crowd: Crowd, who: str
) -> None:
    actor = getattr(crowd.org, who)
    with pytest.raises(PermissionDenied):
        await participants.add_category(ctx, actor, crowd.plan.id, "Khách", roles=[Role.MEMBER])  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await participants.set_rule(ctx, actor, crowd.categories[0].id, roles=[Role.MEMBER])  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await participants.delete_category(ctx, actor, crowd.categories[0].id)  # type: ignore[arg-type]
    resolved = await participants.resolve(ctx, crowd.session.id)  # type: ignore[arg-type]
    assert [len(r.people) for r in resolved] == [12, 10, 8]


async def test_units_outside_the_plans_tree_are_refused(ctx: Ctx) -> None:
    org = await build_org(ctx)
    plan_a = await new_plan(ctx, org, number="3-KH/ĐU", issuer=org.ga)
    with pytest.raises(InvalidInput) as err:
        await participants.add_category(
            ctx,
            org.org_root,
            plan_a.id,
            "Bí thư Khoa Nội",
            roles=[Role.SECRETARY],
            unit_id=org.b1.id,  # type: ignore[arg-type]
        )
    assert err.value.params["unit"] == org.b1.name
    # the committee above the issuer may be named
    above = await participants.add_category(
        ctx,
        org.org_root,
        plan_a.id,
        "Lãnh đạo Đảng ủy Khối",
        roles=[Role.LEADER],
        unit_id=org.root.id,  # type: ignore[arg-type]
    )
    assert above.id is not None
    with pytest.raises(InvalidInput):
        await participants.add_category(ctx, org.org_root, plan_a.id, "   ")  # type: ignore[arg-type]


async def test_no_categories_for_cancelled_sessions(ctx: Ctx, crowd: Crowd) -> None:
    await sessions.cancel_session(ctx, crowd.org.org_root, crowd.session.id, "Trùng lịch")  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        await participants.add_category(
            ctx,
            crowd.org.org_root,
            crowd.plan.id,  # type: ignore[arg-type]
            "Khách",
            session_id=crowd.session.id,
        )
    with pytest.raises(Conflict):
        await participants.add_people(
            ctx,
            crowd.org.org_root,
            crowd.categories[2].id,
            [crowd.org.mem_a1.id],  # type: ignore[arg-type, list-item]
        )
