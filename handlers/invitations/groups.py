"""👥 The participant groups of a session (`pc:<id>`): who each group brings, by its rule or by
name, who is not on the assistant yet, and the buttons that complete the groups."""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import N_, Lang
from handlers import invites as invite_links
from handlers import router
from handlers.invitations.actions import NewNamed, OpenPeople, OpenRoles
from handlers.invitations.rules import RemoveRule, has_rule, mask_of, rule_text
from handlers.labels import role_short
from handlers.session_header import (
    PreviewInvitations,
    ShowGroups,
    load_session,
    number,
    session_title,
)
from handlers.step import Turn, step
from services import participants, plans
from services.context import Ctx
from services.errors import NotFound
from services.participants import Missing, Resolved
from services.units import get_unit
from storage.models import ModelSession, ParticipantCategory, Plan, Unit
from ui.common import short_label
from ui.screen import Choice, Screen

MAX_LINES = 8  # names or gaps shown per group before "… and N more"
MAX_GROUP_BUTTONS = 10
GROUP_LABEL_WIDTH = 36  # the group's label inside a button


def more(lang: Lang, items: list[str]) -> list[str]:
    if len(items) <= MAX_LINES:
        return items
    rest = len(items) - MAX_LINES
    return [*items[:MAX_LINES], lang.t("… and {n} more", n=number(lang, rest))]


def _group_lines(
    lang: Lang, n: int, r: Resolved, rule: str, gaps: list[Missing]
) -> tuple[list[str], bool]:
    """The lines of one group, and whether someone in it is not on the assistant yet."""
    lines = [
        lang.t("{n}. {label}: {count} people", n=n, label=r.category.label, count=len(r.people))
    ]
    if rule:
        lines.append("    " + rule)
    if not r.defined:
        lines.append(
            "    " + lang.t("⚠️ Nobody can be found from this group yet: set a rule or pick people.")
        )
    if r.repeated:
        lines.append("    " + lang.t("({n} more already counted in a group above)", n=r.repeated))
    away = [p.full_name for p in r.people if p.id in r.away]
    if away:
        lines.append(
            "    "
            + lang.t("Not using the assistant yet: {names}", names=", ".join(more(lang, away)))
        )
    holes = [
        lang.t("{role} of {unit}", role=role_short(lang, g.role), unit=g.unit_name)
        for g in gaps
        if g.category_id == r.category.id
    ]
    if holes:
        lines.append("    " + lang.t("Nobody on the assistant yet as:"))
        lines += ["      • " + h for h in more(lang, holes)]
    return lines, bool(away or holes)


def _group_choices(lang: Lang, session_id: int, resolved: list[Resolved]) -> list[list[Choice]]:
    rows = [
        [
            Choice(lang.t("➕ By role"), OpenRoles(session_id, 0, 0)),
            Choice(lang.t("➕ Named people"), NewNamed(session_id)),
        ]
    ]
    for r in resolved[:MAX_GROUP_BUTTONS]:
        cid = r.category.id
        assert cid is not None
        short = short_label(r.category.label, GROUP_LABEL_WIDTH)
        if not r.defined:
            rows.append(
                [Choice(lang.t("⚙️ Rule: {label}", label=short), OpenRoles(session_id, cid, 0))]
            )
        elif has_rule(r):  # the rule can be changed (from the roles it has) or removed
            mask = mask_of(r.roles)
            rows.append(
                [
                    Choice(
                        lang.t("⚙️ Change the rule: {label}", label=short),
                        OpenRoles(session_id, cid, mask),
                    ),
                    Choice(lang.t("🗑 Remove the rule"), RemoveRule(session_id, cid)),
                ]
            )
        if not has_rule(r):
            rows.append(
                [Choice(lang.t("👤 People: {label}", label=short), OpenPeople(session_id, cid, 0))]
            )
    rows.append([Choice(lang.t("✉️ Send invitations"), PreviewInvitations(session_id))])
    return rows


async def groups_screen(turn: Turn, session_id: int) -> Screen:
    ctx, lang, person = turn.ctx, turn.lang, turn.me.person
    session, plan, host = await load_session(ctx, person, session_id)
    await plans.require_plan_manager(ctx, person, plan)
    resolved = await participants.resolve_for(ctx, session, plan)
    gaps = await participants.missing(ctx, session_id)
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    unit_names: dict[int, str] = {}
    for r in resolved:
        if r.category.unit_id is not None and r.category.unit_id not in unit_names:
            unit_names[r.category.unit_id] = (await get_unit(ctx, r.category.unit_id)).name
    title = session_title(lang, session, host.name, turn.settings.tz)
    lines = [lang.t("👥 Participants: {title}", title=title)]
    if not resolved:
        lines.append(lang.t("No participant group yet. Add one with the buttons below."))
    hint = False
    for n, r in enumerate(resolved, start=1):
        group, missing = _group_lines(lang, n, r, rule_text(lang, r, unit_names, issuer.name), gaps)
        lines += group
        hint = hint or missing
    total = sum(len(r.people) for r in resolved)
    lines += ["", lang.t("In all: {n} people.", n=number(lang, total))]
    if hint:
        lines.append(
            lang.t(
                "To bring in people who are not on the assistant yet: tap {invite}, choose "
                "their unit and role, and pass the link on to them.",
                invite=lang.t(invite_links.ACTION.label),
            )
        )
    return Screen.of("\n".join(lines), rows=_group_choices(lang, session_id, resolved))


@step(action=ShowGroups)
async def show_groups(turn: Turn, pressed: ShowGroups) -> None:
    """`pc:<session_id>`: the session's groups, their counts and who is missing."""
    turn.show(await groups_screen(turn, pressed.session_id))


async def category_of(ctx: Ctx, session: ModelSession, category_id: int) -> ParticipantCategory:
    """One of the session's groups (of its plan or its own)."""
    for category in await participants.categories_for(ctx, session):
        if category.id == category_id:
            return category
    raise NotFound(N_("That participant group no longer exists."))


@dataclass(frozen=True, slots=True)
class Editing:
    """What a step that changes a session's groups needs to know."""

    label: str  # the group's label ("" for a new group)
    plan: Plan
    issuer: Unit
    host: Unit


async def check_editing(turn: Turn, session_id: int, category_id: int) -> Editing:
    """The asker may change this session's groups now (and `category_id`, when not 0, is one of
    them); raises the service's refusal otherwise."""
    ctx, person = turn.ctx, turn.me.person
    session, plan, host = await load_session(ctx, person, session_id)
    await plans.require_plan_manager(ctx, person, plan)
    plans.require_not_closed(plan)
    label = (await category_of(ctx, session, category_id)).label if category_id else ""
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    return Editing(label, plan, issuer, host)


router.press(ShowGroups, show_groups)
