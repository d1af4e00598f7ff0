"""➕ A new participant group: by role (roles and units chosen with buttons first) or of named
people. The organiser types its label as the plan words it, then says whether it attends only
this session or every session of the plan. Two conversation steps (LABEL, SCOPE)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.i18n import N_
from handlers.invitations.actions import NewByRole, NewNamed, Reach, ReachChosen, Scope
from handlers.invitations.groups import check_editing, groups_screen
from handlers.invitations.people import people_screen
from handlers.invitations.rules import ALL_ROLES, roles_of, rule_args
from handlers.step import END, Turn, retry_if_invalid, step
from services import participants, plans, sessions
from services.validation import check_label
from ui.common import cancel_choice, short_label, stale_screen
from ui.screen import Choice, Expect, Mode, Screen

LABEL, SCOPE = (
    0,
    1,
)  # states of the invitations conversation (REASON is handlers.invitations.rsvp's)
TRY_AGAIN = N_("Please type it again, or /huy to stop.")


@dataclass(slots=True)
class NewGroupDraft:
    session_id: int
    named: bool
    mask: int = 0
    scope: Scope | None = None
    label: str | None = None


async def _ask_label(turn: Turn, draft: NewGroupDraft) -> int:
    await check_editing(turn, draft.session_id, 0)
    lang = turn.lang
    turn.put(draft)
    if not draft.named:
        turn.show(Screen.of(lang.t("Roles and units chosen."), mode=Mode.REPLACE))
    example = "Đại biểu khách mời" if draft.named else "Bí thư các chi bộ trực thuộc"
    turn.say(
        lang.t(
            "Type the name of this participant group as the plan words it, for example: "
            "{example}. Type /huy to stop.",
            example=example,
        ),
        expect=Expect.TEXT,
    )
    return LABEL


@step(action=NewByRole, on_error=END)
async def ask_label_by_role(turn: Turn, pressed: NewByRole) -> int:
    """`pc:wn:<sid>:<mask>:<scope>`: roles and units are chosen."""
    draft = NewGroupDraft(pressed.session_id, False, pressed.mask & ALL_ROLES, pressed.scope)
    return await _ask_label(turn, draft)


@step(action=NewNamed, on_error=END)
async def ask_label_named(turn: Turn, pressed: NewNamed) -> int:
    """`pc:np:<sid>`: a group of named people."""
    return await _ask_label(turn, NewGroupDraft(pressed.session_id, True))


@step(needs=NewGroupDraft, on_error=retry_if_invalid, retry=TRY_AGAIN)
async def label_typed(turn: Turn, draft: NewGroupDraft) -> int:
    lang = turn.lang
    label = check_label(
        turn.text, max_length=participants.MAX_LABEL, what=participants.CATEGORY_LABEL
    )
    session = await sessions.get_session(turn.ctx, draft.session_id)
    plan = await plans.get_plan(turn.ctx, session.plan_id)
    draft.label = label
    turn.put(draft)
    rows = [
        [Choice(lang.t("This session only"), ReachChosen(Reach.SESSION))],
        [
            Choice(
                short_label(lang.t("Every session of plan {plan}", plan=plan.number)),
                ReachChosen(Reach.PLAN),
            )
        ],
        [cancel_choice(lang)],
    ]
    question = lang.t(
        "Does “{label}” attend only this session, or every session of the plan?", label=label
    )
    turn.show(Screen.of(question, rows=rows, expect=Expect.CHOICE))
    return SCOPE


@step(action=ReachChosen, needs=NewGroupDraft, on_error=END)
async def reach_chosen(turn: Turn, pressed: ReachChosen, draft: NewGroupDraft) -> int:
    """`pc:sc:s|p`: the group is added."""
    if draft.label is None:  # (a press of an older question)
        turn.drop(NewGroupDraft)
        turn.show(stale_screen(turn.lang))
        return END
    session_id = draft.session_id
    session = await sessions.get_session(turn.ctx, session_id)
    plan = await plans.get_plan(turn.ctx, session.plan_id)
    rule: dict[str, Any] = {}
    if not draft.named and draft.scope is not None:
        rule = {"roles": roles_of(draft.mask), **rule_args(draft.scope, plan)}
    category = await participants.add_category(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        plan.id,  # type: ignore[arg-type]
        draft.label,
        session_id=session_id if pressed.reach is Reach.SESSION else None,
        **rule,
    )
    turn.drop(NewGroupDraft)
    added = turn.lang.t("Added the participant group “{label}”.", label=category.label)
    turn.show(Screen.of(added, mode=Mode.REPLACE))
    if draft.named:
        turn.show(await people_screen(turn, session_id, category.id, 0))  # type: ignore[arg-type]
    else:
        turn.show(await groups_screen(turn, session_id))
    return END
