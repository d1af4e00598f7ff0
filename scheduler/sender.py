"""How the dispatcher reaches a person: one `Sender` per messaging channel (Telegram today),
chosen by the recipient's channel. A sender keeps its channel's limits (`wait_turn`) and turns
a prepared row into one delivery attempt whose `Outcome` the dispatcher records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from services.reminders import Prepared
from storage.models import Person

TELEGRAM = "telegram"


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: str  # sent | retry | blocked | failed | uncertain
    error: str = ""
    wait: timedelta = timedelta(0)
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class Recipient:
    channel: str  # which Sender delivers, e.g. TELEGRAM
    address: int | str  # the chat on that channel
    locale: str  # the language the person reads


class Sender(Protocol):
    """One messaging channel as the dispatcher sees it."""

    channel: str

    async def wait_turn(self, address: int | str) -> None:
        """Return when the channel's limits (overall rate, per chat, per group, a flood-wait
        the server asked for) allow one more message to `address`; reserves that turn."""

    async def send(self, recipient: Recipient, prepared: Prepared, attempts: int) -> Outcome:
        """One delivery attempt (`attempts` counts this one). Never raises for what the
        channel answered: refusals, network failures and flood limits are outcomes."""


def recipient_of(person: Person, default_locale: str) -> Recipient | None:
    """Where a person is reached, or None when they cannot be (no chat, or they blocked us)."""
    locale = person.locale or default_locale
    if person.telegram_id is not None and not person.blocked_bot:
        return Recipient(TELEGRAM, person.telegram_id, locale)
    return None
