"""Issue #12 (4, 6): every number, year, month, day and text the API takes is bounded as in the web forms, a value
outside its bound is a 400 with a Chinese `detail` (never a 500, never stored), and the OpenAPI documents it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from touzi.core.actor import System
from touzi.lib.bounds import MONEY_LIMIT, OFFSET_MAX, PERIOD_PATTERN
from touzi.lib.errors import BusinessError
from touzi.projects.forms import AnnualPlanForm, ProjectForm
from touzi.projects.models import AnnualPlan
from touzi.projects.services import set_annual_plan
from touzi.testing import client_for

pytestmark = pytest.mark.django_db


def _send(client, method: str, url: str, body: dict | None = None):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


@pytest.mark.parametrize("year", [-1, 0, 1, 1599, 1999, 2101, 70000])
def test_an_annual_plan_for_a_year_outside_2000_to_2100_is_refused_and_not_stored(projects, olive, year) -> None:
    response = _send(client_for(olive), "put", f"/api/v1/projects/{projects['plant'].pk}/plans/{year}")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "year" and ("2000" in response.json()["detail"]
                                                   or "2100" in response.json()["detail"])
    assert not AnnualPlan.objects.filter(year=year).exists()


def test_an_annual_plan_amount_must_fit_the_money_column(projects, olive) -> None:
    url = f"/api/v1/projects/{projects['plant'].pk}/plans/2023"
    for too_big in (str(MONEY_LIMIT), 1e11, 1e12, "1e20"):
        response = _send(client_for(olive), "put", url, {"planned_investment": too_big})
        assert response.status_code == 400 and response.json()["field"] == "planned_investment", response.content
    assert _send(client_for(olive), "put", url, {"planned_investment": "1.00001"}).status_code == 400
    largest = _send(client_for(olive), "put", url, {"planned_investment": "99999999999.9999"})
    assert largest.status_code == 200 and Decimal(largest.json()["planned_investment"]) == MONEY_LIMIT - Decimal(
        "0.0001")


def test_a_completion_before_the_start_is_refused_by_the_api_the_form_and_the_service(projects, olive) -> None:
    plant = projects["plant"]
    response = _send(client_for(olive), "put", f"/api/v1/projects/{plant.pk}/plans/2024",
                     {"planned_start": "2024-05", "planned_completion": "2024-01"})
    assert response.status_code == 400 and "计划竣工不能早于计划开工" in response.json()["detail"]
    patch = _send(client_for(olive), "patch", f"/api/v1/projects/{plant.pk}", {"planned_completion": "2020-01"})
    assert patch.status_code == 400 and patch.json()["field"] == "planned_completion"
    with pytest.raises(BusinessError):
        set_annual_plan(plant, 2024, {"planned_start": dt.date(2024, 5, 1), "planned_completion": dt.date(2024, 1, 1)},
                        actor=System("test"))
    assert not AnnualPlan.objects.filter(project=plant, year=2024).exists()


def test_the_form_and_the_service_refuse_the_years_the_api_refuses(projects) -> None:
    assert not AnnualPlanForm({"year": 1999}).is_valid()
    assert "year" in AnnualPlanForm({"year": 2101}).errors
    form = ProjectForm({"planned_start": "1999-12"}, role="plan_office")
    assert not form.is_valid() and "planned_start" in form.errors
    with pytest.raises(BusinessError) as refused:
        set_annual_plan(projects["plant"], 1599, {}, actor=System("test"))
    assert refused.value.field == "year"


@pytest.mark.parametrize("url", ["/api/v1/projects", "/api/v1/reports"])
def test_an_offset_beyond_the_bound_is_a_400_not_a_server_error(projects, olive, url) -> None:
    for offset in (2**63, OFFSET_MAX + 1, -1):
        response = client_for(olive).get(url, {"offset": offset})
        assert response.status_code == 400 and response.json()["field"] == "offset", (offset, response.content)
    assert client_for(olive).get(url, {"offset": OFFSET_MAX, "limit": 1000}).json() == []


def test_a_period_must_match_its_pattern_and_years(projects, oscar) -> None:
    for period in ("2022", "2023/3", "1599-05", "2101-01", "2023-13"):
        response = _send(client_for(oscar), "post", "/api/v1/reports",
                         {"project": projects["plant"].pk, "period": period, "amount": "1"})
        assert response.status_code == 400 and response.json()["field"] == "period", (period, response.content)
        assert "YYYY-MM" in response.json()["detail"]


def test_nul_and_overlong_text_are_refused_before_the_database(mini_plan, olive) -> None:
    task = {"plan": "mini", "problem": "进度滞后", "required_action": "加快", "responsible_unit": "county-a",
            "deadline": "2030-01-01"}
    for bad in ({"problem": "a\x00b"}, {"warning_key": "x" * 97}, {"deadline": "9999-12-31"}):
        response = _send(client_for(olive), "post", "/api/v1/supervision", {**task, **bad})
        assert response.status_code == 400 and response.json()["field"] == next(iter(bad)), response.content
    assert _send(client_for(olive), "post", "/api/v1/supervision", task).status_code == 201


def test_a_request_not_in_the_apis_shape_is_still_422(projects, olive) -> None:
    response = _send(client_for(olive), "put", f"/api/v1/projects/{projects['plant'].pk}/plans/2023",
                     {"planned_investment": "abc", "unknown": 1})
    assert response.status_code == 422 and isinstance(response.json()["detail"], list)


def test_every_operation_documents_each_status_it_can_answer(olive) -> None:
    schema = client_for(olive).get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            label = f"{method.upper()} {path}"
            assert "401" in codes, label
            if operation.get("parameters") or operation.get("requestBody"):
                assert {"422"} <= codes, label
            if "{" in path:
                assert "404" in codes or "/months/" in path, label
            if method != "get":
                assert {"400", "403"} <= codes, label
            if "If-Match" in (operation.get("summary") or ""):
                assert "412" in codes, label
    put_plan = schema["paths"]["/api/v1/projects/{pk}/plans/{year}"]["put"]
    year = next(p for p in put_plan["parameters"] if p["name"] == "year")["schema"]
    assert (year["minimum"], year["maximum"]) == (2000, 2100)
    report_in = schema["components"]["schemas"]["ReportIn"]["properties"]
    assert report_in["period"]["pattern"] == PERIOD_PATTERN


def test_a_refusal_reads_in_english_for_an_english_user(projects, olive, settings) -> None:
    client = client_for(olive)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _send(client, "post", "/api/v1/reports", {"project": projects["plant"].pk, "period": "2022",
                                                         "amount": "1"})
    assert response.status_code == 400 and "must be a month as YYYY-MM" in response.json()["detail"]
