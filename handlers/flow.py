"""Shared pieces of every multi-step conversation: cancel, hand-over, stale buttons, wrong input."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import router
from handlers.common import Context, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.pickers import CANCEL
from services.errors import ServiceError

# The user_data keys of every conversation that uses `fallbacks`.
_FLOW_KEYS: set[str] = set()


def drop(context: Context, key: str) -> None:
    if context.user_data is not None:
        context.user_data.pop(key, None)


def drop_all(context: Context) -> None:
    """Forget every open conversation's answers (/start begins afresh)."""
    for key in _FLOW_KEYS:
        drop(context, key)


async def give_up(update: Update, context: Context, key: str, exc: ServiceError) -> int:
    """A step failed in a way typing again cannot mend: forget the answers, say why, end."""
    drop(context, key)
    await say(update, error_text(await lang_only(update, context), exc))
    return ConversationHandler.END


async def flow_gone(update: Update, context: Context) -> int:
    """A step whose answers were dropped (by /start) is over: treat the text as if no
    conversation were open."""
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
    await say(
        update,
        me.lang.t("I didn't understand that. Please use the buttons below, or tap ❓ Help."),
        markup=router.menu_for(me),
    )
    return ConversationHandler.END


async def stopped(update: Update, context: Context) -> None:
    await answer_button(update)
    lang = await lang_only(update, context)
    await say(update, lang.t("Stopped. Nothing was changed."))


def typed_text() -> filters.BaseFilter:
    """A typed answer: text that is neither a command nor a menu button."""
    return filters.TEXT & ~filters.COMMAND & ~router.menu_filter()


def _key(state: str | type) -> str:
    return state if isinstance(state, str) else state.__name__


def drop_keys(context: Context, keys: tuple[str, ...]) -> None:
    for key in keys:
        drop(context, key)


def fallbacks(*states: str | type) -> list[BaseHandler]:  # type: ignore[type-arg]
    """What every conversation does with input that is not an answer to its question:
    /huy or ✖ stops it; a command, a menu button or another button ends it and does what was
    asked; anything else gets a hint and the conversation stays where it was. `states` are the
    user_data keys (or state dataclasses) of the flow, dropped when it ends."""
    keys = tuple(_key(s) for s in states)
    _FLOW_KEYS.update(keys)

    async def cancel(update: Update, context: Context) -> int:
        drop_keys(context, keys)
        await stopped(update, context)
        return ConversationHandler.END

    async def switch(update: Update, context: Context) -> int:
        drop_keys(context, keys)
        if not await router.hand_over(update, context):
            lang = await lang_only(update, context)
            await say(
                update, lang.t("I don't know that command. Tap ❓ Help to see what I can do.")
            )
        return ConversationHandler.END

    async def other_button(update: Update, context: Context) -> int:
        drop_keys(context, keys)
        if not await router.hand_over_button(update, context):
            await stale_button(update, context)
        return ConversationHandler.END

    return [
        CommandHandler(["huy", "cancel"], cancel),
        CallbackQueryHandler(cancel, pattern=f"^{CANCEL}$"),
        MessageHandler(filters.COMMAND | router.menu_filter(), switch),
        CallbackQueryHandler(other_button),
        MessageHandler(filters.ALL, wrong_input),
    ]


async def stale_button(update: Update, context: Context) -> None:
    lang = await lang_only(update, context)
    await answer_button(update, lang.t("This button is no longer active."))
    await say(
        update, lang.t("That button belongs to a finished step. Please start again from the menu.")
    )


async def wrong_input(update: Update, context: Context) -> None:
    lang = await lang_only(update, context)
    await say(update, lang.t("Please type your answer as a text message, or /huy to stop."))


def enter(
    conversation: Callable[[], ConversationHandler | None],  # type: ignore[type-arg]
    otherwise: router.Callback = stale_button,
) -> router.Callback:
    """A router callback that starts `conversation` from one of its entry points.

    Another open conversation sees a press or a command first and hands it over through the
    router; this lets the conversation take it properly (so the typed answer that follows
    reaches it). `otherwise` runs when the conversation does not want the update."""

    async def callback(update: Update, context: Context) -> None:
        conv = conversation()
        found = conv.check_update(update) if conv is not None else None
        if conv is None or not found:
            await otherwise(update, context)
            return
        await conv.handle_update(update, context.application, found, context)

    return callback
