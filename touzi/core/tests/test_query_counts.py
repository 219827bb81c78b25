"""P5: every list page, the dashboard, the warnings page and the briefing cost the same number of queries
for 3 projects as for 30 (no N+1). Each page is read once with the small portfolio and once after 27 more
projects with annual plans, accepted reports, factor problems, supervision tasks and imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from touzi.core.actor import System
from touzi.imports.models import ImportBatch
from touzi.plans.models import Collection, Plan
from touzi.projects.models import AnnualPlan, FactorIssue, Membership
from touzi.reports.bulk import load_ledger
from touzi.reports.models import MonthlyReport
from touzi.testing import client_for, new_project
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
JUNE = "2021-06"
PAGES = [
    "/?month=2021-06",
    "/projects/?month=2021-06",
    "/projects/?month=2021-06&stage=new_start&domain=industry",
    "/reports/?month=2021-06",
    "/reports/months/",
    "/monitoring/warnings/?month=2021-06",
    "/monitoring/targets/major-2021/?month=2021-06",
    "/supervision/",
    "/supervision/todo/",
    "/imports/",
    "/indicators/",
    "/briefings/",
    "/api/v1/projects",
    "/api/v1/reports?period=2021-06",
    "/api/v1/supervision",
    "/api/v1/plans/mini/dashboard?period=2021-06",
]


def _furnish(project, olive, index: int) -> None:
    """What a project brings to every page: list membership, a plan, figures, a problem, a task, an import."""
    from touzi.supervision.services import raise_task

    Membership.objects.create(project=project, collection=Collection.objects.get(key="major-list"), year=2021)
    AnnualPlan.objects.create(project=project, year=2021, planned_investment=Decimal("9000"))
    load_ledger([MonthlyReport(project=project, month=dt.date(2021, 6, 1), amount=Decimal("10"),
                                 status="accepted" if index % 2 else "submitted")], actor=System("test"))
    FactorIssue.objects.create(project=project, kind="land", description="用地未落实", owed_by=project.county)
    raise_task(Plan.objects.get(key="mini"), problem=f"问题{index}", required_action="整改", project=project,
               responsible_unit=project.county, deadline=dt.date.today() + dt.timedelta(days=15), actor=olive)
    ImportBatch.objects.create(kind="reports", original_name=f"月报{index}.xlsx", sha256="0" * 64,
                               uploaded_by=olive, status="committed")


@pytest.fixture
def portfolio(projects, olive):
    for i, p in enumerate(projects.values()):
        _furnish(p, olive, i)
    return projects


def _grow(olive, count: int = 27) -> None:
    for i in range(count):
        p = new_project(f"新增项目{i}", county="county-a" if i % 2 else "county-b", owner="owner-a",
                        code=f"2021-450521-26-03-{800 + i:06d}", stage="new_start",
                        planned_start=dt.date(2021, 2, 1), park=Unit.objects.get(key="park-a") if i % 5 == 0 else None)
        _furnish(p, olive, 100 + i)


def _counts(users: list, pages: list[str]) -> dict[tuple[str, str], tuple[int, int]]:
    """(status, queries) of each page for each user; a page a user may not open answers the same both times."""
    out = {}
    for user in users:
        client = client_for(user)
        for url in pages:
            client.get(url)  # warm: sessions, the plan, translations
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200 or user.username != "olive", (url, response.status_code)
            out[(user.username, url)] = (response.status_code, len(queries))
    return out


def test_every_list_page_costs_the_same_queries_for_three_projects_or_thirty(portfolio, olive, aaron, oscar,
                                                                              stan) -> None:
    users = [olive, aaron, oscar, stan]
    few = _counts(users, PAGES)
    _grow(olive)
    many = _counts(users, PAGES)
    grown = {key: (few[key], many[key]) for key in few if many[key] != few[key]}
    assert not grown, grown


def test_the_briefing_costs_the_same_queries_for_three_projects_or_thirty(portfolio, olive) -> None:
    from touzi.briefings.services import live_content

    plan, june = Plan.objects.get(key="mini"), dt.date(2021, 6, 1)
    live_content(plan, june, olive)
    with CaptureQueriesContext(connection) as few:
        live_content(plan, june, olive)
    _grow(olive)
    for p in portfolio.values():  # projects at or above the briefing threshold are listed one by one
        p.total_investment = Decimal("200000")
        p.save(update_fields=["total_investment"])
    with CaptureQueriesContext(connection) as many:
        live_content(plan, june, olive)
    assert len(many) == len(few), (len(few), len(many))
