"""Invite links: tokens, expiry, withdrawal, use limits (also under a race), and who is told."""

from __future__ import annotations

import asyncio
import math
import re
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import FrozenClock
from services import invites, people, roles, units
from services.bootstrap import bootstrap
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from storage.engine import make_session_factory
from storage.models import InviteLink, Person, Role, Unit, UnitKind

WEEK = timedelta(days=7)
NOT_VALID = "This invite link is not valid. Please ask your organiser for a new one."
WITHDRAWN = "This invite link was withdrawn by the organiser. Please ask them for a new one."
EXPIRED = "This invite link has expired. Please ask your organiser for a new one."
USED = "This invite link has already been used. Please ask your organiser for a new one."


async def state(ctx: Ctx) -> dict[str, list[tuple[Any, ...]]]:
    """Every row that joining or inviting could touch (pending changes are flushed first)."""
    await ctx.session.flush()
    conn = await ctx.session.connection()
    out = {}
    for table in ("person", "membership", "invite_link", "unit"):
        rows = await conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))
        out[table] = [tuple(r) for r in rows.all()]
    return out


async def uses_of(ctx: Ctx, link: InviteLink) -> int:
    conn = await ctx.session.connection()
    found = await conn.execute(text("SELECT uses FROM invite_link WHERE id = :id"), {"id": link.id})
    return int(found.scalar_one())


@pytest.fixture
async def admin(ctx: Ctx) -> Person:
    await bootstrap(ctx, "Đảng ủy Khối", [1001])
    person = await people.by_chat_key(ctx, 1001)
    assert person is not None
    await people.update_profile(ctx, person, "Nguyễn Văn An", "Chánh Văn phòng")
    await ctx.session.commit()
    return person


@pytest.fixture
async def cell(ctx: Ctx, admin: Person) -> Unit:
    root = (await units.root_units(ctx))[0]
    grassroots = await units.create_unit(
        ctx, admin, root.id, "Đảng bộ cơ sở A", UnitKind.GRASSROOTS
    )  # type: ignore[arg-type]
    unit = await units.create_unit(ctx, admin, grassroots.id, "Chi bộ Kế toán", UnitKind.CELL)  # type: ignore[arg-type]
    await ctx.session.commit()
    return unit


async def invite(
    ctx: Ctx, admin: Person, unit: Unit, role: Role = Role.MEMBER, uses: int = 1
) -> InviteLink:
    link = await invites.create_invite(ctx, admin, unit.id, role, max_uses=uses, ttl=WEEK)  # type: ignore[arg-type]
    await ctx.session.commit()
    return link


async def join(ctx: Ctx, token: str, telegram_id: int, name: str = "Trần Thị Bình") -> Any:
    done = await invites.redeem(ctx, token, telegram_id, name, "Đảng viên", "vi")
    await ctx.session.commit()
    return done


# --- tokens -----------------------------------------------------------------------------------


