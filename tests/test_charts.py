"""The chart images: sessions told apart by host and time, values in %, a legend for the
colours, the expected rate labelled beside the bars (never over one)."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from matplotlib.image import imread

from services import charts
from services.vn_datetime import VN_TZ


def test_two_sessions_on_one_day_are_told_apart() -> None:
    morning = charts.session_label("Chi bộ Khoa Toán", datetime(2025, 1, 20, 1, tzinfo=UTC), VN_TZ)
    afternoon = charts.session_label(
        "Chi bộ Khoa Toán", datetime(2025, 1, 20, 7, tzinfo=UTC), VN_TZ
    )
    assert morning == "Chi bộ Khoa Toán\n20/01 08:00"
    assert afternoon == "Chi bộ Khoa Toán\n20/01 14:00"
    long = charts.session_label(
        "Chi bộ Trường Trung cấp Kinh tế - Kỹ thuật", datetime.now(UTC), VN_TZ
    )
    assert long.count("\n") <= 2


def test_values_in_percent() -> None:
    assert [charts._percent(v) for v in (93.33, 85.0, 40.9)] == ["93,3%", "85%", "40,9%"]


def _draw(rates: list[float]) -> tuple[int, int]:
    data = charts.attendance_chart(
        [f"Chi bộ {n}\n20/01 08:00" for n in range(len(rates))],
        rates,
        title="Tỷ lệ tham dự theo buổi (%)",
        ylabel="Có mặt / được mời (%)",
        target=0.85,
        target_label="Yêu cầu: trên 85%",
        met_label="Đạt yêu cầu",
        below_label="Chưa đạt yêu cầu",
    )
    assert data.startswith(b"\x89PNG")
    image = imread(BytesIO(data))
    return image.shape[1], image.shape[0]


def test_the_chart_grows_with_the_sessions() -> None:
    few = _draw([0.93, 0.41, 0.82])
    many = _draw([0.9] * 12)
    assert many[0] > few[0]  # wider, so the labels keep their room
