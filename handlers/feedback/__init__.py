"""/gopy (/feedback): delegates who checked in rate a session and write what went well, what
fell short and what they propose.

- actions: the buttons' typed actions and the conversation's state;
- card: choosing the session and the rating card;
- comments: the three typed parts and the thanks.

The conversation starts from /gopy, the menu, or the scheduler's button `fb:<session>`.
Every rule (who may, until when) is the service's.
"""

from __future__ import annotations

from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from core.i18n import N_
from handlers import router
from handlers.conversation import Conversation
from handlers.feedback.actions import (
    PROPOSALS,
    RATING,
    SHORTCOMINGS,
    WENT_WELL,
    FeedbackDraft,
    Rate,
    SkipHow,
    SkipPart,
    StartFeedback,
)
from handlers.feedback.card import begin, rate_pressed, start_pressed
from handlers.feedback.comments import comment_typed, skip_pressed, stop_comments, use_buttons
from handlers.flow import typed_text
from storage.models import Role

__all__ = ["FeedbackDraft", "Rate", "SkipHow", "SkipPart", "StartFeedback", "handlers"]

FLOW = Conversation("feedback", FeedbackDraft)

ACTION = router.add(
    router.Action(
        key="feedback",
        label=N_("✍️ Feedback"),
        description=N_("Rate a session you attended and give your comments"),
        commands=("gopy", "feedback"),
        callback=FLOW.enter(begin),
        roles=frozenset(Role),
        menu_row=4,
    )
)
for _action in (StartFeedback, Rate, SkipPart):
    router.press(_action, FLOW.enter())


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    other = ~filters.COMMAND & ~router.menu_filter()
    stop = CommandHandler(["huy", "cancel"], stop_comments)
    comment = MessageHandler(typed_text(), comment_typed)
    return FLOW.build(
        entry_points=[
            CommandHandler(list(ACTION.commands), begin),
            MessageHandler(filters.Text(sorted(router.labels_of(ACTION))), begin),
            CallbackQueryHandler(start_pressed, pattern=StartFeedback.pattern()),
            CallbackQueryHandler(rate_pressed, pattern=Rate.pattern()),
            CallbackQueryHandler(skip_pressed, pattern=SkipPart.pattern()),
        ],
        states={
            RATING: [MessageHandler(other, use_buttons)],
            WENT_WELL: [stop, comment],
            SHORTCOMINGS: [stop, comment],
            PROPOSALS: [stop, comment],
        },
    )
