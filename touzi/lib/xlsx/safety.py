"""Before the parser sees an upload: size, legacy format, zip bombs, zip headers that lie about sizes,
declared counts, the cell area a sheet claims; then the parse itself in a sandboxed child process.

Every check works on the raw bytes and refuses with a `SheetError`; whatever the parser still raises on a
hostile file becomes one too (`refuse_unreadable`), so callers handle one exception.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from touzi.lib import sandbox
from touzi.lib.messages import Message
from touzi.lib.xlsx.cells import normalize_text
from touzi.lib.xlsx.errors import (
    MSG_AREA,
    MSG_BOMB,
    MSG_BROKEN,
    MSG_DECLARED,
    MSG_LEGACY,
    MSG_MEMORY,
    MSG_NO_SHEET,
    MSG_NOT_XLSX,
    MSG_REFUSED,
    MSG_SHEET_MISSING,
    MSG_TIMEOUT,
    MSG_TOO_LARGE_BYTES,
    MSG_TOO_LARGE_MB,
    MSG_UNREADABLE,
    SheetError,
)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Excel's own sheet size: a row number above it can only come from a forged
# file; stop there rather than let openpyxl pad empty rows up to it.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
MIB = 1024 * 1024


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


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_HEADER_MAGIC = b"PK\x03\x04"
_INFLATE_CHUNK = MIB
_DEFLATE_SLICE = 64 * 1024


def read_source(source: bytes | bytearray | memoryview | BinaryIO, limits: Limits) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        data = _read_stream(source, limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise SheetError(_too_large(limits.max_bytes))
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


def _too_large(size: int) -> Message:
    if size % MIB == 0:
        return MSG_TOO_LARGE_MB(mb=size // MIB)
    return MSG_TOO_LARGE_BYTES(bytes=size)


def check_container(data: bytes, limits: Limits) -> list[zipfile.ZipInfo]:
    """Refuse anything the parser should not be asked to open; the members, checked."""
    if data.startswith(OLE2_MAGIC):
        raise SheetError(MSG_LEGACY())
    if not data.startswith(b"PK"):
        raise SheetError(MSG_NOT_XLSX())
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:
        raise SheetError(MSG_BROKEN()) from exc
    _check_sizes(members, limits)
    if not any(member.filename == "[Content_Types].xml" for member in members):
        raise SheetError(MSG_NOT_XLSX())
    for member in members:
        _check_member(data, member)
    return members


def _check_sizes(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Judge the declared sizes before a single byte is inflated."""
    plain = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if plain > limits.max_uncompressed_bytes or _ratio_too_high(plain, packed, limits):
        raise SheetError(MSG_BOMB())
    if any(_ratio_too_high(member.file_size, member.compress_size, limits) for member in members):
        raise SheetError(MSG_BOMB())


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
        raise SheetError(MSG_UNREADABLE())  # encrypted, or a method Excel never writes
    if member.compress_type == zipfile.ZIP_STORED:
        return  # zipfile never returns more than compress_size bytes of a stored member
    start = _member_data_offset(data, member)
    packed = data[start : start + member.compress_size]
    try:
        inflated = _inflated_size(packed, member.file_size)
    except zlib.error as exc:
        raise SheetError(MSG_BROKEN()) from exc
    if inflated > member.file_size:
        raise SheetError(MSG_BOMB())
    if inflated < member.file_size:
        raise SheetError(MSG_BROKEN())


