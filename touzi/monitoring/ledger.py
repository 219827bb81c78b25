"""Sums of the ledger for many slices at once: one aggregate query per table, whatever the number of projects.

A slice is a filter on projects (prefixless Q, as on Project) and a month range. The counted years
(accepted reports plus adjustments, one row per project and year: touzi.reports.counted) are read once:
an inner grouped query sums each project's rows for every distinct month range of the slices, and the
outer query adds those per-project sums up per slice with filtered aggregates — so the slices' project
filters are tested once per project, not once per row. Up to FEW slices are summed straight from the
counted years instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from touzi.lib.numbers import money
from touzi.projects.models import Project
from touzi.reports.counted import range_sum
from touzi.reports.models import CountedYear

FEW = 3  # up to this many slices are summed straight from the reports


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
    # Only the years inside the union of the ranges need reading.
    first, last = min(s.start for s in slices.values()), max(s.end for s in slices.values())
    rows = CountedYear.objects.filter(year__range=(first.year, last.year))
    if len(slices) <= FEW:
        # A few slices: one plain pass, no per-project grouping (a million groups cost more than a few tests).
        sums = rows.aggregate(**{
            key: Sum(range_sum(s.start, s.end), filter=prefixed(s.projects, "project__") or None, default=0)
            for key, s in slices.items()})
    else:
        ranges = {rng: f"range_{i}" for i, rng in enumerate(sorted({(s.start, s.end) for s in slices.values()}))}
        # The filter comes before the annotations, so they sum over the same (inner) join of counted years.
        per_project = Project.objects.filter(counted_years__year__range=(first.year, last.year)).annotate(
            **{name: Sum(range_sum(*rng, prefix="counted_years__")) for rng, name in ranges.items()})
        sums = per_project.aggregate(**{
            key: Sum(ranges[(s.start, s.end)], filter=s.projects if s.projects else None, default=0)
            for key, s in slices.items()})
    return {key: money(value) for key, value in sums.items()}
