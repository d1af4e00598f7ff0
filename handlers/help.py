"""/trogiup (/help) and /toi (/me): what I can do here, and who I am."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import BaseHandler

from core.i18n import N_
from handlers import router
from handlers.labels import role_label
from handlers.step import Turn, step
from services import account_links, roles, short_codes
from services.units import get_unit
from storage.models import Role
from ui.actions import Action
from ui.screen import Choice


@step
async def show_help(turn: Turn) -> None:
    me, lang = turn.me, turn.lang
    lines = [lang.t("What you can do here:")]
    for action in router.actions():
        if router.visible_to(action, me):
            command = action.commands[0] if lang.locale == "vi" else action.commands[-1]
            lines.append(f"• {lang.t(action.label)} — /{command}: {lang.t(action.description)}")
    if not me.registered:
        lines.append("")
        lines.append(lang.t("To join your unit, open the invite link your organisers sent you."))
    turn.say("\n".join(lines), menu=router.menu_for(me))


@step
async def show_profile(turn: Turn) -> None:
    me, lang = turn.me, turn.lang
    if me.person is None or not me.roles:
        turn.say(
            lang.t("You are not registered yet. Please open the invite link from your organisers.")
        )
        return
    lines = [
        lang.t("Full name: {name}", name=me.person.full_name or "—"),
        lang.t("Position: {position}", position=me.person.position or "—"),
        lang.t("Your units and roles:"),
    ]
    for membership in await roles.memberships(turn.ctx, me.person):
        unit = await get_unit(turn.ctx, membership.unit_id)
        lines.append(f"• {unit.name}: {role_label(lang, membership.role, unit.kind)}")
    # The link choice rides on the profile (the menu was set when the person joined).
    turn.say(
        "\n".join(lines), rows=[[Choice(lang.t("🔗 Link another messenger"), LinkMessenger())]]
    )


@dataclass(frozen=True, slots=True)
class LinkMessenger(Action, prefix="me:link"):
    """Ask for a code to link a second messenger to one's account."""


@step(action=LinkMessenger)
async def link_messenger(turn: Turn, pressed: LinkMessenger) -> None:
    lang = turn.lang
    if turn.me.person is None or not turn.me.roles:
        turn.say(
            lang.t("You are not registered yet. Please open the invite link from your organisers.")
        )
        return
    code = await account_links.new_code(turn.ctx, turn.me.person)
    turn.say(
        lang.t(
            "Your linking code: {code}\n\nOpen the assistant on the other messenger (Zalo or "
            "Telegram) and send it this code within 30 minutes. Both will then be you: the "
            "assistant writes to the one you used last.",
            code=short_codes.shown(code.code),
        )
    )


HELP = router.add(
    router.Action(
        key="help",
        label=N_("❓ Help"),
        description=N_("What this bot can do for you"),
        commands=("trogiup", "help"),
        callback=show_help,
        menu_row=9,
    )
)
PROFILE = router.add(
    router.Action(
        key="profile",
        label=N_("👤 My profile"),
        description=N_("Your name, position, units and roles"),
        commands=("toi", "me"),
        callback=show_profile,
        roles=frozenset(Role),
        menu_row=8,
    )
)


router.press(LinkMessenger, link_messenger)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return []
