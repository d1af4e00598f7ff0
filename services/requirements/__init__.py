"""What a plan asks of units by a deadline, what they have delivered, and the progress table.

Two kinds of requirement:

* `report_sessions`: each target unit reports model sessions, with a quota per kind (for
  example one thường kỳ and one chuyên đề). A session of the plan hosted by the target unit
  or by a unit under it counts; cancelled sessions do not. Only the kinds with a quota are
  limited: reporting one more of a kind whose quota is met is refused (`check_quota`).
* `document`: each target unit sends a document (for example its tham luận).

A target's stored status is `pending` or `submitted`; `late` is never stored but computed
against the clock: a pending target whose deadline (the end of the due day in Hà Nội) has
passed is late, and a submitted one carries a late flag when it came in after the deadline.
"""

from __future__ import annotations

from services.requirements.create import (
    check_description,
    check_new_requirement,
    create_requirement,
    preview_targets,
    target_choices,
)
from services.requirements.documents import (
    PendingDocument,
    add_document,
    pending_documents_for,
    requirement_documents,
    session_documents,
)
from services.requirements.progress import can_see_progress, progress, progress_plans
from services.requirements.queries import (
    get_requirement,
    plan_requirements,
    requirement_targets,
    session_counts,
)
from services.requirements.quotas import check_quota, fulfilment_notices, refresh_report_targets
from services.requirements.rules import (
    ALLOWED_EXTENSIONS,
    DOCX_MIME,
    GENERIC_MIMES,
    MAX_DESCRIPTION,
    MAX_FILE_BYTES,
    MAX_FILE_NAME,
    MAX_QUOTA,
    FileInfo,
    ProgressRow,
    TargetScope,
    check_file,
    due_at_for,
    missing_sessions,
    parse_due_day,
    quota_of,
    strip_deadline_words,
    submitted_late,
    target_status,
)

__all__ = [
    "ALLOWED_EXTENSIONS",
    "DOCX_MIME",
    "GENERIC_MIMES",
    "MAX_DESCRIPTION",
    "MAX_FILE_BYTES",
    "MAX_FILE_NAME",
    "MAX_QUOTA",
    "FileInfo",
    "PendingDocument",
    "ProgressRow",
    "TargetScope",
    "add_document",
    "can_see_progress",
    "check_description",
    "check_file",
    "check_new_requirement",
    "check_quota",
    "create_requirement",
    "due_at_for",
    "fulfilment_notices",
    "get_requirement",
    "missing_sessions",
    "parse_due_day",
    "pending_documents_for",
    "plan_requirements",
    "preview_targets",
    "progress",
    "progress_plans",
    "quota_of",
    "refresh_report_targets",
    "requirement_documents",
    "requirement_targets",
    "session_counts",
    "session_documents",
    "strip_deadline_words",
    "submitted_late",
    "target_choices",
    "target_status",
]
