"""Small helpers every handler uses: who is talking, in which language, and a service error
in their words. (Answers are screens drawn by handlers/step.py.)"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Update
from telegram.ext import ContextTypes

from channels import route
from core.i18n import Lang, normalise_locale
from handlers.deps import deps
from services import people, roles
from services.context import Ctx
from services.errors import ServiceError
from services.notifications import render
from storage.models import Person, Role

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
LOCALE_KEY = "locale"


@dataclass(slots=True)
class Who:
    person: Person | None
    roles: set[Role]
    lang: Lang

    @property
    def registered(self) -> bool:
        return self.person is not None and bool(self.roles)


def locale_for(person: Person | None, update: Update, context: Context) -> str:
    if person is not None and person.locale:
        return person.locale
    chosen = context.user_data.get(LOCALE_KEY) if context.user_data is not None else None
    if chosen:
        return str(chosen)
    user = update.effective_user
    default = deps(context).settings.default_locale
    if user and user.language_code and user.language_code.lower().startswith("en"):
        return "en"
    return normalise_locale(None, default)


async def who(ctx: Ctx, update: Update, context: Context) -> Who:
    user = update.effective_user
    person = await people.by_chat_key(ctx, user.id) if user else None
    lang = Lang(locale_for(person, update, context))
    route.use_locale(lang.locale)  # the renderer's own words follow the person's language
    return Who(person, await roles.roles_of(ctx, person), lang)


async def lang_only(update: Update, context: Context) -> Lang:
    async with deps(context).ctx() as ctx:
        return (await who(ctx, update, context)).lang


def error_text(lang: Lang, exc: ServiceError) -> str:
    return render(lang, exc.msgid, exc.params)
