"""Zalo's webhook: the secret is checked, both envelopes are accepted, a probe gets 200, a
body without an event 400, and a delivery made twice is handled once (also after a restart)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import FrozenClock
from playground.zalo_harness import WEBHOOK_SECRET, ZaloHarness
from playground.zalo_stub import ZaloStub


@pytest.fixture
async def hooked(
    database_url: str, engine: AsyncEngine, clock: FrozenClock
) -> AsyncIterator[ZaloHarness]:
    harness = ZaloHarness(
        database_url=database_url, engine=engine, clock=clock, migrate=False, webhook=True
    )
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


def update(message_id: str, text_: str = "/trogiup") -> dict[str, object]:
    return {
        "event_name": "message.text.received",
        "message": {
            "from": {"id": "beef00beef00beef0001", "display_name": "Hoa", "is_bot": False},
            "chat": {"id": "beef00beef00beef0001", "chat_type": "PRIVATE"},
            "text": text_,
            "message_id": message_id,
            "date": 1750316131602,
        },
    }


async def inbound_count(bot: ZaloHarness) -> int:
    async with bot.engine.connect() as conn:
        return int((await conn.execute(text("SELECT count(*) FROM zalo_inbound"))).scalar_one())


async def test_a_wrong_or_missing_secret_is_refused(hooked: ZaloHarness) -> None:
    stub = hooked.stub
    assert await stub.post_webhook(update("m1"), None) == 401
    assert await stub.post_webhook(update("m2"), "wrong-secret-123") == 403
    assert await stub.post_webhook(update("m3"), WEBHOOK_SECRET[:-1]) == 403
    assert await inbound_count(hooked) == 0
    assert stub.sent == []


async def test_a_probe_gets_200_and_a_body_without_event_400(hooked: ZaloHarness) -> None:
    stub = hooked.stub
    assert await stub.post_webhook(b"", WEBHOOK_SECRET, content_type="") == 200
    assert await stub.post_webhook({"ok": True, "result": {}}, WEBHOOK_SECRET) == 400
    assert await stub.post_webhook(b"not json", WEBHOOK_SECRET) == 400
    assert await inbound_count(hooked) == 0


async def test_both_envelopes_and_a_duplicated_delivery_is_handled_once(
    hooked: ZaloHarness,
) -> None:
    stub = hooked.stub
    stub.duplicate_deliveries = True
    hoa = hooked.user("beef00beef00beef0001", "Hoa")
    first = await hoa.send("/trogiup")
    second = await hoa.send("/trogiup")
    assert first and second
    assert [d.wrapped for d in stub.deliveries] == [True, True, False, False]
    assert all(d.status == 200 for d in stub.deliveries)
    await hooked.processed(stub.deliveries[-1].body["message"]["message_id"])  # type: ignore[index]
    assert await inbound_count(hooked) == 2
    assert len(stub.sent_to(hoa.id)) == len(first) + len(second)


async def test_a_redelivery_after_a_restart_is_not_handled_again(
    database_url: str, engine: AsyncEngine, clock: FrozenClock
) -> None:
    stub = ZaloStub("1234567890:zalo-local-stub-token")
    await stub.start()
    try:
        options = {"database_url": database_url, "engine": engine, "clock": clock}
        first = ZaloHarness(**options, migrate=False, webhook=True, stub=stub)
        await first.start()
        assert await stub.post_webhook(update("again-1"), WEBHOOK_SECRET) == 200
        await first.processed("again-1")
        answered = len(stub.sent)
        assert answered >= 1
        await first.stop()
        second = ZaloHarness(**options, migrate=False, webhook=True, stub=stub)
        second.webhook_url = first.webhook_url
        await second.start()
        try:
            assert await stub.post_webhook(update("again-1"), WEBHOOK_SECRET) == 200
            await second.processed("again-1")
            assert len(stub.sent) == answered
            assert await inbound_count(second) == 1
        finally:
            await second.stop()
    finally:
        await stub.stop()
