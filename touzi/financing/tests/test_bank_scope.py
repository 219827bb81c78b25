"""A bank (金融机构) sees the financing needs and its own steps only — tried over every page and every API
operation of the product, on the permission matrix's world (touzi/core/tests/test_endpoint_permissions.py).

County A's project (its name is MARK) publishes a need; 乙银行 took a step on it with a note (FIN_SECRET); the
project's arrived funds and its special-bond batch carry FIN_SECRET too. Bruno of 甲银行 may read MARK only
where the need is shown (the needs board, a need, the needs API); FIN_SECRET never; whatever he posts to a page
or an operation other than his own steps changes nothing; `GET /api/v1/reports` lists nothing for his token.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from touzi.audit.models import AuditRecord
from touzi.core.tests.test_endpoint_permissions import (  # noqa: F401 - the fixtures are used by name
    API,
    FIN_SECRET,
    MARK,
    PAGES,
    _api_call,
    _body,
    _call,
    _state,
    _token_client,
    _url,
    people,
    world,
)
from touzi.financing.models import FinancingNeed, FundsArrival, NeedStep
from touzi.testing import client_for

pytestmark = pytest.mark.django_db

NEED_PAGES = {"financing-needs", "financing-need", "financing-need-step"}
NEED_API = {("get", "/api/v1/financing/needs"), ("get", "/api/v1/financing/needs/{pk}"),
            ("get", "/api/v1/financing/needs/{pk}/steps"), ("post", "/api/v1/financing/needs/{pk}/steps")}
# The project-side money: a bank gets 403 or 404 on each of these.
REFUSED_PAGES = {"financing-project", "financing-arrival-new", "financing-secured", "financing-arrivals",
                 "financing-arrival-review", "financing-bonds", "financing-ppp", "financing-fiscal",
                 "project-detail", "report-detail", "financing-need-new", "financing-need-close"}


def _financing_state() -> tuple:
    return (tuple(FinancingNeed.objects.order_by("pk").values_list("status", "version")),
            tuple(FundsArrival.objects.order_by("pk").values_list("status", "version")),
            NeedStep.objects.count())


def test_a_bank_sees_needs_and_its_own_steps_on_every_page(world, people) -> None:  # noqa: F811
    banker = people["banker"]
    client = client_for(banker)
    assert reverse("financing-needs") in client.get(reverse("home")).content.decode()  # his menu: the needs board
    assert client.get(reverse("financing-home")).status_code == 302
    wrong = {}
    for name, page in PAGES.items():
        if page.anonymous == "public" or name in ("logout", "otp-disable", "token-create", "token-revoke"):
            continue
        before = (_state(), _financing_state())
        response = _call(client, page, _url(name, page, world))
        body = _body(response) if not response.get("Content-Type", "").startswith("application/vnd") else ""
        leaked = FIN_SECRET in body or (MARK in body and name not in NEED_PAGES)
        changed = (_state(), _financing_state()) != before and name != "financing-need-step"
        refused = name not in REFUSED_PAGES or response.status_code in (403, 404)
        if leaked or changed or not refused or response.status_code >= 500:
            wrong[name] = (response.status_code, "leaked" if leaked else "", "changed" if changed else "")
    assert not wrong, wrong
    # the only change he made anywhere: his own step on the need
    changes = AuditRecord.objects.filter(actor=banker, object_type__startswith="financing.")
    assert set(changes.values_list("object_type", flat=True)) <= {"financing.needstep"}


def test_a_bank_token_sees_needs_and_its_own_steps_on_every_operation(world, people) -> None:  # noqa: F811
    client = _token_client(people["banker"])
    assert client.get("/api/v1/reports").json() == []
    assert MARK not in client.get("/api/v1/projects").content.decode()
    needs = client.get("/api/v1/financing/needs").json()
    assert {n["id"] for n in needs} == {world["need"], world["need2"]}
    assert client.get(f"/api/v1/financing/needs/{world['need']}/steps").json() == []  # 乙银行's step is not his
    step = client.post(f"/api/v1/financing/needs/{world['need2']}/steps", data=json.dumps({"kind": "interest"}),
                       content_type="application/json")
    assert step.status_code == 201 and step.json()["bank"] == "bank-a"
    assert [s["kind"] for s in client.get(f"/api/v1/financing/needs/{world['need2']}/steps").json()] == ["interest"]
    owner = _token_client(people["aaron"]).get(f"/api/v1/financing/needs/{world['need']}/steps").json()
    assert [s["bank"] for s in owner] == ["bank-b"]  # the project's side sees every bank's steps
    wrong = {}
    for (method, path), op in API.items():
        before = (_state(), _financing_state())
        response = _api_call(client, method, path, op, world)
        body = response.content.decode()
        leaked = FIN_SECRET in body or (MARK in body and (method, path) not in NEED_API)
        changed = (_state(), _financing_state()) != before and (method, path) not in NEED_API
        if leaked or changed or response.status_code >= 500:
            wrong[f"{method} {path}"] = (response.status_code, "leaked" if leaked else "",
                                         "changed" if changed else "", body[:120])
    assert not wrong, wrong
