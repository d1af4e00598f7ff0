"""/start: greeting and role menu, joining by invite link, and completing one's profile."""

from __future__ import annotations

from telegram import ReplyKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from core.i18n import N_, Lang
from handlers import deliver, flow, router
from handlers.checkin import check_in_by_link, is_checkin_payload
from handlers.common import Context, Who, error_text, lang_only, locale_for, say, who
from handlers.deps import deps
from handlers.labels import POSITION_SUGGESTIONS, ROLE_LABELS, role_label, role_short
from services import invites, people
from services.errors import ServiceError
from services.notifications import Notice
from services.units import get_unit
from services.validation import check_full_name
from storage.models import Role

NAME, POSITION = range(2)
_TOKEN = "onboarding_token"
_NAME = "onboarding_name"
_ROLE = "onboarding_role"


async def greet(update: Update, context: Context, me: Who) -> None:
    lang = me.lang
    if not me.registered:
        await say(
            update,
            lang.t(
                "Hello! This is chibot, the assistant for model party cell meetings "
                "(sinh hoạt chi bộ mẫu).\n\nYou are not registered yet. Please ask the "
                "organisers of your unit (Ban Tổ chức or Văn phòng) for an invite link "
                "and open it here."
            ),
            markup=router.menu_for(me),
        )
        return
    assert me.person is not None
    roles = ", ".join(sorted(role_short(lang, r) for r in me.roles))
    await say(
        update,
        lang.t(
            "Hello {name}! Your roles: {roles}.\nChoose what to do with the buttons below.",
            name=me.person.full_name,
            roles=roles,
        ),
        markup=router.menu_for(me),
    )


async def start(update: Update, context: Context) -> int:
    args = context.args or []
    flow.drop_all(context)  # /start ends any other conversation that was waiting for text
    if args and is_checkin_payload(args[0]):  # the QR code shown at a session's entrance
        await check_in_by_link(update, context, args[0])
        return ConversationHandler.END
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        if args:
            return await _open_invite(update, context, me, args[0])
        if me.person is not None and me.roles and not me.person.full_name:
            await say(update, me.lang.t("Welcome! Please type your full name first."))
            context.user_data[_TOKEN] = None  # type: ignore[index]
            return NAME
    await greet(update, context, me)
    return ConversationHandler.END


async def _open_invite(update: Update, context: Context, me: Who, token: str) -> int:
    lang = me.lang
    if me.person is not None and me.person.full_name:
        # Nothing to ask: joining checks the link (and tells a member they are already in).
        return await _finish(update, context, lang, token, me.person.full_name, me.person.position)
    async with deps(context).ctx() as ctx:
        try:
            link = await invites.check_token(ctx, token)
        except ServiceError as exc:
            await say(update, error_text(lang, exc))
            return ConversationHandler.END
        unit = await get_unit(ctx, link.unit_id)
    role = Role(link.role)
    context.user_data[_TOKEN] = token  # type: ignore[index]
    context.user_data[_ROLE] = role.value  # type: ignore[index]
    await say(
        update,
        lang.t(
            "You are invited to join “{unit}” as {role}.\n\nPlease type your full name "
            "(for example: Nguyễn Văn An). Type /huy to stop.",
            unit=unit.name,
            role=role_label(lang, role),
        ),
    )
    return NAME


async def got_name(update: Update, context: Context) -> int:
    lang = await lang_only(update, context)
    text = update.effective_message.text if update.effective_message else ""
    try:
        name = check_full_name(text)
    except ServiceError as exc:
        await say(update, error_text(lang, exc))
        return NAME
    context.user_data[_NAME] = name  # type: ignore[index]
    role = Role(context.user_data.get(_ROLE) or Role.ORGANISER.value)  # type: ignore[union-attr]
    suggestion = lang.t(POSITION_SUGGESTIONS[role])
    await say(
        update,
        lang.t(
            "Thank you, {name}. What is your position (chức vụ)? "
            "Type it or tap the suggestion below.",
            name=name,
        ),
        markup=ReplyKeyboardMarkup([[suggestion]], resize_keyboard=True, one_time_keyboard=True),
    )
    return POSITION


