"""/tonghop (/summary): leaders and organisers read the summary of a plan or of one session,
with charts, and download the exports (roll and feedback as XLSX, the "Báo cáo tổng hợp ý
kiến đại biểu" as DOCX). Organisers of the issuing unit also set how the plan's sessions are
scored and whether comments reach leaders with names.

- actions: the typed buttons and the settings conversation's state;
- reading: plans, sessions, summaries, charts and exports;
- settings: scoring and feedback settings.

Every choice is a stateless button carrying ids (`sum:…`), re-checked by the services; only
typing new weights or thresholds is a conversation step.
"""

from __future__ import annotations

from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from core.i18n import N_
from handlers import router
from handlers.conversation import Conversation
from handlers.flow import typed_text
from handlers.summaries.actions import (
    AskThresholds,
    AskWeights,
    ExportPressed,
    PlanPicked,
    PlansPage,
    ResetScoring,
    ScoringDraft,
    SessionPicked,
    SessionsPage,
    SetDays,
    SetNames,
    ShowSettings,
)
from handlers.summaries.reading import (
    export_pressed,
    plan_picked,
    plans_page,
    session_picked,
    sessions_page,
    show_plans,
)
from handlers.summaries.settings import (
    TYPE_THRESHOLDS,
    TYPE_WEIGHTS,
    ask_thresholds,
    ask_weights,
    numbers_typed,
    reset_scoring,
    set_days,
    set_names,
    show_settings,
)
from storage.models import Role

__all__ = ["ScoringDraft", "handlers", "show_plans"]


ACTION = router.add(
    router.Action(
        key="summary",
        label=N_("📈 Summaries"),
        description=N_("Summaries of sessions and plans: attendance, ratings, comments, exports"),
        commands=("tonghop", "summary"),
        callback=show_plans,
        roles=frozenset({Role.ORGANISER, Role.LEADER}),
        menu_row=2,
    )
)
router.press(PlansPage, plans_page)
router.press(PlanPicked, plan_picked)
router.press(SessionsPage, sessions_page)
router.press(SessionPicked, session_picked)
router.press(ExportPressed, export_pressed)
router.press(ShowSettings, show_settings)
router.press(SetNames, set_names)
router.press(SetDays, set_days)
router.press(ResetScoring, reset_scoring)

FLOW = Conversation("summary_settings", ScoringDraft)
router.press(AskWeights, FLOW.enter())
router.press(AskThresholds, FLOW.enter())


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    typed = MessageHandler(typed_text(), numbers_typed)
    return FLOW.build(
        entry_points=[
            CallbackQueryHandler(ask_weights, pattern=AskWeights.pattern()),
            CallbackQueryHandler(ask_thresholds, pattern=AskThresholds.pattern()),
        ],
        states={TYPE_WEIGHTS: [typed], TYPE_THRESHOLDS: [typed]},
    )
