"""The dashboard, its drill-downs, exports, API and commands: scoped, and flat in queries."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from touzi.imports.tests.sheets import cells
from touzi.monitoring.models import MonitoringSettings
from touzi.plans.models import Collection
from touzi.projects.models import AnnualPlan, Membership
from touzi.testing import accepted_report, client_for, new_project

pytestmark = pytest.mark.django_db
JUNE = "2021-06"


def _report(project, month: dt.date, amount: str) -> None:
    accepted_report(project, month, amount)


@pytest.fixture
def ledger(projects):
    major = Collection.objects.get(key="major-list")
    for name, p in projects.items():
        Membership.objects.create(project=p, collection=major, year=2021)
        AnnualPlan.objects.create(project=p, year=2021, planned_investment=Decimal("6000"))
        _report(p, dt.date(2021, 3, 1), "1000")
        _report(p, dt.date(2021, 6, 1), "2000" if name != "rail" else "500")
    return projects


def test_the_dashboard_is_the_first_page_with_every_section(ledger, olive) -> None:
    html = client_for(olive).get(reverse("home") + f"?month={JUNE}").content.decode()
    for section in ('id="cards"', 'id="chart-headline"', 'id="targets"', 'id="counties"', 'id="domains"',
                    'id="units"', 'id="collections"', 'id="warnings"', "dashboard-data", "echarts.min.js"):
        assert section in html, section
    assert "cdn" not in html.lower()
    data = json.loads(html.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0])
    assert data["headline"]["name"] == "2021年重大项目完成投资"
    assert data["headline"]["current"][data["headline"]["months"].index("6月")] == 0.75  # 7,500 万元 = 0.75 亿元
    assert data["headline"]["unit"] == "亿元"


def test_the_charts_speak_english_to_an_english_reader(ledger, olive) -> None:
    client = client_for(olive)
    client.cookies["django_language"] = "en"
    data = _dashboard_data(client.get(reverse("home") + f"?month={JUNE}").content.decode())
    assert data["headline"]["unit"] == "100m yuan"  # the chart's axis name, as the cards say it
    assert data["labels"]["attainment"] == "Attainment"


def test_a_county_sees_its_own_figures_only(ledger, aaron, bella) -> None:
    a = client_for(aaron).get(reverse("home") + f"?month={JUNE}").content.decode()
    b = client_for(bella).get(reverse("home") + f"?month={JUNE}").content.decode()
    assert '<span class="value" id="card-count">2</span>' in a
    assert '<span class="value" id="card-count">1</span>' in b
    assert 'data-target="railway-total"' not in a and 'data-target="railway-total"' in b


def test_the_dashboard_costs_the_same_queries_for_more_projects(ledger, olive) -> None:
    client = client_for(olive)
    url = reverse("home") + f"?month={JUNE}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    major = Collection.objects.get(key="major-list")
    for i in range(25):
        p = new_project(f"新增项目{i}", county="county-a", owner="owner-b", code=f"2021-450521-26-03-{700 + i:06d}",
                        stage="reserve" if i % 3 == 0 else "new_start", planned_start=dt.date(2021, 2, 1))
        Membership.objects.create(project=p, collection=major, year=2021)
        AnnualPlan.objects.create(project=p, year=2021, planned_investment=Decimal("9000"))
        if i % 3:
            _report(p, dt.date(2021, 6, 1), "10")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few), (len(few), len(many))


def test_a_target_opens_down_to_its_projects(ledger, olive, aaron) -> None:
    html = client_for(olive).get(reverse("monitoring-target", args=["major-2021"]) + f"?month={JUNE}").content.decode()
    assert "甲公司新材料工厂" in html and "乙区铁路专用线" in html and 'id="figure-value"' in html
    html = client_for(aaron).get(reverse("monitoring-target", args=["major-2021"]) + f"?month={JUNE}").content.decode()
    assert "甲公司新材料工厂" in html and "乙区铁路专用线" not in html


def test_a_target_outside_the_users_scope_is_not_found(ledger, aaron) -> None:
    assert client_for(aaron).get(reverse("monitoring-target", args=["railway-total"])).status_code == 404


def test_every_table_exports_to_xlsx_without_formulas(ledger, olive) -> None:
    for table in ("targets", "domain", "county", "lead_unit", "collection", "warnings"):
        response = client_for(olive).get(reverse("monitoring-export", args=[table]) + f"?month={JUNE}")
        assert response.status_code == 200
        assert not [c for c in cells(response.content) if c[2] == "f"]


def test_the_warnings_page_filters_by_kind(ledger, olive) -> None:
    html = client_for(olive).get(reverse("monitoring-warnings") + f"?month={JUNE}&kind=clarities").content.decode()
    assert 'data-kind="clarities"' in html and 'data-kind="behind_plan"' not in html


def test_the_api_gives_the_same_figures(ledger, olive, bella) -> None:
    body = client_for(olive).get(f"/api/v1/plans/mini/dashboard?period={JUNE}").json()
    major = next(t for t in body["targets"] if t["key"] == "major-2021")
    assert major["value"] == "0.75" and major["elapsed"] == "50"
    status = client_for(olive).get(f"/api/v1/plans/mini/status?period={JUNE}").json()
    assert {t["key"] for t in status} == {t["key"] for t in body["targets"]}
    assert client_for(None).get("/api/v1/plans/mini/status").status_code == 401
    keys = {t["key"] for t in client_for(bella).get(f"/api/v1/plans/mini/status?period={JUNE}").json()}
    assert "county-a-funds" not in keys
    assert client_for(olive).get("/api/v1/plans/mini/warnings?period=2021-13").status_code == 400


def test_the_status_and_warnings_commands_print_json(ledger) -> None:
    out = io.StringIO()
    call_command("status", "--period", JUNE, "--plan", "mini", "--format", "json", stdout=out)
    body = json.loads(out.getvalue())
    major = next(t for t in body["targets"] if t["key"] == "major-2021")
    assert (major["value"], major["attainment"], major["status"]) == ("0.75", "0.15", "at_risk")
    out = io.StringIO()
    call_command("warnings", "--period", JUNE, "--plan", "mini", "--format", "json", stdout=out)
    warnings = json.loads(out.getvalue())["warnings"]
    assert warnings and {"key", "level", "reason", "unit", "url"} <= set(warnings[0])


def test_only_the_office_sets_the_thresholds(mini_plan, olive, aaron) -> None:
    data = {"yellow_ratio": "0.85", "red_ratio": "0.65", "project_yellow_ratio": "0.8", "project_red_ratio": "0.6",
            "report_deadline_day": "6", "late_red_months": "3"}
    assert client_for(aaron).post(reverse("monitoring-settings"), data).status_code == 403
    assert client_for(olive).post(reverse("monitoring-settings"), data).status_code == 302
    assert MonitoringSettings.objects.get(plan=mini_plan).report_deadline_day == 6
    bad = {**data, "red_ratio": "0.95"}
    assert "红色阈值不能高于黄色阈值" in client_for(olive).post(reverse("monitoring-settings"), bad).content.decode()
    assert MonitoringSettings.objects.get(plan=mini_plan).red_ratio == Decimal("0.65")


# --- The year-end forecast: what its probability rests on --------------------------------------------

# A month's share of a year at the plant: slow start, heavy December (sums to 1).
_PLANT_MONTHS = [4, 4, 6, 7, 8, 9, 8, 8, 9, 9, 10, 18]


@pytest.fixture
def ledger_with_past_years(ledger):
    """The plant on the major list and reporting every month of 2017–2020: four complete past years."""
    major = Collection.objects.get(key="major-list")
    plant = ledger["plant"]
    for i, year in enumerate(range(2017, 2021)):
        Membership.objects.create(project=plant, collection=major, year=year)
        for month, weight in enumerate(_PLANT_MONTHS, start=1):
            # The December weight moves from year to year, so the backtest has errors to measure.
            amount = weight * 10 * (1 + 0.1 * i) + (15 * (-1) ** i if month == 12 else 0)
            _report(plant, dt.date(year, month, 1), str(amount))
    return ledger


def _dashboard_data(html: str) -> dict:
    return json.loads(html.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0])


def test_without_past_years_the_page_says_the_probability_rests_on_the_seasonal_shape(ledger, olive) -> None:
    html = client_for(olive).get(reverse("home") + f"?month={JUNE}").content.decode()
    assert '<span class="muted" id="headline-basis">(依据季节性形态,区间较宽)</span>' in html
    assert "季节性形态</span>" in html  # the targets table's short form
    forecast = _dashboard_data(html)["headline"]["forecast"]
    assert forecast["from_backtest"] is False and forecast["backtested_years"] == 0
    api = client_for(olive).get(f"/api/v1/plans/mini/dashboard?period={JUNE}").json()
    assert api["forecasts"]["major-2021"]["basis"] == "seasonal-shape"


def test_with_past_years_the_page_says_how_many_the_backtest_rests_on(ledger_with_past_years, olive) -> None:
    client = client_for(olive)
    html = client.get(reverse("home") + f"?month={JUNE}").content.decode()
    # Four past years: 2019 and 2020 each had two years before them, so the method was backtested on two.
    assert '<span class="muted" id="headline-basis">(依据台账过去 2 年的回测)</span>' in html
    assert "回测 2 年</span>" in html
    forecast = _dashboard_data(html)["headline"]["forecast"]
    assert forecast["from_backtest"] is True and forecast["backtested_years"] == 2
    assert forecast["low"] < forecast["point"] < forecast["high"]
    api = client.get(f"/api/v1/plans/mini/dashboard?period={JUNE}").json()["forecasts"]["major-2021"]
    assert (api["basis"], api["backtested_years"], api["method"]) == ("backtest", 2, "combo")
    assert 0 <= api["probability"] <= 1

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("home") + f"?month={JUNE}").content.decode()
    assert "(backtested on the ledger&#x27;s 2 past years)" in english
    assert "backtested on 2 years</span>" in english


def test_the_dashboard_reads_each_targets_year_of_the_ledger_once(ledger_with_past_years, olive) -> None:
    """The headline's line of last year and its forecast's history are the same totals: read once, not again."""
    from touzi.monitoring.dashboard import build
    from touzi.plans.models import Plan

    plan = Plan.objects.get(key="beihai-2021-2023") if Plan.objects.filter(key="beihai-2021-2023").exists() \
        else Plan.objects.get()
    month = dt.date.fromisoformat(f"{JUNE}-01")
    with CaptureQueriesContext(connection) as queries:
        board = build(olive, plan, month, with_alerts=False)
    yearly = [q["sql"] for q in queries.captured_queries
              if 'AS "ytd12"' in q["sql"] and "GROUP BY" in q["sql"]]
    assert yearly and len(yearly) == len(set(yearly))
    assert board.headline is not None and board.headline.forecast is not None
    assert board.headline.forecast == board.forecasts[board.headline.figure.target.key][0]


@pytest.mark.django_db(transaction=True)
def test_a_build_reading_on_two_connections_gives_the_figures_of_one(ledger, olive, mini_plan, settings,
                                                                      monkeypatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the second connection is PostgreSQL's (touzi.core.parallel)")
    import threading

    from touzi.monitoring import dashboard

    threads: list[int] = []
    real = dashboard.one_pass

    def spy(*args, **kwargs):
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(dashboard, "one_pass", spy)
    month = dt.date(2021, 6, 1)
    settings.DB_PARALLEL_READS = 1
    one = dashboard.build(olive, mini_plan, month)
    settings.DB_PARALLEL_READS = 2
    two = dashboard.build(olive, mini_plan, month)
    assert threads[0] == threading.get_ident() != threads[1]  # the one pass ran beside the targets' sums
    assert one.totals == two.totals and one.breakdowns == two.breakdowns and one.cards == two.cards
    assert [(f.target.key, f.value, f.status) for f in one.figures] == [(f.target.key, f.value, f.status)
                                                                        for f in two.figures]
    assert one.totals["list"].ytd == Decimal("7500")  # 3 × 1,000 + 2 × 2,000 + 500, the ledger above
