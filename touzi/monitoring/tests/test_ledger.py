"""Ledger sums for many slices at once: per-project sums by month range, then per slice; corrections count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db.models import Q

from touzi.core.actor import System
from touzi.monitoring.ledger import Slice, ledger_sums
from touzi.reports.bulk import load_ledger
from touzi.reports.counted import refresh
from touzi.reports.models import Adjustment, MonthlyReport
from touzi.testing import new_project
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db


def test_slices_sum_accepted_reports_and_adjustments_after_a_correction(owners, mini_plan) -> None:
    a = new_project("甲", county="county-a", owner="owner-a", code="2023-450521-26-03-000301")
    b = new_project("乙", county="county-b", owner="owner-a", code="2023-450521-26-03-000302")
    for p, month, amount, status in ((a, "2023-02", "100", "accepted"), (a, "2023-05", "200", "accepted"),
                                     (b, "2023-03", "50", "accepted"), (b, "2023-04", "70", "submitted"),
                                     (a, "2022-05", "30", "accepted")):
        load_ledger([MonthlyReport(project=p, month=dt.date.fromisoformat(f"{month}-01"), amount=D(amount),
                                     status=status)], actor=System("test"))
    county_a = Unit.objects.get(key="county-a")
    year = (dt.date(2023, 1, 1), dt.date(2023, 6, 1))
    slices = {"all": Slice(Q(), *year), "a": Slice(Q(county_id=county_a.pk), *year),
              "spring": Slice(Q(), dt.date(2023, 3, 1), dt.date(2023, 4, 1)),
              "last": Slice(Q(county_id=county_a.pk), dt.date(2022, 1, 1), dt.date(2022, 6, 1)),
              "none": Slice(Q(pk=-1), *year)}
    assert ledger_sums(slices) == {"all": D(350), "a": D(300), "spring": D(50), "last": D(30), "none": D(0)}
    # A corrected report and adjustments inside and outside the ranges.
    MonthlyReport.objects.filter(project=a, month=dt.date(2023, 5, 1)).update(amount=D("250"))
    refresh(MonthlyReport.objects.filter(project=a, month=dt.date(2023, 5, 1)).values_list("project_id", flat=True))  # behind the acts
    load_ledger((), [Adjustment(project=b, month=dt.date(2023, 3, 1), delta=D("-20"), reason="核减")], actor=System("test"))
    load_ledger((), [Adjustment(project=a, month=dt.date(2021, 3, 1), delta=D("999"), reason="范围外")], actor=System("test"))
    assert ledger_sums(slices) == {"all": D(380), "a": D(350), "spring": D(30), "last": D(30), "none": D(0)}
    # A few slices take the plain pass: the same sums.
    assert ledger_sums({k: slices[k] for k in ("a", "spring")}) == {"a": D(350), "spring": D(30)}
