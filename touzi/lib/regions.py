"""Administrative regions by their GB/T 2260 codes: a province 450000, a city 450500, a county 450521.

A region holds every division whose code starts with its prefix: the province's two digits, the city's
four, the county's six. A plan covers the projects whose county lies in its region, and a plan office
whose unit belongs to a city sees that city's projects in every plan.
"""

from __future__ import annotations

import re

from django.db.models import Q

PROVINCE, CITY, COUNTY = "province", "city", "county"
_CODE = re.compile(r"^\d{6}$")


def prefix(code: str) -> str:
    """The digits every division inside the region starts with: 450000 → 45, 450500 → 4505, 450521 → 450521."""
    if not _CODE.match(code or ""):
        raise ValueError(f"行政区划代码应为6位数字:{code!r}")
    if code[2:] == "0000":
        return code[:2]
    if code[4:] == "00":
        return code[:4]
    return code


def level(code: str) -> str:
    """province, city or county, from the code's shape."""
    digits = prefix(code)
    return {2: PROVINCE, 4: CITY}.get(len(digits), COUNTY)


def contains(outer: str, inner: str) -> bool:
    """Whether the region `outer` holds the division `inner` (both codes)."""
    return prefix(inner).startswith(prefix(outer)) if inner else False


def narrower(first: str, second: str) -> str:
    """Of two nested regions, the smaller one (a unit named by a province's and a city's plan is the city's)."""
    if not first:
        return second
    if not second:
        return first
    return first if len(prefix(first)) >= len(prefix(second)) else second


def city_of(code: str) -> str:
    """The city (prefecture) a county code lies in: 450521 → 450500."""
    return code[:4] + "00"


def projects_in(code: str, lookup: str = "") -> Q:
    """Projects whose county lies in the region (a filter on Project; `lookup` reaches it from a child)."""
    return Q(**{f"{lookup}county__division_code__startswith": prefix(code)})
