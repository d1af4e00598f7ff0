"""/start: greeting and role menu, joining by invite link, and completing one's profile."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from core.i18n import Lang
from handlers import flow, router
from handlers.checkin import check_in_by_link, is_checkin_payload
from handlers.common import Context, Who, lang_only, locale_for, who
from handlers.flow import typed_text
from handlers.labels import POSITION_SUGGESTIONS, role_label, role_short
from handlers.step import END, Turn, draw, step
from services import invites, people
from services.units import get_unit
from services.validation import check_full_name
from storage.models import Role
from ui.screen import Expect, Menu, Screen

NAME, POSITION = range(2)


@dataclass(slots=True)
class JoinDraft:
    """What a newcomer has typed so far; `token` is None when completing one's own profile."""

    token: str | None
    role: Role | None = None
    name: str = ""


def greeting(me: Who) -> Screen:
    lang = me.lang
    if not me.registered:
        return Screen.of(
            lang.t(
                "Hello! This is chibot, the assistant for model party cell meetings "
                "(sinh hoạt chi bộ mẫu).\n\nYou are not registered yet. Please ask the "
                "organisers of your unit (Ban Tổ chức or Văn phòng) for an invite link "
                "and open it here."
            ),
            menu=router.menu_for(me),
        )
    assert me.person is not None
    roles = ", ".join(sorted(role_short(lang, r) for r in me.roles))
    return Screen.of(
        lang.t(
            "Hello {name}! Your roles: {roles}.\nChoose what to do with the buttons below.",
            name=me.person.full_name,
            roles=roles,
        ),
        menu=router.menu_for(me),
    )


async def start(update: Update, context: Context) -> int:
    args = context.args or []
    flow.drop_all(context)  # /start ends any other conversation that was waiting for text
    _clear(context)
    if args and is_checkin_payload(args[0]):  # the QR code shown at a session's entrance
        await check_in_by_link(update, context, args[0])
        return END
    return await _start(update, context)


@step(on_error=END)
async def _start(turn: Turn) -> int:
    me = turn.me
    args = turn.context.args or []
    if args:
        return await _open_invite(turn, args[0])
    if me.person is not None and me.roles and not me.person.full_name:
        turn.say(me.lang.t("Welcome! Please type your full name first."), expect=Expect.TEXT)
        turn.put(JoinDraft(token=None))
        return NAME
    turn.show(greeting(me))
    return END


async def _open_invite(turn: Turn, token: str) -> int:
    me, lang = turn.me, turn.lang
    if me.person is not None and me.person.full_name:
        # Nothing to ask: joining checks the link (and tells a member they are already in).
        return await _finish(turn, token, me.person.full_name, me.person.position)
    link = await invites.check_token(turn.ctx, token)
    unit = await get_unit(turn.ctx, link.unit_id)
    role = Role(link.role)
    turn.put(JoinDraft(token=token, role=role))
    turn.say(
        lang.t(
            "You are invited to join “{unit}” as {role}.\n\nPlease type your full name "
            "(for example: Nguyễn Văn An). Type /huy to stop.",
            unit=unit.name,
            role=role_label(lang, role, unit.kind),
        ),
        expect=Expect.TEXT,
    )
    return NAME


@step(needs=JoinDraft)
async def got_name(turn: Turn, draft: JoinDraft) -> int:
    lang = turn.lang
    draft.name = check_full_name(turn.text)
    turn.put(draft)
    suggestion = lang.t(POSITION_SUGGESTIONS[draft.role or Role.ORGANISER])
    turn.say(
        lang.t(
            "Thank you, {name}. What is your position (chức vụ)? "
            "Type it or tap the suggestion below.",
            name=draft.name,
        ),
        menu=Menu(((suggestion,),), once=True),
        expect=Expect.TEXT,
    )
    return POSITION


@step(needs=JoinDraft)
async def got_position(turn: Turn, draft: JoinDraft) -> int:
    position = people.check_position(turn.text)
    if draft.token:
        return await _finish(turn, draft.token, draft.name, position)
    # Completing the profile of someone made organiser at start-up.
    if turn.me.person is not None:
        await people.update_profile(turn.ctx, turn.me.person, draft.name, position)
    turn.drop(JoinDraft)
    me = await who(turn.ctx, turn.update, turn.context)
    turn.say(turn.lang.t("Your profile is saved."))
    turn.show(greeting(me))
    return END


async def _finish(turn: Turn, token: str, name: str, position: str) -> int:
    user = turn.update.effective_user
    assert user is not None
    lang: Lang = turn.lang
    locale = locale_for(None, turn.update, turn.context)
    turn.drop(JoinDraft)  # whatever happens next, these answers are used up
    done = await invites.redeem(turn.ctx, token, user.id, name, position, locale)
    me = await who(turn.ctx, turn.update, turn.context)
    unit, role = done.unit.name, role_label(lang, done.role, done.unit.kind)
    if done.already_member:
        turn.say(
            lang.t("You are already in “{unit}” as {role}.", unit=unit, role=role),
            menu=router.menu_for(me),
        )
    else:
        turn.say(lang.t("Welcome! You have joined “{unit}” as {role}.", unit=unit, role=role))
        turn.show(greeting(me))
    return END


async def cancel(update: Update, context: Context) -> int:
    lang = await lang_only(update, context)
    _clear(context)
    await draw(
        update,
        [Screen.of(lang.t("Stopped. Nothing was saved. Open the invite link again to restart."))],
    )
    return END


async def menu_mid_flow(update: Update, context: Context) -> int | None:
    """A menu button while a question is open: do what it says; the question stays open
    (like a command, which the conversation lets through to the other handlers)."""
    await router.hand_over(update, context)
    return None


async def other_input(update: Update, context: Context) -> int | None:
    """Anything but text at a text step: say what is expected and stay."""
    lang = await lang_only(update, context)
    await draw(
        update, [Screen.of(lang.t("Please type your answer as a text message, or /huy to stop."))]
    )
    return None


def _clear(context: Context) -> None:
    if context.user_data is not None:
        context.user_data.pop(JoinDraft.__name__, None)


_CONVERSATION: list[ConversationHandler] = []  # type: ignore[type-arg]


def conversation() -> ConversationHandler:  # type: ignore[type-arg]
    """The registered onboarding conversation (a typed invite code enters it too)."""
    if not _CONVERSATION:
        handlers()
    return _CONVERSATION[-1]


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    conversation = ConversationHandler(
        name="onboarding",
        persistent=True,
        entry_points=[CommandHandler("start", start)],
        states={
            NAME: [MessageHandler(typed_text(), got_name)],
            POSITION: [MessageHandler(typed_text(), got_position)],
        },
        fallbacks=[
            CommandHandler(["huy", "cancel"], cancel),
            MessageHandler(router.menu_filter(), menu_mid_flow),
            MessageHandler(~filters.COMMAND, other_input),
        ],
        allow_reentry=True,
    )
    _CONVERSATION.append(conversation)
    return [conversation]
