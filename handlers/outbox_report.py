"""/hangdoi (/outbox): organisers see what the bot has sent, is waiting to send, and failed."""

from __future__ import annotations

from telegram.ext import BaseHandler

from core.i18n import N_, Msgid
from handlers import router
from handlers.step import Turn, step
from services import outbox
from services.read.org import subtree_ids, unit_ids_with_role
from services.units import get_unit
from services.vn_datetime import format_datetime_short
from storage.models import Person, Role
from storage.outbox import NoticeState

STATE_LABELS: dict[str, Msgid] = {
    NoticeState.PENDING: N_("waiting"),
    NoticeState.SENDING: N_("sending now"),
    NoticeState.SENT: N_("sent"),
    NoticeState.FAILED: N_("failed"),
    NoticeState.CANCELLED: N_("cancelled after a change"),
    NoticeState.DROPPED: N_("dropped (no longer useful)"),
    NoticeState.UNCERTAIN: N_("may not have arrived (bot restarted while sending)"),
}

REASONS: tuple[tuple[str, Msgid], ...] = (
    ("blocked", N_("the person has blocked the bot")),
    ("recipient unreachable", N_("the person has not started the bot")),
    ("bad request", N_("Telegram refused the message")),
    ("network", N_("the connection broke while sending")),
    ("process stopped", N_("the bot restarted while sending")),
    ("unreachable", N_("cannot reach this person on Zalo")),  # Zalo answered 403 (sender.py)
)


def reason_label(error: str) -> Msgid:
    for prefix, label in REASONS:
        if error.startswith(prefix):
            return label
    return N_("could not be sent")


async def _scope(turn: Turn, person: Person | None) -> set[int] | None:
    """The units whose people's deliveries this organiser sees: the units they run and those
    below; None (every delivery, also to people in no unit yet) for the top committee's."""
    organised = await unit_ids_with_role(turn.ctx, person, (Role.ORGANISER,))
    for unit_id in organised:
        if (await get_unit(turn.ctx, unit_id)).parent_id is None:
            return None
    return await subtree_ids(turn.ctx, organised)


@step
async def show(turn: Turn) -> None:
    me, lang = turn.me, turn.lang
    if Role.ORGANISER not in me.roles:
        turn.say(lang.t("Only organisers (Ban Tổ chức, Văn phòng) can see the outbox."))
        return
    scope = await _scope(turn, me.person)
    counts = await outbox.counts(turn.ctx, unit_ids=scope)
    problems = await outbox.problems(turn.ctx, unit_ids=scope)
    lines = [lang.t("Messages the bot plans and sends:")]
    lines += [f"• {lang.t(STATE_LABELS[state])}: {counts[state]}" for state in STATE_LABELS]
    if problems:
        lines += ["", lang.t("Latest problems:")]
        tz = turn.settings.tz
        for p in problems:
            when = format_datetime_short(p.due_at, lang.locale, tz)
            name = p.person_name if p.person_name != "?" else lang.t("(no name yet)")
            reason = lang.t(reason_label(p.error))
            lines.append(f"• {when} — {name}: {lang.t(STATE_LABELS[p.state])} ({reason})")
    turn.say("\n".join(lines))


router.add(
    router.Action(
        key="outbox",
        label=N_("📮 Outbox"),
        description=N_("What the bot has sent and is waiting to send"),
        commands=("hangdoi", "outbox"),
        callback=show,
        roles=frozenset({Role.ORGANISER}),
        menu_row=-1,
    )
)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return []
