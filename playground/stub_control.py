"""A small JSON control surface (``/_stub/...``) for drivers running in another process."""

from __future__ import annotations

import asyncio
import base64
import bisect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from playground.stub_models import JSONDict, SentMessage, StubUser, dumps
from playground.stub_params import json_safe

if TYPE_CHECKING:
    from playground.botapi_stub import BotApiStub

ControlHandler = Callable[["BotApiStub", JSONDict], Any]


def _ok(result: Any) -> web.Response:
    return web.Response(body=dumps({"ok": True, "result": result}), content_type="application/json")


def _fail(description: str) -> web.Response:
    return web.Response(
        status=400,
        body=dumps({"ok": False, "error_code": 400, "description": description}),
        content_type="application/json",
    )


def _user(body: JSONDict) -> StubUser:
    user = body.get("user")
    if not isinstance(user, dict) or "id" not in user:
        raise ValueError('"user" must be an object with at least "id"')
    return StubUser.from_api(user)


def _send_text(stub: BotApiStub, body: JSONDict) -> int:
    return stub.send_text(_user(body), str(body["text"]), entities=body.get("entities"))


def _press_button(stub: BotApiStub, body: JSONDict) -> int:
    user = _user(body)
    chat_id = int(body.get("chat_id", user.id))
    message = stub.find_sent(chat_id, int(body["message_id"]))
    if message is None:
        raise LookupError(f"no message {body['message_id']} in chat {chat_id}")
    return stub.press_button(
        user, message, str(body["callback_data"]), strict=bool(body.get("strict", True))
    )


def _send_document(stub: BotApiStub, body: JSONDict) -> int:
    if "data_base64" in body:
        data = base64.b64decode(str(body["data_base64"]))
    else:
        data = str(body.get("text", "")).encode()
    return stub.send_document(
        _user(body), str(body["filename"]), data, body.get("mime_type"), body.get("caption")
    )


def _send_location(stub: BotApiStub, body: JSONDict) -> int:
    return stub.send_location(_user(body), float(body["latitude"]), float(body["longitude"]))


def _fail_next(stub: BotApiStub, body: JSONDict) -> bool:
    stub.fail_next(
        str(body["method"]),
        status=int(body.get("status", 429)),
        retry_after=int(body.get("retry_after", 1)),
        description=body.get("description"),
        count=int(body.get("count", 1)),
    )
    return True


def _rate_limit(stub: BotApiStub, body: JSONDict) -> bool:
    per_second = body.get("per_second")
    stub.set_rate_limit(None if per_second is None else float(per_second))
    return True


def _block(stub: BotApiStub, body: JSONDict) -> bool:
    if body.get("blocked", True):
        stub.block_bot(int(body["chat_id"]))
    else:
        stub.unblock_bot(int(body["chat_id"]))
    return True


def _delay(stub: BotApiStub, body: JSONDict) -> bool:
    stub.set_delay(float(body.get("rtt_ms", 0)), float(body.get("jitter_ms", 0)))
    return True


POST_ACTIONS: dict[str, ControlHandler] = {
    "delay": _delay,
    "send_text": _send_text,
    "press_button": _press_button,
    "send_document": _send_document,
    "send_location": _send_location,
    "fail_next": _fail_next,
    "rate_limit": _rate_limit,
    "block": _block,
}


def _select_sent(stub: BotApiStub, chat_id: int | None, after: int, changed_since: int) -> list:
    messages: list[SentMessage]
    if chat_id is None:
        messages = stub.sent[after:]
    else:
        own = stub.messages_to(chat_id)
        messages = own[bisect.bisect_right(own, after, key=lambda m: m.seq) :]
    if changed_since:
        pool = stub.sent if chat_id is None else stub.messages_to(chat_id)
        changed = [m for m in pool if m.version > changed_since and m.seq <= after]
        messages = changed + messages
    return [m.summary() for m in messages]


def add_network_delay(app: web.Application, stub: BotApiStub) -> None:
    """Bot API calls (``/bot<token>/...``) take the simulated round trip (``set_delay``):
    half before the call is handled, half before its answer leaves. Control routes do not."""

    @web.middleware
    async def delayed(request: web.Request, handler: Any) -> web.StreamResponse:
        rtt = stub.round_trip_s() if request.path.startswith("/bot") else 0.0
        if rtt:
            await asyncio.sleep(rtt / 2)
        response = await handler(request)
        if rtt:
            await asyncio.sleep(rtt / 2)
        return response  # type: ignore[no-any-return]

    app.middlewares.append(delayed)


def add_control_routes(app: web.Application, stub: BotApiStub) -> None:
    """Register ``POST /_stub/<action>``, ``GET /_stub/sent`` and ``GET /_stub/calls``, and the
    simulated network delay of the Bot API calls."""
    add_network_delay(app, stub)

    def post_handler(action: ControlHandler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            try:
                body = await request.json()
                if not isinstance(body, dict):
                    raise ValueError("the body must be a JSON object")
                return _ok(action(stub, body))
            except (KeyError, TypeError, ValueError, LookupError) as exc:
                return _fail(f"{type(exc).__name__}: {exc}")

        return handle

    for name, action in POST_ACTIONS.items():
        app.router.add_post(f"/_stub/{name}", post_handler(action))

    async def sent(request: web.Request) -> web.Response:
        """``?chat_id=&after=<seq>&changed_since=<version>&wait=<seconds>``."""
        try:
            raw_chat = request.query.get("chat_id")
            chat_id = int(raw_chat) if raw_chat else None
            after = int(request.query.get("after", 0))
            changed_since = int(request.query.get("changed_since", 0))
            wait = min(60.0, float(request.query.get("wait", 0)))
        except ValueError as exc:
            return _fail(str(exc))
        result = _select_sent(stub, chat_id, after, changed_since)
        if not result and wait > 0:
            try:
                await stub.wait_until(
                    lambda: bool(_select_sent(stub, chat_id, after, changed_since)) or stub.closing,
                    wait,
                )
            except TimeoutError:
                pass
            result = _select_sent(stub, chat_id, after, changed_since)
        return web.Response(
            body=dumps(
                {"ok": True, "result": result, "last_seq": len(stub.sent), "version": stub.version}
            ),
            content_type="application/json",
        )

    async def calls(request: web.Request) -> web.Response:
        """``?after=<index>&method=<name>``: recorded API calls as ``{index, method, params}``."""
        try:
            after = int(request.query.get("after", 0))
        except ValueError as exc:
            return _fail(str(exc))
        method = request.query.get("method", "").lower()
        result = [
            {"index": index, "method": name, "params": json_safe(params)}
            for index, (name, params) in enumerate(stub.calls[after:], start=after + 1)
            if not method or name.lower() == method
        ]
        return _ok(result)

    app.router.add_get("/_stub/sent", sent)
    app.router.add_get("/_stub/calls", calls)
