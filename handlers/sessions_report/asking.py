"""/dangky: asking the first missing detail (choosing alone what has one possible value), the
summary to confirm, and the list of details to change."""

from __future__ import annotations

from core.i18n import N_, Lang, Msgid
from handlers.schedule.words import detail_lines, kind_label
from handlers.sessions_report.draft import (
    DURATIONS,
    STATE,
    TEXT_STEPS,
    DetailPicked,
    KindPicked,
    PageTurned,
    Pick,
    Picked,
    Pressed,
    ReportDraft,
    Step,
    Verb,
)
from handlers.step import END, Turn
from services import plans, sessions
from services.units import get_unit
from ui.actions import Action
from ui.common import paged
from ui.screen import Choice, Expect, Screen

FIELD_BUTTONS: dict[Step, Msgid] = {
    Step.PLAN: N_("Plan"),
    Step.HOST: N_("Host unit"),
    Step.KIND: N_("Kind"),
    Step.TOPIC: N_("Topic"),
    Step.WHEN: N_("Day and time"),
    Step.DURATION: N_("Duration"),
    Step.VENUE: N_("Venue"),
    Step.ADDRESS: N_("Address"),
}
QUESTIONS: dict[Step, Msgid] = {
    Step.TOPIC: N_(
        "Type the topic of the thematic session, for example: "
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."
    ),
    Step.WHEN: N_(
        "When is the session? Type the day and time, for example: 28/3 8h or 8h30 ngày mai.\n"
        "If only the month is known yet, type the month, for example: dự kiến tháng 5."
    ),
    Step.VENUE: N_("Where is it held? Type the venue, for example: Hội trường Đảng ủy."),
    Step.ADDRESS: N_(
        "Type the address of the venue, for example: Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội. "
        "Or tap “Same as the venue”."
    ),
}


def _cancel_row(lang: Lang, draft: ReportDraft) -> list[Choice]:
    return [Choice(lang.t("✖ Cancel"), Pressed(draft.nonce, Verb.STOP))]


def _closing_rows(lang: Lang, draft: ReportDraft, step: Step) -> list[list[Choice]]:
    """ "Keep as it was" while this detail is being changed from the summary, and ✖."""
    rows = []
    if draft.editing == step:
        rows.append([Choice(lang.t("↩ Keep as it was"), Pressed(draft.nonce, Verb.KEEP))])
    return [*rows, _cancel_row(lang, draft)]


async def plan_items(turn: Turn) -> list[tuple[str, int]]:
    person = turn.me.person
    found = await sessions.plans_person_can_report_in(turn.ctx, person) if person else []
    return [(f"{p.number} — {p.title}", p.id) for p in found]  # type: ignore[misc]


async def host_items(turn: Turn, plan_id: int, within: int | None = None) -> list[tuple[str, int]]:
    """The units the person may report for in the plan (under `within` when given)."""
    person = turn.me.person
    found = await sessions.hosts_for_plan(turn.ctx, person, plan_id) if person else []
    if within is not None:
        inside = await plans.subtree_ids(turn.ctx, [within])
        found = [u for u in found if u.id in inside]
    return [(u.name, u.id) for u in found]  # type: ignore[misc]


def picker_rows(
    turn: Turn, draft: ReportDraft, step: Step, items: list[tuple[str, int]], page: int = 0
) -> list[list[Choice]]:
    """A paged picker of plans or hosts whose ✖ is this run's."""
    nonce, what = draft.nonce, Pick.PLAN if step == Step.PLAN else Pick.HOST
    actions: list[tuple[str, Action]] = [
        (label, Picked(nonce, what, value)) for label, value in items
    ]
    flip = lambda n: PageTurned(nonce, what, "page", n)  # noqa: E731
    rows = paged(turn.lang, actions, page, flip, cancel=False)
    return rows + _closing_rows(turn.lang, draft, step)


