"""The briefing's Excel annex: every table in full, one sheet each, numbers as numbers.

Each sheet has the table's title in its first row, the column headers frozen under it, the rows, and
the table's note last. Sheet names are Chinese (附表1 各县区…), amounts keep two decimals and
percentages one as number formats, never as text; no cell can become a formula
(`touzi.lib.xlsx.write_workbook`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from touzi.lib.xlsx import SheetSpec, write_workbook

from .content import Briefing, Table
from .typeset import cell_text, chinese_text, display_width, is_percent_column

__all__ = ["MSG_NO_TABLES", "render_annex", "sheet_name"]

MSG_NO_TABLES = "本通报没有统计表"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\：]")


def sheet_name(table: Table, number: int) -> str:
    """The sheet's name: the table's own, else its title's first word (附表3), else 表N; ≤ 31 characters."""
    name = table.sheet or (table.title.split(" ", 1)[0] if table.title else "") or f"表{number}"
    return _SHEET_FORBIDDEN.sub("", chinese_text(name))[:31] or f"表{number}"


def _sheet(table: Table, number: int) -> SheetSpec:
    columns = max([len(table.headers), *(len(row) for row in table.rows)], default=1) or 1
    headers = [chinese_text(h) for h in table.headers] + [""] * (columns - len(table.headers))
    formats: dict[int, str] = {}
    widths: list[int] = []
    for column in range(columns):
        values = [row[column] for row in table.rows if column < len(row)]
        percent = is_percent_column(headers[column])
        if any(isinstance(value, Decimal | float) for value in values):
            formats[column] = "0.0" if percent else "#,##0.00"
        elif any(isinstance(value, int) and not isinstance(value, bool) for value in values):
            formats[column] = "#,##0"
        texts = [headers[column], *(cell_text(value, percent=percent) for value in values)]
        widths.append(min(max(max(display_width(text) for text in texts) + 2, 8), 60))
    rows: list[Sequence[object]] = [
        [chinese_text(value) if isinstance(value, str) else value for value in row] for row in table.rows
    ]
    if table.note:
        rows.append([chinese_text(table.note)])
    return SheetSpec(
        title=sheet_name(table, number),
        caption=chinese_text(table.title or table.key or f"表{number}"),
        headers=headers,
        rows=rows,
        widths=widths,
        number_formats=formats,
    )


def render_annex(b: Briefing) -> bytes:
    """An .xlsx with one sheet per annex table, in order; a briefing without tables gets a sheet saying so."""
    tables = b.annex_tables()
    if not tables:
        # Still a workbook, so the annex can be offered for every briefing.
        empty = SheetSpec(title="附件", headers=[chinese_text(b.title)], rows=[[MSG_NO_TABLES]], widths=[60])
        return write_workbook([empty])
    return write_workbook([_sheet(table, number) for number, table in enumerate(tables, start=1)])
