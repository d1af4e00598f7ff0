"""Parsing Bot API request parameters from query strings, JSON, urlencoded and multipart bodies."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from playground.stub_models import JSONDict, UploadedFile

# Parameters whose value is a JSON-serialised object/array when sent as a form field.
JSON_KEYS = frozenset(
    {
        "allowed_updates",
        "caption_entities",
        "commands",
        "entities",
        "link_preview_options",
        "media",
        "menu_button",
        "message_ids",
        "reply_markup",
        "reply_parameters",
        "scope",
    }
)
NUMBER_KEYS = frozenset(
    {
        "cache_time",
        "chat_id",
        "from_chat_id",
        "latitude",
        "limit",
        "longitude",
        "max_connections",
        "message_id",
        "message_thread_id",
        "offset",
        "reply_to_message_id",
        "timeout",
        "user_id",
    }
)
BOOL_KEYS = frozenset(
    {
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "disable_notification",
        "disable_web_page_preview",
        "drop_pending_updates",
        "has_spoiler",
        "protect_content",
        "show_alert",
        "show_caption_above_media",
    }
)


def coerce(key: str, value: Any) -> Any:
    """Turn a string form value into the type Telegram would read for ``key``."""
    if not isinstance(value, str):
        return value
    if key in JSON_KEYS:
        stripped = value.lstrip()
        if stripped.startswith(("{", "[")):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value
    if key in NUMBER_KEYS:
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value
    if key in BOOL_KEYS:
        return value.strip().lower() in ("true", "1")
    return value


async def parse_params(request: web.Request) -> JSONDict:
    """Collect all parameters of a Bot API request; uploaded files become UploadedFile."""
    params: JSONDict = {k: coerce(k, v) for k, v in request.query.items()}
    if not request.can_read_body:
        return params
    ctype = request.content_type
    if ctype == "application/json":
        try:
            body = await request.json()
        except ValueError as exc:
            raise ValueError("can't parse JSON request body") from exc
        if not isinstance(body, dict):
            raise ValueError("JSON request body must be an object")
        for key, value in body.items():
            params[key] = coerce(key, value)
        return params
    if ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, FileField):
                params[key] = UploadedFile(
                    filename=value.filename or key,
                    data=value.file.read(),
                    content_type=value.content_type,
                )
            else:
                params[key] = coerce(key, value)
    return params


def json_safe(params: JSONDict) -> JSONDict:
    """A JSON-serialisable copy of recorded parameters (uploads are summarised)."""
    safe: JSONDict = {}
    for key, value in params.items():
        if isinstance(value, UploadedFile):
            safe[key] = {"filename": value.filename, "size": len(value.data)}
        elif isinstance(value, bytes):
            safe[key] = f"<{len(value)} bytes>"
        else:
            safe[key] = value
    return safe
