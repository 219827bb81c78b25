"""Reconciliation properties: for any small ledger, every figure equals the sum of the rows behind it.

Hypothesis draws ledgers of a few projects (counties, domains, lead units, list memberships by year, annual
plans, reports and adjustments in two years) and checks, on SQLite and PostgreSQL alike:

- every ledger amount target equals the sum of its rows, to the last digit;
- the domain, county and lead-unit breakdowns of the year's list add up to the list's totals (this year,
  last year's same months, the annual plans), and the list's total is the headline target's value;
- the briefing's figures are the dashboard's: its county table holds the breakdown's rows and a total that
  is the list's;
- the county rows of the briefing equal the headline target's project rows grouped by county.

Each example runs in a savepoint rolled back at its end, so examples never see each other's data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from touzi.briefings.build import build_content
from touzi.core.actor import System
from touzi.monitoring.attainment import TO_WAN
from touzi.monitoring.dashboard import build
from touzi.monitoring.rows import target_rows
from touzi.plans.choices import MeasureSource, Metric
from touzi.plans.models import Collection, Target
from touzi.projects.models import AnnualPlan, Membership
from touzi.reports.bulk import load_ledger
from touzi.reports.models import Adjustment, MonthlyReport
from touzi.testing import new_project

pytestmark = pytest.mark.django_db
D = Decimal
JUNE = dt.date(2023, 6, 1)
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))

amounts = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)
report_months = st.sampled_from([dt.date(y, m, 1) for y in (2022, 2023) for m in (2, 3, 5, 6, 9)])
project_st = st.fixed_dictionaries({
    "county": st.sampled_from(["county-a", "county-b"]),
    "domain": st.sampled_from(["industry", "railway"]),
    "lead": st.sampled_from(["industry", "drc", None]),
    "listed": st.sets(st.sampled_from([2022, 2023])),
    "planned": st.one_of(st.none(), amounts),
    "reports": st.dictionaries(report_months, amounts, max_size=5),
    "adjustments": st.dictionaries(report_months, st.decimals(min_value=D("-50"), max_value=D("50"), places=2),
                                   max_size=2),
})
ledgers = st.lists(project_st, min_size=1, max_size=6)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _make(ledger: list[dict], owners: dict) -> None:
    major = Collection.objects.get(key="major-list")
    for i, spec in enumerate(ledger):
        p = new_project(f"项目{i}", county=spec["county"], owner="owner-a", domain=spec["domain"], lead=spec["lead"],
                        total="50000000", code=f"2022-450521-26-03-{700000 + i:06d}")
        for year in spec["listed"]:
            Membership.objects.create(project=p, collection=major, year=year)
        if spec["planned"] is not None:
            AnnualPlan.objects.create(project=p, year=2023, planned_investment=spec["planned"])
        load_ledger([MonthlyReport(project=p, month=m, amount=a, status="accepted")
                                           for m, a in spec["reports"].items()], actor=System("test"))
        for month, delta in spec["adjustments"].items():
            load_ledger((), [Adjustment(project=p, month=month, delta=delta, reason="更正")], actor=System("test"))


@pytest.fixture
def plan_with_lists(mini_plan):
    major = Collection.objects.get(key="major-list")
    for year, value in ((2022, "620"), (2023, "790")):
        Target.objects.create(plan=mini_plan, key=f"major-{year}", area="overall", name=f"{year}年重大项目完成投资",
                              scope_kind="collection", metric="investment", period_kind="year", period_start=year,
                              period_end=year, comparator=">=", value=D(value), unit_of_measure="亿元",
                              measure_source="ledger", measure_collection=major, quote="…")
    Target.objects.create(plan=mini_plan, key="major-total", area="overall", name="重大项目累计",
                          scope_kind="collection", metric="investment", period_kind="range", period_start=2022,
                          period_end=2023, comparator=">=", value=D("1000"), unit_of_measure="万元",
                          measure_source="ledger", measure_collection=major, quote="…")
    return mini_plan


@SETTINGS
@given(ledger=ledgers)
def test_every_ledger_target_equals_the_sum_of_its_rows(plan_with_lists, owners, ledger) -> None:
    with rolled_back():
        _make(ledger, owners)
        for target in plan_with_lists.targets.filter(measure_source=MeasureSource.LEDGER):
            if target.metric == Metric.GROWTH or target.unit_of_measure not in TO_WAN:
                continue
            found = target_rows(plan_with_lists, JUNE, target)
            if found.figure.value is None:
                continue
            assert sum((D(r["value"]) for r in found.rows), D(0)) == found.figure.value, target.key


@SETTINGS
@given(ledger=ledgers)
def test_breakdowns_of_the_list_add_up_to_its_totals_and_to_the_headline(plan_with_lists, owners, olive,
                                                                         ledger) -> None:
    with rolled_back():
        _make(ledger, owners)
        board = build(olive, plan_with_lists, JUNE, with_alerts=False)
        totals = board.totals["list"]
        for dimension in ("domain", "county", "lead_unit"):
            rows = board.breakdowns[dimension]
            assert sum((r.ytd for r in rows), D(0)) == totals.ytd, dimension
            assert sum((r.previous for r in rows), D(0)) == totals.previous, dimension
            assert sum((r.planned for r in rows), D(0)) == totals.planned, dimension
        headline = board.headline.figure
        assert headline.value * TO_WAN["亿元"] == totals.ytd
        assert (headline.previous or D(0)) * TO_WAN["亿元"] == totals.previous
        assert board.headline.last_year.get(6, D(0)) * TO_WAN["亿元"] == totals.previous


@SETTINGS
@given(ledger=ledgers)
def test_the_briefings_county_rows_are_the_dashboards_and_the_projects_grouped_by_county(plan_with_lists, owners,
                                                                                         olive, ledger) -> None:
    with rolled_back():
        _make(ledger, owners)
        board = build(olive, plan_with_lists, JUNE)
        content = build_content(board, olive)
        tables = {t.key: t for t in content.annex}
        rows = board.breakdowns["county"]
        if "counties" not in tables:  # an empty table is left out of the annex
            assert not rows
            return
        *parts, total = tables["counties"].rows
        shown = {r[1]: r[3] for r in parts}  # 县区 → 累计完成（亿元）
        assert shown == {row.label: (row.ytd / 10000).quantize(D("0.01")) for row in rows}
        assert total[1] == "合计" and total[3] == (board.totals["list"].ytd / 10000).quantize(D("0.01"))
        by_county: dict[str, Decimal] = defaultdict(Decimal)
        for r in target_rows(plan_with_lists, JUNE, plan_with_lists.targets.get(key="major-2023")).rows:
            by_county[r["county"]] += D(r["value"]) * TO_WAN["亿元"]
        assert {r.label: r.ytd for r in rows if r.ytd} == {k: v for k, v in by_county.items() if v}
