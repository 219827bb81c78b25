"""Months as the statistics count them: the first day of the month stands for it; 1—2月 may be one period."""

from __future__ import annotations

import datetime as dt
import re

_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")


def month_of(value: str | dt.date) -> dt.date:
    """'2023-03' or any date in March 2023 → 2023-03-01; ValueError for anything else."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    match = _PERIOD_RE.match(value or "")
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"报告期应为 YYYY-MM:{value!r}")
    return dt.date(int(match[1]), int(match[2]), 1)


def month_index(month: dt.date) -> int:
    """A month as one integer (year × 12 + month − 1), so that month arithmetic is integer arithmetic."""
    return month.year * 12 + month.month - 1


def month_at(index: int) -> dt.date:
    """The first day of the month `month_index` gave `index` for."""
    return dt.date(index // 12, index % 12 + 1, 1)


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months after `month` (before it when negative)."""
    return month_at(month_index(month) + count)


def month_end(month: dt.date) -> dt.date:
    """The last day of the month `month` falls in."""
    return add_months(month, 1) - dt.timedelta(days=1)


def judged_on(month: dt.date, today: dt.date) -> dt.date:
    """The day a month is judged at: its last day, or today while it runs."""
    return min(today, month_end(month))


def months_between(earlier: dt.date, later: dt.date) -> int:
    """How many months `later` is after `earlier` (0 in the same month, negative when it is before)."""
    return month_index(later) - month_index(earlier)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from `first` to `last`, both included, as first days; empty when `last` is before `first`."""
    return [month_at(index) for index in range(month_index(first), month_index(last) + 1)]


def period_label(month: dt.date, *, combine_jan_feb: bool) -> str:
    """'2023年1—2月' for a combined February, else '2023年3月'."""
    if combine_jan_feb and month.month == 2:
        return f"{month.year}年1—2月"
    return f"{month.year}年{month.month}月"


# --- as people read them (presentation only: stored data, exports and the API keep YYYY-MM and ISO) ----------

def as_month_start(value: str | dt.date | None) -> dt.date | None:
    """A month from a date, 'YYYY-MM' or 'YYYY-MM-DD' (a job's stored parameters); None for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.replace(day=1)
    try:
        return month_of(str(value)[:7])
    except ValueError:
        return None


def month_text(month: dt.date, *, combined: bool = False) -> str:
    """A month in the user's language: 2023年12月 / Dec 2023. `combined`: February stands for January and
    February reported together (the plan's 1—2月): 2023年1—2月 / Jan–Feb 2023."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    if combined and month.month == 2:
        return gettext("%(year)s年1—2月") % {"year": month.year}
    return date_format(month, "YEAR_MONTH_FORMAT")


def date_text(value: dt.date | dt.datetime) -> str:
    """A day in the user's language (2023年12月5日 / 2023-12-05); a moment is taken on the local calendar."""
    from django.utils import timezone
    from django.utils.formats import date_format

    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "DATE_FORMAT")


def datetime_text(value: dt.datetime) -> str:
    """A moment in local time, in the user's language (2023年12月5日 14:30 / 2023-12-05 14:30)."""
    from django.utils import timezone
    from django.utils.formats import date_format

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "DATETIME_FORMAT")
