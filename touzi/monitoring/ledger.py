"""Sums of the ledger for many slices at once: one aggregate query per table, whatever the number of projects.

A slice is a filter on projects (prefixless Q, as on Project) and a month range. All slices are summed
in a single pass over accepted reports and a single pass over adjustments with filtered aggregates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from touzi.lib.numbers import money
from touzi.reports.choices import COUNTED
from touzi.reports.models import Adjustment, MonthlyReport


@dataclass(frozen=True)
class Slice:
    projects: Q  # a filter on Project
    start: dt.date
    end: dt.date


def prefixed(q: Q, prefix: str) -> Q:
    """The same filter seen from a table that points at projects."""
    result = Q()
    result.connector, result.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            result.children.append(prefixed(child, prefix))
        else:
            key, value = child
            result.children.append((f"{prefix}{key}", value))
    return result if q.children else Q()


def ledger_sums(slices: dict[str, Slice]) -> dict[str, Decimal]:
    """万元 counted (accepted reports plus adjustments) for each slice."""
    if not slices:
        return {}
    result = {key: Decimal(0) for key in slices}
    for model, column, base in ((MonthlyReport, "amount", Q(status__in=COUNTED)), (Adjustment, "delta", Q())):
        aggregates = {
            key: Sum(column, filter=prefixed(s.projects, "project__") & Q(month__range=(s.start, s.end)), default=0)
            for key, s in slices.items()
        }
        # Only rows inside the union of the ranges need reading.
        first, last = min(s.start for s in slices.values()), max(s.end for s in slices.values())
        sums = model.objects.filter(base, month__range=(first, last)).aggregate(**aggregates)
        for key, value in sums.items():
            result[key] += money(value)
    return result
