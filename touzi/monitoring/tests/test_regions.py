"""One installation, two cities and their province: a plan's outputs hold its own region's projects only.

测试市 (450500, the mini plan) and 乙市 (450700) each run their plan; the province (450000) follows its own plan
over both. A project of 甲县 counts in 测试市's plan and, when the province lists it, in the province's; never in
乙市's. Checked for the dashboard, status, rows, warnings, the briefing (text and tables), exports, the API and
the roll; and 测试市's outputs are the same before and after the other plans are loaded.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from touzi.accounts.roles import Role
from touzi.briefings.build import build_content
from touzi.core.actor import System
from touzi.monitoring.alerts import alerts
from touzi.monitoring.attainment import target_figures
from touzi.monitoring.dashboard import build
from touzi.monitoring.presenters import api_data
from touzi.monitoring.rows import target_rows
from touzi.plans.loader import check_plan_file
from touzi.plans.models import Collection, Plan
from touzi.plans.services import known_unit_keys, load_plan
from touzi.projects.models import AnnualPlan, Membership, Project
from touzi.projects.services import roll_plan
from touzi.testing import FIXTURES, accepted_report, client_for, make_user, new_project
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
D = Decimal
JUNE = dt.date(2023, 6, 1)


def _project(name: str, county: str, owner: str, code: str, lists: list[str], amount: str, **values) -> Project:
    p = new_project(name, county=county, owner=owner, code=code, lead=None, **values)
    for key in lists:
        Membership.objects.create(project=p, collection=Collection.objects.get(key=key), year=2023)
    AnnualPlan.objects.create(project=p, year=2023, planned_investment=D("20000"))
    accepted_report(p, "2023-03", amount)
    return p


@pytest.fixture
def cities(mini_plan):
    """测试市's projects before the other plans exist, then 乙市 and the province loaded with theirs."""
    for key, name in (("owner-a", "甲公司"), ("owner-c", "丙公司")):
        Unit.objects.create(key=key, name=name, kind=UnitKind.ENTERPRISE)
    a1 = _project("甲县工厂", "county-a", "owner-a", "2023-450521-26-03-000101", ["major-list"], "1000")
    a2 = _project("乙区码头", "county-b", "owner-a", "2023-450503-26-03-000102", ["major-list"], "500",
                  stage="reserve", planned_start=dt.date(2023, 1, 1))
    before = _outputs(mini_plan)
    summaries = {key: _load(key) for key in ("city-b", "province")}
    b1 = _project("丙区园区", "county-c", "owner-c", "2023-450702-26-03-000201", ["key-list-b"], "700")
    b2 = _project("丁县电站", "county-d", "owner-c", "2023-450721-26-03-000202", ["key-list-b"], "300")
    for p in (a1, b1):  # the province lists one project of each city
        Membership.objects.create(project=p, collection=Collection.objects.get(key="province-list"), year=2023)
    people = {
        "city_a": make_user("office-a", Role.PLAN_OFFICE, "drc"),
        "city_b": make_user("office-b", Role.PLAN_OFFICE, "drc-b"),
        "province": make_user("office-p", Role.PLAN_OFFICE, "prov-drc"),
    }
    return {"a1": a1, "a2": a2, "b1": b1, "b2": b2, "before": before, "people": people,
            "plans": {k: Plan.objects.get(key=k) for k in ("mini", "city-b", "province")}, "loaded": summaries}


def _load(key: str):
    path = FIXTURES / f"{key}.yaml"
    return load_plan(check_plan_file(path.read_bytes(), path.name, known_unit_keys()), actor=System("test"))


def _outputs(plan: Plan) -> dict:
    """What 测试市's plan answers, for the before/after comparison (the system's view: everything)."""
    from touzi.core.actor import System

    board = build(System("test"), plan, JUNE)
    data = api_data(board)
    return {"targets": data["targets"], "breakdowns": data["breakdowns"], "warnings": data["warnings"],
            "sets": data["sets"]}


def test_a_citys_outputs_are_the_same_before_and_after_other_plans_are_loaded(cities) -> None:
    assert _outputs(cities["plans"]["mini"]) == cities["before"]


