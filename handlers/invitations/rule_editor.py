"""The rule of a participant group, chosen with buttons: its roles (☐/☑, toggled in place), then
where those people are. For an existing group the rule is set (or changed, starting from the
roles it has) at once, or removed; for a new one the label is asked next
(handlers.invitations.new_group)."""

from __future__ import annotations

from core.i18n import Lang
from handlers import router
from handlers.invitations.actions import (
    NewByRole,
    OpenRoles,
    OpenScopes,
    RuleScope,
    ToggleRole,
)
from handlers.invitations.groups import check_editing, groups_screen
from handlers.invitations.rules import (
    ALL_ROLES,
    ROLES,
    RemoveRule,
    roles_of,
    roles_text,
    rule_args,
    scope_labels,
)
from handlers.labels import role_short
from handlers.step import Turn, step
from services import participants, plans, sessions
from ui.actions import Action
from ui.common import cancel_choice, short_label
from ui.screen import Choice, Expect, Mode, Screen


def _roles_prompt(lang: Lang, label: str) -> str:
    head = (
        lang.t("The rule of “{label}”.", label=label)
        if label
        else lang.t("A new participant group by role.")
    )
    return (
        head
        + "\n"
        + lang.t(
            "Choose the roles of the people to invite (tap again to unselect). With no role "
            "chosen, every party member of the units is invited."
        )
    )


def _roles_screen(lang: Lang, session_id: int, category_id: int, mask: int, label: str) -> Screen:
    rows = [
        [
            Choice(
                f"{'☑' if mask >> i & 1 else '☐'} {role_short(lang, role)}",
                ToggleRole(session_id, category_id, mask ^ (1 << i)),
            )
        ]
        for i, role in enumerate(ROLES)
    ]
    rows.append(
        [
            Choice(lang.t("Next ▶"), OpenScopes(session_id, category_id, mask)),
            cancel_choice(lang),
        ]
    )
    return Screen.of(_roles_prompt(lang, label), rows=rows, expect=Expect.CHOICE)


async def _show_roles(turn: Turn, pressed: OpenRoles | ToggleRole) -> None:
    """`pc:r:<sid>:<cid>:<mask>`: the roles, as a new message; `pc:rt:…`: one role
    (un)chosen, in place."""
    mask = pressed.mask & ALL_ROLES
    checked = await check_editing(turn, pressed.session_id, pressed.category_id)
    lang, sid, cid = turn.lang, pressed.session_id, pressed.category_id
    screen = _roles_screen(lang, sid, cid, mask, checked.label)
    turn.show(screen.replacing() if isinstance(pressed, ToggleRole) else screen)


open_roles = step(action=OpenRoles)(_show_roles)
toggle_role = step(action=ToggleRole)(_show_roles)


@step(action=OpenScopes)
async def open_scopes(turn: Turn, pressed: OpenScopes) -> None:
    """`pc:u:<sid>:<cid>:<mask>`: where those people are."""
    lang, sid, cid = turn.lang, pressed.session_id, pressed.category_id
    mask = pressed.mask & ALL_ROLES
    checked = await check_editing(turn, sid, cid)
    labels = scope_labels(lang, checked.issuer, checked.host)
    rows: list[list[Choice]] = []
    for scope, label in labels.items():
        chosen: Action = (
            NewByRole(sid, mask, scope) if not cid else RuleScope(sid, cid, mask, scope)
        )
        rows.append([Choice(short_label(label), chosen)])
    rows.append([Choice(lang.t("◀ Back"), ToggleRole(sid, cid, mask)), cancel_choice(lang)])
    text = (
        lang.t("Roles: {roles}.", roles=roles_text(lang, mask)) + "\n" + lang.t("In which units?")
    )
    turn.show(Screen.of(text, rows=rows, mode=Mode.REPLACE, expect=Expect.CHOICE))


@step(action=RuleScope)
async def rule_chosen(turn: Turn, pressed: RuleScope) -> None:
    """`pc:w:<sid>:<cid>:<mask>:<scope>`: the rule of an existing group is set."""
    session = await sessions.get_session(turn.ctx, pressed.session_id)
    plan = await plans.get_plan(turn.ctx, session.plan_id)
    category = await participants.set_rule(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        pressed.category_id,
        roles=roles_of(pressed.mask & ALL_ROLES),
        **rule_args(pressed.scope, plan),
    )
    done = turn.lang.t("The rule of “{label}” is set.", label=category.label)
    turn.show(Screen.of(done, mode=Mode.REPLACE), await groups_screen(turn, pressed.session_id))


@step(action=RemoveRule)
async def rule_removed(turn: Turn, pressed: RemoveRule) -> None:
    """`pc:x:<sid>:<cid>`: the group's rule is removed (its label and named people stay)."""
    await check_editing(turn, pressed.session_id, pressed.category_id)
    category = await participants.set_rule(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        pressed.category_id,
    )
    done = turn.lang.t("The rule of “{label}” is removed.", label=category.label)
    turn.show(Screen.of(done, mode=Mode.REPLACE), await groups_screen(turn, pressed.session_id))


router.press(RemoveRule, rule_removed)
router.press(OpenRoles, open_roles)
router.press(ToggleRole, toggle_role)
router.press(OpenScopes, open_scopes)
router.press(RuleScope, rule_chosen)
