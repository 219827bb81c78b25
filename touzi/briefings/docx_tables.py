"""Body tables as WordprocessingML, built as one XML string per table.

python-docx's cell API costs about a millisecond a cell (each `cell.width`, style and alignment walks the
table again); a table here is written in one pass and parsed once. The look lives in the paragraph
styles (表头, 表格文字) and in the table's own properties: borders, cell margins, the header row repeated
on every page, no row broken across pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from .content import Table
from .typeset import cell_text, display_width, is_number, is_percent_column

__all__ = ["column_widths", "table_xml"]

TWIPS_PER_PT = 20
CELL_MARGIN = 57  # twips (1 mm) left and right: narrow tables keep their figures on one line
SHORT = 12  # half-width characters: a text column no wider than this never wraps


def _print_width(text: str) -> float:
    """Printed width in half-width characters: capitals and some symbols of Times New Roman are wider."""
    wide = sum(1 for ch in text if ch.isupper() or ch in "%@&=+#~")
    return display_width(text) + 0.45 * wide


def column_widths(headers: Sequence[str], texts: Sequence[Sequence[str]], numeric: Sequence[bool],
                  *, total: int, char: float) -> list[int]:
    """Column widths (twips) filling `total`: each column wants its widest cell, headers may wrap to
    two lines, and when the table is too wide only text columns give way (a figure never breaks).

    `char` is the width of a half-width character of the table's font, in twips.
    """
    columns = len(headers)
    padding = 2 * CELL_MARGIN / char + 0.5
    available = total / char
    data = [max((_print_width(row[c]) for row in texts if c < len(row)), default=0) for c in range(columns)]
    header = [_print_width(h) for h in headers]
    # A header wraps onto two lines rather than widen a column of short figures.
    wants = [max(d, min(h, max(d, h / 2 + 1)), 4) + padding for d, h in zip(data, header, strict=True)]
    if sum(wants) > available:
        # Figures and short words (≥20%, 黄色, 海城区) keep their width; long texts wrap.
        keep = [n or d <= SHORT for n, d in zip(numeric, data, strict=True)]
        fixed = sum(w for w, k in zip(wants, keep, strict=True) if k)
        flexible = sum(w for w, k in zip(wants, keep, strict=True) if not k)
        room = max(available - fixed, 0)
        if flexible:
            wants = [w if k else max(w * room / flexible, 8 + padding) for w, k in zip(wants, keep, strict=True)]
    scale = total / sum(wants)
    widths = [int(w * scale) for w in wants]
    widths[-1] += total - sum(widths)
    return widths


def table_xml(table: Table, *, width: int, header_style: str, text_style: str, char: float):
    """The table as a w:tbl element: a header row repeated on every page, figures right-aligned."""
    columns = max([len(table.headers), *(len(row) for row in table.rows)], default=0)
    headers = [*table.headers, *[""] * (columns - len(table.headers))]
    percent = [is_percent_column(h) for h in headers]
    texts = [[cell_text(row[c] if c < len(row) else None, percent=percent[c]) for c in range(columns)]
             for row in table.rows]
    numeric = [bool(table.rows) and all(row[c] is None or is_number(row[c]) for row in table.rows if c < len(row))
               for c in range(columns)]
    header_texts = [cell_text(h) for h in headers]
    widths = column_widths(header_texts, texts, numeric, total=width, char=char)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    parts = [
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/>',
        '<w:tblBorders>',
        *(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
          for side in ("top", "left", "bottom", "right", "insideH", "insideV")),
        '</w:tblBorders><w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/>'
        '</w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr>',
        f"<w:tblGrid>{grid}</w:tblGrid>",
        _row(header_texts, widths, header_style, ["center"] * columns, header=True),
    ]
    for index, (values, row) in enumerate(zip(table.rows, texts, strict=True)):
        aligns = []
        for c in range(columns):
            value = values[c] if c < len(values) else None
            aligns.append("center" if value is None else "right" if is_number(value) else "left")
        # The last row keeps with what follows (the table's note), which never opens a page alone.
        parts.append(_row(row, widths, text_style, aligns, header=False, keep=bool(table.note) and index == len(table.rows) - 1))
    parts.append("</w:tbl>")
    return parse_xml("".join(parts))


def _row(texts: Sequence[str], widths: Sequence[int], style: str, aligns: Sequence[str], *, header: bool,
         keep: bool = False) -> str:
    row_properties = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    keep_next = "<w:keepNext/>" if keep else ""
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep_next}<w:jc w:val="{align}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
        for text, w, align in zip(texts, widths, aligns, strict=True)
    )
    return f"<w:tr><w:trPr>{row_properties}</w:trPr>{cells}</w:tr>"
