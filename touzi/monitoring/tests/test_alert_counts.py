"""Warnings counted in the database and listed a page at a time (a nation's briefing has 10^5 of them): the
counts by level, kind and county equal those of the full list, and the pages, read one after another, hold
the full list's warnings in its order of levels and kinds, each once."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from touzi.core.actor import System
from touzi.monitoring.alerts import alert_counts, alert_page, alerts
from touzi.projects.models import AnnualPlan, FactorIssue
from touzi.reports.bulk import load_ledger
from touzi.reports.models import MonthlyReport
from touzi.testing import new_project
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
JUNE = dt.date(2023, 6, 1)
AFTER_DEADLINE = dt.date(2023, 7, 11)


@pytest.fixture
def portfolio(owners) -> None:
    """Every kind of warning at both levels where it has two, over two counties."""
    for i, (county, ytd) in enumerate((("county-a", "2000"), ("county-b", "4000"), ("county-a", "4100"))):
        p = new_project(f"滞后{i}", county=county, owner="owner-a", code=f"2023-450521-26-03-00011{i}")
        AnnualPlan.objects.create(project=p, year=2023, planned_investment=Decimal("12000"))
        load_ledger([MonthlyReport(project=p, month=dt.date(2023, 5, 1), amount=Decimal(ytd), status="accepted")],
                    actor=System("test"))
    new_project("久未开工", county="county-a", owner="owner-a", stage="reserve", planned_start=dt.date(2023, 1, 1))
    new_project("刚过开工期", county="county-b", owner="owner-b", stage="reserve", planned_start=dt.date(2023, 5, 1))
    new_project("逾期竣工", county="county-b", owner="owner-a", code="2021-450521-26-03-000201",
                planned_completion=dt.date(2023, 4, 1))
    p = new_project("缺用地", county="county-a", owner="owner-a", code="2021-450521-26-03-000501")
    issue = FactorIssue.objects.create(project=p, kind="land", description="用地指标未落实",
                                       owed_by=Unit.objects.get(key="drc"), due=dt.date(2023, 5, 31))
    FactorIssue.objects.filter(pk=issue.pk).update(raised_at=dt.datetime(2023, 4, 1, tzinfo=dt.UTC))


def test_counts_by_level_kind_and_county_equal_the_full_lists(portfolio, olive, mini_plan) -> None:
    full = alerts(olive, mini_plan, JUNE, today=AFTER_DEADLINE)
    counts = alert_counts(olive, mini_plan, JUNE, today=AFTER_DEADLINE)
    assert len({a.kind for a in full}) >= 6 and {a.level for a in full} == {"red", "yellow"}
    assert counts.by_group == dict(Counter((a.level, a.kind) for a in full))
    assert counts.by_county == dict(Counter((a.kind, a.county_id) for a in full))
    assert counts.total == len(full)
    assert counts.levels() == dict(Counter(a.level for a in full))
    by_level_county = Counter((a.level, a.kind, a.county_id) for a in full)
    assert counts.by_level_county and all(by_level_county[k] == n for k, n in counts.by_level_county.items())


def test_a_page_reads_only_the_counties_it_falls_in(portfolio, olive, mini_plan) -> None:
    """A nation's page of warnings must not join every project: the counts by county say which counties hold it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = alert_counts(olive, mini_plan, JUNE, today=AFTER_DEADLINE)
    full = alerts(olive, mini_plan, JUNE, today=AFTER_DEADLINE)
    groups = {(a.level, a.kind) for a in full if (a.level, a.kind, a.county_id) in counts.by_level_county}
    level, kind = next(g for g in sorted(groups) if len({a.county_id for a in full if (a.level, a.kind) == g}) == 2)
    first = [a for a in full if (a.level, a.kind) == (level, kind)]  # a group over two counties
    with CaptureQueriesContext(connection) as queries:
        page = alert_page(olive, mini_plan, JUNE, counts, 0, 1, kinds={kind}, level=level, today=AFTER_DEADLINE)
    assert [a.key for a in page] == [first[0].key]
    listed = [q["sql"] for q in queries.captured_queries if "ORDER BY COALESCE" in q["sql"] and "LIMIT" in q["sql"]]
    assert len(listed) == 1 and f'"county_id" IN ({first[0].county_id})' in listed[0]


@pytest.mark.parametrize("size", [1, 3, 7])
def test_pages_read_in_turn_give_the_full_list_in_its_order(portfolio, olive, mini_plan, size) -> None:
    full = alerts(olive, mini_plan, JUNE, today=AFTER_DEADLINE)
    counts = alert_counts(olive, mini_plan, JUNE, today=AFTER_DEADLINE)
    paged = []
    for offset in range(0, counts.total + size, size):
        page = alert_page(olive, mini_plan, JUNE, counts, offset, size, today=AFTER_DEADLINE)
        assert len(page) == max(0, min(size, counts.total - offset))
        paged += page
    assert [(a.level, a.kind) for a in paged] == [(a.level, a.kind) for a in full]
    assert sorted(paged, key=lambda a: a.key) == sorted(full, key=lambda a: a.key)  # the same warnings, texts too


