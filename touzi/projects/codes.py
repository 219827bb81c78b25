"""Validation of the national investment project code and of GB/T 4754 industry divisions."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# YYYY-RRRRRR-DD-TT-NNNNNC (see ../shared/standards/project_code.md): 4 time, 6 region, 2 department,
# 2 type, 5 random + 1 check, joined by hyphens. The check-digit algorithm is not public here, so it is
# not verified; the region must be a six-digit division code and the year plausible.
PROJECT_CODE_RE = re.compile(r"^(?P<year>\d{4})-(?P<region>\d{6})-(?P<dept>\d{2})-(?P<type>\d{2})-(?P<serial>\d{6})$")


def validate_project_code(value: str) -> None:
    match = PROJECT_CODE_RE.match(value or "")
    if not match:
        raise ValidationError(_("项目代码应为24位,格式 YYYY-RRRRRR-DD-TT-NNNNNC,例如 2021-450500-44-01-000123"),
                              code="format")
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise ValidationError(_("项目代码的年份 %(year)s 不合理"), params={"year": year}, code="year")
    if match["region"].endswith("0000"):
        raise ValidationError(_("项目代码的地区代码应为地市或县区代码"), code="region")


@cache
def industry_divisions() -> dict[str, str]:
    """GB/T 4754-2017 division code (two digits) → name."""
    path = Path(__file__).parent / "data" / "gbt4754_2017_divisions.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle) if row["level"] == "division"}


def validate_industry(value: str) -> None:
    if value and value not in industry_divisions():
        raise ValidationError(_("行业代码 %(code)s 不是 GB/T 4754-2017 的大类代码"), params={"code": value},
                              code="industry")
