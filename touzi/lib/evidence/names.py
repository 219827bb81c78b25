"""The uploader's file name, kept for display only: never a path, never the stored name, never the served type."""

from __future__ import annotations

import posixpath
import unicodedata

from touzi.lib.evidence.formats import Kind

MAX_NAME = 255
FALLBACK = "佐证材料"


def display_name(name: str | None) -> str:
    """The last path component, NFC, without control or format characters (bidi overrides such as U+202E turn
    "exe.pdf" into "fdp.exe" on screen; zero-width characters hide text), trimmed to the column's length."""
    base = posixpath.basename((name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    base = base.strip(" .")
    if not base:
        return FALLBACK
    if len(base) > MAX_NAME:
        _stem, dot, suffix = base.rpartition(".")
        keep = f"{dot}{suffix}" if dot and len(suffix) <= 10 else ""
        base = base[:MAX_NAME - len(keep)] + keep
    return base


def download_name(name: str, kind: Kind | None) -> str:
    """The name a download is saved under: the display name, its extension made the detected type's, so that a
    PNG uploaded as "evil.html" is saved as "evil.png" and opens as a picture, not as a page."""
    name = display_name(name)
    if kind is None:
        return name
    stem, dot, suffix = name.rpartition(".")
    if dot and f".{suffix.lower()}" in kind.suffixes:
        return name
    return f"{stem if dot and stem else name}{kind.suffix}"
