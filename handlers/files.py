"""Files a person sent, waiting for them to say what each is for.

The file itself stays on Telegram's servers; its details wait in `user_data["pending_files"]`
(a short list of dicts with file_id, file_unique_id, file_name, mime_type and file_size) and
buttons carry its index in that list. handlers/plan_import.py reads the same list (`imp:<n>`),
so its structure is shared. Buttons of handlers/documents.py also carry the end of the file's
unique id, so a press whose slot has since been reused for another file is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update

from handlers.common import Context
from services.requirements import FileInfo
from ui.actions import Action

PENDING_FILES = "pending_files"
_NEXT_SLOT = "pending_files_next"
MAX_PENDING = 10


@dataclass(frozen=True, slots=True)
class ImportFile(Action, prefix="imp"):
    """📥 Import the n-th pending file as a new plan (handlers/plan_import.py answers it)."""

    slot: int


def file_info(update: Update) -> FileInfo | None:
    """The document of the message, if it has one."""
    message = update.effective_message
    document = message.document if message else None
    if document is None:
        return None
    return FileInfo(
        document.file_id,
        document.file_unique_id,
        document.file_name or "",
        document.mime_type or "",
        document.file_size or 0,
    )


def check_of(file: FileInfo) -> str:
    """A few characters of the file's unique id, carried by our buttons."""
    return file.file_unique_id[-6:]


def remember(context: Context, file: FileInfo) -> int:
    """Keep the file's details for the buttons; returns its index in the list. The list is
    short: once full, the oldest slot is reused."""
    user_data: dict[str, Any] = context.user_data  # type: ignore[assignment]
    files: list[dict[str, Any]] = user_data.setdefault(PENDING_FILES, [])
    entry = {
        "file_id": file.file_id,
        "file_unique_id": file.file_unique_id,
        "file_name": file.file_name,
        "mime_type": file.mime_type,
        "file_size": file.size,
    }
    if len(files) < MAX_PENDING:
        files.append(entry)
        return len(files) - 1
    slot = int(user_data.get(_NEXT_SLOT, 0)) % MAX_PENDING
    files[slot] = entry
    user_data[_NEXT_SLOT] = slot + 1
    return slot


def recall(context: Context, slot: int, check: str) -> FileInfo | None:
    """The file kept in `slot`, if its unique id still ends with `check`."""
    files = (context.user_data or {}).get(PENDING_FILES) or []
    if slot >= len(files):
        return None
    entry = files[slot]
    if not str(entry.get("file_unique_id", "")).endswith(check):
        return None
    return FileInfo(
        str(entry["file_id"]),
        str(entry["file_unique_id"]),
        str(entry["file_name"]),
        str(entry["mime_type"]),
        int(entry["file_size"]),
    )
