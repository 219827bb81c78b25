"""The monthly report API: owners report, the bureau reviews, the office locks; every endpoint is scoped."""

from __future__ import annotations

import json

import pytest

from touzi.reports.models import MonthlyReport
from touzi.testing import client_for

pytestmark = pytest.mark.django_db


def _post(client, url: str, body: dict | None = None, **headers):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **headers)


def test_the_full_cycle_through_the_api(projects, oscar, stan, olive) -> None:
    plant = projects["plant"]
    created = _post(client_for(oscar), "/api/v1/reports", {"project": plant.pk, "period": "2023-03",
                                                           "amount": "800", "progress": "桩基完成"})
    assert created.status_code == 201
    report = created.json()
    again = _post(client_for(oscar), "/api/v1/reports", {"project": plant.pk, "period": "2023-03", "amount": "1"})
    assert again.status_code == 409
    returned = _post(client_for(stan), f"/api/v1/reports/{report['id']}/return", {"reason": "缺少佐证"})
    assert returned.json()["status"] == "returned"
    corrected = client_for(oscar).put(f"/api/v1/reports/{report['id']}", data=json.dumps({"amount": "750"}),
                                      content_type="application/json", HTTP_IF_MATCH=f'"{returned.json()["version"]}"')
    assert corrected.status_code == 200 and corrected.json()["status"] == "submitted"
    assert _post(client_for(stan), f"/api/v1/reports/{report['id']}/accept").json()["status"] == "accepted"
    assert _post(client_for(olive), "/api/v1/months/2023-03/lock").status_code == 201
    adjustment = _post(client_for(oscar), f"/api/v1/projects/{plant.pk}/adjustments",
                       {"period": "2023-03", "delta": "-50", "reason": "核减"})
    assert adjustment.status_code == 201


def test_the_statistics_bureau_cannot_report_figures(projects, stan) -> None:
    response = _post(client_for(stan), "/api/v1/reports", {"project": projects["plant"].pk, "period": "2023-03",
                                                           "amount": "1"})
    assert response.status_code == 403 and not MonthlyReport.objects.exists()


def test_an_owner_cannot_review_or_lock(projects, oscar) -> None:
    created = _post(client_for(oscar), "/api/v1/reports", {"project": projects["plant"].pk, "period": "2023-03",
                                                           "amount": "1"}).json()
    assert _post(client_for(oscar), f"/api/v1/reports/{created['id']}/accept").status_code == 403
    assert _post(client_for(oscar), "/api/v1/months/2023-03/lock").status_code == 403


def test_another_countys_reports_are_invisible(projects, oscar, bella) -> None:
    created = _post(client_for(oscar), "/api/v1/reports", {"project": projects["plant"].pk, "period": "2023-03",
                                                           "amount": "1"}).json()
    assert client_for(bella).get(f"/api/v1/reports/{created['id']}").status_code == 404
    assert client_for(bella).get("/api/v1/reports").json() == []
    assert client_for(None).get("/api/v1/reports").status_code == 401


def test_bad_input_is_a_400_never_a_500(projects, oscar) -> None:
    client = client_for(oscar)
    for body in ({"project": projects["plant"].pk, "period": "2023/3", "amount": "1"},
                 {"project": projects["plant"].pk, "period": "2023-03", "amount": "-1"}):
        response = _post(client, "/api/v1/reports", body)
        assert response.status_code == 400, response.content
    assert _post(client, "/api/v1/reports", {"project": 99999, "period": "2023-03", "amount": "1"}).status_code == 404
