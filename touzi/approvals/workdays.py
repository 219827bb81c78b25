"""Working days (工作日) by the State Council's public-holiday calendar, with its 调休 workdays.

The calendar is data: one file per year in `data/holidays-YYYY.yaml` (days off, and the weekend days worked
instead). A year without a file counts Monday to Friday, which is what the office would assume until the
State Council publishes the year's arrangement (each November).
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"


@cache
def _calendar() -> tuple[tuple[int, ...], tuple[int, ...], frozenset[int]]:
    """(weekday ordinals off, weekend ordinals worked, years covered), sorted for bisection."""
    off: set[int] = set()
    worked: set[int] = set()
    years: set[int] = set()
    for path in sorted(DATA.glob("holidays-*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        years.add(int(data["year"]))
        for span in data.get("holidays", []):
            day = span["from"]
            while day <= span["to"]:
                if day.weekday() < 5:
                    off.add(day.toordinal())
                day += dt.timedelta(days=1)
        for day in data.get("workdays", []):
            if day.weekday() >= 5:
                worked.add(day.toordinal())
    return tuple(sorted(off)), tuple(sorted(worked)), frozenset(years)


def covered_years() -> frozenset[int]:
    return _calendar()[2]


def is_workday(day: dt.date) -> bool:
    off, worked, _ = _calendar()
    n = day.toordinal()
    if day.weekday() >= 5:
        i = bisect.bisect_left(worked, n)
        return i < len(worked) and worked[i] == n
    i = bisect.bisect_left(off, n)
    return not (i < len(off) and off[i] == n)


def _weekdays_upto(n: int) -> int:
    """Monday–Friday days with ordinal 1..n (date.fromordinal(1) is a Monday)."""
    weeks, rest = divmod(n, 7)
    return weeks * 5 + min(rest, 5)


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    if end <= start:
        return 0
    off, worked, _ = _calendar()
    a, b = start.toordinal(), end.toordinal()
    plain = _weekdays_upto(b) - _weekdays_upto(a)
    holidays = bisect.bisect_right(off, b) - bisect.bisect_right(off, a)
    extra = bisect.bisect_right(worked, b) - bisect.bisect_right(worked, a)
    return plain - holidays + extra


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The day on which the `days`-th working day after `start` falls (a time limit counted from acceptance)."""
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day
