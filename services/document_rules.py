"""What a file someone sends in the chat may be used for: a document a plan or a session waits
for (services.requirements checks its type and size), or a plan to import (organisers only,
in a format the plan reader knows)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import PurePosixPath

from services.plan_import import SUPPORTED_SUFFIXES
from services.requirements import ALLOWED_EXTENSIONS
from storage.models import Role


def _suffix(file_name: str) -> str:
    return PurePosixPath(file_name).suffix.lower()


def may_import_as_plan(roles: Collection[Role], file_name: str) -> bool:
    """Organisers may import a plan from a file the plan reader knows."""
    return Role.ORGANISER in roles and _suffix(file_name) in SUPPORTED_SUFFIXES


def importable_only(file_name: str) -> bool:
    """A type no document of a plan may have, though the plan import reads it (a .md plan)."""
    return _suffix(file_name) not in ALLOWED_EXTENSIONS
