"""Start-up data: the root committee and the organisers named in BOOTSTRAP_ADMIN_IDS."""

from __future__ import annotations

from services import people, roles, units
from services.context import Ctx
from storage.models import Role, Unit


async def bootstrap(ctx: Ctx, root_name: str, admin_ids: list[int]) -> Unit:
    root = await units.ensure_root(ctx, root_name)
    for telegram_id in admin_ids:
        person = await people.ensure_person(ctx, telegram_id)
        await roles.add_membership(ctx, person, root.id, Role.ORGANISER)  # type: ignore[arg-type]
    return root
