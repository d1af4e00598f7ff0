"""The flows on Zalo, end to end: the real application, Zalo only, driven through the local
Zalo Bot API stub by typing texts and numbers (long polling, and the webhook)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import FrozenClock
from playground.zalo_harness import ZaloHarness, ZaloUser
from playground.zalo_stub import ZaloStub
from services import accounts
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import Channel
from tests.e2e_steps import ADMIN_NAME, ADMIN_POSITION, ROOT

ADMIN_ZALO_ID = "a1b2c3d4e5f60718293a"


async def seeded_admin_key(engine: AsyncEngine, clock: FrozenClock) -> int:
    """The admin's Zalo account, created before the bot starts (set-up: BOOTSTRAP_ADMIN_IDS
    then names its chat key)."""
    async with make_session_factory(engine)() as session:
        account = await accounts.ensure(Ctx(session, clock), Channel.ZALO, ADMIN_ZALO_ID, "An")
        await session.commit()
        return accounts.chat_key(account)


async def rows(bot: ZaloHarness, sql: str) -> list[tuple[object, ...]]:
    async with bot.engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(text(sql))).all()]


def assert_zalo_clean(stub: ZaloStub) -> None:
    """No call was refused (a text over 2,000 characters would be a 400) and no text names
    Telegram's buttons."""
    assert not [r for r in stub.refused if r[0] != "getUpdates"], stub.refused
    for sent in stub.sent:
        assert sent.text and 1 <= len(sent.text) <= 2000
        assert "bấm" not in sent.text.lower(), sent.text


@pytest.fixture(params=["polling", "webhook"])
async def zalo_bot(
    request: pytest.FixtureRequest, database_url: str, engine: AsyncEngine, clock: FrozenClock
) -> AsyncIterator[ZaloHarness]:
    key = await seeded_admin_key(engine, clock)
    harness = ZaloHarness(
        database_url=database_url,
        engine=engine,
        clock=clock,
        migrate=False,
        bootstrap_admin_ids=[key],
        webhook=request.param == "webhook",
    )
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


async def admin_ready(bot: ZaloHarness) -> ZaloUser:
    admin = bot.user(ADMIN_ZALO_ID, "An")
    await admin.send("/start")
    await admin.send(ADMIN_NAME)
    await admin.send(ADMIN_POSITION)
    return admin


async def test_units_invites_and_language_by_numbers(zalo_bot: ZaloHarness) -> None:
    admin = await admin_ready(zalo_bot)
    units = await admin.send("/donvi")
    assert "1. ➕ Thêm đơn vị" in units[-1].text, units[-1].text
    assert "Trả lời bằng số (1–3)." in (units[-1].text or "")
    await admin.choose("➕ Thêm đơn vị")
    await admin.choose(ROOT)
    await admin.choose("Chi bộ")
    await admin.send("Chi bộ Phòng Tài chính")
    assert await rows(zalo_bot, "SELECT name, kind FROM unit ORDER BY id") == [
        (ROOT, "committee"),
        ("Chi bộ Phòng Tài chính", "cell"),
    ]
    await admin.send("/moi")
    await admin.choose("· Chi bộ Phòng Tài chính")
    await admin.send("bi thu chi bo")
    invite = await admin.choose("1")
    assert invite and invite[-1].text
    await admin.send("/ngonngu")
    switched = await admin.send("english")
    assert switched[-1].text.startswith("Language set to English."), switched[-1].text
    assert_zalo_clean(zalo_bot.stub)