async def got_position(update: Update, context: Context) -> int:
    lang = await lang_only(update, context)
    text = update.effective_message.text if update.effective_message else ""
    try:
        position = people.check_position(text)
    except ServiceError as exc:
        await say(update, error_text(lang, exc))
        return POSITION
    token = context.user_data.get(_TOKEN)  # type: ignore[union-attr]
    name = context.user_data.get(_NAME, "")  # type: ignore[union-attr]
    if token:
        return await _finish(update, context, lang, token, name, position)
    # Completing the profile of someone made organiser at start-up.
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        if me.person is not None:
            await people.update_profile(ctx, me.person, name, position)
    _clear(context)
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
    await say(update, lang.t("Your profile is saved."))
    await greet(update, context, me)
    return ConversationHandler.END


async def _finish(
    update: Update, context: Context, lang: Lang, token: str, name: str, position: str
) -> int:
    user = update.effective_user
    assert user is not None
    locale = locale_for(None, update, context)
    async with deps(context).ctx() as ctx:
        try:
            done = await invites.redeem(ctx, token, user.id, name, position, locale)
        except ServiceError as exc:
            await say(update, error_text(lang, exc))
            _clear(context)
            return ConversationHandler.END
        joined = [
            Notice(
                organiser.id,  # type: ignore[arg-type]
                N_("{name} ({position}) has joined “{unit}” as {role}."),
                {
                    "name": done.person.full_name,
                    "position": done.person.position,
                    "unit": done.unit.name,
                    "role": ROLE_LABELS[done.role],
                },
            )
            for organiser in done.organisers
        ]
        await deliver.queue(
            ctx,
            joined,
            kind="member_joined",
            subject_type="unit",
            subject_id=done.unit.id,  # type: ignore[arg-type]
        )
        me = await who(ctx, update, context)
    _clear(context)
    deliver.send_soon(context.application)
    if done.already_member:
        await say(
            update,
            lang.t(
                "You are already in “{unit}” as {role}.",
                unit=done.unit.name,
                role=role_label(lang, done.role),
            ),
            markup=router.menu_for(me),
        )
    else:
        await say(
            update,
            lang.t(
                "Welcome! You have joined “{unit}” as {role}.",
                unit=done.unit.name,
                role=role_label(lang, done.role),
            ),
        )
        await greet(update, context, me)
    return ConversationHandler.END


async def cancel(update: Update, context: Context) -> int:
    lang = await lang_only(update, context)
    _clear(context)
    await say(update, lang.t("Stopped. Nothing was saved. Open the invite link again to restart."))
    return ConversationHandler.END


async def menu_mid_flow(update: Update, context: Context) -> int | None:
    """A menu button while a question is open: do what it says; the question stays open
    (like a command, which the conversation lets through to the other handlers)."""
    await router.hand_over(update, context)
    return None


async def other_input(update: Update, context: Context) -> int | None:
    """Anything but text at a text step: say what is expected and stay."""
    lang = await lang_only(update, context)
    await say(update, lang.t("Please type your answer as a text message, or /huy to stop."))
    return None


def _clear(context: Context) -> None:
    if context.user_data is not None:
        for key in (_TOKEN, _NAME, _ROLE):
            context.user_data.pop(key, None)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    text = filters.TEXT & ~filters.COMMAND & ~router.menu_filter()
    conversation = ConversationHandler(
        name="onboarding",
        persistent=True,
        entry_points=[CommandHandler("start", start)],
        states={
            NAME: [MessageHandler(text, got_name)],
            POSITION: [MessageHandler(text, got_position)],
        },
        fallbacks=[
            CommandHandler(["huy", "cancel"], cancel),
            MessageHandler(router.menu_filter(), menu_mid_flow),
            MessageHandler(~filters.COMMAND, other_input),
        ],
        allow_reentry=True,
    )
    return [conversation]
