"""Choosing the session: ✉️ Giấy mời (/giaymoi) opens what organisers do with it; 👥 Thành phần
(/thanhphan) opens its participant groups. Only sessions that have not started, of plans the
organiser's units issued, are listed."""

from __future__ import annotations

from collections.abc import Callable

from core.i18n import N_, Lang
from handlers import router
from handlers.invitations.actions import OpenPanel
from handlers.session_header import (
    ShowGroups,
    capital,
    load_session,
    session_choices,
    session_title,
    short_title,
)
from handlers.step import Turn, step
from services import invitations
from services.units import get_unit
from storage.models import Role
from ui.actions import Action
from ui.common import short_label
from ui.screen import Choice, Expect, Screen

LIST_LIMIT = 10


def _refusal(lang: Lang) -> Screen:
    return Screen.of(
        lang.t(
            "Only organisers (Ban Tổ chức, Văn phòng) send invitations. "
            "If you need this, ask your committee's organisers."
        )
    )


async def _sessions(turn: Turn, pick: Callable[[int], Action]) -> None:
    lang, tz = turn.lang, turn.settings.tz
    if Role.ORGANISER not in turn.me.roles:
        turn.show(_refusal(lang))
        return
    found = await invitations.managed_sessions(turn.ctx, turn.me.person, limit=LIST_LIMIT)
    if not found:
        turn.say(
            lang.t(
                "There is no session to invite people to yet: only sessions that have not "
                "started, of plans your units issued, are listed here."
            )
        )
        return
    hosts = {s.host_unit_id: (await get_unit(turn.ctx, s.host_unit_id)).name for s in found}
    lines = [lang.t("Choose the session:")]
    rows = []
    for n, session in enumerate(found, start=1):
        host = hosts[session.host_unit_id]
        lines.append(f"{n}. {capital(session_title(lang, session, host, tz))}")
        label = short_label(f"{n}. {short_title(lang, session, host)}")
        rows.append([Choice(label, pick(session.id))])  # type: ignore[arg-type]
    turn.show(Screen.of("\n".join(lines), rows=rows, expect=Expect.CHOICE))


@step
async def show_invitation_sessions(turn: Turn) -> None:
    await _sessions(turn, OpenPanel)


@step
async def show_category_sessions(turn: Turn) -> None:
    await _sessions(turn, ShowGroups)


@step(action=OpenPanel)
async def show_panel(turn: Turn, pressed: OpenPanel) -> None:
    """`inv:s:<session_id>`: what organisers do with one session."""
    lang = turn.lang
    session, plan, host = await load_session(turn.ctx, turn.me.person, pressed.session_id)
    text = "\n".join(
        [
            capital(session_title(lang, session, host.name, turn.settings.tz)),
            lang.t("Plan {plan}", plan=plan.number),
            "",
            lang.t("What would you like to do?"),
        ]
    )
    turn.show(Screen.of(text, rows=session_choices(lang, pressed.session_id)))


INVITATIONS = router.add(
    router.Action(
        key="invitations",
        label=N_("✉️ Invitations"),
        description=N_("Send invitations to a session, check-in and the roll"),
        commands=("giaymoi", "invitations"),
        callback=show_invitation_sessions,
        roles=frozenset({Role.ORGANISER}),
        menu_row=3,
    )
)
PARTICIPANTS = router.add(
    router.Action(
        key="participants",
        label=N_("👥 Participants"),
        description=N_("Who is invited to a session (participant groups)"),
        commands=("thanhphan", "participants"),
        callback=show_category_sessions,
        roles=frozenset({Role.ORGANISER}),
        menu_row=-1,
    )
)
router.press(OpenPanel, show_panel)
