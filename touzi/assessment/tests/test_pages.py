"""Scoping of the scores (a unit sees its own breakdown and rank, the office all), the pages, the API, the
manual adjustment and the command."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from touzi.assessment.models import ManualAdjustment
from touzi.assessment.services import add_adjustment
from touzi.assessment.tests.helpers import annual_plan, make_scheme, report, task
from touzi.audit.models import AuditRecord
from touzi.lib.errors import Forbidden
from touzi.testing import client_for
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(mini_plan, projects):
    scheme = make_scheme(mini_plan)
    annual_plan(projects["plant"], 2022, "12000")
    annual_plan(projects["rail"], 2022, "12000")
    report(projects["plant"], "2022-06", "7200")
    report(projects["rail"], "2022-06", "4800", late=True)
    task(mini_plan, "county-b", dt.date(2022, 5, 31), None)
    return scheme


def test_the_office_sees_every_unit_and_a_county_only_its_own_with_its_rank(scored, olive, aaron, bella) -> None:
    url = "/api/v1/assessment/mini/schemes/counties/scores?year=2022&month=6"
    everyone = client_for(olive).get(url).json()
    assert [u["unit_key"] for u in everyone["units"]] == ["county-a", "county-b"]
    own = client_for(bella).get(url).json()
    assert [(u["unit_key"], u["rank"]) for u in own["units"]] == [("county-b", 2)]
    page = client_for(aaron).get("/assessment/?year=2022&month=6")
    assert page.status_code == 200 and "甲县" in page.text and "乙区" not in page.text.split("scoreboard")[1]
    assert client_for(aaron).get("/assessment/counties/county-a/?year=2022&month=6").status_code == 200
    assert client_for(aaron).get("/assessment/counties/county-b/?year=2022&month=6").status_code == 404
    assert client_for(aaron).get("/assessment/counties/county-b/reporting_on_time/?year=2022&month=6"
                                 ).status_code == 404
    drill = client_for(bella).get("/assessment/counties/county-b/reporting_on_time/?year=2022&month=6")
    assert drill.status_code == 200 and "乙区铁路专用线" in drill.text
    assert client_for(aaron).get("/assessment/counties/report/docx/?year=2022").status_code == 403


def test_a_manual_adjustment_is_the_offices_audited_and_shown_apart(scored, olive, aaron) -> None:
    b = Unit.objects.get(key="county-b")
    with pytest.raises(Forbidden):
        add_adjustment(scored, b, year=2022, points=D(1), reason="x", actor=aaron)
    response = client_for(olive).post("/assessment/counties/adjust/?year=2022&month=6", {
        "unit": b.pk, "points": "3", "reason": "获自治区通报表扬", "document": "北投办〔2022〕9号"})
    assert response.status_code == 302
    made = ManualAdjustment.objects.get()
    assert AuditRecord.objects.filter(object_type="assessment.manualadjustment", object_id=str(made.pk)).exists()
    out = StringIO()
    call_command("assessment", "--year", "2022", "--month", "6", "--format", "json", stdout=out)
    payload = json.loads(out.getvalue())
    second = next(u for u in payload["units"] if u["unit_key"] == "county-b")
    assert second["adjustments"] == [{"points": 3.0, "reason": "获自治区通报表扬"}]
    assert second["bonus"] == 3.0
    for unit in payload["units"]:
        total = sum(D(str(p["weight"])) * D(str(p["score"])) / 100 for p in unit["parts"])
        assert abs(total + D(str(unit["bonus"])) - D(str(unit["deduction"])) - D(str(unit["score"]))) <= D("0.005")
    assert [u["rank"] for u in payload["units"]] == [1, 2]
    assert payload["ppp_rewards"]["measurable"] is False and payload["ppp_rewards"]["missing"]


def test_the_pages_render_for_the_office(scored, olive) -> None:
    client = client_for(olive)
    for url in ("/assessment/?year=2022&month=6", "/assessment/quality/?year=2022&month=6",
                "/assessment/counties/county-a/?year=2022&month=6",
                "/assessment/counties/county-a/attainment/?year=2022&month=6",
                "/assessment/counties/county-b/supervision_overdue/?year=2022&month=6"):
        assert client.get(url).status_code == 200, url
    xlsx = client.get("/assessment/counties/report/xlsx/?year=2022")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
