"""What an evidence file is, from its bytes only, and whether that type covers the whole file.

A file is accepted as PDF, PNG or JPEG when it starts as one and its own structure ends where the file ends:
a PNG's chunks (with their CRCs) up to IEND and nothing after, a JPEG's segments and scans up to EOI with at
most padding after, a PDF's last %%EOF with at most whitespace after. Bytes after the end are what makes a
polyglot (a PNG that is also an HTML page, a JPEG with a ZIP behind it), so they are refused, not trimmed:
the platform keeps what the unit sent or nothing.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    content_type: str
    suffix: str
    label: str
    suffixes: tuple[str, ...]  # the extensions a download of this type may keep


PDF = Kind("application/pdf", ".pdf", "PDF", (".pdf",))
PNG = Kind("image/png", ".png", "PNG", (".png",))
JPEG = Kind("image/jpeg", ".jpg", "JPEG", (".jpg", ".jpeg"))
KINDS = {kind.content_type: kind for kind in (PDF, PNG, JPEG)}

_SIGNATURES = [(b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG)]


class Trailing(ValueError):
    """The detected type ends before the file does."""


class Malformed(ValueError):
    """The file starts as the type but its structure is broken or cut short."""


def sniff(head: bytes) -> Kind | None:
    """The type the first bytes announce (no more than a guess until `check_structure` agrees)."""
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    return None


def check_structure(kind: Kind, data: bytes) -> None:
    """Raise Malformed or Trailing unless `kind`'s structure spans exactly the whole of `data`."""
    {PDF: _pdf, PNG: _png, JPEG: _jpeg}[kind](data)


def _png(data: bytes) -> None:
    pos, first = 8, True
    while True:
        if pos + 12 > len(data):
            raise Malformed("png: cut short before IEND")
        length = int.from_bytes(data[pos:pos + 4], "big")
        chunk_type = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if length > 2**31 - 1 or not chunk_type.isalpha() or end > len(data):
            raise Malformed("png: bad chunk")
        if zlib.crc32(data[pos + 4:end - 4]) != int.from_bytes(data[end - 4:end], "big"):
            raise Malformed("png: chunk CRC")
        if first and chunk_type != b"IHDR":
            raise Malformed("png: IHDR is not first")
        first = False
        if chunk_type == b"IEND":
            if end != len(data):
                raise Trailing("png: bytes after IEND")
            return
        pos = end


# Inside a JPEG scan, 0xFF is followed by 0x00 (a stuffed byte), a restart marker D0–D7 or fill 0xFF; anything
# else is the next marker.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
# After EOI some cameras pad with zeros or 0xFF; that carries nothing.
_JPEG_PADDING = b"\x00\xff\r\n\t "


def _jpeg(data: bytes) -> None:
    pos = 2  # after SOI
    while True:
        if pos >= len(data) or data[pos] != 0xFF:
            raise Malformed("jpeg: expected a marker")
        while pos < len(data) and data[pos] == 0xFF:
            pos += 1
        if pos >= len(data):
            raise Malformed("jpeg: cut short")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # stand-alone markers
            continue
        if marker == 0x00 or pos + 2 > len(data):
            raise Malformed("jpeg: bad marker")
        length = int.from_bytes(data[pos:pos + 2], "big")
        if length < 2 or pos + length > len(data):
            raise Malformed("jpeg: bad segment length")
        pos += length
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next real marker
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                raise Malformed("jpeg: scan without end")
            pos = found.start()
    if data[pos:].strip(_JPEG_PADDING):
        raise Trailing("jpeg: bytes after EOI")


# PDF's white-space characters (ISO 32000-1, 7.2.2), NUL among them.
PDF_WHITESPACE = b"\x00\t\n\x0c\r "


def _pdf(data: bytes) -> None:
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise Malformed("pdf: no %%EOF")
    if data[end + 5:].strip(PDF_WHITESPACE):
        raise Trailing("pdf: bytes after the last %%EOF")
