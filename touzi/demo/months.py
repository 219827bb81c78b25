"""Months as integers (year × 12 + month − 1), so the planner can add, subtract and compare them cheaply.

touzi.lib.periods works with dates (the first of the month); the planner draws thousands of months with
`randint` over ranges, which needs a month as one integer. lib.periods has the index of a date and the date of
an index (`month_at`, re-exported here); the planner's months come as (year, month), hence `month_index` below.
"""

from __future__ import annotations

from touzi.lib.periods import month_at, month_of, months_between

__all__ = ["month_at", "month_index", "months_between", "parse_month"]


def month_index(year: int, month: int) -> int:
    """A month as one integer, so that months add and compare."""
    return year * 12 + month - 1


def parse_month(value: str) -> int:
    """'2021-03' → its index (via lib.periods, which also checks the text)."""
    month = month_of(value)
    return month_index(month.year, month.month)


YEARS = (2021, 2022, 2023)
OPEN_MONTH = (2023, 12)  # the month still under review
WINDOW_START = month_index(2021, 1)  # January is reported with February (1—2月)
FIRST_REPORT = month_index(2021, 2)
LAST_REPORT = month_index(*OPEN_MONTH)
LAST_LOCKED = LAST_REPORT - 1
REPORT_MONTHS = [m for m in range(FIRST_REPORT, LAST_REPORT + 1) if m % 12 != 0]
