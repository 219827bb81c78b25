"""Reading one sheet: find the header among the first rows, then stream clean rows.

`read_table` / `iter_table` check the file first (safety.py), find the row that names the most expected
columns, and hand back rows whose cells are cleaned (text normalised, numbers exact) but not judged: the
caller runs the parsers of cells.py on each value and shows the refusal next to the row and column.
Blank rows and subtotal rows (小计/合计/总计, the words of the sheets this reader is for) are skipped
and listed.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from openpyxl.utils import get_column_letter

from touzi.lib.messages import Message
from touzi.lib.xlsx.cells import cell_number, compact, normalize_text
from touzi.lib.xlsx.errors import (
    MSG_BLANK_ROW,
    MSG_HEADER_BELOW,
    MSG_HEADER_MISSING,
    MSG_HEADER_TWICE,
    MSG_SUBTOTAL_ROW,
    MSG_TOO_MANY_COLUMNS,
    MSG_TOO_MANY_ROWS,
    MSG_UNREADABLE,
    SheetError,
)
from touzi.lib.xlsx.safety import (
    DEFAULT_LIMITS,
    EXCEL_MAX_ROWS,
    Limits,
    check_container,
    check_parts,
    open_worksheet,
    read_source,
    refuse_unreadable,
)

__all__ = ["REASON_BLANK", "REASON_SUBTOTAL", "Column", "Row", "Table", "TableStream", "iter_table", "read_table"]

# Why a row was skipped, as messages (shown in the reader's language).
REASON_BLANK = MSG_BLANK_ROW()
REASON_SUBTOTAL = MSG_SUBTOTAL_ROW()


@dataclass(frozen=True)
class Column:
    """One expected column: `headers[0]` is the canonical header named in messages."""

    key: str
    headers: tuple[str, ...]
    required: bool = True


@dataclass
class Row:
    number: int  # 1-based Excel row number, as the user sees it
    values: dict[str, object]  # every column key; None when empty or the optional column is absent


@dataclass
class Table:
    header_row: int
    columns: dict[str, int]  # key -> 1-based column index found
    rows: list[Row]
    skipped: list[tuple[int, Message]]  # (row number, why)
    notes: list[Message]




_TRAILING_BRACKETS = re.compile(r"[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]$")


@dataclass
class _Header:
    row: int
    columns: dict[str, int]
    notes: list[Message]


def _header_variants(value: object) -> list[str]:
    """Comparable forms of a header, least stripped first.

    "*本月完成投资\n（万元）" gives "本月完成投资(万元)" then "本月完成投资". Trying the
    full form first keeps "投资(中央)" and "投资(地方)" apart.
    """
    if not isinstance(value, str):
        return []  # numbers and dates in the header area are data, not headers
    # The parser already decodes Excel's _xHHHH_ escapes.
    text = normalize_text(value)
    if text is None:
        return []
    text = compact(text).strip("*").casefold()
    variants = [text] if text else []
    while True:
        shorter = _TRAILING_BRACKETS.sub("", text).rstrip("*")
        if shorter == text or not shorter:
            return variants
        variants.append(shorter)
        text = shorter


def _alias_map(columns: Sequence[Column]) -> dict[str, str | None]:
    """Header form -> column key; None marks a stripped form shared by two columns."""
    if not columns:
        raise ValueError("read_table needs at least one Column")
    full: dict[str, str] = {}
    for column in columns:
        for alias in column.headers:
            variants = _header_variants(alias)
            if not variants:
                raise ValueError(f"column {column.key!r} has an empty header")
            form = variants[0]
            if full.setdefault(form, column.key) != column.key:
                raise ValueError(f"header {alias!r} is declared for two columns")
    mapping: dict[str, str | None] = dict(full)
    for column in columns:
        for alias in column.headers:
            for form in _header_variants(alias)[1:]:
                if form in full:
                    continue
                if mapping.setdefault(form, column.key) != column.key:
                    mapping[form] = None
    return mapping


def _match_cell(value: object, aliases: dict[str, str | None]) -> str | None:
    for form in _header_variants(value):
        if form in aliases:
            return aliases[form]
    return None


def _match_row(cells: Sequence[object], aliases: dict[str, str | None]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for index, value in enumerate(cells, start=1):
        key = _match_cell(value, aliases)
        if key is not None:
            found.setdefault(key, []).append(index)
    return found


def _used_width(cells: Sequence[object]) -> int:
    for index in range(len(cells), 0, -1):
        if normalize_text(cells[index - 1]) is not None:
            return index
    return 0


def _find_header(
    source: _SheetRows, columns: Sequence[Column], aliases: dict[str, str | None], limits: Limits
) -> _Header:
    """The row among the first `header_scan_rows` that names the most columns wins; ties go to the first."""
    best_row: int = 0
    best_found: dict[str, list[int]] = {}
    best_cells: Sequence[object] = ()
    for number, cells in source.head(limits.header_scan_rows):
        found = _match_row(cells, aliases)
        if len(found) > len(best_found):
            best_row, best_found, best_cells = number, found, cells
    _require_columns(columns, best_found)
    if _used_width(best_cells) > limits.max_columns:
        raise SheetError(MSG_TOO_MANY_COLUMNS(columns=limits.max_columns))
    _refuse_duplicates(columns, best_found)
    notes = [MSG_HEADER_BELOW(row=best_row, skipped=best_row - 1)] if best_row > 1 else []
    return _Header(best_row, {key: indexes[0] for key, indexes in best_found.items()}, notes)


def _require_columns(columns: Sequence[Column], found: dict[str, list[int]]) -> None:
    missing = [column for column in columns if column.required and column.key not in found]
    if not found and not missing:
        missing = list(columns)  # only optional columns, and none of them present
    if missing:
        names = "、".join(f"「{column.headers[0]}」" for column in missing)
        raise SheetError(MSG_HEADER_MISSING(names=names))


def _refuse_duplicates(columns: Sequence[Column], found: dict[str, list[int]]) -> None:
    for column in columns:
        indexes = found.get(column.key, [])
        if len(indexes) > 1:
            first, second = get_column_letter(indexes[0]), get_column_letter(indexes[1])
            raise SheetError(MSG_HEADER_TWICE(header=column.headers[0], first=first, second=second))



_SUBTOTAL_WORDS = ("小计", "合计", "总计")
_TEXT_CACHE = 4096  # distinct texts whose cleaning a stream remembers
_TRAILING_PUNCTUATION = ":;,.、"


def _clean_cell(value: object, texts: dict[str, str | None] | None = None) -> object:
    """A cell's value cleaned: text normalised (None when empty), numbers exact Decimals.

    `texts` caches normalize_text per distinct non-ASCII text while it is small: a sheet repeats its
    progress notes and unit names on every row, and printable ASCII needs no cache (see below).
    """
    if type(value) is str:
        # An empty cell arrives as ""; the parser already decoded _xHHHH_ escapes.
        if not value:
            return None
        text = value
        if text.isascii():
            # NFKC leaves printable ASCII as it is; with no space at either end nor two in a row there is no
            # whitespace to collapse: normalize_text would hand back the same text.
            if text.isprintable() and text[0] != " " and text[-1] != " " and "  " not in text:
                return text
            return normalize_text(text)
        if texts is None:
            return normalize_text(text)
        if text in texts:
            return texts[text]
        clean = normalize_text(text)
        if len(texts) < _TEXT_CACHE:
            texts[text] = clean
        return clean
    if type(value) is float:
        if math.isfinite(value):
            return cell_number(value)
        return normalize_text(str(value))  # "inf" stays visible text, refused later by parse_decimal
    if isinstance(value, str):
        return normalize_text(value) if value else None
    if isinstance(value, float) and not math.isfinite(value):
        return normalize_text(str(value))  # "inf" stays visible text, refused later by parse_decimal
    if isinstance(value, int | float) and not isinstance(value, bool):
        return cell_number(value)
    if type(value) is datetime.date:
        # A date cell is a date and time in Excel (midnight here), as every reader before handed it back.
        return datetime.datetime(value.year, value.month, value.day)
    return value  # None, bool, datetime, time, timedelta


def _is_subtotal(text: str) -> bool:
    """Subtotal text such as 合计, 合  计, 全县小计, 小计:, 合计(15个); but not 综合计量中心."""
    squeezed = compact(text).rstrip(_TRAILING_PUNCTUATION)
    while True:
        shorter = _TRAILING_BRACKETS.sub("", squeezed).rstrip(_TRAILING_PUNCTUATION)
        if shorter == squeezed or not shorter:
            break
        squeezed = shorter
    return squeezed.startswith(_SUBTOTAL_WORDS) or squeezed.endswith(_SUBTOTAL_WORDS)


def _row_reason(values: dict[str, object], subtotals: dict[str, bool] | None = None) -> Message | None:
    """Why a row is not data: REASON_BLANK, REASON_SUBTOTAL, or None for a data row.

    `subtotals` remembers the verdict per text while it is small (a progress note such as 按计划推进 holds 计
    and repeats on every row).
    """
    blank = True
    for value in values.values():  # one loop, not two generators: this runs for every row
        if value is not None:
            blank = False
            # Every keyword ends in 计; the cheap test spares the full check on ordinary cells.
            if isinstance(value, str) and "计" in value:
                known = None if subtotals is None else subtotals.get(value)
                subtotal = _is_subtotal(value) if known is None else known
                if known is None and subtotals is not None and len(subtotals) < _TEXT_CACHE:
                    subtotals[value] = subtotal
                if subtotal:
                    return REASON_SUBTOTAL
    return REASON_BLANK if blank else None


class _SheetRows:
    """The rows of one parsed sheet as (1-based row number, cells); the first few can be looked at twice."""

    EMPTY: _SheetRows

    def __init__(self, worksheet: Any) -> None:
        # Rows come from row 1 on; columns start at the sheet's first used column.
        start = worksheet.start
        self._pad = start[1] if start else 0
        self._rows = enumerate(worksheet.iter_rows(), start=1)
        self._head: list[tuple[int, list[object]]] = []

    def _padded(self, cells: list[object]) -> list[object]:
        return [""] * self._pad + cells if self._pad else cells

    def head(self, count: int) -> list[tuple[int, list[object]]]:
        while len(self._head) < count:
            item = next(self._rows, None)
            if item is None:
                break
            self._head.append((item[0], self._padded(item[1])))
        return self._head[:count]

    def after(self, row: int) -> Iterator[tuple[int, list[object]]]:
        for number, cells in self._head:
            if number > row:
                yield number, cells
        self._head = []
        pad = self._pad
        for number, cells in self._rows:
            yield number, ([""] * pad + cells if pad else cells)


class _NoSheet:
    start = None

    def iter_rows(self) -> Iterator[list[object]]:
        return iter(())


_SheetRows.EMPTY = _SheetRows(_NoSheet())


class TableStream:
    """Rows of one sheet read lazily; header facts are known as soon as it exists.

    Iterate once; `skipped` fills up while iterating. Use as a context
    manager, or call close(), when not iterating to the end.
    """

    def __init__(
        self, workbook: Any, source: _SheetRows, columns: Sequence[Column], header: _Header, limits: Limits
    ) -> None:
        self.header_row = header.row
        self.columns = header.columns
        self.notes = header.notes
        self.skipped: list[tuple[int, Message]] = []
        self._keys = [column.key for column in columns]
        self._workbook = workbook
        self._source = source
        self._limits = limits
        self._started = False

    def __iter__(self) -> Iterator[Row]:
        if self._started:
            raise RuntimeError("a TableStream can be iterated only once")
        self._started = True
        return self._rows()

    def __enter__(self) -> TableStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._workbook.close()
        # The parsed sheet holds every cell (Rust memory): let it go now, not when the stream is dropped.
        self._source = _SheetRows.EMPTY

    def _rows(self) -> Iterator[Row]:
        try:
            with refuse_unreadable():
                yield from self._scan()
        finally:
            self.close()

    def _scan(self) -> Iterator[Row]:
        width = max(self.columns.values())  # unmapped columns to the right are never looked at
        # (key, 0-based position) of every column the header found; absent optional columns stay None.
        found = [(key, self.columns[key] - 1) for key in self._keys if key in self.columns]
        absent = dict.fromkeys(key for key in self._keys if key not in self.columns)
        blank_from: int | None = None  # blank rows count as skipped only if data follows them
        reason: Message | None  # why the row is not data (REASON_BLANK, REASON_SUBTOTAL), None for a data row
        counted = 0
        max_rows = self._limits.max_rows
        texts: dict[str, str | None] = {}  # caches of this stream (_clean_cell, _row_reason)
        subtotals: dict[str, bool] = {}
        for number, row in self._source.after(self.header_row):
            if number > EXCEL_MAX_ROWS:
                raise SheetError(MSG_UNREADABLE())
            cells = row[:width]
            if cells.count("") == len(cells):
                # Fast path: empty cells are "", and the parser pads gaps with empty rows.
                reason, values = REASON_BLANK, {}
            else:
                size = len(cells)
                values = {key: _clean_cell(cells[index], texts) if index < size else None for key, index in found}
                if absent:
                    values.update(absent)
                    values = {key: values[key] for key in self._keys}
                reason = _row_reason(values, subtotals)
            if reason == REASON_BLANK:
                blank_from = number if blank_from is None else blank_from
                continue
            if blank_from is not None:
                self.skipped.extend((blank, REASON_BLANK) for blank in range(blank_from, number))
                blank_from = None
            counted += 1
            if counted > max_rows:
                raise SheetError(MSG_TOO_MANY_ROWS(rows=max_rows))
            if reason == REASON_SUBTOTAL:
                self.skipped.append((number, REASON_SUBTOTAL))
                continue
            yield Row(number, values)



def iter_table(
    source: bytes | BinaryIO,
    columns: Sequence[Column],
    *,
    limits: Limits = DEFAULT_LIMITS,
    sheet: str | None = None,
) -> TableStream:
    """Check the file and find the header now (raising SheetError), stream the rows later."""
    aliases = _alias_map(columns)  # a mistake in `columns` is the programmer's: let it raise ValueError
    data = read_source(source, limits)
    members = check_container(data, limits)
    with refuse_unreadable():
        check_parts(data, members, limits)
        workbook, worksheet = open_worksheet(data, sheet, limits)
    try:
        with refuse_unreadable():
            rows = _SheetRows(worksheet)
            header = _find_header(rows, columns, aliases, limits)
    except BaseException:
        workbook.close()
        raise
    return TableStream(workbook, rows, columns, header, limits)


def read_table(
    source: bytes | BinaryIO,
    columns: Sequence[Column],
    *,
    limits: Limits = DEFAULT_LIMITS,
    sheet: str | None = None,
) -> Table:
    """The whole table of one sheet; file-level problems raise SheetError, nothing else."""
    with iter_table(source, columns, limits=limits, sheet=sheet) as stream:
        rows = list(stream)
    return Table(stream.header_row, stream.columns, rows, stream.skipped, stream.notes)
