"""In a real browser: the dashboard draws its charts for the plan office and shows a county its own figures."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest

from touzi.core.actor import System
from touzi.reports.bulk import load_ledger
from touzi.testing import PASSWORD
from touzi.testing_browser import browser_page, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ledger(projects):
    from touzi.plans.models import Collection
    from touzi.projects.models import AnnualPlan, Membership
    from touzi.reports.models import MonthlyReport

    major = Collection.objects.get(key="major-list")
    for p in projects.values():
        Membership.objects.create(project=p, collection=major, year=2021)
        AnnualPlan.objects.create(project=p, year=2021, planned_investment=Decimal("6000"))
        for month in (2, 3, 4, 5, 6):
            load_ledger([MonthlyReport(project=p, month=dt.date(2021, month, 1), amount=Decimal("400"),
                                         status="accepted")], actor=System("test"))
    return projects


def test_the_office_sees_charts_tables_and_a_forecast(live_server, ledger, olive) -> None:
    with browser_page() as page:
        sign_in(page, live_server.url, "olive", PASSWORD)
        page.goto(f"{live_server.url}/?month=2021-06")
        page.wait_for_selector("#chart-headline svg path", state="attached")
        assert page.locator("#chart-targets svg").count() == 1
        # The chart is as tall as its targets need: 30 px a row (a name broken over two lines does not overlap
        # its neighbour), and a plan with few targets gets no tall empty chart.
        rows = page.locator("#targets table tbody tr").count()
        assert 30 * rows <= page.eval_on_selector("#chart-targets", "e => e.clientHeight") <= max(320, 30 * rows + 60)
        assert page.locator("#chart-counties svg").count() == 1
        assert "2021年重大项目完成投资" in page.locator(".card.headline").inner_text()
        assert page.locator("#headline-probability").is_visible()
        assert page.locator("#counties table tbody tr").count() == 2
        assert page.locator("#card-count").inner_text() == "3"


def test_a_county_sees_its_own_figures(live_server, ledger, aaron) -> None:
    with browser_page() as page:
        sign_in(page, live_server.url, "aaron", PASSWORD)
        page.goto(f"{live_server.url}/?month=2021-06")
        page.wait_for_selector("#chart-headline svg")
        assert page.locator("#card-count").inner_text() == "2"
        assert page.locator("#counties table tbody tr").count() == 1
        assert page.locator("tr[data-target='railway-total']").count() == 0