def test_tokens_are_long_random_and_fit_a_deep_link() -> None:
    tokens = [invites.new_token() for _ in range(2000)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        # Telegram deep-link parameters: at most 64 characters of A-Z a-z 0-9 _ -
        assert re.fullmatch(r"[A-Za-z0-9_-]{22,64}", token)
    assert invites.TOKEN_BYTES * 8 >= 128
    # Every character position varies and the alphabet is used evenly: no fixed prefix or
    # counter hides in the token. (64 symbols, 48,000 draws: each ~750, far from 0 or 2x.)
    assert all(len({t[i] for t in tokens}) > 50 for i in range(len(tokens[0])))
    counts = Counter("".join(tokens))
    assert len(counts) == 64
    assert max(counts.values()) < 2 * min(counts.values())
    # Shannon entropy per character close to log2(64) = 6 bits.
    total = sum(counts.values())
    entropy = -sum(c / total * math.log2(c / total) for c in counts.values())
    assert entropy > 5.95


async def test_created_links_have_distinct_tokens(ctx: Ctx, admin: Person, cell: Unit) -> None:
    links = [await invite(ctx, admin, cell) for _ in range(20)]
    assert len({link.token for link in links}) == 20
    assert all(len(link.token) >= 22 for link in links)


# --- creating ---------------------------------------------------------------------------------


async def test_create_sets_expiry_and_uses(
    ctx: Ctx, admin: Person, cell: Unit, clock: FrozenClock
) -> None:
    link = await invite(ctx, admin, cell, Role.SECRETARY, uses=5)
    assert (link.role, link.max_uses, link.uses, link.revoked_at) == (Role.SECRETARY, 5, 0, None)
    assert link.expires_at == clock.now() + WEEK
    assert link.created_by_id == admin.id


@pytest.mark.parametrize(
    ("uses", "ttl"),
    [(0, WEEK), (-1, WEEK), (1001, WEEK), (1, timedelta(0)), (1, timedelta(days=366))],
)
async def test_create_refuses_bad_limits(
    ctx: Ctx, admin: Person, cell: Unit, uses: int, ttl: timedelta
) -> None:
    before = await state(ctx)
    with pytest.raises(InvalidInput):
        await invites.create_invite(ctx, admin, cell.id, Role.MEMBER, max_uses=uses, ttl=ttl)  # type: ignore[arg-type]
    assert await state(ctx) == before


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.MEMBER, Role.LEADER, None])
async def test_only_organisers_create_links(
    ctx: Ctx, admin: Person, cell: Unit, role: Role | None
) -> None:
    other = await people.ensure_person(ctx, 3001)
    if role is not None:
        await roles.add_membership(ctx, other, cell.id, role)  # type: ignore[arg-type]
    before = await state(ctx)
    with pytest.raises(PermissionDenied):
        await invites.create_invite(ctx, other, cell.id, Role.MEMBER, max_uses=1, ttl=WEEK)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await invites.active_invites(ctx, other, cell.id)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        await invites.create_invite(ctx, admin, 999_999, Role.MEMBER, max_uses=1, ttl=WEEK)
    assert await state(ctx) == before


# --- checking a token -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["", "   ", "nonexistent-token-000000", "x" * 5000, "😀", "' OR 1=1 --", "\x00", "a\x00b"],
)
async def test_wrong_tokens(ctx: Ctx, admin: Person, cell: Unit, token: str) -> None:
    await invite(ctx, admin, cell)
    before = await state(ctx)
    with pytest.raises(NotFound) as err:
        await invites.check_token(ctx, token)
    assert err.value.msgid == NOT_VALID
    with pytest.raises(NotFound):
        await invites.redeem(ctx, token, 2001, "Trần Thị Bình", "Đảng viên", "vi")
    assert await state(ctx) == before


async def test_token_must_match_exactly(ctx: Ctx, admin: Person, cell: Unit) -> None:
    link = await invite(ctx, admin, cell)
    for near in (link.token[:-1], link.token + "A", link.token.swapcase()):
        with pytest.raises(NotFound):
            await invites.check_token(ctx, near)
    assert (await invites.check_token(ctx, f"  {link.token} ")).id == link.id


async def test_expiry(ctx: Ctx, admin: Person, cell: Unit, clock: FrozenClock) -> None:
    link = await invite(ctx, admin, cell)
    clock.advance(WEEK - timedelta(seconds=1))
    assert (await invites.check_token(ctx, link.token)).id == link.id
    assert [ln.id for ln in await invites.active_invites(ctx, admin, cell.id)] == [link.id]  # type: ignore[arg-type]
    clock.advance(timedelta(seconds=1))
    before = await state(ctx)
    with pytest.raises(Conflict) as err:
        await invites.check_token(ctx, link.token)
    assert err.value.msgid == EXPIRED
    with pytest.raises(Conflict):
        await join(ctx, link.token, 2001)
    assert await invites.active_invites(ctx, admin, cell.id) == []  # type: ignore[arg-type]
    assert await state(ctx) == before


# --- withdrawing ------------------------------------------------------------------------------


async def test_revoke(ctx: Ctx, admin: Person, cell: Unit, clock: FrozenClock) -> None:
    link = await invite(ctx, admin, cell, uses=5)
    revoked = await invites.revoke_invite(ctx, admin, link.id)  # type: ignore[arg-type]
    assert revoked.revoked_at == clock.now()
    await ctx.session.commit()
    before = await state(ctx)
    with pytest.raises(Conflict) as err:
        await join(ctx, link.token, 2001)
    assert err.value.msgid == WITHDRAWN
    assert await invites.active_invites(ctx, admin, cell.id) == []  # type: ignore[arg-type]
    # Withdrawing twice keeps the first time.
    clock.advance(timedelta(hours=1))
    again = await invites.revoke_invite(ctx, admin, link.id)  # type: ignore[arg-type]
    assert again.revoked_at == revoked.revoked_at
    assert await state(ctx) == before


