"""Linking a second messenger: a person asks for a code on one (/toi), types it on the other,
and both accounts reach the same person (roles, answers and history are the person's)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select, update

from core.i18n import N_
from services import accounts, short_codes
from services.context import Ctx
from services.errors import Conflict, NotFound
from storage.models import AccountLinkCode, Person

VALID_FOR = timedelta(minutes=30)


async def new_code(ctx: Ctx, person: Person) -> AccountLinkCode:
    """A fresh code for `person`; codes asked for earlier stop working."""
    now = ctx.clock.now()
    await ctx.session.exec(  # type: ignore[call-overload]
        update(AccountLinkCode)
        .where(col(AccountLinkCode.person_id) == person.id, col(AccountLinkCode.used_at).is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    code = AccountLinkCode(
        code=short_codes.new_code(),
        person_id=person.id,  # type: ignore[arg-type]
        created_at=now,
        expires_at=now + VALID_FOR,
    )
    ctx.session.add(code)
    await ctx.session.flush()
    return code


async def find(ctx: Ctx, typed: str) -> AccountLinkCode | None:
    code = short_codes.normalise(typed)
    if code is None:
        return None
    found = await ctx.session.exec(select(AccountLinkCode).where(AccountLinkCode.code == code))
    return found.first()


async def redeem(ctx: Ctx, link: AccountLinkCode, chat_key: int) -> Person:
    """Tie the chat's account to the code's person."""
    if link.used_at is not None or link.expires_at <= ctx.clock.now():
        raise Conflict(
            N_("This linking code is no longer valid. Please ask for a new one in 👤 My profile.")
        )
    account = await accounts.for_chat_key(ctx, chat_key)
    person = await ctx.session.get(Person, link.person_id)
    if account is None or person is None:
        raise NotFound(
            N_("This linking code is no longer valid. Please ask for a new one in 👤 My profile.")
        )
    if account.person_id is not None and account.person_id != person.id:
        raise Conflict(
            N_(
                "This account already belongs to someone else on the assistant, so it cannot "
                "be linked. Please ask your organisers."
            )
        )
    link.used_at = ctx.clock.now()
    ctx.session.add(link)
    await accounts.attach(ctx, account, person.id)  # type: ignore[arg-type]
    return person
