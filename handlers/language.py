"""/ngonngu (/language): each person picks Vietnamese or English."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import BaseHandler

from core.config import SUPPORTED_LOCALES
from core.i18n import N_, Lang
from handlers import router
from handlers.common import LOCALE_KEY, who
from handlers.step import Turn, step
from services import people
from ui.actions import Action
from ui.screen import Choice, Expect, Screen

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


@dataclass(frozen=True, slots=True)
class LanguagePicked(Action, prefix="lang"):
    locale: str


@step
async def ask(turn: Turn) -> None:
    choices = [
        Choice(("✓ " if loc == turn.lang.locale else "") + LANGUAGE_NAMES[loc], LanguagePicked(loc))
        for loc in SUPPORTED_LOCALES
    ]
    turn.show(Screen.of(turn.lang.t("Choose your language:"), rows=[choices], expect=Expect.CHOICE))


@step(action=LanguagePicked)
async def chosen(turn: Turn, pressed: LanguagePicked) -> None:
    if pressed.locale not in SUPPORTED_LOCALES:
        turn.say(
            turn.lang.t("That button belongs to a finished step. Please start again from the menu.")
        )
        return
    if turn.me.person is not None:
        await people.set_locale(turn.ctx, turn.me.person, pressed.locale)
    if turn.context.user_data is not None:
        turn.context.user_data[LOCALE_KEY] = pressed.locale
    me = await who(turn.ctx, turn.update, turn.context)
    lang = Lang(pressed.locale)
    turn.show(Screen.of(lang.t("Language set to English."), menu=router.menu_for(me)))


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
router.press(LanguagePicked, chosen)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return []
