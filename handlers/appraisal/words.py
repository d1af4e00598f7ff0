"""How a session reads in the appraisal messages: {kind}, {host} and {when} in a sentence."""

from __future__ import annotations

from typing import Any

from core.i18n import Lang
from handlers.session_header import when_text
from services.labels import SESSION_KIND_LABELS
from storage.models import ModelSession, SessionKind


def session_words(lang: Lang, session: ModelSession, host: str, tz: Any) -> dict[str, str]:
    return {
        "kind": lang.t(SESSION_KIND_LABELS[SessionKind(session.kind)]),
        "host": host,
        "when": when_text(lang, session, tz),
    }
