"""/tonghop: the plans, a plan's summary with its charts, its sessions, a session's summary
with its chart, and the exports (roll and feedback as XLSX, the feedback report as DOCX)."""

from __future__ import annotations

import asyncio

from core.i18n import N_, Msgid
from handlers.step import Turn, step
from handlers.summaries.actions import (
    Export,
    ExportPressed,
    PlanPicked,
    PlansPage,
    SessionPicked,
    SessionsPage,
    ShowSettings,
)
from services import feedback, reports, summaries
from services.plans import get_plan
from services.vn_datetime import format_datetime_short
from storage.models import Plan
from ui.common import paged
from ui.screen import Choice, Expect, FileAttachment, ImageAttachment, Screen, column

# What each export is called in reports.file_name, its type and its caption.
_EXPORTS: dict[Export, tuple[str, str, Msgid]] = {
    Export.ROLL: ("roll", reports.XLSX_MIME, N_("The roll of the session.")),
    Export.FEEDBACK: (
        "feedback",
        reports.XLSX_MIME,
        N_("The delegates' feedback, one row each."),
    ),
    Export.PLAN_FEEDBACK: (
        "plan_feedback",
        reports.XLSX_MIME,
        N_("The delegates' feedback on every session of the plan."),
    ),
    Export.REPORT: (
        "report",
        reports.DOCX_MIME,
        N_("The feedback report, ready to edit, sign and send."),
    ),
}


# --------------------------------------------------------------------------- plans


async def _plans(turn: Turn, page: int, *, flip: bool) -> None:
    lang = turn.lang
    choices = await summaries.plans_for(turn.ctx, turn.me.person)
    if not choices:
        turn.say(
            lang.t(
                "Summaries are for the organisers and leaders of the committee that issued a "
                "plan. If you need one, please ask them."
            )
        )
        return
    items = [(f"{c.plan.number} — {c.plan.title}", PlanPicked(c.plan.id)) for c in choices]  # type: ignore[arg-type]
    screen = Screen.of(
        lang.t("Which plan do you want a summary of?"),
        rows=paged(lang, items, page, PlansPage),
        expect=Expect.CHOICE,
    )
    turn.show(screen.replacing() if flip else screen)


@step
async def show_plans(turn: Turn) -> None:
    """/tonghop: the plans the person may read a summary of."""
    await _plans(turn, 0, flip=False)


@step(action=PlansPage)
async def plans_page(turn: Turn, pressed: PlansPage) -> None:
    await _plans(turn, pressed.page, flip=True)


@step(action=PlanPicked)
async def plan_picked(turn: Turn, pressed: PlanPicked) -> None:
    """The plan's summary and charts (when the person reads the whole plan), then its sessions
    to choose from."""
    me, plan_id = turn.me, pressed.plan_id
    plan = await get_plan(turn.ctx, plan_id)
    full = await summaries.can_read_plan(turn.ctx, me.person, plan)
    summary = await summaries.plan_summary(turn.ctx, me.person, plan_id) if full else None  # type: ignore[arg-type]
    manager = await feedback.can_configure(turn.ctx, me.person, plan)
    sessions = await summaries.sessions_for(turn.ctx, me.person, plan_id)
    lang = turn.lang
    if summary is not None:
        choices = [
            Choice(
                lang.t("📄 Feedback of the whole plan (XLSX)"),
                ExportPressed(Export.PLAN_FEEDBACK, plan_id),
            )
        ]
        if manager:
            choices.append(Choice(lang.t("⚙️ Scoring and feedback settings"), ShowSettings(plan_id)))
        turn.show(Screen.of(summaries.render_plan_summary(lang, summary), rows=column(choices)))
        pictures = await asyncio.to_thread(
            lambda: (
                summaries.plan_attendance_chart(lang, summary),
                summaries.plan_ratings_chart(lang, summary),
            )
        )
        for png in pictures:
            if png is not None:
                turn.show(Screen(text="", attachments=(ImageAttachment(png),)))
    _session_picker(turn, plan, sessions, 0, flip=False)


def _session_picker(
    turn: Turn, plan: Plan, sessions: list[summaries.SessionChoice], page: int, *, flip: bool
) -> None:
    lang = turn.lang
    if not sessions:
        turn.say(lang.t("No session of this plan has taken place yet."))
        return
    tz = turn.settings.tz
    plan_id = plan.id
    assert plan_id is not None
    items = [
        (
            f"{c.host}, {format_datetime_short(c.session.starts_at, lang.locale, tz)}",  # type: ignore[arg-type]
            SessionPicked(plan_id, c.session.id),  # type: ignore[arg-type]
        )
        for c in sessions
    ]
    screen = Screen.of(
        lang.t("Choose a session of plan {plan} to see its summary:", plan=plan.number),
        rows=paged(lang, items, page, lambda n: SessionsPage(plan_id, "page", n)),
        expect=Expect.CHOICE,
    )
    turn.show(screen.replacing() if flip else screen)


@step(action=SessionsPage)
async def sessions_page(turn: Turn, pressed: SessionsPage) -> None:
    plan = await get_plan(turn.ctx, pressed.plan_id)
    sessions = await summaries.sessions_for(turn.ctx, turn.me.person, pressed.plan_id)
    _session_picker(turn, plan, sessions, pressed.page, flip=True)


# --------------------------------------------------------------------------- a session


@step(action=SessionPicked)
async def session_picked(turn: Turn, pressed: SessionPicked) -> None:
    """The session's summary, its chart and the exports."""
    session_id = pressed.session_id
    summary = await summaries.session_summary(turn.ctx, turn.me.person, session_id)
    lang = turn.lang
    exports = column(
        [
            Choice(lang.t("📋 Roll (XLSX)"), ExportPressed(Export.ROLL, session_id)),
            Choice(
                lang.t("📄 Delegates' feedback (XLSX)"), ExportPressed(Export.FEEDBACK, session_id)
            ),
            Choice(lang.t("📝 Feedback report (DOCX)"), ExportPressed(Export.REPORT, session_id)),
        ]
    )
    text = summaries.render_session_summary(lang, summary)
    chart = await asyncio.to_thread(summaries.session_ratings_chart, lang, summary)
    if chart is None:
        turn.show(Screen.of(text, rows=exports))
        return
    turn.say(text)
    turn.show(Screen.of("", rows=exports, attachments=[ImageAttachment(chart)]))


# --------------------------------------------------------------------------- exports


@step(action=ExportPressed)
async def export_pressed(turn: Turn, pressed: ExportPressed) -> None:
    """Build the file and send it."""
    me, lang, ident = turn.me, turn.lang, pressed.ident
    if pressed.what == Export.ROLL:
        data = await reports.roll_xlsx(turn.ctx, me.person, ident, lang)
    elif pressed.what == Export.FEEDBACK:
        data = await reports.feedback_xlsx(turn.ctx, me.person, lang, session_id=ident)
    elif pressed.what == Export.PLAN_FEEDBACK:
        data = await reports.feedback_xlsx(turn.ctx, me.person, lang, plan_id=ident)
    else:
        data = await reports.summary_docx(turn.ctx, me.person, ident, lang)
    kind, mime, caption = _EXPORTS[pressed.what]
    name = reports.file_name(kind, ident)
    turn.show(
        Screen.of(
            lang.t(caption),
            attachments=[FileAttachment(data, name, mime)],
            toast=lang.t("Preparing the file…"),
        )
    )
