"""The one error type of plan import, with a stable machine code and a human English detail."""

from __future__ import annotations

from typing import Literal, get_args

PlanImportErrorCode = Literal[
    "not_found",
    "unsupported_type",
    "empty",
    "binary",
    "too_large",
    "unreadable",
    "no_plan_found",
    "scanned_pdf",
]

ERROR_CODES: frozenset[str] = frozenset(get_args(PlanImportErrorCode))


class PlanImportError(Exception):
    """A plan file could not be turned into text, or the text holds no plan.

    `code` is stable (channels map it to a localised message); `detail` is plain English
    for logs and the CLI.
    """

    def __init__(self, code: PlanImportErrorCode, detail: str) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown plan import error code: {code!r}")
        super().__init__(detail)
        self.code: PlanImportErrorCode = code
        self.detail = detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.detail!r})"
