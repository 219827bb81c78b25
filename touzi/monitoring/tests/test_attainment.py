"""Attainment on small hand-made ledgers whose right answers are worked out here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from touzi.core.actor import System
from touzi.indicators.models import IndicatorValue
from touzi.monitoring.attainment import target_figures
from touzi.monitoring.choices import Status
from touzi.monitoring.models import MonitoringSettings
from touzi.monitoring.periods import window
from touzi.plans.models import Collection, Target
from touzi.projects.models import Membership
from touzi.reports.bulk import load_ledger
from touzi.reports.models import Adjustment
from touzi.testing import accepted_report, new_project

pytestmark = pytest.mark.django_db
D = Decimal


def accepted(project, month: str, amount: str) -> None:
    accepted_report(project, month, amount)


def figure(plan, key: str, month: str):
    y, m = map(int, month.split("-"))
    return next(f for f in target_figures(plan, dt.date(y, m, 1), plan.targets.all()) if f.target.key == key)


@pytest.fixture
def big(owners, mini_plan):
    """A 500亿 industry project on the 2021 major-project list, and a railway project."""
    plant = new_project("大型工业项目", county="county-a", owner="owner-a", total="8000000",
                        code="2021-450521-26-03-000801")
    Membership.objects.create(project=plant, collection=Collection.objects.get(key="major-list"), year=2021)
    rail = new_project("铁路项目", county="county-b", owner="owner-b", domain="railway", lead="drc",
                       total="3000000", code="2021-450503-54-01-000802")
    return {"plant": plant, "rail": rail}


def test_the_period_windows_and_their_elapsed_share() -> None:
    june = dt.date(2021, 6, 1)
    assert window("year", 2021, 2021, june).elapsed == D("0.5")
    assert window("range", 2021, 2023, june).elapsed == D(6) / D(36)
    assert window("each", 2021, 2023, dt.date(2022, 3, 1)).start == dt.date(2022, 1, 1)
    assert window("year", 2022, 2022, june).started is False
    assert window("year", 2021, 2021, dt.date(2022, 5, 1)).elapsed == 1


def test_an_annual_target_on_track_against_elapsed_time(big, mini_plan) -> None:
    accepted(big["plant"], "2021-02", "500000")
    accepted(big["plant"], "2021-06", "1500000")  # 200 亿元 by June: 40% of 500, 序时 50%: ratio 0.8
    f = figure(mini_plan, "major-2021", "2021-06")
    assert (f.value, f.attainment, f.elapsed, f.gap) == (D(200), D("40.00"), D("50.00"), D("-10.00"))
    assert f.status == Status.ON_TRACK


def test_the_plan_office_sets_stricter_thresholds(big, mini_plan) -> None:
    accepted(big["plant"], "2021-06", "2000000")
    MonitoringSettings.objects.create(plan=mini_plan, yellow_ratio=D("0.90"), red_ratio=D("0.70"))
    assert figure(mini_plan, "major-2021", "2021-06").status == Status.BEHIND


def test_adjustments_count_and_a_low_ratio_is_at_risk(big, mini_plan) -> None:
    accepted(big["plant"], "2021-06", "2000000")
    load_ledger((), [Adjustment(project=big["plant"], month=dt.date(2021, 6, 1), delta=D("-900000"), reason="核减")], actor=System("test"))
    f = figure(mini_plan, "major-2021", "2021-06")  # 110 亿元: 22% against 50%: ratio 0.44
    assert f.value == D(110) and f.status == Status.AT_RISK


def test_a_finished_year_short_of_its_target_is_missed_and_a_met_one_is_met(big, mini_plan) -> None:
    accepted(big["plant"], "2021-06", "2000000")
    assert figure(mini_plan, "major-2021", "2021-12").status == Status.MISSED
    accepted(big["plant"], "2021-11", "3000000")
    f = figure(mini_plan, "major-2021", "2021-12")
    assert f.value == D(500) and f.status == Status.MET


def test_only_projects_on_that_years_list_count(big, mini_plan) -> None:
    accepted(big["rail"], "2021-06", "1000000")  # not on the 2021 major-project list
    assert figure(mini_plan, "major-2021", "2021-06").value == 0


def test_a_cumulative_target_counts_its_whole_window_and_grows_on_this_years_months(big, mini_plan) -> None:
    accepted(big["plant"], "2021-03", "1000000")
    accepted(big["plant"], "2022-03", "500000")
    f = figure(mini_plan, "industry-total", "2022-06")  # 2021-01..2022-06: 150 亿元; 2022 H1 50 against 2021 H1 100
    assert (f.value, f.same, f.previous, f.growth) == (D(150), D(50), D(100), D("-50.00"))
    assert f.elapsed == D("50.00") and f.attainment == D("15.00")


def test_a_years_list_counts_only_that_year_even_when_viewed_later(big, mini_plan) -> None:
    major = Collection.objects.get(key="major-list")
    Membership.objects.create(project=big["rail"], collection=major, year=2022)  # on 2022's list, not 2021's
    accepted(big["rail"], "2021-06", "1000000")
    accepted(big["plant"], "2021-06", "100000")
    assert figure(mini_plan, "major-2021", "2022-06").value == D(10)


def test_sub_domains_roll_into_their_domains_target(big, mini_plan) -> None:
    accepted(big["rail"], "2021-06", "230000")
    assert figure(mini_plan, "railway-total", "2021-12").value == D(23)


def test_a_reported_growth_rate_is_compared_with_its_target(mini_plan) -> None:
    indicator = mini_plan.indicators.get(key="fai-growth")
    IndicatorValue.objects.create(indicator=indicator, month=dt.date(2021, 6, 1), value=D("12"), source="统计局")
    f = figure(mini_plan, "fai-growth", "2021-06")
    assert f.value == D(12) and f.status == Status.BEHIND and f.elapsed is None  # 12/15.5 = 0.77
    IndicatorValue.objects.create(indicator=indicator, month=dt.date(2021, 12, 1), value=D("16"), source="统计局")
    assert figure(mini_plan, "fai-growth", "2021-12").status == Status.ON_TRACK


def test_an_each_year_amount_takes_the_years_latest_year_to_date_value(mini_plan) -> None:
    indicator = mini_plan.indicators.get(key="fai-growth")
    for month, value in (("2021-12", "2500"), ("2022-03", "300"), ("2022-06", "800")):
        y, m = map(int, month.split("-"))
        IndicatorValue.objects.create(indicator=indicator, month=dt.date(y, m, 1), value=D(value), source="财政局")
    f = figure(mini_plan, "county-a-funds", "2022-06")
    assert (f.value, f.attainment, f.elapsed, f.status) == (D(800), D("40.00"), D("50.00"), Status.ON_TRACK)


def test_no_data_before_anything_is_reported(mini_plan) -> None:
    assert figure(mini_plan, "fai-growth", "2021-06").status == Status.NO_DATA


def test_a_rule_is_not_measured(mini_plan) -> None:
    rule = Target.objects.get(plan=mini_plan, key="major-2021")
    rule.measure_source = "rule"
    rule.save()
    assert figure(mini_plan, "major-2021", "2021-06").status == Status.NOT_MEASURED


def test_the_number_of_queries_does_not_grow_with_the_projects(big, mini_plan) -> None:
    accepted(big["plant"], "2021-06", "100")
    with CaptureQueriesContext(connection) as few:
        target_figures(mini_plan, dt.date(2021, 6, 1), mini_plan.targets.all())
    for i in range(20):
        p = new_project(f"项目{i}", county="county-b", owner="owner-b", code=f"2021-450503-26-03-{900 + i:06d}")
        accepted(p, "2021-06", "10")
    with CaptureQueriesContext(connection) as many:
        target_figures(mini_plan, dt.date(2021, 6, 1), mini_plan.targets.all())
    assert len(many) == len(few)


def test_growth_in_the_first_year_compares_with_the_base_year_indicator(big, mini_plan) -> None:
    from touzi.plans.models import Indicator
    from touzi.units.models import Unit

    base = Indicator.objects.create(plan=mini_plan, key="industry-base", name="工业投资(基年)", unit_of_measure="亿元",
                                    reported_by=Unit.objects.get(key="stats"), frequency="annual")
    IndicatorValue.objects.create(indicator=base, month=dt.date(2020, 12, 1), value=D("100"), source="统计局")
    growth = Target.objects.create(
        plan=mini_plan, key="industry-growth", area="domain", name="工业投资增长", scope_kind="domain",
        metric="growth", period_kind="each", period_start=2021, period_end=2023, comparator=">=", value=D("20"),
        unit_of_measure="%", measure_source="ledger", measure_domain=big["plant"].domain, base_indicator=base,
        quote="增长20%")
    accepted(big["plant"], "2021-06", "1250000")  # 125 亿元 in 2021 against 100 亿元 in 2020
    assert figure(mini_plan, "industry-growth", "2021-12").value == D("25.00")
    assert figure(mini_plan, "industry-growth", "2021-06").value is None  # no same-period base yet
    assert growth.pk
