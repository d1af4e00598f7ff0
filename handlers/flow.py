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

from core.i18n import N_, Msgid
from handlers import router
from handlers.common import Context, lang_only
from handlers.step import draw, stale
from ui.common import Cancel
from ui.screen import Screen

UNKNOWN_COMMAND = N_("I don't know that command. Tap ❓ Help to see what I can do.")

# The user_data keys of every conversation that uses `fallbacks`.
_FLOW_KEYS: set[str] = set()


def drop(context: Context, key: str) -> None:
    if context.user_data is not None:
        context.user_data.pop(key, None)


def drop_all(context: Context) -> None:
    """Forget every open conversation's answers (/start begins afresh)."""
    for key in _FLOW_KEYS:
        drop(context, key)


async def _tell(update: Update, context: Context, msgid: Msgid) -> None:
    """Acknowledge the press, if any, and answer with one message."""
    lang = await lang_only(update, context)
    await draw(update, [Screen.of(lang.t(msgid))])


async def stopped(update: Update, context: Context) -> None:
    await _tell(update, context, N_("Stopped. Nothing was changed."))


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
            await _tell(update, context, UNKNOWN_COMMAND)
        return ConversationHandler.END

    async def other_button(update: Update, context: Context) -> int:
        drop_keys(context, keys)
        if not await router.hand_over_button(update, context):
            await stale_button(update, context)
        return ConversationHandler.END

    return [
        CommandHandler(["huy", "cancel"], cancel),
        CallbackQueryHandler(cancel, pattern=Cancel.pattern()),
        MessageHandler(filters.COMMAND | router.menu_filter(), switch),
        CallbackQueryHandler(other_button),
        MessageHandler(filters.ALL, wrong_input),
    ]


async def stale_button(update: Update, context: Context) -> None:
    """A press whose button belongs to a finished step, or data that is not ours."""
    await stale(update, context)


async def wrong_input(update: Update, context: Context) -> None:
    await _tell(update, context, N_("Please type your answer as a text message, or /huy to stop."))


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
