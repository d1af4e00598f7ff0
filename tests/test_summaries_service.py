"""Summaries: a session's attendance (by category, absences with and without a reason, guests),
rating distribution, score and comments; its text in Vietnamese and English within a Telegram
message; the scheduler's `summary_message`; a plan's sessions by status, requirement
compliance by unit, attendance and ratings across sessions; who may read them; and a fixed
number of SQL queries whatever the size of the plan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from core.clock import FrozenClock
from core.i18n import Lang
from services import checkin, feedback, invitations, requirements, sessions, summaries
from services.context import Ctx
from services.errors import PermissionDenied
from services.feedback import Level, Part, compute_score
from services.requirements import FileInfo
from services.summaries import Turnout
from services.vn_datetime import MonthOnly
from storage.models import (
    DocumentPurpose,
    Person,
    RequirementKind,
    SessionKind,
    SessionStatus,
)
from tests.test_feedback_service import ALL, CLOSES, Attended, attend
from tests.test_plans_service import at, new_session

# (ratings of the five criteria, overall) of five delegates
GIVEN = [
    ([4, 4, 4, 4, 4], 4),
    ([4, 3, 4, 3, 4], 4),
    ([3, 3, 2, 3, 4], 3),
    ([4, 4, 3, 4, 3], 3),
    ([2, 3, 4, 4, 4], 2),
]


@pytest.fixture
async def att(ctx: Ctx, clock: FrozenClock) -> Attended:
    found = await attend(ctx, clock)
    for person, (ratings, overall) in zip(found.present, GIVEN, strict=False):
        await feedback.save_ratings(ctx, person, found.session_id, ratings, overall)
    writers = found.present
    await feedback.set_comment(
        ctx, writers[0], found.session_id, Part.WENT_WELL, "Chuẩn bị chu đáo"
    )
    await feedback.set_comment(ctx, writers[1], found.session_id, Part.WENT_WELL, "Sôi nổi")
    await feedback.set_comment(ctx, writers[1], found.session_id, Part.SHORTCOMINGS, "Hơi dài")
    await feedback.set_comment(ctx, writers[2], found.session_id, Part.PROPOSALS, "Nhân rộng")
    return found


async def test_session_summary_counts(ctx: Ctx, att: Attended) -> None:
    s = await summaries.session_summary(ctx, att.organiser, att.session_id)
    assert s.turnout == Turnout(
        invited=30, present=28, late=2, absent_with_reason=1, absent_without_reason=1, guests=0
    )
    assert s.turnout.rate == pytest.approx(28 / 30)
    assert [c.label for c in s.categories] == [c.label for c in att.crowd.categories]
    assert sum((c.turnout for c in s.categories), Turnout()) == s.turnout
    assert [c.turnout.invited for c in s.categories] == [12, 10, 8]
    assert s.feedback_count == 5
    assert [c.key for c in s.criteria] == list(ALL)
    assert s.criteria[0].counts == {1: 0, 2: 1, 3: 1, 4: 3}
    assert s.criteria[2].counts == {1: 0, 2: 1, 3: 1, 4: 3}
    assert s.overall == {1: 0, 2: 1, 3: 2, 4: 2}
    averages = {c.key: c.average for c in s.criteria}
    assert averages == {
        "preparation": 3.4,
        "procedure": 3.4,
        "content": 3.4,
        "discussion": 3.6,
        "closing": 3.8,
    }
    # 15×(3.4+3.4+3.4+3.6)/4 + 20×3.8/4 + 20 = 51.75 + 19 + 20
    assert s.score == compute_score(s.config, averages, 28 / 30, 120)
    assert (s.score.points, s.score.level) == (90.8, Level.GOOD)  # type: ignore[union-attr]
    mean_of_delegates = sum(
        compute_score(s.config, dict(zip(ALL, map(float, r), strict=True)), 28 / 30, 120).points  # type: ignore[union-attr]
        for r, _ in GIVEN
    ) / len(GIVEN)
    assert s.score.points == pytest.approx(mean_of_delegates, abs=0.1)  # type: ignore[union-attr]
    assert sorted(c.text for c in s.comments[Part.WENT_WELL]) == ["Chuẩn bị chu đáo", "Sôi nổi"]
    assert [c.text for c in s.comments[Part.SHORTCOMINGS]] == ["Hơi dài"]
    assert [c.text for c in s.comments[Part.PROPOSALS]] == ["Nhân rộng"]
    assert (s.closes_at, s.closed) == (CLOSES, False)


async def test_guests_are_counted_apart(ctx: Ctx, clock: FrozenClock, att: Attended) -> None:
    guest = att.crowd.org.mem_a1  # not invited
    await checkin.manual_check_in(ctx, att.organiser, att.session_id, guest.id)  # type: ignore[arg-type]
    await feedback.save_ratings(ctx, guest, att.session_id, ALL, 4)
    s = await summaries.build_session_summary(ctx, att.session_id)
    assert (s.turnout.guests, s.turnout.present, s.turnout.invited) == (1, 28, 30)
    assert s.feedback_count == 6


async def test_render_in_vietnamese_and_english(ctx: Ctx, att: Attended) -> None:
    s = await summaries.build_session_summary(ctx, att.session_id)
    vi = summaries.render_session_summary(Lang("vi"), s)
    for expected in [
        "📊 TỔNG HỢP BUỔI SINH HOẠT",
        "Kế hoạch 82-KH/ĐU: Tổ chức sinh hoạt chi bộ mẫu năm 2025",
        "Được mời: 30 · có mặt: 28 (93,3%) · đến muộn: 2",
        "Vắng mặt có lý do: 1 · không lý do: 1 · khách: 0",
        "• Ủy viên Ban Chấp hành Đảng ủy: có mặt ",
        "⭐ Đánh giá (5 đại biểu)",
        "• Công tác chuẩn bị (15 điểm): Tốt 3 · Khá 1 · Trung bình 1 · Kém 0",
        "• Kết luận, ra nghị quyết (20 điểm): Tốt 4 · Khá 1 · Trung bình 0 · Kém 0",
        "• Xếp loại chung theo đại biểu: Tốt 2 · Khá 2 · Trung bình 1 · Kém 0",
        "Điểm: 90,8/100 — Tốt",
        "(trong đó tham dự: 20/20 điểm)",
        "✅ Mặt làm được (2)",
        "- Chuẩn bị chu đáo",
        "⚠️ Hạn chế (1)\n- Hơi dài",
        "💡 Đề xuất, kiến nghị (1)\n- Nhân rộng",
        "Đại biểu còn góp ý được đến 10 giờ 00, thứ Năm, ngày 23 tháng 1 năm 2025.",
    ]:
        assert expected in vi, expected
    en = summaries.render_session_summary(Lang("en"), s)
    assert "Invited: 30 · present: 28 (93.3%) · late: 2" in en
    assert "Score: 90.8/100 — Good" in en


async def test_long_comment_lists_fit_a_message(ctx: Ctx, att: Attended) -> None:
    for person in att.present[5:28]:
        await feedback.save_ratings(ctx, person, att.session_id, ALL, 4)
        for part in Part:
            await feedback.set_comment(ctx, person, att.session_id, part, "Ý kiến rất dài. " * 60)
    s = await summaries.build_session_summary(ctx, att.session_id)
    text = summaries.render_session_summary(Lang("vi"), s)
    assert len(text) <= summaries.MAX_TEXT
    assert "ý kiến khác (xem báo cáo)" in text
    assert text.count("💡 Đề xuất, kiến nghị (24)") == 1


async def test_summary_message_for_the_scheduler(
    ctx: Ctx, clock: FrozenClock, att: Attended
) -> None:
    clock.set(CLOSES)
    text, png = await summaries.summary_message(ctx, att.session_id, "vi")
    assert text.startswith("📊 TỔNG HỢP BUỔI SINH HOẠT")
    assert "Đã hết hạn góp ý lúc 10 giờ 00, thứ Năm, ngày 23 tháng 1 năm 2025." in text
    assert png is not None and png.startswith(b"\x89PNG")
    text_en, _ = await summaries.summary_message(ctx, att.session_id, "en")
    assert text_en.startswith("📊 SESSION SUMMARY")


async def test_summary_message_without_feedback_has_no_chart(ctx: Ctx, clock: FrozenClock) -> None:
    found = await attend(ctx, clock, present=20, late=0, declined=4)
    text, png = await summaries.summary_message(ctx, found.session_id, "vi")
    assert png is None
    assert "Được mời: 30 · có mặt: 20 (66,7%)" in text
    assert "Vắng mặt có lý do: 4 · không lý do: 6" in text
    assert "Điểm: chưa có đánh giá." in text


async def test_who_reads_summaries(ctx: Ctx, att: Attended) -> None:
    org = att.crowd.org
    plan = att.crowd.plan
    for reader in (org.org_root, org.leader_root):
        await summaries.session_summary(ctx, reader, att.session_id)
        await summaries.plan_summary(ctx, reader, plan.id)  # type: ignore[arg-type]
        assert [c.full for c in await summaries.plans_for(ctx, reader)] == [True]
    # the organiser of the grassroots unit over the host reads the session, not the plan
    await summaries.session_summary(ctx, org.org_ga, att.session_id)
    with pytest.raises(PermissionDenied):
        await summaries.plan_summary(ctx, org.org_ga, plan.id)  # type: ignore[arg-type]
    assert [c.full for c in await summaries.plans_for(ctx, org.org_ga)] == [False]
    assert [c.session.id for c in await summaries.sessions_for(ctx, org.org_ga, plan.id)] == [  # type: ignore[arg-type]
        att.session_id
    ]
    for outsider in (org.sec_a1, org.mem_a1, att.present[0], None):
        with pytest.raises(PermissionDenied):
            await summaries.session_summary(ctx, outsider, att.session_id)
        assert await summaries.plans_for(ctx, outsider) == []


# --------------------------------------------------------------------------- plan summary


def _file(name: str) -> FileInfo:
    return FileInfo(f"file-{name}", f"u-{name}", f"{name}.docx", "", 1000)


async def _second_session(ctx: Ctx, clock: FrozenClock, att: Attended) -> int:
    """b1 holds a session on 21/1 08:00: 22 invitees (the plan-wide categories), 11 come,
    2 give feedback."""
    org = att.crowd.org
    second = await new_session(ctx, org.org_root, att.crowd.plan, org.b1, at(21, 1))
    await invitations.send(ctx, org.org_root, second.id)  # type: ignore[arg-type]
    cfg = await checkin.open_checkin(ctx, org.org_root, second.id)  # type: ignore[arg-type]
    invitees = await invitations.invitee_ids(ctx, second.id)  # type: ignore[arg-type]
    assert len(invitees) == 22
    clock.set(at(21, 1) - timedelta(minutes=5))
    came = [await ctx.session.get(Person, pid) for pid in invitees[:11]]
    for person in came:
        await checkin.check_in(ctx, person, token=cfg.token)  # type: ignore[arg-type]
    clock.set(at(21, 1) + timedelta(hours=2))
    await feedback.save_ratings(ctx, came[0], second.id, [2, 2, 2, 2, 2], 2)  # type: ignore[arg-type]
    await feedback.save_ratings(ctx, came[1], second.id, [3, 3, 3, 3, 3], 3)  # type: ignore[arg-type]
    return second.id  # type: ignore[return-value]


async def test_plan_summary(ctx: Ctx, clock: FrozenClock, att: Attended) -> None:
    org, plan = att.crowd.org, att.crowd.plan
    # Requirements (at the end of the first session, 20/1): a document due 21/1 from a1, a2
    # and b1; a document due 28/2 from a1.
    soon = (
        await requirements.create_requirement(
            ctx,
            org.org_root,
            plan.id,  # type: ignore[arg-type]
            RequirementKind.DOCUMENT,
            date(2025, 1, 21),
            description="Gửi bài tham luận",
            target_unit_ids=[org.a1.id, org.a2.id, org.b1.id],  # type: ignore[list-item]
        )
    ).value
    await requirements.create_requirement(
        ctx,
        org.org_root,
        plan.id,  # type: ignore[arg-type]
        RequirementKind.DOCUMENT,
        date(2025, 2, 28),
        description="Gửi báo cáo kết quả",
        target_unit_ids=[org.a1.id],  # type: ignore[list-item]
    )
    await requirements.add_document(
        ctx,
        org.sec_a1,
        plan.id,
        org.a1.id,
        DocumentPurpose.THAM_LUAN,
        _file("a1"),  # type: ignore[arg-type]
        requirement_id=soon.id,
    )
    second = await _second_session(ctx, clock, att)
    clock.set(at(22, 1, 9))
    await requirements.add_document(
        ctx,
        org.sec_a2,
        plan.id,
        org.a2.id,
        DocumentPurpose.THAM_LUAN,
        _file("a2"),  # type: ignore[arg-type]
        requirement_id=soon.id,
    )
    # Other sessions: one scheduled later, one tentative, one cancelled.
    await new_session(
        ctx,
        org.org_root,
        plan,
        org.a2,
        at(25, 2),
        SessionKind.CHUYEN_DE,
        topic="Học tập và làm theo tư tưởng Hồ Chí Minh",
    )
    await new_session(ctx, org.org_root, plan, org.a2, MonthOnly(2025, 3))
    dropped = await new_session(ctx, org.org_root, plan, org.b1, at(26, 2))
    await sessions.cancel_session(ctx, org.org_root, dropped.id, "Trùng lịch")  # type: ignore[arg-type]
    await sessions.mark_held(ctx, org.org_root, att.session_id)

    s = await summaries.plan_summary(ctx, org.leader_root, plan.id)  # type: ignore[arg-type]
    # The second session has ended with check-ins: it is held on its own (issue 14, item 8).
    assert s.statuses == {
        SessionStatus.HELD: 2,
        SessionStatus.SCHEDULED: 1,
        SessionStatus.TENTATIVE: 1,
        SessionStatus.CANCELLED: 1,
    }
    assert [(line.session_id, line.turnout.invited, line.turnout.present) for line in s.lines] == [
        (att.session_id, 30, 28),
        (second, 22, 11),
    ]
    assert s.turnout.invited == 52 and s.turnout.present == 39
    assert s.turnout.absent_with_reason == 1 and s.turnout.absent_without_reason == 12
    assert s.feedback_count == 7
    assert s.criteria[0].counts == {1: 0, 2: 2, 3: 2, 4: 3}
    assert s.overall == {1: 0, 2: 2, 3: 3, 4: 2}
    first_score, second_score = (line.score for line in s.lines)
    assert first_score is not None and first_score.level == Level.GOOD
    # 50% attendance: 20 × 0.5 / 0.85 = 11.8; criteria 80 × 2.5 / 4 = 50
    assert second_score is not None and (second_score.points, second_score.level) == (
        61.8,
        Level.AVERAGE,
    )
    assert s.average_score == round((first_score.points + 61.8) / 2, 1)
    assert s.levels == {Level.GOOD: 1, Level.FAIR: 0, Level.AVERAGE: 1, Level.POOR: 0}
    compliance = {u.unit_name: (u.on_time, u.late, u.missing, u.pending) for u in s.compliance}
    assert compliance == {
        org.a1.name: (1, 0, 0, 1),
        org.a2.name: (0, 1, 0, 0),
        org.b1.name: (0, 0, 1, 0),
    }
    assert s.compliance[0].unit_name == org.b1.name  # the missing first
    text = summaries.render_plan_summary(Lang("vi"), s)
    for expected in [
        "📊 TỔNG HỢP KẾ HOẠCH",
        "Buổi sinh hoạt: đã tổ chức 2 · đã lên lịch 1 · dự kiến 1 · đã hủy 1",
        f"• {org.b1.name}: 0 / 0 / 1 / 0",
        "👥 Tham dự qua 2 buổi sinh hoạt đã diễn ra",
        "Được mời: 52 · có mặt: 39 (75%) · đến muộn: 2",
        "⭐ Đánh giá (7 đại biểu)",
        "Số buổi theo xếp loại: Tốt 1 · Khá 0 · Trung bình 1 · Kém 0",
    ]:
        assert expected in text, expected
    for png in (
        summaries.plan_attendance_chart(Lang("vi"), s),
        summaries.plan_ratings_chart(Lang("vi"), s),
    ):
        assert png is not None and png.startswith(b"\x89PNG")


async def test_plan_summary_runs_a_fixed_number_of_queries(
    ctx: Ctx, clock: FrozenClock, att: Attended
) -> None:
    """Counts are SQL aggregates: more sessions, invitations and feedback add no query."""
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = ctx.session.bind.sync_engine  # type: ignore[union-attr]
    plan_id: int = att.crowd.plan.id  # type: ignore[assignment]
    leader = att.crowd.org.leader_root
    await summaries.plan_summary(ctx, leader, plan_id)  # warm the identity map
    event.listen(engine, "before_cursor_execute", count)
    try:
        await summaries.plan_summary(ctx, leader, plan_id)
        small = len(statements)
        await _second_session(ctx, clock, att)
        await summaries.plan_summary(ctx, leader, plan_id)  # warm again
        statements.clear()
        await summaries.plan_summary(ctx, leader, plan_id)
        large = len(statements)
        statements.clear()
        await summaries.build_session_summary(ctx, att.session_id)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert small == large
    assert large <= 16
    assert len(statements) <= 14


async def test_anonymous_order_does_not_follow_arrival(ctx: Ctx, att: Attended) -> None:
    for person in att.present[5:15]:
        await feedback.save_ratings(ctx, person, att.session_id, ALL, 4)
        await feedback.set_comment(
            ctx, person, att.session_id, Part.PROPOSALS, f"Ý kiến của {person.full_name}"
        )
    s = await summaries.build_session_summary(ctx, att.session_id)
    shown = [c.text for c in s.comments[Part.PROPOSALS] if c.text.startswith("Ý kiến của")]
    arrival = [f"Ý kiến của {p.full_name}" for p in att.present[5:15]]
    assert sorted(shown) == sorted(arrival)
    assert shown != arrival
    again = await summaries.build_session_summary(ctx, att.session_id)
    assert [c.text for c in again.comments[Part.PROPOSALS]] == [
        c.text for c in s.comments[Part.PROPOSALS]
    ]


def test_turnout_sum_and_rate() -> None:
    a = Turnout(10, 8, 1, 1, 1, 2)
    assert a + Turnout() == a
    assert (a + a).invited == 20 and (a + a).guests == 4
    assert Turnout().rate is None
