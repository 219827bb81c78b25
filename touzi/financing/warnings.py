"""Financing warnings, listed beside the project warnings (registered in touzi/monitoring/extensions.py).

As of the end of a month M:

- 专项债券资金闲置 (fin_idle_bonds): a special-bond allocation whose money was disbursed to the project
  FINANCING_IDLE_BOND_MONTHS months or more before the end of M (settings; default 6) and is not all spent;
  red at twice that. Idle bond money is a common audit finding. Key `fin_idle_bonds:<allocation>:<YYYY-MM>`.
- 政府投资项目年度财政支出超过上限 (fin_fiscal_ceiling): the year's fiscal payments of government-invested
  projects plus the PPP fiscal responsibility above the ceiling share of the general public budget the plan
  office set (FiscalBudget.ceiling_pct); red when the PPP part alone is above 10%. Key
  `fin_fiscal_ceiling:<year>:<YYYY-MM>`; it goes to the finance bureau (unit key `finance`) when there is one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext as _

from touzi.core.scoping import scope, scope_of
from touzi.financing.choices import FinancingWarningKind
from touzi.financing.figures import affordability, plan_projects, yi
from touzi.financing.models import BondAllocation
from touzi.lib.periods import add_months, month_end, months_between
from touzi.monitoring.choices import Level
from touzi.projects.models import Project
from touzi.units.models import Unit, unit_labels


@dataclass(frozen=True)
class FinancingAlert:
    kind: str
    level: str
    reason: str
    agreement_id: int  # the record the warning is on (the name the shared warnings table reads)
    project_name: str
    project_code: str
    unit: str
    county: str
    unit_id: int | None = None
    county_id: int | None = None
    project_id: int | None = None

    @property
    def kind_label(self) -> str:
        return str(FinancingWarningKind(self.kind).label)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.agreement_id}"

    @property
    def url(self) -> str:
        if self.kind == FinancingWarningKind.IDLE_BONDS:
            return f"/financing/projects/{self.project_id}/"
        return f"/financing/fiscal/?year={self.agreement_id}"

    def as_dict(self, period: str) -> dict[str, Any]:
        return {"key": f"{self.key}:{period}", "kind": self.kind, "kind_label": self.kind_label,
                "level": self.level, "reason": self.reason, "record": self.agreement_id,
                "project": self.project_id, "project_name": self.project_name, "unit": self.unit,
                "county": self.county, "url": self.url}


def idle_months() -> int:
    return int(getattr(settings, "FINANCING_IDLE_BOND_MONTHS", 6))


def idle_bonds(user: Any, month: dt.date, *, plan: Any = None, allocation_id: int | None = None) -> list[FinancingAlert]:
    end = month_end(month)
    n = idle_months()
    cutoff = add_months(end.replace(day=1), -n + 1)  # disbursed in that month or before: N full months ago
    projects = scope(user, Project.objects.all())
    if plan is not None:
        projects = projects.filter(pk__in=plan_projects(plan).values("pk"))
    qs = BondAllocation.objects.filter(project__in=projects.values("pk"), disbursed__gt=F("spent"),
                                       disbursed_on__lt=cutoff)
    if allocation_id is not None:
        qs = qs.filter(pk=allocation_id)
    rows = list(qs.values_list("pk", "project_id", "project__name", "project__code", "project__owner_id",
                               "project__county_id", "batch", "disbursed", "spent", "disbursed_on"))
    labels = unit_labels({r[4] for r in rows} | {r[5] for r in rows})
    out = []
    for pk, project, name, code, owner, county, batch, disbursed, spent, on in rows:
        assert on is not None  # filtered on disbursed_on above
        months = months_between(on, end)
        level = Level.RED if months >= 2 * n else Level.YELLOW
        reason = _("%(batch)s 专项债券 %(on)s 拨付 %(d)s 万元,%(m)s 个月仍有 %(idle)s 万元未支出") % {
            "batch": batch, "on": on.isoformat(), "d": disbursed, "m": months, "idle": disbursed - spent}
        out.append(FinancingAlert(FinancingWarningKind.IDLE_BONDS, level, reason, pk, name, code or "",
                                  labels.get(owner, ""), labels.get(county, ""), owner, county, project))
    return out


def fiscal_ceiling(user: Any, month: dt.date, *, plan: Any = None) -> list[FinancingAlert]:
    """The city-wide warning: only those who read everything (and the plan office) see it."""
    who = scope_of(user) if getattr(user, "pk", None) is not None else None
    if who is not None and not (who.is_office or who.everything):
        return []
    found = affordability(month.year, plan_projects(plan) if plan is not None else None)
    if not found["over_ceiling"]:
        return []
    finance = Unit.objects.filter(key="finance").values_list("pk", "name").first()
    red = bool(found["ppp_share"] is not None and found["ppp_share"] > found["ppp_limit_pct"])
    level = Level.RED if red and finance else Level.YELLOW
    reason = _("%(year)s 年政府投资项目财政支出 %(total)s 亿元,占一般公共预算支出 %(share)s%%,超过上限 %(ceiling)s%%") % {
        "year": month.year, "total": yi(found["fiscal_total"]), "share": found["fiscal_share"],
        "ceiling": found["ceiling_pct"]}
    return [FinancingAlert(FinancingWarningKind.FISCAL_CEILING, level, reason, month.year,
                           _("%(year)s 年财政承受能力") % {"year": month.year}, "", finance[1] if finance else "", "",
                           finance[0] if finance else None, None, None)]


def financing_alerts(user: Any, month: dt.date, *, plan: Any = None) -> list[FinancingAlert]:
    found = [*fiscal_ceiling(user, month, plan=plan), *idle_bonds(user, month, plan=plan)]
    order: dict[str, int] = {Level.RED: 0, Level.YELLOW: 1}
    return sorted(found, key=lambda a: (order[a.level], a.kind, a.county, a.project_name))


def find(user: Any, key: str, *, plan: Any = None) -> FinancingAlert | None:
    parts = key.split(":")
    if len(parts) != 3 or parts[0] not in FinancingWarningKind.values:
        return None
    try:
        month = dt.date(int(parts[2][:4]), int(parts[2][5:7]), 1)
        pk = int(parts[1])
    except ValueError:
        return None
    if parts[0] == FinancingWarningKind.IDLE_BONDS:
        return next(iter(idle_bonds(user, month, plan=plan, allocation_id=pk)), None)
    return next(iter(a for a in fiscal_ceiling(user, month, plan=plan) if a.agreement_id == pk), None)
