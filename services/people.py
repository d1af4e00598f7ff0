"""People: lookup by channel id, profile, language."""

from __future__ import annotations

from sqlmodel import select

from core.config import SUPPORTED_LOCALES
from core.i18n import N_
from services import accounts
from services.context import Ctx
from services.errors import InvalidInput
from services.validation import check_full_name, check_label
from storage.models import Channel, Person


async def by_chat_key(ctx: Ctx, key: int) -> Person | None:
    """The person behind a chat (Telegram id, or a Zalo account's chat key), if they joined."""
    account = await accounts.by_chat_key(ctx, key)
    if account is not None:
        if account.person_id is None:
            return None
        await accounts.seen(ctx, account)
        return await ctx.session.get(Person, account.person_id)
    if accounts.is_zalo_key(key):
        return None
    # A person written with only a Telegram id (rows from before accounts): give them one.
    result = await ctx.session.exec(select(Person).where(Person.telegram_id == key))
    person = result.first()
    if person is not None and person.id is not None:
        await accounts.attach(
            ctx, await accounts.ensure(ctx, Channel.TELEGRAM, str(key)), person.id
        )
    return person


async def ensure_person(ctx: Ctx, key: int, locale: str | None = None) -> Person:
    """The person behind a chat, created (and tied to the chat's account) if new."""
    person = await by_chat_key(ctx, key)
    if person is None:
        zalo = accounts.is_zalo_key(key)
        person = Person(
            telegram_id=None if zalo else key, locale=locale, created_at=ctx.clock.now()
        )
        ctx.session.add(person)
        await ctx.session.flush()
        account = await accounts.for_chat_key(ctx, key)
        if account is not None:
            await accounts.attach(ctx, account, person.id)  # type: ignore[arg-type]
    return person


async def set_locale(ctx: Ctx, person: Person, locale: str) -> Person:
    if locale not in SUPPORTED_LOCALES:
        raise InvalidInput(N_("That language is not available yet."))
    person.locale = locale
    ctx.session.add(person)
    await ctx.session.flush()
    return person


def check_position(value: str | None) -> str:
    return check_label(value, max_length=120, what=N_("position"))


async def update_profile(ctx: Ctx, person: Person, full_name: str, position: str) -> Person:
    person.full_name = check_full_name(full_name)
    person.position = check_position(position)
    ctx.session.add(person)
    await ctx.session.flush()
    return person
