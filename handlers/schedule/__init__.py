"""/lich (/schedule): everyone's upcoming model sessions, a session's card, and what its
officers can do from the card: reschedule, firm up a tentative month, cancel, read the history.

- actions: the typed buttons and the change conversation's state;
- words: how sessions read (shared with /dangky);
- card: the list, the card, the history;
- changes: reschedule, firm up, cancel;
- details: venue, address, duration and topic; held or not held.

The list and the card are stateless buttons (`ss:<id>` opens a card, also from /kehoach;
`sh:<id>` its history); only typing a new time or a reason is a conversation step. Every press
is re-checked by services.sessions; what the card offers is services.session_actions.
"""

from __future__ import annotations

from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from core.i18n import N_
from handlers import router
from handlers.conversation import Conversation
from handlers.flow import typed_text
from handlers.schedule.actions import (
    CancelSession,
    ChangeDraft,
    EditDetail,
    EditDetails,
    FirmUp,
    MarkHeld,
    MarkNotHeld,
    NoReason,
    OpenSessionCard,
    Reschedule,
    SameAsVenue,
    ShowHistory,
)
from handlers.schedule.card import show_card, show_history, show_schedule
from handlers.schedule.changes import (
    CANCEL_REASON,
    FIRM_WHEN,
    MOVE_REASON,
    MOVE_WHEN,
    begin_cancel,
    begin_firm,
    begin_move,
    cancel_reason_typed,
    firm_when_typed,
    move_no_reason,
    move_reason_typed,
    move_when_typed,
)
from handlers.schedule.details import (
    DETAIL_VALUE,
    NOT_HELD_REASON,
    begin_detail,
    begin_not_held,
    detail_typed,
    mark_held,
    not_held_reason_typed,
    same_as_venue,
    show_detail_menu,
)
from storage.models import Role

__all__ = ["ChangeDraft", "handlers", "show_card", "show_schedule"]

FLOW = Conversation("session_changes", ChangeDraft)

ACTION = router.add(
    router.Action(
        key="schedule",
        label=N_("📅 Session schedule"),
        description=N_("Upcoming model sessions of your units"),
        commands=("lich", "schedule"),
        callback=show_schedule,
        roles=frozenset(Role),
        menu_row=0,
    )
)
router.press(OpenSessionCard, show_card)
router.press(ShowHistory, show_history)
router.press(EditDetails, show_detail_menu)
router.press(MarkHeld, mark_held)
for _change in (Reschedule, FirmUp, CancelSession, EditDetail, MarkNotHeld):
    router.press(_change, FLOW.enter())


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    text = typed_text()
    return FLOW.build(
        entry_points=[
            CallbackQueryHandler(begin_move, pattern=Reschedule.pattern()),
            CallbackQueryHandler(begin_firm, pattern=FirmUp.pattern()),
            CallbackQueryHandler(begin_cancel, pattern=CancelSession.pattern()),
            CallbackQueryHandler(begin_detail, pattern=EditDetail.pattern()),
            CallbackQueryHandler(begin_not_held, pattern=MarkNotHeld.pattern()),
        ],
        states={
            MOVE_WHEN: [MessageHandler(text, move_when_typed)],
            MOVE_REASON: [
                MessageHandler(text, move_reason_typed),
                CallbackQueryHandler(move_no_reason, pattern=NoReason.pattern()),
            ],
            FIRM_WHEN: [MessageHandler(text, firm_when_typed)],
            CANCEL_REASON: [MessageHandler(text, cancel_reason_typed)],
            DETAIL_VALUE: [
                MessageHandler(text, detail_typed),
                CallbackQueryHandler(same_as_venue, pattern=SameAsVenue.pattern()),
            ],
            NOT_HELD_REASON: [MessageHandler(text, not_held_reason_typed)],
        },
    )
