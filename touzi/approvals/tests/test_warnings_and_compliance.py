"""Each warning and each procedure rule on hand-made cases, and the two commands' JSON."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from touzi.approvals.compliance import violations
from touzi.approvals.models import Approval
from touzi.approvals.services import decide, grant_exemption, verify_commitment
from touzi.approvals.tests.conftest import accepted
from touzi.core.actor import System
from touzi.monitoring.alerts import alerts
from touzi.projects.models import Project
from touzi.reports.models import MonthlyReport

pytestmark = pytest.mark.django_db
D = dt.date
OCT = D(2023, 10, 1)
LATER = D(2024, 1, 15)
YEAR_END = D(2023, 12, 31)


def _alerts(plan, month, today=LATER):

    return [a for a in alerts(System("test"), plan, month, today=today)
            if a.kind in ("approval_late", "deferred_papers_late", "commitment_late")]


def test_an_approval_past_its_limit_in_working_days_is_warned_and_names_its_unit(mini_plan, projects, nrb):
    accepted(projects["plant"], "construction", nrb, D(2023, 9, 25))  # due 10 Oct
    assert _alerts(mini_plan, D(2023, 9, 1)) == []
    (late,) = _alerts(mini_plan, OCT)
    assert late.kind == "approval_late" and late.level == "red"  # 31 Oct is 15 working days past
    assert "超期 15 个工作日" in late.reason and late.unit_id == nrb.pk
    assert _alerts(mini_plan, OCT, today=D(2023, 10, 12))[0].level == "yellow"  # 2 days, as of today


def test_a_decided_approval_is_no_longer_warned(mini_plan, projects, nrb):
    a = accepted(projects["plant"], "construction", nrb, D(2023, 9, 25))
    decide(a, D(2023, 10, 20), "施工许可证 450500202310200101", actor=System("test"))
    assert _alerts(mini_plan, OCT) == []


def test_deferred_papers_past_their_promised_date_are_warned_to_the_owner(mini_plan, projects, nrb):
    a = accepted(projects["plant"], "land-preexam", nrb, D(2023, 10, 9), missing_papers="土地权属证明",
                 papers_due_on=D(2023, 10, 20))
    decide(a, D(2023, 10, 16), "预审字〔2023〕3号", actor=System("test"))  # decided, papers still owed
    (late,) = _alerts(mini_plan, OCT)
    assert late.kind == "deferred_papers_late" and "土地权属证明" in late.reason
    assert late.unit_id == projects["plant"].owner_id
    Approval.objects.filter(pk=a.pk).update(papers_supplied_on=D(2023, 10, 19))
    assert _alerts(mini_plan, OCT) == []


def test_a_commitment_past_its_verification_date_is_warned(mini_plan, projects, nrb, abe):
    a = accepted(projects["plant"], "land-planning", nrb, D(2023, 10, 9), commitment="开工前完成文物勘探",
                 commitment_due_on=D(2023, 10, 25))
    decide(a, D(2023, 10, 10), "地字第2023-8号", actor=System("test"))
    (late,) = _alerts(mini_plan, OCT)
    assert late.kind == "commitment_late" and "文物勘探" in late.reason
    verify_commitment(a, D(2023, 10, 30), actor=abe)
    assert _alerts(mini_plan, OCT) == []


def _rules(projects_qs, on=YEAR_END):
    return {(v.project, v.rule) for v in violations(projects_qs, on)}


def test_a_started_project_without_a_building_permit_breaks_the_procedure_unless_exempted(projects, olive, nrb):
    plant = projects["plant"]  # 新开工 since March 2021
    only = Project.objects.filter(pk=plant.pk)
    assert (plant.code, "start-without-permit") in _rules(only)
    a = accepted(plant, "construction", nrb, D(2023, 3, 1))
    assert (plant.code, "start-without-permit") in _rules(only)  # accepted is not granted
    grant_exemption(a, "投资额30万元以下的小型工程", actor=olive)
    assert (plant.code, "start-without-permit") not in _rules(only)


def test_investment_reported_before_the_project_was_approved_is_flagged(projects, nrb):
    plant = projects["plant"]
    only = Project.objects.filter(pk=plant.pk)
    MonthlyReport.objects.create(project=plant, month=D(2023, 3, 1), amount=Decimal("100"), status="accepted")
    found = [v for v in violations(only, D(2023, 12, 31)) if v.rule == "investment-before-approval"]
    assert len(found) == 1 and "2023年3月" in found[0].detail
    a = accepted(plant, "project-filing", nrb, D(2023, 3, 20))
    decide(a, D(2023, 3, 21), "备案号 2023-450521-26-03-000001", actor=System("test"))  # same month: in time
    assert (plant.code, "investment-before-approval") not in _rules(only)
    Approval.objects.filter(pk=a.pk).update(done_on=D(2023, 5, 8))  # two months after the first report
    assert (plant.code, "investment-before-approval") in _rules(only)


def test_a_completed_project_without_completion_acceptance_is_flagged(projects, nrb):
    park = projects["park"]
    only = Project.objects.filter(pk=park.pk)
    assert (park.code, "completion-without-acceptance") not in _rules(only)
    Project.objects.filter(pk=park.pk).update(stage="completed", actual_completion=D(2023, 11, 30))
    assert (park.code, "completion-without-acceptance") in _rules(only)
    a = accepted(park, "completion", nrb, D(2023, 12, 1))
    decide(a, D(2023, 12, 8), "竣工验收备案 2023-88", actor=System("test"))
    assert (park.code, "completion-without-acceptance") not in _rules(only)


def test_a_government_project_under_way_without_its_budget_estimate_approved_is_flagged(projects, nrb):
    rail = projects["rail"]
    only = Project.objects.filter(pk=rail.pk)
    assert (rail.code, "government-without-estimate") not in _rules(only)  # an enterprise project
    Project.objects.filter(pk=rail.pk).update(is_government=True)
    assert (rail.code, "government-without-estimate") in _rules(only)
    a = accepted(rail, "budget-estimate", nrb, D(2021, 1, 5))
    decide(a, D(2021, 1, 20), "北发改投资〔2021〕5号", actor=System("test"))
    assert (rail.code, "government-without-estimate") not in _rules(only)


def test_the_approvals_command_lists_overdue_approvals_in_working_days(mini_plan, projects, nrb, settings):
    settings.DEFAULT_PLAN_KEY = "mini"
    accepted(projects["plant"], "construction", nrb, D(2023, 9, 25))
    out = io.StringIO()
    call_command("approvals", "--period", "2023-10", "--overdue", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == {"approvals": [{
        "project": projects["plant"].code, "kind": "construction", "unit": "市自然资源局", "due": "2023-10-10",
        "days_overdue": 15}]}
    out = io.StringIO()
    call_command("approvals", "--period", "2023-09", "--overdue", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == {"approvals": []}


def test_the_compliance_command_names_project_rule_and_detail(mini_plan, projects, settings):
    settings.DEFAULT_PLAN_KEY = "mini"
    out = io.StringIO()
    call_command("compliance", "--period", "2023-12", "--format", "json", stdout=out)
    found = json.loads(out.getvalue())["violations"]
    assert {"project": projects["plant"].code, "rule": "start-without-permit",
            "detail": "项目已开工(报送开工或处于新开工及以后阶段),但未取得施工许可,也没有经批准的免于施工许可"} in found
    assert all(set(v) == {"project", "rule", "detail"} for v in found)
