"""Excel (.xlsx) import and export for project sheets and monthly reports.

Reading is built for files uploaded by anyone: the bytes are checked before
the parser sees them (size, legacy format, zip bombs, zip headers that lie about
sizes, and the cell area the sheet claims), and every failure of the parser on
a hostile file becomes a `SheetError` whose Chinese message can be shown to the
clerk as is. Reading uses python-calamine (Rust, several times faster than
openpyxl); writing uses openpyxl.

Reading does not judge cell contents: `read_table` finds the header, cleans
the cells and hands back rows; the caller runs `parse_decimal`,
`parse_period` or `parse_date` on each value and shows the `ValueError`
message next to the row number, column and value.

Writing (`write_workbook`) stores every string as a text cell, never a
formula, see `escape_formula`.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import math
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
import openpyxl.xml
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from touzi.lib import sandbox
from touzi.lib.text import display_width

# openpyxl parses with defusedxml only when it is installed and not switched
# off through OPENPYXL_DEFUSEDXML; without it an upload could expand entities
# (billion laughs) or reach external ones, so refuse to run at all.
if openpyxl.xml.DEFUSEDXML is not True:
    raise ImportError("touzi.lib.xlsx needs defusedxml: install it and do not set OPENPYXL_DEFUSEDXML=False")

__all__ = [
    "DEFAULT_LIMITS",
    "Column",
    "Limits",
    "LiteralText",
    "Row",
    "SheetError",
    "SheetSpec",
    "Table",
    "TableStream",
    "decimal_from_cell",
    "escape_formula",
    "iter_table",
    "normalize_text",
    "parse_date",
    "parse_decimal",
    "parse_period",
    "read_table",
    "write_workbook",
    "write_workbook_stream",
]

# ---------------------------------------------------------------------------
# Messages shown to clerks
# ---------------------------------------------------------------------------

MSG_LEGACY = "文件已加密或为旧版 Excel(.xls)格式,请另存为 .xlsx 后上传"
MSG_NOT_XLSX = "文件不是有效的 Excel(.xlsx)文件"
MSG_BOMB = "文件解压后过大,疑似压缩炸弹,已拒绝"
MSG_BROKEN = "文件已损坏或不完整"
MSG_UNREADABLE = "无法读取该 Excel 文件:文件已损坏或格式不受支持"
MSG_NO_SHEET = "文件中没有工作表"
MSG_AREA = "表格区域过大(超过 {cells} 个单元格),请删除多余的行和列后上传"
MSG_DECLARED = "文件声明的内容数量与实际内容不符,疑似伪造文件,已拒绝"
MSG_MEMORY = "读取该文件所需内存超过上限,已拒绝;请检查文件是否由 Excel 正常保存"
MSG_TIMEOUT = "读取该文件耗时超过上限,已拒绝;请检查文件是否由 Excel 正常保存"
REASON_BLANK = "空行"
REASON_SUBTOTAL = "小计/合计行,已跳过"

MSG_NOT_NUMBER = "不是有效的数字"
MSG_NUMBER_FORMAT = "无法识别的数字格式"
MSG_NUMBER_UNIT = "请只填写数字,单位为万元"
MSG_NUMBER_PERCENT = "请不要填写百分号,只填写数字"
MSG_NUMBER_SCIENTIFIC = "不支持科学计数法(如 1E+3),请直接填写数字"
MSG_PERIOD = "报告期应为 YYYY-MM,例如 2023-03"
MSG_PERIOD_AMBIGUOUS = "报告期格式有歧义,请填写为 2023-10 这样的文本"
MSG_DATE = "日期格式应为 YYYY-MM-DD"
MSG_DATE_INVALID = "日期不存在,请检查年、月、日"
MSG_DATE_YEAR = "日期年份应在 1900 到 2100 之间"

CHOICE_ERROR_TITLE = "输入有误"
CHOICE_ERROR = "请从下拉列表中选择"
NOTES_SHEET = "说明"
CODE_SHEET = "代码表"

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Excel's own sheet size: a row number above it can only come from a forged
# file; stop there rather than let openpyxl pad empty rows up to it.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_TEXT = 32_767
MIB = 1024 * 1024


class SheetError(Exception):
    """A file-level problem: the whole file is refused with this Chinese message (.message)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------
