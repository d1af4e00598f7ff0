"""/trogiup (/help) and /toi (/me): what I can do here, and who I am."""

from __future__ import annotations

from telegram.ext import BaseHandler

from core.i18n import N_
from handlers import router
from handlers.labels import role_label
from handlers.step import Turn, step
from services import roles
from services.units import get_unit
from storage.models import Role


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
        lines.append(f"• {unit.name}: {role_label(lang, membership.role)}")
    turn.say("\n".join(lines), menu=router.menu_for(me))


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


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return []
