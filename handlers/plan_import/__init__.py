"""Import a KẾ HOẠCH document: an organiser sends the file, picks “📥 Nhập thành kế hoạch mới”
(handlers/documents.py offers it as `imp:<n>`), reviews the draft card, fixes what the reading
got wrong (kinds, hosts, dates, venues, deadlines; sessions it missed), and confirms.
Confirming creates the plan as a draft, as if typed; nothing exists before that.

    actions.py   the buttons
    state.py     what the card keeps between presses
    card.py      the draft card
    edit.py      one session's or deadline's menu, host picker, adding a session
    typed.py     values typed on the card (the one conversation step)
    start.py     reading the file, issuer, dropping parts, confirming
"""

from __future__ import annotations

from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from core.i18n import N_
from handlers import router
from handlers.conversation import Conversation
from handlers.files import ImportFile
from handlers.flow import typed_text
from handlers.plan_import import edit, start, typed
from handlers.plan_import.actions import (
    AddSession,
    AskDeadlineValue,
    AskNumber,
    AskSessionValue,
    AskTitle,
    BackToCard,
    CancelImport,
    Confirm,
    DropPart,
    HostPage,
    HostPicked,
    IssuerPage,
    IssuerPicked,
    NewSession,
    OpenDeadline,
    OpenSession,
    PickHost,
    PickIssuer,
    SetKind,
)
from handlers.plan_import.card import card_screen, show_card
from handlers.plan_import.state import ImportCard, TypedValue
from storage.models import Role

__all__ = ["ImportCard", "TypedValue", "card_screen", "handlers", "show_card"]

router.add(
    router.Action(
        key="import",
        label=N_("📥 Import a plan"),
        description=N_("Create a plan from a KẾ HOẠCH document"),
        commands=("nhapkehoach", "import"),
        callback=start.explain,
        roles=frozenset({Role.ORGANISER}),
        menu_row=-1,
    )
)
router.press(ImportFile, start.start_import)
router.press(Confirm, start.confirm)
router.press(CancelImport, start.cancel_import)
router.press(DropPart, start.drop_part)
router.press(PickIssuer, start.pick_issuer)
router.press(IssuerPage, start.flip_issuers)
router.press(IssuerPicked, start.issuer_picked)
router.press(BackToCard, edit.back_to_card)
router.press(OpenSession, edit.open_session)
router.press(SetKind, edit.set_kind)
router.press(PickHost, edit.pick_host)
router.press(HostPage, edit.flip_hosts)
router.press(HostPicked, edit.host_picked)
router.press(AddSession, edit.add_session)
router.press(NewSession, edit.new_session)
router.press(OpenDeadline, edit.open_deadline)

# Only the value being typed is the conversation's: /huy or another button while typing
# leaves the draft card as it was.
FLOW = Conversation("plan_import", TypedValue)
_ASKS = (
    (AskNumber, typed.ask_number),
    (AskTitle, typed.ask_title),
    (AskSessionValue, typed.ask_session_value),
    (AskDeadlineValue, typed.ask_deadline_value),
)
for _action, _ in _ASKS:
    router.press(_action, FLOW.enter())


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return FLOW.build(
        entry_points=[CallbackQueryHandler(ask, pattern=action.pattern()) for action, ask in _ASKS],
        states={typed.TYPE_VALUE: [MessageHandler(typed_text(), typed.value_typed)]},
    )
