"""Early warnings on projects at a month (预警). One query per kind of warning, whatever the portfolio's size.

Each warning says what is wrong in plain Chinese, how bad (yellow / red), who answers for it, and which
project; its `key` is stable so a supervision task can be raised from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, FilteredRelation, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.lib.periods import add_months
from touzi.monitoring.choices import Level, WarningKind
from touzi.monitoring.settings import settings_for
from touzi.plans.models import Plan
from touzi.projects.choices import Stage
from touzi.projects.models import AnnualPlan, FactorIssue, Project
from touzi.projects.selectors import visible_projects, with_clarities
from touzi.reports.choices import COUNTED, ReportStatus
from touzi.reports.models import Adjustment, MonthlyReport
from touzi.reports.rules import combines_jan_feb
from touzi.reports.totals import MONEY_FIELD, ZERO, counted

UNDER_WAY = [Stage.NEW_START, Stage.CONTINUING]


@dataclass(frozen=True)
class Alert:
    kind: str
    level: str
    reason: str
    project_id: int
    project_name: str
    project_code: str | None
    unit: str  # who answers for it
    county: str

    @property
    def kind_label(self) -> str:
        return str(WarningKind(self.kind).label)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.project_id}"

    def as_dict(self, period: str) -> dict[str, Any]:
        return {"key": f"{self.key}:{period}", "kind": self.kind, "kind_label": str(WarningKind(self.kind).label),
                "level": self.level, "reason": self.reason, "project": self.project_id,
                "project_name": self.project_name, "project_code": self.project_code, "unit": self.unit,
                "county": self.county, "url": f"/projects/{self.project_id}/"}


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _responsible(p: Project) -> str:
    """The 牵头推进单位, or the county where a project has none."""
    return (p.lead_unit.label if p.lead_unit_id else p.county.label) or ""


def _alert(kind: str, level: str, reason: str, p: Project, unit: str | None = None) -> Alert:
    return Alert(kind, level, reason, p.pk, p.name, p.code, unit or _responsible(p), p.county.label)


def alerts(user: Any, plan: Plan, month: dt.date, *, today: dt.date | None = None) -> list[Alert]:
    """Every warning on the projects `user` may see, as of the end of `month` (and `today` for deadlines)."""
    today = today or timezone.localdate()
    rules = settings_for(plan)
    base = visible_projects(user).select_related("lead_unit", "owner", "county")
    found: list[Alert] = []
    found += _behind_plan(base, month, rules)
    found += _start_late(base, month, rules)
    found += _completion_late(base, month, rules)
    found += _report_missing(base, month, rules, today)
    found += _clarities(base, month)
    found += _factors(base, month, today)
    order = {Level.RED: 0, Level.YELLOW: 1}
    return sorted(found, key=lambda a: (order[a.level], a.kind, a.county, a.project_name))


def _behind_plan(base: Any, month: dt.date, rules: Any) -> list[Alert]:
    """Year-to-date investment below the annual plan's time-proportional share.

    Candidates first, in one narrow grouped pass: the projects whose accepted reports of the year (a
    filtered LEFT JOIN, so no report counts as 0) fall below the line, plus any project with an
    adjustment in those months (a handful, whose sign may go either way). Only the candidates then
    get the exact figures (reports plus adjustments) as correlated sums, with their names and units.
    """
    elapsed = Decimal(month.month) / Decimal(12)
    start = month.replace(month=1)
    on_plan = Q(stage__in=UNDER_WAY, annual_plans__year=month.year, annual_plans__planned_investment__gt=0)
    below = (base.select_related(None).order_by().filter(on_plan)
             .annotate(year_reports=FilteredRelation("reports", condition=Q(
                 reports__status__in=COUNTED, reports__month__range=(start, month))))
             .values("id")
             .annotate(planned=Max("annual_plans__planned_investment"),
                       reported=Coalesce(Sum("year_reports__amount"), ZERO, output_field=MONEY_FIELD))
             .filter(reported__lt=F("planned") * elapsed * rules.project_yellow_ratio)
             .values("id"))
    adjusted = Adjustment.objects.filter(month__range=(start, month)).values("project_id")
    planned = AnnualPlan.objects.filter(project=OuterRef("pk"), year=month.year).values("planned_investment")[:1]
    rows = (base.filter(stage__in=UNDER_WAY).filter(Q(id__in=below) | Q(id__in=adjusted))
            .annotate(planned=Coalesce(Subquery(planned, output_field=MONEY_FIELD), ZERO, output_field=MONEY_FIELD),
                      ytd=counted(start, month))
            .filter(planned__gt=0, ytd__lt=F("planned") * elapsed * rules.project_yellow_ratio))
    out = []
    for p in rows:
        share = (p.ytd / p.planned * 100).quantize(Decimal("0.1"))
        level = Level.RED if p.ytd < p.planned * elapsed * rules.project_red_ratio else Level.YELLOW
        reason = _("1—%(m)s月完成投资 %(ytd)s 万元,为年度计划 %(plan)s 万元的 %(share)s%%,低于序时进度 %(elapsed)s%%") % {
            "m": month.month, "ytd": f"{p.ytd:,.0f}", "plan": f"{p.planned:,.0f}", "share": share,
            "elapsed": (elapsed * 100).quantize(Decimal("0.1"))}
        out.append(_alert(WarningKind.BEHIND_PLAN, level, reason, p))
    return out


def _start_late(base: Any, month: dt.date, rules: Any) -> list[Alert]:
    rows = base.filter(stage__in=[Stage.RESERVE, Stage.PRELIMINARY], planned_start__lt=month)
    out = []
    for p in rows:
        late = _months_between(p.planned_start, month)
        level = Level.RED if late >= rules.late_red_months else Level.YELLOW
        out.append(_alert(WarningKind.START_LATE, level,
                          _("计划 %(date)s 开工,已逾期 %(n)s 个月仍未开工") % {"date": f"{p.planned_start:%Y-%m}", "n": late},
                          p))
    return out


def _completion_late(base: Any, month: dt.date, rules: Any) -> list[Alert]:
    rows = base.filter(stage__in=UNDER_WAY, planned_completion__lt=month)
    out = []
    for p in rows:
        late = _months_between(p.planned_completion, month)
        level = Level.RED if late >= rules.late_red_months else Level.YELLOW
        out.append(_alert(WarningKind.COMPLETION_LATE, level,
                          _("计划 %(date)s 竣工,已逾期 %(n)s 个月仍未竣工") % {
                              "date": f"{p.planned_completion:%Y-%m}", "n": late}, p))
    return out


def _report_missing(base: Any, month: dt.date, rules: Any, today: dt.date) -> list[Alert]:
    """No report (other than a draft) for the month once the deadline (the Nth of the next month) has passed."""
    if month.month == 1 and combines_jan_feb(month.year):
        return []
    deadline = add_months(month, 1).replace(day=rules.report_deadline_day)
    if today <= deadline:
        return []
    reported = MonthlyReport.objects.filter(project=OuterRef("pk"), month=month).exclude(status=ReportStatus.DRAFT)
    previous = add_months(month, -1)
    if previous.month == 1 and combines_jan_feb(previous.year):
        previous = add_months(previous, -1)
    reported_before = MonthlyReport.objects.filter(project=OuterRef("pk"), month=previous).exclude(
        status=ReportStatus.DRAFT)
    rows = (base.filter(stage__in=UNDER_WAY).filter(Q(actual_start__isnull=True) | Q(actual_start__lte=month))
            .annotate(has=Exists(reported), had=Exists(reported_before)).filter(has=False))
    return [_alert(WarningKind.REPORT_MISSING, Level.YELLOW if p.had else Level.RED,
                   _("%(month)s 月报未在 %(deadline)s 前报送%(more)s") % {
                       "month": f"{month:%Y-%m}", "deadline": f"{deadline:%Y-%m-%d}",
                       "more": "" if p.had else _(",上月也未报送")},
                   p, unit=p.owner.label) for p in rows]


def _clarities(base: Any, month: dt.date) -> list[Alert]:
    starting = Q(stage__in=UNDER_WAY) | Q(stage__in=[Stage.RESERVE, Stage.PRELIMINARY],
                                          planned_start__year=month.year)
    rows = with_clarities(base.filter(starting, is_real_estate=False), month.year).filter(
        Q(clear_funding=False) | Q(clear_farmland=False) | Q(clear_progress=False) | Q(clear_investment=False)
        | Q(clear_approvals=False))
    out = []
    names = {"clear_funding": _("资金筹措方案"), "clear_farmland": _("耕地占补平衡方案"),
             "clear_progress": _("年度进度目标"), "clear_investment": _("年度投资计划"),
             "clear_approvals": _("重要审批环节办理时限")}
    for p in rows:
        missing = [label for name, label in names.items() if not getattr(p, name)]
        level = Level.RED if len(missing) >= 3 else Level.YELLOW
        out.append(_alert(WarningKind.CLARITIES, level, _("五明确未落实:%(items)s") % {"items": _("、").join(missing)}, p))
    return out


def _factors(base: Any, month: dt.date, today: dt.date) -> list[Alert]:
    as_of = min(today, add_months(month, 1) - dt.timedelta(days=1))
    issues = (FactorIssue.objects.filter(project__in=base.values("id"), resolved_at__isnull=True,
                                         raised_at__date__lte=as_of)
              .select_related("project", "project__county", "project__owner", "project__lead_unit", "owed_by"))
    out = []
    for issue in issues:
        overdue = issue.due is not None and issue.due < as_of
        reason = _("%(kind)s问题未解决:%(text)s") % {"kind": issue.get_kind_display(), "text": issue.description[:60]}
        if overdue:
            reason += _("(时限 %(due)s 已过)") % {"due": issue.due}
        out.append(_alert(WarningKind.FACTOR_OPEN, Level.RED if overdue else Level.YELLOW, reason, issue.project,
                          unit=issue.owed_by.label))
    return out

