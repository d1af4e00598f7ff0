"""A channel's sending limits, kept by reserving a turn for each message before it goes out.

Turns are spaced evenly (no bursts): one every 1/`per_second` seconds overall, one per
`per_chat_seconds` in the same chat, and at most `group_per_minute` in any minute in a group
chat. A flood-wait the server asked for (`pause`) holds every turn of the channel, so one
RetryAfter slows the whole pipe, not the one request that met it. The pause follows the
service clock (tests move it); the spacing follows the event loop's monotonic clock.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.clock import Clock

GROUP_WINDOW_S = 60.0


@dataclass(frozen=True, slots=True)
class Limits:
    per_second: float  # overall messages per second on the channel
    per_chat_seconds: float = 1.0  # at least this long between two messages to one chat
    group_per_minute: int = 20  # at most this many messages a minute to one group chat


class Pace:
    def __init__(self, clock: Clock, limits: Limits | None) -> None:
        self.clock = clock
        self.limits = limits  # None: no spacing (tests); pauses still hold
        self._next_any = 0.0
        self._next_in_chat: dict[int | str, float] = {}
        self._group_sends: dict[int | str, deque[float]] = {}
        self._paused_until: datetime | None = None

    def pause(self, wait: timedelta) -> None:
        """The server asked to wait: no turn is given before `wait` from now."""
        until = self.clock.now() + wait
        if self._paused_until is None or until > self._paused_until:
            self._paused_until = until

    @property
    def paused_for(self) -> float:
        if self._paused_until is None:
            return 0.0
        return max(0.0, (self._paused_until - self.clock.now()).total_seconds())

    async def wait_turn(self, address: int | str, *, group: bool = False) -> None:
        pause = self.paused_for
        if pause > 0:
            await asyncio.sleep(pause)
        limits = self.limits
        if limits is None:
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        at = max(now, self._next_any, self._next_in_chat.get(address, 0.0))
        if group:
            sent = self._group_sends.setdefault(address, deque())
            while sent and sent[0] <= now - GROUP_WINDOW_S:
                sent.popleft()
            if len(sent) >= limits.group_per_minute:
                at = max(at, sent[-limits.group_per_minute] + GROUP_WINDOW_S)
            sent.append(at)
        # The turn is reserved before sleeping, so concurrent callers line up behind it.
        self._next_any = at + 1.0 / limits.per_second
        self._next_in_chat[address] = at + limits.per_chat_seconds
        if len(self._next_in_chat) > 10_000:  # forget chats whose spacing has long passed
            self._next_in_chat = {a: t for a, t in self._next_in_chat.items() if t > now}
        if at > now:
            await asyncio.sleep(at - now)
