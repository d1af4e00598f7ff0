"""Feedback on a session: who may give it (those who checked in), revision until it closes on
the clock (per-plan number of days), the score and level with the default and custom weights
and thresholds, the rules of the configuration, the texts, and anonymised comments.

Also the attended session the summary, report and e2e tests build on (`attended`): the
30-invitee crowd of tests.test_participants_service with check-ins, a decline and no-shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from core.clock import FrozenClock
from services import checkin, feedback, invitations, sessions
from services.context import Ctx
from services.errors import Conflict, InvalidInput, PermissionDenied
from services.feedback import Level, Part, ScoringConfig, compute_score
from services.summaries import build_session_summary
from services.units import sort_key
from storage.models import CheckinConfig, Invitation, Person
from tests.test_participants_service import Crowd, build_crowd
from tests.test_plans_service import at

START = at(20, 1)  # the crowd's session: 20/1/2025 08:00, 120 minutes
END = START + timedelta(minutes=120)
CLOSES = END + timedelta(days=3)


@dataclass
class Attended:
    crowd: Crowd
    people: list[Person]  # the 30 invitees: present first (the last `late` of them late)
    present: list[Person]
    declined: list[Person]
    no_show: list[Person]
    config: CheckinConfig

    @property
    def session_id(self) -> int:
        return self.crowd.session.id  # type: ignore[return-value]

    @property
    def organiser(self) -> Person:
        return self.crowd.org.org_root


async def invitation_id(ctx: Ctx, session_id: int, person: Person) -> int:
    from sqlmodel import select

    result = await ctx.session.exec(
        select(Invitation.id).where(
            Invitation.session_id == session_id, Invitation.person_id == person.id
        )
    )
    return result.one()  # type: ignore[return-value]


async def attend(
    ctx: Ctx, clock: FrozenClock, *, present: int = 28, late: int = 2, declined: int = 1
) -> Attended:
    """The crowd's session with its 30 invitations sent; `declined` of the absent decline
    (with a reason), the other absent do not answer; `present` check in (the last `late` of
    them 20 minutes after the start). The clock is left at the end of the session."""
    crowd = await build_crowd(ctx)
    sid = crowd.session.id
    organiser = crowd.org.org_root
    await invitations.send(ctx, organiser, sid)  # type: ignore[arg-type]
    people = crowd.invitees
    came, absent = people[:present], people[present:]
    for p in came:
        await invitations.answer(ctx, p, await invitation_id(ctx, sid, p), True)  # type: ignore[arg-type]
    for p in absent[:declined]:
        await invitations.answer(
            ctx,
            p,
            await invitation_id(ctx, sid, p),  # type: ignore[arg-type]
            False,
            "Đi công tác tại Đà Nẵng",
        )
    cfg = await checkin.open_checkin(ctx, organiser, sid)  # type: ignore[arg-type]
    clock.set(START - timedelta(minutes=5))
    for p in came[: present - late]:
        await checkin.check_in(ctx, p, token=cfg.token)
    clock.set(START + timedelta(minutes=20))
    for p in came[present - late :]:
        await checkin.check_in(ctx, p, token=cfg.token)
    clock.set(END)
    return Attended(crowd, people, came, absent[:declined], absent[declined:], cfg)


@pytest.fixture
async def att(ctx: Ctx, clock: FrozenClock) -> Attended:
    return await attend(ctx, clock)


ALL = {"preparation": 4, "procedure": 4, "content": 4, "discussion": 4, "closing": 4}


def same(points: int) -> dict[str, int]:
    return dict.fromkeys(ALL, points)


# --------------------------------------------------------------------------- who and when


async def test_only_delegates_who_checked_in_give_feedback(ctx: Ctx, att: Attended) -> None:
    form = await feedback.form(ctx, att.present[0], att.session_id)
    assert form.feedback is None and form.ratings == {}
    assert [c.key for c in form.config.criteria] == list(ALL)
    assert form.closes_at == CLOSES
    refused = [att.declined[0], att.no_show[0], att.crowd.org.mem_a1, att.organiser, None]
    for person in refused:
        with pytest.raises(PermissionDenied) as exc:
            await feedback.form(ctx, person, att.session_id)
        assert "checked in" in exc.value.msgid
        with pytest.raises(PermissionDenied):
            await feedback.save_ratings(ctx, person, att.session_id, ALL, 4)
    assert not await feedback.has_feedback(ctx, att.session_id, att.declined[0].id)  # type: ignore[arg-type]


async def test_late_arrivals_and_guests_who_checked_in_may_give_feedback(
    ctx: Ctx, att: Attended
) -> None:
    late = att.present[-1]
    saved = await feedback.save_ratings(ctx, late, att.session_id, ALL, 4)
    assert saved.value.revised is False
    assert await feedback.has_feedback(ctx, att.session_id, late.id)  # type: ignore[arg-type]


async def test_revision_until_feedback_closes_on_the_clock(
    ctx: Ctx, clock: FrozenClock, att: Attended
) -> None:
    delegate = att.present[0]
    clock.set(END + timedelta(hours=1))
    first = (await feedback.save_ratings(ctx, delegate, att.session_id, same(3), 3)).value
    assert (first.revised, first.feedback.revisions) == (False, 0)
    await feedback.set_comment(ctx, delegate, att.session_id, Part.WENT_WELL, "Chuẩn bị chu đáo")
    clock.set(CLOSES - timedelta(minutes=1))
    form = await feedback.form(ctx, delegate, att.session_id)
    assert form.ratings == same(3) and form.feedback is not None
    assert form.feedback.went_well == "Chuẩn bị chu đáo"
    second = (await feedback.save_ratings(ctx, delegate, att.session_id, [4, 4, 3, 3, 4], 4)).value
    assert (second.revised, second.feedback.revisions, second.feedback.id) == (
        True,
        1,
        first.feedback.id,
    )
    form = await feedback.form(ctx, delegate, att.session_id)
    assert form.ratings == {**ALL, "content": 3, "discussion": 3}
    assert form.feedback.went_well == "Chuẩn bị chu đáo"  # type: ignore[union-attr]  # kept
    clock.set(CLOSES)
    with pytest.raises(Conflict) as exc:
        await feedback.save_ratings(ctx, delegate, att.session_id, same(1), 1)
    assert exc.value.params["closes"] == CLOSES
    with pytest.raises(Conflict):
        await feedback.set_comment(ctx, delegate, att.session_id, Part.PROPOSALS, "Muộn rồi")
    with pytest.raises(Conflict):
        await feedback.form(ctx, delegate, att.session_id)
    assert await feedback.open_for(ctx, delegate) == []
    mine = await feedback.my_score(ctx, delegate, att.session_id)  # still readable
    assert mine is not None and mine.feedback.overall == 4


async def test_feedback_days_are_a_plan_setting(
    ctx: Ctx, clock: FrozenClock, att: Attended
) -> None:
    plan_id = att.crowd.plan.id
    config = await feedback.configure(ctx, att.organiser, plan_id, feedback_days=1)  # type: ignore[arg-type]
    assert config.feedback_days == 1 and config.show_names is False
    assert await feedback.closes_at(ctx, att.crowd.session) == END + timedelta(days=1)
    clock.set(END + timedelta(days=1) - timedelta(seconds=1))
    await feedback.save_ratings(ctx, att.present[1], att.session_id, ALL, 4)
    clock.set(END + timedelta(days=1))
    with pytest.raises(Conflict):
        await feedback.save_ratings(ctx, att.present[1], att.session_id, ALL, 4)
    for days in (0, 31):
        with pytest.raises(InvalidInput):
            await feedback.configure(ctx, att.organiser, plan_id, feedback_days=days)  # type: ignore[arg-type]


async def test_open_sessions_of_a_delegate(ctx: Ctx, clock: FrozenClock, att: Attended) -> None:
    delegate = att.present[2]
    [choice] = await feedback.open_for(ctx, delegate)
    assert (choice.session.id, choice.closes_at, choice.given) == (att.session_id, CLOSES, False)
    await feedback.save_ratings(ctx, delegate, att.session_id, ALL, 4)
    [choice] = await feedback.open_for(ctx, delegate)
    assert choice.given is True
    assert await feedback.open_for(ctx, att.no_show[0]) == []


async def test_cancelled_session_takes_no_feedback(ctx: Ctx, clock: FrozenClock) -> None:
    # The session is cancelled before it starts, after an early check-in (window open).
    found = await attend(ctx, clock, present=1, late=0)
    clock.set(START - timedelta(minutes=2))
    await sessions.cancel_session(ctx, found.organiser, found.session_id, "Mưa bão")
    with pytest.raises(Conflict):
        await feedback.form(ctx, found.present[0], found.session_id)


# --------------------------------------------------------------------------- ratings and texts


async def test_ratings_must_fit_the_form(ctx: Ctx, att: Attended) -> None:
    delegate = att.present[0]
    for ratings, overall in [
        ([4, 4, 4, 4], 4),  # one missing
        ({**ALL, "extra": 4}, 4),
        ({**ALL, "content": 5}, 4),
        (ALL, 0),
        ({**ALL, "content": True}, 4),
    ]:
        with pytest.raises(InvalidInput):
            await feedback.save_ratings(ctx, delegate, att.session_id, ratings, overall)  # type: ignore[arg-type]
    assert not await feedback.has_feedback(ctx, att.session_id, delegate.id)  # type: ignore[arg-type]


async def test_comments_are_checked_and_can_be_cleared(ctx: Ctx, att: Attended) -> None:
    delegate = att.present[0]
    with pytest.raises(Conflict):  # ratings first
        await feedback.set_comment(ctx, delegate, att.session_id, Part.WENT_WELL, "Tốt")
    await feedback.save_ratings(ctx, delegate, att.session_id, ALL, 4)
    with pytest.raises(InvalidInput):
        await feedback.set_comment(ctx, delegate, att.session_id, Part.WENT_WELL, "😀 !!!")
    with pytest.raises(InvalidInput):
        await feedback.set_comment(ctx, delegate, att.session_id, Part.WENT_WELL, "a" * 2001)
    saved = await feedback.set_comment(
        ctx, delegate, att.session_id, Part.SHORTCOMINGS, "  Thời gian\u200b thảo luận\n\n\nngắn  "
    )
    assert saved.shortcomings == "Thời gian thảo luận\n\nngắn"
    cleared = await feedback.set_comment(ctx, delegate, att.session_id, Part.SHORTCOMINGS, None)
    assert cleared.shortcomings is None
    assert (
        await feedback.set_comment(ctx, delegate, att.session_id, Part.PROPOSALS, " ")
    ).proposals is None


# --------------------------------------------------------------------------- score and level


@pytest.mark.parametrize(
    ("points", "score", "level"),
    [
        (4, 100.0, Level.GOOD),
        (3, 80.0, Level.FAIR),
        (2, 60.0, Level.AVERAGE),
        (1, 40.0, Level.POOR),
    ],
)
async def test_score_with_the_default_weights(
    ctx: Ctx, att: Attended, points: int, score: float, level: Level
) -> None:
    """28 of 30 present (93.3% > 85%): the 20 attendance points in full; the criteria give
    80 × points / 4."""
    saved = (
        await feedback.save_ratings(ctx, att.present[0], att.session_id, same(points), 2)
    ).value
    assert saved.score is not None
    assert (saved.score.points, saved.score.level) == (score, level)
    assert saved.score.attendance_points == 20.0 and saved.score.attendance_ok is True
    assert (saved.attendance.invited, saved.attendance.present) == (30, 28)


async def test_score_with_custom_weights_and_thresholds(ctx: Ctx, att: Attended) -> None:
    plan_id = att.crowd.plan.id
    ratings = {**ALL, "content": 2}
    default = (await feedback.save_ratings(ctx, att.present[0], att.session_id, ratings, 3)).value
    # 15 + 15 + 7.5 + 15 + 20 + 20
    assert (default.score.points, default.score.level) == (92.5, Level.GOOD)  # type: ignore[union-attr]
    weights = {
        "preparation": 10,
        "procedure": 10,
        "content": 30,
        "discussion": 10,
        "closing": 20,
        "attendance": 20,
    }
    config = await feedback.configure(ctx, att.organiser, plan_id, weights=weights)  # type: ignore[arg-type]
    assert [c.weight for c in config.criteria] == [10, 10, 30, 10, 20]
    assert config.attendance_weight == 20
    custom = (await feedback.save_ratings(ctx, att.present[0], att.session_id, ratings, 3)).value
    # 10 + 10 + 15 + 10 + 20 + 20
    assert (custom.score.points, custom.score.level) == (85.0, Level.FAIR)  # type: ignore[union-attr]
    await feedback.configure(ctx, att.organiser, plan_id, thresholds=(80, 60, 40))  # type: ignore[arg-type]
    mine = await feedback.my_score(ctx, att.present[0], att.session_id)
    assert (mine.score.points, mine.score.level) == (85.0, Level.GOOD)  # type: ignore[union-attr]
    # back to the defaults; the names setting is kept
    await feedback.configure(ctx, att.organiser, plan_id, show_names=True)  # type: ignore[arg-type]
    config = await feedback.configure(ctx, att.organiser, plan_id, reset_scoring=True)  # type: ignore[arg-type]
    assert config.criteria == feedback.DEFAULT_CRITERIA
    assert (config.good_from, config.fair_from, config.average_from) == (90, 70, 50)
    assert config.show_names is True


async def test_configuration_rules(ctx: Ctx, att: Attended) -> None:
    plan_id: int = att.crowd.plan.id  # type: ignore[assignment]
    org = att.organiser
    with pytest.raises(PermissionDenied):
        await feedback.configure(ctx, att.crowd.org.sec_a1, plan_id, show_names=True)
    with pytest.raises(PermissionDenied):
        await feedback.configure(ctx, att.crowd.org.leader_root, plan_id, show_names=True)
    with pytest.raises(InvalidInput) as exc:
        await feedback.configure(ctx, org, plan_id, weights={"preparation": 25})
    assert exc.value.params == {"total": 110}
    with pytest.raises(InvalidInput):
        await feedback.configure(ctx, org, plan_id, weights={"nonsense": 10})
    for bad in [(70, 90, 50), (90, 70, 0), (101, 70, 50), (90, 70, 70)]:
        with pytest.raises(InvalidInput):
            await feedback.configure(ctx, org, plan_id, thresholds=bad)
    # custom criteria, before anyone rated: the plan's own wording
    config = await feedback.configure(
        ctx,
        org,
        plan_id,
        criteria=[
            ("preparation", "", 20),
            ("politics", "Tính lãnh đạo, tính giáo dục, tính chiến đấu", 40),
            ("closing", "", 20),
        ],
    )
    assert [(c.key, c.default) for c in config.criteria] == [
        ("preparation", True),
        ("politics", False),
        ("closing", True),
    ]
    assert config.criteria[1].label == "Tính lãnh đạo, tính giáo dục, tính chiến đấu"
    for bad_criteria in (
        [("Chuẩn bị", "", 80)],
        [("attendance", "", 80)],
        [("a", "x", 40), ("a", "y", 40)],
        [],
    ):
        with pytest.raises(InvalidInput):
            await feedback.configure(ctx, org, plan_id, criteria=bad_criteria)
    await feedback.save_ratings(ctx, att.present[0], att.session_id, [4, 3, 4], 4)
    with pytest.raises(Conflict):  # the criteria are fixed once delegates rated
        await feedback.configure(ctx, org, plan_id, reset_scoring=True)
    config = await feedback.configure(
        ctx, org, plan_id, weights={"preparation": 30, "politics": 30}
    )
    assert [c.weight for c in config.criteria] == [30, 30, 20]


def test_parse_numbers() -> None:
    assert feedback.parse_numbers("15 15, 15;15 20 20", 6) == [15, 15, 15, 15, 20, 20]
    for bad in ("15 15", "1.5 2 3", "", "a b c"):
        with pytest.raises(InvalidInput):
            feedback.parse_numbers(bad, 3)


def test_compute_score_rules() -> None:
    config = ScoringConfig(plan_id=1)
    full = {c.key: 4.0 for c in config.criteria}
    # attendance below the expected 85%: proportional points, and at best Khá
    low = compute_score(config, full, 0.8, 120)
    assert low is not None
    assert (low.attendance_points, low.points, low.level, low.capped) == (
        18.8,
        98.8,
        Level.FAIR,
        True,
    )
    assert low.attendance_ok is False
    # exactly 85% earns the points but is not "above 85%"
    edge = compute_score(config, full, 0.85, 120)
    assert (edge.attendance_points, edge.level, edge.attendance_ok) == (20.0, Level.FAIR, False)  # type: ignore[union-attr]
    # shorter than 90 minutes: at best Khá
    short = compute_score(config, full, 1.0, 60)
    assert (short.points, short.level, short.duration_ok) == (100.0, Level.FAIR, False)  # type: ignore[union-attr]
    # nobody invited: the criteria stand for the whole score
    alone = compute_score(config, {k: 3.0 for k in full}, None, 120)
    assert (alone.points, alone.attendance_points, alone.level) == (75.0, None, Level.FAIR)  # type: ignore[union-attr]
    # criteria nobody rated share their weight with the others
    part = compute_score(config, {"preparation": 4.0, "closing": 2.0}, 1.0, 120)
    assert part.points == pytest.approx(round((15 + 10) * 80 / 35 + 20, 1))  # type: ignore[union-attr]
    assert compute_score(config, {}, 1.0, 120) is None
    # a fractional average (mean of several delegates)
    mixed = compute_score(config, {k: 3.5 for k in full}, 1.0, 120)
    assert (mixed.points, mixed.level) == (90.0, Level.GOOD)  # type: ignore[union-attr]


# --------------------------------------------------------------------------- anonymisation


async def test_comments_are_anonymised_unless_the_plan_shows_names(ctx: Ctx, att: Attended) -> None:
    writers = att.present[:3]
    texts = ["Chuẩn bị chu đáo", "Điều hành tốt", "Nội dung sát thực tế"]
    for person, text in zip(writers, texts, strict=True):
        await feedback.save_ratings(ctx, person, att.session_id, ALL, 4)
        await feedback.set_comment(ctx, person, att.session_id, Part.WENT_WELL, text)
    await feedback.set_comment(ctx, writers[0], att.session_id, Part.PROPOSALS, "Nhân rộng mô hình")
    summary = await build_session_summary(ctx, att.session_id)
    went_well = summary.comments[Part.WENT_WELL]
    assert sorted(c.text for c in went_well) == sorted(texts)
    assert all(c.name is None for c in went_well)
    assert [c.text for c in summary.comments[Part.PROPOSALS]] == ["Nhân rộng mô hình"]
    assert summary.comments[Part.SHORTCOMINGS] == []
    await feedback.configure(ctx, att.organiser, att.crowd.plan.id, show_names=True)  # type: ignore[arg-type]
    named = (await build_session_summary(ctx, att.session_id)).comments[Part.WENT_WELL]
    by_name = sorted(zip(writers, texts, strict=True), key=lambda pair: sort_key(pair[0].full_name))
    assert [(c.name, c.text) for c in named] == [(p.full_name, t) for p, t in by_name]