async def ask(turn: Turn, draft: ReportDraft, note: str = "") -> int:
    """Ask the first missing answer (choosing alone what has one possible value), or show the
    summary. Returns the conversation state of the question asked."""
    lang = turn.lang
    head = (note + "\n") if note else ""
    step = Step.EDIT if draft.step == Step.EDIT else draft.next_step()
    rows: list[list[Choice]] = []
    if step in (Step.PLAN, Step.HOST):
        if step == Step.PLAN:
            items = await plan_items(turn)
        else:
            items = await host_items(turn, draft.plan, draft.within)  # type: ignore[arg-type]
        if len(items) == 1 and draft.editing != step:
            draft.set(step, items[0][1])
            if step == Step.PLAN:
                draft.single_plan = True
            else:
                draft.single_host = True
            return await ask(turn, draft, note)
        draft.step = step
        if not items:
            turn.drop(ReportDraft)
            turn.say(
                head
                + (
                    lang.t("There is no plan you can report sessions in now.")
                    if step == Step.PLAN
                    else lang.t("None of your units can host a session of this plan.")
                )
            )
            return END
        question = (
            lang.t("Which plan is the session for?")
            if step == Step.PLAN
            else lang.t("Which unit hosts the session?")
        )
        rows = picker_rows(turn, draft, step, items)
        turn.show(Screen.of(head + question, rows=rows, expect=Expect.CHOICE))
    elif step == Step.KIND:
        draft.step = step
        host = await get_unit(turn.ctx, draft.host)  # type: ignore[arg-type]
        plan = await plans.get_plan(turn.ctx, draft.plan)  # type: ignore[arg-type]
        rows = [
            [Choice(kind_label(lang, k), KindPicked(draft.nonce, "kind", k))]
            for k in sessions.kinds_for_host(host)
        ]
        text = (
            head
            + lang.t("Plan {plan}, “{host}”.", plan=plan.number, host=host.name)
            + "\n"
            + lang.t("What kind of session is it?")
        )
        turn.show(
            Screen.of(text, rows=rows + _closing_rows(lang, draft, step), expect=Expect.CHOICE)
        )
    elif step == Step.DURATION:
        draft.step = step
        choices = [
            Choice(lang.t("{n} minutes", n=n), Picked(draft.nonce, Pick.DURATION, n))
            for n in DURATIONS
        ]
        turn.show(
            Screen.of(
                head + lang.t("How long will the session last?"),
                rows=[choices[:2], choices[2:], *_closing_rows(lang, draft, step)],
                expect=Expect.CHOICE,
            )
        )
    elif step in TEXT_STEPS:
        draft.step = step
        if step == Step.ADDRESS:
            rows.append([Choice(lang.t("Same as the venue"), Pressed(draft.nonce, Verb.SAME))])
        turn.show(
            Screen.of(
                head + lang.t(QUESTIONS[step]),
                rows=rows + _closing_rows(lang, draft, step),
                expect=Expect.DATE if step == Step.WHEN else Expect.TEXT,
            )
        )
    elif step == Step.EDIT:
        rows = [
            [Choice(lang.t(FIELD_BUTTONS[f]), DetailPicked(draft.nonce, "ef", f))]
            for f in draft.needed()
            if not (f == Step.PLAN and draft.single_plan)
            and not (f == Step.HOST and draft.single_host)
        ]
        rows.append([Choice(lang.t("↩ Back to the summary"), Pressed(draft.nonce, Verb.BACK))])
        turn.show(
            Screen.of(
                head + lang.t("Which detail do you want to change?"),
                rows=[*rows, _cancel_row(lang, draft)],
                expect=Expect.CHOICE,
            )
        )
    else:
        draft.step = Step.CONFIRM
        turn.show(await _summary(turn, draft, head))
    return STATE[draft.step]


async def _summary(turn: Turn, draft: ReportDraft, head: str) -> Screen:
    lang = turn.lang
    plan = await plans.get_plan(turn.ctx, draft.plan)  # type: ignore[arg-type]
    host = await get_unit(turn.ctx, draft.host)  # type: ignore[arg-type]
    lines = [lang.t("Please check the session before it is saved:")]
    lines += detail_lines(
        lang,
        turn.settings.tz,
        plan=plan.number,
        kind=draft.kind,
        topic=draft.topic,
        host=host.name,
        when=draft.when_value(),
        duration=draft.duration,
        venue=draft.venue,
        address=draft.address,
    )
    return Screen.of(
        head + "\n".join(lines),
        rows=[
            [
                Choice(lang.t("✅ Confirm"), Pressed(draft.nonce, Verb.CONFIRM)),
                Choice(lang.t("✏️ Change"), Pressed(draft.nonce, Verb.CHANGE)),
            ],
            _cancel_row(lang, draft),
        ],
        expect=Expect.CHOICE,
    )
