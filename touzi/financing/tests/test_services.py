"""The rules of the acts: a bank's steps go forward, a refusal says why, a loan arrives in the project's funds;
bonds keep their stages in order and the 资本金 share; arrived funds are reviewed; every act is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from touzi.audit.models import AuditRecord
from touzi.core.actor import System
from touzi.financing.choices import ArrivalStatus, NeedStatus
from touzi.financing.models import FundsArrival, Loan
from touzi.financing.services import (
    accept_arrival,
    allocate_bond,
    appoint_commissioner,
    close_need,
    commissioner_needs,
    keep_ppp,
    publish_need,
    report_arrival,
    return_arrival,
    set_budget,
    take_step,
)
from touzi.financing.tests.helpers import TEST, W
from touzi.lib.errors import BusinessError, Forbidden

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def need(projects, oscar):
    return publish_need(projects["plant"], amount=W(5000), term_months=36, kind="fixed_asset_loan",
                        contact="张工 0779-1234567", published_on=D(2023, 1, 5), actor=oscar)


def test_a_bank_takes_a_need_to_a_loan_that_arrives_in_the_project_funds(need, banker) -> None:
    take_step(need, "interest", on=D(2023, 1, 6), actor=banker)
    need.refresh_from_db()
    assert need.status == NeedStatus.MATCHING
    with pytest.raises(BusinessError):
        take_step(need, "interest", on=D(2023, 1, 7), actor=banker)  # forward only
    take_step(need, "credit", on=D(2023, 2, 1), amount=W(5000), actor=banker)
    take_step(need, "loan", on=D(2023, 3, 1), amount=W(4000), subsidised=True, scheme="桂惠贷", actor=banker)
    need.refresh_from_db()
    loan = Loan.objects.get(need=need)
    arrival = FundsArrival.objects.get(loan=loan)
    assert (need.status, need.granted_on) == (NeedStatus.GRANTED, D(2023, 3, 1))
    assert (arrival.source, arrival.amount, arrival.status, arrival.month) == (
        "bank_loans", W(4000), ArrivalStatus.ACCEPTED, D(2023, 3, 1))
    assert loan.subsidised and loan.bank == banker.unit
    assert AuditRecord.objects.filter(actor=banker, object_type="financing.loan").exists()


def test_declining_needs_a_reason_and_only_a_bank_takes_steps(need, banker, oscar) -> None:
    with pytest.raises(BusinessError):
        take_step(need, "declined", actor=banker)
    take_step(need, "declined", note="抵押物不足", actor=banker)
    with pytest.raises(BusinessError):
        take_step(need, "contact", actor=banker)
    with pytest.raises(Forbidden):
        take_step(need, "contact", actor=oscar)
    with pytest.raises(BusinessError):
        take_step(need, "credit", actor=System("x"))  # the platform must say which bank


def test_a_closed_need_leaves_the_board(need, banker, oscar, bella) -> None:
    with pytest.raises(Forbidden):
        close_need(need, "不需要了", actor=bella)
    close_need(need, "已通过其他渠道解决", actor=oscar)
    from touzi.financing.selectors import visible_needs

    assert not visible_needs(banker).exists()


def test_bonds_keep_stages_in_order_and_the_capital_share(projects, aaron, bella) -> None:
    plant = projects["plant"]
    with pytest.raises(BusinessError):
        allocate_bond(plant, batch="一批", year=2023, amount=W(1000), capital=W(300), actor=aaron)  # > 25%
    with pytest.raises(BusinessError):
        allocate_bond(plant, batch="一批", year=2023, amount=W(1000), issued=W(500), disbursed=W(600),
                      disbursed_on=D(2023, 2, 1), actor=aaron)
    with pytest.raises(Forbidden):
        allocate_bond(plant, batch="一批", year=2023, amount=W(1000), actor=bella)
    bond = allocate_bond(plant, batch="一批", year=2023, amount=W(1000), capital=W(250), actor=aaron)
    assert bond.capital == W(250)


def test_arrived_funds_are_reviewed_by_statistics_not_by_the_reporter(projects, oscar, stan) -> None:
    arrival = report_arrival(projects["plant"], "self_raised", D(2023, 2, 1), W(60), actor=oscar)
    with pytest.raises(Forbidden):
        accept_arrival(arrival, actor=oscar)
    with pytest.raises(BusinessError):
        return_arrival(arrival, "", actor=stan)
    assert accept_arrival(arrival, actor=stan).status == ArrivalStatus.ACCEPTED


def test_ppp_needs_a_joint_review_before_procurement_and_budget_is_the_office(projects, aaron, olive) -> None:
    rail = projects["rail"]
    with pytest.raises(BusinessError):
        keep_ppp(rail, added_year=2022, investment=W(9000), annual_fiscal=W(300), stage="procure", actor=TEST)
    keep_ppp(rail, added_year=2022, investment=W(9000), annual_fiscal=W(300), stage="procure",
             joint_review_on=D(2022, 5, 1), actor=TEST)
    with pytest.raises(BusinessError):
        keep_ppp(rail, added_year=2022, investment=W(9000), annual_fiscal=W(300), stage="identify", actor=TEST)
    with pytest.raises(Forbidden):
        set_budget(2022, W(100000), actor=aaron)
    assert set_budget(2022, W(100000), actor=olive).ceiling_pct == W(10)


def test_a_commissioner_has_the_open_needs_of_the_county_in_todo(need, banker, olive) -> None:
    from touzi.units.models import Unit

    appoint_commissioner(banker, county=Unit.objects.get(key="county-a"), actor=olive)
    assert list(commissioner_needs(banker)) == [need]
    with pytest.raises(BusinessError):
        appoint_commissioner(olive, county=Unit.objects.get(key="county-a"), actor=olive)
