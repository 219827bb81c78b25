"""Writing workbooks: data sheets, a notes sheet ("说明") and a hidden code sheet for drop-down lists.

Every string is stored as a text cell, never a formula (`escape_formula`); text Excel would take for a
formula keeps Excel's quote prefix, so a round trip reads back the same value. `write_workbook` builds a
workbook in memory; `write_workbook_stream` writes one sheet of any length row by row to a file.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from touzi.lib.text import display_width

__all__ = ["LiteralText", "SheetSpec", "escape_formula", "write_workbook", "write_workbook_stream"]

CHOICE_ERROR_TITLE = "输入有误"
CHOICE_ERROR = "请从下拉列表中选择"
NOTES_SHEET = "说明"
CODE_SHEET = "代码表"
EXCEL_MAX_TEXT = 32_767
# Excel writes characters XML cannot hold (and "_" before such a pattern) as
# _xHHHH_: a literal "_x0041_" typed by a clerk must be written with its "_" escaped.
_OOXML_LITERAL = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


@dataclass
class SheetSpec:
    title: str
    headers: list[str]
    rows: Iterable[Sequence[object]]
    widths: list[int] | None = None
    choices: dict[int, list[str]] = field(default_factory=dict)  # 0-based column -> drop-down values
    validation_rows: int = 1000
    number_formats: dict[int, str] = field(default_factory=dict)  # 0-based column -> Excel number format
    notes: list[str] = field(default_factory=list)  # written on the "说明" sheet, not above the table
    caption: str = ""  # a title row above the headers (bold); the headers stay frozen under it


_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_HEADER_FONT = Font(bold=True)
_NOTE_ALIGNMENT = Alignment(wrap_text=True, vertical="top")


class LiteralText(str):
    """Text that Excel would take for a formula ("=1+1", "+86", "-5"...); written as a text cell."""

    __slots__ = ()


def escape_formula(value: object) -> object:
    """Mark text that Excel could run or re-read as a formula.

    A str starting with "=", "+", "-", "@", tab or carriage return comes back
    as `LiteralText`, a str subclass equal to the original, so nothing is
    added to the text and a round trip reads back the same value. The writer
    stores a LiteralText as a string cell (never data type "f") with Excel's
    quotePrefix set, so Excel keeps it as text even after the clerk edits the
    cell. Every other value is returned unchanged.
    """
    if isinstance(value, str) and not isinstance(value, LiteralText) and value.startswith(_FORMULA_PREFIXES):
        return LiteralText(value)
    return value


def _excel_text(text: str) -> str:
    """Text Excel accepts: no XML-illegal control characters, literal _xHHHH_ kept literal, 32767 at most."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    text = _OOXML_LITERAL.sub("_x005F_", text)
    return text[:EXCEL_MAX_TEXT]


def _column_width(header: str) -> int:
    return min(max(display_width(header) + 2, 8), 60)


class _Writer:
    """One workbook being written; remembers what the finished bytes still need."""

    def __init__(self) -> None:
        self.workbook = openpyxl.Workbook()
        self.workbook.remove(self.workbook.active)
        self.titles: set[str] = {CODE_SHEET}  # reserved: validations refer to it by name
        self.code_sheet: Any = None
        self.code_columns = 0
        self.has_carriage_return = False

    def put(
        self, worksheet: Any, row: int, column: int, value: object, number_format: str | None = None
    ) -> None:
        value = escape_formula(_excel_value(value))
        cell = worksheet.cell(row=row, column=column)
        if isinstance(value, str):
            text = _excel_text(value)
            if not text:
                return  # an empty text cell and an empty cell look the same to the clerk
            self.has_carriage_return = self.has_carriage_return or "\r" in text
            cell.value = text
            cell.data_type = "s"  # openpyxl makes "=..." a formula; it must stay text
            if isinstance(value, LiteralText):
                cell.quotePrefix = True
            return
        cell.value = value
        if number_format and value is not None:
            cell.number_format = number_format

    def title(self, wanted: str) -> str:
        base = _SHEET_TITLE_FORBIDDEN.sub("_", wanted).strip("'")[:31] or "Sheet"
        title, counter = base, 1
        while title in self.titles:
            counter += 1
            suffix = f"({counter})"
            title = base[: 31 - len(suffix)] + suffix
        self.titles.add(title)
        return title

    def code_range(self, values: list[str]) -> str:
        """Write a choice list on the hidden code sheet; inline lists stop at 255 characters."""
        if self.code_sheet is None:
            self.code_sheet = self.workbook.create_sheet(CODE_SHEET)
            self.code_sheet.sheet_state = "hidden"
        self.code_columns += 1
        letter = get_column_letter(self.code_columns)
        for row, value in enumerate(values, start=1):
            self.put(self.code_sheet, row, self.code_columns, value)
        return f"'{CODE_SHEET}'!${letter}$1:${letter}${len(values)}"

    def finish(self) -> bytes:
        if self.code_sheet is not None:
            # Last, so the first sheet is always data; move_sheet takes an offset.
            position = self.workbook.sheetnames.index(self.code_sheet.title)
            self.workbook.move_sheet(self.code_sheet, len(self.workbook.sheetnames) - 1 - position)
        self.workbook.active = 0
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        data = buffer.getvalue()
        return _keep_carriage_returns(data) if self.has_carriage_return else data


