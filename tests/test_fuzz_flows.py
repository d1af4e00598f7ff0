"""Fuzzing every flow (issue 16): from every command, one or two steps deep by its buttons, the
organiser of the top committee (who reaches every flow) sends hostile input — blanks, 5,000
characters, emoji and right-to-left text, HTML and Markdown specials, commands mid-flow, a file
where text is expected, stale and forged button data, two presses at once. Every input gets a
polite answer (never the generic error, never silence), nothing is logged as an error, Telegram
refuses nothing, and input that must be refused leaves the database as it was.

Bounded: hypothesis draws a few dozen walks (well under a minute)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from core.clock import FrozenClock
from handlers import router
from playground.harness import BotHarness, HarnessUser
from storage.models import SessionKind
from tests.test_report_session_e2e import ORG, add_session, build
from tests.test_role_matrix import ErrorLog, guarded, refused

GENERIC = "Xin lỗi, hệ thống vừa gặp sự cố"  # the generic error (handlers/errors.py)
COMMANDS = sorted({c for a in router.actions() for c in a.commands})
# Input that no step accepts: the database must not change.
REFUSED = {"blank", "zero width", "forged huge", "forged missing", "program file"}
HOSTILE = [
    "blank",
    "zero width",
    "long",
    "emoji rtl",
    "html",
    "markdown",
    "command",
    "huy",
    "program file",
    "forged huge",
    "forged missing",
    "stale",
    "double press",
]
TEXTS = {
    "blank": " ",
    "zero width": "\u200b",
    "long": "Hội trường " * 500,
    "emoji rtl": "😀🎉 \u202eمرحبا\u202c שלום",
    "html": "<b>Chi bộ</b> & <script>alert(1)</script> &amp; <a href='x'>",
    "markdown": "*Chi* _bộ_ `1` [x](http://x) ~~y~~ ||z||",
    "command": "/start",
    "huy": "/huy",
}
FORGED = {
    "forged huge": "ut:99999999999999999999999999999:page:0",
    "forged missing": "ses:987654",
}


@pytest.fixture
def error_log() -> Any:
    handler = ErrorLog()
    logger = logging.getLogger("chibot.errors")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


async def _apply(bot: BotHarness, user: HarnessUser, kind: str) -> list[Any]:
    if kind in TEXTS:
        return await user.send(TEXTS[kind])
    if kind == "program file":
        return await user.send_document("a.exe", b"MZ\x90\x00", "application/x-msdownload")
    if kind in FORGED:
        return await user.press_data(user.last, FORGED[kind])
    with_buttons = [m for m in user.messages if m.buttons]
    if not with_buttons:
        return await user.send(TEXTS["blank"])
    if kind == "stale":
        target = with_buttons[0]
        return await user.press_data(target, target.buttons[0][1])
    # Two presses of the newest button at once.
    target = with_buttons[-1]
    data = target.buttons[0][1]
    before = len(user.messages)
    first = bot.stub.press_button(user.user, target, data, strict=False)
    second = bot.stub.press_button(user.user, target, data, strict=False)
    await asyncio.gather(bot.processed(first), bot.processed(second))
    await bot.drain()
    return user.messages[before:] or [None]


def _check(bot: BotHarness, replies: list[Any], errors: list[Any], what: str) -> None:
    assert replies or bot.stub.callback_answers, f"silence after {what}"
    texts = "\n".join((m.text or "") for m in replies if m is not None)
    assert GENERIC not in texts, what
    assert [r.getMessage() for r in errors] == [], what
    assert refused(bot) == [], what


@pytest.fixture
async def world(bot: BotHarness, clock: FrozenClock) -> HarnessUser:
    built = await build(bot, clock)
    await add_session(
        bot, clock, built.people["sec"], built.units["a1"], SessionKind.THUONG_KY, "28/3 8h"
    )
    await bot.drain()
    org = bot.user(ORG, "Tổ")
    await org.send("/start")
    return org


@settings(
    max_examples=24,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
@given(
    command=st.sampled_from(COMMANDS),
    depth=st.integers(min_value=0, max_value=2),
    inputs=st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=3),
)
async def test_hostile_input_at_every_step(
    bot: BotHarness,
    world: HarnessUser,
    error_log: list[Any],
    command: str,
    depth: int,
    inputs: list[str],
) -> None:
    org = world
    await org.send("/huy")
    replies = await org.send(f"/{command}")
    _check(bot, replies, error_log, f"/{command}")
    for _ in range(depth):  # one step further by the first button of the newest screen
        buttons = [m for m in replies if m.buttons]
        if not buttons:
            break
        label, data = buttons[-1].buttons[0]
        replies = await org.press_data(buttons[-1], data)
        _check(bot, replies, error_log, f"/{command} → {label}")
    for kind in inputs:
        before = await guarded(bot) if kind in REFUSED else None
        replies = await _apply(bot, org, kind)
        _check(bot, replies, error_log, f"/{command} depth {depth}: {kind}")
        if before is not None:
            assert await guarded(bot) == before, f"/{command} depth {depth}: {kind} changed data"
