"""The presentation model: what the bot shows people, with no messenger in it.

A flow builds `Screen`s (text, rows of `Choice`s carrying typed `Action`s, attachments) and
declares what answer a step expects (`Expect`). One renderer per channel turns screens into
messages: channels/telegram draws inline keyboards and edits; channels/plain numbers the
choices for messengers without buttons. Nothing in ui/ imports `telegram`.
"""

from ui.actions import Action, ActionError
from ui.screen import (
    Choice,
    Expect,
    FileAttachment,
    ImageAttachment,
    Menu,
    Mode,
    QrAttachment,
    Screen,
    StoredFileAttachment,
)

__all__ = [
    "Action",
    "ActionError",
    "Choice",
    "Expect",
    "FileAttachment",
    "ImageAttachment",
    "Menu",
    "Mode",
    "QrAttachment",
    "Screen",
    "StoredFileAttachment",
]