async def test_revoke_needs_rights(ctx: Ctx, admin: Person, cell: Unit) -> None:
    link = await invite(ctx, admin, cell)
    member = (await join(ctx, (await invite(ctx, admin, cell)).token, 2001)).person
    before = await state(ctx)
    with pytest.raises(PermissionDenied):
        await invites.revoke_invite(ctx, member, link.id)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        await invites.revoke_invite(ctx, admin, 999_999)
    assert await state(ctx) == before
    assert (await invites.check_token(ctx, link.token)).revoked_at is None


# --- using ------------------------------------------------------------------------------------


async def test_redeem_creates_person_and_membership(ctx: Ctx, admin: Person, cell: Unit) -> None:
    link = await invite(ctx, admin, cell, Role.SECRETARY)
    done = await invites.redeem(ctx, link.token, 2001, " trần  thị bình ", " Bí thư ", "en")
    await ctx.session.commit()
    assert not done.already_member
    assert (done.person.full_name, done.person.position) == ("trần thị bình", "Bí thư")
    assert (done.person.telegram_id, done.person.locale) == (2001, "en")
    assert (done.unit.id, done.role) == (cell.id, Role.SECRETARY)
    assert await roles.roles_of(ctx, done.person) == {Role.SECRETARY}
    assert await uses_of(ctx, link) == 1


async def test_use_limit(ctx: Ctx, admin: Person, cell: Unit) -> None:
    link = await invite(ctx, admin, cell, uses=2)
    await join(ctx, link.token, 2001)
    await join(ctx, link.token, 2002)
    before = await state(ctx)
    with pytest.raises(Conflict) as err:
        await join(ctx, link.token, 2003)
    assert err.value.msgid == USED
    assert await state(ctx) == before
    assert await uses_of(ctx, link) == 2


@pytest.mark.parametrize(
    ("name", "position"),
    [("", "Đảng viên"), ("😀", "Đảng viên"), ("x" * 5000, "Đảng viên"), ("An 2", "Đảng viên")]
    + [("Trần Thị Bình", p) for p in ("", "😀", "y" * 5000)],
)
async def test_bad_profile_uses_nothing(
    ctx: Ctx, admin: Person, cell: Unit, name: str, position: str
) -> None:
    link = await invite(ctx, admin, cell)
    before = await state(ctx)
    with pytest.raises(InvalidInput):
        await invites.redeem(ctx, link.token, 2001, name, position, "vi")
    assert await state(ctx) == before
    await join(ctx, link.token, 2001)  # the link is still good


async def test_already_member_does_not_use_the_link(ctx: Ctx, admin: Person, cell: Unit) -> None:
    link = await invite(ctx, admin, cell, uses=2)
    first = await join(ctx, link.token, 2001)
    before = await state(ctx)
    again = await join(ctx, link.token, 2001)
    assert again.already_member
    assert again.person.id == first.person.id
    assert again.organisers == []  # nobody is told twice
    assert await state(ctx) == before


async def test_member_reopening_a_used_up_link_is_told_they_are_in(
    ctx: Ctx, admin: Person, cell: Unit, clock: FrozenClock
) -> None:
    link = await invite(ctx, admin, cell, uses=1)
    await join(ctx, link.token, 2001)
    before = await state(ctx)
    assert (await join(ctx, link.token, 2001)).already_member
    clock.advance(WEEK * 2)  # and after it expired
    assert (await join(ctx, link.token, 2001)).already_member
    assert await state(ctx) == before
    with pytest.raises(Conflict):  # anyone else is still refused
        await join(ctx, link.token, 2002)


async def test_joining_a_second_unit_keeps_the_first(ctx: Ctx, admin: Person, cell: Unit) -> None:
    root = (await units.root_units(ctx))[0]
    first = await join(ctx, (await invite(ctx, admin, cell, Role.SECRETARY)).token, 2001)
    second = await join(ctx, (await invite(ctx, admin, root, Role.MEMBER)).token, 2001, "Bình")
    assert second.person.id == first.person.id
    assert second.person.full_name == "Bình"
    assert await roles.roles_of(ctx, second.person) == {Role.SECRETARY, Role.MEMBER}


# --- the race for the last use ----------------------------------------------------------------


