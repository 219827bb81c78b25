"""Active content in a PDF: scripts, actions run on opening, launched programs, attachments, rich media, XFA forms.

What is looked at:
- every PDF name in the file, with #xx escapes decoded (/J#61vaScript is /JavaScript);
- the names inside every Flate-compressed stream whose inflated bytes are PDF syntax (text), which is where a
  PDF 1.5+ writer hides most dictionaries (object streams). Streams are inflated in slices, never whole, up to
  INFLATE_BUDGET bytes per file; image data (binary once inflated) is skipped after its first slice.

Told to the reviewer as `uninspected` rather than passed as clean: the budget ran out, the file is encrypted, or
it has object streams and a filter other than Flate (ASCIIHex, ASCII85, LZW, RunLength, Crypt), which this scan
does not decode. Stream dictionaries are never compressed, so those filter names are always seen.

Not covered (see docs/security.md): an object stream whose Flate data is further encoded with a PNG
predictor reads as binary and is skipped like an image.
"""

from __future__ import annotations

import re
import zlib

# The names that make a PDF do something when opened or clicked, and how the reviewer's UI names them.
ACTIVE = {
    "JavaScript": "JavaScript", "JS": "JavaScript", "OpenAction": "OpenAction", "AA": "AA", "Launch": "Launch",
    "EmbeddedFile": "EmbeddedFile", "EmbeddedFiles": "EmbeddedFile", "RichMedia": "RichMedia", "XFA": "XFA",
}
UNINSPECTED = "uninspected"
UNDECODED_FILTERS = {"ASCIIHexDecode", "AHx", "ASCII85Decode", "A85", "LZWDecode", "LZW", "RunLengthDecode", "RL",
                     "Crypt"}
# More than this inflated from one file is not worth the CPU; a zip bomb gets no further than "uninspected".
INFLATE_BUDGET = 64 * 1024 * 1024
_SLICE = 1024 * 1024
_OVERLAP = 256  # a name cut by a slice boundary is seen whole in the next one

# A name: a solidus and regular characters (ISO 32000-1, 7.3.5); delimiters and white space end it.
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_TEXT = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0C, 0x0D}


def _names(data: bytes) -> set[str]:
    found = set()
    for match in _NAME.finditer(data):
        raw = match.group(1)
        if b"#" in raw:
            raw = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
        found.add(raw.decode("latin-1"))
    return found


def _is_syntax(head: bytes) -> bool:
    """PDF syntax (an object stream, a content stream) is mostly printable ASCII; image data is not."""
    sample = head[:1024]
    return bool(sample) and sum(b in _TEXT for b in sample) >= 0.9 * len(sample)


class _Budget:
    def __init__(self, size: int) -> None:
        self.left = size


def _stream_names(raw: bytes, budget: _Budget) -> set[str] | None:
    """Names inside one Flate stream; empty when it is not Flate or not syntax; None when over the budget."""
    inflater = zlib.decompressobj()
    found: set[str] = set()
    tail, pending, first = b"", raw, True
    while True:
        try:
            piece = inflater.decompress(pending, _SLICE)
        except zlib.error:
            return found  # not Flate data (DCT, JPX, CCITT images…) or corrupt past this point
        if first and not _is_syntax(piece):
            return found
        first = False
        budget.left -= len(piece)
        if budget.left < 0:
            return None
        found |= _names(tail + piece)
        tail, pending = piece[-_OVERLAP:], inflater.unconsumed_tail
        if not pending or inflater.eof:
            return found


def active_content(data: bytes) -> list[str]:
    """The kinds of active content found (sorted), with `uninspected` when part of the file was not looked into."""
    names = _names(data)
    uninspected = "Encrypt" in names or ("ObjStm" in names and bool(names & UNDECODED_FILTERS))
    budget = _Budget(INFLATE_BUDGET)
    for match in _STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        inner = _stream_names(data[match.end():end if end >= 0 else len(data)], budget)
        if inner is None:
            uninspected = True
            break
        names |= inner
    found = {ACTIVE[name] for name in names if name in ACTIVE}
    if uninspected:
        found.add(UNINSPECTED)
    return sorted(found)
