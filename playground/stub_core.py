"""In-memory state of the Bot API stub: chats, sent messages, files, updates and failures."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from playground.stub_models import (
    ApiError,
    JSONDict,
    MessageKind,
    Notifier,
    SentMessage,
    StoredFile,
    StubUser,
    TokenBucket,
    WebhookConfig,
    bad_request,
)

FILE_DIRS = {"photo": "photos", "document": "documents"}


def scope_key(scope: JSONDict | None) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True, separators=(",", ":"))


class StubCore:
    """State and inspection helpers; HTTP serving lives in :class:`BotApiStub`."""

    def __init__(
        self,
        token: str,
        *,
        bot_username: str,
        bot_id: int,
        bot_first_name: str = "Chibot Test",
        strict_chats: bool = False,
    ) -> None:
        self.token = token
        self.strict_chats = strict_chats
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, JSONDict]] = []
        self.callback_answers: dict[str, JSONDict] = {}
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.webhook: WebhookConfig | None = None
        self.allowed_updates: list[str] | None = None
        self.version = 0
        self._users: dict[int, StubUser] = {}
        self._chats: dict[int, JSONDict] = {}
        self._by_key: dict[tuple[int, int], SentMessage] = {}
        self._by_chat: dict[int, list[SentMessage]] = {}
        self._user_messages: dict[tuple[int, int], JSONDict] = {}
        self._next_message_id: dict[int, int] = {}
        self._updates: deque[JSONDict] = deque()
        self._next_update_id = 1
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._open_callbacks: set[str] = set()
        self._counter = 0
        self._failures: dict[str, deque[ApiError]] = {}
        self._rate: TokenBucket | None = None
        self._blocked: set[int] = set()
        self._delay_s = 0.0  # simulated network: each API call is answered after this long
        self._jitter_s = 0.0
        self._update_notifier = Notifier()
        self._activity = Notifier()
        self._closing = False
        self.last_webhook_error: tuple[int, str] | None = None

    # ----------------------------------------------------------------- chats & users
    def add_user(self, user: StubUser) -> None:
        """Make ``user`` known (injecting an update from a user does this implicitly)."""
        self._users[user.id] = user
        self._chats[user.id] = user.chat_api()

    def chat_api(self, chat_id: Any) -> JSONDict:
        """The Chat object for ``chat_id``; 400 "chat not found" when it cannot exist."""
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            if chat_id is None or chat_id == "":
                raise bad_request("chat_id is empty")
            raise bad_request("chat not found")
        chat = self._chats.get(chat_id)
        if chat is None:
            if self.strict_chats:
                raise bad_request("chat not found")
            if chat_id > 0:
                chat = {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
            else:
                chat = {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}
            self._chats[chat_id] = chat
        return chat

    def check_not_blocked(self, chat_id: int) -> None:
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")

    def next_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = message_id
        return message_id

    def next_counter(self) -> int:
        self._counter += 1
        return self._counter

    # ----------------------------------------------------------------- messages
    def store_sent(
        self,
        chat_id: int,
        kind: MessageKind,
        *,
        text: str | None,
        plain_text: str | None,
        parse_mode: str | None,
        reply_markup: JSONDict | None,
        file: StoredFile | None,
        params: JSONDict,
    ) -> SentMessage:
        message = SentMessage(
            seq=len(self.sent) + 1,
            chat_id=chat_id,
            message_id=self.next_message_id(chat_id),
            kind=kind,
            text=text,
            plain_text=plain_text,
            parse_mode=parse_mode,
            reply_markup=reply_markup,
            date=int(time.time()),
            file=file,
            params=params,
        )
        self.sent.append(message)
        self._by_key[(chat_id, message.message_id)] = message
        self._by_chat.setdefault(chat_id, []).append(message)
        self.touch(message)
        return message

    def touch(self, message: SentMessage) -> None:
        """Mark a sent message as changed (new version) and wake waiters."""
        self.version += 1
        message.version = self.version
        self._activity.notify()

    def find_sent(self, chat_id: Any, message_id: Any) -> SentMessage | None:
        if not isinstance(chat_id, int) or not isinstance(message_id, int):
            return None
        message = self._by_key.get((chat_id, message_id))
        if message is None or message.deleted:
            return None
        return message

    def delete_message(self, chat_id: Any, message_id: Any) -> bool:
        sent = self.find_sent(chat_id, message_id)
        if sent is not None:
            sent.deleted = True
            self.touch(sent)
            return True
        if not isinstance(chat_id, int) or not isinstance(message_id, int):
            return False
        return self._user_messages.pop((chat_id, message_id), None) is not None

    def message_api(self, message: SentMessage) -> JSONDict:
        """The Bot API Message object for a message sent by the bot."""
        data: JSONDict = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": self.chat_api(message.chat_id),
            "date": message.date,
        }
        if message.kind == "text":
            data["text"] = message.plain_text if message.plain_text is not None else message.text
        else:
            if message.file is not None:
                if message.kind == "photo":
                    data["photo"] = message.file.photo_api()
                else:
                    data["document"] = message.file.document_api()
            if message.text:
                data["caption"] = message.plain_text or message.text
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = message.reply_markup
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        return data

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        """Every message the bot sent to ``chat_id`` (including deleted ones), oldest first."""
        return list(self._by_chat.get(chat_id, ()))

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - public API mirrors wait_for_messages
    ) -> None:
        """Wait until ``predicate()`` holds; re-checked after every API call or message change."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"condition not met within {timeout} s")
            await self._activity.wait(remaining)

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - documented public signature
    ) -> list[SentMessage]:
        """Wait until at least ``count`` messages in total were sent to ``chat_id``."""
        try:
            await self.wait_until(lambda: len(self._by_chat.get(chat_id, ())) >= count, timeout)
        except TimeoutError:
            texts = [m.text for m in self.messages_to(chat_id)]
            raise TimeoutError(
                f"expected {count} messages to chat {chat_id} within {timeout} s, got {texts!r}"
            ) from None
        return self.messages_to(chat_id)

    def calls_to(self, method: str) -> list[JSONDict]:
        """Parameters of every recorded call of ``method`` (case-insensitive)."""
        wanted = method.lower()
        return [params for name, params in self.calls if name.lower() == wanted]

    def record_call(self, method: str, params: JSONDict) -> None:
        self.calls.append((method, params))
        self._activity.notify()

    # ----------------------------------------------------------------- files
    def store_file(
        self, kind: str, data: bytes, filename: str | None, mime_type: str | None
    ) -> StoredFile:
        n = self.next_counter()
        suffix = ""
        if filename and "." in filename:
            suffix = "." + filename.rsplit(".", 1)[1]
        elif kind == "photo":
            suffix = ".jpg"
        stored = StoredFile(
            file_id=f"STUB{kind[:3].upper()}{n:010d}",
            file_unique_id=f"U{n:08d}",
            file_path=f"{FILE_DIRS.get(kind, 'documents')}/file_{n}{suffix}",
            data=data,
            filename=filename,
            mime_type=mime_type,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def get_file(self, file_id: str) -> StoredFile | None:
        return self._files.get(file_id)

    def file_by_path(self, file_path: str) -> StoredFile | None:
        return self._files_by_path.get(file_path)

    # ----------------------------------------------------------------- commands
    def get_commands(
        self, language_code: str = "", scope: JSONDict | None = None
    ) -> list[JSONDict]:
        """Commands stored by setMyCommands for exactly this scope and language."""
        return list(self.commands.get((scope_key(scope), language_code), []))

    # ----------------------------------------------------------------- updates
    def enqueue_update(self, body: JSONDict) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append({"update_id": update_id, **body})
        self._update_notifier.notify()
        return update_id

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by getUpdates or delivered to the webhook."""
        return list(self._updates)

    def confirm_updates(self, offset: int) -> None:
        """Apply getUpdates ``offset`` semantics: forget earlier (or all but the last -N)."""
        if offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
            return
        while self._updates and self._updates[0]["update_id"] < offset:
            self._updates.popleft()

    def remove_update(self, update_id: int) -> bool:
        for index, update in enumerate(self._updates):
            if update["update_id"] == update_id:
                del self._updates[index]
                return True
        return False

    def drop_pending_updates(self) -> None:
        self._updates.clear()

    def take_updates(self, limit: int) -> list[JSONDict]:
        """Up to ``limit`` pending updates of an allowed type (others are dropped)."""
        allowed = self.allowed_updates
        if allowed:
            kept = [u for u in self._updates if any(k in u for k in allowed)]
            if len(kept) != len(self._updates):
                self._updates = deque(kept)
        return [self._updates[i] for i in range(min(limit, len(self._updates)))]

    def open_callback(self) -> str:
        query_id = str(4_000_000_000_000 + self.next_counter())
        self._open_callbacks.add(query_id)
        return query_id

    def close_callback(self, query_id: str) -> bool:
        if query_id in self._open_callbacks:
            self._open_callbacks.discard(query_id)
            return True
        return False

    @property
    def closing(self) -> bool:
        return self._closing

    async def wait_for_update(self, seconds: float | None) -> bool:
        """Wait until an update is injected (or the stub closes); False on timeout."""
        return await self._update_notifier.wait(seconds)

    def on_webhook_changed(self) -> None:
        """Hook called after setWebhook/deleteWebhook changed ``self.webhook``."""

    def remember_user_message(self, chat_id: int, message: JSONDict) -> None:
        self._user_messages[(chat_id, message["message_id"])] = message

    # ----------------------------------------------------------------- failure injection
    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        description: str | None = None,
        count: int = 1,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail with ``status``.

        ``description`` defaults to Telegram's wording, e.g. "Too Many Requests: retry after 1"
        for 429 (which also carries ``parameters.retry_after``).
        """
        if description is None:
            description = {
                400: "Bad Request: stub failure",
                401: "Unauthorized",
                403: "Forbidden: bot was blocked by the user",
                409: "Conflict: terminated by other getUpdates request",
                429: f"Too Many Requests: retry after {retry_after}",
                500: "Internal Server Error",
                502: "Bad Gateway",
            }.get(status, f"Error {status}")
        queue = self._failures.setdefault(method.lower(), deque())
        for _ in range(count):
            queue.append(
                ApiError(status, description, retry_after=retry_after if status == 429 else None)
            )

    def pop_failure(self, method: str) -> ApiError | None:
        queue = self._failures.get(method.lower())
        if not queue:
            return None
        return queue.popleft()

    def set_rate_limit(self, per_second: float | None) -> None:
        """Answer 429 to message sends above ``per_second`` overall; None disables."""
        self._rate = TokenBucket(per_second) if per_second else None

    def check_rate_limit(self) -> None:
        if self._rate is None:
            return
        wait = self._rate.take()
        if wait:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)

    def block_bot(self, chat_id: int) -> None:
        """Sends to ``chat_id`` answer 403 "Forbidden: bot was blocked by the user"."""
        self._blocked.add(chat_id)

    def unblock_bot(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    # ----------------------------------------------------------------- simulated network
    def set_delay(self, rtt_ms: float = 0.0, jitter_ms: float = 0.0) -> None:
        """Answer every Bot API call after ``rtt_ms`` (± up to ``jitter_ms``, uniformly), as
        a server that far away would: half the time before the call is handled (the request
        travelling), half after (the answer travelling back)."""
        if rtt_ms < 0 or jitter_ms < 0:
            raise ValueError("delay and jitter must not be negative")
        self._delay_s = rtt_ms / 1000
        self._jitter_s = jitter_ms / 1000

    def round_trip_s(self) -> float:
        """One round trip's simulated duration in seconds (0 when no delay is set)."""
        if not self._delay_s and not self._jitter_s:
            return 0.0
        return max(0.0, self._delay_s + random.uniform(-self._jitter_s, self._jitter_s))