async def test_two_sessions_one_use_sequential(
    engine: AsyncEngine, ctx: Ctx, admin: Person, cell: Unit
) -> None:
    link = await invite(ctx, admin, cell, uses=1)
    sessions = make_session_factory(engine)
    async with sessions() as s1, sessions() as s2:
        a, b = Ctx(s1, ctx.clock), Ctx(s2, ctx.clock)
        # Both see a usable link...
        # (Keep b's copy: it still says "unused" when b redeems, as in a real race.)
        seen_by_b = await invites.check_token(b, link.token)
        await invites.check_token(a, link.token)
        # ...the first one takes it, the second one finds it taken.
        await invites.redeem(a, link.token, 2001, "Trần Thị Bình", "Đảng viên", "vi")
        await s1.commit()
        with pytest.raises(Conflict):
            await invites.redeem(b, link.token, 2002, "Lê Văn Cường", "Đảng viên", "vi")
        assert seen_by_b.uses == 0  # b went by its stale copy; the claim itself refused
        await s2.rollback()
    rows = (await state(ctx))["person"]
    assert [r[1] for r in rows] == [1001, 2001]
    assert await uses_of(ctx, link) == 1


async def test_two_sessions_one_use_concurrent(
    engine: AsyncEngine, ctx: Ctx, admin: Person, cell: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = await invite(ctx, admin, cell, uses=1)
    sessions = make_session_factory(engine)
    # Hold both redeemers after they checked the link and before they claim it, so the race
    # really happens each time.
    barrier = asyncio.Barrier(2)
    lookup = people.by_chat_key

    waited: set[int] = set()

    async def by_telegram_id_after_barrier(c: Ctx, telegram_id: int) -> Person | None:
        if telegram_id not in waited:  # (it is looked up again when the person is made)
            waited.add(telegram_id)
            await barrier.wait()
        return await lookup(c, telegram_id)

    monkeypatch.setattr(invites.people, "by_chat_key", by_telegram_id_after_barrier)

    async def attempt(telegram_id: int) -> str:
        async with sessions() as session:
            c = Ctx(session, ctx.clock)
            try:
                await invites.redeem(c, link.token, telegram_id, "Trần Thị Bình", "Đảng viên", "vi")
            except Conflict:
                await session.rollback()
                return "refused"
            await session.commit()
            return "joined"

    results = await asyncio.wait_for(asyncio.gather(attempt(2001), attempt(2002)), 20)
    assert sorted(results) == ["joined", "refused"]
    monkeypatch.undo()
    assert await uses_of(ctx, link) == 1
    joined = 2001 if results[0] == "joined" else 2002
    assert [r[1] for r in (await state(ctx))["person"]] == [1001, joined]
    assert len((await state(ctx))["membership"]) == 2


# --- who is told ------------------------------------------------------------------------------


async def test_nearest_organisers_are_told(ctx: Ctx, admin: Person, cell: Unit) -> None:
    done = await join(ctx, (await invite(ctx, admin, cell)).token, 2001)
    assert [p.id for p in done.organisers] == [admin.id]
    # An organiser of the đảng bộ cơ sở is nearer: only they are told.
    grassroots_id = cell.parent_id
    assert grassroots_id is not None
    org = await join(
        ctx,
        (await invite(ctx, admin, await units.get_unit(ctx, grassroots_id), Role.ORGANISER)).token,
        2002,
        "Lê Văn Cường",
    )
    assert [p.id for p in org.organisers] == [admin.id]
    done = await join(ctx, (await invite(ctx, admin, cell)).token, 2003, "Phạm Thị Dung")
    assert [p.id for p in done.organisers] == [org.person.id]


async def test_an_organiser_joining_is_not_told_about_themselves(
    ctx: Ctx, admin: Person, cell: Unit
) -> None:
    first = await join(ctx, (await invite(ctx, admin, cell, Role.ORGANISER)).token, 2001)
    assert [p.id for p in first.organisers] == [admin.id]
    # The cell has an organiser now; a second one is told about, not the joiner.
    second = await join(
        ctx, (await invite(ctx, admin, cell, Role.ORGANISER)).token, 2002, "Lê Cường"
    )
    assert [p.id for p in second.organisers] == [first.person.id]
    root = (await units.root_units(ctx))[0]
    own = await join(
        ctx, (await invite(ctx, admin, root, Role.MEMBER)).token, 1001, "Nguyễn Văn An"
    )
    assert own.organisers == []
