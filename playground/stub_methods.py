"""Bot API method implementations of the stub, registered by (case-insensitive) name."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from playground.stub_core import StubCore, scope_key
from playground.stub_html import EntityParseError, html_to_plain
from playground.stub_models import (
    NOT_MODIFIED,
    ApiError,
    JSONDict,
    MessageKind,
    SentMessage,
    StoredFile,
    UploadedFile,
    WebhookConfig,
    bad_request,
)

Handler = Callable[[StubCore, JSONDict], Awaitable[Any]]

METHODS: dict[str, tuple[str, Handler]] = {}
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
MAX_CALLBACK_DATA_BYTES = 64
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE = re.compile(r"(?:[a-z]{2})?")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def api(*names: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        for name in names:
            METHODS[name.lower()] = (name, func)
        return func

    return register


def canonical_name(method: str) -> str:
    entry = METHODS.get(method.lower())
    return entry[0] if entry else method


async def dispatch(core: StubCore, method: str, params: JSONDict) -> Any:
    """Record and run one Bot API call; raises ApiError for Telegram-style failures."""
    key = method.lower()
    entry = METHODS.get(key)
    core.record_call(entry[0] if entry else method, params)
    if entry is None:
        raise ApiError(404, "Not Found: method not found")
    failure = core.pop_failure(key)
    if failure is not None:
        raise failure
    return await entry[1](core, params)


# --------------------------------------------------------------------------- helpers
def _plain(text: str, parse_mode: Any) -> str:
    if isinstance(parse_mode, str) and parse_mode.upper() == "HTML":
        try:
            return html_to_plain(text)
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    return text


def _number(params: JSONDict, key: str, default: float) -> float:
    value = params.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad_request(f"invalid {key} specified")
    return value


def _strict(core: StubCore) -> bool:
    """Telegram-strict mode (the default): limits answered with Telegram's 400 errors."""
    return bool(getattr(core, "telegram_strict", True))


def _check_inline_keyboard(markup: JSONDict) -> None:
    rows = markup.get("inline_keyboard")
    if rows is None:
        return
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'can\'t parse inline keyboard button: field "inline_keyboard" must be of type Array'
        )
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text") or "").strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise bad_request("BUTTON_DATA_INVALID")


def _markup(params: JSONDict, core: StubCore | None = None) -> JSONDict | None:
    markup = params.get("reply_markup")
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if core is None or _strict(core):
        _check_inline_keyboard(markup)
    return markup


def _too_long(core: StubCore, text: str, parse_mode: Any, limit: int) -> bool:
    """Telegram counts a text's length after entity parsing (HTML tags do not count)."""
    return _strict(core) and len(_plain(text, parse_mode)) > limit


def _target_chat(core: StubCore, params: JSONDict) -> int:
    chat_id = params.get("chat_id")
    core.chat_api(chat_id)
    core.check_not_blocked(chat_id)
    return chat_id  # type: ignore[no-any-return]


def _input_file(core: StubCore, params: JSONDict, key: str) -> StoredFile:
    value = params.get(key)
    if isinstance(value, str) and value.startswith("attach://"):
        value = params.get(value.removeprefix("attach://"))
    if isinstance(value, UploadedFile):
        return core.store_file(key, value.data, value.filename, value.content_type)
    if isinstance(value, str) and value:
        if value.startswith(("http://", "https://")):
            name = value.rsplit("/", 1)[-1] or None
            return core.store_file(key, b"", name, None)
        stored = core.get_file(value)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return stored
    raise bad_request(f"there is no {key} in the request")


