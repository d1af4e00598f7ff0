"""The choices each Zalo chat was last offered, kept in the database so that a reply "2" picks
the same choice after a restart."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from channels.plain.offers import Offer
from core.clock import Clock
from storage.models import ZaloOffer
from ui.screen import Expect


class DatabaseOffers:
    def __init__(self, sessions: Callable[[], Any], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def get(self, chat_id: int) -> Offer | None:
        async with self._sessions() as session:
            row = await session.get(ZaloOffer, chat_id)
            if row is None:
                return None
            try:
                choices = tuple((str(label), str(data)) for label, data in row.choices)
                return Offer(choices, Expect(row.expect))
            except (TypeError, ValueError):
                return None  # a row written by a different version: nothing on offer

    async def put(self, chat_id: int, offer: Offer | None) -> None:
        async with self._sessions() as session:
            row = await session.get(ZaloOffer, chat_id)
            if offer is None:
                if row is not None:
                    await session.delete(row)
            elif row is None:
                session.add(
                    ZaloOffer(
                        chat_key=chat_id,
                        choices=[list(c) for c in offer.choices],
                        expect=offer.expect.value,
                        offered_at=self._clock.now(),
                    )
                )
            else:
                row.choices = [list(c) for c in offer.choices]
                row.expect = offer.expect.value
                row.offered_at = self._clock.now()
                session.add(row)
            await session.commit()
