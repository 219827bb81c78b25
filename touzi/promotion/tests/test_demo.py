"""The demo register: a few hundred agreements over 2021–2023, with funds arrived and mixed fates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, Sum

from touzi.promotion.choices import AgreementState, Currency, FundsStatus
from touzi.promotion.demo import seed
from touzi.promotion.figures import rates
from touzi.promotion.models import Agreement, AgreementStep, FundsReport, PromotionEvent
from touzi.testing import load_file


@pytest.fixture(scope="module")
def register(django_db_setup, django_db_blocker):
    """The plan, a small demo portfolio (projects to land on) and the demo register, rolled back at the end."""
    from touzi.demo.portfolio import ensure_demo_portfolio

    with django_db_blocker.unblock(), transaction.atomic():
        load_file(settings.DEFAULT_PLAN_FILE)
        ensure_demo_portfolio(size=300)
        yield seed()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_register_has_a_few_hundred_agreements_across_counties_years_and_events(register) -> None:
    assert register == 300 == Agreement.objects.filter(is_demo=True).count()
    assert set(Agreement.objects.values_list("county__key", flat=True)) == {"haicheng", "yinhai", "tieshangang",
                                                                             "hepu"}
    assert {d.year for d in Agreement.objects.values_list("signed_on", flat=True)} == {2021, 2022, 2023}
    assert PromotionEvent.objects.annotate(n=Count("agreements")).filter(n__gt=0).count() >= 6
    assert Agreement.objects.filter(unit__key="invest-promo").exists()


@pytest.mark.django_db
def test_the_demo_register_has_every_fate(register) -> None:
    states = dict(Agreement.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    for state in (AgreementState.SIGNED, AgreementState.STARTED, AgreementState.IN_PRODUCTION,
                  AgreementState.TERMINATED):
        assert states.get(state, 0) > 0, state
    assert Agreement.objects.filter(state=AgreementState.TERMINATED).exclude(termination_reason="").count() == \
        states[AgreementState.TERMINATED]
    # Landed agreements link a project of their own county, each project once.
    landed = Agreement.objects.filter(landed_on__isnull=False)
    assert landed.exists() and not landed.filter(project__isnull=True).exists()
    assert not landed.exclude(project__county=F("county")).exists()
    assert landed.values("project").distinct().count() == landed.count()
    # Each agreement's history starts at its signing.
    assert AgreementStep.objects.filter(state=AgreementState.SIGNED).count() == 300


@pytest.mark.django_db
def test_the_demo_register_has_monthly_funds_some_in_us_dollars(register) -> None:
    funds = FundsReport.objects.filter(agreement__is_demo=True)
    assert funds.count() > 1000
    last = dt.date(2023, 11, 1)  # the last month's reports await review; every earlier month was reviewed
    assert not funds.filter(month__lt=last).exclude(status=FundsStatus.ACCEPTED).exists()
    assert funds.filter(month=last, status=FundsStatus.SUBMITTED).exists()
    assert not funds.filter(month=last).exclude(status=FundsStatus.SUBMITTED).exists()
    assert not funds.filter(month__gt=dt.date(2023, 11, 1)).exists()
    usd = Agreement.objects.filter(currency=Currency.USD)
    assert usd.exists() and not usd.filter(Q(agreed_usd__isnull=True) | Q(exchange_rate__isnull=True)).exists()
    assert funds.filter(foreign_usd__gt=0).exists()
    totals = funds.aggregate(total=Sum("total"), parts=Sum("domestic") + Sum("foreign"))
    assert totals["total"] == totals["parts"]
    # Funds keep within what was agreed, agreement by agreement.
    over = (Agreement.objects.annotate(arrived=Sum("funds__total")).filter(arrived__gt=F("agreed_investment")))
    assert not over.exists()


@pytest.mark.django_db
def test_the_demo_rates_are_between_nothing_and_everything(register) -> None:
    total = rates(Agreement.objects.all(), year=2022, as_of=dt.date(2023, 12, 31)).total
    for name in ("honoured_rate", "funds_rate", "started_rate", "production_rate"):
        value = total[name]
        assert value is not None and 0 < value < 1, name


@pytest.mark.django_db
def test_seeding_again_changes_nothing(register) -> None:
    before = (Agreement.objects.count(), FundsReport.objects.count(), AgreementStep.objects.count())
    assert seed() == 0
    assert (Agreement.objects.count(), FundsReport.objects.count(), AgreementStep.objects.count()) == before


def test_the_demo_build_seeds_the_register() -> None:
    import inspect

    from touzi.demo import services as demo

    assert "seed_promotion()" in inspect.getsource(demo.ensure_demo)
