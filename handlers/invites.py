"""/moi (/invite): organisers create and withdraw invite links for a unit and role.

Every step is a stateless button; the services re-check the organiser's rights each time.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from core.i18n import N_, Lang
from handlers import router
from handlers.common import Context, answer_button, error_text, lang_only, say, who
from handlers.deps import deps
from handlers.flow import stale_button
from handlers.labels import role_label, role_short
from handlers.pickers import cancel_button, page_of, paged_keyboard, split_data, tree_items
from services import invites, roles, units
from services.errors import ServiceError
from services.vn_datetime import format_datetime_long
from storage.models import InviteLink, Role

USES_CHOICES = (1, 5, 20, 100)


def deep_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


async def begin(update: Update, context: Context) -> None:
    """The unit picker (`/moi`, the menu button, or `iu:page:N`)."""
    async with deps(context).ctx() as ctx:
        me = await who(ctx, update, context)
        rows = await units.managed_tree(ctx, me.person) if me.person else []
    if not rows:
        await answer_button(update)
        await say(
            update,
            me.lang.t(
                "Only organisers (Ban Tổ chức, Văn phòng) can invite people. "
                "If you need this, ask your committee's organisers."
            ),
        )
        return
    items = tree_items(rows)
    query = update.callback_query
    page = page_of(split_data(query.data, "iu") or []) if query else None
    if query is not None and page is not None:
        await answer_button(update)
        await query.edit_message_reply_markup(paged_keyboard(me.lang, items, "iu", page))
        return
    await say(
        update,
        me.lang.t("Invite people to which unit?"),
        markup=paged_keyboard(me.lang, items, "iu"),
    )


def _link_line(lang: Lang, link: InviteLink, bot_username: str, tz: str) -> str:
    return lang.t(
        "{role}: {url}\n  used {uses}/{max_uses}, valid until {until}",
        role=role_short(lang, link.role),
        url=deep_link(bot_username, link.token),
        uses=link.uses,
        max_uses=link.max_uses,
        until=format_datetime_long(link.expires_at, lang.locale, tz),
    )


async def show_unit(update: Update, context: Context, unit_id: int | None = None) -> None:
    if unit_id is None:
        parts = split_data(update.callback_query.data if update.callback_query else None, "iu")
        await answer_button(update)
        if not parts or not parts[0].isdigit():
            return
        unit_id = int(parts[0])
    tz = deps(context).settings.tz
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            unit = await units.get_unit(ctx, unit_id)
            links = await invites.active_invites(ctx, me.person, unit_id)  # type: ignore[arg-type]
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    lines = [lang.t("Unit: {unit}", unit=unit.name)]
    if links:
        lines.append(lang.t("Active invite links:"))
        lines += [_link_line(lang, ln, context.bot.username, tz) for ln in links]
    else:
        lines.append(lang.t("This unit has no active invite link."))
    lines += ["", lang.t("Choose the role of the people you want to invite:")]
    rows = [
        [InlineKeyboardButton(role_label(lang, r), callback_data=f"ir:{unit_id}:{r.value}")]
        for r in Role
    ]
    rows += [
        [InlineKeyboardButton(lang.t("🚫 Withdraw link {n}", n=i + 1), callback_data=f"ix:{ln.id}")]
        for i, ln in enumerate(links)
    ]
    rows.append([cancel_button(lang)])
    await say(update, "\n".join(lines), markup=InlineKeyboardMarkup(rows))


async def role_picked(update: Update, context: Context) -> None:
    parts = split_data(update.callback_query.data if update.callback_query else None, "ir")
    if not parts or len(parts) != 2 or not parts[0].isdigit() or parts[1] not in set(Role):
        await stale_button(update, context)
        return
    await answer_button(update)
    unit_id, role = parts
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            unit = await units.get_unit(ctx, int(unit_id))
            await roles.require_organiser(ctx, me.person, unit.id)  # type: ignore[arg-type]
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    buttons = [
        InlineKeyboardButton(str(n), callback_data=f"in:{unit_id}:{role}:{n}") for n in USES_CHOICES
    ]
    await say(
        update,
        lang.t("How many people may use this link?"),
        markup=InlineKeyboardMarkup([buttons, [cancel_button(lang)]]),
    )


async def uses_picked(update: Update, context: Context) -> None:
    parts = split_data(update.callback_query.data if update.callback_query else None, "in")
    if (
        not parts
        or len(parts) != 3
        or not parts[0].isdigit()
        or parts[1] not in set(Role)
        or not parts[2].isdigit()
    ):
        await stale_button(update, context)
        return
    await answer_button(update)
    settings = deps(context).settings
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            # (The service trusts a missing actor: that is the shell. Here it is a stranger.)
            await units.get_unit(ctx, int(parts[0]))
            await roles.require_organiser(ctx, me.person, int(parts[0]))  # type: ignore[arg-type]
            link = await invites.create_invite(
                ctx,
                me.person,
                int(parts[0]),
                Role(parts[1]),
                max_uses=int(parts[2]),
                ttl=timedelta(days=settings.invite_ttl_days),
            )
            unit = await units.get_unit(ctx, link.unit_id)
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    lang = me.lang
    await say(
        update,
        lang.nt(
            "Invite link for “{unit}” ({role}), for {n} person, valid until {until}:\n{url}\n\n"
            "Send it to the person you invite. Whoever opens it joins after giving their name.",
            "Invite link for “{unit}” ({role}), for {n} people, valid until {until}:\n{url}\n\n"
            "Send it to the people you invite. Whoever opens it joins after giving their name.",
            link.max_uses,
            unit=unit.name,
            role=role_short(lang, link.role),
            until=format_datetime_long(link.expires_at, lang.locale, settings.tz),
            url=deep_link(context.bot.username, link.token),
        ),
    )


async def revoke_picked(update: Update, context: Context) -> None:
    parts = split_data(update.callback_query.data if update.callback_query else None, "ix")
    await answer_button(update)
    if not parts or not parts[0].isdigit():
        return
    try:
        async with deps(context).ctx() as ctx:
            me = await who(ctx, update, context)
            link = await invites.revoke_invite(ctx, me.person, int(parts[0]))  # type: ignore[arg-type]
    except ServiceError as exc:
        await say(update, error_text(await lang_only(update, context), exc))
        return
    await say(update, me.lang.t("The link was withdrawn. Nobody can join with it any more."))
    await show_unit(update, context, link.unit_id)


ACTION = router.add(
    router.Action(
        key="invite",
        label=N_("🔗 Invite people"),
        description=N_("Create invite links for your units"),
        commands=("moi", "invite"),
        callback=begin,
        roles=frozenset({Role.ORGANISER}),
        menu_row=1,
    )
)
router.button(r"^iu:page:\d+$", begin)
router.button(r"^iu:\d+$", show_unit)
router.button(r"^ir:\d+:[a-z_]+$", role_picked)
router.button(r"^in:\d+:[a-z_]+:\d+$", uses_picked)
router.button(r"^ix:\d+$", revoke_picked)


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return []
