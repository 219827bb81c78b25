"""Working days follow the State Council's calendar: holidays are off, 调休 weekend days are worked."""

import datetime as dt

from touzi.approvals.workdays import add_workdays, covered_years, is_workday, workdays_between

D = dt.date


def test_the_calendar_covers_2021_to_2026() -> None:
    assert {2021, 2022, 2023, 2024, 2025, 2026} <= covered_years()


def test_a_spring_festival_weekday_is_off_and_its_weekend_makeup_day_is_worked() -> None:
    assert not is_workday(D(2021, 2, 11))  # 除夕, a Thursday
    assert is_workday(D(2021, 2, 7))  # Sunday worked (调休)
    assert is_workday(D(2021, 2, 20))  # Saturday worked
    assert not is_workday(D(2021, 2, 21))  # an ordinary Sunday


def test_an_ordinary_week_counts_monday_to_friday() -> None:
    assert workdays_between(D(2023, 3, 5), D(2023, 3, 12)) == 5  # Sunday to Sunday


def test_the_2023_golden_week_counts_only_the_weekend_days_worked() -> None:
    # Thu 28 Sep; 29 Sep – 6 Oct off; Sat 7 and Sun 8 Oct worked; Mon 9 Oct.
    assert workdays_between(D(2023, 9, 28), D(2023, 10, 6)) == 0
    assert workdays_between(D(2023, 9, 28), D(2023, 10, 9)) == 3
    assert add_workdays(D(2023, 9, 28), 1) == D(2023, 10, 7)
    assert add_workdays(D(2023, 9, 28), 3) == D(2023, 10, 9)


def test_a_twenty_day_limit_across_the_2024_spring_festival() -> None:
    # Accepted Thu 1 Feb 2024: Sun 4 Feb worked, 10–17 Feb off, Sun 18 Feb worked.
    due = add_workdays(D(2024, 2, 1), 20)
    assert due == D(2024, 3, 5)  # 7 days to 9 Feb, 11 from 18 Feb to 1 Mar, then 4 and 5 Mar
    assert workdays_between(D(2024, 2, 1), due) == 20


def test_workdays_between_and_add_workdays_agree_over_six_years() -> None:
    start = D(2020, 12, 31)
    day = start
    for n in (1, 7, 20, 60, 250, 1000):
        day = add_workdays(start, n)
        assert workdays_between(start, day) == n
        assert is_workday(day)


def test_no_working_days_between_a_day_and_itself_or_earlier() -> None:
    assert workdays_between(D(2023, 5, 4), D(2023, 5, 4)) == 0
    assert workdays_between(D(2023, 5, 4), D(2023, 5, 1)) == 0


def test_a_year_without_a_calendar_counts_monday_to_friday() -> None:
    assert workdays_between(D(2030, 1, 6), D(2030, 1, 13)) == 5
