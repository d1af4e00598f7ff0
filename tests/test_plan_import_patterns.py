"""One test per pattern that real plans broke (issue 13), each on a plan written for it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from core.clock import FrozenClock
from services import people, roles, units
from services.context import Ctx
from services.plan_import import extract_plan
from services.plan_import.apply import apply_draft
from services.plan_import.hosts import match_issuer
from storage.models import Requirement, RequirementKind, RequirementTarget, Role, Unit, UnitKind

HEAD = "HUYỆN ỦY TÂN YÊN\nSố 30-KH/HU\nTân Yên, ngày 05 tháng 01 năm 2025\n\nKẾ HOẠCH\n{title}\n\n"


def plan(body: str, title: str = "Tổ chức sinh hoạt chi bộ mẫu năm 2025") -> dict:
    return extract_plan(HEAD.format(title=title) + body).to_json()


def brief(session: dict) -> tuple:
    return (session["kind"], session["host"], session["starts_at"] or session["month"])


def test_1_two_sessions_in_one_sentence() -> None:
    comma = plan(
        "I. NỘI DUNG\nChọn Chi bộ thôn Đồng Lạc tổ chức sinh hoạt chi bộ thường kỳ, Chi bộ "
        "Trường THCS Cao Xá tổ chức sinh hoạt chuyên đề.\n"
    )
    assert [(s["kind"], s["host"]) for s in comma["sessions"]] == [
        ("thuong_ky", "Chi bộ thôn Đồng Lạc"),
        ("chuyen_de", "Chi bộ Trường THCS Cao Xá"),
    ]
    semicolon = plan(
        "I. NỘI DUNG\nChi bộ Tổ dân phố 2 sinh hoạt thường kỳ mẫu vào 19 giờ 30 ngày 14/3/2025; "
        "Chi bộ Trường Tiểu học Nhã Nam sinh hoạt chuyên đề mẫu vào 14 giờ 00 ngày 28/3/2025.\n"
    )
    assert [brief(s) for s in semicolon["sessions"]] == [
        ("thuong_ky", "Chi bộ Tổ dân phố 2", "2025-03-14T19:30:00+07:00"),
        ("chuyen_de", "Chi bộ Trường Tiểu học Nhã Nam", "2025-03-28T14:00:00+07:00"),
    ]


def test_2_citation_dates_are_not_session_dates() -> None:
    draft = plan(
        "Thực hiện Chương trình hành động số 12-CTr/TU, ngày 15/10/2024 của Tỉnh ủy, Ban Thường "
        "vụ Huyện ủy tổ chức hội thảo như sau:\n\nI. NỘI DUNG\n1. Hội thảo về sinh hoạt chi bộ\n"
        "2. Thời gian\nDự kiến tổ chức vào tháng 4/2025 (sẽ có thông báo cụ thể).\n",
        title="Tổ chức hội thảo về nâng cao chất lượng sinh hoạt chi bộ",
    )
    (workshop,) = draft["sessions"]
    assert (workshop["kind"], workshop["month"], workshop["starts_at"]) == (
        "hoi_thao",
        "2025-04",
        None,
    )
    assert draft["legal_bases"] == [
        "Chương trình hành động số 12-CTr/TU, ngày 15/10/2024 của Tỉnh ủy"
    ]


def test_3_no_sessions_invented_from_headings_or_tasks() -> None:
    draft = plan(
        "I. MỤC ĐÍCH\nHội thảo nhằm trao đổi kinh nghiệm.\n\nII. NỘI DUNG\n"
        "1. Hội thảo “Sinh hoạt chi bộ ở vùng cao”\n- Thời gian: tháng 6/2025.\n"
        "- Địa điểm: Hội trường Huyện ủy.\n\nIII. TỔ CHỨC THỰC HIỆN\n"
        "1. Ban Tuyên giáo Huyện ủy chuẩn bị nội dung hội thảo.\n"
        "2. Văn phòng Huyện ủy phục vụ hội thảo tại Hội thảo.\n",
        title="Tổ chức hội thảo",
    )
    assert [(s["kind"], s["topic"], s["month"], s["venue"]) for s in draft["sessions"]] == [
        ("hoi_thao", "Sinh hoạt chi bộ ở vùng cao", "2025-06", "Hội trường Huyện ủy")
    ]


def test_4_venue_under_its_own_heading_split_and_shared() -> None:
    own = plan(
        "I. NỘI DUNG\n1. Hội thảo “Chi bộ vững mạnh”\n2. Thời gian: tháng 5/2025.\n"
        "3. Địa điểm: Hội trường Khách sạn Sông Thương, thành phố Bắc Giang, tỉnh Bắc Giang.\n",
        title="Tổ chức hội thảo",
    )
    (workshop,) = own["sessions"]
    assert (workshop["venue"], workshop["address"]) == (
        "Hội trường Khách sạn Sông Thương",
        "thành phố Bắc Giang, tỉnh Bắc Giang",
    )
    shared = plan(
        "I. NỘI DUNG\n1. Chi bộ Tổ 3 sinh hoạt thường kỳ mẫu lúc 19 giờ 00 ngày 10/3/2025.\n"
        "2. Chi bộ Tổ 5 sinh hoạt chuyên đề mẫu lúc 19 giờ 00 ngày 24/3/2025.\n"
        "3. Địa điểm: các buổi sinh hoạt đều tổ chức tại Nhà văn hóa Tổ 3, địa chỉ: số 8 phố Chợ.\n"
    )
    assert [(s["venue"], s["address"]) for s in shared["sessions"]] == [
        ("Nhà văn hóa Tổ 3", "số 8 phố Chợ")
    ] * 2


def test_5_openings_other_than_thuc_hien_and_bases_joined_by_va() -> None:
    draft = plan(
        "Nhằm thực hiện Chỉ thị số 10-CT/TW ngày 30/3/2007 của Ban Bí thư và Hướng dẫn số "
        "12-HD/BTCTW ngày 06/7/2017 của Ban Tổ chức Trung ương;\nCăn cứ Quy định số 24-QĐ/TW "
        "ngày 30/7/2021 của Ban Chấp hành Trung ương, Ban Thường vụ Huyện ủy xây dựng kế hoạch "
        "như sau:\n\nI. MỤC ĐÍCH\nNâng cao chất lượng.\n"
    )
    assert draft["legal_bases"] == [
        "Chỉ thị số 10-CT/TW ngày 30/3/2007 của Ban Bí thư",
        "Hướng dẫn số 12-HD/BTCTW ngày 06/7/2017 của Ban Tổ chức Trung ương",
        "Quy định số 24-QĐ/TW ngày 30/7/2021 của Ban Chấp hành Trung ương",
    ]


def test_6_inline_participants_and_back_references() -> None:
    draft = plan(
        "I. NỘI DUNG\n1. Sinh hoạt chi bộ thường kỳ mẫu\n- Chi bộ Tổ 1 thực hiện.\n"
        "- Thời gian: 19 giờ 00 ngày 10/3/2025.\n"
        "- Thành phần mời dự sinh hoạt: Thường trực Huyện ủy; Bí thư các chi bộ; Đảng viên Chi "
        "bộ Tổ 1.\n2. Sinh hoạt chi bộ chuyên đề mẫu\n- Chi bộ Tổ 2 thực hiện.\n"
        "- Thời gian: 19 giờ 00 ngày 20/3/2025.\n- Thành phần: như buổi sinh hoạt thường kỳ nêu "
        "trên.\n"
    )
    assert draft["participants"] == [
        "Thường trực Huyện ủy",
        "Bí thư các chi bộ",
        "Đảng viên Chi bộ Tổ 1",
    ]
    assert [s["host"] for s in draft["sessions"]] == ["Chi bộ Tổ 1", "Chi bộ Tổ 2"]


def test_7_host_named_mid_sentence_or_after_the_date_and_topic_from_title() -> None:
    draft = plan(
        "I. NỘI DUNG\n1. Sinh hoạt chuyên đề mẫu\nBan Thường vụ Huyện ủy chỉ đạo Chi bộ bản Pá "
        "Khoang tổ chức sinh hoạt chuyên đề mẫu.\n- Thời gian: 8 giờ 00 ngày 12/3/2025.\n\n"
        "2. Sinh hoạt chi bộ thường kỳ mẫu\n- Thời gian: 19 giờ 00 ngày 20/3/2025.\n"
        "- Chi bộ thực hiện: Chi bộ Trường Mầm non Hoa Ban.\n",
        title="Sinh hoạt chuyên đề mẫu “Đảng viên giữ gìn bản sắc văn hóa”",
    )
    assert [(s["kind"], s["host"], s["topic"]) for s in draft["sessions"]] == [
        ("chuyen_de", "Chi bộ bản Pá Khoang", "Đảng viên giữ gìn bản sắc văn hóa"),
        ("thuong_ky", "Chi bộ Trường Mầm non Hoa Ban", None),
    ]


CASCADE = (
    "I. NỘI DUNG\nMỗi đảng ủy cơ sở chọn hai chi bộ, một chi bộ sinh hoạt thường kỳ mẫu và một "
    "chi bộ sinh hoạt chuyên đề mẫu; gửi danh sách và lịch về Ban Tổ chức Huyện ủy (qua Phòng "
    "Tổ chức) trước ngày 20/02/2025; tổ chức xong và báo cáo kết quả trước ngày 30/6/2025.\n"
)


async def test_8_a_cascade_becomes_requirements_on_every_grassroots_unit(
    ctx: Ctx, clock: FrozenClock
) -> None:
    draft = extract_plan(HEAD.format(title="Sinh hoạt chi bộ mẫu") + CASCADE)
    assert draft.sessions == []
    assert [(d.due, d.what) for d in draft.deadlines] == [
        (
            date(2025, 2, 20),
            "Mỗi đảng ủy cơ sở chọn hai chi bộ, một chi bộ sinh hoạt thường kỳ mẫu và một chi bộ "
            "sinh hoạt chuyên đề mẫu; gửi danh sách và lịch về Ban Tổ chức Huyện ủy (qua Phòng "
            "Tổ chức)",
        ),
        (date(2025, 6, 30), "Tổ chức xong và báo cáo kết quả"),
    ]
    clock.set(datetime(2025, 1, 6, 2, tzinfo=UTC))
    root = await units.ensure_root(ctx, "Huyện ủy Tân Yên")
    admin = await people.ensure_person(ctx, 1)
    admin.full_name = "Nguyễn Văn An"
    await roles.add_membership(ctx, admin, root.id, Role.ORGANISER)  # type: ignore[arg-type]
    made = [
        await units.create_unit(ctx, admin, root.id, name, UnitKind.GRASSROOTS)  # type: ignore[arg-type]
        for name in ("Đảng bộ xã Cao Xá", "Đảng bộ xã Ngọc Vân")
    ]
    await units.create_unit(ctx, admin, made[0].id, "Chi bộ thôn 1", UnitKind.CELL)  # type: ignore[arg-type]
    result = await apply_draft(ctx, admin, draft, root.id)  # type: ignore[arg-type]
    assert result.skipped == []
    first = (await ctx.session.exec(select(Requirement).order_by(Requirement.id))).first()
    assert first is not None
    assert (first.kind, first.quota_thuong_ky, first.quota_chuyen_de, first.due_on) == (
        RequirementKind.REPORT_SESSIONS,
        1,
        1,
        date(2025, 2, 20),
    )
    targets = (
        await ctx.session.exec(
            select(RequirementTarget.unit_id).where(RequirementTarget.requirement_id == first.id)
        )
    ).all()
    assert sorted(targets) == sorted(u.id for u in made)  # every đảng ủy cơ sở, no chi bộ
    assert len(result.requirements) == 2


async def test_9_the_opening_sentence_names_the_issuer(ctx: Ctx) -> None:
    text = (
        "ĐẢNG BỘ TỈNH BẮC GIANG\nSố 12-KH/ĐUK\n\nKẾ HOẠCH\nSinh hoạt chi bộ mẫu\n\n"
        "Thực hiện Hướng dẫn số 12-HD/BTCTW ngày 06/7/2017, Ban Thường vụ Đảng ủy Khối các cơ "
        "quan tỉnh ban hành Kế hoạch như sau:\n\nI. MỤC ĐÍCH\nNâng cao chất lượng.\n"
    )
    draft = extract_plan(text)
    assert draft.issuer_clause == "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh"
    province = await units.ensure_root(ctx, "Đảng bộ tỉnh Bắc Giang")
    admin = await people.ensure_person(ctx, 1)
    await roles.add_membership(ctx, admin, province.id, Role.ORGANISER)  # type: ignore[arg-type]
    bloc = await units.create_unit(
        ctx,
        admin,
        province.id,
        "Đảng ủy Khối các cơ quan tỉnh",
        UnitKind.COMMITTEE,  # type: ignore[arg-type]
    )
    candidates: list[Unit] = [province, bloc]
    assert match_issuer(candidates, [draft.issuer_clause, draft.issuer]) is bloc
    assert match_issuer(candidates, [None, "ĐẢNG BỘ TỈNH BẮC GIANG"]) is province
