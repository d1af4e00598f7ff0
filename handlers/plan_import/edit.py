"""Fixing one session or deadline of the draft: its kind, host (an existing unit, paged, or a
typed name), time, venue and address; adding a session the reading missed; a deadline's day
and text. Nothing is created here: the draft changes, and the card is shown again."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from core.i18n import Lang
from handlers.pickers import tree_items
from handlers.plan_import.actions import (
    AskDeadlineValue,
    AskSessionValue,
    BackToCard,
    DeadlineField,
    HostPage,
    HostPicked,
    NewSession,
    OpenDeadline,
    OpenSession,
    PickHost,
    SessionField,
    SetKind,
)
from handlers.plan_import.card import KIND_NAMES, card_of, host_text, show_card, when_text
from handlers.plan_import.state import ImportCard
from handlers.step import Turn, step
from services import units
from services.plan_import import SessionDraft
from services.plan_import.apply import draft_hosts
from services.plan_import.hosts import HostMatch
from services.units import TreeRow
from services.vn_datetime import format_date_long
from storage.models import SessionKind
from ui.actions import Action
from ui.common import paged, stale_screen
from ui.screen import Choice, Expect, Screen


def _back(lang: Lang) -> list[Choice]:
    return [Choice(lang.t("↩ Back to the draft"), BackToCard())]


# --------------------------------------------------------------------------- screens


def session_menu(
    lang: Lang, n: int, session: SessionDraft, match: HostMatch, tz: ZoneInfo
) -> Screen:
    none = "—"
    lines = [
        lang.t("Session {n}: {kind}", n=n + 1, kind=lang.t(KIND_NAMES[session.kind])),
        lang.t("Host: {value}", value=host_text(lang, session, match)),
        lang.t("Time: {value}", value=when_text(lang, session, tz)),
        lang.t("Venue: {value}", value=session.venue or none),
        lang.t("Address: {value}", value=session.address or none),
    ]
    if session.kind != "thuong_ky":
        lines.append(lang.t("Topic: {value}", value=session.topic or none))
    lines += ["", lang.t("What would you like to change?")]
    kinds = [
        Choice(
            ("✓ " if kind == session.kind else "") + lang.t(label), SetKind(n, SessionKind(kind))
        )
        for kind, label in KIND_NAMES.items()
    ]
    rows = [
        kinds,
        [
            Choice(lang.t("🏛 Host"), PickHost(n)),
            Choice(lang.t("🗓 Time"), AskSessionValue(SessionField.WHEN, n)),
        ],
        [
            Choice(lang.t("📍 Venue"), AskSessionValue(SessionField.VENUE, n)),
            Choice(lang.t("🏠 Address"), AskSessionValue(SessionField.ADDRESS, n)),
        ],
    ]
    if session.kind != "thuong_ky":
        rows.append([Choice(lang.t("✏️ Topic"), AskSessionValue(SessionField.TOPIC, n))])
    rows.append(_back(lang))
    return Screen.of("\n".join(lines), rows=rows, expect=Expect.CHOICE)


def host_picker(lang: Lang, n: int, tree: list[TreeRow], page: int) -> Screen:
    """The issuer's tree a page at a time, typing a name, and the way back."""
    items: list[tuple[str, Action]] = [
        (label, HostPicked(n, int(value))) for label, value in tree_items(tree)
    ]
    rows = paged(lang, items, page, lambda p: HostPage(n, "page", p), cancel=False)
    type_name = lang.t("✏️ Type the name of a new unit")
    rows += [[Choice(type_name, AskSessionValue(SessionField.HOST, n))], _back(lang)]
    text = lang.t(
        "Which unit hosts session {n}? Pick it from the tree, or type a new name.", n=n + 1
    )
    return Screen.of(text, rows=rows, expect=Expect.CHOICE)


def kind_picker(lang: Lang) -> Screen:
    rows = [
        [Choice(lang.t(label), NewSession(SessionKind(kind)))] for kind, label in KIND_NAMES.items()
    ]
    rows.append(_back(lang))
    return Screen.of(
        lang.t("What kind of session do you want to add?"), rows=rows, expect=Expect.CHOICE
    )


