"""基本建设程序: the procedures a project may not skip, checked by the rules kept as data (ComplianceRule).

One query per rule, whatever the portfolio's size: the projects in the rule's situation at the date, without
one of the required approvals done (or exempted) by then — for `before` rules, done by the month of the first
investment reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from touzi.approvals.choices import ApprovalState, Condition
from touzi.approvals.models import Approval, ComplianceRule
from touzi.lib.periods import month_text
from touzi.projects.choices import STARTED, Stage
from touzi.reports.choices import ReportStatus
from touzi.reports.models import MonthlyReport

_STARTED = sorted(STARTED)
_COMPLETED = [Stage.COMPLETED, Stage.IN_OPERATION]


@dataclass(frozen=True)
class Violation:
    project_id: int
    project: str | None  # the national project code
    project_name: str
    rule: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"project": self.project, "project_id": self.project_id, "project_name": self.project_name,
                "rule": self.rule, "detail": self.detail}


def _reported(on: dt.date) -> Any:
    return MonthlyReport.objects.filter(project=OuterRef("pk"), amount__gt=0, month__lte=on).exclude(
        status=ReportStatus.DRAFT)


def _situation(condition: str, on: dt.date) -> Q | Exists:
    if condition == Condition.STARTED:
        return Q(stage__in=_STARTED) | Q(actual_start__lte=on)
    if condition == Condition.COMPLETED:
        return Q(stage__in=_COMPLETED) | Q(actual_completion__lte=on)
    if condition == Condition.GOVERNMENT:
        return Q(is_government=True)
    if condition == Condition.INVESTMENT_REPORTED:
        return Exists(_reported(on))
    raise ValueError(condition)


def check(rule: ComplianceRule, projects: Any, on: dt.date) -> list[Violation]:
    """The projects among `projects` that break `rule` as of `on`."""
    qs = projects.order_by()
    for condition in rule.conditions:
        qs = qs.filter(_situation(condition, on))
    required = Approval.objects.filter(project=OuterRef("pk"), kind__key__in=rule.requires_any)
    exempt = required.filter(exempt=True)
    if rule.before:
        in_time = (Approval.objects.annotate(month=TruncMonth("done_on"))
                   .filter(project=OuterRef("project_id"), kind__key__in=rule.requires_any, state=ApprovalState.DONE,
                           month__lte=OuterRef("month")))
        early = _reported(on).annotate(ok=Exists(in_time)).filter(ok=False).order_by("month")
        qs = qs.filter(Exists(early)).exclude(Exists(exempt)).annotate(first=Subquery(early.values("month")[:1]))
        rows = qs.order_by("code", "pk").values_list("pk", "code", "name", "first")
        more = _("(%(month)s 已报送完成投资,其时尚未办结)")
        return [Violation(pk, code, name, rule.key, rule.text + more % {"month": month_text(first)})
                for pk, code, name, first in rows]
    done = required.filter(state=ApprovalState.DONE, done_on__lte=on)
    qs = qs.exclude(Exists(done)).exclude(Exists(exempt))
    return [Violation(pk, code, name, rule.key, rule.text)
            for pk, code, name in qs.order_by("code", "pk").values_list("pk", "code", "name")]


def violations(projects: Any, on: dt.date) -> list[Violation]:
    out = []
    for rule in ComplianceRule.objects.filter(active=True):
        out += check(rule, projects, on)
    return out