def test_each_plans_figures_hold_its_own_regions_projects_only(cities) -> None:
    mini, city_b, province = (cities["plans"][k] for k in ("mini", "city-b", "province"))
    headline = {f.target.key: f.value for f in target_figures(mini, JUNE, mini.targets.all())}
    assert headline.get("industry-total") == D("0.15")  # 甲县工厂 1,000 + 乙区码头 500 万元, nothing of 乙市
    b = {f.target.key: f.value for f in target_figures(city_b, JUNE, city_b.targets.all())}
    assert b["key-2023"] == D("0.1") and b["industry-total-b"] == D("0.1")  # 700 + 300
    p = {f.target.key: f.value for f in target_figures(province, JUNE, province.targets.all())}
    assert p["province-2023"] == D("0.17")  # the listed 甲县工厂 1,000 + 丙区园区 700
    assert p["province-industry"] == D("0.25")  # every industry project of both cities
    rows = target_rows(city_b, JUNE, city_b.targets.get(key="industry-total-b"))
    assert {r["name"] for r in rows.rows} == {"丙区园区", "丁县电站"}


def test_a_province_ranks_its_cities_and_a_city_office_sees_its_city_in_both_plans(cities) -> None:
    province, people = cities["plans"]["province"], cities["people"]
    board = build(people["province"], province, JUNE)
    assert board.area == "city"
    assert {r.label: r.ytd for r in board.breakdowns["city"]} == {"测试市": D("1000"), "乙市": D("700")}
    assert {r.label for r in board.breakdowns["county"]} == {"甲县", "丙区"}
    assert sum(r.ytd for r in board.breakdowns["city"]) == board.totals["list"].ytd == D("1700")
    own = build(people["city_a"], province, JUNE)  # 测试市's office in the province's plan
    assert {r.label for r in own.breakdowns["city"]} == {"测试市"}
    assert own.totals["all"].count == 2
    other = build(people["city_b"], cities["plans"]["mini"], JUNE)  # 乙市's office in 测试市's plan: nothing
    assert other.totals["all"].count == 0


def test_warnings_of_a_plan_are_about_its_own_projects(cities) -> None:
    people, plans = cities["people"], cities["plans"]
    names = {a.project_name for a in alerts(people["province"], plans["city-b"], JUNE)}
    assert names and names <= {"丙区园区", "丁县电站"}
    assert "乙区码头" in {a.project_name for a in alerts(people["city_a"], plans["mini"], JUNE)}
    assert not {a.project_name for a in alerts(people["province"], plans["mini"], JUNE)} & {"丙区园区", "丁县电站"}


def test_each_briefing_speaks_of_its_own_region_in_its_own_words(cities) -> None:
    people, plans = cities["people"], cities["plans"]
    b = build_content(build(people["city_b"], plans["city-b"], JUNE), people["city_b"])
    text_b = "\n".join(p for s in b.sections for section in s.walk() for p in section.paragraphs)
    cells_b = {str(c) for t in b.annex for row in t.rows for c in row}
    assert b.title == "关于2023年1—6月全市重点项目建设情况的通报"  # the plan calls its list 重点项目
    assert "None" not in text_b and "None" not in b.title
    for foreign in ("甲县", "乙区", "测试市", "甲县工厂", "年度重大项目清单"):
        assert foreign not in text_b and foreign not in cells_b, foreign
    p = build_content(build(people["province"], plans["province"], JUNE), people["province"])
    assert p.title.startswith("关于2023年1—6月全省重大项目") and p.recipients.startswith("各市人民政府")
    county_table = next(t for t in p.annex if t.key == "counties")
    assert {row[1] for row in county_table.rows} >= {"测试市", "乙市"}


