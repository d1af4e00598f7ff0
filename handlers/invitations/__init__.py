"""✉️ Giấy mời (/giaymoi) and 👥 Thành phần (/thanhphan): organisers pick a session, read and
edit its participant groups, preview and send the invitations (a large fan-out updates a
progress report); invitees answer with the buttons under the invitation (Tham dự at once, Vắng
with a typed reason) until the session starts.

One concept per module: picker (choosing the session), groups (the groups of a session),
rules and rule_editor (a group's rule), people (named people), new_group (a new group: label
and reach), sending and progress (the fan-out), rsvp (the answers); actions holds every
button's wire format. Buttons are stateless and every press is re-checked by the services; only
typing a group's label (then choosing its reach) and a reason for absence are conversation
steps, in the one conversation below.
"""

from __future__ import annotations

from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from handlers import router
from handlers.conversation import Conversation
from handlers.flow import typed_text
from handlers.invitations import (  # noqa: F401  (their buttons register on import)
    groups,
    people,
    picker,
    rule_editor,
    sending,
)
from handlers.invitations.actions import Decline, NewByRole, NewNamed, ReachChosen
from handlers.invitations.new_group import (
    LABEL,
    SCOPE,
    NewGroupDraft,
    ask_label_by_role,
    ask_label_named,
    label_typed,
    reach_chosen,
)
from handlers.invitations.rsvp import REASON, ReasonDraft, ask_reason, reason_typed

__all__ = ["FLOW", "INVITATIONS", "PARTICIPANTS", "handlers"]
INVITATIONS = picker.INVITATIONS
PARTICIPANTS = picker.PARTICIPANTS


FLOW = Conversation("invitations_steps", NewGroupDraft, ReasonDraft)
router.press(NewByRole, FLOW.enter())
router.press(NewNamed, FLOW.enter())
router.press(Decline, FLOW.enter())


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return FLOW.build(
        entry_points=[
            CallbackQueryHandler(ask_label_by_role, pattern=NewByRole.pattern()),
            CallbackQueryHandler(ask_label_named, pattern=NewNamed.pattern()),
            CallbackQueryHandler(ask_reason, pattern=Decline.pattern()),
        ],
        states={
            LABEL: [MessageHandler(typed_text(), label_typed)],
            SCOPE: [CallbackQueryHandler(reach_chosen, pattern=ReachChosen.pattern())],
            REASON: [MessageHandler(typed_text(), reason_typed)],
        },
    )
