"""A strict-enough check of Telegram's HTML parse mode, returning the plain text."""

from __future__ import annotations

import html
import re

ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "code",
        "del",
        "em",
        "i",
        "ins",
        "pre",
        "s",
        "span",
        "strike",
        "strong",
        "tg-emoji",
        "tg-spoiler",
        "u",
    }
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>")


class EntityParseError(ValueError):
    """Raised with Telegram's wording when HTML markup is not accepted."""


def _offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def html_to_plain(text: str) -> str:
    """Validate ``text`` as Telegram HTML and return it without tags, entities unescaped."""
    parts: list[str] = []
    stack: list[str] = []
    pos = 0
    while True:
        lt = text.find("<", pos)
        if lt < 0:
            parts.append(html.unescape(text[pos:]))
            break
        parts.append(html.unescape(text[pos:lt]))
        match = _TAG.match(text, lt)
        if match is None:
            raise EntityParseError(f'Unsupported start tag "" at byte offset {_offset(text, lt)}')
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if not stack:
                raise EntityParseError(
                    f'Unexpected end tag "{name}" at byte offset {_offset(text, lt)}'
                )
            expected = stack.pop()
            if expected != name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {_offset(text, lt)}, "
                    f'expected "</{expected}>", found "</{name}>"'
                )
        else:
            if name not in ALLOWED_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{name}" at byte offset {_offset(text, lt)}'
                )
            if name == "span" and "tg-spoiler" not in attrs:
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {_offset(text, lt)}'
                )
            stack.append(name)
        pos = match.end()
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(parts)
