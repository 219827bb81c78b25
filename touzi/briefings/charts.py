"""Bar charts for briefings, drawn with Pillow into PNG bytes.

Grouped bars with value labels, a y axis of round steps with light grid lines, the legend above the
plot, an optional dashed reference line (序时进度), Chinese text in Noto Sans CJK SC. Deterministic:
the same Chart gives the same bytes (Pillow writes no timestamp). Pillow rather than matplotlib: a
chart is a few rectangles and labels, and matplotlib's import alone took longer than the rest of the
document.
"""

from __future__ import annotations

import io
import math
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .content import Chart

__all__ = ["CJK_FAMILY", "chart_png", "nice_ticks"]

CJK_FAMILY = "Noto Sans CJK SC"
_CJK_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.otf"),
    Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolHei-Regular.otf"),
)
DPI = 200
SIZE_CM = (16.0, 8.0)
# Muted colours that stay apart in greyscale print: blue, orange, grey, green.
COLOURS = ("#2f5597", "#ed7d31", "#7f7f7f", "#70ad47", "#4472c4", "#ffc000")
REFERENCE_COLOUR = "#c00000"
GRID, AXIS, TEXT = "#d9d9d9", "#595959", "#262626"
MAX_VALUE_LABELS = 40  # more bars than this and the value labels only clutter


def _px(points: float) -> int:
    return round(points * DPI / 72)


# A CJK font found on the machine, or Pillow's own when there is none.
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=8)
def _font(points: float) -> Font:
    """Noto Sans CJK SC at `points` (its face in the collection found by name), else another CJK face."""
    for path in _CJK_FILES:
        if not path.exists():
            continue
        for index in range(10 if path.suffix == ".ttc" else 1):
            try:
                font = ImageFont.truetype(str(path), _px(points), index=index)
            except OSError:
                break
            if path.suffix != ".ttc" or font.getname()[0] == CJK_FAMILY:
                return font
    return ImageFont.load_default(size=_px(points))  # no CJK font at all: Chinese shows as boxes


def nice_ticks(top: float, bottom: float = 0.0, count: int = 6) -> list[float]:
    """Round tick values from `bottom` (≤ 0) to at least `top`: steps of 1, 2, 2.5 or 5 × 10^n."""
    span = max(top - bottom, 1e-9)
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(bottom / step) * step
    ticks, value = [], first
    while value < top + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _number(value: float) -> str:
    """A tick: no trailing zeros (100, 2.5)."""
    text = f"{Decimal(repr(value)):,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _value(value: float, unit: str) -> str:
    """A bar's label as the tables print it: percentages with one decimal, amounts with two."""
    return f"{Decimal(repr(value)):,.{1 if unit == '%' else 2}f}"


def _text_width(draw: ImageDraw.ImageDraw, text: str, font: Font) -> int:
    left, _, right, _ = draw.textbbox((0, 0), text, font=font)
    return int(right - left)  # whole pixels at (0, 0); Pillow's stubs say float


def _rotated_label(image: Image.Image, text: str, font: Font, right: int, top: int) -> None:
    """An x label at 30°, its end under the tick (long labels of many bars)."""
    probe = ImageDraw.Draw(image)
    width = _text_width(probe, text, font) + 4
    height = _px(12)
    label = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    ImageDraw.Draw(label).text((0, 0), text, font=font, fill=TEXT)
    turned = label.rotate(30, expand=True, resample=Image.Resampling.BICUBIC)
    image.paste(turned, (right - turned.width, top), turned)


