"""The bot's file store: bytes kept under an id (charts, QR codes, exports served to Zalo by a
signed link; pictures people send on Zalo, fetched at once because Zalo's URLs expire).

A folder by default (FILE_STORE_DIR): `<id>` holds the bytes, `<id>.json` the file's name and
type. Ids are random (32 hex characters), so an id alone never guesses another file; a link
to one is still signed (channels/web/links.py)."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class StoredFile:
    id: str
    name: str
    mime: str
    data: bytes


def is_file_id(value: str) -> bool:
    return bool(_ID.match(value))


class FileStore:
    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def _paths(self, file_id: str) -> tuple[Path, Path]:
        if not is_file_id(file_id):
            raise KeyError(file_id)
        return self.folder / file_id, self.folder / f"{file_id}.json"

    def _write(self, file_id: str, data: bytes, name: str, mime: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        body, meta = self._paths(file_id)
        body.write_bytes(data)
        meta.write_text(json.dumps({"name": name, "mime": mime}), encoding="utf-8")

    def _read(self, file_id: str) -> StoredFile | None:
        try:
            body, meta = self._paths(file_id)
            info = json.loads(meta.read_text(encoding="utf-8"))
            return StoredFile(file_id, str(info["name"]), str(info["mime"]), body.read_bytes())
        except (KeyError, OSError, ValueError, TypeError):
            return None

    async def put(self, data: bytes, name: str, mime: str = "application/octet-stream") -> str:
        """Keep `data`; its new id."""
        file_id = secrets.token_hex(16)
        clean = (name.replace("/", "_").replace("\\", "_").strip() or "file")[:MAX_NAME]
        await asyncio.to_thread(self._write, file_id, data, clean, mime)
        return file_id

    async def get(self, file_id: str) -> StoredFile | None:
        """The file, or None for an unknown (or malformed) id."""
        if not is_file_id(file_id):
            return None
        return await asyncio.to_thread(self._read, file_id)
