"""The text layer of a .pdf plan (pypdf), page by page.

A scanned PDF is a picture of each page: it has no text layer and cannot be read until an
OCR step exists, so it is refused with its own error code instead of yielding an empty draft.
"""

from __future__ import annotations

import io
import logging

from .errors import PlanImportError

MAX_PAGES = 60
# Fewer letters than this on every page together means there is no usable text layer.
_MIN_LETTERS = 20

logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns loudly about odd files


def pdf_to_text(data: bytes) -> str:
    """Return the text of a PDF given as bytes, or raise PlanImportError."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise PlanImportError("unreadable", "The file is not a valid PDF.")
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _unlocked(reader):
            raise PlanImportError("unreadable", "The PDF is password-protected.")
        if len(reader.pages) > MAX_PAGES:
            raise PlanImportError("too_large", f"The PDF has more than {MAX_PAGES} pages.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanImportError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on broken files
        raise PlanImportError("unreadable", f"The PDF could not be read: {exc}.") from exc
    text = "\n\n".join(page.strip("\n") for page in pages)
    if sum(ch.isalpha() for ch in text) < _MIN_LETTERS:
        raise PlanImportError(
            "scanned_pdf",
            "The PDF has no text layer (a scanned document); it cannot be read yet.",
        )
    return text


def _unlocked(reader: object) -> bool:
    """Many official PDFs are 'encrypted' with an empty password only to forbid editing."""
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:
        return False
