"""An approval's course: set up from the rules, submitted by the owner or its agent, accepted (容缺, 承诺制) and
decided by its approving unit against a limit in working days; who sees and acts on what."""

import datetime as dt

import pytest

from touzi.approvals.choices import ApprovalState
from touzi.approvals.models import Approval
from touzi.approvals.selectors import applicant_queue, figures, overdue, unit_queue, visible_approvals
from touzi.approvals.services import (
    accept,
    decide,
    grant_exemption,
    refuse,
    save_profile,
    send_back,
    set_up,
    submit,
    supply_papers,
    verify_commitment,
)
from touzi.approvals.tests.conftest import accepted, approval
from touzi.audit.models import AuditRecord
from touzi.core.actor import System
from touzi.lib.errors import BusinessError, Forbidden
from touzi.projects.models import KeyApproval, Project
from touzi.projects.selectors import visible_projects
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
D = dt.date


def test_an_enterprise_project_under_construction_needs_filing_and_the_completion_acceptance(projects, oscar):
    created = set_up(projects["plant"], actor=oscar)
    keys = {a.kind.key for a in created}
    assert {"project-filing", "land-preexam", "eia-table", "construction", "completion"} <= keys
    assert not keys & {"project-approval", "budget-estimate", "stability", "sea", "eia-report"}
    assert all(a.state == ApprovalState.NOT_SUBMITTED for a in created)
    assert set_up(projects["plant"], actor=oscar) == []  # nothing twice


def test_a_government_project_in_preparation_needs_approval_estimate_and_stability_but_not_acceptance(
        projects, olive):
    rail = projects["rail"]
    Project.objects.filter(pk=rail.pk).update(is_government=True, stage="preliminary")
    rail.refresh_from_db()
    save_profile(rail, eia="report", uses_sea=True, actor=olive)
    keys = {a.kind.key for a in set_up(rail, actor=olive)}
    assert {"project-approval", "budget-estimate", "stability", "eia-report", "sea"} <= keys
    assert not keys & {"project-filing", "project-verification", "eia-table", "forest", "completion"}


def test_a_deferred_acceptance_counts_the_limit_in_working_days_and_the_decision_records_the_days_taken(
        projects, oscar, abe, nrb):
    a = approval(projects["plant"], "land-preexam", nrb)
    submit(a, D(2023, 9, 25), actor=oscar)
    a = accept(a, D(2023, 9, 26), promised_days=5, missing_papers="土地权属证明", papers_due_on=D(2023, 10, 20),
               actor=abe)
    assert a.state == ApprovalState.DEFERRED
    # 5 working days after Tue 26 Sep: 27, 28 Sep, then 7, 8, 9 Oct (调休 weekend worked).
    assert a.due_on == D(2023, 10, 9)
    a = supply_papers(a, D(2023, 10, 8), actor=oscar)
    assert a.state == ApprovalState.ACCEPTED
    a = decide(a, D(2023, 10, 10), "北自然资预〔2023〕12号", actor=abe)
    assert (a.state, a.working_days, a.document_number) == (ApprovalState.DONE, 6, "北自然资预〔2023〕12号")
    key = KeyApproval.objects.get(project=projects["plant"], item="land")
    assert (key.deadline, key.done_on) == (D(2023, 10, 9), D(2023, 10, 10))
    assert AuditRecord.objects.filter(object_type="approvals.approval", object_id=str(a.pk)).count() == 4


def test_only_its_approving_unit_accepts_and_decides(projects, oscar, abe, eve, nrb):
    a = approval(projects["plant"], "land-planning", nrb)
    submit(a, D(2023, 3, 1), actor=oscar)
    with pytest.raises(Forbidden):
        accept(a, D(2023, 3, 2), actor=eve)
    with pytest.raises(Forbidden):
        accept(a, D(2023, 3, 2), actor=oscar)
    a = accept(a, D(2023, 3, 2), actor=abe)
    with pytest.raises(Forbidden):
        decide(a, D(2023, 3, 3), "文号", actor=eve)


def test_a_deferred_acceptance_needs_the_date_the_papers_are_promised_for(projects, oscar, abe, nrb):
    a = approval(projects["plant"], "land-planning", nrb)
    submit(a, D(2023, 3, 1), actor=oscar)
    with pytest.raises(BusinessError) as err:
        accept(a, D(2023, 3, 2), missing_papers="测绘报告", actor=abe)
    assert err.value.field == "papers_due_on" and "承诺补齐日期" in err.value.message


def test_a_decision_needs_a_document_number_and_cannot_come_before_acceptance(projects, abe, nrb):
    a = accepted(projects["plant"], "land-planning", nrb, D(2023, 3, 2))
    with pytest.raises(BusinessError, match="文号"):
        decide(a, D(2023, 3, 10), " ", actor=abe)
    with pytest.raises(BusinessError, match="不能早于受理日期"):
        decide(a, D(2023, 3, 1), "文号", actor=abe)


def test_a_returned_approval_is_resubmitted_and_a_refused_one_stays_closed(projects, oscar, abe, nrb):
    a = accepted(projects["plant"], "land-planning", nrb, D(2023, 3, 2))
    a = send_back(a, "红线图不清晰", actor=abe)
    assert (a.state, a.accepted_on, a.due_on) == (ApprovalState.RETURNED, None, None)
    a = submit(a, D(2023, 3, 6), actor=oscar)
    a = accept(a, D(2023, 3, 6), actor=abe)
    a = refuse(a, D(2023, 3, 8), "不符合国土空间规划", actor=abe)
    with pytest.raises(BusinessError, match="不能从"):
        submit(a, D(2023, 3, 9), actor=oscar)


