"""The actions a user can reach from the menu or by command, in one registry.

Each feature module registers its actions here; the registry builds the role menu
(reply keyboard), the per-language command lists for setMyCommands, and lets a
conversation hand over to another action when the user taps a menu button or types a
command mid-flow.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import BotCommand, Update
from telegram.ext import filters

from core.config import SUPPORTED_LOCALES
from core.i18n import Lang, Msgid
from handlers.common import Context, Who
from storage.models import Role
from ui.actions import Action as PressAction
from ui.screen import Menu

Callback = Callable[[Update, Context], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Action:
    key: str
    label: Msgid
    description: Msgid
    commands: tuple[str, ...]  # the first is the Vietnamese command, the rest aliases
    callback: Callback
    roles: frozenset[Role] | None = None  # None: everyone, registered or not
    menu_row: int = 9  # where the button goes in the menu; -1: not in the menu


_ACTIONS: dict[str, Action] = {}


def add(action: Action) -> Action:
    _ACTIONS[action.key] = action
    return action


def actions() -> list[Action]:
    return list(_ACTIONS.values())


def visible_to(action: Action, who: Who) -> bool:
    if action.roles is None:
        return True
    return bool(action.roles & who.roles)


def menu_for(who: Who) -> Menu:
    rows: dict[int, list[str]] = {}
    for action in _ACTIONS.values():
        if action.menu_row >= 0 and visible_to(action, who):
            rows.setdefault(action.menu_row, []).append(who.lang.t(action.label))
    return Menu(tuple(tuple(rows[k]) for k in sorted(rows)))


def labels_in_all_languages() -> set[str]:
    return {Lang(loc).t(a.label) for a in _ACTIONS.values() for loc in SUPPORTED_LOCALES}


def menu_filter() -> filters.BaseFilter:
    return filters.Text(sorted(labels_in_all_languages()))


def action_for_text(text: str) -> Action | None:
    for action in _ACTIONS.values():
        if any(Lang(loc).t(action.label) == text for loc in SUPPORTED_LOCALES):
            return action
    return None


def command_name(text: str) -> str:
    """`/Huy@chibot extra` → `huy`."""
    words = text.lstrip("/").split("@", 1)[0].split(maxsplit=1)
    return words[0].lower() if words else ""


def action_for_command(command: str) -> Action | None:
    name = command_name(command) if command else ""
    for action in _ACTIONS.values():
        if name in action.commands:
            return action
    return None


def command_list(locale: str, roles: set[Role] | None = None) -> list[BotCommand]:
    lang = Lang(locale)
    out = []
    for action in _ACTIONS.values():
        if roles is not None and action.roles is not None and not (action.roles & roles):
            continue
        command = action.commands[0] if locale == "vi" else action.commands[-1]
        out.append(BotCommand(command, lang.t(action.description)[:256]))
    return out


async def hand_over(update: Update, context: Context) -> bool:
    """Run the action named by the message (menu label or command). False if none matched."""
    message = update.effective_message
    text = (message.text or "") if message else ""
    action = action_for_command(text) if text.startswith("/") else action_for_text(text)
    if action is None:
        return False
    await action.callback(update, context)
    return True


# Stateless inline buttons: (pattern, callback). A conversation that sees a press of one of
# these mid-flow ends itself and hands the press over, so buttons always do what they say.
_BUTTONS: list[tuple[re.Pattern[str], Callback]] = []


def button(pattern: str, callback: Callback) -> None:
    _BUTTONS.append((re.compile(pattern), callback))


def press(action: type[PressAction], callback: Callback) -> None:
    """Register a stateless button by its typed action."""
    button(action.pattern(), callback)


def buttons() -> list[tuple[re.Pattern[str], Callback]]:
    return list(_BUTTONS)


async def hand_over_button(update: Update, context: Context) -> bool:
    query = update.callback_query
    data = query.data if query and query.data else ""
    for pattern, callback in _BUTTONS:
        if pattern.match(data):
            await callback(update, context)
            return True
    return False


def labels_of(action: Action) -> set[str]:
    return {Lang(loc).t(action.label) for loc in SUPPORTED_LOCALES}
