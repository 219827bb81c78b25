"""Project pages: scoped lists with totals in a constant number of queries, forms that respect each role."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from touzi.projects.models import AnnualPlan, Project
from touzi.testing import client_for, new_project

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_user_their_own_projects(projects, oscar, bella, olive) -> None:
    def rows(user) -> str:
        return client_for(user).get(reverse("project-list")).content.decode()

    assert "甲公司新材料工厂" in rows(oscar) and "乙区铁路专用线" not in rows(oscar)
    assert "乙区铁路专用线" in rows(bella) and "甲公司新材料工厂" not in rows(bella)
    assert all(name in rows(olive) for name in ("甲公司新材料工厂", "乙区铁路专用线"))


def test_the_list_costs_the_same_queries_for_three_projects_or_thirty(projects, olive) -> None:
    client = client_for(olive)
    client.get(reverse("project-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("project-list"))
    for i in range(27):
        new_project(f"项目{i}", county="county-a", owner="owner-b", code=f"2022-450521-26-03-{i:06d}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("project-list"))
    assert len(many) == len(few)


def test_the_filters_keep_what_was_chosen_and_escape_the_names(projects, olive) -> None:
    from touzi.units.models import Unit

    Unit.objects.filter(key="county-b").update(short_name="乙区<b>")
    html = client_for(olive).get(reverse("project-list"), {"county": "county-a", "stage": "new_start",
                                                            "domain": "industry"}).content.decode()
    assert '<option value="county-a" selected>' in html and '<option value="county-b">乙区&lt;b&gt;</option>' in html
    assert '<option value="new_start" selected>' in html and '<option value="industry" selected>' in html
    assert html.count(" selected>") == 3


def test_pages_of_another_countys_project_are_not_found(projects, bella) -> None:
    plant = projects["plant"]
    for name in ("project-detail", "project-edit", "project-history"):
        assert client_for(bella).get(reverse(name, args=[plant.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(projects) -> None:
    response = client_for(None).get(reverse("project-detail", args=[projects["plant"].pk]))
    assert response.status_code == 302


def test_the_office_registers_a_project_through_the_form(owners, olive, mini_plan) -> None:
    from touzi.plans.models import Domain
    from touzi.units.models import Unit

    data = {"code": "2022-450521-26-03-000777", "name": "表单登记项目", "domain": Domain.objects.get(key="industry").pk,
            "county": Unit.objects.get(key="county-a").pk, "owner": Unit.objects.get(key="owner-a").pk,
            "total_investment": "5000", "planned_start": "2022-06", "collections": ["major-list:2022"],
            "funding_self_raised": "5000", "deadline_project": "2022-03-31"}
    response = client_for(olive).post(reverse("project-create"), data)
    project = Project.objects.get(name="表单登记项目")
    assert response.status_code == 302 and project.planned_start == dt.date(2022, 6, 1)
    assert project.memberships.get().year == 2022 and project.funding.get().amount == Decimal("5000")


def test_the_owners_form_keeps_the_county_out_of_reach(projects, oscar) -> None:
    plant = projects["plant"]
    html = client_for(oscar).get(reverse("project-edit", args=[plant.pk])).content.decode()
    assert 'name="county"' in html and "disabled" in html.split('name="county"')[1].split(">")[0]


def test_a_stale_form_is_refused_with_a_conflict_message(projects, oscar, olive) -> None:
    from touzi.projects.forms import initial_for

    plant = projects["plant"]
    form_data = {k: v for k, v in initial_for(plant).items() if v not in (None, "")}
    form_data.update({"domain": plant.domain_id, "county": plant.county_id, "owner": plant.owner_id,
                      "lead_unit": plant.lead_unit_id, "planned_start": "2021-03", "planned_completion": "2023-12",
                      "description": "owner's edit"})
    client_for(olive).post(reverse("project-edit", args=[plant.pk]), {**form_data, "description": "office edit"})
    response = client_for(oscar).post(reverse("project-edit", args=[plant.pk]), form_data)
    assert response.status_code == 409 and "他人修改" in response.content.decode()
    plant.refresh_from_db()
    assert plant.description == "office edit"


def test_the_history_page_lists_changes_to_the_project_and_its_reports(projects, oscar) -> None:
    from touzi.reports.services import report_month

    report_month(projects["plant"], dt.date(2023, 3, 1), Decimal("10"), actor=oscar)
    html = client_for(oscar).get(reverse("project-history", args=[projects["plant"].pk])).content.decode()
    assert "2023年3月" in html and "oscar" in html  # the report named by its month, as people write it


def test_the_history_page_finds_the_import_batch_that_wrote_its_reports_and_shows_only_its_keys(projects, oscar,
                                                                                               olive) -> None:
    from django.db import transaction

    from touzi.reports.bulk import Submission, submit_many

    plant, park, rail = projects["plant"], projects["park"], projects["rail"]
    with transaction.atomic():
        submit_many([Submission(p.pk, dt.date(2023, 3, 1), Decimal("5")) for p in (park, plant, rail)],
                    actor=olive, message="导入月报 march.xlsx")
    html = client_for(oscar).get(reverse("project-history", args=[plant.pk])).content.decode()
    assert "导入月报 march.xlsx" in html and f"{plant.pk}:2023-03" in html
    assert f"{park.pk}:2023-03" not in html and f"{rail.pk}:2023-03" not in html  # other projects' keys
    # Each project's page finds the same batch and shows its own key.
    other = client_for(olive).get(reverse("project-history", args=[rail.pk])).content.decode()
    assert f"{rail.pk}:2023-03" in other and f"{plant.pk}:2023-03" not in other


def test_the_roll_command(projects) -> None:
    out = io.StringIO()
    call_command("plan", "roll", "2022", stdout=out)
    assert "2022年滚动计划" in out.getvalue()
    assert AnnualPlan.objects.filter(year=2022).count() == 3


@pytest.fixture
def list_cache_on(settings):
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_the_list_is_built_once_and_shows_a_committed_change_at_once(list_cache_on, projects, olive, oscar) -> None:
    from touzi.projects.services import ProjectInput, update_project

    client = client_for(olive)
    with CaptureQueriesContext(connection) as first:
        assert "甲公司新材料工厂" in client.get(reverse("project-list")).content.decode()
    with CaptureQueriesContext(connection) as second:
        again = client.get(reverse("project-list")).content.decode()
    assert "甲公司新材料工厂" in again and len(second) < len(first) - 2, (len(first), len(second))
    update_project(projects["plant"], ProjectInput(values={"name": "甲公司新材料工厂二期"}), actor=oscar)
    assert "甲公司新材料工厂二期" in client.get(reverse("project-list")).content.decode()


def test_the_cached_list_keeps_each_scope_and_each_query_apart(list_cache_on, projects, oscar, bella, olive) -> None:
    def rows(user, **query) -> str:
        return client_for(user).get(reverse("project-list"), query).content.decode()

    assert all(name in rows(olive) for name in ("甲公司新材料工厂", "乙区铁路专用线"))
    assert "甲公司新材料工厂" in rows(oscar) and "乙区铁路专用线" not in rows(oscar)
    assert "乙区铁路专用线" in rows(bella) and "甲公司新材料工厂" not in rows(bella)
    assert "乙区铁路专用线" not in rows(olive, county="county-a") and "乙区铁路专用线" in rows(olive)
    # The page around the table is the user's own: their name and sign-out form, not the first visitor's.
    assert "oscar" in rows(oscar) and "oscar" not in rows(bella)
