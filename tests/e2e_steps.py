"""Steps the end-to-end tests share: an admin with a profile, units, invite links, joining,
and a snapshot of the database to show that bad input changed nothing."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text

from playground.harness import BotHarness, HarnessUser
from playground.stub_models import SentMessage
from tests.conftest import ADMIN_ID

ADMIN_NAME = "Nguyễn Văn An"
ADMIN_POSITION = "Chánh Văn phòng"
ROOT = "Đảng ủy"  # the default ROOT_UNIT_NAME
TABLES = ("unit", "person", "membership", "invite_link")
LINK = re.compile(r"https://t\.me/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]+)")


def texts(replies: list[SentMessage]) -> str:
    return "\n".join(m.text or "" for m in replies)


def only_text(replies: list[SentMessage]) -> str:
    """The text of the one reply; fails on silence or a flood."""
    assert len(replies) == 1, [m.text for m in replies]
    assert (replies[0].text or "").strip()
    return replies[0].text or ""


async def db_state(bot: BotHarness) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables the foundation writes."""
    async with bot.engine.connect() as conn:
        out = {}
        for table in TABLES:
            rows = await conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))
            out[table] = [tuple(r) for r in rows.all()]
        return out


async def count(bot: BotHarness, table: str) -> int:
    return len((await db_state(bot))[table])


async def admin_ready(bot: BotHarness) -> HarnessUser:
    """The bootstrap organiser, with the profile completed (Vietnamese)."""
    admin = bot.user(ADMIN_ID, "An", language_code="vi")
    await admin.send("/start")
    await admin.send(ADMIN_NAME)
    await admin.send(ADMIN_POSITION)
    assert "🏛 Đơn vị" in admin.menu()
    return admin


def tree_label(name: str, depth: int) -> str:
    """How a unit appears on a picker button."""
    return "· " * depth + name


async def add_unit(
    admin: HarnessUser, parent: str, parent_depth: int, kind: str, name: str
) -> list[SentMessage]:
    """/donvi → ➕ → parent → kind → name (Vietnamese labels)."""
    await admin.send("/donvi")
    await admin.press("➕ Thêm đơn vị")
    await admin.press(tree_label(parent, parent_depth))
    await admin.press(kind)
    return await admin.send(name)


async def make_link(
    admin: HarnessUser, unit: str, depth: int, role: str, uses: int = 1
) -> tuple[str, list[SentMessage]]:
    """/moi → unit → role → uses; returns the token and the reply with the link."""
    await admin.send("/moi")
    await admin.press(tree_label(unit, depth))
    await admin.press(role)
    replies = await admin.press(str(uses))
    found = LINK.search(texts(replies))
    assert found, texts(replies)
    return found.group(1), replies


async def join(user: HarnessUser, token: str, name: str, position: str) -> list[SentMessage]:
    """Open the link, give name and position; returns the replies to the last step."""
    await user.send(f"/start {token}")
    await user.send(name)
    return await user.send(position)


async def admin_with_cell(bot: BotHarness) -> HarnessUser:
    """Admin with: Đảng ủy ─ Đảng bộ cơ sở Phường 1 ─ Chi bộ Khu phố 2."""
    admin = await admin_ready(bot)
    await add_unit(admin, ROOT, 0, "Đảng bộ cơ sở", "Đảng bộ cơ sở Phường 1")
    await add_unit(admin, "Đảng bộ cơ sở Phường 1", 1, "Chi bộ", "Chi bộ Khu phố 2")
    return admin