def test_status_api_exports_and_the_project_list_keep_to_the_plan(cities, settings) -> None:
    people = cities["people"]
    out = io.StringIO()
    call_command("status", "--period", "2023-06", "--plan", "city-b", "--target", "industry-total-b", "--rows",
                 "--format", "json", stdout=out)
    assert {r["name"] for r in json.loads(out.getvalue())["rows"]} == {"丙区园区", "丁县电站"}
    client = client_for(people["province"])
    api = client.get("/api/v1/plans/city-b/dashboard?period=2023-06").json()
    assert {r["label"] for r in api["breakdowns"]["county"]} == {"丙区", "丁县"}
    session = client.session
    session["touzi_plan"] = "city-b"
    session.save()
    listing = client.get(reverse("project-list")).content.decode()
    assert "丙区园区" in listing and "甲县工厂" not in listing
    exported = client.get(reverse("export-projects")).content
    from openpyxl import load_workbook

    names = {row[1] for row in load_workbook(io.BytesIO(exported)).worksheets[0].iter_rows(values_only=True)}
    assert "丙区园区" in names and "甲县工厂" not in names
    export = client.get(reverse("monitoring-export", args=["county"]) + "?month=2023-06")
    assert export.status_code == 200


def test_a_roll_of_one_plan_leaves_the_other_regions_alone(cities) -> None:
    plans = cities["plans"]
    summary = roll_plan(2024, plan=plans["city-b"], actor=System("test"))
    rolled = set(AnnualPlan.objects.filter(year=2024).values_list("project__name", flat=True))
    assert summary.continuing == 2 and rolled == {"丙区园区", "丁县电站"}
    carried = set(Membership.objects.filter(year=2024).values_list("collection__key", flat=True))
    assert carried == {"key-list-b"}  # 乙市's own list; not the province's
    roll_plan(2024, plan=plans["province"], actor=System("test"))
    assert set(Membership.objects.filter(year=2024, collection__key="province-list")
               .values_list("project__name", flat=True)) == {"甲县工厂", "丙区园区"}


def test_a_first_load_reports_only_what_it_created_and_a_reload_nothing(cities) -> None:
    for summary in cities["loaded"].values():
        assert summary.updated == 0 and summary.deleted == 0 and summary.created > 0
        assert not [c for c in summary.changes if c.startswith("~")]
    again = _load("city-b")
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)


def test_units_answer_for_their_region_and_the_shared_catalogue_is_left_as_it_was(cities) -> None:
    regions = dict(Unit.objects.filter(key__in=["drc", "drc-b", "prov-drc", "county-c"])
                   .values_list("key", "region_code"))
    assert regions == {"drc": "450500", "drc-b": "450700", "prov-drc": "450000", "county-c": "450702"}
    from touzi.plans.models import Domain

    assert Domain.objects.get(key="industry").plans.count() == 3  # one 工业 for the three plans


def test_switching_plans_keeps_the_page_and_the_month(cities) -> None:
    client = client_for(cities["people"]["province"])
    page = client.get(reverse("home") + "?month=2023-06").content.decode()
    assert 'id="plan-switch"' in page and "乙市扩大有效投资行动方案" in page
    answer = client.post(reverse("plan-switch"), {"plan": "city-b", "next": "/projects/?month=2023-06&stage=new_start"})
    assert answer.status_code == 302 and answer["Location"] == "/projects/?month=2023-06&stage=new_start"
    assert client.session["touzi_plan"] == "city-b"
    target = reverse("monitoring-target", args=["industry-total"]) + "?month=2023-06"
    back = client.post(reverse("plan-switch"), {"plan": "mini", "next": target})
    assert back["Location"] == reverse("home") + "?month=2023-06"
    away = client.post(reverse("plan-switch"), {"plan": "mini", "next": "https://evil.example/"})
    assert away["Location"] == reverse("plan-targets")


def test_an_office_starts_in_its_own_plan_and_its_cards_say_when_it_sees_only_part(cities) -> None:
    people, plans = cities["people"], cities["plans"]
    home = client_for(people["province"]).get(reverse("home") + "?month=2023-06").content.decode()
    assert '<option value="province" selected>' in home  # the province's office starts in the province's plan
    assert build(people["province"], plans["province"], JUNE).partial is False
    assert build(people["city_a"], plans["province"], JUNE).partial is True  # its city only
    assert build(people["city_a"], plans["mini"], JUNE).partial is False
