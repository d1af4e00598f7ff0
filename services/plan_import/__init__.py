"""Import a KẾ HOẠCH (plan) document into an editable draft.

    text = read_plan_file(path)          # or read_plan_bytes(data, filename)
    draft = extract_plan(text)           # never raises
    draft.to_json()

Service layer only: no network, no Telegram.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ERROR_CODES, PlanImportError, PlanImportErrorCode
from .extract import extract_plan
from .model import VIETNAM_TZ, DeadlineDraft, PlanDraft, SessionDraft, SessionKind
from .reader import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, read_plan_bytes, read_plan_file

__all__ = [
    "ERROR_CODES",
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "VIETNAM_TZ",
    "DeadlineDraft",
    "PlanDraft",
    "PlanImportError",
    "PlanImportErrorCode",
    "SessionDraft",
    "SessionKind",
    "extract_plan",
    "import_plan_bytes",
    "import_plan_file",
    "read_plan_bytes",
    "read_plan_file",
]


def import_plan_file(path: Path) -> PlanDraft:
    """read_plan_file + extract_plan; raises PlanImportError("no_plan_found") for non-plans."""
    return _require_plan(extract_plan(read_plan_file(path)))


def import_plan_bytes(data: bytes, filename: str) -> PlanDraft:
    """read_plan_bytes + extract_plan; raises PlanImportError("no_plan_found") for non-plans."""
    return _require_plan(extract_plan(read_plan_bytes(data, filename)))


def _require_plan(draft: PlanDraft) -> PlanDraft:
    if draft.is_empty():
        raise PlanImportError(
            "no_plan_found", "No plan was recognised in the file (no number, title or sessions)."
        )
    return draft
