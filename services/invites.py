"""Invite links: an organiser invites people into a unit with a role; a person redeems a link."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, select, update

from core.i18n import N_
from services import people, roles, short_codes
from services.context import Ctx
from services.errors import Conflict, InvalidInput, NotFound
from services.labels import role_label_for
from services.notifications import notices_for
from services.units import get_unit
from services.validation import check_full_name
from storage.models import InviteLink, Membership, Person, Role, Unit

MAX_USES_LIMIT = 1000
TOKEN_BYTES = 18  # 24 URL-safe characters, 144 bits: unguessable
TOKEN_MAX_LEN = 64
# What new_token() makes, and all a Telegram deep-link parameter may hold.
_TOKEN_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{1,{TOKEN_MAX_LEN}}}")


@dataclass(frozen=True, slots=True)
class Redemption:
    person: Person
    unit: Unit
    role: Role
    organisers: list[Person]
    already_member: bool


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


async def create_invite(
    ctx: Ctx,
    actor: Person | None,
    unit_id: int,
    role: Role,
    *,
    max_uses: int,
    ttl: timedelta,
) -> InviteLink:
    """Create a link. `actor=None` means the shell (bootstrapping), which is trusted."""
    await get_unit(ctx, unit_id)
    if actor is not None:
        await roles.require_organiser(ctx, actor, unit_id)
    if not 1 <= max_uses <= MAX_USES_LIMIT:
        raise InvalidInput(
            N_("The number of uses must be between 1 and {limit}."), limit=MAX_USES_LIMIT
        )
    if ttl <= timedelta(0) or ttl > timedelta(days=365):
        raise InvalidInput(N_("A link can be valid for 1 to 365 days."))
    now = ctx.clock.now()
    link = InviteLink(
        token=new_token(),
        code=short_codes.new_code(),
        unit_id=unit_id,
        role=role,
        created_by_id=actor.id if actor else None,
        created_at=now,
        expires_at=now + ttl,
        max_uses=max_uses,
        uses=0,
    )
    ctx.session.add(link)
    await ctx.session.flush()
    return link


async def active_invites(ctx: Ctx, actor: Person, unit_id: int) -> list[InviteLink]:
    await roles.require_organiser(ctx, actor, unit_id)
    now = ctx.clock.now()
    result = await ctx.session.exec(
        select(InviteLink)
        .where(
            InviteLink.unit_id == unit_id,
            col(InviteLink.revoked_at).is_(None),
            InviteLink.expires_at > now,
            InviteLink.uses < InviteLink.max_uses,
        )
        .order_by(InviteLink.id)
    )
    return list(result.all())


async def revoke_invite(ctx: Ctx, actor: Person, invite_id: int) -> InviteLink:
    link = await ctx.session.get(InviteLink, invite_id)
    if link is None:
        raise NotFound(N_("That invite link no longer exists."))
    await roles.require_organiser(ctx, actor, link.unit_id)
    if link.revoked_at is None:
        link.revoked_at = ctx.clock.now()
        ctx.session.add(link)
        await ctx.session.flush()
    return link


async def find_link(ctx: Ctx, token: str) -> InviteLink:
    """The link with this token (or invite code), usable or not."""
    token = (token or "").strip()
    link = None
    code = short_codes.normalise(token)
    if code is not None:  # the invite code typed instead of opening the link
        result = await ctx.session.exec(select(InviteLink).where(InviteLink.code == code))
        link = result.first()
    if link is None and _TOKEN_SHAPE.fullmatch(token):
        result = await ctx.session.exec(select(InviteLink).where(InviteLink.token == token))
        link = result.first()
    if link is None:
        raise NotFound(
            N_("This invite link is not valid. Please ask your organiser for a new one.")
        )
    return link


def _check_usable(ctx: Ctx, link: InviteLink) -> None:
    if link.revoked_at is not None:
        raise Conflict(
            N_("This invite link was withdrawn by the organiser. Please ask them for a new one.")
        )
    if link.expires_at <= ctx.clock.now():
        raise Conflict(N_("This invite link has expired. Please ask your organiser for a new one."))
    if link.uses >= link.max_uses:
        raise Conflict(
            N_("This invite link has already been used. Please ask your organiser for a new one.")
        )


async def check_token(ctx: Ctx, token: str) -> InviteLink:
    """Find a usable link, or say precisely why it cannot be used."""
    link = await find_link(ctx, token)
    _check_usable(ctx, link)
    return link


async def redeem(
    ctx: Ctx,
    token: str,
    chat_key: int,
    full_name: str,
    position: str,
    locale: str | None,
) -> Redemption:
    """Join the link's unit with its role. Validates everything before changing anything.

    Someone who already holds the link's role there is told so, whatever the state of the
    link, and uses nothing up."""
    link = await find_link(ctx, token)
    clean_name = check_full_name(full_name)
    clean_position = people.check_position(position)
    unit = await get_unit(ctx, link.unit_id)
    person = await people.by_chat_key(ctx, chat_key)
    role = Role(link.role)
    if person is not None:
        existing = await ctx.session.exec(
            select(Membership.id).where(
                Membership.person_id == person.id,
                Membership.unit_id == unit.id,
                Membership.role == role.value,
            )
        )
        if existing.first() is not None:
            return Redemption(person, unit, role, [], already_member=True)
    _check_usable(ctx, link)
    # Count the use atomically, so two people racing for the last use cannot both get in.
    now = ctx.clock.now()
    claimed = await ctx.session.exec(  # type: ignore[call-overload]
        update(InviteLink)
        .where(
            col(InviteLink.id) == link.id,
            col(InviteLink.uses) < InviteLink.max_uses,
            col(InviteLink.revoked_at).is_(None),
            col(InviteLink.expires_at) > now,
        )
        .values(uses=InviteLink.uses + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise Conflict(
            N_("This invite link has already been used. Please ask your organiser for a new one.")
        )
    if person is None:
        person = await people.ensure_person(ctx, chat_key, locale)
    person.full_name = clean_name
    person.position = clean_position
    if locale and not person.locale:
        person.locale = locale
    ctx.session.add(person)
    await roles.add_membership(ctx, person, unit.id, role)  # type: ignore[arg-type]
    organisers = await roles.organisers_of(ctx, unit.id, exclude=person)  # type: ignore[arg-type]
    ctx.notify(
        notices_for(
            [o.id for o in organisers if o.id is not None],
            N_("{name} ({position}) has joined “{unit}” as {role}."),
            {
                "name": person.full_name,
                "position": person.position,
                "unit": unit.name,
                "role": role_label_for(role, unit.kind),
            },
        ),
        kind="member_joined",
        subject_type="unit",
        subject_id=unit.id,  # type: ignore[arg-type]
    )
    return Redemption(person, unit, role, organisers, already_member=False)
