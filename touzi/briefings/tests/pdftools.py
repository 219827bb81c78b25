"""Reading a rendered PDF back with poppler: its text with each fragment's face, size, colour and place,
its embedded fonts, and its pages as pictures. Shared by the PDF tests."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from PIL import Image
from PIL.Image import core as _imaging

ZOOM = 1.5  # pdftohtml's default: sizes and places are points × 1.5
HAN = re.compile(r"[\u4e00-\u9fff]")
HALF_WIDTH_NEXT_TO_CHINESE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef][,:;]|[,:;][\u4e00-\u9fff]")


def tools_or_skip() -> None:
    """Skip where LibreOffice or poppler is missing; on CI (CI set) a missing tool fails instead."""
    missing = [tool for tool in ("pdffonts", "pdftotext", "pdftohtml", "pdftoppm") if shutil.which(tool) is None]
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        missing.append("soffice")
    if missing and not os.environ.get("CI"):
        pytest.skip(f"not installed: {', '.join(missing)}")


@dataclass(frozen=True)
class Fragment:
    page: int
    text: str
    family: str  # without the subset prefix: FandolFang, NotoSerifCJKjp, …
    size: float  # points
    colour: str
    left: float  # points from the page's left edge
    top: float
    width: float
    height: float


@dataclass
class Pdf:
    path: Path
    pages: int
    page_width: float  # points
    page_height: float
    fragments: list[Fragment]

    def text(self, page: int | None = None) -> str:
        """The text of the document (or one page), as pdftotext reads it."""
        args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else []) + [str(self.path), "-"]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout

    def on(self, page: int) -> list[Fragment]:
        return [f for f in self.fragments if f.page == page]

    def lines(self, page: int) -> list[tuple[float, float, str]]:
        """(top, bottom, text) of each line of a page: its fragments (one per face) joined left to right."""
        rows: dict[int, list[Fragment]] = {}
        for fragment in self.on(page):
            rows.setdefault(round(fragment.top + fragment.height), []).append(fragment)
        return [(min(f.top for f in row), max(f.top + f.height for f in row),
                 "".join(f.text for f in sorted(row, key=lambda f: f.left)))
                for _, row in sorted(rows.items())]

    def fonts(self) -> list[tuple[str, str]]:
        """(name, embedded) of every font, from pdffonts."""
        output = subprocess.run(["pdffonts", str(self.path)], capture_output=True, text=True, check=True).stdout
        # name type [encoding words…] emb sub uni object-id generation: emb is the 5th from the end.
        return [(line.split()[0], line.split()[-5]) for line in output.splitlines()[2:] if line.strip()]

    def picture(self, page: int, dpi: int = 50) -> Image.Image:
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                            str(self.path), f"{folder}/page"], check=True)
            return Image.open(f"{folder}/page.png").convert("RGB").copy()


def read_pdf(data: bytes, folder: Path) -> Pdf:
    path = folder / "briefing.pdf"
    path.write_bytes(data)
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(path)], capture_output=True, check=True).stdout
    root = ET.fromstring(xml)
    fragments: list[Fragment] = []
    pages = root.findall("page")
    for page in pages:
        number = int(page.get("number"))
        specs = {spec.get("id"): spec for spec in page.iter("fontspec")}
        # fontspecs are declared once, on the page where a face is first used
        for spec in root.iter("fontspec"):
            specs.setdefault(spec.get("id"), spec)
        for text in page.iter("text"):
            spec = specs[text.get("font")]
            fragments.append(Fragment(
                page=number, text="".join(text.itertext()), family=spec.get("family").split("+", 1)[-1],
                size=float(spec.get("size")) / ZOOM, colour=spec.get("color"),
                left=float(text.get("left")) / ZOOM, top=float(text.get("top")) / ZOOM,
                width=float(text.get("width")) / ZOOM, height=float(text.get("height")) / ZOOM))
    first = pages[0]
    return Pdf(path, len(pages), float(first.get("width")) / ZOOM, float(first.get("height")) / ZOOM, fragments)


def _rgb(pixels: object, x: int, y: int) -> tuple[int, ...]:
    """The pixel's channels (the PDF pages are rendered in RGB)."""
    return cast(tuple[int, ...], cast("_imaging.PixelAccess", pixels)[x, y])


def red_rows(image: Image.Image, *, min_share: float) -> list[int]:
    """Rows of the picture where red covers at least `min_share` of the width (a red rule)."""
    width, height = image.size
    pixels = image.load()
    rows = []
    for y in range(height):
        red = sum(1 for x in range(width) if (p := _rgb(pixels, x, y))[0] > 180 and p[1] < 90 and p[2] < 90)
        if red >= width * min_share:
            rows.append(y)
    return rows


def dark_rows(image: Image.Image, *, min_share: float) -> list[int]:
    """Rows where dark pixels cover at least `min_share` of the width (a black rule)."""
    width, height = image.size
    pixels = image.load()
    return [y for y in range(height)
            if sum(1 for x in range(width) if sum(_rgb(pixels, x, y)) < 250) >= width * min_share]
