"""Typed actions: what pressing a choice means, packed into at most 64 bytes.

One class per action, with its packing, its pattern and its parsing in one place::

    @dataclass(frozen=True, slots=True)
    class OpenSession(Action, prefix="ses"):
        session_id: int

    OpenSession(12).pack()            # "ses:12"
    OpenSession.pattern()             # "^ses:(?:\\d{1,15})$" (for CallbackQueryHandler)
    OpenSession.parse("ses:12")       # OpenSession(session_id=12)
    OpenSession.parse("ses:99999999999999999999")   # None: forged data never raises

Field types: int (0 ≤ n < 10**15, so a forged huge number never reaches the database),
str (no ':' and not empty), bool ("1"/"0"), a StrEnum (its values), a one-word `Literal`
(a fixed word inside the data, e.g. `ut:<id>:page:<n>`), and `X | None` of those (packed as
"-"). A prefix may contain ':' (the wire formats of older buttons stay valid). Several classes
may share a prefix when their fields tell them apart.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from enum import StrEnum
from typing import Any, ClassVar, Self

MAX_BYTES = 64  # Telegram's limit for callback data
MAX_INT = 10**15
_NONE = "-"
_INT = r"\d{1,15}"
_STR = r"[^:]+"

_REGISTRY: dict[str, type[Action]] = {}  # by qualified name


class ActionError(ValueError):
    """An action that cannot be packed (a programming error, never user input)."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Field:
    name: str
    kind: type
    optional: bool
    literal: str | None = None

    def regex(self) -> str:
        if self.literal is not None:
            return f"(?:{re.escape(self.literal)})"
        if self.kind is bool:
            body = "[01]"
        elif self.kind is int:
            body = _INT
        elif issubclass(self.kind, StrEnum):
            body = "|".join(re.escape(m.value) for m in self.kind)
        else:
            body = _STR
        return f"(?:{body}|{re.escape(_NONE)})" if self.optional else f"(?:{body})"

    def encode(self, value: Any) -> str:
        if value is None:
            if not self.optional:
                raise ActionError(f"{self.name} may not be None")
            return _NONE
        if self.literal is not None:
            if value != self.literal:
                raise ActionError(f"{self.name} must be {self.literal!r}")
            return self.literal
        if self.kind is bool:
            return "1" if value else "0"
        if self.kind is int:
            if not isinstance(value, int) or not 0 <= value < MAX_INT:
                raise ActionError(f"{self.name}={value!r} is not a small non-negative int")
            return str(value)
        text = value.value if isinstance(value, StrEnum) else str(value)
        if not text or ":" in text or text == _NONE:
            raise ActionError(f"{self.name}={value!r} cannot be packed")
        return text

    def decode(self, text: str) -> Any:
        """The value, or raises ValueError for anything that does not fit."""
        if text == _NONE and self.optional:
            return None
        if self.literal is not None:
            if text != self.literal:
                raise ValueError(text)
            return text
        if self.kind is bool:
            if text not in ("0", "1"):
                raise ValueError(text)
            return text == "1"
        if self.kind is int:
            if not text.isdigit() or len(text) > 15:
                raise ValueError(text)
            return int(text)
        if issubclass(self.kind, StrEnum):
            return self.kind(text)
        if not text or ":" in text:
            raise ValueError(text)
        return text


def _fields_of(cls: type) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        hint = hints[f.name]
        optional = False
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            args = [a for a in typing.get_args(hint) if a is not type(None)]
            if len(args) != 1:
                raise ActionError(f"{cls.__name__}.{f.name}: unsupported type {hint}")
            hint, optional = args[0], True
        if typing.get_origin(hint) is typing.Literal:
            words = typing.get_args(hint)
            if len(words) != 1 or not isinstance(words[0], str):
                raise ActionError(f"{cls.__name__}.{f.name}: one-word Literal only")
            out.append(_Field(f.name, str, optional, words[0]))
            continue
        if not (hint in (int, str, bool) or (isinstance(hint, type) and issubclass(hint, StrEnum))):
            raise ActionError(f"{cls.__name__}.{f.name}: unsupported type {hint}")
        out.append(_Field(f.name, hint, optional))
    return tuple(out)


class Action:
    """Base of every typed action. Subclasses are frozen dataclasses with a unique prefix."""

    __slots__ = ()
    prefix: ClassVar[str]
    _fields: ClassVar[tuple[_Field, ...]] = ()
    _regex: ClassVar[re.Pattern[str]]

    def __init_subclass__(cls, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix:
            # dataclass(slots=True) re-creates the class without the keyword: keep the copy.
            if cls.__dict__.get("prefix"):
                _REGISTRY[f"{cls.__module__}.{cls.__qualname__}"] = cls
            return  # otherwise an abstract intermediate class
        cls.prefix = prefix
        _REGISTRY[f"{cls.__module__}.{cls.__qualname__}"] = cls

    @classmethod
    def _spec(cls) -> tuple[tuple[_Field, ...], re.Pattern[str]]:
        # Resolved lazily: the dataclass decorator runs after __init_subclass__.
        spec = cls.__dict__.get("_spec_cache")
        if spec is None:
            fields = _fields_of(cls)
            body = "".join(":(" + f.regex() + ")" for f in fields)
            spec = (fields, re.compile("^" + re.escape(cls.prefix) + body + "$"))
            type.__setattr__(cls, "_spec_cache", spec)
        return spec  # type: ignore[no-any-return]

    def pack(self) -> str:
        fields, _ = self._spec()
        data = self.prefix + "".join(":" + f.encode(getattr(self, f.name)) for f in fields)
        if len(data.encode()) > MAX_BYTES:
            raise ActionError(f"{data!r} is over {MAX_BYTES} bytes")
        return data

    @classmethod
    def pattern(cls) -> str:
        """A regex matching exactly the data this action packs (for CallbackQueryHandler)."""
        return cls._spec()[1].pattern

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The action packed in `data`, or None when it is not this action or is malformed."""
        if not data:
            return None
        fields, regex = cls._spec()
        match = regex.match(data)
        if match is None:
            return None
        try:
            values = [f.decode(v) for f, v in zip(fields, match.groups(), strict=True)]
        except ValueError:
            return None
        return cls(*values)


def registered() -> dict[str, type[Action]]:
    """Every action class by qualified name (tests check their patterns never overlap)."""
    return dict(_REGISTRY)
