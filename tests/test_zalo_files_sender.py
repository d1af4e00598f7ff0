"""The outbox's Zalo sender against the local Zalo stub: numbered choices kept as the chat's
offer, 429 backs the channel off, 403 is 'cannot reach', an answer lost after the request
left is uncertain (never re-sent), long notices in parts of at most 2,000; and who is reached
when a person has both accounts (the account used last)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from channels.plain.offers import Offers
from channels.zalo.client import ZaloClient
from channels.zalo.outlet import ZaloOutlet
from channels.zalo.sender import ZaloSender, zalo_limits
from core.clock import FrozenClock
from handlers.outbox_report import reason_label
from playground.zalo_stub import ZaloStub
from scheduler.sender import TELEGRAM, ZALO, Recipient, last_used_first, recipient_of
from services.accounts import ZALO_KEY_BASE
from services.notifications import Button
from services.preparers import Prepared
from storage.models import Channel, ChannelAccount, Person

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TOKEN = "555:zalo-sender-token"
KEY = ZALO_KEY_BASE + 42
CHAT = "zalo-user-0042"


@pytest.fixture
async def wired() -> AsyncIterator[tuple[ZaloStub, ZaloSender, Offers, FrozenClock]]:
    stub = ZaloStub(TOKEN)
    await stub.start()
    client = ZaloClient(TOKEN, stub.base_url, timeout=0.5)
    outlet = ZaloOutlet(client, sessions=lambda: None)
    outlet.remember(KEY, CHAT)
    offers, clock = Offers(), FrozenClock(NOW)
    try:
        yield stub, ZaloSender(outlet, offers, clock, None), offers, clock
    finally:
        await client.close()
        await stub.stop()


RSVP = Prepared(
    text="Mời đồng chí dự sinh hoạt chi bộ tháng 3 lúc 08:00.",
    buttons=[[Button("Attend", "rsvp:7:yes"), Button("Absent (give a reason)", "rsvp:7:no")]],
)
WHO = Recipient(ZALO, KEY, "vi")


async def test_a_notice_goes_out_with_numbered_choices_a_reply_presses(
    wired: tuple[ZaloStub, ZaloSender, Offers, FrozenClock],
) -> None:
    stub, sender, offers, _clock = wired
    outcome = await sender.send(WHO, RSVP, 1)
    assert outcome.kind == "sent"
    [sent] = stub.sent_to(CHAT)
    assert sent.text is not None and "\n1. " in sent.text and "\n2. " in sent.text
    assert "bấm" not in sent.text.lower()
    offer = await offers.get(KEY)
    assert offer is not None
    assert offer.pick("1") == "rsvp:7:yes" and offer.pick("2") == "rsvp:7:no"


async def test_429_backs_off_exponentially_and_pauses_the_channel(
    wired: tuple[ZaloStub, ZaloSender, Offers, FrozenClock],
) -> None:
    stub, sender, _offers, _clock = wired
    stub.fail_next("sendMessage", 429, times=3)
    waits = [(await sender.send(WHO, RSVP, n)).wait for n in (1, 2, 3)]
    assert waits == [timedelta(seconds=1), timedelta(seconds=2), timedelta(seconds=4)]
    assert sender.pace.paused_for == pytest.approx(4, abs=0.01)
    assert stub.sent_to(CHAT) == []
    assert (await sender.send(WHO, RSVP, 4)).kind == "sent"


async def test_403_is_recorded_as_cannot_reach_this_person(
    wired: tuple[ZaloStub, ZaloSender, Offers, FrozenClock],
) -> None:
    stub, sender, _offers, _clock = wired
    stub.fail_next("sendMessage", 403)
    outcome = await sender.send(WHO, RSVP, 1)
    assert outcome.kind == "failed"
    assert reason_label(outcome.error) == "cannot reach this person on Zalo"


async def test_an_answer_lost_after_the_request_left_is_uncertain_not_resent(
    wired: tuple[ZaloStub, ZaloSender, Offers, FrozenClock],
) -> None:
    stub, sender, _offers, _clock = wired
    stub.slow_next("sendMessage", 1.5)  # the client gives up after 0.5 s; the stub delivers
    outcome = await sender.send(WHO, RSVP, 1)
    assert outcome.kind == "uncertain"


async def test_a_long_notice_is_sent_in_parts_of_at_most_2000(
    wired: tuple[ZaloStub, ZaloSender, Offers, FrozenClock],
) -> None:
    stub, sender, _offers, _clock = wired
    long = Prepared(text="\n\n".join(f"Mục {i}. " + "nội dung " * 60 for i in range(10)))
    assert (await sender.send(WHO, long, 1)).kind == "sent"
    parts = stub.sent_to(CHAT)
    assert len(parts) >= 3 and all(1 <= len(p.text or "") <= 2000 for p in parts)
    assert not stub.refused


def test_limits_follow_zalo_rate_limit() -> None:
    limits = zalo_limits(10.0)
    assert limits.per_second == 10.0 and limits.per_chat_seconds == 1.0


def _account(id_: int, channel: Channel, external: str, seen: datetime | None) -> ChannelAccount:
    return ChannelAccount(
        id=id_,
        channel=channel,
        external_id=external,
        person_id=1,
        created_at=NOW - timedelta(days=30),
        last_seen_at=seen,
    )


def test_a_person_with_both_accounts_is_reached_on_the_one_used_last() -> None:
    person = Person(id=1, telegram_id=123456, full_name="Lan")
    telegram = _account(1, Channel.TELEGRAM, "123456", NOW - timedelta(days=1))
    zalo = _account(2, Channel.ZALO, "zalo-lan", NOW - timedelta(hours=1))
    both = (TELEGRAM, ZALO)
    listed = last_used_first([telegram, zalo])[1]
    assert recipient_of(person, "vi", listed, both) == Recipient(ZALO, ZALO_KEY_BASE + 2, "vi")
    telegram.last_seen_at = NOW
    listed = last_used_first([telegram, zalo])[1]
    assert recipient_of(person, "vi", listed, both) == Recipient(TELEGRAM, 123456, "vi")
    # Zalo not served: Telegram; no account at all (joined before accounts): Telegram.
    assert recipient_of(person, "vi", [zalo], (TELEGRAM,)) == Recipient(TELEGRAM, 123456, "vi")
    assert recipient_of(person, "vi") == Recipient(TELEGRAM, 123456, "vi")
    zalo_only = Person(id=2, telegram_id=None, full_name="Hà")
    assert recipient_of(zalo_only, "vi", [], both) is None
