"""`python bot.py playground`: the Bot API stub, the real bot and a terminal chat in one process.

No token and no network are needed: you type as a Telegram user, the bot answers here.
Messages are numbered as printed (#M); a message the bot edits is printed again, marked as
updated; photos and files the bot sends are saved to a folder; `:time` moves the bot's clock.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from core.clock import MovableClock
from core.i18n import N_, Lang
from playground.botapi_stub import BotApiStub
from playground.harness import TOKEN, BotHarness, HarnessUser
from playground.stub_models import SentMessage

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
START_LINK = re.compile(r"https://t\.me/\S+\?start=(\S+)")
STEP = re.compile(r"(\d+)\s*([dhm])")
UNITS = {"d": "days", "h": "hours", "m": "minutes"}
ABSOLUTE_FORMS = ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y")
HELP = N_(
    """\
Type messages as in Telegram (e.g. /start). Playground commands:
  :b N          press button N of the newest message with buttons
  :b N@M        press button N of message #M
  :show [M]     print the newest message again (or message #M)
  :time         show the bot's clock; :time +2h, :time +3d, :time 2025-03-10 07:45 move it
  :open         show where the newest photo or file was saved
  :u ID [NAME]  switch user (user 1 is the organiser)
  :join         open the newest invite link as the current user
  :doc PATH     send a file
  :story        play a demo of the whole programme, step by step, in a new database
  :help         this help
  :q            quit"""
)


def parse_time(arg: str, now: datetime) -> datetime | None:
    """`+2h`, `+3d`, `+1d 2h30m`, `2025-03-10 07:45` (Hà Nội time) → the new UTC time."""
    arg = arg.strip()
    if arg.startswith("+"):
        rest = arg[1:].replace(" ", "")
        steps = STEP.findall(rest)
        if not steps or "".join(n + u for n, u in steps) != rest:
            return None
        delta = timedelta()
        for number, unit in steps:
            delta += timedelta(**{UNITS[unit]: int(number)})
        return now + delta
    for form in ABSOLUTE_FORMS:
        try:
            return datetime.strptime(arg, form).replace(tzinfo=LOCAL)
        except ValueError:
            continue
    return None


def local_text(when: datetime) -> str:
    return when.astimezone(LOCAL).strftime("%H:%M %d/%m/%Y")


def _read_file(name: str) -> tuple[str, bytes] | None:
    path = Path(name).expanduser()
    return (path.name, path.read_bytes()) if path.is_file() else None


def _suffix(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data.startswith(b"\xff\xd8"):
        return ".jpg"
    return ".bin"


def save_file(folder: Path, message: SentMessage) -> Path:
    """Write the file of a bot message to the folder: `<#M>-<name>`."""
    data = message.file_bytes or b""
    # A photo has no name (the stub keeps its content type there): name it by its bytes.
    name = f"anh{_suffix(data)}" if message.kind == "photo" else message.filename
    name = Path(name or f"tep{_suffix(data)}").name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{message.seq:04d}-{name}"
    path.write_bytes(data)
    return path


class Console:
    """The command interpreter of the playground: `await handle(line)` for each typed line
    (tests drive it directly, no terminal needed)."""

    def __init__(
        self,
        harness: BotHarness,
        *,
        files_dir: Path = Path("playground-files"),
        story_db: Path | None = None,
        out: Callable[[str], None] = print,
        lang: Lang | None = None,
    ) -> None:
        self.h = harness
        self.files_dir = files_dir
        self.story_db = story_db or Path("playground-story.db")
        self.out = out
        self.lang = lang or Lang("vi")
        self.users: dict[int, HarnessUser] = {}
        self.current = self.switch(1, self.t("Organiser"))
        self.printed = 0  # how many of the stub's messages were printed
        self.edits_seen: dict[int, int] = {}  # message seq → edits printed
        self.saved: dict[int, Path] = {}  # message seq → where its file was written
        self.gone: set[int] = set()  # messages printed as deleted

    def t(self, msgid: str, **params: object) -> str:
        return self.lang.t(msgid, **params)

    def switch(self, user_id: int, name: str | None = None) -> HarnessUser:
        if user_id not in self.users:
            self.users[user_id] = self.h.user(user_id, name or f"User {user_id}")
        self.current = self.users[user_id]
        return self.current

    # ----------------------------------------------------------------- printing
    def show_new(self) -> None:
        """Print what the bot sent since the last call, and what it edited."""
        for message in self.h.stub.sent[: self.printed]:
            edited = message.edits > self.edits_seen.get(message.seq, 0)
            if edited or (message.deleted and message.seq not in self.gone):
                self.show(message, updated=True)
        for message in self.h.stub.sent[self.printed :]:
            if message.file is not None:
                self.saved[message.seq] = save_file(self.files_dir, message)
            self.show(message)
        self.printed = len(self.h.stub.sent)

    def show(self, message: SentMessage, *, updated: bool = False) -> None:
        self.edits_seen[message.seq] = message.edits
        who = (
            ""
            if message.chat_id == self.current.id
            else self.t("[→ user {id}] ", id=message.chat_id)
        )
        mark = self.t("✏️ (updated) ") if updated else ""
        if message.deleted:
            self.gone.add(message.seq)
            gone = self.t("(deleted)")
            self.out(f"\n#{message.seq} 🤖 {who}{gone}")
            return
        body = message.plain_text or message.text or ""
        if message.kind != "text":
            what = self.t("[photo]") if message.kind == "photo" else self.t("[file]")
            path = self.saved.get(message.seq)
            where = self.t("saved to {path}", path=path) if path else (message.filename or "")
            body = f"{what} {where}".rstrip() + (f"\n{body}" if body else "")
        self.out(f"\n#{message.seq} 🤖 {mark}{who}{body}")
        for i, (text, _) in enumerate(message.buttons, 1):
            self.out(f"   [{i}] {text}")
        keyboard = (message.reply_markup or {}).get("keyboard")
        if keyboard:
            labels = [b["text"] if isinstance(b, dict) else str(b) for row in keyboard for b in row]
            self.out("   ⌨ " + " | ".join(labels))

    # ----------------------------------------------------------------- commands
    def message_by_number(self, number: int) -> SentMessage | None:
        sent = self.h.stub.sent
        return sent[number - 1] if 1 <= number <= len(sent) else None

    def last_with_buttons(self) -> SentMessage | None:
        for message in reversed(self.current.messages):
            if message.buttons and not message.deleted:
                return message
        return None

    async def press(self, arg: str) -> None:
        button, _, number = arg.strip().partition("@")
        if number:
            message = self.message_by_number(int(number)) if number.isdigit() else None
            if message is not None and message.chat_id != self.current.id:
                self.out(
                    self.t(
                        "(#{n} was sent to user {id}: switch with :u {id})",
                        n=number,
                        id=message.chat_id,
                    )
                )
                return
        else:
            message = self.last_with_buttons()
        if (
            message is None
            or message.deleted
            or not button.isdigit()
            or not 1 <= int(button) <= len(message.buttons)
        ):
            self.out(self.t("(no such button: :b N or :b N@M, M being the #number of a message)"))
            return
        _, data = message.buttons[int(button) - 1]
        await self.current.press_data(message, data or "")

    async def move_time(self, arg: str) -> None:
        clock = self.h.clock
        if not arg:
            now = clock.now() if clock else datetime.now(LOCAL)
            self.out(self.t("🕒 The bot's clock: {when}", when=local_text(now)))
            return
        if clock is None or not hasattr(clock, "set"):
            self.out(self.t("(this bot runs on the real clock)"))
            return
        when = parse_time(arg, clock.now())
        if when is None:
            self.out(self.t("(usage: :time +2h, :time +3d, :time 2025-03-10 07:45)"))
            return
        clock.set(when)
        self.out(self.t("🕒 The bot's clock is now {when}", when=local_text(when)))
        await self.h.clock_moved()

    def show_again(self, arg: str) -> None:
        if arg:
            message = self.message_by_number(int(arg)) if arg.isdigit() else None
        else:
            message = self.current.messages[-1] if self.current.messages else None
        if message is None:
            self.out(self.t("(no such message)"))
        else:
            self.show(message)

    def open_last(self) -> None:
        if not self.saved:
            self.out(self.t("(the bot has sent no photo or file yet)"))
        else:
            newest = self.saved[max(self.saved)]
            self.out(self.t("📂 The newest file: {path}", path=newest.resolve()))

    async def join(self) -> None:
        tokens = [m for msg in self.h.stub.sent for m in START_LINK.findall(msg.text or "")]
        if not tokens:
            self.out(self.t("(no invite link yet: as user 1, use 🔗 to create one)"))
        else:
            await self.current.send(f"/start {tokens[-1]}")

    async def send_file(self, name: str) -> None:
        found = await asyncio.to_thread(_read_file, name)
        if found is None:
            self.out(self.t("(no such file)"))
        else:
            await self.current.send_document(*found)

    async def story(self) -> None:
        from playground.story import play

        await play(self)

    async def handle(self, line: str) -> bool:
        """Carry out one typed line; False when the user wants to quit."""
        line = line.strip()
        if not line:
            return True
        command, _, arg = line.partition(" ")
        arg = arg.strip()
        if command in (":q", ":quit", ":exit"):
            return False
        if command == ":help":
            self.out(self.t(HELP))
        elif command == ":u":
            parts = arg.split(maxsplit=1)
            if parts and parts[0].isdigit():
                self.switch(int(parts[0]), parts[1] if len(parts) > 1 else None)
                self.out(
                    self.t(
                        "(now user {id}: {name})",
                        id=self.current.id,
                        name=self.current.user.first_name,
                    )
                )
            else:
                self.out(self.t("(usage: :u ID [NAME])"))
        elif command == ":b":
            await self.press(arg)
        elif command == ":time":
            await self.move_time(arg)
        elif command == ":show":
            self.show_again(arg)
        elif command == ":open":
            self.open_last()
        elif command == ":join":
            await self.join()
        elif command == ":doc":
            await self.send_file(arg)
        elif command == ":story":
            await self.story()
        elif command.startswith(":"):
            self.out(self.t("(unknown command: :help lists them)"))
        else:
            await self.current.send(line)
        self.show_new()
        return True


async def _run(db: str, port: int, story: bool) -> int:
    root = logging.getLogger()
    if root.level > logging.DEBUG:  # the chat is the output here: only warnings and errors
        root.setLevel(logging.WARNING)
    stub = BotApiStub(TOKEN, port=port)
    await stub.start()
    harness = BotHarness(
        database_url=f"sqlite:///{db}", bootstrap_admin_ids=[1], stub=stub, clock=MovableClock()
    )
    await harness.start()
    console = Console(harness, story_db=Path(db).with_name(Path(db).stem + "-story.db"))
    print(
        console.t("chibot playground — Bot API stub at {url}, database {db}", url=stub.url, db=db)
    )
    print(console.t(HELP))
    if story:
        await console.handle(":story")
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
        await console.h.stop()
        await stub.stop()
    return 0


def main(db: str = "playground.db", port: int = 0, *, story: bool = False) -> int:
    try:
        return asyncio.run(_run(db, port, story))
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 0
