"""Breakdown rows: domains roll up to their top-level domain, and the rows add up to the set's totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from touzi.core.actor import System
from touzi.monitoring.breakdowns import breakdown, one_pass
from touzi.monitoring.sets import all_projects
from touzi.plans.models import Domain
from touzi.projects.models import Project
from touzi.reports.bulk import load_ledger
from touzi.reports.models import MonthlyReport
from touzi.testing import new_project

pytestmark = pytest.mark.django_db


def _report(project: Project, month: str, amount: str) -> None:
    load_ledger([MonthlyReport(project=project, month=dt.date.fromisoformat(f"{month}-01"), amount=D(amount),
                               status="accepted")], actor=System("test"))


def test_a_domain_two_levels_down_counts_in_its_top_level_domains_row(owners, mini_plan) -> None:
    transport, railway = Domain.objects.get(key="transport"), Domain.objects.get(key="railway")
    Domain.objects.create(key="high-speed", name="高速铁路", parent=railway)
    fast = new_project("高铁站前广场", county="county-b", owner="owner-b", domain="high-speed",
                       code="2023-450521-26-03-000501")
    rail = new_project("铁路专用线", county="county-b", owner="owner-b", domain="railway",
                       code="2023-450521-26-03-000502")
    plant = new_project("新材料工厂", county="county-a", owner="owner-a", code="2023-450521-26-03-000503")
    _report(fast, "2023-03", "400")
    _report(rail, "2023-04", "100")
    _report(plant, "2023-04", "50")
    month, everything = dt.date(2023, 6, 1), all_projects()
    rows = {r.key: r.ytd for r in breakdown(Project.objects.all(), "domain", month, everything)}
    # 高速铁路 → 铁路 → 综合交通: one row for 综合交通, none for 铁路 beside it.
    assert rows == {str(transport.pk): D(500), str(plant.domain_id): D(50)}
    totals = one_pass(Project.objects.all(), month, everything).totals
    assert totals.ytd == sum(rows.values()) and totals.count == 3


def test_a_project_listed_for_every_year_and_for_this_year_counts_once_in_its_collections_row(owners,
                                                                                             mini_plan) -> None:
    from touzi.plans.models import Collection
    from touzi.projects.models import Membership

    listed = Collection.objects.get(key="major-list")
    both = new_project("两次列入", county="county-a", owner="owner-a", code="2023-450521-26-03-000601")
    last_only = new_project("仅上年列入", county="county-a", owner="owner-a", code="2023-450521-26-03-000602")
    Membership.objects.create(project=both, collection=listed, year=None)
    Membership.objects.create(project=both, collection=listed, year=2023)
    Membership.objects.create(project=last_only, collection=listed, year=2022)
    for project in (both, last_only):
        _report(project, "2022-03", "30")
        _report(project, "2023-03", "200")
    rows = {r.key: r for r in breakdown(Project.objects.all(), "collection", dt.date(2023, 6, 1), all_projects())}
    row = rows[str(listed.pk)]
    assert (row.ytd, row.previous) == (D(200), D(60))  # this year: `both` once; last year: both projects
