"""Hostile and malformed workbooks for the import fuzz test, built fast from raw parts.

`parts(...)` gives the members of a minimal, valid .xlsx (inline strings, one date style) as a dict, so a
test can break one member's XML; `pack(parts)` zips them. The mutators below take valid bytes and return
broken ones: byte-level, zip-level and container-level. Everything is deterministic given a
`random.Random`, so a failing case can be replayed from its seed.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET = "xl/worksheets/sheet1.xml"
EPOCH = dt.datetime(1899, 12, 30)


class Formula(str):
    """A formula cell (without the "="), with an optional cached value."""

    cached: object = None

    def __new__(cls, text: str, cached: object = None) -> Formula:
        obj = super().__new__(cls, text)
        obj.cached = cached
        return obj


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xml_text(text: str) -> str:
    # Characters XML 1.0 cannot hold are written the way Excel writes them: _xHHHH_.
    out = []
    for ch in text:
        code = ord(ch)
        if code in (9, 10, 13) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000:
            out.append(ch)
        else:
            out.append(f"_x{code:04X}_")
    return escape("".join(out))


def cell_xml(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        cached = value.cached
        if cached is None:
            return f'<c r="{ref}"><f>{_xml_text(str(value))}</f></c>'
        if isinstance(cached, str):
            return f'<c r="{ref}" t="str"><f>{_xml_text(str(value))}</f><v>{_xml_text(cached)}</v></c>'
        return f'<c r="{ref}"><f>{_xml_text(str(value))}</f><v>{cached}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime | dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        serial = (moment - EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="1"><v>{serial!r}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, tuple):  # (type, raw xml content): a cell exactly as a forged file has it
        kind, raw = value
        return f'<c r="{ref}" t="{kind}"><v>{raw}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_xml_text(str(value))}</t></is></c>'


def sheet_xml(rows: Sequence[Sequence[object]], *, dimension: str | None = None, first_row: int = 1) -> str:
    body = []
    for number, row in enumerate(rows, start=first_row):
        cells = "".join(cell_xml(f"{column_letter(i)}{number}", v) for i, v in enumerate(row, start=1))
        body.append(f'<row r="{number}">{cells}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
            f'xmlns:r="{REL}">{dim}<sheetData>{"".join(body)}</sheetData></worksheet>')


def parts(rows: Sequence[Sequence[object]], *, dimension: str | None = None,
          first_row: int = 1) -> dict[str, str | bytes]:
    """The members of a minimal valid workbook whose first sheet holds `rows` (header first)."""
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.styles+xml"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            '</styleSheet>'),
        SHEET: sheet_xml(rows, dimension=dimension, first_row=first_row),
    }


def with_shared_strings(members: dict[str, str | bytes], sst: str | bytes) -> dict[str, str | bytes]:
    """`members` plus a shared-string part (its XML as given) wired into the content types and rels."""
    out = dict(members)
    types = str(out["[Content_Types].xml"])
    out["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    rels = str(out["xl/_rels/workbook.xml.rels"])
    out["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", (
        f'<Relationship Id="rId9" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    out["xl/sharedStrings.xml"] = sst
    return out


def sst_xml(strings: Sequence[str], *, unique_count: object = None, count: object = None) -> str:
    """A shared-string table; the declared counts default to the truth, or say whatever is given."""
    unique = len(strings) if unique_count is None else unique_count
    total = len(strings) if count is None else count
    items = "".join(f"<si><t>{_xml_text(text)}</t></si>" for text in strings)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{MAIN}" count="{total}" uniqueCount="{unique}">{items}</sst>')


def pack(members: dict[str, str | bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def xlsx(rows: Sequence[Sequence[object]], *, dimension: str | None = None, first_row: int = 1) -> bytes:
    return pack(parts(rows, dimension=dimension, first_row=first_row))


# --- byte level --------------------------------------------------------------------------------------

def flip(data: bytes, rnd: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        position = rnd.randrange(len(buf))
        buf[position] ^= 1 << rnd.randrange(8) if rnd.random() < 0.7 else rnd.randrange(1, 256)
    return bytes(buf)


def truncate(data: bytes, rnd: random.Random) -> bytes:
    return data[:rnd.randrange(len(data))]


def insert(data: bytes, rnd: random.Random) -> bytes:
    position = rnd.randrange(len(data) + 1)
    junk = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 64)))
    return data[:position] + junk + data[position:]


def delete(data: bytes, rnd: random.Random) -> bytes:
    start = rnd.randrange(len(data))
    return data[:start] + data[start + rnd.randint(1, 256):]


def splice(data: bytes, rnd: random.Random) -> bytes:
    """A slice of the file copied over another place (zip structures repeated or shifted)."""
    start, length = rnd.randrange(len(data)), rnd.randint(4, 512)
    to = rnd.randrange(len(data))
    chunk = data[start:start + length]
    return data[:to] + chunk + data[to + len(chunk):]


BYTE_MUTATORS = (flip, truncate, insert, delete, splice)


# --- zip level ---------------------------------------------------------------------------------------

def without(members: dict[str, str | bytes], name: str) -> bytes:
    return pack({k: v for k, v in members.items() if k != name})


def duplicated(members: dict[str, str | bytes], name: str, replacement: str | bytes | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, data in members.items():
            archive.writestr(key, data)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            archive.writestr(name, members[name] if replacement is None else replacement)
    return out.getvalue()


def _central_entries(data: bytes) -> list[int]:
    """Offsets of the central directory headers."""
    found: list[int] = []
    start = 0
    while True:
        index = data.find(b"PK\x01\x02", start)
        if index < 0:
            return found
        found.append(index)
        start = index + 4


def _local_entries(data: bytes) -> list[int]:
    found: list[int] = []
    start = 0
    while True:
        index = data.find(b"PK\x03\x04", start)
        if index < 0:
            return found
        found.append(index)
        start = index + 4


def patch_central(data: bytes, entry: int, field: str, value: int) -> bytes:
    """Overwrite a field of the `entry`-th central directory header (and the matching local header)."""
    offsets = {"crc": (16, 14, "<L"), "compressed": (20, 18, "<L"), "size": (24, 22, "<L"),
               "method": (10, 8, "<H"), "flags": (8, 6, "<H")}
    central_at, local_at, fmt = offsets[field]
    buf = bytearray(data)
    centrals, locals_ = _central_entries(data), _local_entries(data)
    if entry < len(centrals):
        struct.pack_into(fmt, buf, centrals[entry] + central_at, value)
    if entry < len(locals_):
        struct.pack_into(fmt, buf, locals_[entry] + local_at, value)
    return bytes(buf)


def stored_bomb(size: int) -> bytes:
    """A member of `size` zero bytes, deflated (compresses about 1000:1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk = b"\0" * (1024 * 1024)
    out = [packer.compress(chunk) for _ in range(size // len(chunk))]
    out.append(packer.flush())
    return b"".join(out)


def with_raw_member(members: dict[str, str | bytes], name: str, deflated: bytes, *, declared_size: int,
                    crc: int = 0) -> bytes:
    """A workbook with one extra member whose deflated bytes and declared size are given (a liar or a bomb)."""
    head = pack(members)
    archive = io.BytesIO(head)
    # Rebuild: write the honest members, then append the raw member by hand, then a fresh central directory.
    with zipfile.ZipFile(archive) as source:
        infos = source.infolist()
    body = head[:min(_central_entries(head))]
    encoded = name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(deflated), declared_size,
                        len(encoded), 0) + encoded
    raw_offset = len(body)
    body += local + deflated
    central = b""
    for info in infos:
        encoded_name = info.filename.encode()
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, info.flag_bits, info.compress_type, 0, 0,
                               info.CRC, info.compress_size, info.file_size, len(encoded_name), 0, 0, 0, 0, 0,
                               info.header_offset) + encoded_name
    central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(deflated), declared_size,
                           len(encoded), 0, 0, 0, 0, 0, raw_offset) + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(infos) + 1, len(infos) + 1, len(central), len(body), 0)
    return body + central + end