def _send(core: StubCore, params: JSONDict, kind: MessageKind) -> JSONDict:
    chat_id = _target_chat(core, params)
    core.check_rate_limit()
    if kind == "text":
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("message text is empty")
        if _too_long(core, text, params.get("parse_mode"), MAX_TEXT):
            raise bad_request("message is too long")
        file = None
    else:
        text = params.get("caption") or None
        if text is not None and _too_long(core, str(text), params.get("parse_mode"), MAX_CAPTION):
            raise bad_request("message caption is too long")
        file = _input_file(core, params, kind)
    parse_mode = params.get("parse_mode") or None
    plain = _plain(str(text), parse_mode) if text is not None else None
    message = core.store_sent(
        chat_id,
        kind,
        text=None if text is None else str(text),
        plain_text=plain,
        parse_mode=parse_mode,
        reply_markup=_markup(params, core),
        file=file,
        params=params,
    )
    return core.message_api(message)


def _editable(core: StubCore, params: JSONDict) -> SentMessage:
    if params.get("inline_message_id"):
        raise bad_request("inline messages are not supported by the stub")
    chat_id = _target_chat(core, params)
    message = core.find_sent(chat_id, params.get("message_id"))
    if message is None:
        raise bad_request("message to edit not found")
    return message


def _apply_edit(
    core: StubCore,
    message: SentMessage,
    text: str | None,
    parse_mode: str | None,
    markup: JSONDict | None,
) -> JSONDict:
    if (text, parse_mode, markup) == (message.text, message.parse_mode, message.reply_markup):
        raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
    plain = _plain(text, parse_mode) if text is not None else None
    message.history.append(message.state())
    message.text, message.parse_mode, message.reply_markup = text, parse_mode, markup
    message.plain_text = plain
    message.edits += 1
    message.edit_date = int(time.time())
    core.touch(message)
    return core.message_api(message)


# --------------------------------------------------------------------------- methods
@api("getMe")
async def get_me(core: StubCore, params: JSONDict) -> Any:
    return core.bot_user


@api(
    "logOut",
    "close",
    "sendChatAction",
    "setChatMenuButton",
    "setMyDescription",
    "setMyShortDescription",
    "setMyName",
)
async def ok_true(core: StubCore, params: JSONDict) -> Any:
    return True


@api("sendMessage")
async def send_message(core: StubCore, params: JSONDict) -> Any:
    return _send(core, params, "text")


@api("sendPhoto")
async def send_photo(core: StubCore, params: JSONDict) -> Any:
    return _send(core, params, "photo")


@api("sendDocument")
async def send_document(core: StubCore, params: JSONDict) -> Any:
    return _send(core, params, "document")


@api("editMessageText")
async def edit_message_text(core: StubCore, params: JSONDict) -> Any:
    message = _editable(core, params)
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    text = params.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("message text is empty")
    if _too_long(core, text, params.get("parse_mode"), MAX_TEXT):
        raise bad_request("MESSAGE_TOO_LONG")
    return _apply_edit(core, message, text, params.get("parse_mode") or None, _markup(params, core))


@api("editMessageCaption")
async def edit_message_caption(core: StubCore, params: JSONDict) -> Any:
    message = _editable(core, params)
    if message.kind == "text":
        raise bad_request("there is no caption in the message to edit")
    caption = params.get("caption") or None
    if caption is not None and _too_long(core, str(caption), params.get("parse_mode"), MAX_CAPTION):
        raise bad_request("message caption is too long")
    text = None if caption is None else str(caption)
    return _apply_edit(core, message, text, params.get("parse_mode") or None, _markup(params, core))


@api("editMessageReplyMarkup")
async def edit_message_reply_markup(core: StubCore, params: JSONDict) -> Any:
    message = _editable(core, params)
    return _apply_edit(core, message, message.text, message.parse_mode, _markup(params, core))


@api("deleteMessage")
async def delete_message(core: StubCore, params: JSONDict) -> Any:
    chat_id = params.get("chat_id")
    core.chat_api(chat_id)
    if not core.delete_message(chat_id, params.get("message_id")):
        raise bad_request("message to delete not found")
    return True


@api("answerCallbackQuery")
async def answer_callback_query(core: StubCore, params: JSONDict) -> Any:
    query_id = str(params.get("callback_query_id", ""))
    if not core.close_callback(query_id):
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    core.callback_answers[query_id] = params
    return True