def chart_png(chart: Chart, *, title: bool = True) -> bytes:
    """A grouped bar chart, 16×8 cm at 200 dpi; `title=False` leaves the title to a caption outside."""
    width, height = round(SIZE_CM[0] / 2.54 * DPI), round(SIZE_CM[1] / 2.54 * DPI)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    small, normal, heading = _font(7), _font(9), _font(11)
    labels = list(chart.labels)
    series = [(name, [None if v is None else float(v) for v in list(values)[: len(labels)]]
               + [None] * (len(labels) - len(values))) for name, values in chart.series]
    values = [v for _, vs in series for v in vs if v is not None and math.isfinite(v)]
    if chart.reference is not None:
        values.append(float(chart.reference[1]))
    top = max([*values, 0.0]) * 1.12 or 1.0
    bottom = min([*values, 0.0]) * 1.12
    ticks = nice_ticks(top, bottom)

    rotate = len(labels) > 8
    legend_items = [*(name for name, _ in series), *([chart.reference[0]] if chart.reference else [])]
    y0 = _px(4) + (_px(16) if title and chart.title else 0) + (_px(14) if legend_items else 0)
    tick_width = max((_text_width(draw, _number(t), normal) for t in ticks), default=0)
    x0 = _px(6) + tick_width + (_px(14) if chart.unit else 0)
    x1 = width - _px(6)
    y1 = height - _px(6) - (_px(34) if rotate else _px(14))
    low, high = ticks[0], ticks[-1]

    def y_of(value: float) -> float:
        return y1 - (value - low) / (high - low) * (y1 - y0)

    if title and chart.title:
        draw.text(((width - _text_width(draw, chart.title, heading)) / 2, _px(3)), chart.title, font=heading,
                  fill=TEXT)
    for tick in ticks:  # grid lines and their values
        y = y_of(tick)
        draw.line([(x0, y), (x1, y)], fill=GRID, width=1)
        text = _number(tick)
        draw.text((x0 - _px(3) - _text_width(draw, text, normal), y - _px(5.5)), text, font=normal, fill=TEXT)
    if chart.unit:
        unit = Image.new("RGBA", (_text_width(draw, chart.unit, normal) + 4, _px(12)), (255, 255, 255, 0))
        ImageDraw.Draw(unit).text((0, 0), chart.unit, font=normal, fill=TEXT)
        turned = unit.rotate(90, expand=True)
        image.paste(turned, (_px(3), round((y0 + y1 - turned.height) / 2)), turned)

    slot = (x1 - x0) / max(len(labels), 1)
    count = max(len(series), 1)
    bar = slot * 0.8 / count
    show_values = len(labels) * count <= MAX_VALUE_LABELS
    zero = y_of(0.0)
    for index, (_, data) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        for position, value in enumerate(data):
            if value is None or not math.isfinite(value):
                continue
            left = x0 + slot * position + slot * 0.1 + bar * index
            y = y_of(value)
            draw.rectangle([left, min(y, zero), left + bar - 1, max(y, zero)], fill=colour)
            if show_values:
                text = _value(value, chart.unit)
                text_width = _text_width(draw, text, small)
                label_y = y - _px(9) if value >= 0 else y + _px(1)
                box = (left + bar / 2 - text_width / 2, label_y)
                draw.rectangle([box[0] - 2, box[1] + 2, box[0] + text_width + 2, box[1] + _px(8)], fill="white")
                draw.text(box, text, font=small, fill=TEXT)
    draw.line([(x0, zero), (x1, zero)], fill=AXIS, width=2)
    if chart.reference is not None:
        y = y_of(float(chart.reference[1]))
        dash, gap, x = _px(4), _px(2.5), float(x0)
        while x < x1:
            draw.line([(x, y), (min(x + dash, x1), y)], fill=REFERENCE_COLOUR, width=2)
            x += dash + gap
    for position, label in enumerate(labels):  # x labels under the middle of each group
        middle = x0 + slot * (position + 0.5)
        if rotate:
            _rotated_label(image, label, normal, round(middle), round(y1 + _px(2)))
        else:
            draw.text((middle - _text_width(draw, label, normal) / 2, y1 + _px(3)), label, font=normal, fill=TEXT)

    if legend_items:  # above the plot, centred: inside it would hide the tallest bars
        swatch, space = _px(9), _px(10)
        widths = [swatch + _px(3) + _text_width(draw, name, normal) for name in legend_items]
        x = (width - sum(widths) - space * (len(widths) - 1)) / 2
        y = y0 - _px(13)
        for index, (name, item_width) in enumerate(zip(legend_items, widths, strict=True)):
            if chart.reference is not None and index == len(legend_items) - 1:
                draw.line([(x, y + swatch / 2), (x + swatch, y + swatch / 2)], fill=REFERENCE_COLOUR, width=2)
            else:
                draw.rectangle([x, y + 1, x + swatch, y + swatch - 1], fill=COLOURS[index % len(COLOURS)])
            draw.text((x + swatch + _px(3), y - _px(1.5)), name, font=normal, fill=TEXT)
            x += item_width + space

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, dpi=(DPI, DPI))
    return buffer.getvalue()
