"""Small generated site photos with EXIF (time, GPS), for the demo and the tests: no photo files in the repo."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image, ImageDraw


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return float(degrees), float(minutes), seconds


def sample_jpeg(*, lat: float | None = None, lon: float | None = None, taken: dt.datetime | None = None,
                size: tuple[int, int] = (640, 480), seed: int = 0) -> bytes:
    """A JPEG of a 'site' (sky, ground, a crane, a building in progress) with the EXIF given (none when None)."""
    width, height = size
    image = Image.new("RGB", size, (150 + seed * 7 % 60, 190, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height * 2 // 3, width, height], fill=(150, 120, 80))
    floors = 2 + seed % 5
    for i in range(floors):
        top = height * 2 // 3 - (i + 1) * height // 14
        draw.rectangle([width // 4, top, width // 2, top + height // 16], outline=(90, 90, 90), width=3)
    draw.line([width * 3 // 4, height * 2 // 3, width * 3 // 4, height // 6], fill=(230, 170, 0), width=6)
    draw.line([width * 3 // 5, height // 6, width * 9 // 10, height // 6], fill=(230, 170, 0), width=5)
    exif = Image.Exif()
    if taken is not None:
        text = taken.strftime("%Y:%m:%d %H:%M:%S")
        exif[306] = text
        exif.get_ifd(0x8769)[36867] = text
    if lat is not None and lon is not None:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = ("N" if lat >= 0 else "S"), _dms(lat)
        gps[3], gps[4] = ("E" if lon >= 0 else "W"), _dms(lon)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()
