"""Early warnings on projects at a month (预警). One query per kind of warning, whatever the portfolio's size.

Each warning says what is wrong in plain Chinese, how bad (yellow / red), who answers for it, and which
project; its `key` is stable so a supervision task can be raised from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.core.actor import Actor
from touzi.lib.periods import add_months, date_text, month_text, months_between
from touzi.monitoring.choices import Level, WarningKind
from touzi.monitoring.extensions import project_alert_sources
from touzi.monitoring.periods import step
from touzi.monitoring.sets import plan_projects
from touzi.monitoring.settings import settings_for
from touzi.plans.models import Plan
from touzi.projects.choices import UNDER_CONSTRUCTION, FactorKind, Stage
from touzi.projects.models import FactorIssue
from touzi.projects.selectors import with_clarities
from touzi.reports.choices import ReportStatus
from touzi.reports.counted import MONEY_FIELD, ZERO, months_sum
from touzi.reports.models import MonthlyReport
from touzi.reports.rules import combines_jan_feb
from touzi.units.models import unit_labels

UNDER_WAY = sorted(UNDER_CONSTRUCTION)  # 压缩规模 goes on building; 停缓建 does not


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
    unit_id: int | None = None  # the unit a supervision task raised from this warning goes to
    county_id: int | None = None

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


class _P(NamedTuple):
    """The columns of a project a warning shows (a row, not a model instance: there can be 10^5 of them)."""

    id: int
    name: str
    code: str | None
    lead_unit_id: int | None
    county_id: int
    owner_id: int


_FIELDS = _P._fields


def _rows(qs: Any, *extra: str, prefix: str = "") -> Any:
    """(project row, *extra values) for each row of qs."""
    width = len(_FIELDS)
    for values in qs.values_list(*[prefix + f for f in _FIELDS], *extra):
        yield _P(*values[:width]), *values[width:]


class _Pending(NamedTuple):
    kind: str
    level: str
    reason: str
    p: _P
    unit_id: int | None  # who answers for it, if not the lead unit (or the county)


def _resolve(pending: list[_Pending]) -> list[Alert]:
    """Alerts with the names of their units, looked up once for all of them."""
    ids = {x.unit_id for x in pending} | {x.p.lead_unit_id for x in pending} | {x.p.county_id for x in pending}
    # Each unit's name in the user's language, worked out once (not once per warning).
    labels = unit_labels(sorted(i for i in ids if i is not None))

    def label(unit_id: int | None) -> str:
        return labels.get(unit_id, "") if unit_id is not None else ""

    alerts = []
    for x in pending:
        unit_id = x.unit_id or x.p.lead_unit_id or x.p.county_id
        alerts.append(Alert(x.kind, x.level, x.reason, x.p.id, x.p.name, x.p.code, label(unit_id),
                            label(x.p.county_id), unit_id, x.p.county_id))
    return alerts


def alerts(user: Actor, plan: Plan, month: dt.date, *, today: dt.date | None = None) -> list[Alert]:
    """Every warning on the projects `user` may see, as of the end of `month` (and `today` for deadlines)."""
    today = today or timezone.localdate()
    rules = settings_for(plan)
    base = plan_projects(user, plan).order_by()
    found: list[_Pending] = []
    found += _behind_plan(base, month, rules)
    found += _start_late(base, month, rules)
    found += _completion_late(base, month, rules)
    found += _report_missing(base, month, rules, today)
    found += _clarities(base, month)
    found += _factors(base, month, today)
    for source in project_alert_sources():  # the approvals' late approvals, papers and commitments
        found += source(base, month, today)
    order: dict[str, int] = {Level.RED: 0, Level.YELLOW: 1}
    return sorted(_resolve(found), key=lambda a: (order[a.level], a.kind, a.county, a.project_name))


def _behind_plan(base: Any, month: dt.date, rules: Any) -> list[_Pending]:
    """Year-to-date investment (accepted reports plus adjustments) below the annual plan's time-proportional share.

    One pass: each under-way project joined to its annual plan and its counted year (one row each), no
    grouping and no correlated sums.
    """
    elapsed = Decimal(month.month) / Decimal(12)
    rows = (base.filter(stage__in=UNDER_WAY)
            .annotate(plan_row=FilteredRelation("annual_plans", condition=Q(annual_plans__year=month.year)),
                      counted_row=FilteredRelation("counted_years", condition=Q(counted_years__year=month.year)))
            .annotate(planned=F("plan_row__planned_investment"),
                      ytd=Coalesce(months_sum(1, month.month, "counted_row__"), ZERO, output_field=MONEY_FIELD))
            .filter(planned__gt=0, ytd__lt=F("planned") * elapsed * rules.project_yellow_ratio))
    out = []
    percent = (elapsed * 100).quantize(Decimal("0.1"))
    text = _("1—%(m)s月完成投资 %(ytd)s 万元,为年度计划 %(plan)s 万元的 %(share)s%%,低于序时进度 %(elapsed)s%%")
    for p, planned, ytd in _rows(rows, "planned", "ytd"):
        share = (ytd / planned * 100).quantize(Decimal("0.1"))
        level = Level.RED if ytd < planned * elapsed * rules.project_red_ratio else Level.YELLOW
        reason = text % {
            "m": month.month, "ytd": f"{ytd:,.0f}", "plan": f"{planned:,.0f}", "share": share, "elapsed": percent}
        out.append(_Pending(WarningKind.BEHIND_PLAN, level, reason, p, None))
    return out


def _start_late(base: Any, month: dt.date, rules: Any) -> list[_Pending]:
    rows = base.filter(stage__in=[Stage.RESERVE, Stage.PRELIMINARY], planned_start__lt=month)
    out = []
    text = _("计划 %(date)s 开工,已逾期 %(n)s 个月仍未开工")
    for p, planned_start in _rows(rows, "planned_start"):
        late = months_between(planned_start, month)
        level = Level.RED if late >= rules.late_red_months else Level.YELLOW
        out.append(_Pending(WarningKind.START_LATE, level, text % {"date": month_text(planned_start), "n": late},
                            p, None))
    return out


def _completion_late(base: Any, month: dt.date, rules: Any) -> list[_Pending]:
    rows = base.filter(stage__in=UNDER_WAY, planned_completion__lt=month)
    out = []
    text = _("计划 %(date)s 竣工,已逾期 %(n)s 个月仍未竣工")
    for p, planned_completion in _rows(rows, "planned_completion"):
        late = months_between(planned_completion, month)
        level = Level.RED if late >= rules.late_red_months else Level.YELLOW
        out.append(_Pending(WarningKind.COMPLETION_LATE, level,
                            text % {"date": month_text(planned_completion), "n": late}, p, None))
    return out


def _report_missing(base: Any, month: dt.date, rules: Any, today: dt.date) -> list[_Pending]:
    """No report (other than a draft) for the month once the deadline (the Nth of the next month) has passed."""
    if month.month == 1 and combines_jan_feb(month.year):
        return []
    deadline = add_months(month, 1).replace(day=rules.report_deadline_day)
    if today <= deadline:
        return []
    reported = MonthlyReport.objects.filter(project=OuterRef("pk"), month=month).exclude(status=ReportStatus.DRAFT)
    previous = step(month, -1)  # the reporting month before: a January reported with February is stepped over
    reported_before = MonthlyReport.objects.filter(project=OuterRef("pk"), month=previous).exclude(
        status=ReportStatus.DRAFT)
    rows = (base.filter(stage__in=UNDER_WAY).filter(Q(actual_start__isnull=True) | Q(actual_start__lte=month))
            .annotate(has=Exists(reported), had=Exists(reported_before)).filter(has=False))
    # The two possible texts, translated once.
    texts = {had: _("%(month)s 月报未在 %(deadline)s 前报送%(more)s") % {
        "month": month_text(month, combined=combines_jan_feb(month.year)), "deadline": date_text(deadline),
        "more": "" if had else _(",上月也未报送")}
        for had in (True, False)}
    return [_Pending(WarningKind.REPORT_MISSING, Level.YELLOW if had else Level.RED, texts[had], p, p.owner_id)
            for p, had in _rows(rows, "had")]


def _clarities(base: Any, month: dt.date) -> list[_Pending]:
    starting = Q(stage__in=UNDER_WAY) | Q(stage__in=[Stage.RESERVE, Stage.PRELIMINARY],
                                          planned_start__year=month.year)
    rows = with_clarities(base.filter(starting, is_real_estate=False), month.year).filter(
        Q(clear_funding=False) | Q(clear_farmland=False) | Q(clear_progress=False) | Q(clear_investment=False)
        | Q(clear_approvals=False))
    out = []
    names = {"clear_funding": _("资金筹措方案"), "clear_farmland": _("耕地占补平衡方案"),
             "clear_progress": _("年度进度目标"), "clear_investment": _("年度投资计划"),
             "clear_approvals": _("重要审批环节办理时限")}
    text, comma = _("五明确未落实:%(items)s"), _("、")
    labels = [str(label) for label in names.values()]
    for p, *flags in _rows(rows, *names):
        missing = [label for flag, label in zip(flags, labels, strict=True) if not flag]
        level = Level.RED if len(missing) >= 3 else Level.YELLOW
        out.append(_Pending(WarningKind.CLARITIES, level, text % {"items": comma.join(missing)}, p, None))
    return out


def _factors(base: Any, month: dt.date, today: dt.date) -> list[_Pending]:
    as_of = min(today, add_months(month, 1) - dt.timedelta(days=1))
    issues = FactorIssue.objects.filter(project__in=base.values("id"), resolved_at__isnull=True,
                                        raised_at__date__lte=as_of).order_by("pk")
    out = []
    text, late = _("%(kind)s问题未解决:%(text)s"), _("(时限 %(due)s 已过)")
    for p, kind, description, due, owed_by in _rows(issues, "kind", "description", "due", "owed_by_id",
                                                    prefix="project__"):
        overdue = due is not None and due < as_of
        reason = text % {"kind": FactorKind(kind).label, "text": description[:60]}
        if overdue:
            reason += late % {"due": date_text(due)}
        out.append(_Pending(WarningKind.FACTOR_OPEN, Level.RED if overdue else Level.YELLOW, reason, p, owed_by))
    return out

