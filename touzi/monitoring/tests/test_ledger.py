"""Ledger sums for many slices at once: per-project sums by month range, then per slice; corrections count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db.models import Q

from touzi.core.actor import System
from touzi.monitoring import ledger
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


def test_grouped_slices_with_membership_and_region_conditions_equal_each_slice_summed_alone(owners, mini_plan,
                                                                                           monkeypatch) -> None:
    """Many slices are summed from groups with one flag per shared condition (a collection's members in some
    years, the region's counties); each must equal the same slice summed alone in a plain pass."""
    from touzi.lib.regions import projects_in
    from touzi.plans.models import Collection
    from touzi.projects.models import Membership

    county_a, county_b = Unit.objects.get(key="county-a"), Unit.objects.get(key="county-b")
    Unit.objects.filter(pk=county_a.pk).update(division_code="450502")
    Unit.objects.filter(pk=county_b.pk).update(division_code="450602")  # outside the region 4505
    listed = Collection.objects.create(key="bench-list", name="清单")
    projects = [new_project(f"项目{i}", county="county-a" if i % 3 else "county-b", owner="owner-a",
                            domain="industry" if i % 2 else "railway", code=f"2023-450521-26-03-0004{i:02d}")
                for i in range(6)]
    for i, p in enumerate(projects):
        for month, amount in (("2022-04", 10 + i), ("2023-02", 100 * (i + 1)), ("2023-05", 7)):
            load_ledger([MonthlyReport(project=p, month=dt.date.fromisoformat(f"{month}-01"), amount=D(amount),
                                       status="accepted")], actor=System("test"))
    Membership.objects.create(project=projects[0], collection=listed, year=2023)
    Membership.objects.create(project=projects[1], collection=listed, year=2022)
    Membership.objects.create(project=projects[2], collection=listed, year=None)
    Membership.objects.create(project=projects[2], collection=listed, year=2023)  # listed twice: counted once
    Membership.objects.create(project=projects[4], collection=listed, year=2023)

    def members(first: int, last: int) -> Q:
        years = Membership.objects.filter(collection=listed).filter(Q(year__isnull=True) | Q(year__range=(first, last)))
        return Q(id__in=years.values("project_id"))

    region = projects_in("450500")
    industry = Q(domain_id=projects[1].domain_id)
    this, last_year = (dt.date(2023, 1, 1), dt.date(2023, 6, 1)), (dt.date(2022, 1, 1), dt.date(2022, 6, 1))
    slices = {"list23": Slice(region & members(2023, 2023), *this),
              "list22": Slice(region & members(2022, 2022), *last_year),
              "list-both": Slice(region & members(2022, 2023), dt.date(2022, 1, 1), dt.date(2023, 6, 1)),
              "industry-list": Slice(region & industry & members(2023, 2023), *this),
              "county-b": Slice(Q(county_id=county_b.pk), *this),
              "region": Slice(region, *this),
              "not-listed": Slice(region & ~members(2023, 2023), *this)}
    sent: list[str] = []
    join = ledger._members_join

    def spy(members: dict, database: str):  # records the statement as it reaches the database
        execute = join(members, database)

        def wrapped(run, sql, *rest):
            def recorded(final_sql, *args):
                sent.append(final_sql)
                return run(final_sql, *args)

            return execute(recorded, sql, *rest)

        return wrapped

    monkeypatch.setattr(ledger, "_members_join", spy)
    together = ledger_sums(slices)
    # The memberships are joined once, reduced per project, rather than probed for each counted row.
    assert len(sent) == 1 and 'LEFT JOIN (SELECT' in sent[0] and "projects_membership" in sent[0]
    assert '"reports_countedyear"."project_id" IN (SELECT' not in sent[0]
    alone = {key: ledger_sums({key: s})[key] for key, s in slices.items()}
    assert together == alone
    # The right answers, by hand: projects 1, 2, 4, 5 are in county-a (in the region); 0 and 3 in county-b.
    assert together["list23"] == D(300 + 7) + D(500 + 7)  # project 2 (always) and 4 (2023); 0 is outside
    assert together["list22"] == D(11 + 12)  # projects 1 (2022) and 2 (always), April 2022
    assert together["county-b"] == D(100 + 7) + D(400 + 7)
