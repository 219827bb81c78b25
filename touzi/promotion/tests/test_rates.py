"""The four rates on hand-made registers: due and not yet due, terminated, foreign currency, funds capped."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from touzi.core.actor import System
from touzi.promotion.choices import AgreementState
from touzi.promotion.figures import growth, rates
from touzi.promotion.models import Agreement
from touzi.promotion.services import advance, terminate
from touzi.promotion.tests.helpers import D, arrive, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(projects):
    """County A: four agreements signed in 2022; county B: one in US$ and one not due yet."""
    plant = projects["plant"]
    on_time = sign("准时项目", amount="10000")
    advance(on_time, AgreementState.STARTED, D(2022, 5, 20), project=plant, actor=System("test"))
    advance(on_time, AgreementState.IN_PRODUCTION, D(2022, 11, 30), actor=System("test"))
    late = sign("迟开工项目", amount="20000")
    advance(late, AgreementState.STARTED, D(2022, 8, 1), project=projects["park"], actor=System("test"))
    never = sign("未开工项目", amount="5000")
    gone = sign("终止项目", amount="3000")
    terminate(gone, D(2022, 3, 1), "投资方资金链断裂", actor=System("test"))
    arrive(on_time, D(2022, 3, 1), domestic="6000")
    arrive(on_time, D(2022, 9, 1), domestic="6000")  # 12000 > 10000 agreed: counts 10000 in the rate
    arrive(late, D(2022, 10, 1), domestic="5000")
    dollars = sign("外资项目", county="county-b", amount="", currency="USD", agreed_usd=Decimal("1000"),
                   exchange_rate=Decimal("6.5"), signed=D(2022, 2, 1))
    arrive(dollars, D(2022, 6, 1), usd="100", exchange_rate=Decimal("7"))
    sign("未到期项目", county="county-b", signed=D(2022, 11, 1), start=D(2023, 6, 1), production=D(2024, 6, 1))
    return {"on_time": on_time, "late": late, "never": never, "gone": gone, "dollars": dollars}


def _row(found, label):
    return next(r for r in found.rows if r["label"] == label)


def test_honoured_counts_milestones_reached_on_time_and_terminated_agreements_as_not_honoured(register) -> None:
    a = _row(rates(Agreement.objects.all(), as_of=D(2022, 12, 31), year=2022), "甲县")
    assert a["signed"] == 4
    assert (a["honoured"], a["due"]) == (1, 4)
    assert a["honoured_rate"] == Decimal("0.25")


def test_started_and_production_rates_count_only_agreements_due_by_their_contract_dates(register) -> None:
    a = _row(rates(Agreement.objects.all(), as_of=D(2022, 12, 31), year=2022), "甲县")
    assert a["started_rate"] == Decimal("0.5")  # 2 started of 4 due (the terminated one included)
    assert a["production_rate"] == Decimal("0.25")
    # Before any start date is due, nothing is due: no rate rather than 0.
    early = _row(rates(Agreement.objects.all(), as_of=D(2022, 2, 28), year=2022), "甲县")
    assert early["started_rate"] is None and early["honoured_rate"] is None


def test_agreements_not_yet_due_are_signed_but_in_no_denominator(register) -> None:
    b = _row(rates(Agreement.objects.all(), as_of=D(2022, 12, 31), year=2022), "乙区")
    assert b["signed"] == 2
    assert b["started_rate"] == Decimal("0")  # only the US$ agreement is due
    assert b["due"] == 1


def test_funds_rate_caps_each_agreement_at_its_agreed_investment(register) -> None:
    a = _row(rates(Agreement.objects.all(), as_of=D(2022, 12, 31), year=2022), "甲县")
    # due: all four (production date 2022-12-01, or terminated): 10000 + 20000 + 5000 + 3000
    assert a["agreed_due"] == Decimal("38000")
    assert a["arrived_due"] == Decimal("15000")  # 10000 (capped) + 5000
    assert a["funds_rate"] == Decimal("0.3947")
    assert a["funds_arrived"] == Decimal("1.7000")  # the year's flow, uncapped: 17000 万元


def test_foreign_currency_is_carried_at_the_rate_of_its_month(register) -> None:
    dollars = Agreement.objects.get(pk=register["dollars"].pk)
    assert dollars.agreed_investment == Decimal("6500")  # 1000 万美元 × 6.5
    report = dollars.funds.get()
    assert (report.foreign, report.total) == (Decimal("700"), Decimal("700"))
    b = _row(rates(Agreement.objects.all(), as_of=D(2022, 12, 31), year=2022), "乙区")
    assert b["funds_rate"] == Decimal("0.1077")  # 700 / 6500


def test_total_is_over_all_agreements_not_an_average_of_counties(register) -> None:
    total = rates(Agreement.objects.all(), as_of=D(2022, 12, 31), year=2022).total
    assert total["signed"] == 6
    assert total["honoured_rate"] == Decimal("0.2")  # 1 of 5 due
    assert total["funds_arrived"] == Decimal("1.7700")


def test_rates_of_another_year_hold_only_that_years_signings(register) -> None:
    assert rates(Agreement.objects.all(), as_of=D(2023, 12, 31), year=2021).total["signed"] == 0


def test_growth_compares_the_same_months_and_fdi_is_in_dollars(register) -> None:
    found = growth(Agreement.objects.all(), 2022, D(2022, 12, 31))
    assert found["funds_arrived"] == Decimal("1.7700")
    assert found["growth"] is None  # nothing arrived in 2021
    assert found["fdi_usd"] == Decimal("0.0100")  # 100 万美元


def test_the_rates_command_prints_the_fields_the_issue_names(register) -> None:
    out = StringIO()
    call_command("promotion", "rates", "--year", "2022", "--as-of", "2022-12-31", "--format", "json", stdout=out)
    payload = json.loads(out.getvalue())
    assert set(payload) == {"rows", "total"}
    fields = {"county", "signed", "honoured_rate", "funds_rate", "started_rate", "production_rate", "funds_arrived"}
    assert all(set(r) == fields for r in payload["rows"]) and set(payload["total"]) == fields
    a = next(r for r in payload["rows"] if r["county"] == "甲县")
    assert (a["signed"], a["honoured_rate"], a["funds_arrived"]) == (4, 0.25, 1.7)
    assert all(0 <= r[k] <= 1 for r in payload["rows"] for k in ("funds_rate", "started_rate") if r[k] is not None)


def test_the_rates_page_opens_as_of_the_end_of_the_latest_reported_month(register, projects, olive) -> None:
    """A ledger that ends in December 2022 (a finished plan, the demo): the page opens on 2022-12-31 and its year's
    funds, not on today with a year nobody reports in (0 亿元)."""
    from touzi.testing import accepted_report, client_for

    accepted_report(projects["plant"], "2022-12", "100")
    page = client_for(olive).get("/promotion/rates/")
    assert page.status_code == 200 and page.context["as_of"] == D(2022, 12, 31)
    assert page.context["growth"]["funds_arrived"] == Decimal("1.7700")
    assert client_for(olive).get("/promotion/rates/?as_of=2022-06-30").context["as_of"] == D(2022, 6, 30)
