"""The Zalo client against a mock transport: envelopes, every documented error code, and the
token kept out of every error."""

from __future__ import annotations

import json

import httpx
import pytest

from channels.zalo.client import (
    Forbidden,
    NotFound,
    TooManyRequests,
    Unauthorized,
    ZaloClient,
    ZaloError,
    ZaloNetworkError,
)

TOKEN = "12345689:zalo-secret-token-value"


def client(handler: object) -> ZaloClient:
    return ZaloClient(TOKEN, "http://zalo.test", transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


async def test_calls_post_json_to_the_method_url_and_return_the_result() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True, "result": {"message_id": "m1", "date": 5}})

    zalo = client(answer)
    sent = await zalo.send_message("u1", "Xin chào")
    assert (sent.message_id, sent.date_ms) == ("m1", 5)
    assert seen[0].method == "POST"
    assert seen[0].url.path == f"/bot{TOKEN}/sendMessage"
    assert json.loads(seen[0].content) == {"chat_id": "u1", "text": "Xin chào"}
    await zalo.close()


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (200, 401, Unauthorized),
        (401, 401, Unauthorized),
        (200, 403, Forbidden),
        (200, 404, NotFound),
        (429, 429, TooManyRequests),
        (200, 400, ZaloError),
    ],
)
async def test_ok_false_is_an_error_whatever_the_http_status(
    status: int, code: int, error: type[ZaloError]
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, json={"ok": False, "error_code": code, "description": f"bad {TOKEN}"}
        )

    zalo = client(answer)
    with pytest.raises(error) as raised:
        await zalo.send_message("u1", "x")
    assert raised.value.code == code
    assert TOKEN not in str(raised.value) and TOKEN not in raised.value.description
    await zalo.close()


async def test_a_408_poll_is_no_update_and_a_list_is_tolerated() -> None:
    answers = iter(
        [
            httpx.Response(200, json={"ok": False, "error_code": 408, "description": "timeout"}),
            httpx.Response(408, json={"ok": False, "error_code": 408}),
            httpx.Response(200, json={"ok": True, "result": [{"event_name": "x"}]}),
        ]
    )
    zalo = client(lambda request: next(answers))
    assert await zalo.get_update(1) is None
    assert await zalo.get_update(1) is None
    assert await zalo.get_update(1) == {"event_name": "x"}
    await zalo.close()


async def test_network_errors_carry_no_token_and_say_whether_the_request_left() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}")

    def cut(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout(f"no answer from {request.url}")

    for handler, sent in ((refuse, False), (cut, True)):
        zalo = client(handler)
        with pytest.raises(ZaloNetworkError) as raised:
            await zalo.send_message("u1", "x")
        assert raised.value.sent is sent
        assert TOKEN not in str(raised.value)
        assert raised.value.__cause__ is None and raised.value.__suppress_context__
        await zalo.close()


async def test_texts_and_secrets_outside_the_limits_are_refused_before_sending() -> None:
    zalo = client(lambda request: httpx.Response(500))
    with pytest.raises(ValueError):
        await zalo.send_message("u1", "x" * 2001)
    with pytest.raises(ValueError):
        await zalo.send_message("u1", "")
    with pytest.raises(ValueError):
        await zalo.set_webhook("https://bot.example/zalo", "short")
    await zalo.close()
