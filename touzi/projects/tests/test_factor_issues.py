"""要素保障: whoever keeps a project raises a problem; the unit that owes the fix (or the office) closes it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from touzi.lib.errors import BusinessError, Forbidden
from touzi.projects.models import FactorIssue
from touzi.projects.services import raise_factor_issue, resolve_factor_issue
from touzi.testing import client_for
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db


def test_the_owner_raises_and_the_unit_that_owes_it_resolves(projects, oscar, ian) -> None:
    industry = Unit.objects.get(key="industry")
    issue = raise_factor_issue(projects["plant"], "energy", "能耗指标未下达", owed_by=industry, due=None,
                               actor=oscar)
    with pytest.raises(Forbidden):
        resolve_factor_issue(issue, "已下达", actor=oscar)
    with pytest.raises(BusinessError):
        resolve_factor_issue(issue, " ", actor=ian)
    resolve_factor_issue(issue, "已下达能耗指标", actor=ian)
    issue.refresh_from_db()
    assert issue.resolved_at is not None


def test_another_owner_cannot_raise_on_the_project(projects, otto) -> None:
    with pytest.raises(Forbidden):
        raise_factor_issue(projects["plant"], "land", "x", owed_by=Unit.objects.get(key="drc"), due=None,
                           actor=otto)


def test_through_the_project_page(projects, oscar, olive) -> None:
    plant = projects["plant"]
    drc = Unit.objects.get(key="drc")
    client_for(oscar).post(reverse("factor-raise", args=[plant.pk]),
                           {"kind": "land", "description": "用地报批未完成", "owed_by": drc.pk})
    issue = FactorIssue.objects.get()
    assert "用地报批未完成" in client_for(oscar).get(reverse("project-detail", args=[plant.pk])).content.decode()
    client_for(olive).post(reverse("factor-resolve", args=[issue.pk]), {"resolution": "已协调"})
    issue.refresh_from_db()
    assert issue.resolution == "已协调"