@api("getFile")
async def get_file(core: StubCore, params: JSONDict) -> Any:
    stored = core.get_file(str(params.get("file_id", "")))
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.data) > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return stored.file_api()


def _commands_target(params: JSONDict) -> tuple[str, str]:
    language = params.get("language_code") or ""
    if not isinstance(language, str) or not _LANGUAGE.fullmatch(language):
        raise bad_request("invalid language code specified")
    scope = params.get("scope")
    if scope is not None and not isinstance(scope, dict):
        raise bad_request("can't parse BotCommandScope JSON object")
    return scope_key(scope), language


@api("setMyCommands")
async def set_my_commands(core: StubCore, params: JSONDict) -> Any:
    commands = params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        name = command.get("command") if isinstance(command, dict) else None
        description = command.get("description") if isinstance(command, dict) else None
        if not isinstance(name, str) or not _COMMAND.fullmatch(name.removeprefix("/")):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    target = _commands_target(params)
    if commands:
        core.commands[target] = [
            {"command": c["command"].removeprefix("/"), "description": c["description"]}
            for c in commands
        ]
    else:
        core.commands.pop(target, None)
    return True


@api("getMyCommands")
async def get_my_commands(core: StubCore, params: JSONDict) -> Any:
    return list(core.commands.get(_commands_target(params), []))


@api("deleteMyCommands")
async def delete_my_commands(core: StubCore, params: JSONDict) -> Any:
    core.commands.pop(_commands_target(params), None)
    return True


# --------------------------------------------------------------------------- updates & webhook
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


def _allowed_updates(core: StubCore, params: JSONDict) -> None:
    allowed = params.get("allowed_updates")
    if isinstance(allowed, list):
        core.allowed_updates = [str(a) for a in allowed] or None


@api("getUpdates")
async def get_updates(core: StubCore, params: JSONDict) -> Any:
    if core.webhook is not None:
        raise ApiError(409, CONFLICT_WEBHOOK)
    offset = int(_number(params, "offset", 0))
    limit = min(100, max(1, int(_number(params, "limit", 100))))
    timeout = max(0.0, _number(params, "timeout", 0))
    _allowed_updates(core, params)
    if offset:
        core.confirm_updates(offset)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        updates = core.take_updates(limit)
        if updates or core.closing:
            return updates
        remaining = deadline - loop.time()
        if remaining <= 0:
            return []
        await core.wait_for_update(remaining)
        if core.webhook is not None:
            raise ApiError(409, "Conflict: terminated by setWebhook request")


@api("setWebhook")
async def set_webhook(core: StubCore, params: JSONDict) -> Any:
    url = params.get("url") or ""
    if not isinstance(url, str):
        raise bad_request("bad webhook: invalid URL")
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.get("secret_token") or None
    if secret is not None and not _SECRET.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    if params.get("drop_pending_updates"):
        core.drop_pending_updates()
    _allowed_updates(core, params)
    core.webhook = (
        WebhookConfig(
            url=url,
            secret_token=None if secret is None else str(secret),
            max_connections=int(_number(params, "max_connections", 40)),
            ip_address=params.get("ip_address") or None,
        )
        if url
        else None
    )
    core.last_webhook_error = None
    core.on_webhook_changed()
    return True


@api("deleteWebhook")
async def delete_webhook(core: StubCore, params: JSONDict) -> Any:
    if params.get("drop_pending_updates"):
        core.drop_pending_updates()
    if core.webhook is not None:
        core.webhook = None
        core.on_webhook_changed()
    return True


@api("getWebhookInfo")
async def get_webhook_info(core: StubCore, params: JSONDict) -> Any:
    hook = core.webhook
    info: JSONDict = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(core.pending_updates),
    }
    if hook is not None:
        info["max_connections"] = hook.max_connections
        info["ip_address"] = hook.ip_address or "127.0.0.1"
        if core.allowed_updates:
            info["allowed_updates"] = list(core.allowed_updates)
        if core.last_webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = core.last_webhook_error
    return info
