"""Registering and editing projects: validated, scoped, audited, and never registered twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from touzi.audit.models import AuditRecord
from touzi.core.actor import System
from touzi.lib.errors import BusinessError, Conflict, Forbidden
from touzi.plans.models import Collection
from touzi.projects.choices import Stage
from touzi.projects.models import AnnualPlan, Membership, Project
from touzi.projects.services import ProjectInput, move_stage, roll_plan, set_annual_plan, update_project
from touzi.testing import new_project
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db


def test_a_project_code_must_have_the_national_format(owners) -> None:
    with pytest.raises(BusinessError) as caught:
        new_project("某项目", county="county-a", owner="owner-a", code="2021-450521-26-03-12345")
    assert "24位" in caught.value.message
    assert not Project.objects.exists()


def test_a_reserve_project_may_lack_a_code(owners) -> None:
    project = new_project("储备项目", county="county-a", owner="owner-a", stage="reserve")
    assert project.code is None and project.stage == Stage.RESERVE


def test_the_same_project_cannot_be_registered_twice_under_another_code_or_county(projects) -> None:
    with pytest.raises(BusinessError) as caught:
        new_project("甲公司 新材料工厂", county="county-b", owner="owner-a", code="2021-450503-26-03-000009")
    assert "疑似重复登记" in caught.value.message


def test_two_projects_cannot_share_a_code(projects) -> None:
    with pytest.raises(BusinessError, match="已被其他项目使用"):
        new_project("另一个项目", county="county-a", owner="owner-b", code="2021-450521-26-03-000001")


def test_an_unknown_industry_division_is_refused(owners) -> None:
    with pytest.raises(BusinessError, match="GB/T 4754"):
        new_project("某项目", county="county-a", owner="owner-a", industry="99")


def test_creating_a_project_is_audited_under_its_history(projects) -> None:
    plant = projects["plant"]
    created = AuditRecord.objects.get(event="create", object_type="projects.project", object_id=str(plant.pk))
    assert created.subject == f"project:{plant.pk}" and created.after["total_investment"] == "50000"


def test_an_owner_may_not_move_its_project_to_another_county(projects, oscar) -> None:
    plant = projects["plant"]
    with pytest.raises(Forbidden, match="县区"):
        update_project(plant, ProjectInput(values={"county": Unit.objects.get(key="county-b")}), actor=oscar)
    plant.refresh_from_db()
    assert plant.county.key == "county-a"


def test_an_owner_edits_what_it_may_and_the_change_is_audited(projects, oscar) -> None:
    plant = projects["plant"]
    update_project(plant, ProjectInput(values={"description": "年产10万吨"}), actor=oscar,
                   expected_version=plant.version)
    change = AuditRecord.objects.filter(event="update", object_id=str(plant.pk), object_type="projects.project").get()
    assert change.before == {"description": ""} and change.after == {"description": "年产10万吨"}


def test_another_owner_may_not_edit_the_project(projects, otto) -> None:
    with pytest.raises(Forbidden):
        update_project(projects["plant"], ProjectInput(values={"description": "x"}), actor=otto)


def test_a_stale_version_is_a_conflict_and_nothing_is_overwritten(projects, oscar) -> None:
    plant = projects["plant"]
    stale = plant.version
    update_project(plant, ProjectInput(values={"description": "first"}), actor=oscar, expected_version=stale)
    with pytest.raises(Conflict):
        update_project(plant, ProjectInput(values={"description": "second"}), actor=oscar,
                       expected_version=stale)
    plant.refresh_from_db()
    assert plant.description == "first"


def test_stages_move_only_along_allowed_paths(owners, olive) -> None:
    project = new_project("储备项目", county="county-a", owner="owner-a", stage="reserve",
                          code="2021-450521-26-03-000011")
    with pytest.raises(BusinessError, match="不能从「储备」变为「竣工」"):
        move_stage(project, Stage.COMPLETED, actor=olive)
    project = move_stage(project, Stage.NEW_START, actor=olive, on_date=dt.date(2022, 4, 8))
    assert project.stage == Stage.NEW_START and project.actual_start == dt.date(2022, 4, 8)
    project = move_stage(project, Stage.COMPLETED, actor=olive, on_date=dt.date(2023, 6, 1))
    assert project.actual_completion == dt.date(2023, 6, 1)
    with pytest.raises(BusinessError):
        move_stage(project, Stage.CANCELLED, actor=olive)


def test_a_project_without_a_code_cannot_start(owners, olive) -> None:
    project = new_project("无代码项目", county="county-a", owner="owner-a", stage="reserve")
    with pytest.raises(BusinessError, match="项目代码"):
        move_stage(project, Stage.NEW_START, actor=olive)


def test_rolling_the_plan_continues_unfinished_projects_and_starts_planned_ones(projects, olive) -> None:
    major = Collection.objects.get(key="major-list")
    plant = projects["plant"]
    Project.objects.filter(pk=plant.pk).update(actual_start=dt.date(2021, 3, 1), stage=Stage.NEW_START)
    set_annual_plan(plant, 2021, {"planned_investment": Decimal("20000")}, actor=olive)
    Membership.objects.create(project=plant, collection=major, year=2021)
    reserve = new_project("明年开工项目", county="county-a", owner="owner-a", stage="reserve",
                          planned_start=dt.date(2022, 5, 1), code="2022-450521-26-03-000021")
    finished = projects["park"]
    Project.objects.filter(pk=finished.pk).update(stage=Stage.COMPLETED)

    summary = roll_plan(2022, actor=olive)
    assert (summary.continuing, summary.new_starts) == (2, 1)  # the plant and the railway continue
    plant.refresh_from_db()
    assert plant.stage == Stage.CONTINUING
    assert AnnualPlan.objects.get(project=plant, year=2022).category == Stage.CONTINUING
    assert AnnualPlan.objects.get(project=reserve, year=2022).category == Stage.NEW_START
    assert not AnnualPlan.objects.filter(project=finished, year=2022).exists()
    assert Membership.objects.filter(project=plant, collection=major, year=2022).exists()
    records = AuditRecord.objects.count()

    again = roll_plan(2022, actor=olive)
    assert (again.continuing, again.new_starts) == (0, 0)
    assert AuditRecord.objects.count() == records


def test_projects_below_the_statistics_floor_are_not_registered(owners) -> None:
    with pytest.raises(BusinessError, match="500 万元及以上"):
        new_project("小项目", county="county-a", owner="owner-a", total="499.99", code="2021-450521-26-03-000031")


@pytest.mark.parametrize("funding", [{"self_raised": Decimal("1e20")}, {"self_raised": Decimal("-1")},
                                     {"self_raised": Decimal("1.23456")}, {"no-such-source": Decimal("1")}])
def test_a_funding_line_that_does_not_fit_is_refused_with_a_message_not_a_database_error(projects, funding) -> None:
    plant = projects["plant"]
    with pytest.raises(BusinessError) as refused:
        update_project(plant, ProjectInput(values={}, funding=funding), actor=System("test"))
    assert refused.value.field == "funding"
    assert not plant.funding.exists()
