"""Reading the audit trail: always through the scoping function, newest first, paged by keyset.

Pages are `id < cursor ORDER BY id DESC LIMIT n+1` (the primary key's index), so the millionth page
costs what the first does; there is no COUNT(*) over the trail (see docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from touzi.audit.forms import day_start
from touzi.audit.models import AuditRecord
from touzi.audit.services import batch_with_key
from touzi.core.actor import Actor
from touzi.core.scoping import scope

PAGE_SIZE = 50


def visible_records(user: Actor) -> QuerySet[AuditRecord]:
    return scope(user, AuditRecord.objects.all())


def filtered(records: QuerySet[AuditRecord], filters: dict[str, Any]) -> QuerySet[AuditRecord]:
    """Apply the cleaned filters of `AuditFilterForm` (each one on an indexed column but the free text)."""
    if filters.get("date_from"):
        records = records.filter(at__gte=day_start(filters["date_from"]))
    if filters.get("date_to"):
        records = records.filter(at__lt=day_start(filters["date_to"] + dt.timedelta(days=1)))
    for field, name in (("actor_name", "actor"), ("event", "event"), ("source", "source"),
                        ("object_type", "object_type")):
        if filters.get(name):
            records = records.filter(**{field: filters[name]})
    if filters.get("object_id"):
        # A row written in bulk has no record of its own: the batch record that lists its key stands for it.
        records = records.filter(Q(object_id=filters["object_id"]) | batch_with_key(filters["object_id"]))
    if filters.get("success") in ("true", "false"):
        records = records.filter(success=filters["success"] == "true")
    if filters.get("q"):
        text = filters["q"]
        records = records.filter(Q(object_repr__icontains=text) | Q(message__icontains=text)
                                 | Q(actor_name__icontains=text) | Q(subject=text))
    return records


@dataclass(frozen=True)
class Page:
    records: list[AuditRecord]
    older: int | None  # cursor for the next (older) page
    newer: int | None  # cursor for the previous (newer) page


def keyset_page(records: QuerySet[AuditRecord], *, before: int | None = None, after: int | None = None,
                size: int = PAGE_SIZE) -> Page:
    """One page newest first: below `before`, or the page just above `after` (going back)."""
    if after is not None:
        rows = list(records.filter(id__gt=after).order_by("id")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        older = rows[-1].id if rows else None
        return Page(rows, older if rows and records.filter(id__lt=older).exists() else None,
                    rows[0].id if more_newer else None)
    if before is not None:
        records_page = records.filter(id__lt=before)
    else:
        records_page = records
    rows = list(records_page.order_by("-id")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    newer = rows[0].id if before is not None and rows and records.filter(id__gt=rows[0].id).exists() else None
    return Page(rows, rows[-1].id if more_older else None, newer)


def export_rows(records: QuerySet[AuditRecord]) -> Any:
    """Every filtered record newest first, streamed in chunks (no list of a million in memory)."""
    return records.order_by("-id").iterator(chunk_size=2000)
