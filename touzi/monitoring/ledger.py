"""Sums of the ledger for many slices at once: one aggregate query per table, whatever the number of projects.

A slice is a filter on projects (prefixless Q, as on Project) and a month range, read from the counted
years (accepted reports plus adjustments, one row per project and year: touzi.reports.counted). Slices
whose filters compare plain project columns (a domain subtree, a county) are summed from the counted
years grouped by those columns — a few dozen groups whatever the number of projects — and the groups
added up per slice with filtered aggregates. Slices that need the project itself (members of a
collection) are tested row by row in one pass over their candidate projects.
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

FEW = 3  # up to this many slices are summed in one plain pass, without grouping


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
            # django-stubs types a child as a Node; a Q's children are Qs and (lookup, value) pairs.
            key, value = child  # type: ignore[misc]
            result.children.append((f"{prefix}{key}", value))
    return result if q.children else Q()


# Project columns a slice may filter on and still be summed from groups of projects rather than one by one.
GROUPABLE = {"domain_id", "county_id", "lead_unit_id", "park_id", "owner_id", "stage"}


def _columns(q: Q) -> set[str] | None:
    """The project columns a filter reads, if it only compares columns (exact / in); None otherwise."""
    found: set[str] = set()
    for child in q.children:
        if isinstance(child, Q):
            inner = _columns(child)
            if inner is None:
                return None
            found |= inner
            continue
        key, value = child  # type: ignore[misc]  # a (lookup, value) pair; django-stubs says Node
        column = key.removesuffix("__in")
        if column not in GROUPABLE or hasattr(value, "query"):  # a subquery (e.g. members) needs the project
            return None
        found.add(column)
    return found


def ledger_sums(slices: dict[str, Slice]) -> dict[str, Decimal]:
    """万元 counted (accepted reports plus adjustments) for each slice."""
    if not slices:
        return {}
    grouped = {key: s for key, s in slices.items() if _columns(s.projects) is not None}
    by_project = {key: s for key, s in slices.items() if key not in grouped}
    result: dict[str, Decimal] = {}
    if grouped:
        columns = sorted({column for s in grouped.values() for column in _columns(s.projects) or ()})
        result |= _sums(grouped, columns)
    if by_project:
        result |= _sums(by_project, ["id"])
    return result


def _sums(slices: dict[str, Slice], columns: list[str]) -> dict[str, Decimal]:
    """The slices' sums from the counted years grouped by the project columns their filters read.

    An inner query sums each group's rows for every distinct month range; the outer one adds the groups up
    per slice with filtered aggregates. Filters on plain columns (a domain subtree, a county) group by those
    columns: a few dozen groups whatever the number of projects. Filters that need the project itself
    (members of a collection) are tested on each row in one plain pass.
    """
    first, last = min(s.start for s in slices.values()), max(s.end for s in slices.values())
    rows = CountedYear.objects.filter(year__range=(first.year, last.year))
    if columns == ["id"]:
        # Only the rows of projects some slice can match (a collection's members are a small share in a city,
        # a large one nationally).
        candidates = Q()
        for s in slices.values():
            if not s.projects:
                candidates = Q()
                break
            candidates |= s.projects
        if candidates:
            rows = rows.filter(project__in=Project.objects.filter(candidates).values("id"))
    if len(slices) <= FEW or columns == ["id"]:
        # One plain pass, no grouping: for a few slices, or for slices that need the project itself (members
        # of a collection) — the counted years hold one or two rows per project, so testing each row costs
        # less than grouping a million projects first.
        sums = rows.aggregate(**{
            key: Sum(range_sum(s.start, s.end), filter=prefixed(s.projects, "project__") or None, default=0)
            for key, s in slices.items()})
        return {key: money(value) for key, value in sums.items()}
    ranges = {rng: f"range_{i}" for i, rng in enumerate(sorted({(s.start, s.end) for s in slices.values()}))}
    per_group = rows.order_by().values(*[f"project__{c}" for c in columns]).annotate(
        **{name: Sum(range_sum(*rng)) for rng, name in ranges.items()})
    sums = per_group.aggregate(**{
        key: Sum(ranges[(s.start, s.end)], filter=prefixed(s.projects, "project__") or None, default=0)
        for key, s in slices.items()})
    return {key: money(value) for key, value in sums.items()}
