"""Who may enter, see and review agreements, and the rules of their road."""

from __future__ import annotations

from decimal import Decimal

import pytest

from touzi.audit.models import AuditRecord
from touzi.core.actor import System
from touzi.lib.errors import BusinessError, Forbidden
from touzi.promotion.choices import AgreementState
from touzi.promotion.selectors import visible_agreements
from touzi.promotion.services import accept_funds, advance, report_funds
from touzi.promotion.tests.helpers import D, sign

pytestmark = pytest.mark.django_db


def test_a_county_enters_its_own_agreements_and_not_another_countys(aaron) -> None:
    mine = sign("甲县项目", actor=aaron)
    assert AuditRecord.objects.filter(subject=f"agreement:{mine.pk}").exists()
    with pytest.raises(Forbidden):
        sign("乙区项目", county="county-b", actor=aaron)


def test_another_county_does_not_see_the_agreement_the_office_does(aaron, bella, olive) -> None:
    mine = sign("甲县项目", actor=aaron)
    assert not visible_agreements(bella).filter(pk=mine.pk).exists()
    assert visible_agreements(olive).filter(pk=mine.pk).exists()


def test_a_bureau_answers_for_the_agreements_it_is_responsible_for(ian, aaron) -> None:
    led = sign("工信局引进项目", unit="industry", actor=ian)
    other = sign("甲县自招项目", actor=aaron)
    assert list(visible_agreements(ian)) == [led]
    assert other.pk not in visible_agreements(ian).values_list("pk", flat=True)


def test_landing_needs_a_project_of_the_same_county(projects) -> None:
    deal = sign("需落地")
    with pytest.raises(BusinessError, match="落地须关联"):
        advance(deal, AgreementState.LANDED, D(2022, 3, 1), actor=System("test"))
    with pytest.raises(BusinessError, match="所在县区"):
        advance(deal, AgreementState.LANDED, D(2022, 3, 1), project=projects["rail"], actor=System("test"))


def test_only_the_statistics_bureau_or_office_reviews_funds(aaron, stan) -> None:
    deal = sign("资金项目", actor=aaron)
    report = report_funds(deal, D(2022, 2, 1), domestic=Decimal("100"), actor=aaron)
    with pytest.raises(Forbidden):
        accept_funds(report, actor=aaron)
    assert accept_funds(report, actor=stan).status == "accepted"
    with pytest.raises(BusinessError, match="已审核"):
        report_funds(deal, D(2022, 2, 1), domestic=Decimal("1"), actor=aaron)


def test_funds_of_a_locked_month_are_refused_in_chinese(aaron, olive) -> None:
    from touzi.reports.services import lock_month

    deal = sign("锁定月", actor=aaron)
    lock_month(D(2022, 3, 1), actor=olive)
    with pytest.raises(BusinessError, match="已锁定"):
        report_funds(deal, D(2022, 3, 1), domestic=Decimal("5"), actor=aaron)
