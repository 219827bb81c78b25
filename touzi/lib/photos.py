"""Progress photos from the site: read what the camera recorded (EXIF time and GPS), then re-encode.

The upload is untrusted: it is decoded in the sandbox (touzi.lib.sandbox: a child process with a memory and CPU
ceiling), never in the web process. Pillow's decompression-bomb guard is set to this module's pixel limit, and the
declared size is checked from the header before a single pixel is decoded (a 50000×50000 PNG of a few kilobytes
is refused, not expanded). What comes back is a new JPEG (and a thumbnail) encoded from the pixels alone: no EXIF,
no comments, nothing of the original file is ever served. The EXIF time and position are returned as values.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from touzi.lib import sandbox

MAX_BYTES = 15 * 1024 * 1024  # the largest upload accepted (phones give 2–8 MB; the browser resizes first)
MAX_PIXELS = 60_000_000  # declared width × height (a 108 MP phone photo is resized in the browser first)
STORED_SIDE = 1600  # the stored image's longer side, in pixels
THUMB_SIDE = 320
FORMATS = frozenset({"JPEG", "PNG", "WEBP", "MPO"})  # MPO: the JPEG some phones write
CEILING = sandbox.Ceiling(memory_bytes=768 * 1024 * 1024, cpu_seconds=20)

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATETIME_ORIGINAL, _DATETIME_DIGITIZED, _DATETIME = 36867, 36868, 306


class PhotoRefused(ValueError):
    """The file is not a photo this platform takes (its message says why, in the user's language)."""


@dataclass(frozen=True)
class Photo:
    jpeg: bytes  # re-encoded, metadata-free
    thumbnail: bytes
    width: int
    height: int
    taken_at: dt.datetime | None  # camera's local time, as EXIF records it (no zone)
    lat: float | None  # WGS-84, as GPS records it
    lon: float | None


def _ratio(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        if isinstance(value, tuple) and len(value) == 2 and value[1]:
            return float(value[0]) / float(value[1])
        raise


def _degrees(dms: Any, ref: Any) -> float | None:
    try:
        d, m, s = (_ratio(v) for v in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    ref_text = ref.decode("ascii", "ignore") if isinstance(ref, bytes) else str(ref or "")
    return -value if ref_text.strip().upper() in {"S", "W"} else value


def _taken(exif: Any) -> str | None:
    sub = exif.get_ifd(_EXIF_IFD)
    for raw in (sub.get(_DATETIME_ORIGINAL), sub.get(_DATETIME_DIGITIZED), exif.get(_DATETIME)):
        if isinstance(raw, bytes):
            raw = raw.decode("ascii", "ignore")
        if isinstance(raw, str):
            try:
                return dt.datetime.strptime(raw.strip().rstrip("\x00")[:19], "%Y:%m:%d %H:%M:%S").isoformat()
            except ValueError:
                continue
    return None


def _position(exif: Any) -> tuple[float | None, float | None]:
    gps = exif.get_ifd(_GPS_IFD)
    if not gps or 2 not in gps or 4 not in gps:
        return None, None
    lat, lon = _degrees(gps.get(2), gps.get(1)), _degrees(gps.get(4), gps.get(3))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None, None
    return round(lat, 7), round(lon, 7)


def _jpeg(image: Any, side: int, quality: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side))
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=quality, optimize=True, progressive=True)  # no exif= : nothing carried over
    return out.getvalue()


@sandbox.register("photo.process")
def _process(blob: bytes, max_pixels: int, stored_side: int, thumb_side: int) -> Iterator[Any]:
    """In the sandbox: decode, read EXIF, re-encode. Yields one dict (bytes as base64)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow raises DecompressionBombError at twice this, warns at once
    try:
        image: Any = Image.open(io.BytesIO(blob))
        if image.format not in FORMATS:
            raise sandbox.SandboxRefusal("format")
        width, height = image.size  # from the header: nothing decoded yet
        if width * height > max_pixels or width < 1 or height < 1:
            raise sandbox.SandboxRefusal("pixels")
        exif = image.getexif()
        taken, (lat, lon) = _taken(exif), _position(exif)
        if image.format in {"JPEG", "MPO"}:
            image.draft("RGB", (stored_side, stored_side))  # decode at a reduced scale where JPEG allows it
        image = ImageOps.exif_transpose(image) or image
        image = image.convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise sandbox.SandboxRefusal("unreadable") from exc
    stored = _jpeg(image, stored_side, 82)
    small = _jpeg(image, thumb_side, 75)
    shown = Image.open(io.BytesIO(stored)).size
    yield {"jpeg": base64.b64encode(stored).decode(), "thumb": base64.b64encode(small).decode(),
           "width": shown[0], "height": shown[1], "taken_at": taken, "lat": lat, "lon": lon}


def process(blob: bytes) -> Photo:
    """The photo in `blob`, re-encoded, with its EXIF time and position; PhotoRefused if it is not one."""
    if len(blob) > MAX_BYTES:
        raise PhotoRefused("too_large")
    if not blob:
        raise PhotoRefused("unreadable")
    try:
        with sandbox.run("photo.process", blob, MAX_PIXELS, STORED_SIDE, THUMB_SIDE, ceiling=CEILING) as channel:
            items = list(channel)
    except sandbox.SandboxError as exc:
        raise PhotoRefused(exc.detail if exc.reason == "refused" else "unreadable") from exc
    if not items:
        raise PhotoRefused("unreadable")
    item = items[0]
    taken = dt.datetime.fromisoformat(item["taken_at"]) if item.get("taken_at") else None
    return Photo(jpeg=base64.b64decode(item["jpeg"]), thumbnail=base64.b64decode(item["thumb"]),
                 width=int(item["width"]), height=int(item["height"]), taken_at=taken,
                 lat=item.get("lat"), lon=item.get("lon"))
