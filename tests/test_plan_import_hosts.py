"""Matching drafted hosts to the unit tree (name and parent), past parts, requirement quotas."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services import people, roles, units
from services.context import Ctx
from services.plan_import.apply import _requirement_shape, draft_hosts, past_parts
from services.plan_import.hosts import normalise_name
from services.plan_import.model import DeadlineDraft, PlanDraft, SessionDraft
from storage.models import Role, SessionKind, UnitKind


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Chi bộ 01", "chi bộ 1"),
        ("Chi bộ số 4", "Chi bộ 4"),
        ("Đảng uỷ xã Thuỷ An", "Đảng ủy xã Thủy An"),
        ("Chi bộ thôn Hoà Bình", "Chi bộ thôn Hòa Bình"),
        ("Đảng bộ Trường Lý Tự Trọng Tp Hồ Chí Minh", "Đảng bộ Trường Lý Tự Trọng TP. Hồ Chí Minh"),
    ],
)
def test_spellings_of_one_name_match(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Chi bộ 1", "Chi bộ 11"), ("Chi bộ Khu 1", "Chi bộ Khu 10"), ("Tổ 1", "Tổ 2")],
)
def test_different_names_do_not(a: str, b: str) -> None:
    assert normalise_name(a) != normalise_name(b)
    assert normalise_name("sinh hoạt") == "sinh hoạt"  # "oạt" is not an old tone placement


async def test_the_parent_tells_two_cells_of_the_same_name_apart(ctx: Ctx) -> None:
    root = await units.ensure_root(ctx, "Huyện ủy")
    admin = await people.ensure_person(ctx, 1)
    await roles.add_membership(ctx, admin, root.id, Role.ORGANISER)  # type: ignore[arg-type]
    a = await units.create_unit(ctx, admin, root.id, "Đảng bộ xã A", UnitKind.GRASSROOTS)  # type: ignore[arg-type]
    b = await units.create_unit(ctx, admin, root.id, "Đảng bộ xã B", UnitKind.GRASSROOTS)  # type: ignore[arg-type]
    await units.create_unit(ctx, admin, a.id, "Chi bộ 1", UnitKind.CELL)  # type: ignore[arg-type]
    in_b = await units.create_unit(ctx, admin, b.id, "Chi bộ 1", UnitKind.CELL)  # type: ignore[arg-type]
    draft = PlanDraft(
        sessions=[
            SessionDraft(kind="thuong_ky", host="Chi bộ 01", host_parent="Đảng bộ xã B"),
            SessionDraft(kind="thuong_ky", host="Chi bộ 1"),  # no parent: two candidates
            SessionDraft(kind="thuong_ky", host="Chi bộ 1", host_parent="Đảng bộ xã C"),
            SessionDraft(kind="hoi_thao"),
        ]
    )
    matches = await draft_hosts(ctx, draft, root.id)  # type: ignore[arg-type]
    assert matches[0].unit is not None and matches[0].unit.id == in_b.id
    assert matches[1].unit is None and [u.name for u in matches[1].new] == ["Chi bộ 1"]
    assert [(u.name, u.kind) for u in matches[2].new] == [
        ("Đảng bộ xã C", UnitKind.GRASSROOTS),
        ("Chi bộ 1", UnitKind.CELL),
    ]
    assert matches[3].unit is not None and matches[3].unit.id == root.id
    picked = await draft_hosts(ctx, draft, root.id, [None, a.id])  # type: ignore[arg-type]
    assert picked[1].unit is not None and picked[1].unit.id == a.id


def test_past_sessions_and_deadlines() -> None:
    now = datetime(2025, 3, 15, 3, tzinfo=UTC)
    draft = PlanDraft(
        sessions=[
            SessionDraft(kind="thuong_ky", starts_at=datetime(2025, 3, 14, 12, tzinfo=UTC)),
            SessionDraft(kind="thuong_ky", starts_at=datetime(2025, 3, 16, 12, tzinfo=UTC)),
            SessionDraft(kind="thuong_ky", month="2025-02"),
            SessionDraft(kind="thuong_ky", month="2025-03"),  # part of the month is left
            SessionDraft(kind="thuong_ky"),
        ],
        deadlines=[DeadlineDraft(date(2025, 3, 14), "a"), DeadlineDraft(date(2025, 3, 15), "b")],
    )
    assert past_parts(draft, now) == ({0, 2}, {0})


@pytest.mark.parametrize(
    ("what", "quota"),
    [
        (
            "Mỗi đảng ủy cơ sở chọn 2 chi bộ (1 chi bộ sinh hoạt thường kỳ, 1 chi bộ sinh hoạt "
            "chuyên đề), báo cáo danh sách",
            {SessionKind.THUONG_KY: 1, SessionKind.CHUYEN_DE: 1},
        ),
        (
            "Mỗi đảng ủy cơ sở chọn hai chi bộ sinh hoạt thường kỳ mẫu, gửi danh sách",
            {SessionKind.THUONG_KY: 2},
        ),
    ],
)
def test_cascade_quotas(what: str, quota: dict[SessionKind, int]) -> None:
    assert _requirement_shape(what)[1:] == (quota, UnitKind.GRASSROOTS)
