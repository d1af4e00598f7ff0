"""/dangky (/report): secretaries, deputy secretaries and organisers report a model session.

Every finite choice is a button (plan, host unit, kind, duration, address "same as the venue",
the summary and its edits); the topic, the date and time, the venue and the address are typed.
The answers live in a `ReportDraft` together with the question being asked and a nonce
carried by every button of this run (`sr:<nonce>:<action>[:<arg>]`), so a button of another
run or of an earlier question gets a kind answer and changes nothing.

- draft: the typed buttons and the draft;
- asking: the questions, the summary, the list of details to change;
- answers: the presses and the typed details.
"""

from __future__ import annotations

from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.i18n import N_
from handlers import router
from handlers.flow import enter, fallbacks, stale_button, typed_text
from handlers.sessions_report.answers import (
    PRESSES,
    begin,
    begin_for,
    stray_press,
    text_typed,
    use_buttons,
    when_typed,
)
from handlers.sessions_report.draft import STATE, TEXT_STEPS, ReportDraft, ReportFor, Step
from storage.models import Role

__all__ = ["ReportDraft", "ReportFor", "begin", "begin_for", "handlers"]

PREFIX = "sr"
_CONVERSATION: ConversationHandler | None = None  # type: ignore[type-arg]

ACTION = router.add(
    router.Action(
        key="report_session",
        label=N_("📝 Report a session"),
        description=N_("Report the date, time and place of a model session"),
        commands=("dangky", "report"),
        callback=enter(lambda: _CONVERSATION, begin),
        roles=frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.ORGANISER}),
        menu_row=0,
    )
)
router.button(rf"^{PREFIX}:", enter(lambda: _CONVERSATION, stale_button))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    other = ~filters.COMMAND & ~router.menu_filter()
    presses: list[BaseHandler] = [  # type: ignore[type-arg]
        CallbackQueryHandler(callback, pattern=action.pattern()) for action, callback in PRESSES
    ]
    presses.append(CallbackQueryHandler(stray_press, pattern=rf"^{PREFIX}:"))
    states: dict[object, list[BaseHandler]] = {}  # type: ignore[type-arg]
    for step, state in STATE.items():
        if step == Step.WHEN:
            answer = MessageHandler(typed_text(), when_typed)
        elif step in TEXT_STEPS:
            answer = MessageHandler(typed_text(), text_typed)
        else:
            answer = MessageHandler(other, use_buttons)
        states[state] = [*presses, answer]
    _CONVERSATION = ConversationHandler(
        name="report_session",
        persistent=True,
        entry_points=[
            CommandHandler(list(ACTION.commands), begin),
            MessageHandler(filters.Text(sorted(router.labels_of(ACTION))), begin),
            CallbackQueryHandler(begin_for, pattern=ReportFor.pattern()),
            *presses,
        ],
        states=states,  # type: ignore[arg-type]
        fallbacks=fallbacks(ReportDraft),
        allow_reentry=True,
    )
    return [_CONVERSATION]
