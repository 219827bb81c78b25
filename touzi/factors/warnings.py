"""Early warnings on the factor ledgers (要素保障预警), listed beside the project warnings.

As of the end of a month M:

- 申请超出余量 (factor_over_headroom): a quota of M's year whose requests waiting for a decision exceed what
  is left of it (余量 = quota − approved allocations); red when nothing is left at all.
- 逾期未开工 (factor_not_started): an allocation approved NOT_STARTED_MONTHS months or more before the end of
  M whose project has not started by then — the quota should go back to the pool (收回); red at twice that.

Computed here, one query per kind whatever the ledger's size, and shaped like the project warnings (kind,
level, reason, who answers, county, a stable key `kind:<quota or allocation id>:YYYY-MM`), so the warnings page
lists them and a supervision task is raised from them the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils.translation import gettext as _

from touzi.core.scoping import scope
from touzi.factors.choices import UNIT_OF, AllocationStatus, FactorWarningKind, QuotaKind
from touzi.factors.figures import exact, with_headroom
from touzi.factors.models import Allocation, Quota
from touzi.lib.periods import add_months, month_end, months_between
from touzi.monitoring.choices import Level
from touzi.units.models import unit_labels

# The months an allocated project has to start before its quota should go back to the pool (the plan's rule;
# a city may set TOUZI_FACTOR_START_MONTHS).
NOT_STARTED_MONTHS = 6


def start_months() -> int:
    return int(getattr(settings, "TOUZI_FACTOR_START_MONTHS", NOT_STARTED_MONTHS))


@dataclass(frozen=True)
class FactorAlert:
    kind: str
    level: str
    reason: str
    subject_id: int  # the quota (over headroom) or the allocation (not started)
    project_name: str  # what the warning is about, in words (named like a project warning's)
    project_code: str
    unit: str
    county: str
    unit_id: int | None = None
    county_id: int | None = None
    project_id: int | None = None
    quota_id: int | None = None

    @property
    def kind_label(self) -> str:
        return str(FactorWarningKind(self.kind).label)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.subject_id}"

    @property
    def url(self) -> str:
        return f"/factors/quotas/{self.quota_id}/"

    def as_dict(self, period: str) -> dict[str, Any]:
        return {"key": f"{self.key}:{period}", "kind": self.kind, "kind_label": self.kind_label,
                "level": self.level, "reason": self.reason, "subject": self.subject_id, "quota": self.quota_id,
                "name": self.project_name, "project": self.project_id, "unit": self.unit, "county": self.county,
                "url": self.url}


def factor_alerts(user: Any, month: dt.date, *, plan: Any = None, subject_id: int | None = None,
                  kind: str | None = None) -> list[FactorAlert]:
    """Every warning on the quotas and allocations `user` may see, as of the end of `month`."""
    end = month_end(month)
    found: list[FactorAlert] = []
    if kind in (None, FactorWarningKind.OVER_HEADROOM):
        found += _over_headroom(user, end, subject_id)
    if kind in (None, FactorWarningKind.NOT_STARTED):
        found += _not_started(user, month.replace(day=1), end, subject_id)
    order: dict[str, int] = {Level.RED: 0, Level.YELLOW: 1}
    return sorted(found, key=lambda a: (order[a.level], a.kind, a.county, a.project_name))


def _over_headroom(user: Any, end: dt.date, quota_id: int | None) -> list[FactorAlert]:
    quotas = scope(user, Quota.objects.filter(year=end.year))
    if quota_id is not None:
        quotas = quotas.filter(pk=quota_id)
    rows = list(with_headroom(quotas.order_by()).filter(waiting__gt=0, pending__gt=F("headroom"))
                .values_list("id", "kind", "county_id", "park_id", "amount", "headroom", "pending", "waiting"))
    labels = unit_labels({r[2] for r in rows} | {r[3] for r in rows if r[3]})
    out = []
    for pk, kind, county_id, park_id, _amount, headroom, pending, waiting in rows:
        left, asked, unit = exact(headroom), exact(pending), UNIT_OF[kind]
        place = labels.get(park_id or county_id, "")
        level = Level.RED if left <= 0 else Level.YELLOW
        reason = _("%(year)s年%(kind)s余量 %(left)s %(unit)s,待批申请 %(n)s 项共 %(asked)s %(unit)s,超出 %(over)s %(unit)s") % {
            "year": end.year, "kind": QuotaKind(kind).label, "left": left, "unit": unit, "n": waiting,
            "asked": asked, "over": asked - left}
        out.append(FactorAlert(FactorWarningKind.OVER_HEADROOM, level, reason, pk,
                               f"{place} {QuotaKind(kind).label}", "", place, labels.get(county_id, ""),
                               park_id or county_id, county_id, None, pk))
    return out


def _not_started(user: Any, month: dt.date, end: dt.date, allocation_id: int | None) -> list[FactorAlert]:
    months = start_months()
    since = add_months(month, -months + 1)  # approved in that month or before: N full months ago
    qs = scope(user, Allocation.objects.filter(status=AllocationStatus.APPROVED, approved_on__lt=since)).filter(
        Q(project__actual_start__isnull=True) | Q(project__actual_start__gt=end))
    if allocation_id is not None:
        qs = qs.filter(pk=allocation_id)
    rows = list(qs.order_by().values_list("id", "quota_id", "quota__kind", "approved", "approved_on", "project_id",
                                          "project__name", "project__code", "project__county_id"))
    labels = unit_labels({r[8] for r in rows})
    out = []
    for pk, quota_id, kind, approved, approved_on, project_id, name, code, county_id in rows:
        late = months_between(approved_on, end)
        level = Level.RED if late >= 2 * months else Level.YELLOW
        reason = _("%(date)s 批准%(kind)s %(n)s %(unit)s,%(months)s 个月仍未开工,指标应收回统筹") % {
            "date": approved_on.isoformat(), "kind": QuotaKind(kind).label, "n": exact(approved),
            "unit": UNIT_OF[kind], "months": late}
        county = labels.get(county_id, "")
        out.append(FactorAlert(FactorWarningKind.NOT_STARTED, level, reason, pk, name, code or "", county, county,
                               county_id, county_id, project_id, quota_id))
    return out


def find(user: Any, key: str, *, plan: Any = None) -> FactorAlert | None:
    """The warning a key names (`kind:id:YYYY-MM`), if it still stands for `user`."""
    parts = key.split(":")
    if len(parts) != 3 or parts[0] not in FactorWarningKind.values:
        return None
    try:
        month = dt.date(int(parts[2][:4]), int(parts[2][5:7]), 1)
        subject = int(parts[1])
    except ValueError:
        return None
    return next(iter(factor_alerts(user, month, plan=plan, subject_id=subject, kind=parts[0])), None)
