"""Each figure on hand-made data: money by source (planned, secured, arrived), the gap, the bonds, the needs,
the plan measures, fiscal affordability, and the `touzi funding` JSON contract."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from touzi.financing.choices import Figure, PPPStage
from touzi.financing.figures import (
    affordability,
    by_bank,
    by_county,
    figure_value,
    funding_summary,
    project_sources,
    with_gaps,
)
from touzi.financing.models import FinancingNeed
from touzi.financing.services import (
    accept_arrival,
    allocate_bond,
    keep_ppp,
    publish_need,
    record_loan,
    report_arrival,
    secure_funds,
    set_budget,
    take_step,
)
from touzi.financing.tests.helpers import TEST, W, make_bank
from touzi.projects.models import AnnualPlan, FundingLine, Project

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def money(mini_plan, projects):
    """The plant (county A): planned 30000 bank loans + 20000 self-raised; in 2022 secured 25000 of the loans,
    arrived 4000 (accepted) + 1000 (still submitted) of them; the rail (county B) planned 100000 special bonds,
    is not in the 2022 annual plan; bonds of 2022: plant 8000 (disbursed 6000, spent 2000), rail 12000."""
    plant, rail = projects["plant"], projects["rail"]
    FundingLine.objects.create(project=plant, source="bank_loans", amount=W(30000))
    FundingLine.objects.create(project=plant, source="self_raised", amount=W(20000))
    FundingLine.objects.create(project=rail, source="special_bonds", amount=W(100000))
    AnnualPlan.objects.create(project=plant, year=2022)
    secure_funds(plant, "bank_loans", 2022, W(25000), actor=TEST)
    secure_funds(plant, "self_raised", 2021, W(5000), actor=TEST)
    accept_arrival(report_arrival(plant, "bank_loans", D(2022, 3, 1), W(4000), actor=TEST), actor=TEST)
    report_arrival(plant, "bank_loans", D(2022, 4, 1), W(1000), actor=TEST)
    accept_arrival(report_arrival(plant, "self_raised", D(2021, 5, 1), W(700), actor=TEST), actor=TEST)
    allocate_bond(plant, batch="第一批", year=2022, amount=W(8000), capital=W(2000), issued=W(8000),
                  disbursed=W(6000), disbursed_on=D(2022, 5, 1), spent=W(2000), actor=TEST)
    allocate_bond(rail, batch="第一批", year=2022, amount=W(12000), actor=TEST)
    allocate_bond(rail, batch="第二批", year=2021, amount=W(5000), actor=TEST)
    return projects


def _row(rows, source):
    return next(r for r in rows if r["source"] == source)


def test_sources_of_a_year_are_planned_secured_and_accepted_arrivals(money) -> None:
    found = funding_summary(Project.objects.all(), FinancingNeed.objects.all(), 2022)
    loans = _row(found["sources"], "bank_loans")
    assert loans == {"source": "bank_loans", "planned": "3.0000", "secured": "2.5000", "arrived": "0.4000"}
    assert _row(found["sources"], "special_bonds")["planned"] == "0.0000"  # the rail is not in 2022's plan
    assert _row(found["sources"], "self_raised") == {"source": "self_raised", "planned": "2.0000",
                                                     "secured": "0.0000", "arrived": "0.0000"}
    assert found["bonds"] == {"allocated": "2.0000", "disbursed": "0.6000", "spent": "0.2000"}


def test_the_gap_is_planned_minus_secured_per_source_and_in_total(money) -> None:
    rows = {r["source"]: r for r in project_sources(money["plant"])}
    assert rows["bank_loans"]["gap"] == W(5000) and rows["self_raised"]["gap"] == W(15000)
    assert rows["bank_loans"]["arrived"] == W(4000)
    plant: Any = with_gaps(Project.objects.filter(pk=money["plant"].pk)).get()
    assert (plant.planned, plant.secured, plant.gap, plant.arrived) == (W(50000), W(30000), W(20000), W(4700))


def test_needs_published_granted_and_the_amount_granted(mini_plan, projects) -> None:
    bank = make_bank(mini_plan)
    plant = projects["plant"]
    first = publish_need(plant, amount=W(5000), term_months=36, kind="fixed_asset_loan", contact="张三 0779",
                         published_on=D(2022, 2, 1), actor=TEST)
    publish_need(plant, amount=W(800), term_months=12, kind="working_capital", contact="张三",
                 published_on=D(2022, 6, 1), actor=TEST)
    publish_need(plant, amount=W(300), term_months=12, kind="working_capital", contact="张三",
                 published_on=D(2021, 6, 1), actor=TEST)
    take_step(first, "contact", on=D(2022, 2, 10), bank=bank, actor=TEST)
    take_step(first, "loan", on=D(2022, 4, 1), amount=W(3000), bank=bank, actor=TEST)
    take_step(first, "loan", on=D(2023, 1, 5), amount=W(2000), bank=bank, actor=TEST)
    found = funding_summary(Project.objects.all(), FinancingNeed.objects.all(), 2022)
    assert found["needs"] == {"published": 2, "granted": 1, "amount_granted": "0.3000"}
    # by bank and county: taken up, lent to, amount, mean days from publication to loan (59 and 338 days)
    [row] = by_bank(FinancingNeed.objects.all())
    assert (row["matched"], row["granted"], row["amount"], row["days"]) == (1, 1, W(5000), W("198.5"))
    [county] = by_county(FinancingNeed.objects.all())
    assert (county["published"], county["matched"], county["granted"]) == (3, 1, 1)
    # the loan arrived in the project's funds, accepted, as bank loans
    assert _row(found["sources"], "bank_loans")["arrived"] == "0.3000"


def test_plan_measures_from_the_records(mini_plan, money) -> None:
    bank = make_bank(mini_plan)
    plant = money["plant"]
    Project.objects.filter(pk=plant.pk).update(industry="26")
    plant.refresh_from_db()
    record_loan(plant, amount=W(600), granted_on=D(2022, 7, 1), subsidised=True, scheme="桂惠贷", bank=bank, actor=TEST)
    rail = money["rail"]
    Project.objects.filter(pk=rail.pk).update(industry="54")
    rail.refresh_from_db()
    record_loan(rail, amount=W(400), granted_on=D(2022, 8, 1), subsidised=True, bank=bank, actor=TEST)
    record_loan(rail, amount=W(1000), granted_on=D(2022, 8, 1), bank=bank, actor=TEST)
    accept_arrival(report_arrival(rail, "reits", D(2022, 9, 1), W(500), actor=TEST), actor=TEST)
    keep_ppp(rail, added_year=2022, investment=W(90000), annual_fiscal=W(3000), actor=TEST)
    keep_ppp(plant, added_year=2021, investment=W(10000), annual_fiscal=W(0), actor=TEST)
    everything = Project.objects.all()
    y22 = (D(2022, 1, 1), D(2022, 12, 1))
    assert figure_value(Figure.BONDS_APPROVED, everything, D(2021, 1, 1), D(2023, 12, 1)) == W(25000)
    assert figure_value(Figure.BONDS_APPROVED, everything, *y22) == W(20000)
    assert figure_value(Figure.BANK_LOANS, everything, *y22) == W(2000)
    assert figure_value(Figure.SOCIAL_FINANCING, everything, *y22) == W(2500)  # loans + the REITs money
    assert figure_value(Figure.SUBSIDISED_INDUSTRY_SHARE, everything, *y22) == W("60.00")  # 600 of 1000 to C26
    assert figure_value(Figure.PPP_COUNT, everything, *y22) == 1
    assert figure_value(Figure.PPP_INVESTMENT, everything, D(2021, 1, 1), D(2022, 12, 1)) == W(100000)


def test_fiscal_affordability_ppp_ten_percent_and_the_ceiling(mini_plan, projects) -> None:
    rail, plant = projects["rail"], projects["plant"]
    Project.objects.filter(pk=plant.pk).update(is_government=True)
    assert affordability(2022)["ppp_share"] is None  # no budget entered: no share
    set_budget(2022, W(100000), ceiling_pct=W(10), actor=TEST)
    keep_ppp(rail, added_year=2021, investment=W(90000), annual_fiscal=W(6000), stage=PPPStage.PROCURE,
             joint_review_on=D(2021, 6, 1), actor=TEST)
    accept_arrival(report_arrival(plant, "fiscal", D(2022, 3, 1), W(3000), actor=TEST), actor=TEST)
    accept_arrival(report_arrival(rail, "fiscal", D(2022, 3, 1), W(9999), actor=TEST), actor=TEST)  # not government
    found = affordability(2022)
    assert found["ppp_share"] == W("6.00") and found["ppp_passes"] is True
    assert found["government_payments"] == W(3000) and found["fiscal_share"] == W("9.00")
    assert found["over_ceiling"] is False
    accept_arrival(report_arrival(plant, "fiscal", D(2022, 4, 1), W(2000), actor=TEST), actor=TEST)
    assert affordability(2022)["over_ceiling"] is True


def test_every_government_user_reads_the_budget_the_fiscal_page_shows_and_only_the_office_keeps_it(
        mini_plan, olive, aaron, banker) -> None:
    from touzi.core.scoping import Action, scope
    from touzi.financing.models import FiscalBudget
    from touzi.testing import client_for

    set_budget(2022, W(100000), ceiling_pct=W(10), actor=TEST)
    assert scope(aaron, FiscalBudget.objects.all()).count() == 1  # the county: the years' table beside the figure
    assert not scope(aaron, FiscalBudget.objects.all(), Action.CHANGE).exists()
    assert not scope(banker, FiscalBudget.objects.all()).exists()
    assert scope(olive, FiscalBudget.objects.all(), Action.CHANGE).count() == 1
    page = client_for(aaron).get("/financing/fiscal/?year=2022")
    assert page.status_code == 200 and list(page.context["budgets"]) == list(FiscalBudget.objects.all())


def test_the_funding_command_prints_the_contract(money) -> None:
    out = io.StringIO()
    call_command("funding", "--year", "2022", "--format", "json", stdout=out)
    payload = json.loads(out.getvalue())
    assert set(payload) == {"sources", "bonds", "needs"}
    assert all(set(r) == {"source", "planned", "secured", "arrived"} for r in payload["sources"])
    assert set(payload["bonds"]) == {"allocated", "disbursed", "spent"}
    assert set(payload["needs"]) == {"published", "granted", "amount_granted"}
    assert _row(payload["sources"], "bank_loans")["secured"] == "2.5000"
    assert Decimal(payload["bonds"]["allocated"]) == Decimal("2")
    text = io.StringIO()
    call_command("funding", "--year", "2022", stdout=text)
    assert "专项债券" in text.getvalue()
