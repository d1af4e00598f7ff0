"""✉️ Sending the invitations of a session: a preview (who would be invited, per participant
group, and how many are new), then 📨 invites everyone not invited yet (idempotent), with a
progress report the sending updates."""

from __future__ import annotations

import uuid

from handlers import deliver, router
from handlers.invitations.actions import SendNow
from handlers.invitations.progress import SendProgress, progress_screen, progress_text
from handlers.session_header import (
    PreviewInvitations,
    ShowGroups,
    load_session,
    number,
    session_title,
)
from handlers.step import Redraw, Turn, step
from services import invitations
from ui.common import cancel_choice
from ui.screen import Choice, Screen


@step(action=PreviewInvitations)
async def preview(turn: Turn, pressed: PreviewInvitations) -> None:
    """`inv:prev:<session_id>`: who would be invited, per group, and how many are new."""
    lang, session_id = turn.lang, pressed.session_id
    found = await invitations.preview(turn.ctx, turn.me.person, session_id)  # type: ignore[arg-type]
    session, _plan, host = await load_session(turn.ctx, turn.me.person, session_id)
    title = session_title(lang, session, host.name, turn.settings.tz)
    lines = [lang.t("✉️ Invitations: {title}", title=title)]
    for c in found.categories:
        line = "• " + lang.t(
            "{label}: {people} people, {new} not invited yet",
            label=c.label,
            people=number(lang, c.people),
            new=number(lang, c.new),
        )
        if not c.defined:
            line += " " + lang.t("(⚠️ no rule and nobody named yet)")
        lines.append(line)
    if not found.categories:
        lines.append(lang.t("This session has no participant group yet."))
    lines += [
        "",
        lang.t(
            "In all {total} people; invited before: {before}; this time: {new}.",
            total=number(lang, found.total),
            before=number(lang, found.already_invited),
            new=number(lang, found.new),
        ),
    ]
    rows = []
    if found.new:
        send = lang.t("📨 Send ({n} people)", n=number(lang, found.new))
        rows.append([Choice(send, SendNow(session_id))])
    else:
        lines.append(lang.t("Everyone in the participant groups has been invited already."))
    rows.append([Choice(lang.t("👥 Participants"), ShowGroups(session_id)), cancel_choice(lang)])
    turn.show(Screen.of("\n".join(lines), rows=rows))


# The sending starts once the progress report watches the batch.
@step(action=SendNow, hold_sending=True)
async def send(turn: Turn, pressed: SendNow) -> None:
    """`inv:send:<session_id>`: invite everyone not invited yet (idempotent)."""
    lang, app = turn.lang, turn.context.application
    batch = uuid.uuid4().hex
    outcome = await invitations.send(turn.ctx, turn.me.person, pressed.session_id, batch=batch)  # type: ignore[arg-type]
    total = len(outcome.notices)
    if not total:
        turn.say(lang.t("Everyone in the participant groups has been invited already."))
        return

    def watch(redraw: Redraw | None) -> None:
        if redraw is not None:
            SendProgress(app, batch, total, redraw, lang).start()
        deliver.send_soon(app)

    turn.show_progress(progress_screen(progress_text(lang, 0, total, 0, False)), watch)


router.press(PreviewInvitations, preview)
router.press(SendNow, send)
