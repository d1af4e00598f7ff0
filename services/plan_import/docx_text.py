"""Flatten a .docx into the same light Markdown the rest of the importer reads.

Headings become `#` lines, list paragraphs become `-` items (Word's automatic numbers are
not part of the text, so they cannot be reproduced), and table rows become `| a | b |`.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from .errors import PlanImportError

# The compressed file is capped by the reader; this caps what it may inflate to.
MAX_DOCUMENT_XML_BYTES = 50 * 1024 * 1024


def docx_to_text(data: bytes) -> str:
    """Return the text of a .docx given as bytes, or raise PlanImportError("unreadable")."""
    if not data.startswith(b"PK\x03\x04"):
        raise PlanImportError(
            "unreadable",
            "The file is not a valid .docx (Word 2007 or later); "
            "save old .doc files as .docx first.",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise PlanImportError("unreadable", f"The .docx file is damaged: {exc}.") from exc
    if info.file_size > MAX_DOCUMENT_XML_BYTES:
        raise PlanImportError("too_large", "The .docx document is too large once unpacked.")
    try:
        document = Document(io.BytesIO(data))
        lines: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                lines.append(_paragraph_line(item))
            elif isinstance(item, Table):
                lines.extend(_table_lines(item))
    except PlanImportError:
        raise
    except Exception as exc:  # python-docx raises many kinds of errors on broken files
        raise PlanImportError("unreadable", f"The .docx file could not be read: {exc}.") from exc
    return "\n".join(lines)


def _paragraph_line(paragraph: Paragraph) -> str:
    text = paragraph.text.replace("\n", " ").strip()
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    lowered = style.lower()
    if lowered == "title":
        return f"# {text}"
    if lowered.startswith("heading"):
        level = "".join(ch for ch in lowered if ch.isdigit())
        depth = min(int(level), 6) if level else 1
        return f"{'#' * depth} {text}"
    list_level = _list_level(paragraph)
    if list_level is not None or lowered.startswith("list"):
        return f"{'  ' * (list_level or 0)}- {text}"
    return text


def _list_level(paragraph: Paragraph) -> int | None:
    """The list nesting level of a numbered/bulleted paragraph, None for plain ones."""
    properties = paragraph._p.pPr
    if properties is None or properties.numPr is None:
        return None
    level = properties.numPr.ilvl
    if level is None or level.val is None:
        return 0
    return int(level.val)


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells = [" ".join(cell.text.split()) for cell in row.cells]
        if any(cells):
            lines.append("| " + " | ".join(cells) + " |")
    return ["", *lines, ""]
