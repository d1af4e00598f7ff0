"""Last resort for input no feature took: a hint, never silence."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from handlers import router
from handlers.checkin import check_in_typed_code
from handlers.common import Context, who
from handlers.deps import deps
from handlers.flow import UNKNOWN_COMMAND, stale_button, stopped
from handlers.step import draw
from handlers.typed_codes import open_typed_code
from ui.common import Cancel
from ui.screen import Screen


async def menu_or_command(update: Update, context: Context) -> None:
    if await router.hand_over(update, context):
        return
    text = update.effective_message.text if update.effective_message else None
    if text and router.command_name(text) in ("huy", "cancel"):
        await stopped(update, context)  # nothing was open: nothing changed either
        return
    await unknown(update, context)


async def unknown(update: Update, context: Context) -> None:
    if await open_typed_code(update, context) or await check_in_typed_code(update, context):
        return
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
    text = update.effective_message.text if update.effective_message else None
    if text and text.startswith("/"):
        reply = me.lang.t(UNKNOWN_COMMAND)
    else:
        reply = me.lang.t("I didn't understand that. Please use the buttons below, or tap ❓ Help.")
    await draw(update, [Screen.of(reply, menu=router.menu_for(me))])


async def button(update: Update, context: Context) -> None:
    if not await router.hand_over_button(update, context):
        await stale_button(update, context)


async def cancel(update: Update, context: Context) -> None:
    await stopped(update, context)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CallbackQueryHandler(cancel, pattern=Cancel.pattern()),
        CallbackQueryHandler(button),
        MessageHandler(filters.COMMAND | router.menu_filter(), menu_or_command),
        MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, unknown),
    ]
