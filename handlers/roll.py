"""📋 The roll (danh sách) of a session for organisers and leaders: invited, answers (with the
reasons of those absent), checked in, late, no answer — in total and per participant group.

`roll:<id>` sends it; 🔄 (`roll:r:<id>`) replaces it in place; ✋ (`roll:m:<id>`, pages
`roll:mp:<id>:<page>`, a press `roll:mk:<id>:<person>:<page>`) records people present by hand;
📥 (`roll:x:<id>`) sends the XLSX export. Every press is re-checked by the services.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import BaseHandler

from core.i18n import Lang
from handlers import router
from handlers.session_header import OpenRoll, number, titled_session
from handlers.step import Turn, step
from services import checkin, reports, roll
from services.notifications import render
from services.roll import Counts, Roll
from services.vn_datetime import format_datetime_short
from storage.models import Person
from ui.actions import Action
from ui.common import paged
from ui.screen import Choice, Expect, FileAttachment, Screen

MAX_REASONS = 10  # reasons for absence shown per group before "… and N more"
TEXT_LIMIT = 4000  # the roll stays one message, so 🔄 can replace it in place
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class RefreshRoll(Action, prefix="roll:r"):
    session_id: int


@dataclass(frozen=True, slots=True)
class OpenManual(Action, prefix="roll:m"):
    session_id: int


@dataclass(frozen=True, slots=True)
class ManualPage(Action, prefix="roll:mp"):
    session_id: int
    page: int


@dataclass(frozen=True, slots=True)
class MarkPresent(Action, prefix="roll:mk"):
    session_id: int
    person_id: int
    page: int


@dataclass(frozen=True, slots=True)
class ExportRoll(Action, prefix="roll:x"):
    session_id: int


def answers_line(lang: Lang, c: Counts) -> str:
    return lang.t(
        "Invited {invited} · will attend {accepted} · absent {declined} · no answer {no_answer}",
        invited=number(lang, c.invited),
        accepted=number(lang, c.accepted),
        declined=number(lang, c.declined),
        no_answer=number(lang, c.no_answer),
    )


def roll_text(lang: Lang, title: str, found: Roll, updated: str) -> str:
    t = found.totals
    lines = [
        lang.t("📋 Roll: {title}", title=title),
        answers_line(lang, t),
        lang.t(
            "Checked in {checked_in} (late {late}, recorded by organisers {manual}, "
            "guests {guests})",
            checked_in=number(lang, t.checked_in),
            late=number(lang, t.late),
            manual=number(lang, t.manual),
            guests=number(lang, t.guests),
        ),
    ]
    if found.categories:
        lines += ["", lang.t("By participant group:")]
    for n, group in enumerate(found.categories, start=1):
        c = group.counts
        label = group.label if group.label is not None else lang.t("Other")
        lines += [
            f"{n}. {label}",
            "    " + answers_line(lang, c),
            "    "
            + lang.t(
                "checked in {checked_in} (late {late})",
                checked_in=number(lang, c.checked_in),
                late=number(lang, c.late),
            ),
        ]
        if group.reasons:
            shown = [f"{r.name} ({r.reason})" for r in group.reasons[:MAX_REASONS]]
            more = len(group.reasons) - len(shown)
            text = "; ".join(shown)
            if more:
                text += "; " + lang.t("… and {n} more", n=number(lang, more))
            lines.append("    " + lang.t("Absent: {names}", names=text))
    lines += ["", lang.t("Updated at {time}.", time=updated)]
    text = "\n".join(lines)
    if len(text) > TEXT_LIMIT:
        text = (
            text[: TEXT_LIMIT - 50] + "\n…\n" + lang.t("The full list is in the Excel file (📥).")
        )
    return text


def roll_choices(lang: Lang, session_id: int) -> list[list[Choice]]:
    return [
        [Choice(lang.t("🔄 Refresh"), RefreshRoll(session_id))],
        [Choice(lang.t("✋ Manual check-in"), OpenManual(session_id))],
        [Choice(lang.t("📥 Export to Excel"), ExportRoll(session_id))],
    ]


async def _roll_screen(turn: Turn, session_id: int) -> Screen:
    tz = turn.settings.tz
    found = await roll.roll(turn.ctx, turn.me.person, session_id)
    _session, title = await titled_session(turn.ctx, session_id, turn.lang, tz)
    updated = format_datetime_short(turn.clock.now(), turn.lang.locale, tz)
    return Screen.of(
        roll_text(turn.lang, title, found, updated), rows=roll_choices(turn.lang, session_id)
    )


async def _show_roll(turn: Turn, pressed: OpenRoll | RefreshRoll) -> None:
    """`roll:<session_id>`: the roll as a new message; 🔄 `roll:r:<session_id>`: the same
    message, as it is now (unchanged is fine)."""
    screen = await _roll_screen(turn, pressed.session_id)
    if isinstance(pressed, RefreshRoll):
        screen = screen.replacing().with_toast(turn.lang.t("Updated."))
    turn.show(screen)


show_roll = step(action=OpenRoll)(_show_roll)
refresh_roll = step(action=RefreshRoll)(_show_roll)


# --------------------------------------------------------------------------- manual check-in


async def _manual_screen(turn: Turn, session_id: int, page: int) -> Screen:
    lang = turn.lang
    rows = await roll.roll_rows(turn.ctx, turn.me.person, session_id)
    _session, title = await titled_session(turn.ctx, session_id, lang, turn.settings.tz)
    waiting = [r for r in rows if not r.guest and r.checked_in_at is None]
    items = [
        (
            r.name + (f" — {r.category}" if r.category else ""),
            MarkPresent(session_id, r.person_id, page),
        )
        for r in waiting
    ]
    choices = paged(lang, items, page, lambda n: ManualPage(session_id, n), cancel=False)
    choices.append([Choice(lang.t("📋 Back to the roll"), OpenRoll(session_id))])
    lines = [lang.t("✋ Manual check-in: {title}", title=title)]
    if waiting:
        lines.append(
            lang.t(
                "Not checked in yet: {n}. Tap a name to record that person as present.",
                n=number(lang, len(waiting)),
            )
        )
    else:
        lines.append(lang.t("Everyone invited has checked in."))
    return Screen.of("\n".join(lines), rows=choices, expect=Expect.CHOICE)


async def _show_manual(turn: Turn, pressed: OpenManual | ManualPage) -> None:
    """`roll:m:<session_id>`: the people not checked in yet, as a new message;
    `roll:mp:<session_id>:<page>`: another page, in place."""
    if isinstance(pressed, ManualPage):
        turn.show((await _manual_screen(turn, pressed.session_id, pressed.page)).replacing())
    else:
        turn.show(await _manual_screen(turn, pressed.session_id, 0))


show_manual = step(action=OpenManual)(_show_manual)
flip_manual = step(action=ManualPage)(_show_manual)


@step(action=MarkPresent)
async def mark_present(turn: Turn, pressed: MarkPresent) -> None:
    """`roll:mk:<session_id>:<person_id>:<page>`: recorded as present by the organiser."""
    lang = turn.lang
    outcome = await checkin.manual_check_in(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        pressed.session_id,
        pressed.person_id,
    )
    marked = await turn.ctx.session.get(Person, pressed.person_id)
    name = marked.full_name if marked is not None else ""
    if outcome.value.already:
        note = lang.t("{name} had already checked in.", name=name)
    else:
        note = lang.t("Recorded: {name} is present.", name=name)
    for warning in outcome.warnings:
        turn.say("⚠️ " + render(lang, warning.msgid, warning.params))
    screen = await _manual_screen(turn, pressed.session_id, pressed.page)
    turn.show(screen.replacing().with_toast(note))


# --------------------------------------------------------------------------- export


@step(action=ExportRoll)
async def export(turn: Turn, pressed: ExportRoll) -> None:
    """`roll:x:<session_id>`: the roll as an .xlsx document (headers in the user's language)."""
    lang, tz, session_id = turn.lang, turn.settings.tz, pressed.session_id
    data = await reports.roll_xlsx(turn.ctx, turn.me.person, session_id, lang)
    session, title = await titled_session(turn.ctx, session_id, lang, tz)
    day = session.starts_at.astimezone(tz).strftime("%Y%m%d") if session.starts_at else "x"
    turn.show(
        Screen.of(
            lang.t("📥 Roll: {title}", title=title),
            attachments=[FileAttachment(data, f"diem-danh-{session_id}-{day}.xlsx", XLSX)],
        )
    )


router.press(OpenRoll, show_roll)
router.press(RefreshRoll, refresh_roll)
router.press(OpenManual, show_manual)
router.press(ManualPage, flip_manual)
router.press(MarkPresent, mark_present)
router.press(ExportRoll, export)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return []
