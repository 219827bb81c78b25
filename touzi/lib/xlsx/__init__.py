"""Excel (.xlsx) import and export for project sheets and monthly reports.

- `safety`: the checks an upload passes before the parser sees it, and the sandboxed parse;
- `cells`: cell values as clerks type them (text, numbers, months, dates), with no domain rule;
- `read`: header matching and streaming rows;
- `write`: workbooks whose text never becomes a formula;
- `errors`: `SheetError` (a whole file refused) and `CellError` (one cell), carrying message codes.

Reading uses python-calamine (Rust, several times faster than openpyxl); writing uses openpyxl. The names
below are the package's public surface; callers import them from `touzi.lib.xlsx`.
"""

from __future__ import annotations

import openpyxl.xml

# openpyxl parses with defusedxml only when it is installed and not switched
# off through OPENPYXL_DEFUSEDXML; without it an upload could expand entities
# (billion laughs) or reach external ones, so refuse to run at all.
if openpyxl.xml.DEFUSEDXML is not True:
    raise ImportError("touzi.lib.xlsx needs defusedxml: install it and do not set OPENPYXL_DEFUSEDXML=False")

from touzi.lib.xlsx import errors, safety
from touzi.lib.xlsx.cells import (
    DEFAULT_PERIOD,
    PeriodRule,
    Units,
    decimal_from_cell,
    normalize_text,
    parse_date,
    parse_decimal,
    parse_period,
)
from touzi.lib.xlsx.errors import CellError, SheetError
from touzi.lib.xlsx.read import Column, Row, Table, TableStream, iter_table, read_table
from touzi.lib.xlsx.safety import DEFAULT_LIMITS, EXCEL_MAX_ROWS, MIB, Limits
from touzi.lib.xlsx.write import (
    LiteralText,
    SheetSpec,
    escape_formula,
    write_workbook,
    write_workbook_stream,
)

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_PERIOD",
    "EXCEL_MAX_ROWS",
    "MIB",
    "CellError",
    "Column",
    "Limits",
    "LiteralText",
    "PeriodRule",
    "Row",
    "SheetError",
    "SheetSpec",
    "Table",
    "TableStream",
    "Units",
    "decimal_from_cell",
    "errors",
    "escape_formula",
    "iter_table",
    "normalize_text",
    "parse_date",
    "parse_decimal",
    "parse_period",
    "read_table",
    "safety",
    "write_workbook",
    "write_workbook_stream",
]
