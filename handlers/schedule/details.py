"""Completing a session from its card: its venue, address, duration and topic (set or changed
at any time while it is open; the people concerned are told once and reminders are planned
anew by services.sessions), and, once its time has come, whether it took place (held, or not
held with a reason)."""

from __future__ import annotations

from core.i18n import N_, Msgid
from handlers import flow
from handlers.schedule import words
from handlers.schedule.actions import (
    Change,
    ChangeDraft,
    Detail,
    EditDetail,
    EditDetails,
    MarkHeld,
    MarkNotHeld,
    OpenSessionCard,
    SameAsVenue,
)
from handlers.schedule.changes import done_screen
from handlers.step import END, Turn, retry_if_invalid, step
from services import sessions
from services.errors import InvalidInput
from services.session_actions import card_actions
from services.units import get_unit
from ui.common import cancel_choice, stale_screen
from ui.screen import Choice, Expect, Screen

DETAIL_VALUE, NOT_HELD_REASON = 10, 11

DETAIL_LABELS: dict[Detail, Msgid] = {
    Detail.VENUE: N_("Venue"),
    Detail.ADDRESS: N_("Address"),
    Detail.DURATION: N_("Duration"),
    Detail.TOPIC: N_("Topic"),
}
ASK: dict[Detail, Msgid] = {
    Detail.VENUE: N_("Type the venue, for example: Hội trường Đảng ủy phường."),
    Detail.ADDRESS: N_(
        "Type the address of the venue, for example: Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội. "
        "Or tap “Same as the venue”."
    ),
    Detail.DURATION: N_("Type how long it lasts, in minutes, for example: 120."),
    Detail.TOPIC: N_("Type the topic, for example: Học tập và làm theo tư tưởng Hồ Chí Minh."),
}


async def _head(turn: Turn, session_id: int) -> str:
    session = await sessions.require_can_change(turn.ctx, turn.me.person, session_id)
    host = await get_unit(turn.ctx, session.host_unit_id)
    return turn.lang.t(
        "{kind} of “{host}”, {when}.",
        kind=words.kind_label(turn.lang, session.kind),
        host=host.name,
        when=words.when_label(turn.lang, sessions.when_of(session), turn.settings.tz),
    )


@step(action=EditDetails)
async def show_detail_menu(turn: Turn, pressed: EditDetails) -> None:
    lang = turn.lang
    head = await _head(turn, pressed.session_id)
    rows = [
        [Choice(lang.t(DETAIL_LABELS[d]), EditDetail(pressed.session_id, d))]
        for d in (Detail.VENUE, Detail.ADDRESS, Detail.DURATION, Detail.TOPIC)
    ]
    rows.append([Choice(lang.t("↩ Back to the session"), OpenSessionCard(pressed.session_id))])
    turn.show(Screen.of(head + "\n" + lang.t("What would you like to set or change?"), rows=rows))


@step(action=EditDetail, on_error=END)
async def begin_detail(turn: Turn, pressed: EditDetail) -> int:
    lang = turn.lang
    head = await _head(turn, pressed.session_id)
    flow.drop_all(turn.context)  # one typed step at a time
    turn.put(ChangeDraft(pressed.session_id, Change.DETAIL, detail=pressed.detail))
    rows = []
    if pressed.detail == Detail.ADDRESS:
        rows.append([Choice(lang.t("Same as the venue"), SameAsVenue(pressed.session_id))])
    rows.append([cancel_choice(lang)])
    expect = Expect.NUMBER if pressed.detail == Detail.DURATION else Expect.TEXT
    ask = lang.t(ASK[pressed.detail]) + "\n" + lang.t("Type /huy to stop.")
    turn.show(Screen.of(head + "\n" + ask, rows=rows, expect=expect))
    return DETAIL_VALUE


def _minutes(text: str) -> int:
    digits = text.strip().lower().removesuffix("phút").removesuffix("minutes").strip()
    if not digits.isdigit() or len(digits) > 4:
        raise InvalidInput(
            N_("Please give the expected length in minutes, for example: 120."),
        )
    return int(digits)


async def _change(turn: Turn, draft: ChangeDraft, value: str) -> int:
    detail = draft.detail
    if detail is None:
        return END
    fields: dict[str, object] = (
        {"duration_minutes": _minutes(value)}
        if detail == Detail.DURATION
        else {detail.value: value}
    )
    session = await sessions.get_session(turn.ctx, draft.session_id)
    before = (session.venue, session.address, session.duration_minutes, session.topic)
    outcome = await sessions.update_session(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        draft.session_id,
        **fields,  # type: ignore[arg-type]
    )
    after = outcome.value
    changed = before != (after.venue, after.address, after.duration_minutes, after.topic)
    if not changed:
        turn.drop(ChangeDraft)
        turn.show(
            Screen.of(
                turn.lang.t("Nothing changed: the session already has that."),
                rows=[[words.view_choice(turn.lang, draft.session_id)]],
            )
        )
        return END
    return await done_screen(turn, N_("Saved: the {kind} of “{host}” ({when})."), outcome)


@step(needs=ChangeDraft, on_error=retry_if_invalid, retry=N_("Please type it again, or /huy."))
async def detail_typed(turn: Turn, draft: ChangeDraft) -> int:
    return await _change(turn, draft, turn.text)


@step(action=SameAsVenue, needs=ChangeDraft, on_error=END)
async def same_as_venue(turn: Turn, pressed: SameAsVenue, draft: ChangeDraft) -> int | None:
    if pressed.session_id != draft.session_id or draft.detail != Detail.ADDRESS:
        turn.show(stale_screen(turn.lang))
        return None
    session = await sessions.get_session(turn.ctx, draft.session_id)
    return await _change(turn, draft, session.venue)


# --------------------------------------------------------------------------- held or not


@step(action=MarkHeld)
async def mark_held(turn: Turn, pressed: MarkHeld) -> None:
    outcome = await sessions.mark_held(turn.ctx, turn.me.person, pressed.session_id)  # type: ignore[arg-type]
    await done_screen(turn, N_("Marked as held: the {kind} of “{host}” ({when})."), outcome)


@step(action=MarkNotHeld, on_error=END)
async def begin_not_held(turn: Turn, pressed: MarkNotHeld) -> int:
    lang = turn.lang
    session = await sessions.get_visible_session(turn.ctx, turn.me.person, pressed.session_id)
    if not (await card_actions(turn.ctx, turn.me.person, session)).mark_not_held:
        turn.show(stale_screen(lang))
        return END
    flow.drop_all(turn.context)
    turn.put(ChangeDraft(pressed.session_id, Change.NOT_HELD))
    turn.show(
        Screen.of(
            lang.t(
                "Why did the session not take place? The people concerned will read the "
                "reason. Type it, for example: Hoãn vì mưa bão."
            )
            + "\n"
            + lang.t("Type /huy to stop."),
            rows=[[cancel_choice(lang)]],
            expect=Expect.TEXT,
        )
    )
    return NOT_HELD_REASON


@step(needs=ChangeDraft, on_error=retry_if_invalid)
async def not_held_reason_typed(turn: Turn, draft: ChangeDraft) -> int:
    outcome = await sessions.mark_not_held(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        draft.session_id,
        turn.text,
    )
    return await done_screen(
        turn, N_("Recorded: the {kind} of “{host}” ({when}) did not take place."), outcome
    )
