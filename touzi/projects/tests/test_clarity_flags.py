"""The stored five-clarities flags (资金筹措 and 审批时限 on the project row) follow every service that changes
what they depend on, in the service's transaction: registering and editing a project (its total, its funding
lines, its key approvals), scaling it down (压缩规模), and the approvals' workflow (accepting sets a due date,
refusing reopens the key approval). `touzi clarities` finds and rewrites flags a bulk load left stale."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from touzi.approvals.models import Approval, ApprovalKind
from touzi.approvals.services import accept, refuse, submit
from touzi.core.actor import System
from touzi.projects.models import FundingLine, KeyApproval, Project
from touzi.projects.services import ProjectInput, move_stage, update_project
from touzi.testing import new_project
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
SYSTEM = System("test")


def _stored(project: Project) -> tuple[bool, bool]:
    return tuple(Project.objects.filter(pk=project.pk).values_list("has_clear_funding", "has_clear_approvals")
                 .get())  # type: ignore[return-value]


def test_registering_with_funding_and_approvals_sets_both_flags(owners) -> None:
    p = new_project("登记即明确", county="county-a", owner="owner-a", total="1000")
    assert _stored(p) == (False, False)  # no funding lines, no key approvals
    q = new_project("登记即明确2", county="county-a", owner="owner-a", total="1000")
    update_project(q, ProjectInput(values={}, funding={"fiscal": Decimal("1000")},
                                   approvals={"land": (dt.date(2023, 9, 30), None)}), actor=SYSTEM)
    assert _stored(q) == (True, True)
    assert q.pk != p.pk


def test_editing_funding_total_and_approvals_updates_the_flags(owners) -> None:
    p = new_project("编辑", county="county-a", owner="owner-a", total="1000")
    update_project(p, ProjectInput(values={}, funding={"fiscal": Decimal("1000")},
                                   approvals={"land": (dt.date(2023, 9, 30), None)}), actor=SYSTEM)
    assert _stored(p) == (True, True)
    # The total rises above the funding lines: funding is no longer clear.
    update_project(Project.objects.get(pk=p.pk), ProjectInput(values={"total_investment": Decimal("1500")}),
                   actor=SYSTEM)
    assert _stored(p) == (False, True)
    # The lines catch up.
    update_project(Project.objects.get(pk=p.pk), ProjectInput(values={}, funding={
        "fiscal": Decimal("1000"), "special_bonds": Decimal("500")}), actor=SYSTEM)
    assert _stored(p)[0] is True
    # A key approval without a deadline and not done: approvals are no longer clear.
    update_project(Project.objects.get(pk=p.pk), ProjectInput(values={}, approvals={
        "land": (dt.date(2023, 9, 30), None), "environment": (None, None)}), actor=SYSTEM)
    assert _stored(p) == (True, False)
    update_project(Project.objects.get(pk=p.pk), ProjectInput(values={}, approvals={}), actor=SYSTEM)
    assert _stored(p) == (True, False)  # none at all is not clear either


def test_scaling_down_below_the_funding_makes_funding_clear(owners) -> None:
    p = new_project("压缩规模", county="county-a", owner="owner-a", total="1000", stage="continuing")
    update_project(p, ProjectInput(values={}, funding={"fiscal": Decimal("800")}), actor=SYSTEM)
    assert _stored(p)[0] is False
    move_stage(Project.objects.get(pk=p.pk), "scaled_down", actor=SYSTEM, reason="资金不足", document="北发改〔2023〕1号",
               new_total=Decimal("800"))
    assert _stored(p)[0] is True


def test_the_approvals_workflow_keeps_the_approvals_flag(owners) -> None:
    p = new_project("审批流程", county="county-a", owner="owner-a", total="1000")
    kind = ApprovalKind.objects.filter(key_item__gt="").order_by("pk").first()
    assert kind is not None
    unit = Unit.objects.filter(kind="bureau").order_by("pk").first()
    a = Approval.objects.create(project=p, kind=kind, legal_days=kind.legal_days, approving_unit=unit)
    KeyApproval.objects.create(project=p, item=kind.key_item)  # planned, no deadline yet: not clear
    assert _stored(p)[1] is False
    a = submit(Approval.objects.select_related("kind", "project").get(pk=a.pk), dt.date(2023, 3, 1), actor=SYSTEM)
    a = accept(a, dt.date(2023, 3, 2), actor=SYSTEM)  # accepted: the key approval gets its due date
    assert KeyApproval.objects.get(project=p, item=kind.key_item).deadline is not None
    assert _stored(p)[1] is True
    # Refused: the key approval stays open (not done), still with its deadline, so still clear.
    refuse(a, dt.date(2023, 3, 8), "不符合规划", actor=SYSTEM)
    assert KeyApproval.objects.get(project=p, item=kind.key_item).done_on is None
    assert _stored(p)[1] is True
    # Its deadline cleared behind the services' back: only the flag check sees it until recomputed.
    KeyApproval.objects.filter(project=p).update(deadline=None)
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("clarities", "--check", stdout=out)
    assert json.loads(out.getvalue())["first"] == [p.pk]


def test_the_command_rewrites_flags_a_bulk_load_left_stale(owners) -> None:
    p = new_project("批量写入", county="county-a", owner="owner-a", total="1000")
    FundingLine.objects.create(project=p, source="fiscal", amount=Decimal("1000"))  # bypassing the services
    KeyApproval.objects.create(project=p, item="land", done_on=dt.date(2023, 1, 5))
    assert _stored(p) == (False, False)
    out = io.StringIO()
    call_command("clarities", stdout=out)
    assert json.loads(out.getvalue())["stale_before"] == 1
    assert _stored(p) == (True, True)
    out = io.StringIO()
    call_command("clarities", "--check", stdout=out)
    assert json.loads(out.getvalue()) == {"stale": 0, "first": []}
