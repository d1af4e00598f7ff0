"""/ngonngu (/language): each person picks Vietnamese or English."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from core.config import SUPPORTED_LOCALES
from core.i18n import N_, Lang
from handlers import router
from handlers.common import LOCALE_KEY, Context, answer_button, say, who
from handlers.deps import deps
from handlers.flow import stale_button
from services import people

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


async def ask(update: Update, context: Context) -> None:
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
    buttons = [
        InlineKeyboardButton(
            ("✓ " if loc == me.lang.locale else "") + LANGUAGE_NAMES[loc],
            callback_data=f"lang:{loc}",
        )
        for loc in SUPPORTED_LOCALES
    ]
    await say(
        update,
        me.lang.t("Choose your language:"),
        markup=InlineKeyboardMarkup([buttons]),
    )


async def chosen(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    locale = query.data.split(":", 1)[1]
    if locale not in SUPPORTED_LOCALES:
        await stale_button(update, context)
        return
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        if me.person is not None:
            await people.set_locale(ctx, me.person, locale)
        if context.user_data is not None:
            context.user_data[LOCALE_KEY] = locale
        me = await who(ctx, update, context)
    await answer_button(update)
    lang = Lang(locale)
    await say(
        update,
        lang.t("Language set to English."),
        markup=router.menu_for(me),
    )


ACTION = router.add(
    router.Action(
        key="language",
        label=N_("🌐 Language"),
        description=N_("Change the language"),
        commands=("ngonngu", "language"),
        callback=ask,
        menu_row=8,
    )
)


router.button(r"^lang:[a-z]{2}$", chosen)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return []