# Data shapes
# ---------------------------------------------------------------------------


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
    skipped: list[tuple[int, str]]  # (row number, Chinese reason)
    notes: list[str]


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * MIB
    max_uncompressed_bytes: int = 200 * MIB
    max_ratio: int = 100  # uncompressed/compressed, per member and overall
    max_rows: int = 200_000
    max_columns: int = 100
    header_scan_rows: int = 20
    # Below this many uncompressed bytes the ratio is not checked: a tiny
    # member of repeated XML compresses very well and is harmless.
    ratio_floor_bytes: int = MIB
    # The reader holds a sheet as a dense grid (rows x columns, 32 bytes a cell)
    # from its first to its last cell: a stray cell at XFD1048576 would ask for
    # 550 GB. The area the sheet's XML can reach is bounded before parsing.
    max_cells: int = 10_000_000
    # The parser runs in a child process with this much address space on top of what it inherits
    # and this much CPU time: a parser bug costs one refused file, not the server process.
    parse_memory_bytes: int = 1024 * MIB
    parse_cpu_seconds: int = 60


DEFAULT_LIMITS = Limits()


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


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------

# Control, format (zero-width, bidi overrides, BOM) and lone surrogate code
# points: invisible, so a clerk could never see why two codes differ.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Excel writes characters XML cannot hold (and "_" before such a pattern) as
# _xHHHH_: a literal "_x0041_" typed by a clerk must be written with its "_" escaped.
_OOXML_LITERAL = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def normalize_text(value: object) -> str | None:
    """NFKC (full-width → half-width), invisible characters removed, whitespace collapsed; "" → None.

    Non-text values become the text a clerk would see: numbers without
    exponent or trailing zeros, dates in ISO form, booleans as 是/否.
    """
    if value is None:
        return None
    text = _as_text(value)
    if not text.isprintable():
        # Slow path only for text holding odd whitespace or invisible characters.
        text = "".join(_visible_char(ch) for ch in text)
    text = unicodedata.normalize("NFKC", text)
    text = " ".join(text.split())
    return text or None


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        number = _cell_number(value)
        return str(value) if number is None else _plain_text(number)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _visible_char(ch: str) -> str:
    if ch.isspace():
        return " "
    return "" if unicodedata.category(ch) in _INVISIBLE_CATEGORIES else ch


def _compact(text: str) -> str:
    """Text with every space removed, for comparisons where "合  计" must equal "合计"."""
    return "".join(text.split())


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

# Enough precision that rounding a float's repr to 10 places is always exact.
_WIDE = Context(prec=400)
_NOISE_PLACES = Decimal("1e-10")
_EMPTY_MARKS = frozenset({"-", "--", "—", "——", "–", "―", "/", "\\"})
_UNIT_CHARS = frozenset("万亿元")
_PLAIN_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_GROUPED_NUMBER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_SCIENTIFIC = re.compile(r"[0-9.]+e[+-]?[0-9]+", re.IGNORECASE)


def decimal_from_cell(value: object, *, places: int = 4) -> Decimal | None:
    """Exact Decimal for a number cell; float binary noise (1234.5600000000002) is removed.

    Raises ValueError when more than `places` decimals remain, or for
    anything that is not a finite number.
    """
    if value is None:
        return None
    number = _cell_number(value)
    if number is None:
        raise ValueError(MSG_NOT_NUMBER)
    return _limit_places(number, places)


def parse_decimal(value: object, *, places: int = 4) -> Decimal | None:
    """Amount typed by a clerk: number cell or text such as "1,234.5", "１２３．５", "(12.5)".

    Units, percent signs, scientific notation and European "1.234,56" are
    refused rather than guessed.
    """
    if value is None or isinstance(value, int | float | Decimal):
        return decimal_from_cell(value, places=places)
    if not isinstance(value, str):
        raise ValueError(MSG_NOT_NUMBER)
    text = normalize_text(value)
    if text is None or text in _EMPTY_MARKS:
        return None
    number = _number_from_text(text.replace("\u2212", "-"))
    return _limit_places(number, places)


