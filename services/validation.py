"""Cleaning and checking free text typed by users."""

from __future__ import annotations

import re
import unicodedata

from core.i18n import N_
from services.errors import InvalidInput

_SPACES = re.compile(r"\s+")
_NAME_EXTRA = set(" .-'’")


def clean_text(value: str | None) -> str:
    """NFC-normalise, drop control and format characters, fold white space."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value)
    value = "".join(
        ch
        for ch in value
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs")
    )
    return _SPACES.sub(" ", value).strip()


def clean_lines(value: str | None) -> str:
    """`clean_text` line by line, for longer texts whose line breaks matter: no blank lines
    at either end, and at most one blank line in a row."""
    lines = [clean_text(line) for line in (value or "").splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def _has_letter(value: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in value)


def _is_pictographic(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or 0x1F000 <= ord(ch) <= 0x1FAFF


def check_full_name(value: str | None) -> str:
    name = clean_text(value)
    if not name:
        raise InvalidInput(N_("Please type your full name, for example: Nguyễn Văn An."))
    if len(name) > 80:
        raise InvalidInput(
            N_("That name is too long ({length} characters). Please keep it under 80."),
            length=len(name),
        )
    for ch in name:
        cat = unicodedata.category(ch)
        if not (cat.startswith("L") or cat.startswith("M") or ch in _NAME_EXTRA):
            raise InvalidInput(
                N_(
                    "A name can only have letters and spaces. "
                    "Please type it again, for example: Nguyễn Văn An."
                )
            )
    if sum(1 for ch in name if unicodedata.category(ch).startswith("L")) < 2:
        raise InvalidInput(N_("Please type your full name, for example: Nguyễn Văn An."))
    return name


def check_label(value: str | None, *, max_length: int, what: str) -> str:
    """A unit name, a position and the like: letters required, no emoji, bounded length.

    `what` is a catalog message id naming the field (already marked with N_)."""
    text = clean_text(value)
    if not text or not _has_letter(text):
        raise InvalidInput(N_("Please type the {what} in words."), what=what)
    if len(text) > max_length:
        raise InvalidInput(
            N_("The {what} is too long ({length} characters). Please keep it under {limit}."),
            what=what,
            length=len(text),
            limit=max_length,
        )
    if any(_is_pictographic(ch) for ch in text):
        raise InvalidInput(N_("Please type the {what} without emoji or symbols."), what=what)
    return text
