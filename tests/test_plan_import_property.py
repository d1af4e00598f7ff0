"""Property: extract_plan accepts any text at all and always returns a well-formed draft."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.plan_import import PlanDraft, extract_plan

# Plan-shaped fragments, so generated texts reach the deeper extractors.
FRAGMENTS = [
    "KẾ HOẠCH",
    "\n",
    "\n\n",
    "# ",
    "## **",
    "**",
    "_",
    "\\*",
    "- ",
    "+ ",
    "I. ",
    "II - ",
    "1. ",
    "1.1. ",
    "a) ",
    "| ",
    " | ",
    "|---|",
    "Số 82 -KH/ĐU",
    "HUYỆN ỦY GIA LÂM",
    "Hà Nội, ngày 18 tháng 04 năm 2024",
    "ngày    tháng 4 năm 2024",
    "Căn cứ Chỉ thị số 10-CT/TW ngày 30 tháng 3 năm 2007;",
    "Thực hiện ",
    "Đảng ủy Sở xây dựng kế hoạch như sau:",
    "MỤC ĐÍCH, YÊU CẦU",
    "sinh hoạt chi bộ thường kỳ mẫu",
    "sinh hoạt chuyên đề",
    "Hội thảo “Nâng cao chất lượng”",
    "với chủ đề “",
    "”",
    "Chi bộ 01 thuộc Đảng bộ Trường A thực hiện;",
    "Chi bộ ",
    "thuộc Đảng bộ ",
    "Mỗi đảng ủy cơ sở chọn 2 chi bộ",
    "Thời gian: ",
    "08 giờ 00 ",
    "14h00 ngày 5/4/2024",
    "dự kiến tháng 5/2022",
    "31/2/2024",
    "Địa điểm: Hội trường A, địa chỉ: 1 Lê Lợi.",
    "tại Hội trường ",
    "Thành phần tham dự:",
    "Thành phần: A; B",
    "trước ngày 20/02/2025.",
    "chậm nhất ngày ",
    "Thời hạn: ",
    "Nơi nhận:",
    "\u0301",
    "\u00a0",
    "\x00",
    "\r",
]

plan_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60).map(
    "".join
)


class _Failures(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def no_extractor_failures() -> Iterator[None]:
    """extract_plan contains each extractor's failure; this makes such a failure fail the test."""
    handler = _Failures()
    logger = logging.getLogger("services.plan_import.extract")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert not handler.records, handler.records[0].getMessage()


def check(text: str) -> None:
    with no_extractor_failures():
        draft = extract_plan(text)
    data = draft.to_json()
    assert isinstance(data["legal_bases"], list)
    for session in data["sessions"]:
        assert session["kind"] in ("thuong_ky", "chuyen_de", "hoi_thao")
        if session["starts_at"] is not None:
            assert datetime.fromisoformat(session["starts_at"]).utcoffset() is not None
            assert session["starts_at"].endswith("+07:00")
        if session["month"] is not None:
            assert re.fullmatch(r"\d{4}-\d{2}", session["month"])
    for deadline in data["deadlines"]:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", deadline["due"])
    assert PlanDraft.from_json(data).to_json() == data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_extract_plan_never_raises_on_any_text(text: str) -> None:
    check(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_like)
def test_extract_plan_never_raises_on_plan_like_text(text: str) -> None:
    check(text)
