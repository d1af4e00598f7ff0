"""Chart images (PNG bytes) for the summaries, drawn with matplotlib's Agg backend (no display).

The functions take texts already translated by the caller and use matplotlib's object API
(a `Figure` per chart, no pyplot state, so no backend is chosen: a Figure draws with Agg); they may run in worker threads, one chart at a time
(matplotlib keeps some global state, such as its font cache). The bundled DejaVu Sans font
has every Vietnamese letter.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from datetime import datetime, tzinfo
from io import BytesIO
from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

# Colours per level, best first (tốt, khá, trung bình, kém).
LEVEL_COLOURS = ("#2e7d32", "#7cb342", "#f9a825", "#c62828")
BAR_COLOUR = "#1565c0"
BELOW_COLOUR = "#ef6c00"
DPI = 110
_LOCK = threading.Lock()  # one chart drawn at a time


def _figure(width: float, height: float) -> Any:
    figure = Figure(figsize=(width, height), dpi=DPI)
    figure.set_layout_engine("constrained")
    return figure


def _png(figure: Any) -> bytes:
    out = BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _locked(draw: Any) -> Any:
    """Draw one chart at a time, whichever thread asks."""

    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> bytes:
        with _LOCK:
            return draw(*args, **kwargs)  # type: ignore[no-any-return]

    return wrapper


def _wrap(text: str, width: int = 28, most: int = 3) -> str:
    """Break a long label over lines at spaces."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    if len(lines) > most:
        lines = [*lines[: most - 1], lines[most - 1] + "…"]
    return "\n".join(lines)


def session_label(host: str, starts_at: datetime, tz: tzinfo) -> str:
    """A session under its bar: the host (over two lines at most) and the local day and time,
    so that two sessions on one day are told apart."""
    return f"{_wrap(host, 18, most=2)}\n{starts_at.astimezone(tz):%d/%m %H:%M}"


def _percent(value: float) -> str:
    """93.3 → "93,3%" (Vietnamese decimal comma; whole numbers without decimals)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


@_locked
def attendance_chart(
    labels: Sequence[str],
    rates: Sequence[float],
    *,
    title: str,
    ylabel: str,
    target: float | None = None,
    target_label: str = "",
    met_label: str = "",
    below_label: str = "",
) -> bytes:
    """Attendance rate per session as bars (0–100%, each with its value in %), the expected
    rate as a dashed line labelled beyond the last bar (never over one), and a legend under
    the chart explaining the colours: bars above the expected rate, bars at or below it."""
    if len(labels) != len(rates):
        raise ValueError("one rate per label")
    figure = _figure(max(6.5, min(16.0, 1.1 * len(labels) + 3)), 4.8)
    axes = figure.add_subplot()
    values = [max(0.0, min(1.0, r)) * 100 for r in rates]
    below = [target is not None and v <= target * 100 for v in values]
    colours = [BELOW_COLOUR if low else BAR_COLOUR for low in below]
    positions = list(range(len(values)))
    axes.bar(positions, values, color=colours, width=0.6)
    many = len(labels) > 10
    axes.set_xticks(
        positions,
        labels,
        rotation=60 if many else 0,
        ha="right" if many else "center",
        fontsize=7 if many else 8,
    )
    axes.set_xlim(-0.6, len(values) - 0.4)
    axes.set_ylim(0, 110)
    axes.yaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}%"))
    axes.set_ylabel(ylabel)
    axes.set_title(title, fontsize=11)
    handles: list[Any] = []
    if met_label and (target is None or not all(below)):
        handles.append(Patch(color=BAR_COLOUR, label=met_label))
    if below_label and any(below):
        handles.append(Patch(color=BELOW_COLOUR, label=below_label))
    if target is not None:
        line = axes.axhline(target * 100, color="#555555", linestyle="--", linewidth=1)
        if target_label:
            line.set_label(target_label)
            handles.append(line)
            axes.annotate(
                _percent(target * 100),
                xy=(1.0, target * 100),
                xycoords=("axes fraction", "data"),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize=8,
                color="#555555",
            )
    if len(values) <= 16:
        for x, v in zip(positions, values, strict=True):
            axes.text(
                x,
                v + 1,
                _percent(v),
                ha="center",
                va="bottom",
                fontsize=7,
                zorder=3,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
            )
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=8)
    axes.set_axisbelow(True)
    axes.grid(axis="y", alpha=0.3)
    return _png(figure)


@_locked
def ratings_chart(
    rows: Sequence[str],
    counts: Sequence[Sequence[int]],
    level_labels: Sequence[str],
    *,
    title: str,
    xlabel: str,
) -> bytes:
    """How many delegates chose each level, per criterion: horizontal stacked bars (one row
    per criterion, top to bottom; one segment per level, best first)."""
    if len(rows) != len(counts) or any(len(c) != len(level_labels) for c in counts):
        raise ValueError("one count per level for every row")
    figure = _figure(8.0, max(3.0, 0.6 * len(rows) + 1.6))
    axes = figure.add_subplot()
    positions = list(range(len(rows)))[::-1]  # the first row on top
    left = [0] * len(rows)
    for index, label in enumerate(level_labels):
        widths = [row[index] for row in counts]
        bars = axes.barh(
            positions,
            widths,
            left=left,
            color=LEVEL_COLOURS[index % len(LEVEL_COLOURS)],
            label=label,
            height=0.6,
        )
        for bar, width in zip(bars, widths, strict=True):
            if width:
                axes.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(width),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=8,
                )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.set_yticks(positions, [_wrap(r) for r in rows], fontsize=9)
    axes.set_xlabel(xlabel)
    axes.set_title(title, fontsize=11)
    axes.set_xlim(0, max([*left, 1]) * 1.02)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    figure.legend(loc="outside lower center", ncol=len(level_labels), fontsize=8)
    axes.set_axisbelow(True)
    axes.grid(axis="x", alpha=0.3)
    return _png(figure)
