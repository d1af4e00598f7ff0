"""The local Zalo Bot API stub answers as the platform is documented to: envelopes, the nine
methods with JSON, form and query parameters, its errors, one update per poll or a 408, the
webhook deliveries, the photo fetch, and the faults it injects."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from playground.zalo_stub import ZaloStub

TOKEN = "1234567890:stub-test-token"


@pytest.fixture
async def stub() -> AsyncIterator[ZaloStub]:
    async with ZaloStub(TOKEN) as running:
        yield running


def url(stub: ZaloStub, method: str, token: str = TOKEN) -> str:
    return f"{stub.base_url}/bot{token}/{method}"


async def test_envelopes_tokens_and_unknown_methods(stub: ZaloStub) -> None:
    async with httpx.AsyncClient() as http:
        me = (await http.post(url(stub, "getMe"))).json()
        assert me == {
            "ok": True,
            "result": {
                "id": "1234567890",
                "account_name": "bot.chibot",
                "account_type": "BASIC",
                "can_join_groups": False,
            },
        }
        bad = await http.post(url(stub, "getMe", "1234567890:wrong"))
        assert bad.status_code == 401 and bad.json()["error_code"] == 401
        assert bad.json()["ok"] is False
        unknown = await http.post(url(stub, "sendDocument"), json={"chat_id": "u"})
        assert unknown.status_code == 404
        lower = await http.post(url(stub, "sendmessage"), json={"chat_id": "u", "text": "x"})
        assert lower.status_code == 404  # method names are case-sensitive
        action = (await http.post(url(stub, "sendChatAction"), json={"chat_id": "u"})).json()
        assert action == {"ok": True}


async def test_json_form_and_query_parameters_and_text_limits(stub: ZaloStub) -> None:
    async with httpx.AsyncClient() as http:
        by_json = await http.post(url(stub, "sendMessage"), json={"chat_id": "u1", "text": "a"})
        by_form = await http.post(url(stub, "sendMessage"), data={"chat_id": "u1", "text": "b"})
        by_query = await http.post(url(stub, "sendMessage"), params={"chat_id": "u1", "text": "c"})
        for answer in (by_json, by_form, by_query):
            result = answer.json()["result"]
            assert set(result) == {"message_id", "date"} and result["date"] > 1.7e12
        assert [s.text for s in stub.sent_to("u1")] == ["a", "b", "c"]
        for text in ("", "x" * 2001):
            refused = await http.post(
                url(stub, "sendMessage"), json={"chat_id": "u1", "text": text}
            )
            assert refused.status_code == 400
        exact = await http.post(
            url(stub, "sendMessage"), json={"chat_id": "u1", "text": "x" * 2000}
        )
        assert exact.status_code == 200
        assert [r[1] for r in stub.refused] == [400, 400]


async def test_webhook_secret_limits_and_info(stub: ZaloStub) -> None:
    async with httpx.AsyncClient() as http:
        for secret in ("short", "x" * 257):
            answer = await http.post(
                url(stub, "setWebhook"),
                json={"url": "https://bot.example/h", "secret_token": secret},
            )
            assert answer.status_code == 400
        ok = await http.post(
            url(stub, "setWebhook"), json={"url": "https://bot.example/h", "secret_token": "s" * 8}
        )
        assert ok.json()["result"]["url"] == "https://bot.example/h"
        info = (await http.post(url(stub, "getWebhookInfo"))).json()["result"]
        assert info["url"] == "https://bot.example/h"
        polled = await http.post(url(stub, "getUpdates"), json={"timeout": "1"})
        assert polled.status_code == 400  # no polling while a webhook is set
        gone = (await http.post(url(stub, "deleteWebhook"))).json()["result"]
        assert gone["url"] == ""


async def test_one_update_per_poll_or_408_after_the_timeout(stub: ZaloStub) -> None:
    user = stub.user("u2", "Hoa")
    first, second = stub.send_text(user, "một"), stub.send_text(user, "hai")
    async with httpx.AsyncClient() as http:
        got = [
            (await http.post(url(stub, "getUpdates"), json={"timeout": "1"})).json()["result"]
            for _ in range(2)
        ]
        assert [g["message"]["message_id"] for g in got] == [first, second]
        assert got[0]["event_name"] == "message.text.received"
        assert got[0]["message"]["from"] == {"id": "u2", "display_name": "Hoa", "is_bot": False}
        started = time.monotonic()
        empty = await http.post(url(stub, "getUpdates"), data={"timeout": "1"})
        assert empty.status_code == 408 and empty.json()["description"] == "Request timeout"
        assert 0.9 <= time.monotonic() - started < 5


async def test_send_photo_fetches_the_url(stub: ZaloStub) -> None:
    user = stub.user("u3")
    stub.send_image(user, "ảnh", png=True)  # serves a PNG at /media/p1.png
    photo = f"{stub.base_url}/media/p1.png"
    async with httpx.AsyncClient() as http:
        sent = await http.post(
            url(stub, "sendPhoto"), json={"chat_id": "u3", "photo": photo, "caption": "Biểu đồ"}
        )
        assert sent.status_code == 200
        missing = await http.post(
            url(stub, "sendPhoto"), json={"chat_id": "u3", "photo": f"{stub.base_url}/media/x"}
        )
        assert missing.status_code == 200  # Zalo's answer to a broken URL is unknown: recorded
    fetched = stub.photo_fetches
    assert (fetched[0].status, fetched[0].content_type, fetched[0].size > 60) == (
        200,
        "image/png",
        True,
    )
    assert fetched[1].status == 404


async def test_faults_429_5xx_slow_and_408(stub: ZaloStub) -> None:
    stub.fail_next("sendMessage", 429)
    stub.fail_next("sendMessage", 502)
    stub.slow_next("getMe", 0.3)
    stub.fail_next("getUpdates", 408, times=2)
    body = {"chat_id": "u", "text": "x"}
    async with httpx.AsyncClient() as http:
        assert (await http.post(url(stub, "sendMessage"), json=body)).status_code == 429
        assert (await http.post(url(stub, "sendMessage"), json=body)).status_code == 502
        assert (await http.post(url(stub, "sendMessage"), json=body)).status_code == 200
        started = time.monotonic()
        assert (await http.post(url(stub, "getMe"))).status_code == 200
        assert time.monotonic() - started >= 0.3
        stub.send_text(stub.user("u"), "có")
        for _ in range(2):
            assert (
                await http.post(url(stub, "getUpdates"), json={"timeout": "5"})
            ).status_code == 408
        assert (await http.post(url(stub, "getUpdates"), json={"timeout": "5"})).status_code == 200


async def test_webhook_deliveries_alternate_envelopes_and_may_repeat(stub: ZaloStub) -> None:
    received: list[tuple[str | None, dict[str, object]]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Bot-Api-Secret-Token"), await request.json()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with httpx.AsyncClient() as http:
            await http.post(
                url(stub, "setWebhook"),
                json={"url": f"http://127.0.0.1:{port}/hook", "secret_token": "hook-secret"},
            )
        user = stub.user("u4")
        stub.duplicate_deliveries = True
        stub.send_text(user, "một")
        stub.send_sticker(user)
        for _ in range(100):
            if len(stub.deliveries) == 4:
                break
            await asyncio.sleep(0.02)
        assert [d.status for d in stub.deliveries] == [200] * 4
        assert {secret for secret, _ in received} == {"hook-secret"}
        wrapped = [body for _, body in received if body.get("ok") is True]
        flat = [body for _, body in received if "event_name" in body]
        assert len(wrapped) == 2 and len(flat) == 2
        assert flat[0]["event_name"] == "message.sticker.received"
    finally:
        await runner.cleanup()
