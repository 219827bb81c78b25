"""Each figure from hand-made records, and the scores they make on the mini plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from touzi.assessment.engine import assess
from touzi.assessment.period import Period
from touzi.assessment.quality import quality_by_month, quality_pooled
from touzi.assessment.sources import (
    approvals_on_time,
    attainment,
    deduction_counts,
    new_starts,
    records,
    reporting_on_time,
    supervision_on_time,
)
from touzi.assessment.tests.helpers import annual_plan, approval, correction, make_scheme, report, task
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def counties(mini_plan) -> list[Unit]:
    return [Unit.objects.get(key="county-a"), Unit.objects.get(key="county-b")]


def test_attainment_is_year_to_date_over_the_time_proportional_plan(mini_plan, projects, counties) -> None:
    a, b = counties
    annual_plan(projects["plant"], 2022, "12000")
    annual_plan(projects["rail"], 2022, "24000")
    report(projects["plant"], "2022-02", "3000")
    report(projects["plant"], "2022-06", "2000")
    report(projects["rail"], "2022-03", "9000")
    found = attainment(mini_plan, counties, Period(2022, 6))
    assert found[a.pk] == D("83.33")  # 5000 / (12000 × 6/12)
    assert found[b.pk] == D("75.00")  # 9000 / 12000
    correction(projects["rail"], "2022-03", "3000")  # a correction after lock counts in the figure
    assert attainment(mini_plan, counties, Period(2022, 6))[b.pk] == D("100.00")
    assert attainment(mini_plan, counties, Period(2023, 6))[a.pk] is None  # no annual plan: nothing to judge


def test_new_starts_count_the_annual_plans_starts_due_by_the_month(mini_plan, projects, counties) -> None:
    a, _ = counties
    annual_plan(projects["plant"], 2021, "1000", dt.date(2021, 2, 1))  # started 2021-03: late but started
    annual_plan(projects["park"], 2021, "1000", dt.date(2021, 9, 1))
    assert new_starts(mini_plan, counties, Period(2021, 2))[a.pk] == D(0)
    assert new_starts(mini_plan, counties, Period(2021, 6))[a.pk] == D(100)
    assert new_starts(mini_plan, counties, Period(2021, 12))[a.pk] == D(100)  # the park project also started


def test_on_time_shares_of_approvals_tasks_and_reports(mini_plan, projects, counties) -> None:
    a, b = counties
    approval(projects["plant"], dt.date(2022, 3, 1), dt.date(2022, 2, 20))
    approval(projects["plant"], dt.date(2022, 3, 1), dt.date(2022, 3, 5))
    approval(projects["rail"], dt.date(2022, 3, 1), None)
    found = approvals_on_time(mini_plan, counties, Period(2022, 12))
    assert found[a.pk] == D(50) and found[b.pk] is None
    task(mini_plan, "county-a", dt.date(2022, 4, 30), dt.date(2022, 4, 29))
    task(mini_plan, "county-a", dt.date(2022, 4, 30), None)
    task(mini_plan, "county-b", dt.date(2022, 4, 30), dt.date(2022, 5, 3))
    found = supervision_on_time(mini_plan, counties, Period(2022, 6))
    assert found[a.pk] == D(50) and found[b.pk] == D(0)
    assert deduction_counts(mini_plan, counties, Period(2022, 6))[a.pk]["supervision_overdue"] == 1
    report(projects["plant"], "2022-01", "10", late=True)
    report(projects["park"], "2022-01", "10")
    report(projects["plant"], "2022-02", "10")
    report(projects["plant"], "2022-03", "10")
    assert reporting_on_time(mini_plan, counties, Period(2022, 3))[a.pk] == D(75)
    behind = records("reporting_on_time", mini_plan, a, Period(2022, 3))
    assert len(behind) == 4 and sum(not r.counts for r in behind) == 1


def test_data_quality_per_unit_and_month_with_its_score(mini_plan, projects, counties) -> None:
    a, _ = counties
    report(projects["plant"], "2022-01", "10", late=True, returned="缺少佐证")
    report(projects["park"], "2022-01", "10", spike=True)
    report(projects["plant"], "2022-02", "10")
    correction(projects["plant"], "2022-01", "5")
    months = quality_by_month(mini_plan, [a], Period(2022, 3))
    january = months[(a.pk, 1)]
    assert (january.submitted, january.on_time, january.returned, january.spikes, january.evidence_missing,
            january.corrections) == (2, 1, 1, 1, 2, 1)
    assert january.reasons == ["缺少佐证"]
    # 100 × (0.4 × 1/2 + 0.2 × 1/2 + 0.2 × 1/2 + 0.2 × 0) − 2 × 1
    assert january.score == D("38.00")
    assert months[(a.pk, 2)].score == D("80.00")  # no evidence file
    assert quality_pooled(mini_plan, [a], Period(2022, 3))[a.pk].submitted == 3


def test_the_scheme_scores_and_ranks_the_counties_from_their_records(mini_plan, projects, counties) -> None:
    scheme = make_scheme(mini_plan)
    annual_plan(projects["plant"], 2022, "12000")
    annual_plan(projects["rail"], 2022, "12000")
    report(projects["plant"], "2022-06", "7200")  # 120% of 序时进度: 2 steps of 10 above 100 → bonus 2
    report(projects["rail"], "2022-06", "4800", late=True)
    task(mini_plan, "county-b", dt.date(2022, 5, 31), None)  # overdue: −1, and the pass fails
    correction(projects["rail"], "2022-06", "-100")  # −0.5; 4700 / 6000 = 78.33% of 序时进度
    result = assess(scheme, Period(2022, 6))
    by_key = {result.units[s.unit].key: s for s in result.scores}
    top, other = by_key["county-a"], by_key["county-b"]
    assert [(p.indicator, p.raw, p.score) for p in top.parts] == [
        ("attainment", D("120.00"), 100), ("supervision", None, 100), ("reporting", D(100), 100)]
    assert (top.bonus, top.deduction, top.score, top.rank) == (2, 0, 102, 1)
    assert [(p.indicator, p.score) for p in other.parts] == [
        ("attainment", D("45.83")), ("supervision", 0), ("reporting", 90)]
    assert other.deduction == D("1.5") and other.rank == 2
    # 50 × 45.83 / 100 + 20 × 0 + 30 × 90 / 100 − 1.5 = 22.915 + 27 − 1.5, rounded once
    assert other.score == D("48.42")


def test_a_project_counts_once_for_a_unit_named_twice_and_once_for_each_unit_it_names(mini_plan, projects,
                                                                                        counties) -> None:
    """Grouped by county, park and lead unit, a row adds to each unit it names once: as the OR of the columns."""
    from touzi.projects.models import Project

    a, b = counties
    # The plant's county leads it too; the rail project (county b) is led by county a.
    Project.objects.filter(pk=projects["plant"].pk).update(lead_unit=a)
    Project.objects.filter(pk=projects["rail"].pk).update(lead_unit=a)
    annual_plan(projects["plant"], 2022, "12000")
    annual_plan(projects["rail"], 2022, "24000")
    report(projects["plant"], "2022-06", "6000")
    report(projects["rail"], "2022-06", "6000")
    found = attainment(mini_plan, counties, Period(2022, 6))
    assert found[a.pk] == D("66.67")  # (6000 + 6000) / ((12000 + 24000) × 6/12); twice the plant would be 75.00
    assert found[b.pk] == D("50.00")  # 6000 / (24000 × 6/12)