def test_a_commitment_is_verified_by_the_unit(projects, abe, nrb):
    a = accepted(projects["plant"], "land-planning", nrb, D(2023, 3, 2), commitment="三个月内完成地勘",
                 commitment_due_on=D(2023, 6, 2))
    a = verify_commitment(a, D(2023, 6, 1), actor=abe)
    assert a.commitment_verified_on == D(2023, 6, 1)
    with pytest.raises(BusinessError):
        verify_commitment(a, D(2023, 6, 1), actor=abe)


def test_an_approving_unit_sees_only_the_approvals_it_handles_and_no_project(projects, abe, eve, nrb, eeb):
    mine = approval(projects["plant"], "land-preexam", nrb)
    theirs = approval(projects["plant"], "eia-table", eeb)
    assert list(visible_approvals(abe)) == [mine]
    assert list(visible_approvals(eve)) == [theirs]
    assert not visible_projects(abe).exists()


def test_owners_and_counties_see_their_projects_approvals_and_not_others(projects, oscar, otto, aaron, bella, nrb):
    plant = approval(projects["plant"], "land-preexam", nrb)
    rail = approval(projects["rail"], "land-preexam", nrb)
    assert plant in visible_approvals(oscar) and rail not in visible_approvals(oscar)
    assert plant in visible_approvals(aaron) and plant not in visible_approvals(bella)
    assert rail in visible_approvals(otto)


def test_an_agent_sees_and_submits_the_approvals_of_the_project_it_agents_for(projects, oscar, ian, nrb):
    """代办制: the industry bureau's 代办员 for 乙公司's railway siding (which it does not lead)."""
    rail = approval(projects["rail"], "land-preexam", nrb)
    assert rail not in visible_approvals(ian)
    with pytest.raises(Forbidden):
        save_profile(projects["rail"], agent_unit=Unit.objects.get(key="industry"), agent_person="李代办",
                     actor=oscar)
    save_profile(projects["rail"], agent_unit=Unit.objects.get(key="industry"), agent_person="李代办",
                 actor=System("test"))
    assert rail in visible_approvals(ian)
    assert rail in applicant_queue(ian)
    submit(rail, D(2023, 4, 3), actor=ian)
    assert Approval.objects.get(pk=rail.pk).state == ApprovalState.SUBMITTED


def test_each_sees_what_is_theirs_to_act_on(projects, oscar, abe, nrb):
    a = approval(projects["plant"], "land-preexam", nrb)
    assert a in applicant_queue(oscar) and a not in unit_queue(abe)
    submit(a, D(2023, 4, 3), actor=oscar)
    assert a not in applicant_queue(oscar) and a in unit_queue(abe)
    a = accept(a, D(2023, 4, 4), missing_papers="权属证明", papers_due_on=D(2023, 4, 20), actor=abe)
    assert a in applicant_queue(oscar) and a in unit_queue(abe)  # papers to supply; a decision to make
    decide(a, D(2023, 4, 6), "文号1", actor=abe)
    assert a not in unit_queue(abe)


def test_overdue_counts_working_days_past_the_due_date(projects, nrb):
    a = accepted(projects["plant"], "construction", nrb, D(2023, 9, 25))
    # 7 working days from Mon 25 Sep: 26–28 Sep, Sat 7 and Sun 8 Oct (调休), 9 and 10 Oct.
    assert a.due_on == D(2023, 10, 10)
    found = overdue(Approval.objects.all(), D(2023, 10, 14))  # a Saturday: 11, 12, 13 Oct past the limit
    assert [(o.kind, o.due, o.days_overdue) for o in found] == [("construction", D(2023, 10, 10), 3)]
    assert overdue(Approval.objects.all(), D(2023, 10, 10)) == []


def test_the_figures_give_count_median_90th_percentile_and_share_within_the_limit(projects, nrb, eeb):
    """Five land approvals done in 2, 4, 6, 8 and 30 working days (limit 20); one environmental in 3."""
    import itertools

    from touzi.approvals.models import ApprovalKind

    days = [2, 4, 6, 8, 30]
    extra = [Project.objects.create(name=f"样例{i}", domain=projects["plant"].domain, county=projects["plant"].county,
                                    owner=projects["plant"].owner, total_investment=1) for i in range(3)]
    for project, n in zip(itertools.chain(projects.values(), extra), days, strict=False):
        Approval.objects.create(project=project, kind=ApprovalKind.objects.get(key="land-preexam"), legal_days=20,
                                approving_unit=nrb, state=ApprovalState.DONE, working_days=n)
    Approval.objects.create(project=projects["plant"], kind=ApprovalKind.objects.get(key="eia-table"), legal_days=30,
                            approving_unit=eeb, state=ApprovalState.DONE, working_days=3)
    rows = {(f.unit, f.kind): f for f in figures(Approval.objects.all())}
    land = rows[("市自然资源局", "land-preexam")]
    assert (land.count, land.median, land.p90, land.within, str(land.within_share)) == (5, 6, 30, 4, "80.0")
    city = {f.kind: f for f in figures(Approval.objects.all(), by_unit=False)}
    assert city["eia-table"].count == 1 and city["land-preexam"].median == 6


def test_an_exemption_is_the_plan_offices_to_grant(projects, oscar, olive):
    a = approval(projects["plant"], "construction")
    with pytest.raises(Forbidden):
        grant_exemption(a, "限额以下小型工程", actor=oscar)
    assert grant_exemption(a, "限额以下小型工程", actor=olive).exempt
