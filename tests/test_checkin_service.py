"""Check-in: opening it, by QR token and by code, twice, the window, lateness, cancelled
sessions, uninvited people and guests, the wrong-code limit, manual check-in, unique codes,
and how few queries one check-in takes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from core.clock import FrozenClock
from services import checkin, invitations, sessions
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from storage.models import CheckIn, CheckinAttempt, CheckinConfig, CheckinMethod, SessionKind
from tests.test_participants_service import Crowd, build_crowd
from tests.test_plans_service import at

START = at(20, 1)  # the session starts on 20/1/2025 at 08:00 (Hà Nội)


@pytest.fixture
async def crowd(ctx: Ctx) -> Crowd:
    crowd = await build_crowd(ctx)
    await invitations.send(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    return crowd


@pytest.fixture
async def config(ctx: Ctx, crowd: Crowd) -> CheckinConfig:
    return await checkin.open_checkin(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]


def wrong_code(config: CheckinConfig, n: int) -> str:
    code = f"{(int(config.code) + 1 + n) % 1_000_000:06d}"
    assert code != config.code
    return code


async def checkins(ctx: Ctx) -> int:
    return int((await ctx.session.exec(select(func.count()).select_from(CheckIn))).one() or 0)


# --------------------------------------------------------------------------- opening


async def test_open_checkin_gives_a_token_and_a_code(
    ctx: Ctx, crowd: Crowd, config: CheckinConfig
) -> None:
    assert len(config.token) >= 20
    assert re.fullmatch(r"\d{6}", config.code)
    assert checkin.deep_link_payload(config) == "ci_" + config.token
    assert checkin.token_from_payload(checkin.deep_link_payload(config)) == config.token
    assert checkin.token_from_payload("inv_abc") is None
    assert (config.opens_before_minutes, config.closes_after_minutes) == (30, 60)
    assert (config.late_after_minutes, config.allow_guests) == (15, False)
    again = await checkin.open_checkin(ctx, crowd.org.org_ga, crowd.session.id)  # type: ignore[arg-type]
    assert (again.id, again.token, again.code) == (config.id, config.token, config.code)
    window = checkin.window_of(crowd.session, config)
    assert (window.opens_at, window.late_from, window.closes_at) == (
        START - timedelta(minutes=30),
        START + timedelta(minutes=15),
        START + timedelta(minutes=60),
    )


@pytest.mark.parametrize("who", ["sec_a1", "mem_a1", "leader_root", "sec_b1"])
async def test_only_organisers_open_and_configure(ctx: Ctx, crowd: Crowd, who: str) -> None:
    actor = getattr(crowd.org, who)
    with pytest.raises(PermissionDenied):
        await checkin.open_checkin(ctx, actor, crowd.session.id)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await checkin.configure_checkin(ctx, actor, crowd.session.id, allow_guests=True)  # type: ignore[arg-type]
    assert await checkin.config_for(ctx, crowd.session.id) is None  # type: ignore[arg-type]


async def test_no_checkin_without_a_time_or_when_cancelled(ctx: Ctx, crowd: Crowd) -> None:
    tentative = await sessions.create_session(
        ctx,
        crowd.org.org_root,
        crowd.plan.id,
        crowd.org.b1.id,
        SessionKind.THUONG_KY,
        "tháng 3",  # type: ignore[arg-type]
    )
    with pytest.raises(Conflict):
        await checkin.open_checkin(ctx, crowd.org.org_root, tentative.value.id)  # type: ignore[arg-type]
    await sessions.cancel_session(ctx, crowd.org.org_root, crowd.session.id, "Bão")  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        await checkin.open_checkin(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]


async def test_configure_checks_minutes(ctx: Ctx, crowd: Crowd, config: CheckinConfig) -> None:
    root = crowd.org.org_root
    sid: int = crowd.session.id  # type: ignore[assignment]
    for bad in ({"opens_before_minutes": -1}, {"closes_after_minutes": 0}):
        with pytest.raises(InvalidInput):
            await checkin.configure_checkin(ctx, root, sid, **bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as err:
        await checkin.configure_checkin(ctx, root, sid, late_after_minutes=61)
    assert err.value.params["limit"] == 60
    assert config.late_after_minutes == 15
    changed = await checkin.configure_checkin(
        ctx, root, sid, opens_before_minutes=45, closes_after_minutes=90, late_after_minutes=5
    )
    assert changed.id == config.id
    assert (changed.opens_before_minutes, changed.closes_after_minutes) == (45, 90)
    assert changed.late_after_minutes == 5


# --------------------------------------------------------------------------- checking in


async def test_check_in_by_token_then_again(
    ctx: Ctx, crowd: Crowd, config: CheckinConfig, clock: FrozenClock
) -> None:
    clock.set(START - timedelta(minutes=10))
    who = crowd.org.sec_a1
    first = await checkin.check_in(ctx, who, token=config.token)
    assert not first.value.already
    row = first.value.checkin
    assert (row.session_id, row.person_id) == (crowd.session.id, who.id)
    assert (row.method, row.late, row.guest, row.at) == (
        CheckinMethod.QR,
        False,
        False,
        clock.now(),
    )
    assert first.notices == [] and first.warnings == []
    clock.advance(timedelta(minutes=3))
    second = await checkin.check_in(ctx, who, token=config.token)
    assert second.value.already
    assert second.value.checkin.id == row.id
    assert second.value.checkin.at == START - timedelta(minutes=10)
    by_code = await checkin.check_in(ctx, who, code=config.code)
    assert by_code.value.already and by_code.value.checkin.method == CheckinMethod.QR
    assert await checkins(ctx) == 1


async def test_check_in_by_code(
    ctx: Ctx, crowd: Crowd, config: CheckinConfig, clock: FrozenClock
) -> None:
    clock.set(START)
    typed = f" {config.code[:3]} {config.code[3:]} "
    done = await checkin.check_in(ctx, crowd.named[1], code=typed)
    assert done.value.checkin.method == CheckinMethod.CODE
    assert done.value.session.id == crowd.session.id
    assert not done.value.late


async def test_bad_tokens_and_codes(
    ctx: Ctx, crowd: Crowd, config: CheckinConfig, clock: FrozenClock
) -> None:
    clock.set(START)
    for token in ("nope", "x" * 33, "ci_" + config.token, "a b"):
        with pytest.raises(NotFound):
            await checkin.check_in(ctx, crowd.org.sec_a1, token=token)
    for code in ("12345", "1234567", "abcdef", ""):
        with pytest.raises(InvalidInput):
            await checkin.check_in(ctx, crowd.org.sec_a1, code=code)
    with pytest.raises(ValueError):
        await checkin.check_in(ctx, crowd.org.sec_a1)
    # malformed input is not a guess: nothing counted
    assert (await ctx.session.exec(select(func.count()).select_from(CheckinAttempt))).one() == 0
    assert await checkins(ctx) == 0


async def test_the_window(
    ctx: Ctx, crowd: Crowd, config: CheckinConfig, clock: FrozenClock
) -> None:
    who = crowd.org.sec_b1
    clock.set(START - timedelta(minutes=31))
    with pytest.raises(Conflict) as err:
        await checkin.check_in(ctx, who, token=config.token)
    assert err.value.params["opens_at"] == START - timedelta(minutes=30)
    clock.set(START + timedelta(minutes=61))
    with pytest.raises(Conflict) as err:
        await checkin.check_in(ctx, who, code=config.code)
    assert err.value.params["closes_at"] == START + timedelta(minutes=60)
    assert await checkins(ctx) == 0
    clock.set(START - timedelta(minutes=30))  # the edges are inside
    await checkin.check_in(ctx, who, token=config.token)
    clock.set(START + timedelta(minutes=60))
    await checkin.check_in(ctx, crowd.org.sec_a2, token=config.token)
    assert await checkins(ctx) == 2


async def test_window_follows_a_reschedule(
    ctx: Ctx, crowd: Crowd, config: CheckinConfig, clock: FrozenClock
) -> None:
    await sessions.reschedule_session(ctx, crowd.org.org_root, crowd.session.id, at(21, 1))  # type: ignore[arg-type]
    clock.set(START)
    with pytest.raises(Conflict) as err:
        await checkin.check_in(ctx, crowd.org.sec_a1, token=config.token)
    assert err.value.params["opens_at"] == at(21, 1) - timedelta(minutes=30)


async def test_late_marking(
    ctx: Ctx, crowd: Crowd, config: CheckinConfig, clock: FrozenClock
) -> None:
    clock.set(START + timedelta(minutes=15))
    on_time = await checkin.check_in(ctx, crowd.officers[4], token=config.token)
    clock.set(START + timedelta(minutes=15, seconds=1))
    late = await checkin.check_in(ctx, crowd.officers[5], code=config.code)
    assert (on_time.value.late, late.value.late) == (False, True)
    await checkin.configure_checkin(ctx, crowd.org.org_root, crowd.session.id, late_after_minutes=5)  # type: ignore[arg-type]
    clock.set(START + timedelta(minutes=6))
    assert (await checkin.check_in(ctx, crowd.officers[6], token=config.token)).value.late


async def test_cancelled_session(
    ctx: Ctx, crowd: Crowd, config: CheckinConfig, clock: FrozenClock
) -> None:
    await sessions.cancel_session(ctx, crowd.org.org_root, crowd.session.id, "Bão số 3")  # type: ignore[arg-type]
    clock.set(START)
    for kwargs in ({"token": config.token}, {"code": config.code}):
        with pytest.raises(Conflict):
            await checkin.check_in(ctx, crowd.org.sec_a1, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        await checkin.manual_check_in(
            ctx,
            crowd.org.org_root,
            crowd.session.id,
            crowd.org.sec_a1.id,  # type: ignore[arg-type]
        )
    assert await checkins(ctx) == 0


async def test_uninvited_refused_then_guest(
    ctx: Ctx, crowd: Crowd, config: CheckinConfig, clock: FrozenClock
) -> None:
    clock.set(START + timedelta(minutes=20))
    stranger = crowd.org.mem_b1
    with pytest.raises(PermissionDenied):
        await checkin.check_in(ctx, stranger, token=config.token)
    await checkin.configure_checkin(ctx, crowd.org.org_root, crowd.session.id, allow_guests=True)  # type: ignore[arg-type]
    done = await checkin.check_in(ctx, stranger, code=config.code)
    row = done.value.checkin
    assert (row.guest, row.method, row.late) == (True, CheckinMethod.GUEST, True)
    assert done.value.guest


async def test_wrong_code_limit(
    ctx: Ctx, crowd: Crowd, config: CheckinConfig, clock: FrozenClock
) -> None:
    clock.set(START - timedelta(minutes=25))
    guesser, other, third = crowd.org.sec_a1, crowd.org.sec_a2, crowd.org.sec_b1
    left = []
    for n in range(5):
        with pytest.raises(NotFound) as err:
            await checkin.check_in(ctx, guesser, code=wrong_code(config, n))
        left.append(err.value.params["left"])
        clock.advance(timedelta(seconds=30))
    assert left == [4, 3, 2, 1, 0]
    # the attempts survive the caller's rollback
    await ctx.session.rollback()
    assert (await ctx.session.exec(select(func.count()).select_from(CheckinAttempt))).one() == 5
    with pytest.raises(Conflict) as blocked:
        await checkin.check_in(ctx, guesser, code=config.code)
    assert blocked.value.params["time"] == START - timedelta(minutes=15)
    # someone else's failures block nobody; the QR link is never blocked
    assert not (await checkin.check_in(ctx, other, code=config.code)).value.already
    assert not (await checkin.check_in(ctx, guesser, token=config.token)).value.already
    # ten minutes after the first wrong code, one more try is allowed
    clock.set(START - timedelta(minutes=15))
    with pytest.raises(NotFound):
        await checkin.check_in(ctx, third, code=wrong_code(config, 0))
    clock.set(START - timedelta(minutes=15, seconds=-1))
    assert (await checkin.check_in(ctx, guesser, code=config.code)).value.already
    # old attempts are cleared when a new one is recorded
    clock.advance(timedelta(minutes=20))
    with pytest.raises(NotFound):
        await checkin.check_in(ctx, guesser, code=wrong_code(config, 9))
    remaining = (
        await ctx.session.exec(
            select(func.count())
            .select_from(CheckinAttempt)
            .where(CheckinAttempt.person_id == guesser.id)
        )
    ).one()
    assert remaining == 1


async def test_manual_check_in(
    ctx: Ctx, crowd: Crowd, config: CheckinConfig, clock: FrozenClock
) -> None:
    sid: int = crowd.session.id  # type: ignore[assignment]
    clock.set(START - timedelta(minutes=31))
    with pytest.raises(Conflict):
        await checkin.manual_check_in(ctx, crowd.org.org_root, sid, crowd.org.sec_a1.id)  # type: ignore[arg-type]
    clock.set(START + timedelta(minutes=5))
    with pytest.raises(PermissionDenied):
        await checkin.manual_check_in(ctx, crowd.org.sec_a1, sid, crowd.org.dep_a1.id)  # type: ignore[arg-type]
    done = await checkin.manual_check_in(ctx, crowd.org.org_ga, sid, crowd.org.dep_a1.id)  # type: ignore[arg-type]
    row = done.value.checkin
    assert (row.method, row.by_id, row.guest, row.late) == (
        CheckinMethod.MANUAL,
        crowd.org.org_ga.id,
        False,
        False,
    )
    assert done.warnings == []
    again = await checkin.manual_check_in(ctx, crowd.org.org_root, sid, crowd.org.dep_a1.id)  # type: ignore[arg-type]
    assert again.value.already and again.value.checkin.id == row.id
    # after the window: still possible (a correction), lateness as told
    clock.set(START + timedelta(hours=3))
    guest = await checkin.manual_check_in(
        ctx,
        crowd.org.org_root,
        sid,
        crowd.org.mem_a1.id,  # type: ignore[arg-type]
        late=False,
    )
    assert (guest.value.guest, guest.value.late) == (True, False)
    assert [w.params["name"] for w in guest.warnings] == [crowd.org.mem_a1.full_name]
    with pytest.raises(NotFound):
        await checkin.manual_check_in(ctx, crowd.org.org_root, sid, 999_999)


async def test_codes_are_unique_among_live_sessions(
    ctx: Ctx, crowd: Crowd, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    draws = iter(["111111", "111111", "222222", "111111"])
    monkeypatch.setattr(checkin.config, "_random_code", lambda: next(draws))
    root = crowd.org.org_root
    first = await checkin.open_checkin(ctx, root, crowd.session.id)  # type: ignore[arg-type]
    other = await sessions.create_session(
        ctx,
        root,
        crowd.plan.id,
        crowd.org.b1.id,
        SessionKind.THUONG_KY,
        at(27, 1),  # type: ignore[arg-type]
    )
    second = await checkin.open_checkin(ctx, root, other.value.id)  # type: ignore[arg-type]
    assert (first.code, second.code) == ("111111", "222222")
    # once the first session's window has closed, its code may serve again
    clock.set(START + timedelta(hours=2))
    third = await sessions.create_session(
        ctx,
        root,
        crowd.plan.id,
        crowd.org.a2.id,
        SessionKind.THUONG_KY,
        at(28, 1),  # type: ignore[arg-type]
    )
    reused = await checkin.open_checkin(ctx, root, third.value.id)  # type: ignore[arg-type]
    assert reused.code == "111111"
    # the code leads to the live session, not the old one
    await invitations.send(ctx, root, third.value.id)  # type: ignore[arg-type]
    clock.set(at(28, 1))
    done = await checkin.check_in(ctx, crowd.org.sec_a2, code="111111")
    assert done.value.session.id == third.value.id


# --------------------------------------------------------------------------- speed


@pytest.fixture
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine.sync_engine, "before_cursor_execute", count)


async def test_one_check_in_is_a_handful_of_queries(
    ctx: Ctx, crowd: Crowd, config: CheckinConfig, clock: FrozenClock, statements: list[str]
) -> None:
    clock.set(START)
    people = crowd.invitees
    ctx.session.expunge_all()  # nothing cached: as in a fresh request
    for who in people[:3]:
        statements.clear()
        await checkin.check_in(ctx, who, token=config.token)
        # The config with its session and host, where the person stands (checked in before?
        # invited?), the insert, and the feedback request planned in the same transaction.
        assert len(statements) <= 4, statements
    for who in people[3:6]:
        statements.clear()
        await checkin.check_in(ctx, who, code=config.code)
        # The same four: the person's recent wrong codes come with the code's session.
        assert len(statements) <= 4, statements
    statements.clear()
    await checkin.check_in(ctx, people[0], token=config.token)
    assert len(statements) <= 2
