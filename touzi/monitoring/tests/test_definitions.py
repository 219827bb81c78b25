"""One definition per figure: sets, 上年同期, 年均增长, rates at the end of their period, 1—2月, and the rows.

Small hand-made ledgers whose right answers are worked out in the comments.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from touzi.indicators.models import IndicatorValue
from touzi.monitoring.attainment import geometric_mean_growth, target_figures
from touzi.monitoring.choices import Status
from touzi.monitoring.dashboard import build
from touzi.monitoring.periods import reporting_month, step
from touzi.monitoring.rows import target_rows
from touzi.plans.models import Collection, Domain, Indicator, Target
from touzi.projects.models import AnnualPlan, Membership
from touzi.testing import accepted_report, client_for, new_project
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
D = Decimal


def accepted(project, month: str, amount: str) -> None:
    accepted_report(project, month, amount)


def figure(plan, key: str, month: str):
    y, m = map(int, month.split("-"))
    return next(f for f in target_figures(plan, dt.date(y, m, 1), plan.targets.all()) if f.target.key == key)


def listed(project, year: int) -> None:
    Membership.objects.create(project=project, collection=Collection.objects.get(key="major-list"), year=year)


@pytest.fixture
def two_years(owners, mini_plan):
    """Plant A on the 2022 and 2023 lists, plant B on the 2022 list only, a railway off every list."""
    a = new_project("甲厂", county="county-a", owner="owner-a", total="900000", code="2021-450521-26-03-000901")
    b = new_project("乙厂", county="county-b", owner="owner-b", total="200000", code="2021-450503-26-03-000902")
    rail = new_project("铁路", county="county-b", owner="owner-b", domain="railway", lead="drc", total="500000",
                       code="2021-450503-54-01-000903")
    listed(a, 2022), listed(a, 2023), listed(b, 2022)
    for project, plan in ((a, "6000"), (b, "3000"), (rail, "9000")):
        AnnualPlan.objects.create(project=project, year=2023, planned_investment=D(plan))
    accepted(a, "2022-03", "1000"), accepted(b, "2022-03", "500"), accepted(rail, "2022-03", "700")
    accepted(a, "2023-03", "1500"), accepted(b, "2023-03", "800"), accepted(rail, "2023-03", "900")
    for year, value in ((2022, "620"), (2023, "790")):
        Target.objects.create(plan=mini_plan, key=f"major-{year}", area="overall", name=f"{year}年重大项目完成投资",
                              scope_kind="collection", metric="investment", period_kind="year", period_start=year,
                              period_end=year, comparator=">=", value=D(value), unit_of_measure="亿元",
                              measure_source="ledger", measure_collection=Collection.objects.get(key="major-list"),
                              quote="…")
    return {"a": a, "b": b, "rail": rail}


def test_last_years_same_months_are_last_years_list_in_the_growth_the_chart_and_the_tables(two_years, olive,
                                                                                         mini_plan) -> None:
    board = build(olive, mini_plan, dt.date(2023, 3, 1), with_alerts=False)
    f = board.headline.figure
    # 2023: A only (1500 万元); last year's same months over last year's list: A + B (1000 + 500).
    assert (f.value, f.previous, f.growth) == (D("0.15"), D("0.15"), D("0.00"))
    assert board.headline.last_year[3] == D("0.15")  # the chart's line is the growth's denominator
    assert board.totals["list"].previous == D("1500") and board.totals["list"].ytd == D("1500")
    assert sum(r.previous for r in board.breakdowns["county"]) == D("1500")
    # B left the list: it counts last year (county B) and not this year.
    county_b = next(r for r in board.breakdowns["county"] if r.label == "乙区")
    assert (county_b.ytd, county_b.previous) == (D(0), D("500"))


def test_the_years_list_and_the_whole_library_are_named_and_summed_apart(two_years, olive, mini_plan) -> None:
    board = build(olive, mini_plan, dt.date(2023, 3, 1), with_alerts=False)
    assert board.sets["list"].name == "年度重大项目清单" and board.sets["all"].name == "全部在库项目"
    assert (board.totals["list"].count, board.totals["all"].count) == (1, 3)
    assert board.totals["list"].planned == D("6000") and board.totals["all"].planned == D("18000")
    assert board.totals["all"].ytd == D("3200") == board.cards["ytd"]
    html = client_for(olive).get(reverse("home") + "?month=2023-03").content.decode()
    assert "年度重大项目清单项目年度投资计划合计 0.60 亿元" in html and "全部在库项目" in html


def test_a_cumulative_list_target_counts_each_project_only_in_its_listed_years(two_years, mini_plan) -> None:
    Target.objects.create(plan=mini_plan, key="major-total", area="overall", name="重大项目累计", scope_kind="collection",
                          metric="investment", period_kind="range", period_start=2022, period_end=2023,
                          comparator=">=", value=D("1000"), unit_of_measure="万元", measure_source="ledger",
                          measure_collection=Collection.objects.get(key="major-list"), quote="…")
    # 2022: A 1000 + B 500; 2023: A 1500 (B's 800 of 2023 is not counted: it was no longer listed).
    assert figure(mini_plan, "major-total", "2023-03").value == D("3000")
    rows = target_rows(mini_plan, dt.date(2023, 3, 1), mini_plan.targets.get(key="major-total"))
    assert {r["name"]: D(r["value"]) for r in rows.rows} == {"甲厂": D("2500"), "乙厂": D("500")}


def test_a_cumulative_targets_rows_cover_its_whole_window_and_add_up_to_it(two_years, mini_plan) -> None:
    found = target_rows(mini_plan, dt.date(2023, 3, 1), mini_plan.targets.get(key="railway-total"))
    assert found.figure.window.start == dt.date(2021, 1, 1)
    assert [(r["name"], D(r["value"])) for r in found.rows] == [("铁路", D("0.16"))]  # 700 + 900 万元, in 亿元
    assert sum(D(r["value"]) for r in found.rows) == found.figure.value


def test_a_county_sees_its_rows_and_one_line_for_the_rest_which_still_add_up(two_years, aaron, mini_plan) -> None:
    found = target_rows(mini_plan, dt.date(2023, 3, 1), mini_plan.targets.get(key="industry-total"), aaron)
    shown = sum(D(r["value"]) for r in found.rows)
    assert [r["name"] for r in found.rows] == ["甲厂"]
    assert found.hidden["count"] == 1 and shown + D(found.hidden["value"]) == found.figure.value


def test_the_cli_the_api_and_the_page_show_the_same_rows(two_years, olive, mini_plan) -> None:
    out = io.StringIO()
    call_command("status", "--period", "2023-03", "--plan", "mini", "--target", "industry-total", "--rows",
                 "--format", "json", stdout=out)
    cli = json.loads(out.getvalue())
    assert set(cli) >= {"target", "rows"} and cli["target"]["key"] == "industry-total"
    assert {"project", "name", "county", "value"} <= set(cli["rows"][0])
    assert sum(D(r["value"]) for r in cli["rows"]) == D(cli["target"]["value"])
    api = client_for(olive).get("/api/v1/plans/mini/targets/industry-total/rows?period=2023-03").json()
    assert api["rows"] == cli["rows"] and api["target"] == cli["target"]
    page = client_for(olive).get(reverse("monitoring-target", args=["industry-total"]) + "?month=2023-03")
    html = page.content.decode()
    assert all(r["name"] in html for r in cli["rows"]) and 'id="rows-total">0.38<' in html  # 3800 万元 = 0.38 亿元
    text = io.StringIO()
    call_command("status", "--period", "2023-03", "--plan", "mini", "--target", "industry-total", "--rows",
                 stdout=text)
    assert "合计 2 个项目" in text.getvalue() and "0.38" in text.getvalue()


def test_rows_need_a_target_on_the_command_line() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("status", "--period", "2023-03", "--rows", stdout=io.StringIO())


def test_the_status_text_is_aligned_with_two_decimals(two_years, mini_plan) -> None:
    out = io.StringIO()
    call_command("status", "--period", "2023-03", "--plan", "mini", stdout=out)
    lines = out.getvalue().splitlines()
    header, rule = lines[1], lines[2]
    assert "完成率" in header and set(rule) <= {"-", " "}
    industry = next(line for line in lines if line.startswith("industry-total"))
    assert "0.38" in industry and "0.380000" not in industry


# --- 年均增长 and rates -------------------------------------------------------------------------------

def test_the_geometric_mean_of_yearly_growths() -> None:
    assert geometric_mean_growth([D(10), D(10)]).quantize(D("0.01")) == D("10.00")
    # 1.21 × 0.9 = 1.089 over two years: √1.089 − 1 = 4.355 %
    assert geometric_mean_growth([D(21), D(-10)]).quantize(D("0.01")) == D("4.36")


def test_average_annual_growth_from_the_ledger_is_the_mean_of_the_years_growth(owners, mini_plan) -> None:
    base = Indicator.objects.create(plan=mini_plan, key="industry-base", name="工业投资(基年)", unit_of_measure="万元",
                                    reported_by=Unit.objects.get(key="stats"), frequency="annual")
    IndicatorValue.objects.create(indicator=base, month=dt.date(2020, 12, 1), value=D("1000"), source="统计局")
    Target.objects.create(plan=mini_plan, key="industry-average", area="domain", name="工业投资年均增长",
                          scope_kind="domain", metric="growth", period_kind="range", period_start=2021,
                          period_end=2023, comparator=">=", value=D("20"), unit_of_measure="%",
                          measure_source="ledger", measure_domain=Domain.objects.get(key="industry"),
                          base_indicator=base, quote="年均增长20%")
    plant = new_project("工厂", county="county-a", owner="owner-a", total="900000")
    accepted(plant, "2021-06", "1210")  # 2021: +21% on the base year's 1000
    accepted(plant, "2022-06", "1089")  # 2022: −10% on 2021
    accepted(plant, "2023-06", "1361.25")  # 2023 to June: +25% on 2022 to June
    f = figure(mini_plan, "industry-average", "2022-12")
    assert f.value == D("4.36")  # √(1.21 × 0.90) − 1, not 2022's −10 %
    assert [y["growth"] for y in f.detail["years"]] == [D("21.00"), D("-10.00")]
    f = figure(mini_plan, "industry-average", "2023-06")
    expected = ((D("1.21") * D("0.9") * D("1.25")) ** (D(1) / 3) - 1) * 100  # 10.83 %
    assert f.value == expected.quantize(D("0.01")) and f.status == Status.AT_RISK  # 10.83 / 20 < 0.6
    assert f.as_dict()["average_of"][0] == {"year": 2021, "growth": "21"}


def test_average_annual_growth_from_a_reported_rate_takes_each_years_latest_value(mini_plan) -> None:
    indicator = mini_plan.indicators.get(key="fai-growth")
    for month, value in (("2021-06", "30"), ("2021-12", "12"), ("2022-12", "18"), ("2023-06", "9")):
        y, m = map(int, month.split("-"))
        IndicatorValue.objects.create(indicator=indicator, month=dt.date(y, m, 1), value=D(value), source="统计局")
    f = figure(mini_plan, "fai-growth", "2023-06")
    expected = ((D("1.12") * D("1.18") * D("1.09")) ** (D(1) / 3) - 1) * 100
    assert f.value == expected.quantize(D("0.01")) and f.value != D(9)


def test_a_rate_short_of_its_goal_when_its_period_is_over_is_missed_not_on_track(mini_plan) -> None:
    indicator = mini_plan.indicators.get(key="fai-growth")
    for year, value in ((2021, "15"), (2022, "15"), (2023, "14.8")):
        IndicatorValue.objects.create(indicator=indicator, month=dt.date(year, 12, 1), value=D(value), source="统计局")
    assert figure(mini_plan, "fai-growth", "2023-06").status == Status.ON_TRACK  # still under way
    over = figure(mini_plan, "fai-growth", "2023-12")
    assert over.value < D("15.5") and over.status == Status.MISSED
    IndicatorValue.objects.filter(indicator=indicator, month=dt.date(2023, 12, 1)).update(value=D("17"))
    assert figure(mini_plan, "fai-growth", "2023-12").status == Status.MET


# --- 1—2月 --------------------------------------------------------------------------------------------

def test_january_reads_as_1_2_months_where_the_plan_reports_them_together(two_years, olive, mini_plan) -> None:
    assert reporting_month(dt.date(2023, 1, 1)) == dt.date(2023, 2, 1)
    assert step(dt.date(2023, 2, 1), -1) == dt.date(2022, 12, 1)
    assert step(dt.date(2022, 12, 1), 1) == dt.date(2023, 2, 1)
    client = client_for(olive)
    january = client.get(reverse("home") + "?month=2023-01").content.decode()
    assert "month=2022-12" in january and "month=2023-03" in january  # the picker steps over January
    assert client.get("/api/v1/plans/mini/dashboard?period=2023-01").json()["period"] == "2023-02"
    err = io.StringIO()
    call_command("status", "--period", "2023-01", "--plan", "mini", "--format", "json", stdout=io.StringIO(),
                 stderr=err)
    assert "1—2月" in err.getvalue()


def test_a_countys_dashboard_shows_its_own_figures_first(two_years, aaron, olive, mini_plan) -> None:
    board = build(aaron, mini_plan, dt.date(2023, 3, 1), with_alerts=False)
    rank, of, share = board.standing
    assert (rank, of, share) == (1, 2, D("100.00"))  # 甲县 holds all of the 2023 list's 1,500 万元
    html = client_for(aaron).get(reverse("home") + "?month=2023-03").content.decode()
    assert html.index('id="card-own"') < html.index('id="card-all"')
    assert "完成率排名第 1 / 2" in html
    assert build(olive, mini_plan, dt.date(2023, 3, 1), with_alerts=False).standing is None


def test_a_partial_viewer_gets_no_plan_total_under_the_whole_plans_headline(two_years, aaron, olive, mini_plan) -> None:
    # The headline is the whole plan's attainment; the list's plan total under it would be the county's own part.
    county = client_for(aaron).get(reverse("home") + "?month=2023-03").content.decode()
    office = client_for(olive).get(reverse("home") + "?month=2023-03").content.decode()
    assert 'id="headline-plan"' in office
    assert 'id="headline-plan"' not in county
    assert 'id="card-own"' in county  # where the county's own plan total is shown
