"""GB/T 4754-2017 sections (门类), from data/gbt4754_sections.csv."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data" / "gbt4754_sections.csv"


@cache
def _rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def section_names() -> dict[str, str]:
    english = (get_language() or "").startswith("en")
    return {r["code"]: r["name_en"] if english else r["name"] for r in _rows()}


def sector_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {name}") for code, name in section_names().items()]
