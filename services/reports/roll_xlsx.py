"""The roll of a session as an XLSX workbook an office can print: title rows (plan, session,
host under its parent, day and time), one bordered row per invitee and guest, and a second
sheet with the counts per participant group.

Words are those of the whole bot: an invitation is answered "Xác nhận tham dự", "Báo vắng"
or not at all ("Chưa trả lời"); at the session a person is "Có mặt" or "Vắng mặt"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook

from core.i18n import N_, Lang, Msgid
from services import roll
from services.context import Ctx
from services.plans import SESSION_KIND_LABELS
from services.reports.heading import SessionHeading, session_heading, unit_phrase
from services.reports.sheets import (
    fit_columns,
    fit_rows,
    print_setup,
    write_table,
    write_title,
)
from services.roll import Counts, Roll, RollRow
from services.vn_datetime import VN_TZ, format_datetime_long, format_datetime_short
from storage.models import CheckinMethod, InvitationStatus, Person

ANSWERS: dict[InvitationStatus | None, Msgid] = {
    InvitationStatus.ACCEPTED: N_("Confirmed attendance"),
    InvitationStatus.DECLINED: N_("Sent apologies"),
    InvitationStatus.INVITED: N_("No answer"),
    None: N_("Guest (not invited)"),
}
PRESENT, NOT_PRESENT = N_("Present"), N_("Not present")
METHODS: dict[CheckinMethod, Msgid] = {
    CheckinMethod.QR: N_("QR code"),
    CheckinMethod.CODE: N_("Code"),
    CheckinMethod.MANUAL: N_("Organisers"),
    CheckinMethod.GUEST: N_("Guest"),
}
ROLL_HEADERS: tuple[Msgid, ...] = (
    N_("No."),
    N_("Full name"),
    N_("Position"),
    N_("Unit"),
    N_("Participant group"),
    N_("Answer to the invitation"),
    N_("Reason given"),
    N_("Attendance"),
    N_("Checked in at"),
    N_("Late"),
    N_("Check-in by"),
)
SUMMARY_HEADERS: tuple[Msgid, ...] = (
    N_("Participant group"),
    N_("Invited"),
    N_("Confirmed attendance"),
    N_("Sent apologies"),
    N_("No answer"),
    N_("Present"),
    N_("Not present"),
    N_("Late"),
    N_("Recorded by organisers"),
    N_("Guests"),
)


def title_lines(lang: Lang, heading: SessionHeading, title: str, now: datetime) -> list[str]:
    """The rows above a session's table: what, which plan, which session, when, as of."""
    kind = lang.t(SESSION_KIND_LABELS[heading.kind])
    lines = [
        title,
        lang.t("Plan {number}: {title}", number=heading.plan_number, title=heading.plan_title),
        lang.t(
            "Session: {kind} of {host}",
            kind=kind[:1].upper() + kind[1:],
            host=unit_phrase(lang, heading.host, heading.host_parent),
        ),
    ]
    when = format_datetime_long(heading.starts_at, lang.locale) if heading.starts_at else "—"
    if heading.venue:
        lines.append(lang.t("Time: {when}. Venue: {venue}", when=when, venue=heading.venue))
    else:
        lines.append(lang.t("Time: {when}", when=when))
    lines.append(lang.t("Figures as of {time}", time=format_datetime_short(now, lang.locale)))
    return lines


def _row(lang: Lang, number: int, row: RollRow) -> list[Any]:
    return [
        number,
        row.name,
        row.position,
        row.unit,
        row.category if row.category is not None else ("" if row.guest else lang.t("Other")),
        lang.t(ANSWERS[row.answer]),
        row.reason or "",
        lang.t(PRESENT if row.checked_in_at is not None else NOT_PRESENT),
        row.checked_in_at.astimezone(VN_TZ).replace(tzinfo=None) if row.checked_in_at else None,
        lang.t("Yes") if row.late else "",
        lang.t(METHODS[row.method]) if row.method is not None else "",
    ]


def _counts_row(label: str, counts: Counts, *, guests_only: bool = False) -> list[Any]:
    invitees_present = counts.checked_in - counts.guests
    return [
        label,
        counts.invited,
        counts.accepted,
        counts.declined,
        counts.no_answer,
        counts.checked_in,
        0 if guests_only else counts.invited - invitees_present,
        counts.late,
        counts.manual,
        counts.guests,
    ]


def summary_rows(lang: Lang, counts: Roll) -> list[list[Any]]:
    """Per participant group, the guests, and the total (which the rows above add up to)."""
    lines = [
        _counts_row(c.label if c.label is not None else lang.t("Other"), c.counts)
        for c in counts.categories
    ]
    totals = counts.totals
    if totals.guests:
        guests = Counts(
            checked_in=totals.guests,
            late=totals.late - sum(c.counts.late for c in counts.categories),
            manual=totals.manual - sum(c.counts.manual for c in counts.categories),
            guests=totals.guests,
        )
        lines.append(_counts_row(lang.t("Guests"), guests, guests_only=True))
    lines.append(_counts_row(lang.t("Total"), totals))
    return lines


def build_roll_xlsx(
    rows: Sequence[RollRow], counts: Roll, heading: SessionHeading, lang: Lang, now: datetime
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = lang.t("Roll")[:31]
    headers = [lang.t(h) for h in ROLL_HEADERS]
    top = write_title(sheet, title_lines(lang, heading, lang.t("ROLL OF THE SESSION"), now), 11)
    write_table(sheet, top, headers, [_row(lang, n, r) for n, r in enumerate(rows, 1)])
    fit_rows(sheet, top, fit_columns(sheet, top, len(headers)))
    print_setup(sheet, top)

    summary = book.create_sheet(lang.t("Summary")[:31])
    headers = [lang.t(h) for h in SUMMARY_HEADERS]
    top = write_title(
        summary, title_lines(lang, heading, lang.t("ROLL SUMMARY"), now), len(headers)
    )
    write_table(summary, top, headers, summary_rows(lang, counts), bold_last=True)
    fit_rows(summary, top, fit_columns(summary, top, len(headers)))
    print_setup(summary, top)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def roll_xlsx(ctx: Ctx, actor: Person | None, session_id: int, lang: Lang) -> bytes:
    """The session's roll (services.roll) for its readers."""
    rows = await roll.roll_rows(ctx, actor, session_id)
    counts = await roll.roll(ctx, actor, session_id)
    heading = await session_heading(ctx, session_id)
    return build_roll_xlsx(rows, counts, heading, lang, ctx.clock.now())
