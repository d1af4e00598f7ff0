"""/moi (/invite): organisers create and withdraw invite links for a unit and role.

Every step is a stateless button; the services re-check the organiser's rights each time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram.ext import BaseHandler

from core.i18n import N_, Lang
from handlers import router
from handlers.labels import role_label, role_short
from handlers.pickers import tree_items
from handlers.step import Turn, step
from handlers.unit_actions import FindUnit, PickerKind
from services import invites, roles, short_codes, units
from services.vn_datetime import format_datetime_long
from storage.models import InviteLink, Role
from ui.actions import Action
from ui.common import cancel_choice, offers_search, paged
from ui.screen import Choice, Expect, Screen

USES_CHOICES = (1, 5, 20, 100)


@dataclass(frozen=True, slots=True)
class UnitPage(Action, prefix="iu:page"):
    page: int


@dataclass(frozen=True, slots=True)
class UnitPicked(Action, prefix="iu"):
    unit_id: int


@dataclass(frozen=True, slots=True)
class RolePicked(Action, prefix="ir"):
    unit_id: int
    role: Role


@dataclass(frozen=True, slots=True)
class UsesPicked(Action, prefix="in"):
    unit_id: int
    role: Role
    uses: int


@dataclass(frozen=True, slots=True)
class Withdraw(Action, prefix="ix"):
    link_id: int


async def _unit_picker(turn: Turn, page: int, *, flip: bool) -> None:
    rows = await units.managed_tree(turn.ctx, turn.me.person) if turn.me.person else []
    if not rows:
        turn.say(
            turn.lang.t(
                "Only organisers (Ban Tổ chức, Văn phòng) can invite people. "
                "If you need this, ask your committee's organisers."
            )
        )
        return
    items = [(label, UnitPicked(int(value))) for label, value in tree_items(rows)]
    choices = paged(turn.lang, items, page, UnitPage)
    if offers_search(len(items)):  # typing part of a name (handlers.units asks and filters)
        find = FindUnit(PickerKind.INVITE, 0)
        choices.insert(len(choices) - 1, [Choice(turn.lang.t("🔎 Type part of the name"), find)])
    screen = Screen.of(
        turn.lang.t("Invite people to which unit?"),
        rows=choices,
        expect=Expect.CHOICE,
    )
    turn.show(screen.replacing() if flip else screen)


@step
async def begin(turn: Turn) -> None:
    """The unit picker (`/moi`, the menu button)."""
    await _unit_picker(turn, 0, flip=False)


@step(action=UnitPage)
async def flip_units(turn: Turn, pressed: UnitPage) -> None:
    await _unit_picker(turn, pressed.page, flip=True)


def _link_line(turn: Turn, link: InviteLink, unit_kind: str) -> str:
    lang = turn.lang
    line = lang.t(
        "{role}: {url}\n  used {uses}/{max_uses}, valid until {until}",
        role=role_short(lang, link.role, unit_kind),
        url=turn.start_link(link.token),
        uses=link.uses,
        max_uses=link.max_uses,
        until=format_datetime_long(link.expires_at, lang.locale, turn.settings.tz),
    )
    return line + ("\n  " + code_line(lang, link.code) if link.code else "")


def code_line(lang: Lang, code: str) -> str:
    return lang.t(
        "Invite code (to type on Zalo, or if the link does not open): {code}",
        code=short_codes.shown(code),
    )


async def unit_screen(turn: Turn, unit_id: int) -> Screen:
    lang = turn.lang
    unit = await units.get_unit(turn.ctx, unit_id)
    links = await invites.active_invites(turn.ctx, turn.me.person, unit_id)  # type: ignore[arg-type]
    lines = [lang.t("Unit: {unit}", unit=unit.name)]
    if links:
        lines.append(lang.t("Active invite links:"))
        lines += [_link_line(turn, ln, unit.kind) for ln in links]
    else:
        lines.append(lang.t("This unit has no active invite link."))
    lines += ["", lang.t("Choose the role of the people you want to invite:")]
    rows = [[Choice(role_label(lang, r, unit.kind), RolePicked(unit_id, r))] for r in Role]
    rows += [
        [Choice(lang.t("🚫 Withdraw link {n}", n=i + 1), Withdraw(ln.id))]  # type: ignore[arg-type]
        for i, ln in enumerate(links)
    ]
    rows.append([cancel_choice(lang)])
    return Screen.of("\n".join(lines), rows=rows, expect=Expect.CHOICE)


@step(action=UnitPicked)
async def show_unit(turn: Turn, pressed: UnitPicked) -> None:
    turn.show(await unit_screen(turn, pressed.unit_id))


@step(action=RolePicked)
async def role_picked(turn: Turn, pressed: RolePicked) -> None:
    unit = await units.get_unit(turn.ctx, pressed.unit_id)
    await roles.require_organiser(turn.ctx, turn.me.person, unit.id)  # type: ignore[arg-type]
    choices = [Choice(str(n), UsesPicked(pressed.unit_id, pressed.role, n)) for n in USES_CHOICES]
    turn.show(
        Screen.of(
            turn.lang.t("How many people may use this link?"),
            rows=[choices, [cancel_choice(turn.lang)]],
            expect=Expect.CHOICE,
        )
    )


@step(action=UsesPicked)
async def uses_picked(turn: Turn, pressed: UsesPicked) -> None:
    # (The service trusts a missing actor: that is the shell. Here it is a stranger.)
    await units.get_unit(turn.ctx, pressed.unit_id)
    await roles.require_organiser(turn.ctx, turn.me.person, pressed.unit_id)  # type: ignore[arg-type]
    link = await invites.create_invite(
        turn.ctx,
        turn.me.person,
        pressed.unit_id,
        pressed.role,
        max_uses=pressed.uses,
        ttl=timedelta(days=turn.settings.invite_ttl_days),
    )
    unit = await units.get_unit(turn.ctx, link.unit_id)
    turn.say(invite_text(turn, link, unit.name, unit.kind))


def invite_text(turn: Turn, link: InviteLink, unit_name: str, unit_kind: str) -> str:
    lang: Lang = turn.lang
    return lang.nt(
        "Invite link for “{unit}” ({role}), for {n} person, valid until {until}:\n{url}\n{code}\n\n"
        "Send it to the person you invite. Whoever opens it joins after giving their name.",
        "Invite link for “{unit}” ({role}), for {n} people, valid until {until}:\n{url}\n{code}\n\n"
        "Send it to the people you invite. Whoever opens it joins after giving their name.",
        link.max_uses,
        unit=unit_name,
        role=role_short(lang, link.role, unit_kind),
        until=format_datetime_long(link.expires_at, lang.locale, turn.settings.tz),
        url=turn.start_link(link.token),
        code=code_line(lang, link.code) if link.code else "",
    )


@step(action=Withdraw)
async def revoke_picked(turn: Turn, pressed: Withdraw) -> None:
    link = await invites.revoke_invite(turn.ctx, turn.me.person, pressed.link_id)  # type: ignore[arg-type]
    turn.say(turn.lang.t("The link was withdrawn. Nobody can join with it any more."))
    turn.show(await unit_screen(turn, link.unit_id))


ACTION = router.add(
    router.Action(
        key="invite",
        label=N_("🔗 Invite people"),
        description=N_("Create invite links for your units"),
        commands=("moi", "invite"),
        callback=begin,
        roles=frozenset({Role.ORGANISER}),
        menu_row=1,
    )
)
router.press(UnitPage, flip_units)
router.press(UnitPicked, show_unit)
router.press(RolePicked, role_picked)
router.press(UsesPicked, uses_picked)
router.press(Withdraw, revoke_picked)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return []