def _number_from_text(text: str) -> Decimal:
    if _UNIT_CHARS.intersection(text):
        raise ValueError(MSG_NUMBER_UNIT)
    if "%" in text or "‰" in text:
        raise ValueError(MSG_NUMBER_PERCENT)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        # Accounting style: (123.4) is -123.4.
        negative, text = True, text[1:-1]
    elif text[0] in "+-":
        negative, text = text[0] == "-", text[1:]
    if _SCIENTIFIC.fullmatch(text):
        raise ValueError(MSG_NUMBER_SCIENTIFIC)
    if _PLAIN_NUMBER.fullmatch(text):
        number = Decimal(text)
    elif _GROUPED_NUMBER.fullmatch(text):
        number = Decimal(text.replace(",", ""))
    else:
        raise ValueError(MSG_NUMBER_FORMAT)
    return -number if negative else number


def _cell_number(value: object) -> Decimal | None:
    """Exact Decimal for a finite int, float or Decimal (float noise removed); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float) and math.isfinite(value):
        # repr is the shortest text that reads back as this float, so
        # 0.1 stays 0.1 instead of 0.1000000000000000055511151231257827.
        return _strip_noise(Decimal(repr(value)))
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


def _strip_noise(number: Decimal) -> Decimal:
    """Round to 10 places: a sum such as 0.1+0.2 arrives as 0.30000000000000004."""
    if _decimal_places(number) > 10:
        number = number.quantize(_NOISE_PLACES, context=_WIDE)
    return _plain(number)


def _limit_places(number: Decimal, places: int) -> Decimal:
    number = _plain(number)
    if _decimal_places(number) > places:
        raise ValueError(f"最多保留{places}位小数")
    return number


def _decimal_places(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _plain(number: Decimal) -> Decimal:
    """500.0000 → 500, 1E+3 → 1000, exactly (Decimal.normalize would round to 28 digits)."""
    if number.is_zero():
        return Decimal(0)
    return Decimal(_plain_text(number))


def _plain_text(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


# ---------------------------------------------------------------------------
# Periods and dates
# ---------------------------------------------------------------------------

_PERIOD_PATTERNS = (
    re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月份?"),
    re.compile(r"([0-9]{4})([0-9]{2})"),
)
# Statistics offices report January and February together as "1-2月";
# that report is filed as the February period.
_JAN_FEB = re.compile(r"([0-9]{4})年0?1月?[-—–―~至到]0?2月份?")
_DATE_PATTERNS = (
    re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})"),
    re.compile(r"([0-9]{4})()年([0-9]{1,2})月([0-9]{1,2})[日号]"),
    re.compile(r"([0-9]{4})()([0-9]{2})([0-9]{2})"),
)
_MONTH_PATTERNS = (
    re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月份?"),
)
# Text exported by other systems often carries a midnight time.
_TIME_SUFFIX = re.compile(r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?")


def parse_period(value: object) -> str | None:
    """Report period "YYYY-MM" from "2023-03", "2023年3月", "202303", "2023年1-2月", a date cell..."""
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return _period(value.year, value.month)
    if isinstance(value, bool):
        raise ValueError(MSG_PERIOD)
    if isinstance(value, int | float | Decimal):
        return _period_from_number(value)
    if not isinstance(value, str):
        raise ValueError(MSG_PERIOD)
    text = normalize_text(value)
    if text is None:
        return None
    return _period_from_text(_compact(text))


def _period_from_number(value: int | float | Decimal) -> str:
    number = _cell_number(value)
    if number is None:
        raise ValueError(MSG_PERIOD)
    if number != number.to_integral_value():
        # 2023.1 could be January or October (2023.10 loses its zero).
        raise ValueError(MSG_PERIOD_AMBIGUOUS)
    match = _PERIOD_PATTERNS[2].fullmatch(_plain_text(number))
    if match is None:
        raise ValueError(MSG_PERIOD)
    return _period(int(match.group(1)), int(match.group(2)))


def _period_from_text(text: str) -> str:
    match = _JAN_FEB.fullmatch(text)
    if match is not None:
        return _period(int(match.group(1)), 2)
    for pattern in _PERIOD_PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            return _period(int(match.group(1)), int(match.group(2)))
    raise ValueError(MSG_PERIOD)


def _period(year: int, month: int) -> str:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValueError(MSG_PERIOD)
    return f"{year:04d}-{month:02d}"


def parse_date(value: object) -> datetime.date | None:
    """Date from a date cell or text "2023-03-15", "2023/3/15", "2023年3月15日", "2023-03" (day 1)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise ValueError(MSG_DATE)
    if isinstance(value, int | float | Decimal):
        # Only 20230315 typed as a number; an Excel serial like 45000 is not guessed.
        number = _cell_number(value)
        if number is None or number != number.to_integral_value():
            raise ValueError(MSG_DATE)
        value = _plain_text(number)
    if not isinstance(value, str):
        raise ValueError(MSG_DATE)
    text = normalize_text(value)
    if text is None:
        return None
    return _date_from_text(text)


