"""The read API for plans, targets, tasks, groups, domains, collections and units: scoped like the UI."""

from __future__ import annotations

import pytest

from touzi.accounts.services import issue_token, revoke_token
from touzi.testing import client_for

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/plans", "/api/v1/plans/mini", "/api/v1/plans/mini/targets", "/api/v1/plans/mini/tasks",
    "/api/v1/plans/mini/groups", "/api/v1/domains", "/api/v1/collections", "/api/v1/units",
    "/api/v1/units/county-a", "/api/v1/me",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_endpoint_refuses_anonymous_callers(url, mini_plan) -> None:
    assert client_for(None).get(url).status_code == 401


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_endpoint_answers_the_plan_office(url, olive) -> None:
    assert client_for(olive).get(url).status_code == 200


def _keys(response) -> set[str]:
    return {item["key"] for item in response.json()}


def test_targets_carry_the_plan_files_fields(olive) -> None:
    targets = {t["key"]: t for t in client_for(olive).get("/api/v1/plans/mini/targets").json()}
    railway = targets["railway-total"]
    assert railway == {
        "key": "railway-total", "area": "domain", "name": "铁路投资累计", "name_en": "", "task": "2",
        "scope": {"kind": "domain", "key": "railway"}, "metric": "investment", "period": "2021-2023",
        "comparator": ">=", "value": "230", "unit": "亿元", "measure": {"source": "ledger", "domain": "railway"},
        "quote": "铁路230亿元", "lead_units": ["drc"], "cooperating_units": ["county-b"],
    }
    assert targets["county-a-funds"]["period"] == "each 2021-2023"
    assert targets["county-a-funds"]["scope"] == {"kind": "county", "key": "county-a"}


def test_a_county_gets_only_its_targets_through_the_api(aaron, bella) -> None:
    assert "railway-total" not in _keys(client_for(aaron).get("/api/v1/plans/mini/targets"))
    assert "county-a-funds" not in _keys(client_for(bella).get("/api/v1/plans/mini/targets"))
    assert "county-a-funds" in _keys(client_for(aaron).get("/api/v1/plans/mini/targets"))


def test_a_plan_outside_the_callers_scope_is_not_found(aaron, beihai_plan) -> None:
    assert client_for(aaron).get("/api/v1/plans/beihai-2021-2023").status_code == 404
    assert client_for(aaron).get("/api/v1/plans/beihai-2021-2023/targets").status_code == 404


def test_the_administrators_get_no_plan_data(ada) -> None:
    assert client_for(ada).get("/api/v1/plans").json() == []
    assert client_for(ada).get("/api/v1/plans/mini/targets").status_code == 404


def test_a_bearer_token_acts_as_its_user(aaron) -> None:
    _token, raw = issue_token(aaron, "报表系统", actor=aaron)
    client = client_for(None)
    response = client.get("/api/v1/plans/mini/targets", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert "railway-total" not in _keys(response)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"] == "aaron"


def test_a_revoked_or_wrong_token_is_refused(aaron) -> None:
    token, raw = issue_token(aaron, "报表系统", actor=aaron)
    revoke_token(token, actor=aaron)
    client = client_for(None)
    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION="Bearer tz_not-a-token").status_code == 401


def test_a_disabled_users_token_is_refused(aaron) -> None:
    _token, raw = issue_token(aaron, "报表系统", actor=aaron)
    aaron.is_active = False
    aaron.save()
    assert client_for(None).get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_the_openapi_schema_and_docs_are_served_without_a_cdn(olive) -> None:
    client = client_for(olive)
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/plans/{key}/targets" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower() and "/static/" in docs


def test_the_token_secret_is_stored_only_as_a_hash(aaron) -> None:
    token, raw = issue_token(aaron, "x", actor=aaron)
    assert raw not in (token.key_hash, token.key_prefix) and len(token.key_hash) == 64


def test_every_response_schema_has_its_own_name_in_the_openapi_document(olive) -> None:
    """Two routers' `TaskOut` once shared one component: plan tasks were documented as supervision tasks."""
    schema = client_for(olive).get("/api/v1/openapi.json").json()
    ref = schema["paths"]["/api/v1/plans/{key}/tasks"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"]["items"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(component["required"]) >= {"key", "number", "title"} and "id" not in component["required"]
    from ninja import Schema

    from touzi.api import api

    names: dict[str, set[str]] = {}
    for router in {r for _, r in api._routers}:
        for operation in (op for view in router.path_operations.values() for op in view.operations):
            for model in operation.response_models.values():
                field = getattr(model, "model_fields", {}).get("response")
                annotation = field.annotation if field else None
                for candidate in (annotation, *getattr(annotation, "__args__", ())):
                    if isinstance(candidate, type) and issubclass(candidate, Schema):
                        names.setdefault(candidate.__name__, set()).add(candidate.__module__)
    assert names and all(len(modules) == 1 for modules in names.values()), names
