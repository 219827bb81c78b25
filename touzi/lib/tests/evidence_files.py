"""Small, structurally complete evidence files for tests, built byte by byte (what the checks read)."""

from __future__ import annotations

import io
import struct
import zlib


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(*, extra_chunks: bytes = b"") -> bytes:
    """A 1×1 grey PNG: signature, IHDR, IDAT, IEND."""
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    return (b"\x89PNG\r\n\x1a\n" + header + extra_chunks + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
            + chunk(b"IEND", b""))


def jpeg() -> bytes:
    """A 1×1 baseline JPEG (Pillow, which matplotlib already brings)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (1, 1), 128).save(out, "JPEG")
    return out.getvalue()


def pdf(*objects: bytes, trailer: bytes = b"") -> bytes:
    """A one-page PDF; `objects` are added as 4 0 obj, 5 0 obj…; `trailer` goes into the trailer dictionary."""
    body = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>", *objects]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(body, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(body) + 1, trailer, xref)
    return bytes(out)


def stream(dictionary: bytes, data: bytes) -> bytes:
    """A stream object's text: << dictionary /Length n >> stream … endstream."""
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def object_stream(*objects: bytes, first_number: int = 10) -> bytes:
    """A Flate-compressed object stream (/Type /ObjStm) holding `objects` as first_number, first_number+1…"""
    offsets, body = [], b""
    for obj in objects:
        offsets.append(len(body))
        body += obj + b"\n"
    header = b" ".join(b"%d %d" % (first_number + i, offset) for i, offset in enumerate(offsets)) + b"\n"
    data = zlib.compress(header + body)
    return stream(b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(objects), len(header)), data)
