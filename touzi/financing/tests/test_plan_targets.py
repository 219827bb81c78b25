"""Plan targets computed from the financing records where the plan says `measure: {source: financing, figure: …}`."""

from __future__ import annotations

import datetime as dt

import pytest

from touzi.core.actor import System
from touzi.financing.services import allocate_bond, record_loan
from touzi.financing.tests.helpers import TEST, W, make_bank
from touzi.monitoring.attainment import target_figures
from touzi.plans.loader import check_plan_file
from touzi.plans.models import Target
from touzi.plans.services import known_unit_keys, load_plan
from touzi.testing import FIXTURES

pytestmark = pytest.mark.django_db

TARGETS = """
  - key: fin-bonds-approved
    area: financing
    name: 获批地方政府债券
    scope: {kind: overall}
    metric: amount
    period: "2021-2023"
    comparator: ">="
    value: 2
    unit: 亿元
    measure: {source: financing, figure: bonds-approved}
    quote: 力争2021—2023年获批不少于2亿元
  - key: fin-bank-loans
    area: financing
    name: 每年撬动银行新增贷款
    scope: {kind: overall}
    metric: amount
    period: "each 2021-2023"
    comparator: ">="
    value: 1
    unit: 亿元
    measure: {source: financing, figure: bank-loans}
    quote: 每年撬动银行新增贷款1亿元以上
"""


@pytest.fixture
def plan(mini_plan, projects):
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8") + TARGETS
    load_plan(check_plan_file(text.encode(), "mini.yaml", known_unit_keys()), actor=System("test"))
    return mini_plan


def test_the_plan_says_which_figure_and_monitoring_computes_it(plan, projects) -> None:
    bank = make_bank(plan)
    allocate_bond(projects["plant"], batch="一批", year=2021, amount=W(12000), actor=TEST)
    allocate_bond(projects["rail"], batch="一批", year=2022, amount=W(3000), actor=TEST)
    record_loan(projects["plant"], amount=W(7000), granted_on=dt.date(2022, 3, 1), bank=bank, actor=TEST)
    record_loan(projects["plant"], amount=W(900), granted_on=dt.date(2021, 3, 1), bank=bank, actor=TEST)
    target = Target.objects.get(plan=plan, key="fin-bonds-approved")
    assert target.measure_source == "financing" and target.measure["figure"] == "bonds-approved"
    targets = Target.objects.filter(plan=plan, key__in=["fin-bonds-approved", "fin-bank-loans"])
    found = {f.target.key: f for f in target_figures(plan, dt.date(2022, 6, 1), targets)}
    assert found["fin-bonds-approved"].value == W("1.5")
    assert found["fin-bank-loans"].value == W("0.7")  # this year's loans only
