"""Build workbooks for the import tests, as messy as real ones when asked."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook, load_workbook

REPORT_HEADER = ["项目代码", "项目名称", "报告期", "本月完成投资(万元)", "形象进度", "存在问题"]


def workbook(rows: Sequence[Sequence[object]], *, header: Sequence[str] = REPORT_HEADER,
             title_rows: Sequence[str] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    for title in title_rows:
        sheet.append([title])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cells(content: bytes) -> list[tuple[str, object, str]]:
    """(sheet, value, data_type) of every non-empty cell of a workbook."""
    book = load_workbook(io.BytesIO(content))
    return [(ws.title, c.value, c.data_type) for ws in book.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None]
