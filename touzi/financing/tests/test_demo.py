"""The demo financing: funds by source, bonds with some idle money, a dozen PPP projects, a few hundred needs
with the banks' steps and loans, events — deterministic and quick."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings
from django.db import transaction

from touzi.core.actor import System
from touzi.financing.choices import FinancingWarningKind, NeedStatus
from touzi.financing.demo import seed
from touzi.financing.figures import funding_summary
from touzi.financing.models import (
    BondAllocation,
    FinancingEvent,
    FinancingNeed,
    FundsArrival,
    Loan,
    PPPProject,
)
from touzi.financing.warnings import financing_alerts
from touzi.projects.models import Project
from touzi.testing import load_file


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from touzi.demo.portfolio import ensure_demo_portfolio

    with django_db_blocker.unblock(), transaction.atomic():
        load_file(settings.DEFAULT_PLAN_FILE)
        ensure_demo_portfolio(size=300)
        started = time.monotonic()
        counts = seed()
        yield counts, time.monotonic() - started
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_shows_every_capability_quickly_and_once(demo) -> None:
    counts, seconds = demo
    assert counts["needs"] == 300 and counts["ppp"] == 12
    assert seconds < 10 and seed() == {}  # < 5 s on an idle machine
    assert FinancingNeed.objects.filter(is_demo=True).count() == 300
    assert set(FinancingNeed.objects.values_list("status", flat=True)) == set(NeedStatus.values)
    assert Loan.objects.filter(is_demo=True, subsidised=True).exists()
    assert FundsArrival.objects.filter(loan__isnull=False).count() == Loan.objects.count() > 50
    assert 10 <= PPPProject.objects.count() <= 12 and FinancingEvent.objects.count() == 6
    assert set(BondAllocation.objects.values_list("year", flat=True)) == {2021, 2022, 2023}
    idle = [a for a in financing_alerts(System("test"), dt.date(2023, 11, 1))
            if a.kind == FinancingWarningKind.IDLE_BONDS]
    assert idle, "some bond money is idle"
    found = funding_summary(Project.objects.all(), FinancingNeed.objects.all(), 2022)
    assert found["needs"]["published"] == 100 and found["needs"]["granted"] > 0
    assert any(r["arrived"] != "0.0000" for r in found["sources"])
