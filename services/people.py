"""People: lookup by channel id, profile, language."""

from __future__ import annotations

from sqlmodel import select

from core.config import SUPPORTED_LOCALES
from core.i18n import N_
from services.context import Ctx
from services.errors import InvalidInput
from services.validation import check_full_name, check_label
from storage.models import Person


async def by_telegram_id(ctx: Ctx, telegram_id: int) -> Person | None:
    result = await ctx.session.exec(select(Person).where(Person.telegram_id == telegram_id))
    return result.first()


async def ensure_person(ctx: Ctx, telegram_id: int, locale: str | None = None) -> Person:
    person = await by_telegram_id(ctx, telegram_id)
    if person is None:
        person = Person(telegram_id=telegram_id, locale=locale, created_at=ctx.clock.now())
        ctx.session.add(person)
        await ctx.session.flush()
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
