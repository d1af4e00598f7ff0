"""Errors raised by the service layer. Each carries a catalog message id and its parameters,
so the channel (Telegram, later Zalo) renders it in the user's language."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    def __init__(self, msgid: str, /, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.msgid!r}, {self.params!r})"


class PermissionDenied(ServiceError):
    """The actor may not do this."""


class NotFound(ServiceError):
    """The thing asked for does not exist (or is not visible to the actor)."""


class InvalidInput(ServiceError):
    """The input breaks a rule; nothing was changed."""


class Conflict(ServiceError):
    """The change clashes with the current state; nothing was changed."""
