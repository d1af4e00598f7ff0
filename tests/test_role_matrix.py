"""The role matrix (issue 16): every typed button action registered in ui.actions, forged with
ids of the objects of another unit, and every command, by a member, by a secretary of another
chi bộ and by an organiser of another đảng bộ: each gets a polite answer (never the generic
error, never silence), nothing is logged as an error, and the organisation's data (units,
memberships, links, plans, requirements, sessions, reviews, participant rules) is unchanged.

The world is build()'s: Đảng ủy ─ Đảng bộ Phường 1 ─ Chi bộ Khu phố 1 (secretary, member),
Chi bộ Khu phố 2; Đảng bộ Phường 2 ─ Chi bộ Khu phố 3 (secretary), plan 82-KH/ĐU with one
session of Chi bộ Khu phố 1 (id 1)."""

from __future__ import annotations

import dataclasses
import logging
from enum import StrEnum
from typing import Any

import pytest
from sqlalchemy import text

from core.clock import FrozenClock
from playground.harness import BotHarness, HarnessUser
from services import roles
from services.context import Ctx
from storage.engine import make_session_factory
from storage.models import Person, Role, SessionKind
from tests.test_report_session_e2e import MEM, SEC_B, add_session, build
from ui.actions import ActionError, registered

GENERIC = "Xin lỗi, hệ thống vừa gặp sự cố"
ORG_GB = 3201  # organiser of Đảng bộ Phường 2: another unit than the session's
GUARDED = (
    "unit",
    "membership",
    "invite_link",
    "plan",
    "requirement",
    "requirement_target",
    "model_session",
    "session_change",
    "content_review",
    "document",
    "participant_category",
    "participant_category_role",
    "checkin_config",
    "plan_feedback_config",
)


def forged(cls: type, number: int) -> str | None:
    """The packed data of `cls` with every number `number` (ids of the other unit's objects),
    or None for an action that cannot be packed that way."""
    values: dict[str, Any] = {}
    for spec in cls._spec()[0]:  # type: ignore[attr-defined]
        if spec.literal is not None:
            values[spec.name] = spec.literal
        elif spec.kind is bool:
            values[spec.name] = True
        elif spec.kind is int:
            values[spec.name] = number
        elif isinstance(spec.kind, type) and issubclass(spec.kind, StrEnum):
            values[spec.name] = next(iter(spec.kind))
        else:
            values[spec.name] = "x"
    try:
        return cls(**values).pack()  # type: ignore[no-any-return]
    except (ActionError, TypeError, ValueError):
        return None


async def guarded(bot: BotHarness) -> dict[str, list[tuple[Any, ...]]]:
    async with bot.engine.connect() as conn:
        out = {}
        for table in GUARDED:
            rows = await conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))
            out[table] = [tuple(r) for r in rows.all()]
        return out


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def errors() -> Any:
    handler = ErrorLog()
    logger = logging.getLogger("chibot.errors")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


async def _world(bot: BotHarness, clock: FrozenClock) -> list[HarnessUser]:
    world = await build(bot, clock)
    await add_session(
        bot, clock, world.people["sec"], world.units["a1"], SessionKind.THUONG_KY, "28/3 8h"
    )
    async with make_session_factory(bot.engine)() as session:
        person = Person(
            telegram_id=ORG_GB, full_name="Phạm Thị Bình", position="—", created_at=clock.now()
        )
        session.add(person)
        await session.flush()
        await roles.add_membership(Ctx(session, clock), person, world.units["gb"], Role.ORGANISER)
        await session.commit()
    await bot.drain()
    users = [bot.user(MEM, "Cường"), bot.user(SEC_B, "Em"), bot.user(ORG_GB, "Bình")]
    for user in users:
        await user.send("/start")
    return users


def refused(bot: BotHarness) -> list[tuple[str, str]]:
    """What Telegram refused, but what the renderer expects and ignores: a second answer to
    one press, and an edit that changes nothing (a press that changes nothing)."""
    return [
        (m, d)
        for m, d in bot.stub.refusals
        if m.lower() != "answercallbackquery" and "not modified" not in d
    ]


def _polite(replies: list[Any], bot: BotHarness, what: str) -> None:
    answered = bool(replies) or bool(bot.stub.callback_answers)
    assert answered, what
    assert all(GENERIC not in (m.text or "") for m in replies), what


async def test_forged_presses_of_every_action_by_lower_roles_and_other_units(
    bot: BotHarness, clock: FrozenClock, errors: list[logging.LogRecord]
) -> None:
    users = await _world(bot, clock)
    before = await guarded(bot)
    classes = sorted(registered().items())
    pressed = 0
    for number in (1, 4):  # the root / the session, plan; Chi bộ Khu phố 1
        for name, cls in classes:
            data = forged(cls, number)
            if data is None:
                continue
            for user in users:
                replies = await user.press_data(user.last, data)
                _polite(replies, bot, f"{user.id} {name} {data}")
                pressed += 1
    assert pressed > 150
    assert [r.getMessage() for r in errors] == []
    assert refused(bot) == []
    assert await guarded(bot) == before


async def test_every_command_by_lower_roles(
    bot: BotHarness, clock: FrozenClock, errors: list[logging.LogRecord]
) -> None:
    from handlers import router

    users = await _world(bot, clock)
    before = await guarded(bot)
    commands = sorted({c for a in router.actions() for c in a.commands})
    assert len(commands) > 10
    for command in commands:
        for user in users:
            replies = await user.send(f"/{command}")
            _polite(replies, bot, f"{user.id} /{command}")
            await user.send("/huy")
    assert [r.getMessage() for r in errors] == []
    assert refused(bot) == []
    assert await guarded(bot) == before


def test_forging_covers_the_registered_actions() -> None:
    import handlers  # noqa: F401  (registers every action)

    classes = registered()
    packed = [name for name, cls in classes.items() if forged(cls, 1) is not None]
    assert len(packed) >= 0.9 * len(classes), sorted(set(classes) - set(packed))
    assert all(dataclasses.is_dataclass(cls) for cls in classes.values())
