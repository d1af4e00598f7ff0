"""gettext catalogs (managed with Babel) and the per-user translator.

Source strings are English; `locales/vi` translates them and is the default language.
Catalogs are compiled from the .po files on start when the .mo files are missing or stale,
so a fresh clone works without a build step.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from core.config import SUPPORTED_LOCALES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT_LOCALE = "vi"


class Msgid(str):
    """A catalog message id kept for later translation (a parameter of another message)."""

    __slots__ = ()


def N_(message: str) -> Msgid:
    """Mark a string for extraction without translating it now."""
    return Msgid(message)


def _mo_bytes(po_path: Path) -> bytes:
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=po_path.parent.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_catalogs(locales_dir: Path = LOCALES_DIR) -> list[Path]:
    """Compile every messages.po whose .mo is missing or older. Returns the files written.
    Where the package folder is read-only, the catalogs are compiled in memory instead."""
    written: list[Path] = []
    for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        tmp = mo_path.with_suffix(".mo.tmp")
        try:
            tmp.write_bytes(_mo_bytes(po_path))
            tmp.replace(mo_path)
        except OSError:
            continue  # read-only install: `_translations` compiles in memory
        written.append(mo_path)
    _translations.cache_clear()
    return written


@cache
def _translations(locale: str) -> gettext.NullTranslations:
    po_path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po_path.exists():
        return gettext.GNUTranslations(io.BytesIO(_mo_bytes(po_path)))
    return gettext.NullTranslations()


def normalise_locale(code: str | None, default: str = DEFAULT_LOCALE) -> str:
    if not code:
        return default
    base = code.replace("-", "_").split("_")[0].lower()
    return base if base in SUPPORTED_LOCALES else default


class Lang:
    """Translator bound to one locale. `lang.t("Hello {name}", name=...)`."""

    __slots__ = ("_tr", "locale")

    def __init__(self, locale: str) -> None:
        self.locale = normalise_locale(locale)
        self._tr = _translations(self.locale)

    def t(self, message: str, /, **params: Any) -> str:
        text = self._tr.gettext(message)
        return text.format(**self._params(params)) if params else text

    def _params(self, params: dict[str, Any]) -> dict[str, Any]:
        return {k: self.t(v) if isinstance(v, Msgid) else v for k, v in params.items()}

    def nt(self, singular: str, plural: str, n: int, /, **params: Any) -> str:
        text = self._tr.ngettext(singular, plural, n)
        return text.format(n=n, **self._params(params))


def lang(locale: str | None) -> Lang:
    return Lang(normalise_locale(locale))
