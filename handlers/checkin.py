"""Check-in (điểm danh): organisers show a QR code at the venue (📷 on a session, `ck:<id>`);
delegates open its deep link (`/start ci_<token>`, routed here by onboarding) or type
`/diemdanh 123456` (alias /checkin). `/diemdanh` without a code lets organisers pick the roll
of a session whose check-in is open or coming.

The check-in path is kept short (one unit of work: the person, the service's few queries, one
insert), since a whole hall checks in within minutes: it looks up only the person (no roles),
so it opens its unit of work itself instead of going through `@step`.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from core.i18n import N_, Lang
from handlers import router
from handlers.common import Context, error_text, locale_for
from handlers.deps import deps
from handlers.session_header import (
    OpenRoll,
    ShowQr,
    capital,
    load_session,
    session_title,
)
from handlers.step import Turn, draw, step
from services import checkin, people
from services.checkin import CheckedIn
from services.errors import ServiceError
from services.units import get_unit
from services.vn_datetime import format_datetime_short
from storage.models import Role
from ui.common import short_label
from ui.screen import Choice, Expect, QrAttachment, Screen

LIST_LIMIT = 10


def is_checkin_payload(payload: str | None) -> bool:
    """Whether a /start payload is a check-in link (`ci_<token>`)."""
    return checkin.token_from_payload(payload) is not None


def _hhmm(value: object, tz: object) -> str:
    return value.astimezone(tz).strftime("%H:%M")  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- delegates


async def check_in_by_link(update: Update, context: Context, payload: str) -> None:
    """`/start ci_<token>` (the QR code's deep link)."""
    await _check_in(update, context, token=checkin.token_from_payload(payload) or "")


async def checkin_command(update: Update, context: Context) -> None:
    """`/diemdanh CODE` checks in; `/diemdanh` alone: organisers pick a roll, others are told
    how to check in."""
    message = update.effective_message
    words = (message.text or "").split(maxsplit=1) if message else []
    code = words[1].strip() if len(words) > 1 else ""
    if code:
        await _check_in(update, context, code=code)
    else:
        await show_roll_sessions(update, context)


def typed_checkin_code(text: str | None) -> str | None:
    """A check-in code typed on its own ("123456", "123 456"), or None."""
    folded = (text or "").replace(" ", "").replace(".", "").replace("-", "")
    return folded if len(folded) == 6 and folded.isascii() and folded.isdigit() else None


async def check_in_typed_code(update: Update, context: Context) -> bool:
    """A bare 6-digit code no flow took (Zalo has no QR deep link): it checks in. False when
    the text is not a code."""
    message = update.effective_message
    code = typed_checkin_code(message.text if message else None)
    if code is None:
        return False
    await _check_in(update, context, code=code)
    return True


async def _check_in(
    update: Update, context: Context, *, token: str | None = None, code: str | None = None
) -> None:
    user = update.effective_user
    if user is None:
        return
    settings = deps(context).settings
    lang: Lang | None = None
    try:
        async with deps(context).ctx() as ctx:
            person = await people.by_chat_key(ctx, user.id)
            lang = Lang(locale_for(person, update, context))
            if person is None or person.id is None:
                text = lang.t(
                    "You are not on the assistant yet, so you cannot check in here. "
                    "Please see the organisers at the entrance."
                )
            else:
                outcome = await checkin.check_in(ctx, person, token=token, code=code)
                host = await get_unit(ctx, outcome.value.session.host_unit_id)
                text = checked_in_text(lang, outcome.value, host.name, settings.tz)
    except ServiceError as exc:
        lang = lang or Lang(locale_for(None, update, context))
        text = error_text(lang, exc)
    await draw(update, [Screen.of(text)])


def checked_in_text(lang: Lang, done: CheckedIn, host: str, tz: object) -> str:
    title = session_title(lang, done.session, host, tz)
    at = _hhmm(done.checkin.at, tz)
    if done.already:
        return lang.t(
            "You have already checked in, at {time}: {title}. No need to do it again.",
            time=at,
            title=title,
        )
    if done.guest:
        return lang.t("✅ Checked in as a guest at {time}: {title}.", time=at, title=title)
    if done.late:
        return lang.t(
            "✅ Checked in at {time} (late): {title}. Welcome, comrade.", time=at, title=title
        )
    return lang.t("✅ Checked in at {time}: {title}. Welcome, comrade.", time=at, title=title)


# --------------------------------------------------------------------------- organisers


@step
async def show_roll_sessions(turn: Turn) -> None:
    """Sessions whose check-in is open or coming, to open their roll (`roll:<id>`)."""
    lang, tz = turn.lang, turn.settings.tz
    found = await checkin.roll_sessions(turn.ctx, turn.me.person, limit=LIST_LIMIT)
    hosts = {s.host_unit_id: (await get_unit(turn.ctx, s.host_unit_id)).name for s, _ in found}
    how = lang.t(
        "To check in, scan the QR code at the entrance, or type /diemdanh and the 6-digit "
        "code shown there, for example: /diemdanh 123456."
    )
    if not found:
        if turn.me.roles & {Role.ORGANISER, Role.LEADER}:
            how = lang.t("No session has its check-in open or coming.") + "\n\n" + how
        turn.say(how)
        return
    now = turn.clock.now()
    lines = [lang.t("Check-in open or coming — tap a session to see its roll:")]
    rows = []
    for n, (session, window) in enumerate(found, start=1):
        host = hosts[session.host_unit_id]
        if window.opens_at <= now:
            state = lang.t("open until {time}", time=_hhmm(window.closes_at, tz))
        else:
            state = lang.t(
                "opens at {time}", time=format_datetime_short(window.opens_at, lang.locale, tz)
            )
        lines.append(f"{n}. {capital(session_title(lang, session, host, tz))} — {state}")
        label = short_label(f"{n}. {_hhmm(session.starts_at, tz)} · {host}")
        rows.append([Choice(label, OpenRoll(session.id))])  # type: ignore[arg-type]
    lines += ["", how]
    turn.show(Screen.of("\n".join(lines), rows=rows))


@step(action=ShowQr)
async def show_qr(turn: Turn, pressed: ShowQr) -> None:
    """`ck:<session_id>`: open the check-in and send the QR code to show at the venue."""
    lang, tz = turn.lang, turn.settings.tz
    config = await checkin.open_checkin(turn.ctx, turn.me.person, pressed.session_id)  # type: ignore[arg-type]
    session, _plan, host = await load_session(turn.ctx, turn.me.person, pressed.session_id)
    window = checkin.window_of(session, config)
    link = turn.start_link(checkin.deep_link_payload(config))
    caption = "\n".join(
        [
            lang.t("📷 Check-in: {title}", title=session_title(lang, session, host.name, tz)),
            "",
            lang.t(
                "Delegates scan this QR code with their phone camera (it opens Telegram), or "
                "type: /diemdanh {code}",
                code=config.code,
            ),
            lang.t("Check-in code: {code}", code=config.code),
            lang.t(
                "Check-in is open from {opens} to {closes}; arrivals after {late} count as late.",
                opens=format_datetime_short(window.opens_at, lang.locale, tz),
                closes=format_datetime_short(window.closes_at, lang.locale, tz),
                late=_hhmm(window.late_from, tz),
            ),
            link,
            "",
            lang.t("Print this picture or show it on a screen at the entrance."),
        ]
    )
    turn.show(
        Screen.of(
            caption,
            rows=[[Choice(lang.t("📋 Roll"), OpenRoll(pressed.session_id))]],
            attachments=[QrAttachment(link, config.code)],
            expect=Expect.NOTHING,
        )
    )


ACTION = router.add(
    router.Action(
        key="checkin",
        label=N_("📍 Check in"),
        description=N_("Check in at a session: /diemdanh and the code shown at the venue"),
        commands=("diemdanh", "checkin"),
        callback=checkin_command,
        roles=None,
        menu_row=-1,
    )
)
router.press(ShowQr, show_qr)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return []
