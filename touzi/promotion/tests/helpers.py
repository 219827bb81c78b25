"""Hand-made registers for the promotion tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from touzi.core.actor import Actor, System
from touzi.promotion.models import Agreement
from touzi.promotion.services import accept_funds, register_agreement, report_funds
from touzi.units.models import Unit

D = dt.date
TEST = System("test")
SIGNED, START, PRODUCTION = D(2022, 1, 10), D(2022, 6, 1), D(2022, 12, 1)


def sign(name: str, *, county: str = "county-a", signed: dt.date = SIGNED, start: dt.date = START,
         production: dt.date = PRODUCTION, amount: str = "10000", unit: str | None = None,
         actor: Actor = TEST, **extra: Any) -> Agreement:
    county_unit = Unit.objects.get(key=county)
    return register_agreement(
        name=name, investor=f"{name}投资方", investor_kind=extra.pop("investor_kind", "private"),
        sector=extra.pop("sector", "C36"), signed_on=signed, county=county_unit,
        unit=Unit.objects.get(key=unit) if unit else county_unit, due_start=start, due_production=production,
        agreed_investment=Decimal(amount) if amount else None, actor=actor, **extra)


def arrive(agreement: Agreement, month: dt.date, domestic: str = "0", usd: str = "0", **extra: Any) -> None:
    report = report_funds(agreement, month, domestic=Decimal(domestic), foreign_usd=Decimal(usd),
                          actor=System("test"), **extra)
    accept_funds(report, actor=System("test"))