def deadline_menu(lang: Lang, n: int, due: str, what: str) -> Screen:
    text = "\n".join(
        [
            lang.t("Deadline {n}: {due}", n=n + 1, due=due),
            what or "—",
            "",
            lang.t("What would you like to change?"),
        ]
    )
    rows = [
        [
            Choice(lang.t("🗓 Day"), AskDeadlineValue(DeadlineField.DUE, n)),
            Choice(lang.t("✏️ What is due"), AskDeadlineValue(DeadlineField.WHAT, n)),
        ],
        _back(lang),
    ]
    return Screen.of(text, rows=rows, expect=Expect.CHOICE)


# --------------------------------------------------------------------------- presses


async def show_session(turn: Turn, card: ImportCard, n: int, *, replace: bool = False) -> None:
    hosts = await draft_hosts(turn.ctx, card.draft, card.issuer, card.host_ids)
    screen = session_menu(turn.lang, n, card.draft.sessions[n], hosts[n], turn.settings.tz)
    turn.show(screen.replacing() if replace else screen)


def _session(turn: Turn, index: int) -> tuple[ImportCard, int] | None:
    """The card and the session `index` of it, if both still exist (else the press is told
    it is no longer active)."""
    card = card_of(turn)
    if card is None:
        return None
    n = card.session(index)
    if n is None:
        turn.show(stale_screen(turn.lang))
        return None
    return card, n


@step(action=OpenSession)
async def open_session(turn: Turn, pressed: OpenSession) -> None:
    found = _session(turn, pressed.index)
    if found is not None:
        await show_session(turn, *found)


@step(action=SetKind)
async def set_kind(turn: Turn, pressed: SetKind) -> None:
    """A kind ticked on the session's menu: the menu changes in place."""
    found = _session(turn, pressed.index)
    if found is None:
        return
    card, n = found
    session = card.draft.sessions[n]
    session.kind = pressed.kind.value  # type: ignore[assignment]
    if pressed.kind == SessionKind.THUONG_KY:
        session.topic = None
    await show_session(turn, card, n, replace=True)


async def _hosts(turn: Turn, index: int, page: int, *, flip: bool) -> None:
    found = _session(turn, index)
    if found is None:
        return
    card, n = found
    tree = await units.subtree_rows(turn.ctx, card.issuer)
    screen = host_picker(turn.lang, n, tree, page)
    turn.show(screen.replacing() if flip else screen)


@step(action=PickHost)
async def pick_host(turn: Turn, pressed: PickHost) -> None:
    await _hosts(turn, pressed.index, 0, flip=False)


@step(action=HostPage)
async def flip_hosts(turn: Turn, pressed: HostPage) -> None:
    await _hosts(turn, pressed.index, pressed.page, flip=True)


@step(action=HostPicked)
async def host_picked(turn: Turn, pressed: HostPicked) -> None:
    """An existing unit of the issuer's tree hosts the session."""
    found = _session(turn, pressed.index)
    if found is None:
        return
    card, n = found
    inside = {row.unit.id: row.unit for row in await units.subtree_rows(turn.ctx, card.issuer)}
    unit = inside.get(pressed.unit_id)
    if unit is None:
        turn.show(stale_screen(turn.lang))
        return
    session = card.draft.sessions[n]
    session.host, session.host_parent = unit.name, None
    card.host_ids[n] = unit.id
    await show_session(turn, card, n)


@step
async def add_session(turn: Turn) -> None:
    if card_of(turn) is not None:
        turn.show(kind_picker(turn.lang))


@step(action=NewSession)
async def new_session(turn: Turn, pressed: NewSession) -> None:
    """An empty session of that kind, opened for its facts."""
    card = card_of(turn)
    if card is None:
        return
    card.draft.sessions.append(SessionDraft(kind=pressed.kind.value))  # type: ignore[arg-type]
    card.host_ids.append(None)
    await show_session(turn, card, len(card.draft.sessions) - 1)


@step(action=OpenDeadline)
async def open_deadline(turn: Turn, pressed: OpenDeadline) -> None:
    card = card_of(turn)
    n = card.deadline(pressed.index) if card is not None else None
    if card is None or n is None:
        if card is not None:
            turn.show(stale_screen(turn.lang))
        return
    deadline = card.draft.deadlines[n]
    due = format_date_long(deadline.due, turn.lang.locale, turn.settings.tz)
    turn.show(deadline_menu(turn.lang, n, due, deadline.what))


@step
async def back_to_card(turn: Turn) -> None:
    card = card_of(turn)
    if card is not None:
        await show_card(turn, card)
