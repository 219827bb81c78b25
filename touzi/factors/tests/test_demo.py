"""The demo ledgers: quotas of 2021–2023, one county over its land headroom, idle parcels reused."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings
from django.db import transaction

from touzi.core.actor import System
from touzi.factors.choices import AllocationStatus, FactorWarningKind, QuotaKind
from touzi.factors.demo import seed
from touzi.factors.figures import ledger, reuse
from touzi.factors.models import Allocation, IdleParcel, Quota
from touzi.factors.warnings import factor_alerts
from touzi.testing import load_file


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from touzi.demo.portfolio import ensure_demo_portfolio

    with django_db_blocker.unblock(), transaction.atomic():
        load_file(settings.DEFAULT_PLAN_FILE)
        ensure_demo_portfolio(size=200)
        started = time.monotonic()
        count = seed()
        yield count, time.monotonic() - started
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_ledger_covers_every_capability_quickly_and_once(demo) -> None:
    count, seconds = demo
    from django.db import connection

    # Quick: about a second on an idle machine; the bound leaves room for a loaded CI (PostgreSQL twice).
    assert count > 0 and seconds < (5 if connection.vendor == "sqlite" else 10)
    assert {q.year for q in Quota.objects.all()} == {2021, 2022, 2023}
    assert set(Quota.objects.values_list("kind", flat=True)) == set(QuotaKind.values)
    statuses = set(Allocation.objects.values_list("status", flat=True))
    assert statuses == set(AllocationStatus.values)
    over = [r for r in ledger(Quota.objects.filter(year=2023, kind=QuotaKind.CONSTRUCTION_LAND)) if r.over]
    assert [r.county_key for r in over] == ["hepu"]
    alerts = factor_alerts(System("test"), dt.date(2023, 12, 1))
    assert {a.kind for a in alerts} == set(FactorWarningKind.values)
    land = reuse(IdleParcel.objects.all(), 2023)
    assert land["parcels"] >= 5 and land["reused"] > 0 and land["goal"] is not None
    assert seed() == 0
