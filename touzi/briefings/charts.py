"""Bar charts for briefings, drawn with matplotlib into PNG bytes.

Headless (Agg, no display), Chinese text in Noto Sans CJK SC, and
deterministic: the same Chart gives the same bytes (no timestamp or software
name in the PNG metadata).
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure

from .content import Chart

__all__ = ["CJK_FAMILY", "chart_png"]

CJK_FAMILY = "Noto Sans CJK SC"
_CJK_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.otf"),
)
DPI = 150
SIZE_CM = (16.0, 8.0)
# Muted colours that stay apart in greyscale print: blue, orange, grey, green.
COLOURS = ("#2f5597", "#ed7d31", "#7f7f7f", "#70ad47", "#4472c4", "#ffc000")
REFERENCE_COLOUR = "#c00000"
MAX_VALUE_LABELS = 40  # more bars than this and the value labels only clutter


@lru_cache(maxsize=1)
def _cjk_font() -> font_manager.FontProperties:
    """Noto Sans CJK SC by family name (matplotlib indexes each face of the .ttc), else by file."""
    if any(entry.name == CJK_FAMILY for entry in font_manager.fontManager.ttflist):
        return font_manager.FontProperties(family=CJK_FAMILY)
    for path in _CJK_FILES:
        if path.exists():
            return font_manager.FontProperties(fname=str(path))
    # No CJK font at all: the chart still draws, Chinese shows as boxes.
    return font_manager.FontProperties(family="sans-serif")


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def chart_png(chart: Chart, *, title: bool = True) -> bytes:
    """A grouped bar chart, 16×8 cm at 150 dpi; `title=False` leaves the title to a caption outside."""
    font = _cjk_font()
    small = font.copy()
    small.set_size(7)
    normal = font.copy()
    normal.set_size(9)

    figure = Figure(figsize=(SIZE_CM[0] / 2.54, SIZE_CM[1] / 2.54), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    count = max(len(chart.series), 1)
    width = 0.8 / count
    positions = list(range(len(chart.labels)))
    bars = 0
    for index, (name, values) in enumerate(chart.series):
        padded = list(values)[: len(chart.labels)] + [None] * (len(chart.labels) - len(values))
        heights = [math.nan if value is None else float(value) for value in padded]
        offset = (index - (count - 1) / 2) * width
        container = axes.bar(
            [position + offset for position in positions],
            heights,
            width=width,
            label=name,
            color=COLOURS[index % len(COLOURS)],
            zorder=2,
        )
        bars += sum(1 for height in heights if not math.isnan(height))
        if len(chart.labels) * count <= MAX_VALUE_LABELS:
            labels = ["" if math.isnan(height) else _number(height) for height in heights]
            axes.bar_label(
                container,
                labels=labels,
                padding=1,
                fontproperties=small,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3, "alpha": 0.8},
                zorder=4,
            )

    if chart.reference is not None:
        name, value = chart.reference
        axes.axhline(value, color=REFERENCE_COLOUR, linestyle="--", linewidth=1, label=name, zorder=3)

    axes.set_xticks(positions)
    axes.set_xticklabels(chart.labels, fontproperties=normal)
    if len(chart.labels) > 8:
        for label in axes.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
    for label in axes.get_yticklabels():
        label.set_fontproperties(normal)
    if chart.unit:
        axes.set_ylabel(chart.unit, fontproperties=normal)
    axes.grid(axis="y", color="#d9d9d9", linewidth=0.6, zorder=0)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(y=0.12)
    if chart.series or chart.reference:
        # Above the plot, outside it: inside, it hides the tallest bars.
        axes.legend(
            prop=normal,
            frameon=False,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=min(len(chart.series) + (chart.reference is not None), 5),
        )
    if title and chart.title:
        heading = font.copy()
        heading.set_size(11)
        figure.suptitle(chart.title, fontproperties=heading)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
