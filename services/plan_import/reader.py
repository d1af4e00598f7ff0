"""Turn an uploaded plan file (.md, .txt, .docx or .pdf) into text, refusing what is not a plan file."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from .docx_text import docx_to_text
from .errors import PlanImportError
from .pdf_text import pdf_to_text

MAX_FILE_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
DOCX_SUFFIXES = frozenset({".docx"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES

# Share of control characters above which decoded "text" is treated as binary.
_MAX_CONTROL_SHARE = 0.05


def read_plan_file(path: Path) -> str:
    """Read a plan file from disk. Raises PlanImportError for anything that is not usable."""
    path = Path(path)
    try:
        if not path.exists():
            raise PlanImportError("not_found", f"No file at {path}.")
        _check_suffix(path.name)
        if not path.is_file():
            raise PlanImportError("unreadable", f"{path} is not a regular file.")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PlanImportError("too_large", _too_large_detail(size))
        data = path.read_bytes()
    except OSError as exc:
        raise PlanImportError(
            "unreadable", f"Could not read {path}: {exc.strerror or exc}."
        ) from exc
    return read_plan_bytes(data, path.name)


def read_plan_bytes(data: bytes, filename: str) -> str:
    """Read a plan file given as bytes (e.g. a Telegram document) and its file name."""
    suffix = _check_suffix(filename)
    if len(data) > MAX_FILE_BYTES:
        raise PlanImportError("too_large", _too_large_detail(len(data)))
    if not data.strip():
        raise PlanImportError("empty", "The file is empty.")
    if suffix in DOCX_SUFFIXES:
        text = docx_to_text(data)
    elif suffix in PDF_SUFFIXES:
        text = pdf_to_text(data)
    else:
        text = _decode_text(data)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise PlanImportError("empty", "The file contains no text.")
    return text


def _check_suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(none)"
        raise PlanImportError(
            "unsupported_type",
            f"Unsupported file type {shown}; send a .docx, .pdf, .md or .txt file.",
        )
    return suffix


def _too_large_detail(size: int) -> str:
    return (
        f"The file is {size / (1024 * 1024):.1f} MB; "
        f"plans larger than {MAX_FILE_BYTES // (1024 * 1024)} MB are refused."
    )


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked_text(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise PlanImportError("unreadable", "The UTF-16 text is damaged.") from exc
    if b"\x00" in data:
        raise PlanImportError("binary", "The file is binary, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Older Vietnamese Windows text files.
            text = data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise PlanImportError(
                "unreadable", "The text encoding is not recognised; save the file as UTF-8."
            ) from exc
    return _checked_text(text)


def _checked_text(text: str) -> str:
    if not text:
        return text
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if "\x00" in text or controls / len(text) > _MAX_CONTROL_SHARE:
        raise PlanImportError("binary", "The file is binary, not text.")
    return text
