"""📎 Submit content: host secretaries type a session's content and/or send files, then tap
📨 Send for review; the files are kept and the reviewers told in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.i18n import N_, Lang
from handlers.appraisal.actions import SendForReview, SubmitContent
from handlers.appraisal.words import session_words
from handlers.common import error_text
from handlers.files import file_info
from handlers.flow import drop_all
from handlers.step import END, STAY, Turn, step
from services import appraisal, requirements
from services.errors import InvalidInput, ServiceError
from services.requirements import FileInfo
from services.units import get_unit
from storage.models import ContentStatus, DocumentPurpose
from ui.common import cancel_choice
from ui.screen import Choice, Expect, Screen

COLLECT = 0  # the conversation's state while the content is typed or sent
MAX_FILES = 10


@dataclass(slots=True)
class SubmissionDraft:
    """What was typed and sent so far; nothing is kept before 📨 Send for review."""

    session_id: int
    text: str | None = None
    files: list[FileInfo] = field(default_factory=list)


def _collecting(lang: Lang, *parts: str) -> Screen:
    """A message with 📨 Send for review, waiting for more text or files."""
    send = Choice(lang.t("📨 Send for review"), SendForReview())
    return Screen.of(*parts, rows=[[send, cancel_choice(lang)]], expect=Expect.TEXT)


@step(action=SubmitContent, on_error=END)
async def begin_submit(turn: Turn, pressed: SubmitContent) -> int:
    drop_all(turn.context)  # a conversation left open below this one takes no more answers
    ctx, lang, session_id = turn.ctx, turn.lang, pressed.session_id
    session = await appraisal.check_can_submit(ctx, turn.me.person, session_id)
    host = await get_unit(ctx, session.host_unit_id)
    documents = await requirements.session_documents(ctx, session_id)
    comment = await appraisal.last_return_comment(ctx, session_id)
    turn.put(SubmissionDraft(session_id))
    words = session_words(lang, session, host.name, turn.settings.tz)
    lines = [lang.t("Content of the {kind} of “{host}” ({when}).", **words)]
    if session.content_status == ContentStatus.RETURNED and comment:
        lines.append(lang.t("Changes asked: {comment}", comment=comment))
    if session.content_text:
        lines.append(lang.t("The text sent before is kept unless you type a new one."))
    if documents:
        lines.append(
            lang.nt(
                "{n} file was sent before; new files are added to it.",
                "{n} files were sent before; new files are added to them.",
                len(documents),
            )
        )
    lines.append(
        lang.t(
            "Type the content (agenda, draft resolution, topic paper) and/or send it as "
            ".docx or .pdf files. Then tap 📨 Send for review."
        )
    )
    turn.show(_collecting(lang, "\n".join(lines)))
    return COLLECT


@step(needs=SubmissionDraft)
async def content_typed(turn: Turn, draft: SubmissionDraft) -> None:
    text = turn.text
    draft.text = f"{draft.text}\n\n{text}" if draft.text else text
    turn.show(
        _collecting(
            turn.lang,
            turn.lang.t(
                "Noted ({n} characters so far). Type more, send files, or tap 📨 Send for review.",
                n=len(draft.text),
            ),
        )
    )


@step(needs=SubmissionDraft)
async def file_sent(turn: Turn, draft: SubmissionDraft) -> None:
    file = file_info(turn.update)
    if file is None:
        return
    lang = turn.lang
    try:
        checked = requirements.check_file(file)
        if len(draft.files) >= MAX_FILES:
            raise InvalidInput(
                N_(
                    "That is more files than one submission takes ({limit}). Please send the main ones."
                ),
                limit=MAX_FILES,
            )
    except ServiceError as exc:  # (nothing was written: the question stands)
        turn.show(_collecting(lang, error_text(lang, exc)))
        return
    draft.files.append(checked)
    turn.show(
        _collecting(
            lang,
            lang.t(
                "Received “{name}”. Send more files, type text, or tap 📨 Send for review.",
                name=checked.file_name,
            ),
        )
    )


async def _refused(
    turn: Turn, exc: ServiceError, pressed: SendForReview, draft: SubmissionDraft
) -> int | None:
    """Nothing was kept: say why and let them type or send again (other errors end it)."""
    if not isinstance(exc, InvalidInput):
        raise exc
    draft.text = None
    lang = turn.lang
    retry = lang.t("Please type the content or send the files again.")
    turn.show(_collecting(lang, error_text(lang, exc) + "\n" + retry))
    return STAY


@step(action=SendForReview, needs=SubmissionDraft, on_error=END, recover=_refused)
async def send_for_review(turn: Turn, pressed: SendForReview, draft: SubmissionDraft) -> int:
    """Keep the files, submit, tell the reviewers (one unit of work)."""
    ctx, me = turn.ctx, turn.me.person
    session = await appraisal.check_can_submit(ctx, me, draft.session_id)
    for file in draft.files:
        await requirements.add_document(
            ctx,
            me,  # type: ignore[arg-type]
            session.plan_id,
            session.host_unit_id,
            DocumentPurpose.OTHER,
            file,
            session_id=draft.session_id,
        )
    outcome = await appraisal.submit_content(ctx, me, draft.session_id, text=draft.text)  # type: ignore[arg-type]
    turn.drop(SubmissionDraft)
    turn.say(
        turn.lang.nt(
            "Sent for review. {n} reviewer is told; you will get their answer here.",
            "Sent for review. {n} reviewers are told; you will get their answer here.",
            len(outcome.notices),
        )
    )
    return END


@step(needs=SubmissionDraft)
async def collect_hint(turn: Turn, draft: SubmissionDraft) -> None:
    turn.show(
        _collecting(
            turn.lang,
            turn.lang.t(
                "Please type the content as text or send it as .docx/.pdf files, "
                "then tap 📨 Send for review (or /huy to stop)."
            ),
        )
    )
