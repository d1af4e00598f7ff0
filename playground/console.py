"""`python bot.py playground`: the Bot API stub, the real bot and a terminal chat in one process.

No token and no network are needed: you type as a Telegram user, the bot answers here.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

from playground.harness import BotHarness, HarnessUser
from playground.stub_models import SentMessage

HELP = """\
Gõ tin nhắn như trên Telegram (ví dụ /start). Lệnh của sân chơi / playground commands:
  :b N          bấm nút thứ N của tin nhắn gần nhất / press inline button N of the last message
  :u ID [TÊN]   đổi người dùng / switch user (user 1 is the organiser)
  :join         mở đường dẫn mời gần nhất / open the newest invite link as the current user
  :doc PATH     gửi tệp / send a file
  :help         xem lại hướng dẫn / this help
  :q            thoát / quit
"""

START_LINK = re.compile(r"https://t\.me/\S+\?start=(\S+)")


def _read_file(name: str) -> tuple[str, bytes] | None:
    path = Path(name).expanduser()
    return (path.name, path.read_bytes()) if path.is_file() else None


class Console:
    def __init__(self, harness: BotHarness) -> None:
        self.h = harness
        self.users: dict[int, HarnessUser] = {}
        self.current = self.switch(1, "Người tổ chức")
        self.printed = 0

    def switch(self, user_id: int, name: str | None = None) -> HarnessUser:
        if user_id not in self.users:
            self.users[user_id] = self.h.user(user_id, name or f"Người dùng {user_id}")
        self.current = self.users[user_id]
        return self.current

    def show_new(self) -> None:
        for message in self.h.stub.sent[self.printed :]:
            self.show(message)
        self.printed = len(self.h.stub.sent)

    def show(self, message: SentMessage) -> None:
        who = "" if message.chat_id == self.current.id else f"[→ user {message.chat_id}] "
        body = message.plain_text or message.text or f"<{message.kind} {message.filename or ''}>"
        print(f"\n🤖 {who}{body}")
        inline = [text for text, _ in message.buttons]
        for i, text in enumerate(inline, 1):
            print(f"   [{i}] {text}")
        keyboard = (message.reply_markup or {}).get("keyboard")
        if keyboard:
            labels = [b["text"] if isinstance(b, dict) else str(b) for row in keyboard for b in row]
            print("   ⌨ " + " | ".join(labels))

    def last_with_buttons(self) -> SentMessage | None:
        for message in reversed(self.current.messages):
            if message.buttons:
                return message
        return None

    async def handle(self, line: str) -> bool:
        line = line.strip()
        if not line:
            return True
        if line in (":q", ":quit", ":exit"):
            return False
        if line == ":help":
            print(HELP)
        elif line.startswith(":u "):
            parts = line.split(maxsplit=2)
            if len(parts) >= 2 and parts[1].isdigit():
                self.switch(int(parts[1]), parts[2] if len(parts) > 2 else None)
                print(f"(now user {self.current.id}: {self.current.user.first_name})")
            else:
                print("(usage: :u ID [NAME])")
        elif line.startswith(":b "):
            message = self.last_with_buttons()
            index = line[3:].strip()
            if (
                message is None
                or not index.isdigit()
                or not 1 <= int(index) <= len(message.buttons)
            ):
                print("(no such button)")
            else:
                _, data = message.buttons[int(index) - 1]
                await self.current.press_data(message, data or "")
        elif line == ":join":
            tokens = [m for msg in self.h.stub.sent for m in START_LINK.findall(msg.text or "")]
            if not tokens:
                print("(no invite link yet: as user 1, use 🔗 to create one)")
            else:
                await self.current.send(f"/start {tokens[-1]}")
        elif line.startswith(":doc "):
            found = await asyncio.to_thread(_read_file, line[5:].strip())
            if found is None:
                print("(no such file)")
            else:
                await self.current.send_document(*found)
        else:
            await self.current.send(line)
        self.show_new()
        return True


async def _run(db: str, port: int) -> int:
    harness = BotHarness(database_url=f"sqlite:///{db}", bootstrap_admin_ids=[1], port=port)
    await harness.start()
    console = Console(harness)
    print(f"chibot playground — Bot API stub at {harness.stub.url}, database {db}")
    print(HELP)
    loop = asyncio.get_running_loop()
    try:
        while True:
            prompt = f"[user {console.current.id}] > "
            try:
                line = await loop.run_in_executor(None, input, prompt)
            except EOFError:
                break
            if not await console.handle(line):
                break
    finally:
        await harness.stop()
    return 0


def main(db: str = "playground.db", port: int = 0) -> int:
    try:
        return asyncio.run(_run(db, port))
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 0
