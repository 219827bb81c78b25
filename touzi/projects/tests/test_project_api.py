"""The project API: scoped reads, audited writes, mass assignment refused, optimistic locking with If-Match."""

from __future__ import annotations

import json

import pytest

from touzi.projects.models import Project
from touzi.testing import client_for

pytestmark = pytest.mark.django_db


def _json(client, method: str, url: str, body: dict | None = None, **headers):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json", **headers)


def test_anonymous_callers_are_refused(projects) -> None:
    client = client_for(None)
    assert client.get("/api/v1/projects").status_code == 401
    assert client.get(f"/api/v1/projects/{projects['plant'].pk}").status_code == 401
    assert _json(client, "post", "/api/v1/projects", {"name": "x"}).status_code == 401


def test_each_user_lists_only_their_projects(projects, oscar, otto, aaron, bella, olive) -> None:
    def names(user) -> set[str]:
        return {p["name"] for p in client_for(user).get("/api/v1/projects").json()}

    assert names(oscar) == {"甲公司新材料工厂", "甲公司园区标准厂房"}
    assert names(otto) == {"乙区铁路专用线"}
    assert names(aaron) == {"甲公司新材料工厂", "甲公司园区标准厂房"}
    assert names(bella) == {"乙区铁路专用线"}
    assert len(names(olive)) == 3


def test_another_countys_project_is_not_found(projects, bella) -> None:
    assert client_for(bella).get(f"/api/v1/projects/{projects['plant'].pk}").status_code == 404
    response = _json(client_for(bella), "patch", f"/api/v1/projects/{projects['plant'].pk}", {"leader": "x"})
    assert response.status_code == 404


def test_a_project_carries_its_totals_and_five_clarities(projects, olive) -> None:
    body = client_for(olive).get(f"/api/v1/projects/{projects['plant'].pk}?month=2023-03").json()
    assert body["code"] == "2021-450521-26-03-000001" and body["month"] == "2023-03"
    assert set(body["clarities"]) == {"funding", "farmland", "progress", "investment", "approvals"}
    assert body["ytd"] == "0.0000" or float(body["ytd"]) == 0


def test_an_owner_may_not_change_the_county_through_the_api(projects, oscar) -> None:
    plant = projects["plant"]
    response = _json(client_for(oscar), "patch", f"/api/v1/projects/{plant.pk}", {"county": "county-b"})
    assert response.status_code == 403
    plant.refresh_from_db()
    assert plant.county.key == "county-a"


def test_unknown_fields_are_refused_not_ignored(projects, olive) -> None:
    response = _json(client_for(olive), "patch", f"/api/v1/projects/{projects['plant'].pk}",
                     {"version": 99, "is_demo": True})
    assert response.status_code == 422


def test_a_stale_if_match_is_412_and_nothing_is_overwritten(projects, oscar) -> None:
    plant = projects["plant"]
    client = client_for(oscar)
    first = _json(client, "patch", f"/api/v1/projects/{plant.pk}", {"description": "A"},
                  HTTP_IF_MATCH=f'"{plant.version}"')
    assert first.status_code == 200
    second = _json(client, "patch", f"/api/v1/projects/{plant.pk}", {"description": "B"},
                   HTTP_IF_MATCH=f'"{plant.version}"')
    assert second.status_code == 412 and "他人修改" in second.json()["detail"]
    plant.refresh_from_db()
    assert plant.description == "A"


def test_a_county_registers_a_project_in_its_area_only(owners, aaron) -> None:
    body = {"name": "甲县污水处理厂", "domain": "industry", "county": "county-a", "owner": "owner-a",
            "total_investment": "12000", "code": "2022-450521-46-01-000101", "planned_start": "2022-05",
            "funding": {"special_bonds": "8000", "fiscal": "4000"}, "stage": "new_start"}
    response = _json(client_for(aaron), "post", "/api/v1/projects", body)
    assert response.status_code == 201, response.content
    assert response.json()["clarities"]["funding"] is True
    elsewhere = {**body, "name": "乙区项目", "county": "county-b", "code": "2022-450503-46-01-000102"}
    assert _json(client_for(aaron), "post", "/api/v1/projects", elsewhere).status_code == 403
    assert not Project.objects.filter(name="乙区项目").exists()


def test_a_bad_project_code_is_a_400_with_a_chinese_message(owners, olive) -> None:
    body = {"name": "某项目", "domain": "industry", "county": "county-a", "owner": "owner-a",
            "total_investment": "1", "code": "12345"}
    response = _json(client_for(olive), "post", "/api/v1/projects", body)
    assert response.status_code == 400 and "24位" in response.json()["detail"]


def test_stage_moves_through_the_api(projects, olive) -> None:
    plant = projects["plant"]
    ok = _json(client_for(olive), "post", f"/api/v1/projects/{plant.pk}/stage", {"stage": "completed"})
    assert ok.status_code == 200 and ok.json()["stage"] == "completed"
    bad = _json(client_for(olive), "post", f"/api/v1/projects/{plant.pk}/stage", {"stage": "reserve"})
    assert bad.status_code == 400 and "不能从" in bad.json()["detail"]


def test_annual_plans_through_the_api(projects, oscar) -> None:
    plant = projects["plant"]
    response = _json(client_for(oscar), "put", f"/api/v1/projects/{plant.pk}/plans/2023",
                     {"planned_investment": "20000", "progress_target": "主体完工", "category": "continuing"})
    assert response.status_code == 200 and response.json()["version"] == 1


def test_an_unknown_stage_is_a_400_with_a_chinese_message_not_a_server_error(projects, olive) -> None:
    url = f"/api/v1/projects/{projects['plant'].pk}/stage"
    response = _json(client_for(olive), "post", url, {"stage": "未知阶段"})
    assert response.status_code == 400 and "没有这个项目阶段" in response.json()["detail"]
    assert Project.objects.get(pk=projects["plant"].pk).stage == "new_start"
