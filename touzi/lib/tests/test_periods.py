"""touzi.lib.periods: the one place month arithmetic is written."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from touzi.lib.periods import (
    add_months,
    judged_on,
    month_at,
    month_end,
    month_index,
    month_of,
    month_range,
    months_between,
)

months = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2199, 12, 31)).map(lambda d: d.replace(day=1))


def test_add_months_crosses_year_ends_both_ways() -> None:
    assert add_months(dt.date(2023, 12, 1), 1) == dt.date(2024, 1, 1)
    assert add_months(dt.date(2023, 1, 1), -1) == dt.date(2022, 12, 1)
    assert add_months(dt.date(2023, 3, 1), -15) == dt.date(2021, 12, 1)


def test_a_month_ends_on_its_last_day_and_is_judged_then_or_today_while_it_runs() -> None:
    assert month_end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29) == month_end(dt.date(2024, 2, 17))
    assert month_end(dt.date(2023, 12, 1)) == dt.date(2023, 12, 31)
    assert judged_on(dt.date(2023, 11, 1), today=dt.date(2026, 12, 5)) == dt.date(2023, 11, 30)
    assert judged_on(dt.date(2026, 12, 1), today=dt.date(2026, 12, 5)) == dt.date(2026, 12, 5)


def test_months_between_counts_from_the_earlier_month() -> None:
    assert months_between(dt.date(2023, 3, 1), dt.date(2023, 3, 1)) == 0
    assert months_between(dt.date(2022, 11, 1), dt.date(2023, 2, 1)) == 3
    assert months_between(dt.date(2023, 2, 1), dt.date(2022, 11, 1)) == -3


def test_month_range_includes_both_ends_and_is_empty_when_reversed() -> None:
    assert month_range(dt.date(2022, 11, 1), dt.date(2023, 2, 1)) == [
        dt.date(2022, 11, 1), dt.date(2022, 12, 1), dt.date(2023, 1, 1), dt.date(2023, 2, 1)]
    assert month_range(dt.date(2023, 2, 1), dt.date(2023, 1, 1)) == []


@given(months, st.integers(min_value=-600, max_value=600))
def test_adding_months_then_measuring_gives_the_count_back(month: dt.date, count: int) -> None:
    moved = add_months(month, count)
    assert moved.day == 1
    assert months_between(month, moved) == count
    assert month_at(month_index(moved)) == moved


def test_month_of_reads_a_period_or_a_date() -> None:
    assert month_of("2023-03") == dt.date(2023, 3, 1)
    assert month_of(dt.date(2023, 3, 15)) == dt.date(2023, 3, 1)
