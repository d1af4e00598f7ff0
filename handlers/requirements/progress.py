"""/tiendo (/progress): who has delivered what each plan asks, and who is late. Stateless
(`prog:…`); 🔄 Refresh replaces the table in place, however many messages it takes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.i18n import Lang
from handlers.plans import plan_label
from handlers.plans.actions import ShowProgress
from handlers.step import Turn, step
from services import plans, requirements
from services.requirements import ProgressRow
from services.vn_datetime import format_datetime_short
from storage.models import Plan, SessionKind, TargetStatus
from ui.actions import Action
from ui.common import paged
from ui.screen import Choice, Screen


@dataclass(frozen=True, slots=True)
class ProgressPage(Action, prefix="prog:page"):
    page: int


@dataclass(frozen=True, slots=True)
class RefreshProgress(Action, prefix="prog:r"):
    plan_id: int


def missing_text(lang: Lang, row: ProgressRow) -> str:
    """What a unit still owes: “1 thematic session”, “the document”."""
    if row.missing_document:
        return lang.t("the document")
    parts = []
    for kind, n in row.missing.items():
        if kind == SessionKind.THUONG_KY:
            parts.append(lang.nt("{n} regular session", "{n} regular sessions", n))
        elif kind == SessionKind.CHUYEN_DE:
            parts.append(lang.nt("{n} thematic session", "{n} thematic sessions", n))
        else:
            parts.append(lang.nt("{n} workshop", "{n} workshops", n))
    return ", ".join(parts)


def _short(moment: datetime) -> str:
    return format_datetime_short(moment, "vi")


def _row_line(lang: Lang, row: ProgressRow) -> str:
    if row.status == TargetStatus.SUBMITTED:
        when = _short(row.submitted_at) if row.submitted_at else ""
        line = lang.t("✅ {unit} — delivered {when}", unit=row.unit_name, when=when)
        if row.submitted_late:
            line += " " + lang.t("(late)")
        return line
    if row.status == TargetStatus.LATE:
        line = lang.t("❗ {unit} — overdue", unit=row.unit_name)
    else:
        line = lang.t("⏳ {unit} — not due yet", unit=row.unit_name)
    missing = missing_text(lang, row)
    return line + ("; " + lang.t("missing: {what}", what=missing) if missing else "")


def progress_lines(lang: Lang, plan: Plan, rows: list[ProgressRow], now: datetime) -> list[str]:
    done = sum(r.status == TargetStatus.SUBMITTED for r in rows)
    late = sum(r.status == TargetStatus.LATE for r in rows)
    lines = [
        lang.t("📊 Progress of plan {plan} (at {time})", plan=plan.number, time=_short(now)),
        lang.t(
            "Delivered: {done}/{total} · Overdue: {late}", done=done, total=len(rows), late=late
        ),
    ]
    if not rows:
        lines.append(lang.t("The plan asks nothing of any unit yet."))
    current: int | None = None
    for row in rows:
        if row.requirement_id != current:
            current = row.requirement_id
            due = row.due_on.strftime("%d/%m/%Y")
            lines += ["", lang.t("📌 {text} — due {due}", text=row.description, due=due)]
        lines.append(_row_line(lang, row))
    return lines


async def _plans(turn: Turn, page: int) -> Screen:
    found = await requirements.progress_plans(turn.ctx, turn.me.person)
    lang = turn.lang
    if not found:
        return Screen.of(
            lang.t(
                "There is no plan whose progress you can see. Organisers and leaders see the "
                "progress of the plans of their units."
            )
        )
    items = [(plan_label(lang, p), ShowProgress(p.id)) for p in found]  # type: ignore[arg-type]
    return Screen.of(
        lang.t("Progress of which plan?"), rows=paged(lang, items, page, ProgressPage, cancel=False)
    )


@step
async def choose_plan(turn: Turn) -> None:
    """/tiendo or the menu button."""
    turn.show(await _plans(turn, 0))


@step(action=ProgressPage)
async def flip_plans(turn: Turn, pressed: ProgressPage) -> None:
    turn.show((await _plans(turn, pressed.page)).replacing())


async def _table(turn: Turn, plan_id: int) -> Screen:
    plan = await plans.get_visible_plan(turn.ctx, turn.me.person, plan_id)
    rows = await requirements.progress(turn.ctx, turn.me.person, plan_id)  # type: ignore[arg-type]
    lines = progress_lines(turn.lang, plan, rows, turn.clock.now())
    refresh = Choice(turn.lang.t("🔄 Refresh"), RefreshProgress(plan_id))
    return Screen.of("\n".join(lines), rows=[[refresh]])


@step(action=ShowProgress)
async def show_progress(turn: Turn, pressed: ShowProgress) -> None:
    """The table (the renderer splits it into as many messages as it needs)."""
    turn.show(await _table(turn, pressed.plan_id))


@step(action=RefreshProgress)
async def refresh_progress(turn: Turn, pressed: RefreshProgress) -> None:
    """The same messages now say what is true now."""
    table = await _table(turn, pressed.plan_id)
    turn.show(table.replacing().with_toast(turn.lang.t("Updated.")))
