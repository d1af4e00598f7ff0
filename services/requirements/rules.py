"""The values of requirements and the pure rules about them: deadlines, quotas, target status,
which files are accepted."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import PurePosixPath

from core.i18n import N_
from services.context import Ctx
from services.errors import InvalidInput
from services.plans import (
    parse_day,
)
from services.validation import clean_text
from services.vn_datetime import VN_TZ
from storage.models import (
    Requirement,
    RequirementKind,
    RequirementTarget,
    SessionKind,
    TargetStatus,
    UnitKind,
)

MAX_QUOTA = 20
MAX_DESCRIPTION = 1000
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILE_NAME = 255
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_EXTENSIONS: dict[str, frozenset[str]] = {
    ".docx": frozenset({DOCX_MIME}),
    ".doc": frozenset({"application/msword"}),
    ".pdf": frozenset({"application/pdf"}),
    ".txt": frozenset({"text/plain"}),
}
# Clients sometimes send no type or a generic one; those are judged by the extension alone.
GENERIC_MIMES = frozenset({"", "application/octet-stream", "application/zip"})

_BAD_FILE_TYPE = N_(
    "Only Word (.docx, .doc), PDF (.pdf) or text (.txt) files can be sent. "
    "Please save the document in one of these formats and send it again."
)


@dataclass(frozen=True, slots=True)
class TargetScope:
    """ "All units of `kind` under `unit_id`" (resolved into target rows at creation)."""

    unit_id: int
    kind: UnitKind


@dataclass(frozen=True, slots=True)
class FileInfo:
    """What Telegram tells about an uploaded file. The bytes stay on Telegram's servers."""

    file_id: str
    file_unique_id: str
    file_name: str
    mime_type: str
    size: int


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """One line of the organisers' progress table (/tiendo)."""

    unit_id: int
    unit_name: str
    requirement_id: int
    requirement_kind: RequirementKind
    description: str
    due_on: date
    due_at: datetime
    status: TargetStatus
    submitted_at: datetime | None
    submitted_late: bool
    # report_sessions: sessions still to report, per kind (empty when the quota is met).
    missing: dict[SessionKind, int] = field(default_factory=dict)
    # document: nothing received yet.
    missing_document: bool = False


# --------------------------------------------------------------------------- pure helpers


def due_at_for(due_on: date) -> datetime:
    """The deadline instant: the end of `due_on` in Hà Nội (the next local midnight), UTC."""
    return datetime.combine(due_on + timedelta(days=1), time(0), tzinfo=VN_TZ).astimezone(UTC)


# Words that may come before a typed deadline: "trước ngày 20/2", "hạn chót: 20/2/2025".
_DEADLINE_WORDS = re.compile(
    r"^(?:(?:han(?:\s+chot)?(?:\s+nop)?|cham\s+nhat|muon\s+nhat|truoc|den|by|before|due)"
    r"(?![a-z0-9])[\s:,.-]*)+"
)


def _fold(text: str) -> str:
    """Lower case without diacritics, one character for one (so positions match)."""
    return "".join(
        "d" if ch in "đĐ" else (unicodedata.normalize("NFD", ch)[:1] or ch).lower() for ch in text
    )


def strip_deadline_words(text: str) -> str:
    """ "trước ngày 20/2" → "ngày 20/2": the deadline is the day given."""
    stripped = text.strip()
    found = _DEADLINE_WORDS.match(_fold(stripped))
    return stripped[found.end() :] if found else stripped


def parse_due_day(ctx: Ctx, value: date | str) -> date:
    """The due day of a requirement (typed text or a date): today or later."""
    day = parse_day(ctx, strip_deadline_words(value) if isinstance(value, str) else value)
    if due_at_for(day) <= ctx.clock.now():
        raise InvalidInput(
            N_(
                "That deadline has already passed. Please give a later day, for example: {example}."
            ),
            example="30/6",
        )
    return day


def quota_of(requirement: Requirement) -> dict[SessionKind, int]:
    return {
        SessionKind.THUONG_KY: requirement.quota_thuong_ky,
        SessionKind.CHUYEN_DE: requirement.quota_chuyen_de,
        SessionKind.HOI_THAO: requirement.quota_hoi_thao,
    }


def target_status(
    target: RequirementTarget, requirement: Requirement, now: datetime
) -> TargetStatus:
    if target.status == TargetStatus.SUBMITTED:
        return TargetStatus.SUBMITTED
    return TargetStatus.LATE if now >= requirement.due_at else TargetStatus.PENDING


def submitted_late(target: RequirementTarget, requirement: Requirement) -> bool:
    return target.submitted_at is not None and target.submitted_at >= requirement.due_at


def missing_sessions(
    quota: Mapping[SessionKind, int], done: Mapping[SessionKind, int]
) -> dict[SessionKind, int]:
    return {
        kind: wanted - done.get(kind, 0)
        for kind, wanted in quota.items()
        if wanted > 0 and done.get(kind, 0) < wanted
    }


def check_file(file: FileInfo) -> FileInfo:
    """Type and size rules for uploaded documents; returns the cleaned file info."""
    name = clean_text(file.file_name)
    extension = PurePosixPath(name).suffix.lower()
    mime = (file.mime_type or "").strip().lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise InvalidInput(_BAD_FILE_TYPE)
    if mime not in GENERIC_MIMES and not any(mime in m for m in ALLOWED_EXTENSIONS.values()):
        raise InvalidInput(_BAD_FILE_TYPE)
    if file.size <= 0:
        raise InvalidInput(N_("That file is empty. Please send the document again."))
    if file.size > MAX_FILE_BYTES:
        raise InvalidInput(
            N_(
                "That file is too large ({size_mb} MB). Files can be at most {limit_mb} MB; "
                "please send a smaller version (for example without pictures, or as PDF)."
            ),
            size_mb=round(file.size / (1024 * 1024), 1),
            limit_mb=MAX_FILE_BYTES // (1024 * 1024),
        )
    if len(name) > MAX_FILE_NAME:
        stem = name[: MAX_FILE_NAME - len(extension)]
        name = stem + extension
    if not file.file_id or not file.file_unique_id:
        raise InvalidInput(N_("That file could not be read. Please send the document again."))
    return FileInfo(file.file_id, file.file_unique_id, name, mime, file.size)
