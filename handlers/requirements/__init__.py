"""Report requirements of a plan (organisers add them from the plan card, handlers/
requirements/new.py) and /tiendo (/progress): who has delivered what by when
(handlers/requirements/progress.py)."""

from __future__ import annotations

from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from core.i18n import N_
from handlers import router
from handlers.flow import enter, fallbacks, typed_text
from handlers.plans import press_a_button
from handlers.plans.actions import NewRequirement, ShowProgress
from handlers.requirements import new
from handlers.requirements.progress import (
    ProgressPage,
    RefreshProgress,
    choose_plan,
    flip_plans,
    missing_text,
    progress_lines,
    refresh_progress,
    show_progress,
)
from handlers.step import Handler
from storage.models import Role
from ui.actions import Action

__all__ = ["handlers", "missing_text", "progress_lines"]

PROGRESS = router.add(
    router.Action(
        key="progress",
        label=N_("📊 Progress"),
        description=N_("Who has delivered what each plan asks, and who is late"),
        commands=("tiendo", "progress"),
        callback=choose_plan,
        roles=frozenset({Role.ORGANISER, Role.LEADER}),
        menu_row=2,
    )
)
router.press(ProgressPage, flip_plans)
router.press(ShowProgress, show_progress)
router.press(RefreshProgress, refresh_progress)

_CONVERSATION: ConversationHandler | None = None  # type: ignore[type-arg]
router.press(NewRequirement, enter(lambda: _CONVERSATION))


def _buttons(*pairs: tuple[type[Action], Handler]) -> list[CallbackQueryHandler]:  # type: ignore[type-arg]
    return [CallbackQueryHandler(callback, pattern=action.pattern()) for action, callback in pairs]


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    text = typed_text()
    hint = MessageHandler(text, press_a_button)
    _CONVERSATION = ConversationHandler(
        name="requirement_new",
        persistent=True,
        entry_points=[CallbackQueryHandler(new.begin, pattern=NewRequirement.pattern())],
        states={
            new.KIND: [*_buttons((new.KindPicked, new.kind_picked)), hint],
            new.TARGETS: [*_buttons((new.TargetsPicked, new.targets_picked)), hint],
            new.PICK: [
                *_buttons(
                    (new.UnitToggled, new.unit_toggled),
                    (new.UnitsPage, new.units_page),
                    (new.UnitsDone, new.units_done),
                ),
                hint,
            ],
            new.QUOTA: [*_buttons((new.QuotaPicked, new.quota_picked)), hint],
            new.DUE: [MessageHandler(text, new.due_typed)],
            new.DESCRIPTION: [
                MessageHandler(text, new.description_typed),
                *_buttons((new.SkipDescription, new.description_skipped)),
            ],
            new.CONFIRM: [*_buttons((new.ConfirmRequirement, new.confirmed)), hint],
        },
        fallbacks=fallbacks(new.RequirementDraft),
        allow_reentry=True,
    )
    return [_CONVERSATION]