def _member_data_offset(data: bytes, member: zipfile.ZipInfo) -> int:
    offset = member.header_offset
    header = data[offset : offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise SheetError(MSG_BROKEN())
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != _LOCAL_HEADER_MAGIC:
        raise SheetError(MSG_BROKEN())
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
# Each pattern starts with a literal ("r", "row") and looks behind for what precedes it: Python's regex
# engine then jumps from one occurrence of the literal to the next instead of trying every byte (a pattern
# starting with \s or < is tried at each of the sheet's millions of bytes). The matches are exactly those of
# \sr\s*=… and <row…: a lookbehind moves where a match starts by one byte, never which matches are found.
_CELL_ROW = re.compile(rb'r(?<=\sr)\s*=\s*["\']\$?[A-Za-z]+\$?([0-9]+)["\']')
_WIDE_COLUMN = re.compile(rb'r(?<=\sr)\s*=\s*["\']\$?([A-Za-z]{2,})\$?[0-9]')
_ROW_REF = re.compile(rb'<(?:[\w.-]+:)?row\b[^>]*?\sr\s*=\s*["\']([0-9]+)["\']')
# _ROW_REF where no row carries a namespace prefix (no ":row" in the text: what Excel, WPS and openpyxl write).
_PLAIN_ROW_REF = re.compile(rb'row\b(?<=<row)[^>]*?\sr\s*=\s*["\']([0-9]+)["\']')
# Row and cell start tags, counted in one pass: <row , <row>, <row/>, :row , :row>, :row/>, <row + tab, newline
# or carriage return, and the same for c (an over-count only makes the bound more cautious).
_TAGS = re.compile(rb'[<:](row|c)(?:[ >]|/>|(?<=<row)[\t\n\r]|(?<=<c)[\t\n\r])')
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
                    raise SheetError(MSG_DECLARED())


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
                raise SheetError(MSG_UNREADABLE())
            if rows * columns > limits.max_cells:
                raise SheetError(MSG_AREA(cells=f"{limits.max_cells:,}"))


def _extent(handle: IO[bytes]) -> tuple[int, int]:
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
        numbers = (_ROW_REF if b":row" in text else _PLAIN_ROW_REF).findall(text)
        if numbers:
            self.row_refs += len(numbers)
            self.max_row = max(self.max_row, _largest(numbers))
        tags = _TAGS.findall(text)
        row_tags = tags.count(b"row")
        self.row_tags += row_tags
        self.cell_tags += len(tags) - row_tags


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


def check_parts(data: bytes, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Declared counts and the area each sheet's cells can reach, judged before the parser allocates for them."""
    _check_declared_counts(data, members)
    _check_extent(data, members, limits)


@contextlib.contextmanager
def refuse_unreadable() -> Iterator[None]:
    """Whatever the parser raises on a hostile file reaches the caller as a SheetError."""
    try:
        yield
    except SheetError:
        raise
    except sandbox.SandboxError as exc:
        raise SheetError(_sandbox_message(exc)) from exc
    except Exception as exc:
        raise SheetError(MSG_UNREADABLE()) from exc


_SANDBOX_MESSAGES = {"memory": MSG_MEMORY, "cpu": MSG_TIMEOUT, "crash": MSG_UNREADABLE}


def _sandbox_message(exc: sandbox.SandboxError) -> Message:
    """Why the parsing child gave up; a refusal of its own comes back as the code and parameters it sent."""
    kind = _SANDBOX_MESSAGES.get(exc.reason)
    if kind is not None:
        return kind()
    if exc.detail:
        try:
            return Message.from_json(json.loads(exc.detail))
        except (ValueError, TypeError, KeyError, AttributeError):
            return MSG_REFUSED(detail=exc.detail)
    return MSG_UNREADABLE()


_ROW_BATCH = 512  # rows per message from the parsing child


@sandbox.register("xlsx.sheet")
def _parse_sheet(data: bytes, sheet: str | None) -> Iterator[object]:
    """Run in the sandbox: the sheet's first used cell, then its rows in batches."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        name = _pick_worksheet(workbook, sheet)
    except SheetError as exc:
        raise sandbox.SandboxRefusal(json.dumps(exc.msg.as_json(), ensure_ascii=False)) from None
    # The parser builds the sheet's cell grid here (bounded beforehand by _check_extent).
    worksheet = workbook.get_sheet_by_name(name)
    start = worksheet.start
    yield list(start) if start else None
    batch: list[Sequence[object]] = []
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
                raise SheetError(MSG_UNREADABLE()) from None
            raise
        self.start = tuple(start) if start else None

    def iter_rows(self) -> Iterator[list[object]]:
        for batch in self._items:
            yield from batch

    def close(self) -> None:
        self._channel.close()


def open_worksheet(data: bytes, sheet: str | None, limits: Limits) -> tuple[Any, Any]:
    worksheet = _ChildSheet(data, sheet, limits)
    return worksheet, worksheet


def _pick_worksheet(workbook: Any, sheet: str | None) -> str:
    worksheets = [meta for meta in workbook.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
    if sheet is not None:
        for meta in worksheets:
            if meta.name == sheet or normalize_text(meta.name) == normalize_text(sheet):
                return meta.name
        raise SheetError(MSG_SHEET_MISSING(sheet=sheet))
    if not worksheets:
        raise SheetError(MSG_NO_SHEET())
    # A hidden first sheet (say a code list) is not what the clerk filled in.
    visible = [meta for meta in worksheets if meta.visible == SheetVisibleEnum.Visible]
    return (visible or worksheets)[0].name
