"""The seasonal shape of a year's investment: how the demo spreads a project's spending over the months.

Derived from the national fixed-asset investment series (data/china_fai_monthly_2011_2018.csv, see
data/README.md); the generator reads only the derived data/seasonal_shape.csv, and a test checks that the two
still agree.
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Iterable
from functools import cache

from touzi.demo.catalog import DATA_DIR


def derive_seasonal_shape(rows: Iterable[dict[str, str]]) -> dict[int, float]:
    """Month (2 = 1—2月 … 12) → average share of the year's investment, from a year-to-date series."""
    by_year: dict[int, dict[int, float]] = {}
    for row in rows:
        by_year.setdefault(int(row["year"]), {})[int(row["month"])] = float(row["ytd_value_100m_yuan"])
    shares: dict[int, list[float]] = {m: [] for m in range(2, 13)}
    for year in sorted(by_year):
        values = by_year[year]
        previous = 0.0
        for month in range(2, 13):
            shares[month].append((values[month] - previous) / values[12])
            previous = values[month]
    return {month: statistics.fmean(items) for month, items in shares.items()}


@cache
def seasonal_shape() -> dict[int, float]:
    """The shipped shape (data/seasonal_shape.csv), normalised to sum to one."""
    with (DATA_DIR / "seasonal_shape.csv").open(encoding="utf-8") as handle:
        raw = {int(row["month"]): float(row["share"]) for row in csv.DictReader(handle)}
    total = sum(raw.values())
    return {month: share / total for month, share in raw.items()}


def calendar_weights() -> list[float]:
    """Weight of each calendar month (0 = January): 12 × its share, January and February halving 1—2月."""
    shape = seasonal_shape()
    return [6 * shape[2], 6 * shape[2], *(12 * shape[m] for m in range(3, 13))]
