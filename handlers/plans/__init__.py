"""/kehoach (/plans): the plans a person may see, a plan's card and what organisers do with it
(issue, add a report requirement, see progress, list sessions, close); and the typed
conversation that creates a draft plan.

The list, the card and its buttons are stateless (`plan:…`, handlers/plans/card.py); only the
new-plan form (`pnew:…`, handlers/plans/new_plan.py) is a conversation.
"""

from __future__ import annotations

from telegram.ext import BaseHandler, ConversationHandler

from core.i18n import N_
from handlers import router
from handlers.flow import enter
from handlers.plans import card, new_plan
from handlers.plans.actions import (
    AskClose,
    AskIssue,
    Close,
    Issue,
    NewPlan,
    OpenPlan,
    PlanPage,
    PlanSessions,
    PlanSessionsPage,
)
from handlers.plans.card import plan_card, show_plans
from handlers.plans.labels import label_with_tail, plan_label, session_day, session_label
from handlers.plans.new_plan import PRESS_A_BUTTON, TRY_AGAIN, press_a_button
from storage.models import Role

__all__ = [
    "PRESS_A_BUTTON",
    "TRY_AGAIN",
    "handlers",
    "label_with_tail",
    "plan_card",
    "plan_label",
    "press_a_button",
    "session_day",
    "session_label",
    "show_plans",
]

ACTION = router.add(
    router.Action(
        key="plans",
        label=N_("📋 Plans"),
        description=N_("Plans of model party cell meetings: create, issue, follow"),
        commands=("kehoach", "plans"),
        callback=show_plans,
        roles=frozenset({Role.ORGANISER, Role.LEADER}),
        menu_row=2,
    )
)
router.press(PlanPage, card.flip_plans)
router.press(OpenPlan, card.show_plan)
router.press(PlanSessions, card.show_sessions)
router.press(PlanSessionsPage, card.flip_sessions)
router.press(AskIssue, card.ask_issue)
router.press(AskClose, card.ask_close)
router.press(Issue, card.issue)
router.press(Close, card.close)

_CONVERSATION: ConversationHandler | None = None  # type: ignore[type-arg]
router.press(NewPlan, enter(lambda: _CONVERSATION))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    _CONVERSATION = new_plan.conversation()
    return [_CONVERSATION]
