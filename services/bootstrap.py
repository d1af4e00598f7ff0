"""Start-up data: the root committee and the organisers named in BOOTSTRAP_ADMIN_IDS."""

from __future__ import annotations

from collections.abc import Sequence

from services import accounts, people, roles, units
from services.context import Ctx
from storage.models import Channel, Role, Unit


async def bootstrap(ctx: Ctx, root_name: str, admin_ids: Sequence[int | str]) -> Unit:
    """`admin_ids`: Telegram user ids, and Zalo user ids as "zalo:<id>"."""
    root = await units.ensure_root(ctx, root_name)
    for admin in admin_ids:
        if isinstance(admin, str) and admin.startswith("zalo:"):
            account = await accounts.ensure(ctx, Channel.ZALO, admin[5:])
            key = accounts.chat_key(account)
        else:
            key = int(admin)
        person = await people.ensure_person(ctx, key)
        await roles.add_membership(ctx, person, root.id, Role.ORGANISER)  # type: ignore[arg-type]
    return root
