"""/thamdinh (/review): what waits for a reviewer and the content of the sessions one's units
host; a submission's content and files; approving it, or returning it with a typed comment."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.appraisal.actions import Approve, OpenFiles, ReturnContent, SubmitContent, ViewContent
from handlers.appraisal.words import session_words
from handlers.flow import drop_all
from handlers.plans import TRY_AGAIN, session_label
from handlers.step import END, Turn, retry_if_invalid, step
from services import appraisal, plans, requirements
from services.labels import CONTENT_STATUS_PHRASES
from services.units import get_unit
from storage.models import ContentStatus
from ui.common import cancel_choice, short_label
from ui.screen import Choice, Expect, Screen, StoredFileAttachment

COMMENT = 1  # the conversation's state while the comment is typed (COLLECT is 0)
MAX_SHOWN_TEXT = 3000


@dataclass(slots=True)
class ReturnDraft:
    """A return waiting for its comment."""

    session_id: int


def _status(turn: Turn, status: str | None) -> str:
    return turn.lang.t(CONTENT_STATUS_PHRASES[ContentStatus(status)])


@step
async def show_review(turn: Turn) -> None:
    """What waits for review (organisers) and the content of the sessions one hosts."""
    ctx, lang = turn.ctx, turn.lang
    waiting = await appraisal.awaiting_review(ctx, turn.me.person) if turn.me.person else []
    hosted = await appraisal.hosted_sessions(ctx, turn.me.person)
    names = {s.host_unit_id: (await get_unit(ctx, s.host_unit_id)).name for s in waiting + hosted}
    comments = {
        s.id: await appraisal.last_return_comment(ctx, s.id)  # type: ignore[arg-type]
        for s in hosted
        if s.content_status == ContentStatus.RETURNED
    }
    if not waiting and not hosted:
        turn.say(
            lang.t(
                "Nothing to review or to submit now. Organisers see here the content units "
                "send for review; secretaries, the content of their units' coming sessions."
            )
        )
        return
    lines: list[str] = []
    rows: list[list[Choice]] = []
    if waiting:
        lines.append(lang.t("Content waiting for your review:"))
        for s in waiting:
            label = session_label(lang, s, names[s.host_unit_id])
            lines.append(f"• {label}")
            rows.append([Choice(short_label("🔍 " + label), ViewContent(s.id))])  # type: ignore[arg-type]
    if hosted:
        if lines:
            lines.append("")
        lines.append(lang.t("Content of the sessions your units host:"))
        for s in hosted:
            label = session_label(lang, s, names[s.host_unit_id])
            line = f"• {label}: {_status(turn, s.content_status)}"
            if comments.get(s.id):
                line += "\n  " + lang.t("Changes asked: {comment}", comment=comments[s.id])
            lines.append(line)
            if s.content_status in (ContentStatus.NONE, ContentStatus.RETURNED):
                rows.append([Choice(short_label("📎 " + label), SubmitContent(s.id))])  # type: ignore[arg-type]
    turn.say("\n".join(lines), rows=rows)


@step(action=ViewContent)
async def view_content(turn: Turn, pressed: ViewContent) -> None:
    """The submitted content, with the review buttons."""
    ctx, lang, session_id = turn.ctx, turn.lang, pressed.session_id
    session = await appraisal.require_reviewer(ctx, turn.me.person, session_id)
    plan = await plans.get_plan(ctx, session.plan_id)
    host = await get_unit(ctx, session.host_unit_id)
    documents = await requirements.session_documents(ctx, session_id)
    words = session_words(lang, session, host.name, turn.settings.tz)
    lines = [
        lang.t(
            "Content of the {kind} of “{host}” ({when}), plan {plan}", plan=plan.number, **words
        ),
        lang.t("Status: {status}", status=_status(turn, session.content_status)),
    ]
    if session.topic:
        lines.append(lang.t("Topic: {topic}", topic=session.topic))
    if session.content_text:
        text = session.content_text
        if len(text) > MAX_SHOWN_TEXT:
            text = text[:MAX_SHOWN_TEXT] + "…"
        lines += ["", text]
    if documents:
        lines += ["", lang.t("Files:")] + [f"📄 {d.file_name}" for d in documents]
    rows = []
    if session.content_status == ContentStatus.SUBMITTED:
        rows.append(
            [
                Choice(lang.t("✅ Approve"), Approve(session_id)),
                Choice(lang.t("↩️ Return"), ReturnContent(session_id)),
            ]
        )
    if documents:
        label = lang.t("📄 Open the files ({n})", n=len(documents))
        rows.append([Choice(label, OpenFiles(session_id))])
    turn.say("\n".join(lines), rows=rows)


@step(action=OpenFiles)
async def send_files(turn: Turn, pressed: OpenFiles) -> None:
    """The session's documents, sent again (by the channel's reference to each)."""
    await appraisal.require_reviewer(turn.ctx, turn.me.person, pressed.session_id)
    for document in await requirements.session_documents(turn.ctx, pressed.session_id):
        attachment = StoredFileAttachment(document.telegram_file_id, document.file_name)
        turn.show(Screen(text="", attachments=(attachment,)))


@step(action=Approve)
async def approve(turn: Turn, pressed: Approve) -> None:
    outcome = await appraisal.approve_content(turn.ctx, turn.me.person, pressed.session_id)  # type: ignore[arg-type]
    host = await get_unit(turn.ctx, outcome.value.host_unit_id)
    turn.drop_choices()
    turn.say(turn.lang.t("Approved the content of “{host}”. The host is told.", host=host.name))


# --------------------------------------------------------------------------- return: a comment


@step(action=ReturnContent, on_error=END)
async def ask_comment(turn: Turn, pressed: ReturnContent) -> int:
    """What should the host change?"""
    drop_all(turn.context)  # a conversation left open below this one takes no more answers
    session = await appraisal.check_can_review(turn.ctx, turn.me.person, pressed.session_id)
    host = await get_unit(turn.ctx, session.host_unit_id)
    turn.put(ReturnDraft(pressed.session_id))
    turn.say(
        turn.lang.t(
            "Type what “{host}” should change (they will read it), for example: "
            "Bổ sung phần liên hệ thực tiễn của chi bộ.",
            host=host.name,
        ),
        rows=[[cancel_choice(turn.lang)]],
        expect=Expect.TEXT,
    )
    return COMMENT


@step(needs=ReturnDraft, on_error=retry_if_invalid, retry=TRY_AGAIN)
async def comment_typed(turn: Turn, draft: ReturnDraft) -> int:
    outcome = await appraisal.return_content(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        draft.session_id,
        turn.text,
    )
    host = await get_unit(turn.ctx, outcome.value.host_unit_id)
    turn.drop(ReturnDraft)
    turn.say(
        turn.lang.t(
            "Returned the content to “{host}” with your comment. They are told and can send it again.",
            host=host.name,
        )
    )
    return END
