"""What organisers see is scoped to their units and below (issue 16, the leak): /hangdoi shows
an organiser of one đảng bộ only the deliveries to people of that đảng bộ; the top committee's
organisers see every delivery."""

from __future__ import annotations

from core.clock import FrozenClock
from playground.harness import BotHarness
from services import outbox, roles
from services.context import Ctx
from services.outbox import Planned
from storage.engine import make_session_factory
from storage.models import Person, Role
from tests.e2e_steps import only_text
from tests.test_report_session_e2e import MEM, ORG, SEC_B, World, build

ORG_GA, ORG_GB = 3101, 3102


async def _world(bot: BotHarness, clock: FrozenClock) -> World:
    """build()'s tree, an organiser for each đảng bộ cơ sở, and one failed delivery to the
    member of Chi bộ Khu phố 1 (under Phường 1) and one to the secretary of Chi bộ Khu phố 3
    (under Phường 2): both have blocked the bot."""
    world = await build(bot, clock)
    async with make_session_factory(bot.engine)() as session:
        ctx = Ctx(session, clock)
        for telegram_id, name, unit in [
            (ORG_GA, "Lê Văn Giáp", "ga"),
            (ORG_GB, "Phạm Thị Bình", "gb"),
        ]:
            person = Person(
                telegram_id=telegram_id, full_name=name, position="—", created_at=clock.now()
            )
            session.add(person)
            await session.flush()
            await roles.add_membership(ctx, person, world.units[unit], Role.ORGANISER)
        await outbox.plan(
            ctx,
            [
                Planned(
                    key=f"leak-{key}",
                    kind="test",
                    person_id=world.people[key],
                    subject_type="session",
                    subject_id=1,
                    due_at=clock.now(),
                    msgid="Stopped. Nothing was changed.",
                )
                for key in ("mem", "sec_b")
            ],
        )
        await session.commit()
    bot.stub.block_bot(MEM)
    bot.stub.block_bot(SEC_B)
    await bot.drain()
    return world


async def test_the_outbox_report_shows_only_the_organisers_own_units(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await _world(bot, clock)
    ga = only_text(await bot.user(ORG_GA, "Giáp").send("/hangdoi"))
    assert "Hoàng Văn Cường" in ga  # the member under Phường 1
    assert "Bùi Văn Em" not in ga  # the secretary under Phường 2: not theirs
    assert "• thất bại: 1" in ga
    gb = only_text(await bot.user(ORG_GB, "Bình").send("/hangdoi"))
    assert "Bùi Văn Em" in gb and "Hoàng Văn Cường" not in gb
    assert "• thất bại: 1" in gb
    top = only_text(await bot.user(ORG, "Tổ").send("/hangdoi"))
    assert "Bùi Văn Em" in top and "Hoàng Văn Cường" in top
    assert "• thất bại: 2" in top


async def test_a_secretary_sees_no_outbox(bot: BotHarness, clock: FrozenClock) -> None:
    await _world(bot, clock)
    reply = only_text(await bot.user(3002, "An").send("/hangdoi"))
    assert "Chỉ Ban Tổ chức" in reply
    assert "Hoàng Văn Cường" not in reply
