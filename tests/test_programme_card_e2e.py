"""Issue 14, items 6 and 8, by chat over the stub: a reported session is completed from its
card (venue, address "same as the venue", duration, topic), each change told once to the
people concerned and history kept; once its time has come it is marked held, or not held with
a reason, and the plan summary counts it."""

from __future__ import annotations

from datetime import datetime

from core.clock import FrozenClock
from playground.harness import BotHarness
from services.vn_datetime import VN_TZ
from tests.e2e_steps import only_text
from tests.test_report_session_e2e import MEM, ORG, SEC, labels, session_rows
from tests.test_schedule_e2e import EDIT, open_card, with_sessions

CHANGED = "đã thay đổi"  # "The details of the … have changed."


def _told(bot: BotHarness, chat: int) -> int:
    return sum(CHANGED in (m.text or "") for m in bot.stub.messages_to(chat))


async def test_the_card_completes_a_reported_session(bot: BotHarness, clock: FrozenClock) -> None:
    await with_sessions(bot, clock)
    sec = bot.user(SEC, "An")
    await open_card(sec, 2)
    assert EDIT in labels(sec.last)
    menu = only_text(await sec.press(EDIT))
    assert "Đồng chí muốn bổ sung hoặc thay đổi thông tin nào?" in menu
    assert labels(sec.last) == [
        "Địa điểm",
        "Địa chỉ",
        "Thời lượng",
        "Chuyên đề",
        "↩ Quay lại buổi sinh hoạt",
    ]
    assert "Xin gõ địa điểm" in only_text(await sec.press("Địa điểm"))
    done = only_text(await sec.send("Phòng họp tầng 3"))
    assert done.startswith("Đã lưu:"), done
    await bot.drain()
    assert _told(bot, MEM) == 1 and _told(bot, ORG) == 1

    # The address "same as the venue": stored once, told once.
    await sec.press("📋 Xem buổi sinh hoạt")
    await sec.press(EDIT)
    await sec.press("Địa chỉ")
    assert only_text(await sec.press("Như địa điểm")).startswith("Đã lưu:")
    await bot.drain()
    assert _told(bot, MEM) == 2
    row = next(r for r in await session_rows(bot) if r["kind"] == "thuong_ky")
    assert (row["venue"], row["address"]) == ("Phòng họp tầng 3", "Phòng họp tầng 3")

    # A duration that is not a number is asked again and changes nothing.
    await sec.press("📋 Xem buổi sinh hoạt")
    await sec.press(EDIT)
    await sec.press("Thời lượng")
    assert "số phút" in only_text(await sec.send("hai tiếng"))
    assert "Đã lưu:" in only_text(await sec.send("90"))
    card = only_text(await sec.press("📋 Xem buổi sinh hoạt"))
    assert "Thời lượng: 90 phút" in card and "Địa điểm: Phòng họp tầng 3" in card
    # The same value again changes nothing and tells nobody.
    await sec.press(EDIT)
    await sec.press("Thời lượng")
    assert "Không có gì thay đổi" in only_text(await sec.send("90"))
    await bot.drain()
    assert _told(bot, MEM) == 3
    await sec.press("📋 Xem buổi sinh hoạt")
    history = only_text(await sec.press("📜 Lịch sử"))
    assert "Phòng họp tầng 3" in history and "90" in history


async def test_held_or_not_held_from_the_card(bot: BotHarness, clock: FrozenClock) -> None:
    await with_sessions(bot, clock)
    sec = bot.user(SEC, "An")
    await open_card(sec, 2)
    assert "✅ Đã tổ chức" not in labels(sec.last)  # not begun yet
    clock.set(datetime(2025, 3, 28, 11, tzinfo=VN_TZ))  # it has ended (nobody checked in)
    session_id = next(r["id"] for r in await session_rows(bot) if r["kind"] == "thuong_ky")
    org = bot.user(ORG, "Tổ")
    await org.send("/lich")
    await org.press_data(org.last, f"ss:{session_id}")
    assert {"✅ Đã tổ chức", "❌ Không tổ chức được"} <= set(labels(org.last))
    assert only_text(await org.press("✅ Đã tổ chức")).startswith("Đã ghi nhận đã tổ chức")
    card = only_text(await org.press("📋 Xem buổi sinh hoạt"))
    assert "Tình trạng: đã tổ chức" in card
    assert "✅ Đã tổ chức" not in labels(org.last)
    asked = only_text(await org.press("❌ Không tổ chức được"))
    assert "Vì sao buổi sinh hoạt không tổ chức được?" in asked
    done = only_text(await org.send("Hoãn vì mưa bão"))
    assert done.startswith("Đã ghi nhận:"), done
    row = next(r for r in await session_rows(bot) if r["id"] == session_id)
    assert (row["status"], row["cancel_reason"]) == ("cancelled", "Hoãn vì mưa bão")
