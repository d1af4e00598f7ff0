"""The outbox's Zalo channel: a prepared row as plain text with numbered choices.

The row's buttons become the chat's choices on offer (kept in the database like the Zalo
renderer's), so a reply "1" presses the first. Limits: ZALO_RATE_LIMIT messages/s overall, one
per second in one chat. 429 (Zalo documents no retry_after) pauses the channel with an
exponential back-off; 403 means Zalo will not deliver to this person ("cannot reach"); a
request that may have reached Zalo without an answer is `uncertain`, never sent again."""

from __future__ import annotations

from datetime import timedelta

from channels.plain.offers import Offer, OfferStore
from channels.plain.render import TEXT_LIMIT, how_to_answer
from channels.web.publish import Publisher
from channels.zalo.client import (
    Forbidden,
    NotFound,
    TooManyRequests,
    ZaloError,
    ZaloNetworkError,
)
from channels.zalo.outlet import ZaloOutlet
from channels.zalo.render import zalo_words
from core.clock import Clock
from core.i18n import Lang
from scheduler.pacing import Limits, Pace
from scheduler.sender import ZALO, Outcome, Recipient
from services.notifications import render as render_text
from services.preparers import Prepared
from ui.screen import Expect
from ui.split import split_text

UNREACHABLE = "cannot reach this person on Zalo"
MAX_BACKOFF_S = 300


def zalo_limits(per_second: float) -> Limits:
    return Limits(per_second=per_second, per_chat_seconds=1.0)


def compose_notice(lang: Lang, prepared: Prepared) -> tuple[str, Offer | None]:
    """The notice's text with its buttons as numbered choices, and the offer they make."""
    if prepared.text is not None:
        text = prepared.text
    else:
        text = render_text(lang, prepared.msgid, prepared.params)
    choices = tuple((lang.t(b.label), b.data) for row in prepared.buttons for b in row)
    if not choices:
        return zalo_words(text), None
    menu = "\n".join(f"{i}. {label}" for i, (label, _) in enumerate(choices, start=1))
    body = f"{text}\n\n{menu}\n\n{how_to_answer(lang, Expect.CHOICE, len(choices))}"
    return zalo_words(body), Offer(choices, Expect.CHOICE)


class ZaloSender:
    channel = ZALO

    def __init__(
        self,
        outlet: ZaloOutlet,
        offers: OfferStore,
        clock: Clock,
        limits: Limits | None,
        publisher: Publisher | None = None,
    ) -> None:
        self.outlet = outlet
        self.offers = offers
        self.publisher = publisher  # a notice's picture goes out by a signed link
        self.pace = Pace(clock, limits)
        self._backoff_s = 1.0

    async def wait_turn(self, address: int | str) -> None:
        await self.pace.wait_turn(address)

    async def send(self, recipient: Recipient, prepared: Prepared, attempts: int) -> Outcome:
        chat_key = int(recipient.address)
        text, offer = compose_notice(Lang(recipient.locale), prepared)
        parts = split_text(text, TEXT_LIMIT)
        try:
            external = await self.outlet.external_id(chat_key)
            if external is None:
                return Outcome("failed", "recipient unreachable")
            # Only the first request is safe to retry: once one part went out, a failure
            # later is recorded as uncertain, so nobody reads a notice twice.
            first = None
            for i, part in enumerate(parts):
                try:
                    sent = await self.outlet.client.send_message(external, part)
                except (TooManyRequests, ZaloNetworkError) as exc:
                    if i == 0:
                        raise
                    return Outcome("uncertain", f"network: part {i + 1} failed ({exc})")
                first = first or sent
            if offer is not None:
                await self.offers.put(chat_key, offer)
            if prepared.photo is not None and self.publisher is not None:
                url = await self.publisher.link(
                    prepared.photo, "chart.png", "image/png", str(chat_key)
                )
                try:
                    await self.outlet.client.send_photo_url(external, url)
                except (ZaloError, ZaloNetworkError):
                    pass  # the text went out: the notice is delivered, its picture is extra
        except TooManyRequests:
            wait = timedelta(seconds=self._backoff_s)
            self._backoff_s = min(MAX_BACKOFF_S, self._backoff_s * 2)
            self.pace.pause(wait)
            return Outcome("retry", f"flood limit: retry after {wait}", wait)
        except (Forbidden, NotFound):
            return Outcome("failed", f"unreachable: {UNREACHABLE}")
        except ZaloNetworkError as exc:
            if not exc.sent:
                backoff = timedelta(seconds=min(MAX_BACKOFF_S, 2 ** max(attempts, 1)))
                return Outcome("retry", f"network: {exc}", backoff)
            return Outcome("uncertain", f"network: {exc}")
        except ZaloError as exc:
            return Outcome("failed", f"zalo: {exc.code} {exc.description}"[:300])
        self._backoff_s = max(1.0, self._backoff_s / 2)
        return Outcome("sent", "", message_id=None)
