"""Many monthly reports at once (a report import, the demo's ledger): the bulk side of reports.services.

With the single-row acts of `reports.services`, these are the only writers of MonthlyReport, Adjustment and
the counted years (CountedYear): each write calls `counted.refresh` for the projects it touched, in its own
transaction, where it can be seen. Rows go in without a model instance each (COPY on PostgreSQL) through
`touzi.lib.bulk.insert_rows`, which only this module calls for reports.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import jsonable, record_batch
from touzi.core.actor import Actor, is_system, user_of
from touzi.core.scoping import Action, scope
from touzi.lib.bulk import db_value, insert_rows
from touzi.lib.errors import Forbidden
from touzi.projects.models import Project
from touzi.reports import counted
from touzi.reports.choices import EDITABLE, ReportStatus
from touzi.reports.keys import BATCH_TYPE, audit_id
from touzi.reports.models import Adjustment, MonthlyReport

CHUNK = 5000
_UPDATED = ["amount", "progress", "problems", "flags", "status", "submitted_at", "submitted_by", "return_reason",
            "version"]


class Submission(NamedTuple):
    """One month of one project as its reporting unit sends it: a new report, or a correction of `existing_id`.

    A named tuple, not a frozen dataclass: as immutable, and built ten times faster (an import builds 20,000).
    """

    project_id: int
    month: dt.date
    amount: Decimal
    progress: str = ""
    problems: str = ""
    flags: tuple[str, ...] = ()
    existing_id: int | None = None  # the report corrected; None: a new one


@dataclass
class _Columns:
    """The columns of an inserted report, named once: insert_rows takes database-ready tuples in this order."""

    names: tuple[str, ...] = ("project", "month", "amount", "progress", "problems", "status", "flags",
                              "return_reason", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by",
                              "version", "created_at", "updated_at")
    months: dict[dt.date, Any] = field(default_factory=dict)
    flags: dict[tuple[str, ...], Any] = field(default_factory=dict)

    def month(self, month: dt.date) -> Any:
        if month not in self.months:
            self.months[month] = db_value(MonthlyReport, "month", month)
        return self.months[month]

    def flag(self, flags: tuple[str, ...]) -> Any:
        if flags not in self.flags:
            # The JSON text the field would send (its encoder, as JSONField writes it on either database), not
            # the driver's JSON wrapper that db_value gives on PostgreSQL: COPY would encode that again for every
            # row (20,000 encodings of "[]" for an import), where a text is sent as it is.
            field = MonthlyReport._meta.get_field("flags")
            self.flags[flags] = json.dumps(list(flags), cls=getattr(field, "encoder", None))
        return self.flags[flags]


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _check_scope(actor: Actor, project_ids: set[int]) -> None:
    """A user submits for the projects they may change (the import checked each row; this is the service's own
    guard, so no caller can write around it); the platform for every project."""
    if is_system(actor):
        return
    ids = sorted(project_ids)
    for chunk in _chunks(ids):
        found = scope(actor, Project.objects.filter(id__in=chunk), Action.CHANGE).count()
        if found != len(chunk):
            raise Forbidden(_("只有项目业主(或所在县区)可以填报、更正该项目的月报"))


@transaction.atomic
def submit_many(rows: Sequence[Submission], *, actor: Actor,
                progress: Callable[[int, int], None] | None = None, message: str = "") -> int:
    """Submit many reports for review in one transaction, audited a batch at a time; returns how many.

    Each batch of up to CHUNK new reports (and each of corrections) is one audit record listing the reports'
    keys ("<project id>:<YYYY-MM>") and a SHA-256 of what was submitted (`_audit_batches`, `message` its text).

    The caller has checked the figures (the import's row checks); corrections must be of reports still
    editable. Submitted reports count nothing, so new ones leave the counted years as they are; the
    projects of corrections are refreshed all the same (`counted.refresh` is cheap and exact).
    """
    _check_scope(actor, {r.project_id for r in rows})
    user = user_of(actor)
    now = timezone.now()
    stamp = db_value(MonthlyReport, "submitted_at", now)
    columns = _Columns()
    creates = [r for r in rows if r.existing_id is None]
    updates = [r for r in rows if r.existing_id is not None]
    done = 0
    submitted = ReportStatus.SUBMITTED.value  # read once: an enum member's .value is a property, 5 µs a row
    user_id = user.pk if user else None
    for batch in _chunks(creates):
        insert_rows(MonthlyReport, columns.names, [
            (r.project_id, columns.month(r.month), r.amount, r.progress, r.problems, submitted,
             columns.flag(tuple(r.flags)), "", stamp, user_id, None, None, 1, stamp, stamp)
            for r in batch])
        done += len(batch)
        if progress:
            progress(done, len(rows))
    if updates:
        current = MonthlyReport.objects.select_for_update().in_bulk([r.existing_id for r in updates])
        changed = []
        for r in updates:
            report = current[r.existing_id]
            if report.status not in EDITABLE:
                raise ValueError(f"report {report.pk} is {report.status}: only editable reports are corrected")
            report.amount, report.progress, report.problems, report.flags = r.amount, r.progress, r.problems, \
                list(r.flags)
            report.status, report.submitted_at, report.submitted_by = ReportStatus.SUBMITTED, now, user
            report.return_reason, report.version = "", report.version + 1
            changed.append(report)
        MonthlyReport.objects.bulk_update(changed, _UPDATED, batch_size=2000)
        counted.refresh({r.project_id for r in updates})
    _audit_batches(creates, Event.CREATE, actor, message)
    _audit_batches(updates, Event.UPDATE, actor, message)
    return len(rows)


def _audit_batches(rows: Sequence[Submission], event: str, actor: Actor, message: str) -> None:
    """One record per batch: the keys, and a SHA-256 over each report's key and submitted content.

    A row of the hash is [key, amount, progress, problems, flags, status], the amount as the audit trail
    writes a Decimal (`jsonable`: 300.1234, 1200.5, 500); see docs/security.md to recompute it.
    """
    submitted = ReportStatus.SUBMITTED.value
    for batch in _chunks(rows):
        contents = [[audit_id(r.project_id, r.month), jsonable(r.amount), r.progress, r.problems, list(r.flags),
                     submitted] for r in batch]
        months = sorted({r.month for r in batch})
        shown = f"{months[0]:%Y-%m}" if len(months) == 1 else f"{months[0]:%Y-%m}–{months[-1]:%Y-%m}"
        record_batch(event, actor=actor, object_type=BATCH_TYPE, rows=contents,
                     object_repr=f"{shown} ×{len(contents)}", message=message)


@transaction.atomic
def load_ledger(reports: Sequence[MonthlyReport], adjustments: Sequence[Adjustment] = (), *,
                actor: Actor) -> None:
    """Write a finished ledger (reports in any status, with their review dates, and adjustments) as it stands.

    For the platform only (the demo, benchmark data sets): it writes history nobody reported through the
    service acts, so no user may call it. The counted years of the projects are rewritten in the same
    transaction. Their audit records are the caller's (the demo writes a trail of returns and corrections).
    """
    if not is_system(actor):
        raise Forbidden(_("只有平台自身可以载入整段月报数据"))
    MonthlyReport.objects.bulk_create(reports, batch_size=2000)
    Adjustment.objects.bulk_create(adjustments, batch_size=2000)
    counted.refresh({r.project_id for r in reports} | {a.project_id for a in adjustments})
