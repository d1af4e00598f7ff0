"""Channel accounts: how each person reaches the bot, on Telegram, on Zalo or on both.

A messenger tells the bot only its own id of the sender (an int on Telegram, a string on
Zalo). An account is created the first time an id writes (before its owner has joined); it is
tied to a person when they join or link a second messenger. Flows see one number per account,
`chat_key` (a Telegram chat id as it is; a Zalo account's id above ZALO_KEY_BASE), so the same
conversation machinery serves both channels.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from services.context import Ctx
from storage.models import Channel, ChannelAccount

ZALO_KEY_BASE = 9_000_000_000_000_000  # above every Telegram id (52 bits), below 2**63


async def find(ctx: Ctx, channel: Channel, external_id: str) -> ChannelAccount | None:
    found = await ctx.session.exec(
        select(ChannelAccount).where(
            ChannelAccount.channel == channel, ChannelAccount.external_id == external_id
        )
    )
    return found.first()


async def ensure(
    ctx: Ctx, channel: Channel, external_id: str, display_name: str | None = None
) -> ChannelAccount:
    """The account of `external_id` on `channel`, created (without a person) if new."""
    account = await find(ctx, channel, external_id)
    if account is None:
        account = ChannelAccount(
            channel=channel,
            external_id=external_id,
            display_name=(display_name or "")[:200] or None,
            created_at=ctx.clock.now(),
        )
        ctx.session.add(account)
        await ctx.session.flush()
    return account


async def of_person(ctx: Ctx, person_id: int) -> list[ChannelAccount]:
    """A person's accounts, the one used last first."""
    found = await ctx.session.exec(
        select(ChannelAccount).where(ChannelAccount.person_id == person_id)
    )
    return sorted(
        found.all(),
        key=lambda a: (a.last_seen_at or a.created_at, a.id or 0),
        reverse=True,
    )


def chat_key(account: ChannelAccount) -> int:
    """The number flows know this account's chat by."""
    if account.channel == Channel.TELEGRAM:
        return int(account.external_id)
    assert account.id is not None
    return ZALO_KEY_BASE + account.id


def is_zalo_key(key: int) -> bool:
    return key >= ZALO_KEY_BASE


async def by_chat_key(ctx: Ctx, key: int) -> ChannelAccount | None:
    if is_zalo_key(key):
        return await ctx.session.get(ChannelAccount, key - ZALO_KEY_BASE)
    return await find(ctx, Channel.TELEGRAM, str(key))


async def for_chat_key(ctx: Ctx, key: int) -> ChannelAccount | None:
    """The account a chat key stands for; a Telegram one is created on first sight (Zalo
    accounts are created when their first message arrives, see channels/zalo)."""
    if is_zalo_key(key):
        return await by_chat_key(ctx, key)
    return await ensure(ctx, Channel.TELEGRAM, str(key))


async def attach(ctx: Ctx, account: ChannelAccount, person_id: int) -> ChannelAccount:
    """Tie `account` to a person (joining, or linking a second messenger)."""
    account.person_id = person_id
    account.last_seen_at = ctx.clock.now()
    ctx.session.add(account)
    await ctx.session.flush()
    return account


SEEN_EVERY = timedelta(minutes=10)


async def seen(ctx: Ctx, account: ChannelAccount) -> None:
    """Note that the person used this account now (at most one write per ten minutes): the
    bot's own messages go to the account used last."""
    now = ctx.clock.now()
    if account.last_seen_at is None or now - account.last_seen_at >= SEEN_EVERY:
        account.last_seen_at = now
        ctx.session.add(account)


async def reach(ctx: Ctx, person_id: int) -> ChannelAccount | None:
    """Where to send a person what the bot sends on its own: the account they used last."""
    found = await of_person(ctx, person_id)
    return found[0] if found else None
