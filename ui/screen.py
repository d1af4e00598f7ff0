"""A screen: what one message (or one replaced message) shows a person.

Flows return screens; renderers (channels/telegram, channels/plain) draw them. A screen never
holds a messenger object: choices carry typed actions, attachments carry bytes or links.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from ui.actions import Action


class Mode(StrEnum):
    """How a screen relates to the one the person is looking at."""

    NEW = "new"  # a message of its own
    REPLACE = "replace"  # the next step of the screen answered (a page flip, a toggle)
    PROGRESS = "progress"  # a report that updates itself (channels without edits: start and end)


class Expect(StrEnum):
    """What answer the step waits for, so a channel without buttons can tell a choice from an
    answer (a typed "2" is the second choice where choices are expected, a number elsewhere)."""

    NOTHING = "nothing"  # an information screen; choices, if any, are optional shortcuts
    CHOICE = "choice"  # only one of the choices
    TEXT = "text"  # free text (choices may still be offered)
    DATE = "date"  # a date/time typed in Vietnamese forms
    NUMBER = "number"  # a whole number
    CODE = "code"  # a 6-digit check-in code
    FILE = "file"  # a document or photo


@dataclass(frozen=True, slots=True)
class Choice:
    """One option: its label as shown, and the action pressing it means. `url` choices open a
    link instead (Telegram draws a link button; other channels print the link)."""

    label: str
    action: Action | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.action is None) == (self.url is None):
            raise ValueError("a choice has either an action or a url")


@dataclass(frozen=True, slots=True)
class ImageAttachment:
    data: bytes
    name: str = "image.png"


@dataclass(frozen=True, slots=True)
class FileAttachment:
    data: bytes
    name: str
    mime: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class QrAttachment:
    """A QR code of `link`; `code` (if any) is what people may type instead of scanning."""

    link: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class StoredFileAttachment:
    """A file a person sent earlier, by the channel's reference to it and its file name."""

    ref: str
    name: str


Attachment = ImageAttachment | FileAttachment | QrAttachment | StoredFileAttachment


@dataclass(frozen=True, slots=True)
class Menu:
    """The person's standing menu (Telegram's reply keyboard). `rows` of labels; an empty
    menu removes it. `once`: suggestions offered for one answer (they hide after a tap)."""

    rows: tuple[tuple[str, ...], ...] = ()
    once: bool = False


@dataclass(frozen=True, slots=True)
class Screen:
    """Text parts (joined with a blank line), rows of choices, attachments.

    With an attachment the text is its caption. `html` says the text is HTML (user text in it
    must be escaped). `toast` is a short acknowledgement of the press that led here.
    """

    text: str
    choices: tuple[tuple[Choice, ...], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    mode: Mode = Mode.NEW
    expect: Expect = Expect.NOTHING
    html: bool = False
    menu: Menu | None = None
    toast: str | None = None

    @staticmethod
    def of(
        *parts: str | None,
        rows: Iterable[Sequence[Choice]] = (),
        attachments: Iterable[Attachment] = (),
        mode: Mode = Mode.NEW,
        expect: Expect = Expect.NOTHING,
        html: bool = False,
        menu: Menu | None = None,
        toast: str | None = None,
    ) -> Screen:
        """A screen from text parts (None and empty parts are left out) and rows of choices."""
        return Screen(
            text="\n\n".join(p for p in parts if p),
            choices=tuple(tuple(row) for row in rows if row),
            attachments=tuple(attachments),
            mode=mode,
            expect=expect,
            html=html,
            menu=menu,
            toast=toast,
        )

    def replacing(self) -> Screen:
        return replace(self, mode=Mode.REPLACE)

    def with_toast(self, toast: str | None) -> Screen:
        return replace(self, toast=toast)

    def all_choices(self) -> list[Choice]:
        return [choice for row in self.choices for choice in row]


def column(choices: Iterable[Choice]) -> list[list[Choice]]:
    """One choice per row."""
    return [[c] for c in choices]
