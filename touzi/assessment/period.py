"""The period an assessment covers: January to a month of one year (the year's is January to December)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from touzi.lib.periods import month_end


@dataclass(frozen=True)
class Period:
    year: int
    month: int = 12  # the last month counted

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def last_month(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def as_of(self) -> dt.date:
        return month_end(self.last_month)

    @property
    def elapsed(self) -> int:
        return self.month
