"""Which files sent in the chat may be imported as a plan, and which only so."""

from __future__ import annotations

from services.document_rules import importable_only, may_import_as_plan
from storage.models import Role


def test_only_organisers_import_and_only_what_the_reader_knows() -> None:
    assert may_import_as_plan({Role.ORGANISER}, "Ke-hoach 82.DOCX")
    assert may_import_as_plan({Role.ORGANISER, Role.MEMBER}, "ke-hoach.md")
    assert not may_import_as_plan({Role.SECRETARY, Role.LEADER}, "ke-hoach.docx")
    assert not may_import_as_plan({Role.ORGANISER}, "anh.jpg")
    assert not may_import_as_plan({Role.ORGANISER}, "ke-hoach")


def test_a_markdown_plan_is_no_document_of_a_plan() -> None:
    assert importable_only("ke-hoach.md")
    assert not importable_only("tham-luan.docx")
    assert not importable_only("tham-luan.PDF")