def _date_from_text(text: str) -> datetime.date:
    compact = _compact(text) if "年" in text else text
    for pattern in _DATE_PATTERNS:
        match = pattern.match(compact)
        if match is not None and _TIME_SUFFIX.fullmatch(compact, match.end()):
            return _date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    for pattern in _MONTH_PATTERNS:
        match = pattern.fullmatch(compact)
        if match is not None:
            return _date(int(match.group(1)), int(match.group(2)), 1)
    raise ValueError(MSG_DATE)


def _date(year: int, month: int, day: int) -> datetime.date:
    if not 1900 <= year <= 2100:
        raise ValueError(MSG_DATE_YEAR)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(MSG_DATE_INVALID) from None


# ---------------------------------------------------------------------------
# Reading: checks on the raw bytes
# ---------------------------------------------------------------------------

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_HEADER_MAGIC = b"PK\x03\x04"
_INFLATE_CHUNK = MIB
_DEFLATE_SLICE = 64 * 1024


def _read_source(source: bytes | bytearray | memoryview | BinaryIO, limits: Limits) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        data = _read_stream(source, limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise SheetError(f"文件过大,不能超过 {_size_text(limits.max_bytes)}")
    return data


def _read_stream(stream: BinaryIO, limit: int) -> bytes:
    """At most `limit` bytes: raw streams may return short reads, so loop until EOF."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = stream.read(limit - size)
        if not chunk:
            break
        chunks.append(bytes(chunk))
        size += len(chunk)
    return b"".join(chunks)


def _size_text(size: int) -> str:
    if size % MIB == 0:
        return f"{size // MIB} MB"
    return f"{size} 字节"


def _check_container(data: bytes, limits: Limits) -> list[zipfile.ZipInfo]:
    """Refuse anything the parser should not be asked to open; the members, checked."""
    if data.startswith(OLE2_MAGIC):
        raise SheetError(MSG_LEGACY)
    if not data.startswith(b"PK"):
        raise SheetError(MSG_NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:
        raise SheetError(MSG_BROKEN) from exc
    _check_sizes(members, limits)
    if not any(member.filename == "[Content_Types].xml" for member in members):
        raise SheetError(MSG_NOT_XLSX)
    for member in members:
        _check_member(data, member)
    return members


def _check_sizes(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Judge the declared sizes before a single byte is inflated."""
    plain = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if plain > limits.max_uncompressed_bytes or _ratio_too_high(plain, packed, limits):
        raise SheetError(MSG_BOMB)
    if any(_ratio_too_high(member.file_size, member.compress_size, limits) for member in members):
        raise SheetError(MSG_BOMB)


def _ratio_too_high(plain: int, packed: int, limits: Limits) -> bool:
    return plain > limits.ratio_floor_bytes and plain > limits.max_ratio * max(packed, 1)


def _check_member(data: bytes, member: zipfile.ZipInfo) -> None:
    """Make sure a member inflates to exactly its declared size.

    zipfile trusts the declared size only when it hands data back: a full
    read() inflates up to 1 GB in one call before cutting it down. A file that
    declares 1 KB but holds 10 GB of zeros must be stopped here, where
    inflating is done in bounded chunks.
    """
    if member.flag_bits & 0x1 or member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise SheetError(MSG_UNREADABLE)  # encrypted, or a method Excel never writes
    if member.compress_type == zipfile.ZIP_STORED:
        return  # zipfile never returns more than compress_size bytes of a stored member
    start = _member_data_offset(data, member)
    packed = data[start : start + member.compress_size]
    try:
        inflated = _inflated_size(packed, member.file_size)
    except zlib.error as exc:
        raise SheetError(MSG_BROKEN) from exc
    if inflated > member.file_size:
        raise SheetError(MSG_BOMB)
    if inflated < member.file_size:
        raise SheetError(MSG_BROKEN)


def _member_data_offset(data: bytes, member: zipfile.ZipInfo) -> int:
    offset = member.header_offset
    header = data[offset : offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise SheetError(MSG_BROKEN)
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != _LOCAL_HEADER_MAGIC:
        raise SheetError(MSG_BROKEN)
    name_length, extra_length = fields[10], fields[11]
    return offset + _LOCAL_HEADER.size + name_length + extra_length


def _inflated_size(packed: bytes, declared: int) -> int:
    """Inflated length, counting no further than one chunk past `declared`.

    Input goes in small slices so that zlib's unconsumed tail stays small.
    """
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    view = memoryview(packed)
    size = 0
    for start in range(0, len(view), _DEFLATE_SLICE):
        pending: bytes | memoryview = view[start : start + _DEFLATE_SLICE]
        while pending and size <= declared:
            size += len(inflater.decompress(pending, _INFLATE_CHUNK))
            pending = inflater.unconsumed_tail
        if size > declared or inflater.eof:
            break
    if size <= declared:
        size += len(inflater.flush())
    return size


# Cell references (r="B12") and row numbers (<row r="12">) as the parser reads them; it also accepts
# cells and rows without r, placing them after the previous one, so those are counted too.
# Only the row digits are captured, and column letters only when there are two or more (a single
# letter is at most column 26): fewer objects for the usual sheet.
_CELL_ROW = re.compile(rb'\sr\s*=\s*["\']\$?[A-Za-z]+\$?([0-9]+)["\']')
_WIDE_COLUMN = re.compile(rb'\sr\s*=\s*["\']\$?([A-Za-z]{2,})\$?[0-9]')
_ROW_REF = re.compile(rb'<(?:[\w.-]+:)?row\b[^>]*?\sr\s*=\s*["\']([0-9]+)["\']')
# Tags counted with bytes.count (an over-count only makes the bound more cautious).
_ROW_TAGS = (b"<row ", b"<row>", b"<row/>", b":row ", b":row>", b":row/>", b"<row\t", b"<row\n", b"<row\r")
_CELL_TAGS = (b"<c ", b"<c>", b"<c/>", b":c ", b":c>", b":c/>", b"<c\t", b"<c\n", b"<c\r")
_SCAN_SLICE = 4 * MIB


# The shared-string table's start tag; the parser reserves a slot for each string it declares.
_SST_TAG = re.compile(rb"<(?:[\w.-]+:)?sst\b[^>]*>")
_SST_COUNT = re.compile(rb"""\s(uniqueCount|count)\s*=\s*["']\s*([0-9]+)\s*["']""")
_SST_HEAD = 64 * 1024
# The fewest bytes a shared string can take (<si/>) and a cell that refers to one (<c t="s"><v>0</v></c>).
_MIN_SHARED_STRING = 5
_MIN_SHARED_CELL = 21


def _check_declared_counts(data: bytes, members: list[zipfile.ZipInfo]) -> None:
    """Refuse a shared-string table that declares more entries than the file can hold.

    A declared count is an allocation hint: the reader reserves that many slots before reading a
    single string, so `uniqueCount="4294967295"` asks for 96 GB. A table can hold at most one
    string per five bytes of its part, and the workbook at most one reference per 21 bytes.
    """
    plain = sum(member.file_size for member in members)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in members:
            if member.filename.endswith("/") or member.file_size == 0:
                continue
            with archive.open(member) as handle:
                head = handle.read(_SST_HEAD)
            tag = _SST_TAG.search(head)
            if tag is None:
                continue
            declared = {name: value for name, value in _SST_COUNT.findall(tag.group())}
            bounds = {b"uniqueCount": member.file_size // _MIN_SHARED_STRING, b"count": plain // _MIN_SHARED_CELL}
            for name, value in declared.items():
                if len(value) > 12 or int(value) > bounds[name]:
                    raise SheetError(MSG_DECLARED)


def _check_extent(data: bytes, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse a sheet whose cells could span more than `max_cells` before the parser builds its grid.

    Every XML member is scanned (the sheet a workbook points at may have any name); the bound is
    generous (rows without a number count as extra rows, cells without a reference as extra columns).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in members:
            if member.filename.endswith("/") or member.file_size == 0:
                continue
            with archive.open(member) as handle:
                rows, columns = _extent(handle)
            if rows > EXCEL_MAX_ROWS or columns > EXCEL_MAX_COLUMNS:
                raise SheetError(MSG_UNREADABLE)
            if rows * columns > limits.max_cells:
                raise SheetError(MSG_AREA.format(cells=f"{limits.max_cells:,}"))


def _extent(handle: BinaryIO) -> tuple[int, int]:
    """(rows, columns) a part's cells can reach at most."""
    scan = _Extent()
    tail = b""
    while True:
        chunk = handle.read(_SCAN_SLICE)
        if not chunk:
            break
        # Cut at the last tag start so that no reference straddles two slices.
        text = tail + chunk
        cut = text.rfind(b"<")
        text, tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
        scan.add(text)
    scan.add(tail)
    if not scan.cell_tags:
        return 0, 0
    # Rows and cells without a reference follow the previous one: count each as one more.
    return (scan.max_row + max(scan.row_tags - scan.row_refs, 0),
            scan.max_column + max(scan.cell_tags - scan.cell_refs, 0))


class _Extent:
    def __init__(self) -> None:
        self.max_row = self.max_column = self.row_tags = self.row_refs = self.cell_tags = self.cell_refs = 0

    def add(self, text: bytes) -> None:
        if not text:
            return
        rows = _CELL_ROW.findall(text)
        if rows:
            self.cell_refs += len(rows)
            self.max_row = max(self.max_row, _largest(rows))
            wide = set(_WIDE_COLUMN.findall(text))
            self.max_column = max(self.max_column, 26, *map(_column_number, wide))
        numbers = _ROW_REF.findall(text)
        if numbers:
            self.row_refs += len(numbers)
            self.max_row = max(self.max_row, _largest(numbers))
        self.row_tags += sum(map(text.count, _ROW_TAGS))
        self.cell_tags += sum(map(text.count, _CELL_TAGS))


def _largest(numbers: list[bytes]) -> int:
    if max(map(len, numbers)) > 7:
        return EXCEL_MAX_ROWS + 1
    return max(map(int, numbers))


def _column_number(letters: bytes) -> int:
    if len(letters) > 3:
        return EXCEL_MAX_COLUMNS + 1
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


@contextlib.contextmanager
def _refuse_unreadable() -> Iterator[None]:
    """Whatever the parser raises on a hostile file reaches the caller as a SheetError."""
    try:
        yield
    except SheetError:
        raise
    except sandbox.SandboxError as exc:
        raise SheetError(_SANDBOX_MESSAGES.get(exc.reason) or exc.detail or MSG_UNREADABLE) from exc
    except Exception as exc:
        raise SheetError(MSG_UNREADABLE) from exc


_SANDBOX_MESSAGES = {"memory": MSG_MEMORY, "cpu": MSG_TIMEOUT, "crash": MSG_UNREADABLE}


# ---------------------------------------------------------------------------
# Reading: header
# ---------------------------------------------------------------------------

_TRAILING_BRACKETS = re.compile(r"[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]$")


@dataclass
class _Header:
    row: int
    columns: dict[str, int]
    notes: list[str]


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
    text = _compact(text).strip("*").casefold()
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
        raise SheetError(f"表头列数超过上限 {limits.max_columns} 列")
    _refuse_duplicates(columns, best_found)
    notes = [f"表头在第{best_row}行,已跳过上方{best_row - 1}行标题"] if best_row > 1 else []
    return _Header(best_row, {key: indexes[0] for key, indexes in best_found.items()}, notes)


def _require_columns(columns: Sequence[Column], found: dict[str, list[int]]) -> None:
    missing = [column for column in columns if column.required and column.key not in found]
    if not found and not missing:
        missing = list(columns)  # only optional columns, and none of them present
    if missing:
        names = "、".join(f"「{column.headers[0]}」" for column in missing)
        raise SheetError(f"未找到表头:缺少列{names}")


def _refuse_duplicates(columns: Sequence[Column], found: dict[str, list[int]]) -> None:
    for column in columns:
        indexes = found.get(column.key, [])
        if len(indexes) > 1:
            first, second = get_column_letter(indexes[0]), get_column_letter(indexes[1])
            raise SheetError(f"表头「{column.headers[0]}」重复出现(第{first}列和第{second}列)")


# ---------------------------------------------------------------------------
# Reading: rows
# ---------------------------------------------------------------------------

_SUBTOTAL_WORDS = ("小计", "合计", "总计")
_TRAILING_PUNCTUATION = ":;,.、"


def _clean_cell(value: object) -> object:
    if isinstance(value, str):
        # An empty cell arrives as ""; the parser already decoded _xHHHH_ escapes.
        return normalize_text(value) if value else None
    if isinstance(value, float) and not math.isfinite(value):
        return normalize_text(str(value))  # "inf" stays visible text, refused later by parse_decimal
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _cell_number(value)
    if type(value) is datetime.date:
        # A date cell is a date and time in Excel (midnight here), as every reader before handed it back.
        return datetime.datetime(value.year, value.month, value.day)
    return value  # None, bool, datetime, time, timedelta


def _is_subtotal(text: str) -> bool:
    """Subtotal text such as 合计, 合  计, 全县小计, 小计:, 合计(15个); but not 综合计量中心."""
    compact = _compact(text).rstrip(_TRAILING_PUNCTUATION)
    while True:
        shorter = _TRAILING_BRACKETS.sub("", compact).rstrip(_TRAILING_PUNCTUATION)
        if shorter == compact or not shorter:
            break
        compact = shorter
    return compact.startswith(_SUBTOTAL_WORDS) or compact.endswith(_SUBTOTAL_WORDS)


def _row_reason(values: dict[str, object]) -> str | None:
    """Why a row is not data: REASON_BLANK, REASON_SUBTOTAL, or None for a data row."""
    if all(value is None for value in values.values()):
        return REASON_BLANK
    # Every keyword ends in 计; the cheap test spares the full check on ordinary cells.
    if any(isinstance(value, str) and "计" in value and _is_subtotal(value) for value in values.values()):
        return REASON_SUBTOTAL
    return None


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
        self.skipped: list[tuple[int, str]] = []
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
            with _refuse_unreadable():
                yield from self._scan()
        finally:
            self.close()

    def _scan(self) -> Iterator[Row]:
        width = max(self.columns.values())  # unmapped columns to the right are never looked at
        # (key, 0-based position) of every column the header found; absent optional columns stay None.
        found = [(key, self.columns[key] - 1) for key in self._keys if key in self.columns]
        absent = dict.fromkeys(key for key in self._keys if key not in self.columns)
        blank_from: int | None = None  # blank rows count as skipped only if data follows them
        counted = 0
        max_rows = self._limits.max_rows
        for number, row in self._source.after(self.header_row):
            if number > EXCEL_MAX_ROWS:
                raise SheetError(MSG_UNREADABLE)
            cells = row[:width]
            if cells.count("") == len(cells):
                # Fast path: empty cells are "", and the parser pads gaps with empty rows.
                reason, values = REASON_BLANK, {}
            else:
                size = len(cells)
                values = {key: _clean_cell(cells[index]) if index < size else None for key, index in found}
                if absent:
                    values.update(absent)
                    values = {key: values[key] for key in self._keys}
                reason = _row_reason(values)
            if reason == REASON_BLANK:
                blank_from = number if blank_from is None else blank_from
                continue
            if blank_from is not None:
                self.skipped.extend((blank, REASON_BLANK) for blank in range(blank_from, number))
                blank_from = None
            counted += 1
            if counted > max_rows:
                raise SheetError(f"行数超过上限 {max_rows} 行")
            if reason == REASON_SUBTOTAL:
                self.skipped.append((number, REASON_SUBTOTAL))
                continue
            yield Row(number, values)


_ROW_BATCH = 512  # rows per message from the parsing child


@sandbox.register("xlsx.sheet")
def _parse_sheet(data: bytes, sheet: str | None) -> Iterator[object]:
    """Run in the sandbox: the sheet's first used cell, then its rows in batches."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        name = _pick_worksheet(workbook, sheet)
    except SheetError as exc:
        raise sandbox.SandboxRefusal(exc.message) from None
    # The parser builds the sheet's cell grid here (bounded beforehand by _check_extent).
    worksheet = workbook.get_sheet_by_name(name)
    start = worksheet.start
    yield list(start) if start else None
    batch: list[list[object]] = []
    for cells in worksheet.iter_rows():
        batch.append(cells)
        if len(batch) == _ROW_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _ChildSheet:
    """A worksheet parsed in the sandbox: `start` and `iter_rows()` as calamine's, and close()."""

    def __init__(self, data: bytes, sheet: str | None, limits: Limits) -> None:
        ceiling = sandbox.Ceiling(memory_bytes=limits.parse_memory_bytes, cpu_seconds=limits.parse_cpu_seconds)
        self._channel = sandbox.run("xlsx.sheet", data, sheet, ceiling=ceiling)
        self._items = iter(self._channel)
        try:
            start = next(self._items)
        except BaseException as exc:
            self.close()
            if isinstance(exc, StopIteration):
                raise SheetError(MSG_UNREADABLE) from None
            raise
        self.start = tuple(start) if start else None

    def iter_rows(self) -> Iterator[list[object]]:
        for batch in self._items:
            yield from batch

    def close(self) -> None:
        self._channel.close()


def _open_worksheet(data: bytes, sheet: str | None, limits: Limits) -> tuple[Any, Any]:
    worksheet = _ChildSheet(data, sheet, limits)
    return worksheet, worksheet


def _pick_worksheet(workbook: Any, sheet: str | None) -> str:
    worksheets = [meta for meta in workbook.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
    if sheet is not None:
        for meta in worksheets:
            if meta.name == sheet or normalize_text(meta.name) == normalize_text(sheet):
                return meta.name
        raise SheetError(f"未找到名为「{sheet}」的工作表")
    if not worksheets:
        raise SheetError(MSG_NO_SHEET)
    # A hidden first sheet (say a code list) is not what the clerk filled in.
    visible = [meta for meta in worksheets if meta.visible == SheetVisibleEnum.Visible]
    return (visible or worksheets)[0].name


def iter_table(
    source: bytes | BinaryIO,
    columns: Sequence[Column],
    *,
    limits: Limits = DEFAULT_LIMITS,
    sheet: str | None = None,
) -> TableStream:
    """Check the file and find the header now (raising SheetError), stream the rows later."""
    aliases = _alias_map(columns)  # a mistake in `columns` is the programmer's: let it raise ValueError
    data = _read_source(source, limits)
    members = _check_container(data, limits)
    with _refuse_unreadable():
        _check_declared_counts(data, members)
        _check_extent(data, members, limits)
        workbook, worksheet = _open_worksheet(data, sheet, limits)
    try:
        with _refuse_unreadable():
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


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

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
