"""The pipeline's pages: a county proposes, the office screens, milestones are edited, 前期经费 and 统计入库
are recorded, the figures show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from touzi.pipeline.models import Concept, Milestone, PreliminaryFund, Registration
from touzi.plans.models import Domain
from touzi.testing import client_for
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db


def test_the_pages_walk_a_concept_into_the_reserve(aaron, olive, bella, stan, projects) -> None:
    county = client_for(aaron)
    response = county.post(reverse("pipeline-concept-new"), {
        "name": "甲县冷链物流中心", "domain": Domain.objects.get(key="industry").pk,
        "county": Unit.objects.get(key="county-a").pk, "estimated_investment": "60000",
        "planned_start": "2025-03"})
    assert response.status_code == 302, response.content.decode()[:2000]
    concept = Concept.objects.get(name="甲县冷链物流中心")
    assert "甲县冷链物流中心" in county.get(reverse("pipeline-list")).content.decode()
    assert client_for(bella).get(reverse("pipeline-concept", args=[concept.pk])).status_code == 404
    office = client_for(olive)
    page = office.get(reverse("pipeline-concept", args=[concept.pk])).content.decode()
    assert "screen-form" in page
    response = office.post(reverse("pipeline-concept-screen", args=[concept.pk]), {
        "outcome": "accepted", "r_land": "2", "r_funding": "2", "r_studies": "1", "r_approvals": "1",
        "version": concept.version})
    assert response.status_code == 302
    concept.refresh_from_db()
    assert concept.project_id is not None and concept.maturity == 80
    project = concept.project
    assert project is not None
    milestones = county.get(reverse("pipeline-milestones", args=[project.pk])).content.decode()
    assert "核准/备案" in milestones
    first = Milestone.objects.filter(project=project).order_by("order").first()
    assert first is not None
    county.post(reverse("pipeline-milestones", args=[project.pk]), {
        "act": "save", f"actual_on_{first.pk}": "2024-01-05", f"planned_on_{first.pk}": "2024-01-01"})
    first.refresh_from_db()
    assert first.actual_on == dt.date(2024, 1, 5)
    assert "readiness" in office.get(reverse("pipeline-readiness")).content.decode()
    office.post(reverse("pipeline-funds") + "?year=2023", {
        "year": "2023", "county": Unit.objects.get(key="county-a").pk, "allocated": "2100", "spent": "300"})
    assert PreliminaryFund.objects.filter(year=2023, allocated=2100).exists()
    assert "funds-by-county" in county.get(reverse("pipeline-funds") + "?year=2023").content.decode()
    statistics = client_for(stan)
    statistics.post(reverse("pipeline-register-record", args=[projects["plant"].pk]),
                    {"registered_on": "2021-05-10", "register_number": "450500-0001"})
    assert Registration.objects.get(project=projects["plant"]).register_number == "450500-0001"
    assert "registered-by-county" in county.get(reverse("pipeline-register")).content.decode()
    assert "by-county" in office.get(reverse("pipeline-figures") + "?year=2023").content.decode()


def test_funds_are_recorded_by_project_and_summed_by_county(olive, aaron, owners, mini_plan) -> None:
    from decimal import Decimal

    from touzi.core.actor import System
    from touzi.lib.errors import Forbidden
    from touzi.pipeline.figures import funds_by_county
    from touzi.pipeline.services import allocate_fund
    from touzi.testing import new_project

    county = Unit.objects.get(key="county-a")
    project = new_project("甲县前期项目", county="county-a", owner="owner-a", stage="reserve")
    office = client_for(olive)
    response = office.post(reverse("pipeline-funds") + "?year=2023", {
        "year": "2023", "county": county.pk, "project": project.pk, "allocated": "1500", "spent": "200"})
    assert response.status_code == 302
    allocate_fund(year=2023, county=county, allocated=Decimal("700"), actor=System("test"))
    allocate_fund(year=2023, county=county, project=project, allocated=Decimal("1600"), spent=Decimal("300"),
                  actor=olive)  # the same project again corrects its row
    with pytest.raises(Forbidden):
        allocate_fund(year=2023, county=county, allocated=Decimal("1"), actor=aaron)
    [row] = funds_by_county(aaron, 2023)
    assert (row["allocated"], row["spent"], row["projects"]) == (Decimal("2300"), Decimal("300"), 1)
    api = client_for(aaron).get("/api/v1/pipeline/funds?year=2023").json()
    assert float(api[0]["allocated"]) == 2300
