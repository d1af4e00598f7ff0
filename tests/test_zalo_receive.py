"""Receiving from Zalo without the bot: the poller (deleteWebhook first, one update per call,
408 as none, backing off on errors, stopping cleanly) and the normaliser of both envelopes."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

from channels.zalo.client import ZaloClient
from channels.zalo.normalise import normalise, unwrap
from channels.zalo.receive import ZaloPoller
from channels.zalo.render import zalo_words
from playground.zalo_stub import ZaloStub

TOKEN = "1234567890:receive-test-token"


class Inbox:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    async def receive(self, body: dict[str, Any]) -> bool:
        self.bodies.append(body)
        return True


async def until(check: Any, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_the_poller_deletes_the_webhook_takes_updates_and_backs_off() -> None:
    async with ZaloStub(TOKEN) as stub:
        client = ZaloClient(TOKEN, stub.base_url)
        await client.set_webhook("https://bot.example/hook", "secret-123")
        inbox = Inbox()
        poller = ZaloPoller(client, inbox, wait_seconds=1, first_backoff=0.05)  # type: ignore[arg-type]
        stub.fail_next("getUpdates", 429)
        stub.fail_next("getUpdates", 502)
        stub.fail_next("getUpdates", 408, times=3)
        await poller.start()
        try:
            assert stub.webhook_url == ""  # deleteWebhook came first
            await until(lambda: len(stub.calls) >= 7)  # deleteWebhook + 5 faults + a waiting poll
            assert poller.errors == 2  # 429 and 502; the 408s are "no update"
            user = stub.user("u1")
            first = stub.send_text(user, "một")
            second = stub.send_text(user, "hai")
            await until(lambda: len(inbox.bodies) == 2)
            assert [b["message"]["message_id"] for b in inbox.bodies] == [first, second]
        finally:
            started = time.monotonic()
            await poller.stop()
            assert time.monotonic() - started < 1.0  # not waiting for the poll to end
            await client.close()


async def test_an_update_is_not_lost_by_a_poller_that_stopped_mid_poll() -> None:
    async with ZaloStub(TOKEN) as stub:
        client = ZaloClient(TOKEN, stub.base_url)
        inbox = Inbox()
        poller = ZaloPoller(client, inbox, wait_seconds=2)  # type: ignore[arg-type]
        await poller.start()
        await asyncio.sleep(0.2)  # a getUpdates is waiting
        await poller.stop()
        sent = stub.send_text(stub.user("u2"), "sau khi dừng")
        await asyncio.sleep(0.3)
        again = ZaloPoller(client, inbox, wait_seconds=2)  # type: ignore[arg-type]
        await again.start()
        try:
            await until(lambda: len(inbox.bodies) == 1)
            assert inbox.bodies[0]["message"]["message_id"] == sent
        finally:
            await again.stop()
            await client.close()


def test_both_envelopes_and_the_field_variants() -> None:
    inner = {
        "event_name": "message.image.received",
        "message": {
            "from": {"id": "abc", "first_name": "Nguyễn Văn A"},
            "chat": {"id": "abc", "chat_type": "PRIVATE"},
            "photo": "https://photo.example/1.jpg",
            "caption": "biên bản",
            "message_id": "m1",
            "date": 1750316131602,
        },
    }
    assert unwrap({"ok": True, "result": inner}) == inner
    assert unwrap(inner) == inner
    assert unwrap({"ok": True, "result": {}}) is None
    assert unwrap([]) is None
    event = normalise(inner)
    assert event is not None
    assert (event.kind, event.name, event.photo_url, event.caption) == (
        "image",
        "Nguyễn Văn A",
        "https://photo.example/1.jpg",
        "biên bản",
    )
    assert event.date == datetime(2025, 6, 19, 6, 55, 31, 602000, tzinfo=UTC)
    inner["message"]["photo_url"] = "https://photo.example/2.jpg"  # type: ignore[index]
    assert normalise(inner).photo_url == "https://photo.example/2.jpg"  # type: ignore[union-attr]
    assert normalise({"event_name": "message.text.received", "message": {"text": "x"}}) is None
    voice = normalise(
        {
            "event_name": "message.voice.received",
            "message": {"from": {"id": "a"}, "message_id": "v"},
        }
    )
    assert voice is not None and voice.kind == "voice"


def test_telegram_words_are_said_the_zalo_way() -> None:
    assert zalo_words("Xin dùng các nút bên dưới, hoặc bấm ❓ Trợ giúp.") == (
        "Xin dùng các lựa chọn, hoặc chọn ❓ Trợ giúp."
    )
    assert zalo_words("Bấm vào một buổi để xem chi tiết.") == "Chọn một buổi để xem chi tiết."
    assert zalo_words("bấm /gopy và chọn mức") == "gõ /gopy và chọn mức"
    assert zalo_words("Nút này không còn dùng được.") == "Lựa chọn này không còn dùng được."
    assert zalo_words("Xin chọn một mức trên các nút bấm.") == (
        "Xin chọn một mức trong các lựa chọn."
    )
    assert zalo_words("Chi bộ Phòng Kế toán") == "Chi bộ Phòng Kế toán"
