"""The buttons of content appraisal. `ap:submit`, `ap:ok`, `ap:ret` and `ap:view` are also on
the notices services.appraisal queues, so their wire format stays."""

from __future__ import annotations

from dataclasses import dataclass

from ui.actions import Action


@dataclass(frozen=True, slots=True)
class SubmitContent(Action, prefix="ap:submit"):
    """📎 Submit content: starts the submission of a session's content."""

    session_id: int


@dataclass(frozen=True, slots=True)
class SendForReview(Action, prefix="ap:send"):
    """📨 Send for review: what was typed and sent so far goes to the reviewers."""


@dataclass(frozen=True, slots=True)
class ViewContent(Action, prefix="ap:view"):
    session_id: int


@dataclass(frozen=True, slots=True)
class OpenFiles(Action, prefix="ap:files"):
    session_id: int


@dataclass(frozen=True, slots=True)
class Approve(Action, prefix="ap:ok"):
    session_id: int


@dataclass(frozen=True, slots=True)
class ReturnContent(Action, prefix="ap:ret"):
    """↩️ Return: asks for the comment."""

    session_id: int
