"""python-telegram-bot handlers: thin — parse, call a service, render."""

from __future__ import annotations

import warnings

from telegram.ext import Application
from telegram.warnings import PTBUserWarning

from handlers import (
    appraisal,
    checkin,
    documents,
    fallback,
    feedback,
    help,
    invitations,
    invites,
    language,
    onboarding,
    outbox_report,
    plan_import,
    plans,
    requirements,
    roll,
    schedule,
    sessions_report,
    summaries,
    units,
)
from handlers.errors import on_error


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Add every handler in priority order (all in group 0: the first match wins).

    Feature modules register their menu actions and buttons on import; conversations come
    first so that an answer to a question goes to the question, then stateless buttons and
    menu actions, then the catch-alls."""
    # Our conversations mix text steps and buttons on purpose, tracked per user and chat.
    warnings.filterwarnings("ignore", message=".*per_message=False.*", category=PTBUserWarning)
    for module in (
        onboarding,
        units,
        invites,
        plan_import,
        outbox_report,
        sessions_report,
        schedule,
        plans,
        requirements,
        appraisal,
        invitations,
        checkin,
        roll,
        feedback,
        summaries,
        language,
        help,
        documents,  # last: a file sent while a conversation waits for an answer goes to it
    ):
        for handler in module.handlers():
            app.add_handler(handler)
    for handler in fallback.handlers():
        app.add_handler(handler)
    app.add_error_handler(on_error)
