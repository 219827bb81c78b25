"""Plan targets read from the register when the plan file says `measure: {source: promotion}`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from touzi.core.actor import System
from touzi.monitoring.attainment import target_figures
from touzi.plans.loader import check_plan_file
from touzi.plans.models import Target
from touzi.plans.services import known_unit_keys, load_plan
from touzi.promotion.tests.helpers import D, arrive, sign
from touzi.testing import FIXTURES

pytestmark = pytest.mark.django_db

PROMOTION_TARGETS = """
  - key: promo-funds-growth
    area: promotion
    name: 每年招商引资到位资金增长
    scope: {kind: overall}
    metric: growth
    period: "each 2021-2023"
    comparator: ">="
    value: 20
    unit: "%"
    measure: {source: promotion}
    quote: 力争2021—2023年每年招商引资到位资金增长20%以上
  - key: fdi
    area: promotion
    name: 直接利用外资
    scope: {kind: overall}
    metric: amount
    period: "2021-2023"
    comparator: ">="
    value: 3
    unit: 亿美元
    measure: {source: promotion}
    quote: 确保2021—2023年直接利用外资3亿美元以上
"""


@pytest.fixture
def plan(mini_plan):
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8") + PROMOTION_TARGETS
    load_plan(check_plan_file(text.encode(), "mini.yaml", known_unit_keys()), actor=System("test"))
    return mini_plan


def _figures(plan, month):
    targets = Target.objects.filter(plan=plan, key__in=["promo-funds-growth", "fdi"]).order_by("key")
    return {f.target.key: f for f in target_figures(plan, month, targets)}


def test_the_plan_file_declares_a_target_measured_from_the_register(plan) -> None:
    assert Target.objects.get(plan=plan, key="fdi").measure_source == "promotion"


def test_funds_growth_target_compares_the_years_funds_with_the_same_months_before(plan) -> None:
    first = sign("一期", signed=D(2021, 1, 5), start=D(2021, 6, 1), production=D(2022, 6, 1))
    arrive(first, D(2021, 3, 1), domestic="1000")
    arrive(first, D(2021, 9, 1), domestic="9000")  # after June: not in 1—6月 of 2021
    arrive(first, D(2022, 2, 1), domestic="1300")
    figure = _figures(plan, D(2022, 6, 1))["promo-funds-growth"]
    assert figure.source == "promotion"
    assert figure.value == Decimal("30.00")
    assert figure.status == "on_track"


def test_fdi_target_sums_the_foreign_funds_in_dollars_over_the_period(plan) -> None:
    dollars = sign("外资", currency="USD", agreed_usd=Decimal("50000"), exchange_rate=Decimal("6.5"), amount="",
                   signed=D(2021, 2, 1))
    arrive(dollars, D(2021, 5, 1), usd="10000", exchange_rate=Decimal("6.5"))
    arrive(dollars, D(2023, 5, 1), usd="5000", domestic="100", exchange_rate=Decimal("7"))
    figure = _figures(plan, D(2023, 12, 1))["fdi"]
    assert figure.value == Decimal("1.5")  # 15000 万美元
    assert figure.status == "missed"


def test_agreements_outside_the_plans_region_do_not_count(plan) -> None:
    from touzi.units.models import Unit

    Unit.objects.create(key="far", name="远县", kind="county", division_code="450721")
    far = sign("外地", county="far", signed=D(2021, 1, 5))
    arrive(far, D(2021, 2, 1), domestic="500")
    arrive(far, D(2022, 2, 1), domestic="900")
    assert _figures(plan, D(2022, 6, 1))["promo-funds-growth"].value is None
