"""/kehoach (/plans): the plans a person may see, a plan's card with the buttons the person may
use, the plan's sessions, and issuing or closing a plan (asked first). All stateless."""

from __future__ import annotations

from collections.abc import Callable

from core.i18n import N_, Lang, Msgid
from handlers.plans.actions import (
    AskClose,
    AskIssue,
    Close,
    Issue,
    NewPlan,
    NewRequirement,
    OpenPlan,
    OpenSessionCard,
    PlanPage,
    PlanSessions,
    PlanSessionsPage,
    ShowProgress,
)
from handlers.plans.labels import plan_label, session_label
from handlers.step import Turn, step
from services import plans, requirements, sessions
from services.labels import PLAN_STATUS_LABELS
from services.units import get_unit
from services.vn_datetime import format_date_long
from storage.models import Plan, PlanStatus, SessionStatus
from ui.actions import Action
from ui.common import cancel_choice, paged
from ui.screen import Choice, Expect, Screen

# --------------------------------------------------------------------------- the list


async def plans_screen(turn: Turn, page: int) -> Screen:
    found = await plans.visible_plans(turn.ctx, turn.me.person)
    can_create = bool(await plans.issuer_units(turn.ctx, turn.me.person))
    lang = turn.lang
    items = [(plan_label(lang, p), OpenPlan(p.id)) for p in found]  # type: ignore[arg-type]
    rows = paged(lang, items, page, PlanPage, cancel=False) if items else []
    if can_create:
        rows.append([Choice(lang.t("➕ New plan"), NewPlan())])
    if found:
        text = lang.t("Plans (tap one to open it):")
    elif can_create:
        text = lang.t(
            "There is no plan yet. Tap ➕ New plan to type one in, "
            "or send the plan document (.docx) here to import it."
        )
    else:
        text = lang.t(
            "There is no plan for your units yet. "
            "Plans appear here once your committee issues them."
        )
    return Screen.of(text, rows=rows)


@step
async def show_plans(turn: Turn) -> None:
    """/kehoach or the menu button."""
    turn.show(await plans_screen(turn, 0))


@step(action=PlanPage)
async def flip_plans(turn: Turn, pressed: PlanPage) -> None:
    turn.show((await plans_screen(turn, pressed.page)).replacing())


# --------------------------------------------------------------------------- the card


def card_text(lang: Lang, plan: Plan, issuer: str, n_sessions: int, n_reqs: int) -> str:
    lines = [
        lang.t("📋 Plan {number}", number=plan.number),
        plan.title,
        lang.t("Issued by: {unit}", unit=issuer),
        lang.t(
            "Date of issue: {day}",
            day=format_date_long(plan.issued_on, lang.locale) if plan.issued_on else "—",
        ),
    ]
    if plan.place:
        lines.append(lang.t("Place of issue: {place}", place=plan.place))
    bases = plans.legal_bases_of(plan)
    if bases:
        lines.append(lang.t("Legal bases:"))
        lines += [f"• {line}" for line in bases]
    status = lang.t(PLAN_STATUS_LABELS[PlanStatus(plan.status)])
    lines.append(lang.t("Status: {status}", status=status))
    lines.append(
        lang.t(
            "Model sessions: {sessions} · Report requirements: {requirements}",
            sessions=n_sessions,
            requirements=n_reqs,
        )
    )
    return "\n".join(lines)


async def plan_card(turn: Turn, plan_id: int) -> Screen:
    """The card, with the buttons the person may use."""
    ctx, me = turn.ctx, turn.me.person
    plan = await plans.get_visible_plan(ctx, me, plan_id)
    issuer = await get_unit(ctx, plan.issuer_unit_id)
    n_sessions = sum(
        s.status != SessionStatus.CANCELLED.value
        for s in await sessions.plan_sessions(ctx, plan_id)
    )
    n_reqs = len(await requirements.plan_requirements(ctx, plan_id))
    manage = await plans.can_manage_plan(ctx, me, plan)
    progress = await requirements.can_see_progress(ctx, me, plan)
    lang = turn.lang
    status = PlanStatus(plan.status)
    rows: list[list[Choice]] = []
    if manage and status == PlanStatus.DRAFT:
        rows.append([Choice(lang.t("Issue"), AskIssue(plan_id))])
    if manage and status != PlanStatus.CLOSED:
        rows.append([Choice(lang.t("➕ Report requirement"), NewRequirement(plan_id))])
    nav = [Choice(lang.t("📊 Progress"), ShowProgress(plan_id))] if progress else []
    nav.append(Choice(lang.t("📅 Sessions"), PlanSessions(plan_id)))
    rows.append(nav)
    if manage and status == PlanStatus.ISSUED:
        rows.append([Choice(lang.t("Close the plan"), AskClose(plan_id))])
    return Screen.of(card_text(lang, plan, issuer.name, n_sessions, n_reqs), rows=rows)


