"""Applying an import draft: the plan, sessions (tentative for a month), categories and
requirements are created as if typed; what cannot be created is reported, nothing guessed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from core.clock import FrozenClock
from services import people, roles, units
from services.context import Ctx
from services.errors import InvalidInput, PermissionDenied
from services.plan_import import extract_plan, read_plan_file
from services.plan_import.apply import apply_draft
from services.plan_import.model import DeadlineDraft, PlanDraft, SessionDraft
from storage.models import (
    ModelSession,
    ParticipantCategory,
    Plan,
    Requirement,
    RequirementKind,
    Role,
    SessionStatus,
    Unit,
    UnitKind,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "ke-hoach-82-KH-DU.md"


async def _organiser(ctx: Ctx) -> tuple[object, Unit]:
    root = await units.ensure_root(ctx, "Đảng ủy Sở Giáo dục và Đào tạo")
    admin = await people.ensure_person(ctx, 1)
    admin.full_name = "Nguyễn Văn An"
    await roles.add_membership(ctx, admin, root.id, Role.ORGANISER)  # type: ignore[arg-type]
    return admin, root


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example not present")
async def test_the_real_plan_becomes_a_draft_plan_with_its_sessions(
    ctx: Ctx, clock: FrozenClock
) -> None:
    clock.set(datetime(2024, 3, 1, 2, 0, tzinfo=UTC))  # before both sessions
    admin, root = await _organiser(ctx)
    draft = extract_plan(read_plan_file(EXAMPLE))
    draft.sessions[1].topic = "Nâng cao chất lượng sinh hoạt chi bộ"  # the organiser fixed it
    result = await apply_draft(ctx, admin, draft, root.id)  # type: ignore[arg-type]
    plan = result.plan
    assert (plan.number, plan.status) == ("82-KH/ĐU", "draft")
    assert plan.legal_bases.count("\n") == 2
    sessions = (await ctx.session.exec(select(ModelSession).order_by(ModelSession.id))).all()
    assert [s.kind for s in sessions] == ["thuong_ky", "chuyen_de"]
    assert sessions[0].starts_at == datetime(2024, 3, 28, 1, 0, tzinfo=UTC)
    assert sessions[0].venue == "Hội trường Trường Cao đẳng Lý Tự Trọng"
    hosts = {u.name: u for u in (await ctx.session.exec(select(Unit))).all()}
    assert hosts["Chi bộ 01"].kind == UnitKind.CELL
    parent = hosts["Đảng bộ Trường Cao đẳng Lý Tự Trọng Tp Hồ Chí Minh"]
    assert (parent.kind, parent.parent_id) == (UnitKind.GRASSROOTS, root.id)
    assert hosts["Chi bộ 01"].parent_id == parent.id
    assert len(result.units_created) == 4
    categories = (await ctx.session.exec(select(ParticipantCategory))).all()
    assert len(categories) == result.categories == 5
    assert result.skipped == []


async def test_missing_topic_and_past_dates_are_skipped_not_guessed(
    ctx: Ctx, clock: FrozenClock
) -> None:
    admin, root = await _organiser(ctx)  # clock: Monday 6 January 2025
    draft = PlanDraft(
        number="15-KH/ĐU",
        title="Sinh hoạt chi bộ mẫu năm 2025",
        sessions=[
            SessionDraft(kind="chuyen_de", host="Chi bộ 2", month="2025-03"),  # no topic
            SessionDraft(
                kind="thuong_ky", host="Chi bộ 3", starts_at=datetime(2024, 12, 1, 1, tzinfo=UTC)
            ),
            SessionDraft(kind="hoi_thao", month="2025-05"),  # the committee itself hosts
            SessionDraft(kind="thuong_ky", host="Chi bộ 5"),  # no date at all
        ],
        deadlines=[
            DeadlineDraft(date(2024, 12, 31), "gửi danh sách"),
            DeadlineDraft(
                date(2025, 2, 20), "Các chi bộ chọn 1 buổi sinh hoạt thường kỳ, báo cáo lịch"
            ),
            DeadlineDraft(date(2025, 3, 10), "Các đơn vị được phân công gửi bài tham luận"),
        ],
    )
    result = await apply_draft(ctx, admin, draft, root.id)  # type: ignore[arg-type]
    sessions = (await ctx.session.exec(select(ModelSession))).all()
    assert [(s.kind, s.status, s.host_unit_id) for s in sessions] == [
        ("hoi_thao", SessionStatus.TENTATIVE, root.id)
    ]
    assert len(result.skipped) == 4
    reasons = [reason.msgid if reason else None for _, reason in result.skipped]
    assert reasons[0] and "topic" in reasons[0].lower()
    assert reasons[1] and "already passed" in reasons[1]
    assert reasons[2] is None and reasons[3] is None  # no date; deadline passed
    requirements = (await ctx.session.exec(select(Requirement).order_by(Requirement.id))).all()
    assert [(r.kind, r.quota_thuong_ky, r.quota_chuyen_de) for r in requirements] == [
        (RequirementKind.REPORT_SESSIONS, 1, 0),
        (RequirementKind.DOCUMENT, 0, 0),
    ]


async def test_plan_itself_refused_leaves_nothing(ctx: Ctx, clock: FrozenClock) -> None:
    admin, root = await _organiser(ctx)
    with pytest.raises(InvalidInput):
        await apply_draft(ctx, admin, PlanDraft(title="x"), root.id)  # type: ignore[arg-type]
    stranger = await people.ensure_person(ctx, 99)
    with pytest.raises(PermissionDenied):
        await apply_draft(ctx, stranger, PlanDraft(number="1-KH/ĐU", title="Kế hoạch"), root.id)  # type: ignore[arg-type]
    assert (await ctx.session.exec(select(Plan))).all() == []
