"""/thamdinh (/review): content appraisal (thẩm định) of model sessions.

Host secretaries send a session's content (`ap:submit:<id>`, from /thamdinh, the session
card or a notice): they type text and/or send files, then tap 📨 Send for review
(handlers/appraisal/submit.py). Organisers above the host get a notice with the review
buttons; in /thamdinh they see what waits for them, approve it (`ap:ok:<id>`) or return it
with a comment (`ap:ret:<id>`, typed) (handlers/appraisal/review.py). The host is told and can
send it again.

The two typed steps (the content, the comment) are one conversation; the rest is stateless.
"""

from __future__ import annotations

from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.i18n import N_
from handlers import router
from handlers.appraisal.actions import (
    Approve,
    OpenFiles,
    ReturnContent,
    SendForReview,
    SubmitContent,
    ViewContent,
)
from handlers.appraisal.review import (
    COMMENT,
    ReturnDraft,
    approve,
    ask_comment,
    comment_typed,
    send_files,
    show_review,
    view_content,
)
from handlers.appraisal.submit import (
    COLLECT,
    SubmissionDraft,
    begin_submit,
    collect_hint,
    content_typed,
    file_sent,
    send_for_review,
)
from handlers.flow import enter, fallbacks, typed_text
from storage.models import Role

ACTION = router.add(
    router.Action(
        key="review",
        label=N_("📝 Content review"),
        description=N_("Send the content of model sessions for review, or review it"),
        commands=("thamdinh", "review"),
        callback=show_review,
        roles=frozenset({Role.ORGANISER, Role.SECRETARY, Role.DEPUTY_SECRETARY}),
        menu_row=3,
    )
)
router.press(ViewContent, view_content)
router.press(OpenFiles, send_files)
router.press(Approve, approve)

_CONVERSATION: ConversationHandler | None = None  # type: ignore[type-arg]
router.press(SubmitContent, enter(lambda: _CONVERSATION))
router.press(ReturnContent, enter(lambda: _CONVERSATION))


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    global _CONVERSATION
    text = typed_text()
    _CONVERSATION = ConversationHandler(
        name="appraisal",
        persistent=True,
        entry_points=[
            CallbackQueryHandler(begin_submit, pattern=SubmitContent.pattern()),
            CallbackQueryHandler(ask_comment, pattern=ReturnContent.pattern()),
        ],
        states={
            COLLECT: [
                MessageHandler(text, content_typed),
                MessageHandler(filters.Document.ALL, file_sent),
                CallbackQueryHandler(send_for_review, pattern=SendForReview.pattern()),
                MessageHandler(~filters.COMMAND & ~router.menu_filter(), collect_hint),
            ],
            COMMENT: [MessageHandler(text, comment_typed)],
        },
        fallbacks=fallbacks(ReturnDraft, SubmissionDraft),
        allow_reentry=True,
    )
    return [_CONVERSATION]