@step(action=OpenPlan)
async def show_plan(turn: Turn, pressed: OpenPlan) -> None:
    turn.show(await plan_card(turn, pressed.plan_id))


async def _sessions(turn: Turn, plan_id: int, page: int, *, flip: bool) -> None:
    plan = await plans.get_visible_plan(turn.ctx, turn.me.person, plan_id)
    found = await sessions.plan_sessions(turn.ctx, plan_id)
    lang = turn.lang
    if not found:
        turn.say(lang.t("Plan {plan} has no model session yet.", plan=plan.number))
        return
    hosts = {s.host_unit_id: (await get_unit(turn.ctx, s.host_unit_id)).name for s in found}
    items = [
        (session_label(lang, s, hosts[s.host_unit_id]), OpenSessionCard(s.id))  # type: ignore[arg-type]
        for s in found
    ]
    screen = Screen.of(
        lang.t("Model sessions of plan {plan} (tap one to open it):", plan=plan.number),
        rows=paged(lang, items, page, lambda n: PlanSessionsPage(plan_id, "page", n), cancel=False),
    )
    turn.show(screen.replacing() if flip else screen)


@step(action=PlanSessions)
async def show_sessions(turn: Turn, pressed: PlanSessions) -> None:
    await _sessions(turn, pressed.plan_id, 0, flip=False)


@step(action=PlanSessionsPage)
async def flip_sessions(turn: Turn, pressed: PlanSessionsPage) -> None:
    await _sessions(turn, pressed.plan_id, pressed.page, flip=True)


# --------------------------------------------------------------------------- issue and close


# What each question asks, its ✅ label and the press that does it.
_QUESTIONS: dict[type[Action], tuple[Msgid, Msgid, Callable[[int], Action]]] = {
    AskIssue: (
        N_(
            "Issue plan {plan}? The secretaries and organisers of the units it concerns "
            "will be told."
        ),
        N_("✅ Issue"),
        lambda plan_id: Issue(plan_id, "yes"),
    ),
    AskClose: (
        N_(
            "Close plan {plan}? Nothing can be added to it afterwards "
            "(sessions, requirements, documents)."
        ),
        N_("✅ Close"),
        lambda plan_id: Close(plan_id, "yes"),
    ),
}


async def _ask(turn: Turn, pressed: AskIssue | AskClose) -> None:
    """Asked before what cannot be undone."""
    plan = await plans.get_visible_plan(turn.ctx, turn.me.person, pressed.plan_id)
    await plans.require_plan_manager(turn.ctx, turn.me.person, plan)
    question, label, confirm = _QUESTIONS[type(pressed)]
    lang = turn.lang
    yes = Choice(lang.t(label), confirm(pressed.plan_id))
    turn.show(
        Screen.of(
            lang.t(question, plan=plan.number),
            rows=[[yes, cancel_choice(lang)]],
            expect=Expect.CHOICE,
        )
    )


ask_issue = step(action=AskIssue)(_ask)
ask_close = step(action=AskClose)(_ask)


@step(action=Issue)
async def issue(turn: Turn, pressed: Issue) -> None:
    outcome = await plans.issue_plan(turn.ctx, turn.me.person, pressed.plan_id)  # type: ignore[arg-type]
    lang = turn.lang
    text = lang.t("Plan {plan} has been issued.", plan=outcome.value.number)
    if outcome.notices:
        told = len({n.person_id for n in outcome.notices})
        text += " " + lang.nt("{n} person is being told.", "{n} people are being told.", told)
    turn.say(text)
    turn.show(await plan_card(turn, pressed.plan_id))


@step(action=Close)
async def close(turn: Turn, pressed: Close) -> None:
    plan = await plans.close_plan(turn.ctx, turn.me.person, pressed.plan_id)  # type: ignore[arg-type]
    turn.say(turn.lang.t("Plan {plan} is closed.", plan=plan.number))
    turn.show(await plan_card(turn, pressed.plan_id))
