"""Import a KẾ HOẠCH document: an organiser sends the file, picks “📥 Nhập thành kế hoạch mới”
(handlers/documents.py offers it as `imp:<n>`), reviews the draft card, fixes what the reading
got wrong (kinds, hosts, dates, venues, deadlines; sessions it missed), and confirms.
Confirming creates the plan as a draft, as if typed; nothing exists before that.

    state.py     what the card keeps between presses
    card.py      the draft card (text and buttons)
    edit.py      one session's or deadline's menu, host picker, adding a session
    typed.py     values typed on the card
    start.py     reading the file, issuer, dropping parts, confirming
"""

from __future__ import annotations

from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from core.i18n import N_
from handlers import router
from handlers.flow import fallbacks, typed_text
from handlers.plan_import import edit, start
from handlers.plan_import.card import show_card
from handlers.plan_import.state import DATA, PENDING_FILES
from handlers.plan_import.typed import TYPE_VALUE, ask_value, value_typed
from storage.models import Role

__all__ = ["DATA", "PENDING_FILES", "handlers", "show_card"]

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
router.button(r"^imp:\d+$", start.start_import)
router.button(r"^ip:ok$", start.confirm)
router.button(r"^ip:cancel$", start.cancel_import)
router.button(r"^ip:drop:[sd]:\d+$", start.drop_part)
router.button(r"^ip:issuer$", start.pick_issuer)
router.button(r"^ip:iss:\d+$", start.issuer_picked)
router.button(r"^ip:card$", edit.back_to_card)
router.button(r"^ip:s:\d+$", edit.open_session)
router.button(r"^ip:sk:\d+:(thuong_ky|chuyen_de|hoi_thao)$", edit.set_kind)
router.button(r"^ip:hp:\d+$", edit.pick_host)
router.button(r"^ip:hs:\d+:\d+$", edit.host_picked)
router.button(r"^ip:add$", edit.add_session)
router.button(r"^ip:new:(thuong_ky|chuyen_de|hoi_thao)$", edit.new_session)
router.button(r"^ip:d:\d+$", edit.open_deadline)

_TYPED = r"^ip:(num|title|(topic|host|when|venue|addr|due|what):\d+)$"


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        ConversationHandler(
            name="plan_import",
            persistent=True,
            entry_points=[CallbackQueryHandler(ask_value, pattern=_TYPED)],
            states={TYPE_VALUE: [MessageHandler(typed_text(), value_typed)]},
            fallbacks=fallbacks("plan_import_field"),
            allow_reentry=True,
        )
    ]