def _excel_value(value: object) -> object:
    """A value openpyxl stores natively, or its text."""
    if isinstance(value, Decimal) and not value.is_finite():
        return str(value)
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: keep the wall-clock time the caller chose.
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, str | bool | int | float | Decimal):
        return value
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        return value
    return str(value)


def _keep_carriage_returns(data: bytes) -> bytes:
    """Write CR as &#13; in sheet XML: a raw CR is read back as LF by every XML parser."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            content = source.read(member)
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                content = content.replace(b"\r", b"&#13;")
            target.writestr(member, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _write_sheet(writer: _Writer, spec: SheetSpec) -> None:
    worksheet = writer.workbook.create_sheet(writer.title(spec.title))
    header_row = 2 if spec.caption else 1
    if spec.caption:
        writer.put(worksheet, 1, 1, spec.caption)
        worksheet.cell(row=1, column=1).font = _HEADER_FONT
    for column, header in enumerate(spec.headers, start=1):
        writer.put(worksheet, header_row, column, header)
        worksheet.cell(row=header_row, column=column).font = _HEADER_FONT
    worksheet.freeze_panes = f"A{header_row + 1}"
    _set_widths(worksheet, spec)
    formats = {index + 1: number_format for index, number_format in spec.number_formats.items()}
    for row, values in enumerate(spec.rows, start=header_row + 1):
        for column, value in enumerate(values, start=1):
            writer.put(worksheet, row, column, value, formats.get(column))
    _add_choices(writer, worksheet, spec, first_row=header_row + 1)


def _set_widths(worksheet: Any, spec: SheetSpec) -> None:
    for index, header in enumerate(spec.headers):
        given = spec.widths[index] if spec.widths and index < len(spec.widths) else None
        width = given if given else _column_width(header)
        worksheet.column_dimensions[get_column_letter(index + 1)].width = width


def _add_choices(writer: _Writer, worksheet: Any, spec: SheetSpec, *, first_row: int = 2) -> None:
    for index, values in sorted(spec.choices.items()):
        if not values:
            continue
        validation = DataValidation(
            type="list",
            formula1=writer.code_range(values),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=CHOICE_ERROR_TITLE,
            error=CHOICE_ERROR,
        )
        letter = get_column_letter(index + 1)
        validation.add(f"{letter}{first_row}:{letter}{spec.validation_rows + first_row - 1}")
        worksheet.add_data_validation(validation)


def _note_lines(sheets: Sequence[SheetSpec], notes: list[str] | None) -> list[str]:
    lines = list(notes or [])
    for spec in sheets:
        if spec.notes and len(sheets) > 1:
            lines.append(f"「{spec.title}」工作表:")
        lines.extend(spec.notes)
    return lines


def _write_notes(writer: _Writer, lines: list[str]) -> None:
    worksheet = writer.workbook.create_sheet(writer.title(NOTES_SHEET))
    worksheet.column_dimensions["A"].width = 100
    for row, line in enumerate(lines, start=1):
        writer.put(worksheet, row, 1, line)
        worksheet.cell(row=row, column=1).alignment = _NOTE_ALIGNMENT


def write_workbook(sheets: Sequence[SheetSpec], *, notes: list[str] | None = None) -> bytes:
    """An .xlsx in memory: data sheets in order, then "说明" (if any notes), then the hidden "代码表"."""
    if not sheets:
        raise ValueError("write_workbook needs at least one SheetSpec")
    writer = _Writer()
    for spec in sheets:
        _write_sheet(writer, spec)
    lines = _note_lines(sheets, notes)
    if lines:
        _write_notes(writer, lines)
    return writer.finish()


def write_workbook_stream(spec: SheetSpec, path: str | Path) -> None:
    """One sheet written row by row to `path` (openpyxl write-only mode), for exports of any length.

    Memory stays flat however many rows `spec.rows` yields (strings are written inline, rows go
    straight to a temporary file); every value passes the same rules as in `write_workbook`: text
    is never a formula, formula-like text keeps Excel's quote prefix. No choices or notes sheet.
    """
    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(_SHEET_TITLE_FORBIDDEN.sub("_", spec.title).strip("'")[:31] or "Sheet")
    _set_widths(worksheet, spec)
    worksheet.freeze_panes = "A2"
    has_carriage_return = False

    def cell(value: object, number_format: str | None = None, *, bold: bool = False) -> Any:
        nonlocal has_carriage_return
        value = escape_formula(_excel_value(value))
        item = WriteOnlyCell(worksheet)
        if isinstance(value, str):
            text = _excel_text(value)
            has_carriage_return = has_carriage_return or "\r" in text
            if text:
                item.value = text
                item.data_type = "s"  # never "f", whatever the text starts with
                item.quotePrefix = isinstance(value, LiteralText)
        else:
            item.value = value
            if number_format and value is not None:
                item.number_format = number_format
        if bold:
            item.font = _HEADER_FONT
        return item

    worksheet.append([cell(header, bold=True) for header in spec.headers])
    formats = dict(spec.number_formats)
    for values in spec.rows:
        worksheet.append([cell(value, formats.get(index)) for index, value in enumerate(values)])
    workbook.save(str(path))
    if has_carriage_return:
        target = Path(path)
        target.write_bytes(_keep_carriage_returns(target.read_bytes()))
