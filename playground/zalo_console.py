"""`python bot.py playground --channel zalo`: the bot, Zalo only, against the local Zalo Bot API
stub, with a terminal chat. Type to write as the current user; a number answers a numbered
choice. `:u ID [name]` switches user, `:photo`, `:sticker`, `:voice` send those, `:q` quits.
The first user is the organiser (bootstrapped)."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable

from playground.zalo_harness import ZALO_TOKEN, ZaloHarness, ZaloUser
from playground.zalo_stub import ZaloStub

ORGANISER = "zalo-organiser-0001"
HELP = (
    "Gõ để nhắn tin như người dùng hiện tại; trả lời số để chọn. "
    ":u ID [tên] đổi người dùng · :photo :sticker :voice · :q thoát"
)


class ZaloConsole:
    def __init__(self, harness: ZaloHarness, out: Callable[[str], None] = print) -> None:
        self.h = harness
        self.out = out
        self.users: dict[str, ZaloUser] = {}
        self.current = self.switch(ORGANISER, "Tổ chức")
        self.printed = 0

    def switch(self, user_id: str, name: str | None = None) -> ZaloUser:
        if user_id not in self.users:
            self.users[user_id] = self.h.user(user_id, name or user_id)
        self.current = self.users[user_id]
        return self.current

    def show_new(self) -> None:
        for sent in self.h.stub.sent[self.printed :]:
            who = "" if sent.chat_id == self.current.id else f"[→ {sent.chat_id}] "
            body = sent.text or ""
            if sent.photo:
                body = f"[ảnh {sent.photo}]\n{body}".rstrip()
            self.out(f"\n🤖 {who}{body}")
        self.printed = len(self.h.stub.sent)

    async def handle(self, line: str) -> bool:
        line = line.strip()
        command, _, arg = line.partition(" ")
        if not line:
            return True
        if command in (":q", ":quit"):
            return False
        if command == ":u" and arg:
            user_id, _, name = arg.partition(" ")
            self.switch(user_id, name or None)
            self.out(f"(người dùng {user_id})")
        elif command == ":photo":
            await self.current.send_image(arg or None)
        elif command == ":sticker":
            await self.current.send_sticker()
        elif command == ":voice":
            await self.current.send_voice()
        elif command == ":help":
            self.out(HELP)
        else:
            await self.current.send(line)
        self.show_new()
        return True


async def _run(db: str, port: int) -> int:
    logging.getLogger().setLevel(logging.WARNING)
    database_url = f"sqlite:///{db}"
    stub = ZaloStub(ZALO_TOKEN, port=port)
    await stub.start()
    harness = ZaloHarness(
        database_url=database_url,
        bootstrap_admin_ids=[f"zalo:{ORGANISER}"],
        stub=stub,
    )
    await harness.start()
    console = ZaloConsole(harness)
    print(f"chibot playground (Zalo) — stub at {stub.base_url}, database {db}")
    print(HELP)
    loop = asyncio.get_running_loop()
    try:
        while True:
            try:
                line = await loop.run_in_executor(None, input, f"[{console.current.id}] > ")
            except EOFError:
                break
            if not await console.handle(line):
                break
    finally:
        await harness.stop()
        await stub.stop()
    return 0


def main(db: str = "playground.db", port: int = 0) -> int:
    try:
        return asyncio.run(_run(db, port))
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 0
