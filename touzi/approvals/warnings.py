"""The approvals' early warnings, joined to the monitoring warnings (touzi.monitoring.alerts): an approval past
its time limit (working days), a 容缺 paper past its promised date, a commitment past its verification date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from touzi.approvals.choices import RUNNING, ApprovalState
from touzi.approvals.models import Approval
from touzi.approvals.selectors import as_of
from touzi.approvals.workdays import workdays_between
from touzi.lib.periods import date_text

RED_AFTER_WORKDAYS = 10  # overdue by more than two working weeks: red


def approval_alerts(base: Any, month: dt.date, today: dt.date) -> list[Any]:
    """Warnings on the approvals of the projects in `base` (one query per kind of warning)."""
    from touzi.monitoring.alerts import _Pending, _rows
    from touzi.monitoring.choices import Level, WarningKind

    on = as_of(month, today)
    mine = Approval.objects.filter(project__in=base.values("id")).order_by("project_id", "kind__order")
    out = []
    late = mine.filter(state__in=RUNNING, due_on__lt=on)
    text = _("%(kind)s于 %(accepted)s 受理,时限 %(n)s 个工作日(%(due)s 到期),已超期 %(late)s 个工作日未办结")
    for p, kind, accepted, due, legal, promised, unit in _rows(
            late, "kind__name", "accepted_on", "due_on", "legal_days", "promised_days", "approving_unit_id",
            prefix="project__"):
        days = workdays_between(due, on)
        limit = promised if promised and promised < legal else legal
        out.append(_Pending(WarningKind.APPROVAL_LATE, Level.RED if days > RED_AFTER_WORKDAYS else Level.YELLOW,
                            text % {"kind": kind, "accepted": date_text(accepted), "n": limit,
                                    "due": date_text(due), "late": days}, p, unit))
    papers = mine.exclude(missing_papers="").filter(papers_supplied_on__isnull=True, papers_due_on__lt=on).exclude(
        state=ApprovalState.REFUSED).exclude(exempt=True)
    text = _("%(kind)s容缺受理,承诺 %(due)s 前补齐「%(papers)s」,已逾期未补齐")
    for p, kind, due, papers_text in _rows(papers, "kind__name", "papers_due_on", "missing_papers",
                                           prefix="project__"):
        out.append(_Pending(WarningKind.DEFERRED_PAPERS_LATE, Level.RED, text % {
            "kind": kind, "due": date_text(due), "papers": papers_text[:40]}, p, p.owner_id))
    commitments = mine.exclude(commitment="").filter(Q(commitment_verified_on__isnull=True),
                                                     commitment_due_on__lt=on)
    text = _("%(kind)s实行承诺制,应于 %(due)s 核查承诺「%(what)s」,已逾期未核查")
    for p, kind, due, what, unit in _rows(commitments, "kind__name", "commitment_due_on", "commitment",
                                          "approving_unit_id", prefix="project__"):
        out.append(_Pending(WarningKind.COMMITMENT_LATE, Level.YELLOW, text % {
            "kind": kind, "due": date_text(due), "what": what[:40]}, p, unit))
    return out
