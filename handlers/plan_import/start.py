"""Starting an import from a sent file, choosing the issuing unit, dropping parts, and
confirming (the only step that creates anything) or throwing the draft away."""

from __future__ import annotations

from typing import Any

from telegram.error import TelegramError

from core.i18n import N_, Lang, Msgid
from handlers.files import PENDING_FILES, ImportFile
from handlers.pickers import tree_items
from handlers.plan_import.actions import (
    CancelImport,
    Confirm,
    DropPart,
    IssuerPage,
    IssuerPicked,
    Part,
)
from handlers.plan_import.card import card_of, show_card
from handlers.plan_import.state import ImportCard, TypedValue
from handlers.step import Turn, step
from services import units
from services.notifications import render
from services.plan_import import MAX_FILE_BYTES, PlanImportError, extract_plan, read_plan_bytes
from services.plan_import.apply import ImportResult, apply_draft
from services.plan_import.hosts import match_issuer
from services.units import TreeRow
from storage.models import Role
from ui.actions import Action
from ui.common import paged, stale_screen
from ui.screen import Expect, Screen

ORGANISERS_ONLY = N_("Only organisers (Ban Tổ chức, Văn phòng) can import plans.")
READ_ERRORS: dict[str, Msgid] = {
    "not_found": N_("I could not get the file from Telegram. Please send it again."),
    "unsupported_type": N_(
        "I can read plans in Word (.docx), PDF (.pdf), Markdown (.md) or text (.txt) files. "
        "Please send the plan in one of these formats."
    ),
    "empty": N_("The file is empty. Please check it and send it again."),
    "binary": N_(
        "This file does not look like a text document. Please send the plan as .docx, .md or .txt."
    ),
    "too_large": N_(
        "The file is too large to be a plan (over 5 MB). Please send the plan document only."
    ),
    "unreadable": N_(
        "I could not read this file. Please save it again as .docx or .txt and send it."
    ),
    "no_plan_found": N_(
        "I found no plan in this document (no number, title, sessions or deadlines). Please check that it is a KẾ HOẠCH."
    ),
    "scanned_pdf": N_(
        "This PDF is a scanned image without text, and I cannot read scanned documents yet. "
        "Please send the Word (.docx) file of the plan, or a PDF saved from Word."
    ),
}


def read_error(lang: Lang, code: str) -> str:
    return lang.t(READ_ERRORS.get(code, READ_ERRORS["unreadable"]))


async def _managed(turn: Turn) -> list[TreeRow]:
    return await units.managed_tree(turn.ctx, turn.me.person) if turn.me.person else []


async def _read(turn: Turn, info: dict[str, Any]) -> Any:
    """The draft read from the pending file; a PlanImportError code (str) when it cannot be."""
    if int(info.get("file_size") or 0) > MAX_FILE_BYTES:
        return "too_large"
    try:
        telegram_file = await turn.context.bot.get_file(info["file_id"])
        data = bytes(await telegram_file.download_as_bytearray())
        draft = extract_plan(read_plan_bytes(data, info.get("file_name") or "plan.txt"))
    except PlanImportError as exc:
        return exc.code
    except TelegramError:
        return "not_found"
    return "no_plan_found" if draft.is_empty() else draft


@step(action=ImportFile)
async def start_import(turn: Turn, pressed: ImportFile) -> None:
    """`imp:<n>`: read the n-th file the person just sent and show the draft."""
    files: list[dict[str, Any]] = (turn.context.user_data or {}).get(PENDING_FILES) or []
    if pressed.slot >= len(files):
        turn.show(stale_screen(turn.lang))
        return
    rows = await _managed(turn)
    if not rows:
        turn.say(turn.lang.t(ORGANISERS_ONLY))
        return
    draft = await _read(turn, files[pressed.slot])
    if isinstance(draft, str):
        turn.say(read_error(turn.lang, draft))
        return
    candidates = [row.unit for row in rows if row.unit.kind != "cell"] or [rows[0].unit]
    issuer = match_issuer(candidates, [draft.issuer_clause, draft.issuer]) or candidates[0]
    card = ImportCard(draft, issuer.id)  # type: ignore[arg-type]
    turn.drop(TypedValue)
    turn.put(card)
    await show_card(turn, card)


