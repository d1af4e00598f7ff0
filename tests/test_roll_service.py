"""The roll: counts per category and in total, one row per invitee and guest, the XLSX export
(opened again with openpyxl, cell by cell), and who may read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from core.clock import FrozenClock
from services import checkin, invitations, participants, roll
from services.context import Ctx
from services.errors import PermissionDenied
from services.vn_datetime import VN_TZ
from storage.models import CheckinMethod, Invitation, InvitationStatus, Person
from tests.test_participants_service import Crowd, build_crowd
from tests.test_plans_service import at

START = at(20, 1)

VI_LABELS = {
    "sheet.roll": "Danh sách",
    "sheet.summary": "Tổng hợp",
    "no": "STT",
    "name": "Họ và tên",
    "position": "Chức vụ",
    "unit": "Đơn vị",
    "category": "Thành phần",
    "answer": "Trả lời",
    "reason": "Lý do vắng",
    "checked_in_at": "Giờ điểm danh",
    "late": "Muộn",
    "method": "Hình thức",
    "invited": "Được mời",
    "accepted": "Tham dự",
    "declined": "Vắng",
    "no_answer": "Chưa trả lời",
    "checked_in": "Đã điểm danh",
    "manual": "BTC ghi nhận",
    "guests": "Khách",
    "answer.invited": "Chưa trả lời",
    "answer.accepted": "Tham dự",
    "answer.declined": "Vắng",
    "answer.guest": "Khách (không có giấy mời)",
    "method.qr": "Mã QR",
    "method.code": "Mã số",
    "method.manual": "BTC",
    "method.guest": "Khách",
    "yes": "Có",
    "other": "Khác",
    "total": "Tổng cộng",
}


@dataclass(frozen=True)
class Fate:
    """What happens to the invitees of one category: (accept, decline, no answer) and
    check-ins among them (on time, late, manual)."""

    accept: int
    decline: int
    on_time: int
    late: int
    manual: int


# category 1: 12 people, 2 without answer; category 2: 10, 2 without answer; 3: 8, 4 without.
SCENARIO = [Fate(8, 2, 6, 1, 1), Fate(5, 3, 4, 0, 1), Fate(4, 0, 1, 2, 0)]


@pytest.fixture
async def crowd(ctx: Ctx, clock: FrozenClock) -> Crowd:
    crowd = await build_crowd(ctx)
    await invitations.send(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    resolved = await participants.resolve(ctx, crowd.session.id)  # type: ignore[arg-type]
    cfg = await checkin.open_checkin(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    await checkin.configure_checkin(ctx, crowd.org.org_root, crowd.session.id, allow_guests=True)  # type: ignore[arg-type]
    checkins: list[tuple[Person, str]] = []
    for fate, group in zip(SCENARIO, resolved, strict=True):
        people = group.people
        for p in people[: fate.accept]:
            await invitations.answer(ctx, p, await inv_id(ctx, crowd, p), True)
        for i, p in enumerate(people[fate.accept : fate.accept + fate.decline]):
            await invitations.answer(ctx, p, await inv_id(ctx, crowd, p), False, f"Lý do {i}")
        # check-ins: the first ones on time, then late, then manual (the last one declined but
        # came, in category 2)
        order = people[: fate.on_time + fate.late + fate.manual]
        if fate.decline == 3:
            order = [*people[: fate.on_time + fate.late], people[fate.accept]]
        checkins += [(p, "on_time") for p in order[: fate.on_time]]
        checkins += [(p, "late") for p in order[fate.on_time : fate.on_time + fate.late]]
        checkins += [(p, "manual") for p in order[fate.on_time + fate.late :]]
    clock.set(START - timedelta(minutes=5))
    for p, how in checkins:
        if how == "on_time":
            await checkin.check_in(ctx, p, token=cfg.token)
    clock.set(START + timedelta(minutes=20))
    for p, how in checkins:
        if how == "late":
            await checkin.check_in(ctx, p, code=cfg.code)
        elif how == "manual":
            await checkin.manual_check_in(ctx, crowd.org.org_root, crowd.session.id, p.id)  # type: ignore[arg-type]
    guest = Person(telegram_id=900, full_name="=HYPERLINK(1)", created_at=clock.now())
    ctx.session.add(guest)
    await ctx.session.flush()
    await checkin.check_in(ctx, guest, token=cfg.token)  # a late guest
    return crowd


async def inv_id(ctx: Ctx, crowd: Crowd, p: Person) -> int:
    result = await ctx.session.exec(
        select(Invitation.id).where(
            Invitation.session_id == crowd.session.id, Invitation.person_id == p.id
        )
    )
    return result.one()  # type: ignore[return-value]


async def test_counts_per_category_and_totals(ctx: Ctx, crowd: Crowd) -> None:
    result = await roll.roll(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    assert [c.category_id for c in result.categories] == [c.id for c in crowd.categories]
    assert [c.label for c in result.categories] == [c.label for c in crowd.categories]
    assert [c.counts for c in result.categories] == [
        roll.Counts(
            invited=12, accepted=8, declined=2, no_answer=2, checked_in=8, late=2, manual=1
        ),  # the manual one came at 08:20: late too
        roll.Counts(
            invited=10, accepted=5, declined=3, no_answer=2, checked_in=5, late=1, manual=1
        ),
        roll.Counts(invited=8, accepted=4, declined=0, no_answer=4, checked_in=3, late=2),
    ]
    assert result.totals == roll.Counts(
        invited=30,
        accepted=17,
        declined=5,
        no_answer=8,
        checked_in=17,
        late=6,
        manual=2,
        guests=1,
    )
    reasons = result.categories[1].reasons
    assert sorted(r.reason for r in reasons) == ["Lý do 0", "Lý do 1", "Lý do 2"]
    assert result.categories[2].reasons == []


async def test_rows_and_the_xlsx_export(ctx: Ctx, crowd: Crowd) -> None:
    rows = await roll.roll_rows(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    summary = await roll.roll(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    assert len(rows) == 31
    assert [r.guest for r in rows] == [False] * 30 + [True]
    assert rows[-1].name == "=HYPERLINK(1)" and rows[-1].answer is None
    assert [r.category for r in rows[:12]] == [crowd.categories[0].label] * 12
    sec_a1 = next(r for r in rows if r.person_id == crowd.org.sec_a1.id)
    assert sec_a1.unit == f"{crowd.org.a1.name}; {crowd.org.root.name}"
    assert sum(r.checked_in_at is not None for r in rows) == summary.totals.checked_in
    assert sum(r.late for r in rows) == summary.totals.late
    assert sum(r.method == CheckinMethod.MANUAL for r in rows) == summary.totals.manual
    assert sum(r.answer == InvitationStatus.DECLINED for r in rows) == summary.totals.declined

    data = roll.export_roll_xlsx(rows, VI_LABELS, summary=summary)
    book = load_workbook(BytesIO(data))
    assert book.sheetnames == ["Danh sách", "Tổng hợp"]
    sheet = book["Danh sách"]
    assert [c.value for c in sheet[1]] == [VI_LABELS[k] for k in roll.COLUMNS]
    assert sheet.max_row == 32
    for number, row in enumerate(rows, 1):
        cells = [c.value for c in sheet[number + 1]]
        answer = "answer.guest" if row.answer is None else f"answer.{row.answer.value}"
        assert cells[0] == number
        assert cells[1] == row.name
        assert cells[2] == (row.position or None)
        assert cells[3] == (row.unit or None)
        assert cells[4] == (row.category or None)
        assert cells[5] == VI_LABELS[answer]
        assert cells[6] == (row.reason or None)
        if row.checked_in_at is None:
            assert cells[7] is None
        else:
            assert cells[7] == row.checked_in_at.astimezone(VN_TZ).replace(tzinfo=None)
        assert cells[8] == ("Có" if row.late else None)
        assert cells[9] == (VI_LABELS[f"method.{row.method.value}"] if row.method else None)
    assert sheet.cell(row=32, column=2).data_type == "s"  # a name, never a formula
    assert [c.value for c in sheet["I"]].count("Có") == summary.totals.late
    assert sum(1 for c in sheet["H"][1:] if c.value is not None) == 17

    table = book["Tổng hợp"]
    assert [c.value for c in table[1]] == [VI_LABELS[k] for k in roll.SUMMARY_COLUMNS]
    lines = [[c.value for c in line] for line in table.iter_rows(min_row=2)]
    fields = roll.SUMMARY_COLUMNS[1:]
    expected = [[c.label, *(getattr(c.counts, f) for f in fields)] for c in summary.categories]
    expected.append(["Khách", 0, 0, 0, 0, 1, 1, 0, 1])
    expected.append(["Tổng cộng", *(getattr(summary.totals, f) for f in fields)])
    assert lines == expected
    # the category rows plus the guests add up to the total row
    for column in range(1, len(fields) + 1):
        assert sum(line[column] for line in lines[:-1]) == lines[-1][column]


async def test_deleted_category_shows_as_other(ctx: Ctx, crowd: Crowd) -> None:
    before = await roll.roll(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    await participants.delete_category(ctx, crowd.org.org_root, crowd.categories[0].id)  # type: ignore[arg-type]
    after = await roll.roll(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    assert [c.category_id for c in after.categories] == [
        crowd.categories[1].id,
        crowd.categories[2].id,
        None,
    ]
    assert after.categories[-1].counts == before.categories[0].counts
    assert after.totals == before.totals
    rows = await roll.roll_rows(ctx, crowd.org.org_root, crowd.session.id)  # type: ignore[arg-type]
    data = roll.export_roll_xlsx(rows, VI_LABELS)
    sheet = load_workbook(BytesIO(data)).active
    assert [c.value for c in sheet["E"]].count("Khác") == 12


@pytest.mark.parametrize("who", ["org_root", "leader_root", "org_ga"])
async def test_organisers_and_leaders_read_the_roll(ctx: Ctx, crowd: Crowd, who: str) -> None:
    result = await roll.roll(ctx, getattr(crowd.org, who), crowd.session.id)  # type: ignore[arg-type]
    assert result.totals.invited == 30


@pytest.mark.parametrize("who", ["sec_a1", "mem_a1", "sec_b1"])
async def test_others_do_not(ctx: Ctx, crowd: Crowd, who: str) -> None:
    for read in (roll.roll, roll.roll_rows):
        with pytest.raises(PermissionDenied):
            await read(ctx, getattr(crowd.org, who), crowd.session.id)  # type: ignore[arg-type]
