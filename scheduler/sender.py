"""How the dispatcher reaches a person: one `Sender` per messaging channel (Telegram, Zalo),
chosen by the recipient's channel. A sender keeps its channel's limits (`wait_turn`) and turns
a prepared row into one delivery attempt whose `Outcome` the dispatcher records."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from services.accounts import chat_key
from services.reminders import Prepared
from storage.models import Channel, ChannelAccount, Person

TELEGRAM = "telegram"
ZALO = "zalo"


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


def recipient_of(
    person: Person,
    default_locale: str,
    accounts: Sequence[ChannelAccount] = (),
    channels: Collection[str] = (TELEGRAM,),
) -> Recipient | None:
    """Where a person is reached, or None when they cannot be (no chat, or they blocked us).

    `accounts` are the person's channel accounts, the one used last first: the bot reaches a
    person on the account they used last among the channels it serves (`channels`); a person
    without accounts (joined before accounts existed) is reached on Telegram."""
    locale = person.locale or default_locale
    for account in accounts:
        if account.channel == Channel.ZALO and ZALO in channels:
            return Recipient(ZALO, chat_key(account), locale)
        if account.channel == Channel.TELEGRAM and TELEGRAM in channels:
            break  # Telegram was used last: its chat is the person's telegram_id
    if person.telegram_id is not None and not person.blocked_bot and TELEGRAM in channels:
        return Recipient(TELEGRAM, person.telegram_id, locale)
    return None


def last_used_first(found: Iterable[ChannelAccount]) -> dict[int, list[ChannelAccount]]:
    """Accounts grouped by person, the one used last first (as services.accounts.of_person)."""
    by_person: dict[int, list[ChannelAccount]] = {}
    for account in found:
        if account.person_id is not None:
            by_person.setdefault(account.person_id, []).append(account)
    for listed in by_person.values():
        listed.sort(key=lambda a: (a.last_seen_at or a.created_at, a.id or 0), reverse=True)
    return by_person
