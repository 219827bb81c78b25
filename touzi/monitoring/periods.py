"""Which months a target's figure covers at a given month, and how much of its period has elapsed (序时进度)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from touzi.lib.periods import add_months, months_between
from touzi.plans.choices import PeriodKind
from touzi.reports.rules import combines_jan_feb


@dataclass(frozen=True)
class Window:
    """The months counted for a target at month M, the share of its period elapsed, and last year's twin."""

    start: dt.date
    end: dt.date
    elapsed: Decimal  # 0..1
    started: bool  # False before the period begins
    year: int  # the year a yearly list or an "each year" target is judged in

    def previous(self) -> Window:
        """The same months one year earlier (for growth on the same period)."""
        return Window(self.start.replace(year=self.start.year - 1), self.end.replace(year=self.end.year - 1),
                      self.elapsed, self.started, self.year - 1)


def window(kind: str, first_year: int, last_year: int, month: dt.date) -> Window:
    """The counted months of a target with this period at `month` (the first day of a reporting month)."""
    if kind in (PeriodKind.YEAR, PeriodKind.EACH):
        year = month.year if kind == PeriodKind.EACH else first_year
        year = min(max(year, first_year), last_year)
        start, period_end = dt.date(year, 1, 1), dt.date(year, 12, 1)
    else:  # RANGE and END: from the first year's January to the last year's December
        year = min(max(month.year, first_year), last_year)
        start, period_end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 1)
    if month < start:
        return Window(start, start, Decimal(0), False, year)
    end = min(month, period_end)
    # Both ends count: a period from January to December is 12 months long.
    total = months_between(start, period_end) + 1
    elapsed = Decimal(months_between(start, end) + 1) / Decimal(total)
    return Window(start, end, elapsed, True, year)


def reporting_month(month: dt.date) -> dt.date:
    """The month figures are shown for: where the plan reports January and February together (1—2月),
    January has no figures of its own and reads as 1—2月 (February)."""
    if month.month == 1 and combines_jan_feb(month.year):
        return month.replace(month=2)
    return month


def step(month: dt.date, count: int) -> dt.date:
    """The reporting month `count` months away (±1), stepping over a January reported with February."""
    moved = add_months(month, count)
    if moved.month == 1 and reporting_month(moved) != moved:
        moved = add_months(moved, count)
    return reporting_month(moved)
