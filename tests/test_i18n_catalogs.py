"""The catalogs are complete and consistent with the code: every message is translated in
Vietnamese and English, placeholders survive translation, and every string the code shows is
in the template (locales/update.sh was run)."""

from __future__ import annotations

import ast
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from core.i18n import LOCALES_DIR, Lang

ROOT = LOCALES_DIR.parent
# The same sources and keywords as locales/update.sh.
SOURCES = [
    "bot.py",
    "core",
    "handlers",
    "services",
    "scheduler",
    "storage",
    "playground",
    "channels",
    "ui",
]
KEYWORDS = ["-k", "t", "-k", "N_", "-k", "nt:1,2"]
SERVICE_ERRORS = {"ServiceError", "PermissionDenied", "NotFound", "InvalidInput", "Conflict"}


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


@cache
def template() -> Catalog:
    return read(LOCALES_DIR / "messages.pot")


@cache
def catalog(locale: str) -> Catalog:
    return read(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po", locale)


def ids(cat: Catalog) -> set[str]:
    return {key(m) for m in cat if m.id}


def key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def forms(value: object) -> list[str]:
    return [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_every_message_is_translated(locale: str) -> None:
    cat = catalog(locale)
    assert ids(cat) == ids(template())
    untranslated = [
        key(m) for m in cat if m.id and (not all(s.strip() for s in forms(m.string)) or m.fuzzy)
    ]
    assert untranslated == []


def test_vietnamese_placeholders_match() -> None:
    wrong = []
    for message in catalog("vi"):
        if not message.id:
            continue
        wanted = set().union(*(fields(i) for i in forms(message.id)))
        for text in forms(message.string):
            if text and fields(text) != wanted:  # (a missing one fails the test above)
                wrong.append((key(message), sorted(wanted), sorted(fields(text))))
    assert wrong == []


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_compiled_catalogs_say_what_the_po_files_say(locale: str) -> None:
    lang = Lang(locale)
    stale = []
    for message in catalog(locale):
        if not message.id or not all(forms(message.string)):  # (untranslated: see above)
            continue
        if isinstance(message.id, str):
            if lang.t(message.id) != message.string:
                stale.append(message.id)
        else:
            singular = lang._tr.ngettext(message.id[0], message.id[1], 1)
            if singular != message.string[0]:
                stale.append(message.id[0])
    assert stale == []


def test_template_holds_every_string_of_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), *KEYWORDS]
        + ["--no-location", "--sort-output", "-o", str(fresh)]
        + [str(ROOT / source) for source in SOURCES]
    )
    extracted = ids(read(fresh))
    assert len(extracted) > 50
    assert sorted(extracted - ids(template())) == [], "run locales/update.sh"
    assert sorted(ids(template()) - extracted) == [], "run locales/update.sh"


def _python_files() -> list[Path]:
    files = [ROOT / "bot.py"]
    for source in SOURCES[1:]:
        files += sorted((ROOT / source).rglob("*.py"))
    return [f for f in files if f.exists()]


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def test_calls_give_every_placeholder() -> None:
    """`lang.t("… {name} …", name=…)` and `InvalidInput(N_("… {x} …"), x=…)` must pass every
    field the message uses, or the user gets an error instead of the message."""
    missing = []
    checked = 0
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or not call.args:
                continue
            given = {kw.arg for kw in call.keywords}
            if None in given:  # **params: cannot tell
                continue
            func = _name(call.func)
            texts: list[str] = []
            if func == "t" and (text := _literal(call.args[0])) is not None:
                texts = [text]
                if not given:  # a plain lookup: the caller formats nothing
                    continue
            elif func == "nt" and len(call.args) >= 2:
                texts = [t for t in map(_literal, call.args[:2]) if t is not None]
                given.add("n")
            elif func in SERVICE_ERRORS:
                first = call.args[0]
                if isinstance(first, ast.Call) and _name(first.func) == "N_" and first.args:
                    texts = [t for t in [_literal(first.args[0])] if t is not None]
            checked += bool(texts)
            for text in texts:
                if lacking := fields(text) - given:
                    missing.append((f"{path.relative_to(ROOT)}:{call.lineno}", sorted(lacking)))
    assert checked > 30  # the walk found the calls
    assert missing == []


def test_every_translated_entry_of_vi_json_is_used() -> None:
    import json

    vi = json.loads((LOCALES_DIR / "vi.json").read_text(encoding="utf-8"))
    assert sorted(set(vi) - ids(template())) == []


def test_translations_work_without_compiled_files(tmp_path: object, monkeypatch: object) -> None:
    """A read-only install (no .mo written) still speaks Vietnamese: compiled in memory."""
    import shutil
    from pathlib import Path

    from core import i18n

    copy = Path(str(tmp_path)) / "locales"
    shutil.copytree(i18n.LOCALES_DIR, copy, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALES_DIR", copy)  # type: ignore[attr-defined]
    i18n._translations.cache_clear()
    try:
        assert not list(copy.glob("*/LC_MESSAGES/*.mo"))
        assert i18n.Lang("vi").t("✖ Cancel") == "✖ Hủy"
    finally:
        monkeypatch.undo()  # type: ignore[attr-defined]
        i18n._translations.cache_clear()
