"""Chart images (PNG bytes) for the summaries, drawn with matplotlib's Agg backend (no display).

The functions take texts already translated by the caller and use matplotlib's object API
(a `Figure` per chart, no pyplot state); they may run in worker threads, one chart at a time
(matplotlib keeps some global state, such as its font cache). The bundled DejaVu Sans font
has every Vietnamese letter.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from io import BytesIO
from typing import Any

# Colours per level, best first (tốt, khá, trung bình, kém).
LEVEL_COLOURS = ("#2e7d32", "#7cb342", "#f9a825", "#c62828")
BAR_COLOUR = "#1565c0"
BELOW_COLOUR = "#ef6c00"
DPI = 110
_LOCK = threading.Lock()  # one chart drawn at a time


def _figure(width: float, height: float) -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

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


def _wrap(text: str, width: int = 28) -> str:
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
    return "\n".join(lines[:3])


@_locked
def attendance_chart(
    labels: Sequence[str],
    rates: Sequence[float],
    *,
    title: str,
    ylabel: str,
    target: float | None = None,
    target_label: str = "",
) -> bytes:
    """Attendance rate per session as bars (0–100%), with the expected rate as a dashed line;
    bars below it are drawn in another colour."""
    if len(labels) != len(rates):
        raise ValueError("one rate per label")
    figure = _figure(max(6.0, min(14.0, 0.35 * len(labels) + 3)), 4.2)
    axes = figure.add_subplot()
    values = [max(0.0, min(1.0, r)) * 100 for r in rates]
    colours = [
        BELOW_COLOUR if target is not None and r * 100 <= target * 100 else BAR_COLOUR
        for r in rates
    ]
    positions = list(range(len(values)))
    axes.bar(positions, values, color=colours, width=0.7)
    axes.set_xticks(positions, labels, rotation=60 if len(labels) > 8 else 0, fontsize=8)
    axes.set_ylim(0, 105)
    axes.set_ylabel(ylabel)
    axes.set_title(title, fontsize=11)
    if target is not None:
        axes.axhline(target * 100, color="#555555", linestyle="--", linewidth=1, label=target_label)
        if target_label:
            axes.legend(loc="lower right", fontsize=8)
    if len(values) <= 12:
        for x, v in zip(positions, values, strict=True):
            axes.text(x, v + 1, f"{v:.0f}", ha="center", va="bottom", fontsize=8)
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
    from matplotlib.ticker import MaxNLocator

    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=len(level_labels), fontsize=8)
    axes.grid(axis="x", alpha=0.3)
    return _png(figure)
