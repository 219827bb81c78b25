"""How audit records name a monthly report: "<project id>:<YYYY-MM>", on every path.

The natural key, not the primary key: a report is one per project and month, the bulk path (COPY) knows it
before the row has an id, and it reads as what it is. Records written before this form existed name a report
by its primary key; they are hash-chained (touzi.audit.chain) and never rewritten, so readers accept both
(`audit_ids`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from touzi.reports.models import MonthlyReport

OBJECT_TYPE = "reports.monthlyreport"
# Reports written in bulk (an import) are audited a batch at a time: one record lists the batch's keys (audit_id)
# and a SHA-256 of their content (touzi.audit.services.record_batch).
BATCH_TYPE = "reports.batch"


def audit_id(project_id: int, month: dt.date) -> str:
    return f"{project_id}:{month.year:04d}-{month.month:02d}"  # not strftime: 20× slower, and imports call it 20,000×


def audit_ids(report: MonthlyReport) -> list[str]:
    """Every object_id a record of this report may carry: today's form, and the primary key of older records."""
    return [audit_id(report.project_id, report.month), str(report.pk)]
