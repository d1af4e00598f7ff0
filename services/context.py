"""What every service call needs: a database session and a clock."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import Clock


@dataclass(slots=True)
class Ctx:
    session: AsyncSession
    clock: Clock