def test_a_page_of_one_kind_and_level(portfolio, olive, mini_plan) -> None:
    full = alerts(olive, mini_plan, JUNE, today=AFTER_DEADLINE)
    counts = alert_counts(olive, mini_plan, JUNE, today=AFTER_DEADLINE)
    page = alert_page(olive, mini_plan, JUNE, counts, 0, 100, kinds={"behind_plan"}, level="yellow",
                      today=AFTER_DEADLINE)
    assert [a.key for a in page] == [a.key for a in full if a.kind == "behind_plan" and a.level == "yellow"]
    assert len(page) == 2


@pytest.fixture
def large(monkeypatch) -> None:
    """The mini portfolio treated as a nation's: warnings counted, a first page of two listed."""
    import touzi.monitoring.alerts as alerts_module
    import touzi.monitoring.dashboard as dashboard_module

    monkeypatch.setattr(dashboard_module, "LISTED_PROJECTS", 0)
    monkeypatch.setattr(dashboard_module, "FIRST_PAGE", 2)
    monkeypatch.setattr(alerts_module, "FIRST_PAGE", 2)


def test_a_large_portfolios_dashboard_holds_the_counts_and_the_first_page(portfolio, olive, mini_plan, large,
                                                                        settings) -> None:
    from touzi.monitoring.dashboard import build

    settings.DASHBOARD_CACHE_SECONDS = 0
    full = alerts(olive, mini_plan, JUNE)
    board = build(olive, mini_plan, JUNE)
    assert len(board.alerts) == 2 and not board.alerts_complete
    assert board.alert_total == len(full) and board.alert_counts == dict(Counter(a.level for a in full))
    assert [a.key for a in board.alerts] == [a.key for a in full[:2]]


def test_a_large_portfolios_briefing_counts_the_lagging_projects_by_county(portfolio, olive, mini_plan,
                                                                          large) -> None:
    from touzi.briefings.build import build_content
    from touzi.monitoring.dashboard import build

    full = [a for a in alerts(olive, mini_plan, JUNE)
            if a.kind in ("behind_plan", "start_late", "completion_late")]
    content = build_content(build(olive, mini_plan, JUNE), olive)
    tables = {t.key: t for t in content.annex_tables()}
    assert len(tables["lagging"].rows) == 2  # the first page, in the list's order
    assert [r[1] for r in tables["lagging"].rows] == [a.project_name for a in full[:2]]
    by_county = tables["lagging_counties"].rows
    assert sum(int(r[-1] or 0) for r in by_county) == len(full) == 6
    assert {r[0]: r[-1] for r in by_county} == dict(Counter(a.county for a in full))
    from touzi.briefings.build import figure_sections

    section = next(s for s in figure_sections(build(olive, mini_plan, JUNE), olive, "1—6月")
                   if s.heading == "未按计划推进的项目")
    text = "".join(section.paragraphs)
    assert "投资进度滞后于年度计划的项目3个,计划开工未开工的2个,计划竣工未竣工的1个" in text
    assert "表6列出其中2个" in text


@pytest.mark.parametrize("page", [1, 3, 5])
def test_a_large_portfolios_briefing_lists_the_first_lagging_warnings_whatever_the_boards_page_holds(
        portfolio, olive, mini_plan, large, monkeypatch, page) -> None:
    """The briefing starts from the dashboard's first page (every kind) and reads only the rest of its own."""
    import touzi.monitoring.alerts as alerts_module
    import touzi.monitoring.dashboard as dashboard_module
    from touzi.briefings.build import build_content
    from touzi.monitoring.dashboard import build

    monkeypatch.setattr(dashboard_module, "FIRST_PAGE", page)
    monkeypatch.setattr(alerts_module, "FIRST_PAGE", page)
    lagging = [a for a in alerts(olive, mini_plan, JUNE) if a.kind in ("behind_plan", "start_late", "completion_late")]
    board = build(olive, mini_plan, JUNE)
    rows = {t.key: t for t in build_content(board, olive).annex_tables()}["lagging"].rows
    assert [(r[1], r[-1]) for r in rows] == [(a.project_name, a.reason) for a in lagging[:page]]


def test_the_warnings_page_reads_a_large_portfolios_pages_from_the_database(portfolio, olive, mini_plan, large,
                                                                           settings) -> None:
    from django.urls import reverse

    from touzi.testing import client_for

    settings.DASHBOARD_CACHE_SECONDS = 0
    full = alerts(olive, mini_plan, JUNE)
    html = client_for(olive).get(reverse("monitoring-warnings") + f"?month={JUNE:%Y-%m}&kind=behind_plan").content
    text = html.decode()
    for a in full:
        if a.kind == "behind_plan":
            assert a.project_name in text
    assert "久未开工" not in text
