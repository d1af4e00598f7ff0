"""Files sent in the chat outside any conversation: check them, then ask what they are for.

The choices: a document a plan still waits for from one of the sender's units, the content
of an upcoming session they host, or (organisers) a KẾ HOẠCH to import as a new plan (the
`imp:<n>` button belongs to handlers/plan_import.py). Until the sender chooses, the file waits
in the pending list of handlers/files.py; the buttons carry its slot and check.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from core.i18n import N_, Lang, Msgid
from handlers import router
from handlers.appraisal.actions import SubmitContent
from handlers.common import Context
from handlers.files import ImportFile, check_of, file_info, recall, remember
from handlers.plans import session_day
from handlers.step import Turn, step
from services import appraisal, document_rules, plans, requirements, sessions
from services.errors import ServiceError
from services.requirements import FileInfo
from services.units import get_unit
from storage.models import DocumentPurpose
from ui.actions import Action
from ui.common import cancel_choice, short_label
from ui.screen import Choice, Expect

MAX_CHOICES = 8
SESSION_PURPOSES = (
    DocumentPurpose.AGENDA,
    DocumentPurpose.DRAFT_RESOLUTION,
    DocumentPurpose.TOPIC_PAPER,
)
PURPOSE_LABELS: dict[DocumentPurpose, Msgid] = {
    DocumentPurpose.THAM_LUAN: N_("Contribution (tham luận)"),
    DocumentPurpose.AGENDA: N_("Agenda"),
    DocumentPurpose.DRAFT_RESOLUTION: N_("Draft resolution"),
    DocumentPurpose.TOPIC_PAPER: N_("Topic paper"),
    DocumentPurpose.OTHER: N_("Other document"),
}


@dataclass(frozen=True, slots=True)
class ForRequirement(Action, prefix="doc:r"):
    slot: int
    check: str
    requirement_id: int
    unit_id: int


@dataclass(frozen=True, slots=True)
class ForSession(Action, prefix="doc:s"):
    slot: int
    check: str
    session_id: int


@dataclass(frozen=True, slots=True)
class SessionPurpose(Action, prefix="doc:p"):
    slot: int
    check: str
    session_id: int
    purpose: DocumentPurpose


@dataclass(frozen=True, slots=True)
class SendFor(Action, prefix="do:doc"):
    """📎 on a notice of a document a plan asks of a unit (services.plans.deliverables)."""

    requirement_id: int
    unit_id: int


def purpose_label(lang: Lang, purpose: DocumentPurpose | str | None) -> str:
    return lang.t(PURPOSE_LABELS[DocumentPurpose(purpose or DocumentPurpose.OTHER)])


# --------------------------------------------------------------------------- a file arrives


def _import_choice(lang: Lang, slot: int) -> Choice:
    return Choice(lang.t("📥 Import as a new plan"), ImportFile(slot))


@step
async def _file_arrived(turn: Turn) -> None:
    file = file_info(turn.update)
    lang = turn.lang
    if file is None:
        return
    if not turn.me.registered:
        turn.say(
            lang.t("I didn't understand that. Please use the buttons below, or tap ❓ Help."),
            menu=router.menu_for(turn.me),
        )
        return
    importable = document_rules.may_import_as_plan(turn.me.roles, file.file_name)
    try:
        checked = requirements.check_file(file)
    except ServiceError:
        if not importable or not document_rules.importable_only(file.file_name):
            raise
        # Not a type a plan's documents may have, but the import reads it (a .md plan): one
        # answer that says both, without an error first.
        slot = remember(turn.context, file)
        turn.say(
            lang.t(
                "“{name}” can be imported as a new plan. (Documents for plans and sessions "
                "are Word or PDF files.)",
                name=file.file_name,
            ),
            rows=[[_import_choice(lang, slot)], [cancel_choice(lang)]],
            expect=Expect.CHOICE,
        )
        return
    owed = (await requirements.pending_documents_for(turn.ctx, turn.me.person))[:MAX_CHOICES]
    hosted = (await appraisal.sessions_to_submit(turn.ctx, turn.me.person))[:MAX_CHOICES]
    hosts = {s.host_unit_id: (await get_unit(turn.ctx, s.host_unit_id)).name for s in hosted}
    if not (owed or hosted or importable):
        turn.say(
            lang.t(
                "I don't know what this file is for: no plan is waiting for a document from "
                "your units, and none of your units is preparing the content of a session. "
                "Tap ❓ Help to see what I can do."
            )
        )
        return
    slot, check = remember(turn.context, checked), check_of(checked)
    several_units = len({d.unit.id for d in owed}) > 1
    rows = []
    for due in owed:
        label = lang.t(
            "{purpose} — plan {plan}",
            purpose=purpose_label(lang, due.requirement.document_purpose),
            plan=due.plan.number,
        )
        tail = f" — {due.unit.name}" if several_units else ""
        pick = ForRequirement(slot, check, due.requirement.id, due.unit.id)  # type: ignore[arg-type]
        rows.append([Choice(short_label(label + tail), pick)])
    for session in hosted:
        label = lang.t(
            "Content of the session {day} — {host}",
            day=session_day(session),
            host=hosts[session.host_unit_id],
        )
        rows.append([Choice(short_label(label), ForSession(slot, check, session.id))])  # type: ignore[arg-type]
    if importable:
        rows.append([_import_choice(lang, slot)])
    rows.append([cancel_choice(lang)])
    turn.say(
        lang.t("What is “{name}”? Choose below.", name=checked.file_name),
        rows=rows,
        expect=Expect.CHOICE,
    )


async def on_document(update: Update, context: Context) -> None:
    if file_info(update) is not None:
        await _file_arrived(update, context)


# --------------------------------------------------------------------------- the choice


def _recalled(turn: Turn, pressed: ForRequirement | ForSession | SessionPurpose) -> FileInfo | None:
    """The file the press is about; None (and the sender is told) when it no longer waits."""
    file = recall(turn.context, pressed.slot, pressed.check)
    if file is None:
        turn.say(turn.lang.t("That file is no longer waiting here. Please send it again."))
    return file


@step(action=ForRequirement)
async def for_requirement(turn: Turn, pressed: ForRequirement) -> None:
    file = _recalled(turn, pressed)
    if file is None:
        return
    requirement = await requirements.get_requirement(turn.ctx, pressed.requirement_id)
    outcome = await requirements.add_document(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        requirement.plan_id,
        pressed.unit_id,
        DocumentPurpose(requirement.document_purpose or DocumentPurpose.THAM_LUAN),
        file,
        requirement_id=pressed.requirement_id,
    )
    plan = await plans.get_plan(turn.ctx, requirement.plan_id)
    unit = await get_unit(turn.ctx, pressed.unit_id)
    turn.drop_choices()  # answered: a second press would file it twice
    turn.say(
        turn.lang.t(
            "Received “{name}” from “{unit}” for plan {plan}: {requirement}. "
            "The organisers are told.",
            name=outcome.value.file_name,
            unit=unit.name,
            plan=plan.number,
            requirement=requirement.description,
        )
    )


@step(action=ForSession)
async def for_session(turn: Turn, pressed: ForSession) -> None:
    """Which part of the content is it?"""
    lang = turn.lang
    if _recalled(turn, pressed) is None:
        return
    rows = [
        [
            Choice(
                purpose_label(lang, p),
                SessionPurpose(pressed.slot, pressed.check, pressed.session_id, p),
            )
        ]
        for p in SESSION_PURPOSES
    ]
    rows.append([cancel_choice(lang)])
    turn.say(lang.t("Which part of the content is it?"), rows=rows, expect=Expect.CHOICE)


@step(action=SessionPurpose)
async def session_purpose(turn: Turn, pressed: SessionPurpose) -> None:
    if pressed.purpose not in SESSION_PURPOSES:
        return
    file = _recalled(turn, pressed)
    if file is None:
        return
    session = await sessions.get_session(turn.ctx, pressed.session_id)
    outcome = await requirements.add_document(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        session.plan_id,
        session.host_unit_id,
        pressed.purpose,
        file,
        session_id=pressed.session_id,
    )
    host = await get_unit(turn.ctx, session.host_unit_id)
    lang = turn.lang
    turn.drop_choices()
    turn.say(
        lang.t(
            "Received “{name}” ({purpose}) for the session of “{host}” on {day}. "
            "When the content is complete, tap 📎 Submit content to send it for review.",
            name=outcome.value.file_name,
            purpose=purpose_label(lang, pressed.purpose),
            host=host.name,
            day=session_day(session),
        ),
        rows=[[Choice(lang.t("📎 Submit content"), SubmitContent(pressed.session_id))]],
    )


@step(action=SendFor)
async def send_for(turn: Turn, pressed: SendFor) -> None:
    """Say how to send the document the plan asks of the unit (the file then arrives here)."""
    requirement = await requirements.get_requirement(turn.ctx, pressed.requirement_id)
    plan = await plans.get_plan(turn.ctx, requirement.plan_id)
    unit = await get_unit(turn.ctx, pressed.unit_id)
    turn.say(
        turn.lang.t(
            "Please send the file for plan {plan} (“{unit}”: {requirement}) here in this chat, "
            "as a Word or PDF file. I will then ask what it is for.",
            plan=plan.number,
            unit=unit.name,
            requirement=requirement.description,
        )
    )


router.press(SendFor, send_for)
router.press(ForRequirement, for_requirement)
router.press(ForSession, for_session)
router.press(SessionPurpose, session_purpose)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    # Registered after every conversation: a file sent while a conversation waits for an
    # answer goes to that conversation.
    return [MessageHandler(filters.Document.ALL, on_document)]
