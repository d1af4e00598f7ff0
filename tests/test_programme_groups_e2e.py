"""Issue 14, item 9, by chat over the stub: a participant group's rule is changed (starting from
the roles it has) or removed; long group labels are cut at a word boundary with "…"; the
step that lists roles says "vai trò"."""

from __future__ import annotations

from core.clock import FrozenClock
from playground.harness import BotHarness
from tests.e2e_steps import only_text
from tests.test_invitations_e2e import GROUPS, SESSION_BUTTON, build, buttons, organiser
from ui.common import short_label


async def test_a_groups_rule_is_changed_and_removed(bot: BotHarness, clock: FrozenClock) -> None:
    world = await build(bot)
    org = organiser(bot, world)
    listing = await org.send("/thanhphan")
    screen = only_text(await org.press(SESSION_BUTTON, listing[0]))
    assert f"2. {GROUPS[1]}: 10 người\n    Cấp ủy viên · Đảng ủy" in screen

    asked = only_text(await org.press(f"⚙️ Đổi quy tắc: {GROUPS[1]}"))
    assert "Chọn vai trò của những người được mời" in asked
    assert "☑ Cấp ủy viên" in buttons(org.last)  # the rule's own roles are chosen already
    await org.press("☐ Lãnh đạo")
    assert "☑ Lãnh đạo" in buttons(org.last)
    await org.press("Tiếp ▶")
    after = only_text(await org.press("Đảng ủy"))
    assert f"2. {GROUPS[1]}: 11 người\n    Lãnh đạo, Cấp ủy viên · Đảng ủy" in after
    assert org.messages[-2].text == f"Đã đặt quy tắc cho thành phần “{GROUPS[1]}”."

    # Removing the first group's rule: it keeps its label, brings nobody, asks for a rule.
    text = only_text(await org.press("🗑 Bỏ quy tắc"))
    assert org.messages[-2].text == f"Đã bỏ quy tắc của thành phần “{GROUPS[0]}”."
    assert f"1. {GROUPS[0]}: 0 người" in text
    assert "⚠️ Chưa xác định được ai thuộc thành phần này" in text
    assert f"⚙️ Quy tắc: {short_label(GROUPS[0], 36)}" in buttons(org.last)
    assert "Tổng cộng:" in text


def test_labels_are_cut_at_a_word_boundary() -> None:
    label = "Đại diện lãnh đạo Ban Thường vụ Tỉnh ủy tỉnh Bình Định"
    cut = short_label(label, 40)
    assert cut.endswith("…") and len(cut) <= 40
    assert label.startswith(cut[:-1]) and label[len(cut) - 1] == " "  # a whole word ends there
    assert short_label("Thành ủy; lãnh đạo các ban", 12) == "Thành ủy…"
