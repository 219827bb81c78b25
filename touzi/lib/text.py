"""Plain-text layout for CJK text: a Chinese character takes two columns in a terminal or a fixed font."""

from __future__ import annotations

import unicodedata
from collections.abc import Set as AbstractSet


def display_width(text: str) -> int:
    """Columns `text` takes in a monospaced terminal (wide and full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """`text` padded with spaces to `width` columns (left-aligned, or right-aligned for numbers)."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def table(headers: list[str], rows: list[list[str]], *, numeric: AbstractSet[int] = frozenset()) -> list[str]:
    """Lines of an aligned text table; columns in `numeric` are right-aligned."""
    widths = [max([display_width(h), *(display_width(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    def line(cells: list[str]) -> str:
        return "  ".join(pad(c, w, right=i in numeric) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
    return [line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]