@step(action=DropPart)
async def drop_part(turn: Turn, pressed: DropPart) -> None:
    """🗑 on the card: the card changes in place."""
    card = card_of(turn)
    if card is None:
        return
    sessions = pressed.part is Part.SESSION
    n = card.session(pressed.index) if sessions else card.deadline(pressed.index)
    if n is None:
        turn.show(stale_screen(turn.lang))
        return
    if sessions:
        card.drop_session(n)
    else:
        del card.draft.deadlines[n]
    await show_card(turn, card, replace=True)


async def _issuers(turn: Turn, page: int, *, flip: bool) -> None:
    if card_of(turn) is None:
        return
    keep = [r for r in await _managed(turn) if r.unit.kind != "cell"]
    items: list[tuple[str, Action]] = [
        (label, IssuerPicked(int(value))) for label, value in tree_items(keep)
    ]
    screen = Screen.of(
        turn.lang.t("Which unit issues this plan?"),
        rows=paged(turn.lang, items, page, IssuerPage),
        expect=Expect.CHOICE,
    )
    turn.show(screen.replacing() if flip else screen)


@step
async def pick_issuer(turn: Turn) -> None:
    await _issuers(turn, 0, flip=False)


@step(action=IssuerPage)
async def flip_issuers(turn: Turn, pressed: IssuerPage) -> None:
    await _issuers(turn, pressed.page, flip=True)


@step(action=IssuerPicked)
async def issuer_picked(turn: Turn, pressed: IssuerPicked) -> None:
    card = card_of(turn)
    if card is None:
        return
    if pressed.unit_id not in {row.unit.id for row in await _managed(turn)}:
        turn.show(stale_screen(turn.lang))
        return
    card.issuer = pressed.unit_id
    card.host_ids = []  # picked hosts belonged to the old tree
    card.fit_hosts()
    await show_card(turn, card)


def result_lines(lang: Lang, result: ImportResult) -> list[str]:
    lines = [
        lang.t(
            "Created draft plan {plan}: {sessions} sessions, {categories} participant groups, {requirements} requirements.",
            plan=result.plan.number,
            sessions=len(result.sessions),
            categories=result.categories,
            requirements=len(result.requirements),
        )
    ]
    if result.units_created:
        lines.append(
            lang.t(
                "New units added to the tree: {names}.",
                names=", ".join(u.name for u in result.units_created),
            )
        )
    for what, reason in result.skipped:
        line = "⚠ " + render(lang, what.msgid, what.params)
        if reason is not None:
            line += " " + render(lang, reason.msgid, reason.params)
        lines.append(line)
    lines.append(lang.t("Open 📋 Plans to review and issue it."))
    return lines


@step(action=Confirm)
async def confirm(turn: Turn, pressed: Confirm) -> None:
    card = card_of(turn)
    if card is None:
        return
    result = await apply_draft(
        turn.ctx,
        turn.me.person,  # type: ignore[arg-type]
        card.draft,
        card.issuer,
        card.host_ids,
    )
    turn.drop(ImportCard)
    turn.say("\n".join(result_lines(turn.lang, result)))


@step(action=CancelImport)
async def cancel_import(turn: Turn, pressed: CancelImport) -> None:
    """✖ on the draft card: the draft is thrown away; nothing was created."""
    turn.drop(ImportCard)
    turn.say(turn.lang.t("Stopped. Nothing was changed."))


@step
async def explain(turn: Turn) -> None:
    if Role.ORGANISER not in turn.me.roles:
        turn.say(turn.lang.t(ORGANISERS_ONLY))
        return
    turn.say(
        turn.lang.t(
            "Send me the KẾ HOẠCH as a file (.docx, .pdf, .md or .txt) in this chat, then choose "
            "“📥 Import as a new plan”. I will read the number, title, sessions, participants "
            "and deadlines for you to check and correct before anything is created."
        ),
        expect=Expect.FILE,
    )
