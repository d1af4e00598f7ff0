"""The answer to an invitation (RSVP), with the buttons under it until the session starts:
✅ Tham dự is recorded at once; ❌ Vắng asks for the reason (the REASON conversation step).
The invitation then shows the answer; it can change until the session starts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.i18n import N_, Lang
from handlers import router
from handlers.invitations.actions import Attend, Decline
from handlers.step import END, Turn, Where, retry_if_invalid, step
from services import invitations
from services.notifications import render
from storage.models import Invitation, InvitationStatus, Person
from ui.screen import Choice, Expect, Screen

REASON = 2  # a state of the invitations conversation (LABEL, SCOPE are new_group's)
ATTEND = invitations.ATTEND
ABSENT = invitations.ABSENT
TRY_AGAIN = N_("Please type it again, or /huy to stop.")


@dataclass(slots=True)
class ReasonDraft:
    invitation_id: int
    where: Where | None  # the invitation, to show the answer on it


def answer_line(lang: Lang, invitation: Invitation) -> str:
    if invitation.status == InvitationStatus.ACCEPTED:
        return lang.t("✅ Your answer: you will attend.")
    if invitation.status == InvitationStatus.DECLINED:
        return lang.t(
            "❌ Your answer: absent. Reason: {reason}", reason=invitation.decline_reason or ""
        )
    return ""


def invitation_with_answer(
    lang: Lang, invitation: Invitation, msgid: str, params: dict[str, Any]
) -> str:
    return "\n\n".join(
        [
            render(lang, msgid, params),
            answer_line(lang, invitation),
            lang.t("You can change your answer until the session starts."),
        ]
    )


def answered_screen(
    lang: Lang, invitation: Invitation, msgid: str, params: dict[str, Any]
) -> Screen:
    """The invitation with its answer and the answer buttons."""
    assert invitation.id is not None
    rows = [
        [
            Choice(lang.t(ATTEND), Attend(invitation.id, "y")),
            Choice(lang.t(ABSENT), Decline(invitation.id, "n")),
        ]
    ]
    return Screen.of(invitation_with_answer(lang, invitation, msgid, params), rows=rows)


@step(action=Attend)
async def attend(turn: Turn, pressed: Attend) -> None:
    """`rsvp:<invitation_id>:y`: answered at once, on the invitation itself."""
    invitation = await invitations.answer(
        turn.ctx, turn.me.person or Person(), pressed.invitation_id, accept=True
    )
    msgid, params = await invitations.invitation_message(turn.ctx, invitation)
    screen = answered_screen(turn.lang, invitation, msgid, params).replacing()
    turn.show(screen.with_toast(turn.lang.t("Recorded: you will attend.")))


@step(action=Decline, on_error=END)
async def ask_reason(turn: Turn, pressed: Decline) -> int:
    """`rsvp:<invitation_id>:n`: the reason is a typed step."""
    await invitations.check_answer(turn.ctx, turn.me.person or Person(), pressed.invitation_id)
    turn.put(ReasonDraft(pressed.invitation_id, turn.here()))
    turn.say(
        turn.lang.t(
            "Please type the reason why you cannot attend, for example: "
            "Đi công tác tại Đà Nẵng. Type /huy to stop."
        ),
        expect=Expect.TEXT,
    )
    return REASON


@step(needs=ReasonDraft, on_error=retry_if_invalid, retry=TRY_AGAIN)
async def reason_typed(turn: Turn, draft: ReasonDraft) -> int:
    lang = turn.lang
    invitation = await invitations.answer(
        turn.ctx, turn.me.person or Person(), draft.invitation_id, accept=False, reason=turn.text
    )
    msgid, params = await invitations.invitation_message(turn.ctx, invitation)
    turn.drop(ReasonDraft)
    if draft.where is not None:
        turn.redraw(draft.where, answered_screen(lang, invitation, msgid, params))
    turn.say(
        lang.t(
            "Recorded: you will be absent. Reason: {reason}\n"
            "If your plans change, tap ✅ under the invitation before the session starts.",
            reason=invitation.decline_reason or "",
        )
    )
    return END


router.press(Attend, attend)
