"""Months, reporting periods, dates and times as people write them: Chinese in the Chinese interface (2023年12月,
1—2月, 2023年12月5日 14:30), ISO-like in English (Dec 2023, 2023-12-05 14:30). Stored values stay ISO."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from touzi.lib.periods import as_month_start, date_text, datetime_text, month_text

DEC = dt.date(2023, 12, 1)
FEB = dt.date(2023, 2, 1)
# 06:30 UTC is 14:30 in Beijing: a moment is shown in local time, on the local calendar.
MOMENT = dt.datetime(2023, 12, 5, 6, 30, tzinfo=dt.UTC)
LATE_UTC = dt.datetime(2023, 12, 4, 20, 0, tzinfo=dt.UTC)  # already 12月5日 in Beijing


def _render(text: str, **context) -> str:
    return Template("{% load touzi %}" + text).render(Context(context))


@pytest.mark.parametrize(("language", "month", "combined", "feb", "day", "moment"), [
    ("zh-hans", "2023年12月", "2023年1—2月", "2023年2月", "2023年12月5日", "2023年12月5日 14:30"),
    ("en", "Dec 2023", "Jan–Feb 2023", "Feb 2023", "2023-12-05", "2023-12-05 14:30"),
])
def test_one_format_for_months_dates_and_times_in_each_language(language, month, combined, feb, day,
                                                                moment) -> None:
    with translation.override(language):
        assert month_text(DEC) == month
        assert month_text(FEB, combined=True) == combined
        assert month_text(FEB) == feb
        assert month_text(DEC, combined=True) == month  # only February stands for two months
        assert date_text(dt.date(2023, 12, 5)) == day
        assert datetime_text(MOMENT) == moment


def test_a_moment_is_dated_on_the_local_calendar() -> None:
    assert date_text(LATE_UTC) == "2023年12月5日"
    assert datetime_text(LATE_UTC) == "2023年12月5日 04:00"


def test_months_are_read_from_dates_and_stored_text() -> None:
    assert as_month_start("2023-02-01") == FEB == as_month_start("2023-02") == as_month_start(dt.date(2023, 2, 17))
    assert as_month_start("") is None and as_month_start("February") is None


@pytest.mark.django_db
def test_the_period_filter_says_1_2_month_where_the_plan_combines_january_and_february(mini_plan) -> None:
    assert mini_plan.combine_jan_feb
    assert _render("{{ m|as_period }} · {{ m|as_month }} · {{ d|as_period }}", m=FEB, d=DEC) == (
        "2023年1—2月 · 2023年2月 · 2023年12月")
    type(mini_plan).objects.filter(pk=mini_plan.pk).update(combine_jan_feb=False)
    assert _render("{{ m|as_period }}", m=FEB) == "2023年2月"


def test_the_filters_leave_links_and_form_values_iso_and_say_so_when_empty() -> None:
    assert _render("{{ m|ym }}", m=DEC) == "2023-12"  # for ?month= links and <input type=month>
    assert _render("{{ x|as_date }}|{{ x|as_datetime }}|{{ x|as_month }}", x=None) == "—|—|—"
    assert _render("{{ s|as_datetime }}", s="2023-12-05T06:30:00+00:00") == "2023年12月5日 14:30"
