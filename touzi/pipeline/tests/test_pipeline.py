"""The pipeline: maturity score, screening into the reserve, milestones and their warnings, the roll using
milestones, county indicator targets, the 统计入库 warning and the CLI contract."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from touzi.core.actor import System
from touzi.core.scoping import Action, can, scope
from touzi.indicators.services import enter_value
from touzi.lib.errors import BusinessError, Forbidden
from touzi.monitoring.alerts import alerts
from touzi.monitoring.attainment import target_figures
from touzi.monitoring.choices import WarningKind
from touzi.pipeline.choices import ConceptStatus, Readiness
from touzi.pipeline.figures import concepts_by, summary
from touzi.pipeline.models import Concept, Milestone
from touzi.pipeline.readiness import status_of, with_readiness
from touzi.pipeline.rules import Criterion, maturity_score, suggestion
from touzi.pipeline.services import lay_out_milestones, propose_concept, record_registration, screen_concept
from touzi.plans.models import Domain, Indicator, Target, UnitGroup
from touzi.projects.models import AnnualPlan, Project
from touzi.projects.services import roll_plan
from touzi.testing import new_project
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
SYSTEM = System("test")


def _concept(actor, name="甲县滨海物流园", investment="80000", **extra):
    values = dict(name=name, domain=Domain.objects.get(key="industry"), county=Unit.objects.get(key="county-a"),
                  estimated_investment=Decimal(investment), proposer=Unit.objects.get(key="county-a"),
                  proposed_on=dt.date(2023, 3, 1), planned_start=dt.date(2024, 6, 1), actor=actor)
    return propose_concept(**{**values, **extra})


def test_the_maturity_score_weighs_the_criteria_of_the_data_file() -> None:
    assert maturity_score({}) == Decimal("0.00")
    assert maturity_score({"land": 2, "funding": 2, "studies": 2, "approvals": 2}) == Decimal("100.00")
    # land done (30), funding half (30 × ½), nothing else: (60 + 30) / 200 = 45
    assert maturity_score({"land": 2, "funding": 1}) == Decimal("45.00")
    assert suggestion(Decimal("45")) == ConceptStatus.WATCH
    assert suggestion(Decimal("60")) == ConceptStatus.ACCEPTED
    assert suggestion(Decimal("10")) == ConceptStatus.RETURNED
    own = (Criterion("a", "甲", "", 1), Criterion("b", "乙", "", 3))
    assert maturity_score({"b": 2}, own) == Decimal("75.00")


def test_a_county_proposes_and_the_office_accepts_into_the_reserve_in_one_step(aaron, bella, olive) -> None:
    concept = _concept(aaron)
    assert concept.code.startswith("MH2023-450521-")
    assert list(scope(bella, Concept.objects.all())) == []
    with pytest.raises(Forbidden):
        screen_concept(concept, ConceptStatus.ACCEPTED, ratings={"land": 2}, actor=aaron)
    with pytest.raises(Forbidden):
        propose_concept(name="乙区项目", domain=Domain.objects.get(key="industry"),
                        county=Unit.objects.get(key="county-b"), estimated_investment=Decimal("9000"),
                        proposer=Unit.objects.get(key="county-b"), actor=aaron)
    with pytest.raises(BusinessError):
        screen_concept(concept, ConceptStatus.ACCEPTED, ratings={"land": 5}, actor=olive)
    done = screen_concept(concept, ConceptStatus.ACCEPTED, actor=olive,
                          ratings={"land": 2, "funding": 2, "studies": 1, "approvals": 0})
    assert done.status == ConceptStatus.ACCEPTED and done.maturity == Decimal("72.50")
    project = Project.objects.get(pk=done.project_id)
    assert (project.stage, project.total_investment, project.county.key) == ("reserve", Decimal("80000"), "county-a")
    assert project.milestones.count() == 6  # an enterprise project's list
    first = project.milestones.order_by("order").first()
    assert first is not None and first.planned_on == dt.date(2023, 9, 1)  # nine months before the planned start
    assert can(aaron, project, Action.CHANGE)
    with pytest.raises(BusinessError):  # screened once
        screen_concept(done, ConceptStatus.RETURNED, ratings={}, note="重复", actor=olive)


def test_returning_a_concept_needs_a_reason_and_makes_no_project(aaron, olive) -> None:
    concept = _concept(aaron)
    with pytest.raises(BusinessError):
        screen_concept(concept, ConceptStatus.RETURNED, ratings={}, actor=olive)
    returned = screen_concept(concept, ConceptStatus.RETURNED, ratings={"land": 0}, note="与已有项目重复",
                              actor=olive)
    assert returned.project_id is None and returned.status == ConceptStatus.RETURNED
    watch = screen_concept(_concept(aaron, name="观察项目"), ConceptStatus.WATCH, ratings={"land": 1}, actor=olive)
    assert watch.status == ConceptStatus.WATCH


def _reserve(name: str, start: dt.date, **values) -> Project:
    project = new_project(name, county="county-a", owner="owner-a", stage="reserve", planned_start=start,
                          planned_completion=dt.date(2026, 12, 1), **values)
    lay_out_milestones(project, actor=SYSTEM)
    return project


def test_late_milestones_warn_and_readiness_shows_at_a_glance(olive, owners, mini_plan) -> None:
    project = _reserve("甲县前期项目", dt.date(2024, 6, 1))
    milestones = list(project.milestones.order_by("order"))
    assert milestones[0].planned_on == dt.date(2023, 9, 1)
    found = [a for a in alerts(olive, mini_plan, dt.date(2023, 10, 1), today=dt.date(2023, 10, 15))
             if a.kind == WarningKind.PRELIM_LATE]
    assert len(found) == 1 and found[0].project_id == project.pk and found[0].level == "yellow"
    assert "核准/备案" in found[0].reason
    assert found[0].unit_id == Unit.objects.get(key="drc").pk  # the responsible unit of the milestone
    red = [a for a in alerts(olive, mini_plan, dt.date(2024, 1, 1), today=dt.date(2024, 1, 15))
           if a.kind == WarningKind.PRELIM_LATE]
    assert red[0].level == "red"
    Milestone.objects.filter(project=project, planned_on__lte=dt.date(2023, 10, 31)).update(
        actual_on=dt.date(2023, 9, 20))
    assert not [a for a in alerts(olive, mini_plan, dt.date(2023, 10, 1), today=dt.date(2023, 10, 15))
                if a.kind == WarningKind.PRELIM_LATE]
    row = with_readiness(Project.objects.filter(pk=project.pk), dt.date(2024, 1, 15)).get()
    assert status_of(row.ms_total, row.ms_done, row.ms_late, row.ms_beyond) == Readiness.LATE
    Milestone.objects.filter(project=project).update(actual_on=dt.date(2024, 1, 10))
    row = with_readiness(Project.objects.filter(pk=project.pk), dt.date(2024, 1, 15)).get()
    assert status_of(row.ms_total, row.ms_done, row.ms_late, row.ms_beyond) == Readiness.READY


def test_the_roll_proposes_as_new_starts_only_projects_whose_milestones_allow_it(owners, mini_plan) -> None:
    ready = _reserve("就绪项目", dt.date(2024, 5, 1))
    blocked = _reserve("未就绪项目", dt.date(2024, 5, 1))
    bare = new_project("无节点项目", county="county-a", owner="owner-a", stage="reserve",
                       planned_start=dt.date(2024, 3, 1), planned_completion=dt.date(2025, 12, 1))
    # The blocked one's 施工图 is planned after its planned start; the ready one's are all on time.
    Milestone.objects.filter(project=blocked, key="drawings").update(planned_on=dt.date(2024, 9, 1))
    assert summary(SYSTEM, 2024)["ready_to_start"] == 2
    rolled = roll_plan(2024, actor=SYSTEM, plan=mini_plan)
    assert rolled.new_starts == 2 and rolled.held_back == 1
    starting = set(AnnualPlan.objects.filter(year=2024, category="new_start").values_list("project_id", flat=True))
    assert starting == {ready.pk, bare.pk}
    Milestone.objects.filter(project=blocked, key="drawings").update(actual_on=dt.date(2023, 12, 1))
    assert roll_plan(2024, actor=SYSTEM, plan=mini_plan).new_starts == 1


def test_a_county_target_attains_per_county(mini_plan, olive) -> None:
    finance = Unit.objects.get(key="drc")
    indicator = Indicator.objects.create(plan=mini_plan, key="prelim-county", name="县区前期经费", unit_of_measure="万元",
                                         reported_by=finance, frequency="annual")
    target = Target.objects.create(
        plan=mini_plan, key="prelim-county", area="financing", name="县区每年前期经费", scope_kind="county",
        scope_group=UnitGroup.objects.get(plan=mini_plan, key="counties"), metric="amount", period_kind="each",
        period_start=2021, period_end=2023, comparator=">=", value=Decimal("2000"), unit_of_measure="万元",
        measure_source="indicator", indicator=indicator, quote="县(区)每年安排2000万元以上")
    a, b = Unit.objects.get(key="county-a"), Unit.objects.get(key="county-b")
    enter_value(indicator, dt.date(2022, 12, 1), Decimal("2500"), source="财政", county=a, actor=olive)
    enter_value(indicator, dt.date(2022, 12, 1), Decimal("1500"), source="财政", county=b, actor=olive)
    enter_value(indicator, dt.date(2022, 12, 1), Decimal("4000"), source="财政", actor=olive)  # the whole city
    [figure] = target_figures(mini_plan, dt.date(2022, 12, 1), [target])
    assert figure.value == Decimal("1500")  # the weakest county decides
    assert figure.status == "missed"
    met = {c["county"]: c["met"] for c in figure.detail["counties"]}
    assert met == {a.pk: True, b.pk: False}
    enter_value(indicator, dt.date(2022, 12, 1), Decimal("2100"), source="财政", county=b, actor=olive)
    [figure] = target_figures(mini_plan, dt.date(2022, 12, 1), [target])
    assert figure.value == Decimal("2100") and figure.status == "met"
    one = Target.objects.create(
        plan=mini_plan, key="prelim-a", area="financing", name="甲县前期经费", scope_kind="county", scope_unit=a,
        metric="amount", period_kind="each", period_start=2021, period_end=2023, comparator=">=",
        value=Decimal("2000"), unit_of_measure="万元", measure_source="indicator", indicator=indicator, quote="甲县")
    [figure] = target_figures(mini_plan, dt.date(2022, 12, 1), [one])
    assert figure.value == Decimal("2500")


def test_a_started_project_not_registered_is_warned_until_it_is(projects, olive, stan, aaron, mini_plan) -> None:
    plant = projects["plant"]  # started 2021-03

    def warned(month: dt.date) -> set[int]:
        return {a.project_id for a in alerts(olive, mini_plan, month, today=month)
                if a.kind == WarningKind.NOT_REGISTERED}

    assert plant.pk not in warned(dt.date(2021, 5, 1))  # two months: not yet
    assert plant.pk in warned(dt.date(2021, 6, 1))  # three full months after March
    with pytest.raises(Forbidden):
        record_registration(plant, registered_on=dt.date(2021, 6, 10), register_number="X1", actor=aaron)
    with pytest.raises(BusinessError):
        record_registration(plant, registered_on=dt.date(2021, 6, 10), actor=stan)
    record_registration(plant, registered_on=dt.date(2021, 6, 10), register_number="450500-2021-0001", actor=stan)
    assert plant.pk not in warned(dt.date(2021, 6, 1))


def test_the_pipeline_command_prints_the_json_contract(aaron, olive, owners) -> None:
    accepted = _concept(aaron)
    _concept(aaron, name="第二个")
    _concept(aaron, name="上年的", proposed_on=dt.date(2022, 5, 1))
    screen_concept(accepted, ConceptStatus.ACCEPTED, ratings={"land": 2}, actor=olive)
    out = StringIO()
    call_command("pipeline", "--year", "2023", "--format", "json", stdout=out)
    found = json.loads(out.getvalue())
    assert set(found) == {"concepts", "accepted", "reserve_investment", "ready_to_start"}
    assert found["concepts"] == 2 and found["accepted"] == 1
    assert found["reserve_investment"] == 8.0  # 80000 万元
    assert found["ready_to_start"] == 0
    assert concepts_by(olive, 2023, "county") == [{"name": "甲县", "proposed": 2, "accepted": 1,
                                                  "investment": Decimal("16.0000"),
                                                  "accepted_investment": Decimal("8.0000")}]
