"""Demo values for the reported indicators, so indicator targets have figures to show.

Each indicator gets year-to-date values at its frequency (monthly, quarterly or December) from 2021 to
2023, around the target it serves: amounts grow through the year to roughly the yearly target (some
years above, some below), rates wander near their target, levels approach theirs.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.indicators.models import IndicatorValue
from touzi.monitoring.forecast import DEFAULT_SHARES
from touzi.plans.choices import Frequency, Metric, PeriodKind
from touzi.plans.models import Plan

MONTHS = {Frequency.MONTHLY: range(2, 13), Frequency.QUARTERLY: (3, 6, 9, 12), Frequency.ANNUAL: (12,)}


def ensure_demo_indicators(plan: Plan, *, seed: int = 2021) -> int:
    """Write demo indicator values once (nothing when any value exists); returns how many were written."""
    if IndicatorValue.objects.filter(indicator__plan=plan).exists():
        return 0
    rng = random.Random(seed)
    rows: list[IndicatorValue] = []
    years = list(plan.years)
    for target in plan.targets.filter(indicator__isnull=False).select_related("indicator").order_by("order"):
        indicator = target.indicator
        if indicator is None:  # excluded by the filter
            continue
        if any(r.indicator_id == indicator.pk for r in rows):
            continue  # one series per indicator
        spread = target.period_kind == PeriodKind.RANGE and target.metric not in (Metric.GROWTH, Metric.SHARE)
        yearly = target.value / len(years) if spread else target.value
        for year in years:
            factor = Decimal(str(round(rng.uniform(0.85, 1.15), 3)))
            for month in MONTHS[Frequency(indicator.frequency)]:
                value = _value(target.metric, target.period_kind, yearly * factor, month, year, years, rng)
                rows.append(IndicatorValue(indicator=indicator, month=dt.date(year, month, 1), value=value,
                                           source="演示数据:" + indicator.reported_by.short_name))
    with transaction.atomic():
        IndicatorValue.objects.bulk_create(rows)
        record(Event.CREATE, object_type="core.demo_indicators", object_repr=plan.name,
               after={"values": len(rows)}, message="生成演示指标数据")
    return len(rows)


def _value(metric: str, kind: str, level: Decimal, month: int, year: int, years: list[int],
           rng: random.Random) -> Decimal:
    if metric in (Metric.GROWTH, Metric.SHARE):
        return (level * Decimal(str(round(rng.uniform(0.75, 1.25), 3)))).quantize(Decimal("0.01"))
    if kind == PeriodKind.END:
        progress = Decimal(years.index(year) + month / 12) / Decimal(len(years))
        return (level * (Decimal("0.9") + Decimal("0.1") * progress)).quantize(Decimal("0.01"))
    if metric == Metric.COUNT:
        return Decimal(1 if month == 12 and year != years[0] else 0)
    share = Decimal(str(DEFAULT_SHARES.get(month, month / 12)))
    return (level * share).quantize(Decimal("0.01"))