def nested_zip(members: dict[str, str | bytes], depth: int) -> bytes:
    """A workbook carrying a zip inside a zip inside … (a recursive bomb's shape) as an extra member."""
    inner = b"\0" * 4096
    for level in range(depth):
        inner = pack({f"layer{level}.zip": inner})
    return pack({**members, "xl/embeddings/nested.zip": inner})


# --- containers that are not an xlsx -----------------------------------------------------------------

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def not_xlsx(rnd: random.Random, valid: bytes) -> bytes:
    choices = [
        lambda: b"",
        lambda: b"PK",
        lambda: b"PK\x05\x06" + b"\0" * 18,  # an empty zip
        lambda: pack({"hello.txt": "not a workbook"}),
        lambda: pack({"[Content_Types].xml": "<Types/>"}),  # a zip with a content-types file and nothing else
        lambda: OLE_HEADER + bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 2048))),  # .xls / encrypted
        lambda: OLE_HEADER + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + valid[:512],
        lambda: b"%PDF-1.7\n" + bytes(rnd.randrange(256) for _ in range(200)),
        lambda: "项目代码,项目名称,报告期,本月完成投资\n2021-450521-26-03-000001,x,2023-03,1\n".encode(),
        lambda: b"<html><body>=cmd|' /C calc'!A0</body></html>",
        lambda: bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 4096))),
        lambda: b"\x1f\x8b\x08" + zlib.compress(valid),  # a gzip-looking wrapper
        lambda: b"PK\x03\x04" + bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 512))),
    ]
    return rnd.choice(choices)()


def encrypted_member(members: dict[str, str | bytes]) -> bytes:
    """A zip whose worksheet claims traditional PKWARE encryption (flag bit 0)."""
    data = pack(members)
    names = list(members)
    return patch_central(data, names.index(SHEET), "flags", 0x1)
