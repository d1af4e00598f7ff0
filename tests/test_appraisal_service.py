"""Content appraisal (thẩm định): submit, return with comments, resubmit, approve."""

from __future__ import annotations

import pytest

from services import appraisal, requirements, sessions
from services.context import Ctx
from services.errors import Conflict, InvalidInput, PermissionDenied
from services.requirements import FileInfo
from storage.models import (
    ContentStatus,
    DocumentPurpose,
    ModelSession,
    ReviewAction,
    SessionKind,
)
from tests.test_plans_service import Org, at, build_org, new_plan


@pytest.fixture
async def org(ctx: Ctx) -> Org:
    return await build_org(ctx)


@pytest.fixture
async def session(ctx: Ctx, org: Org) -> ModelSession:
    plan = await new_plan(ctx, org)
    outcome = await sessions.create_session(
        ctx,
        org.sec_a1,
        plan.id,  # type: ignore[arg-type]
        org.a1.id,  # type: ignore[arg-type]
        SessionKind.CHUYEN_DE,
        at(20, 1),
        topic="Học tập và làm theo Bác",
    )
    return outcome.value


async def attach(ctx: Ctx, org: Org, session: ModelSession, purpose: DocumentPurpose) -> None:
    await requirements.add_document(
        ctx,
        org.sec_a1,
        session.plan_id,
        session.host_unit_id,
        purpose,
        FileInfo("file-id", "unique-id", "du-thao-nghi-quyet.docx", "", 30_000),
        session_id=session.id,
    )


async def test_return_then_resubmit_then_approve(ctx: Ctx, org: Org, session: ModelSession) -> None:
    sid: int = session.id  # type: ignore[assignment]
    submitted = await appraisal.submit_content(ctx, org.sec_a1, sid, text="Chương trình: ...")
    assert submitted.value.content_status == ContentStatus.SUBMITTED
    # The organisers above the host (đảng bộ A) are asked to review.
    assert {n.person_id for n in submitted.notices} == {org.org_ga.id}
    assert [s.id for s in await appraisal.awaiting_review(ctx, org.org_ga)] == [sid]
    assert [s.id for s in await appraisal.awaiting_review(ctx, org.org_root)] == [sid]
    assert await appraisal.awaiting_review(ctx, org.sec_b1) == []

    returned = await appraisal.return_content(ctx, org.org_ga, sid, "Bổ sung phần liên hệ")
    assert returned.value.content_status == ContentStatus.RETURNED
    assert {n.person_id for n in returned.notices} == {org.sec_a1.id, org.dep_a1.id}
    assert returned.notices[0].params["comment"] == "Bổ sung phần liên hệ"
    with pytest.raises(Conflict):
        await appraisal.approve_content(ctx, org.org_ga, sid)

    await attach(ctx, org, session, DocumentPurpose.DRAFT_RESOLUTION)
    again = await appraisal.submit_content(ctx, org.dep_a1, sid)  # earlier text kept
    assert again.value.content_text == "Chương trình: ..."
    approved = await appraisal.approve_content(ctx, org.org_root, sid, comment="Tốt")
    assert approved.value.content_status == ContentStatus.APPROVED
    history = await appraisal.review_history(ctx, sid)
    assert [(h.action, h.by_id, h.comment) for h in history] == [
        (ReviewAction.SUBMITTED, org.sec_a1.id, None),
        (ReviewAction.RETURNED, org.org_ga.id, "Bổ sung phần liên hệ"),
        (ReviewAction.SUBMITTED, org.dep_a1.id, None),
        (ReviewAction.APPROVED, org.org_root.id, "Tốt"),
    ]
    with pytest.raises(Conflict):
        await appraisal.submit_content(ctx, org.sec_a1, sid, text="Lại")


async def test_submit_needs_content(ctx: Ctx, org: Org, session: ModelSession) -> None:
    sid: int = session.id  # type: ignore[assignment]
    with pytest.raises(InvalidInput):
        await appraisal.submit_content(ctx, org.sec_a1, sid)
    with pytest.raises(InvalidInput):
        await appraisal.submit_content(ctx, org.sec_a1, sid, text="   ")
    # A tham luận is not session content; an agenda is.
    await attach(ctx, org, session, DocumentPurpose.THAM_LUAN)
    with pytest.raises(InvalidInput):
        await appraisal.submit_content(ctx, org.sec_a1, sid)
    await attach(ctx, org, session, DocumentPurpose.AGENDA)
    outcome = await appraisal.submit_content(ctx, org.sec_a1, sid)
    assert outcome.value.content_status == ContentStatus.SUBMITTED
    with pytest.raises(Conflict):
        await appraisal.submit_content(ctx, org.sec_a1, sid, text="Hai lần")


@pytest.mark.parametrize("who", ["mem_a1", "sec_b1", "org_ga"])
async def test_only_host_secretaries_submit(
    ctx: Ctx, org: Org, session: ModelSession, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        await appraisal.submit_content(ctx, getattr(org, who), session.id, text="Nội dung")  # type: ignore[arg-type]
    assert session.content_status == ContentStatus.NONE


@pytest.mark.parametrize("who", ["sec_a1", "dep_a1", "sec_b1", "leader_root"])
async def test_only_organisers_above_the_host_review(
    ctx: Ctx, org: Org, session: ModelSession, who: str
) -> None:
    sid: int = session.id  # type: ignore[assignment]
    await appraisal.submit_content(ctx, org.sec_a1, sid, text="Nội dung")
    with pytest.raises(PermissionDenied):
        await appraisal.approve_content(ctx, getattr(org, who), sid)
    with pytest.raises(PermissionDenied):
        await appraisal.return_content(ctx, getattr(org, who), sid, "Sửa")
    assert session.content_status == ContentStatus.SUBMITTED


async def test_review_needs_something_submitted_and_return_needs_comment(
    ctx: Ctx, org: Org, session: ModelSession
) -> None:
    sid: int = session.id  # type: ignore[assignment]
    with pytest.raises(Conflict):
        await appraisal.approve_content(ctx, org.org_ga, sid)
    with pytest.raises(Conflict):
        await appraisal.return_content(ctx, org.org_ga, sid, "Sửa")
    await appraisal.submit_content(ctx, org.sec_a1, sid, text="Nội dung")
    with pytest.raises(InvalidInput):
        await appraisal.return_content(ctx, org.org_ga, sid, "  ")
    assert session.content_status == ContentStatus.SUBMITTED
    assert [h.action for h in await appraisal.review_history(ctx, sid)] == [ReviewAction.SUBMITTED]


async def test_cancelled_session_content_is_frozen(
    ctx: Ctx, org: Org, session: ModelSession
) -> None:
    sid: int = session.id  # type: ignore[assignment]
    await appraisal.submit_content(ctx, org.sec_a1, sid, text="Nội dung")
    await sessions.cancel_session(ctx, org.sec_a1, sid, "Hoãn vô thời hạn")
    with pytest.raises(Conflict):
        await appraisal.approve_content(ctx, org.org_ga, sid)
