"""Idle special-bond money (disbursed, not spent within N months) and the fiscal ceiling are warnings beside the
project warnings: listed on the warnings page, found by key for a supervision task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from touzi.financing.choices import FinancingWarningKind
from touzi.financing.services import accept_arrival, allocate_bond, report_arrival, set_budget, update_bond
from touzi.financing.tests.helpers import TEST, W
from touzi.financing.warnings import financing_alerts, find
from touzi.monitoring.choices import Level
from touzi.monitoring.extensions import other_alerts
from touzi.projects.models import Project
from touzi.testing import client_for

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def bond(projects):
    return allocate_bond(projects["plant"], batch="2022年第一批", year=2022, amount=W(8000), issued=W(8000),
                         disbursed=W(6000), disbursed_on=D(2022, 3, 15), spent=W(1000), actor=TEST)


def _idle(user, month):
    return [a for a in financing_alerts(user, month) if a.kind == FinancingWarningKind.IDLE_BONDS]


def test_disbursed_money_not_spent_within_the_months_is_idle(bond, settings, aaron, bella) -> None:
    settings.FINANCING_IDLE_BOND_MONTHS = 6
    assert _idle(aaron, D(2022, 8, 1)) == []  # disbursed in March: 5 full months by the end of August
    [alert] = _idle(aaron, D(2022, 9, 1))
    assert alert.level == Level.YELLOW and "5000" in alert.reason and alert.project_id == bond.project_id
    assert _idle(aaron, D(2023, 3, 1))[0].level == Level.RED  # twice the months
    assert _idle(bella, D(2022, 9, 1)) == []  # county B does not see county A's project
    settings.FINANCING_IDLE_BOND_MONTHS = 3
    assert len(_idle(aaron, D(2022, 6, 1))) == 1  # N comes from the settings


def test_spending_it_all_clears_the_warning_and_the_key_finds_it(bond, aaron, olive) -> None:
    key = f"{FinancingWarningKind.IDLE_BONDS}:{bond.pk}:2022-10"
    assert find(aaron, key) is not None and find(aaron, "fin_idle_bonds:x:2022-10") is None
    assert any(a.kind == FinancingWarningKind.IDLE_BONDS for a in other_alerts(olive, D(2022, 10, 1)))
    update_bond(bond, {"spent": W(6000), "spent_as_of": D(2022, 9, 30)}, actor=TEST)
    assert find(aaron, key) is None


def test_the_warnings_page_lists_it_with_a_link_to_the_project_money(bond, olive) -> None:
    html = client_for(olive).get(reverse("monitoring-warnings") + "?month=2022-10").content.decode()
    assert f'data-warning="fin_idle_bonds:{bond.pk}"' in html
    assert reverse("financing-project", args=[bond.project_id]) in html


def test_fiscal_payments_above_the_ceiling_warn_the_plan_office(projects, olive, aaron) -> None:
    plant = projects["plant"]
    Project.objects.filter(pk=plant.pk).update(is_government=True)
    set_budget(2022, W(10000), ceiling_pct=W(5), actor=TEST)
    accept_arrival(report_arrival(plant, "fiscal", D(2022, 3, 1), W(400), actor=TEST), actor=TEST)
    assert not [a for a in financing_alerts(olive, D(2022, 6, 1)) if a.kind == FinancingWarningKind.FISCAL_CEILING]
    accept_arrival(report_arrival(plant, "fiscal", D(2022, 4, 1), W(200), actor=TEST), actor=TEST)
    [alert] = [a for a in financing_alerts(olive, D(2022, 6, 1)) if a.kind == FinancingWarningKind.FISCAL_CEILING]
    assert "6.00%" in alert.reason and find(olive, f"{alert.key}:2022-06") is not None
    assert not [a for a in financing_alerts(aaron, D(2022, 6, 1)) if a.kind == FinancingWarningKind.FISCAL_CEILING]
