"""👤 The named people of a participant group: everyone on the assistant in the organiser's units,
a page at a time (turned in place); a tap names or un-names a person (✓ = named)."""

from __future__ import annotations

from handlers import router
from handlers.invitations.actions import OpenPeople, PeoplePage, TogglePerson
from handlers.invitations.groups import category_of
from handlers.session_header import ShowGroups, load_session
from handlers.step import Turn, step
from services import participants
from ui.common import page_count, paged
from ui.screen import Choice, Expect, Screen


async def people_screen(turn: Turn, session_id: int, category_id: int, page: int) -> Screen:
    lang, ctx, person = turn.lang, turn.ctx, turn.me.person
    session, plan, _host = await load_session(ctx, person, session_id)
    category = await category_of(ctx, session, category_id)
    everyone = await participants.candidates(ctx, person, plan.id)  # type: ignore[arg-type]
    named = await participants.named_ids(ctx, category_id)
    page = min(max(page, 0), page_count(len(everyone)) - 1)  # the page a toggle comes back to
    items = [
        (
            ("✓ " if p.id in named else "")
            + p.full_name
            + (f" — {p.position}" if p.position else ""),
            TogglePerson(session_id, category_id, p.id, page),  # type: ignore[arg-type]
        )
        for p in everyone
    ]
    rows = paged(lang, items, page, lambda n: PeoplePage(session_id, category_id, n), cancel=False)
    rows.append([Choice(lang.t("✅ Done ({n})", n=len(named)), ShowGroups(session_id))])
    text = lang.t(
        "Pick the people of “{label}” (tap to add or remove; ✓ = chosen). Chosen: {n}.",
        label=category.label,
        n=len(named),
    )
    if not everyone:
        text += "\n" + lang.t("Nobody is on the assistant in your units yet.")
    return Screen.of(text, rows=rows, expect=Expect.CHOICE)


async def _show_people(turn: Turn, pressed: OpenPeople | PeoplePage) -> None:
    """`pc:pl:<sid>:<cid>:<page>`: the picker, as a new message; `pc:pp:…`: another page, in
    place (the page shown: nothing changes, the press is acknowledged quietly)."""
    screen = await people_screen(turn, pressed.session_id, pressed.category_id, pressed.page)
    turn.show(screen.replacing() if isinstance(pressed, PeoplePage) else screen)


open_people = step(action=OpenPeople)(_show_people)
flip_people = step(action=PeoplePage)(_show_people)


@step(action=TogglePerson)
async def toggle_person(turn: Turn, pressed: TogglePerson) -> None:
    """`pc:pt:<sid>:<cid>:<pid>:<page>`: name or un-name a person."""
    actor = turn.me.person
    if pressed.person_id in await participants.named_ids(turn.ctx, pressed.category_id):
        await participants.remove_person(turn.ctx, actor, pressed.category_id, pressed.person_id)  # type: ignore[arg-type]
    else:
        await participants.add_people(turn.ctx, actor, pressed.category_id, [pressed.person_id])  # type: ignore[arg-type]
    screen = await people_screen(turn, pressed.session_id, pressed.category_id, pressed.page)
    turn.show(screen.replacing())


router.press(OpenPeople, open_people)
router.press(PeoplePage, flip_people)
router.press(TogglePerson, toggle_person)
