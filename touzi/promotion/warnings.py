"""Early warnings on promotion agreements (招商签约项目预警), listed beside the project warnings.

A project warning is about a registry project; these are about an agreement, which may have no project yet.
They are computed here, one query per kind whatever the register's size, and look like the project warnings
(kind, level, reason, who answers, county, a stable key) so the warnings page lists them and a supervision
task is raised from them the same way: the task keeps the key `promo_…:<agreement id>:<YYYY-MM>`.

As of the end of a month M:

- 合同节点逾期 (promo_milestone_late): a contract milestone (注册, 供地, 开工, 投产) due on or before the end of M
  not reached by then; red when the oldest one is RED_AFTER_MONTHS months late or more.
- 长期无到位资金 (promo_no_funds): signed NO_FUNDS_MONTHS months or more before the end of M and no accepted
  funds arrived up to M; red at twice that.
- 长期停滞 (promo_stalled): still in 签约, 注册, 落地 or 开工 and in that state for STALLED_MONTHS months or more;
  red at twice that.

Terminated agreements and those at capacity (达产) have no warnings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from touzi.core.actor import Actor
from touzi.core.scoping import scope
from touzi.lib.periods import add_months, month_end, month_text, months_between
from touzi.monitoring.choices import Level
from touzi.promotion.choices import MILESTONES, AgreementState, FundsStatus, PromotionWarningKind
from touzi.promotion.figures import plan_agreements
from touzi.promotion.models import Agreement, FundsReport
from touzi.units.models import unit_labels

NO_FUNDS_MONTHS = 6
STALLED_MONTHS = 12
RED_AFTER_MONTHS = 3
CLOSED = [AgreementState.TERMINATED, AgreementState.AT_CAPACITY]
STALLING = [AgreementState.SIGNED, AgreementState.REGISTERED, AgreementState.LANDED, AgreementState.STARTED]
COLUMNS = ("id", "code", "name", "project_id", "unit_id", "county_id")


@dataclass(frozen=True)
class AgreementAlert:
    kind: str
    level: str
    reason: str
    agreement_id: int
    project_name: str  # the agreement's name (named like a project warning's, so the same code shows both)
    project_code: str
    unit: str
    county: str
    unit_id: int | None = None
    county_id: int | None = None
    project_id: int | None = None  # the registry project it landed as, if any

    @property
    def kind_label(self) -> str:
        return str(PromotionWarningKind(self.kind).label)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.agreement_id}"

    def as_dict(self, period: str) -> dict[str, Any]:
        return {"key": f"{self.key}:{period}", "kind": self.kind, "kind_label": self.kind_label,
                "level": self.level, "reason": self.reason, "agreement": self.agreement_id,
                "agreement_name": self.project_name, "agreement_code": self.project_code,
                "project": self.project_id, "unit": self.unit, "county": self.county,
                "url": f"/promotion/{self.agreement_id}/"}


def visible_agreements(user: Actor, plan: Any = None) -> QuerySet[Agreement]:
    qs = scope(user, Agreement.objects.all())
    return qs.filter(pk__in=plan_agreements(plan).values("pk")) if plan is not None else qs


def agreement_alerts(user: Actor, month: dt.date, *, plan: Any = None,
                     agreement_id: int | None = None) -> list[AgreementAlert]:
    """Every warning on the agreements `user` may see (of the plan's region), as of the end of `month`."""
    end = month_end(month)
    base = visible_agreements(user, plan).filter(signed_on__lte=end).exclude(state__in=CLOSED).order_by()
    if agreement_id is not None:
        base = base.filter(pk=agreement_id)
    found: list[tuple[str, str, str, tuple]] = []
    found += _milestones_late(base, end)
    found += _no_funds(base, month.replace(day=1), end)
    found += _stalled(base, end)
    labels = unit_labels(sorted({r[3][4] for r in found} | {r[3][5] for r in found}))
    alerts = [AgreementAlert(kind, level, reason, row[0], row[2], row[1], labels.get(row[4], ""),
                             labels.get(row[5], ""), row[4], row[5], row[3])
              for kind, level, reason, row in found]
    order: dict[str, int] = {Level.RED: 0, Level.YELLOW: 1}
    return sorted(alerts, key=lambda a: (order[a.level], a.kind, a.county, a.project_name))


def _milestones_late(base: QuerySet[Agreement], end: dt.date) -> list[tuple]:
    late = Q()
    for due, actual, _label in MILESTONES:
        late |= Q(**{f"{due}__lte": end}) & (Q(**{f"{actual}__isnull": True}) | Q(**{f"{actual}__gt": end}))
    fields = [f for due, actual, _label in MILESTONES for f in (due, actual)]
    out = []
    for values in base.filter(late).values_list(*COLUMNS, *fields):
        row, dates = values[:len(COLUMNS)], dict(zip(fields, values[len(COLUMNS):], strict=True))
        missed = [(dates[due], label) for due, actual, label in MILESTONES
                  if dates[due] is not None and dates[due] <= end and (dates[actual] is None or dates[actual] > end)]
        oldest = min(day for day, _label in missed)
        level = Level.RED if months_between(oldest, end) >= RED_AFTER_MONTHS else Level.YELLOW
        reason = "；".join(_("约定%(step)s日期 %(date)s 已过仍未%(step)s") % {"step": label, "date": day.isoformat()}
                          for day, label in missed)
        out.append((PromotionWarningKind.MILESTONE_LATE, level, reason, row))
    return out


def _no_funds(base: QuerySet[Agreement], month: dt.date, end: dt.date) -> list[tuple]:
    arrived = FundsReport.objects.filter(agreement=OuterRef("pk"), status=FundsStatus.ACCEPTED, month__lte=month)
    since = add_months(month, -NO_FUNDS_MONTHS + 1)  # signed in that month or before: N full months ago
    qs = base.filter(signed_on__lt=since).exclude(Exists(arrived))
    out = []
    for values in qs.values_list(*COLUMNS, "signed_on"):
        row, signed = values[:len(COLUMNS)], values[-1]
        months = months_between(signed, end)
        level = Level.RED if months >= 2 * NO_FUNDS_MONTHS else Level.YELLOW
        reason = _("签约于 %(date)s,%(months)s 个月仍无到位资金(截至%(month)s)") % {
            "date": signed.isoformat(), "months": months, "month": month_text(month)}
        out.append((PromotionWarningKind.NO_FUNDS, level, reason, row))
    return out


def _stalled(base: QuerySet[Agreement], end: dt.date) -> list[tuple]:
    since = add_months(end.replace(day=1), -STALLED_MONTHS + 1)
    qs = base.filter(state__in=STALLING, state_since__lt=since)
    out = []
    for values in qs.values_list(*COLUMNS, "state", "state_since"):
        row, state, day = values[:len(COLUMNS)], values[-2], values[-1]
        months = months_between(day, end)
        level = Level.RED if months >= 2 * STALLED_MONTHS else Level.YELLOW
        reason = _("自 %(date)s 起停留在「%(state)s」已 %(months)s 个月") % {
            "date": day.isoformat(), "state": AgreementState(state).label, "months": months}
        out.append((PromotionWarningKind.STALLED, level, reason, row))
    return out


def find(user: Actor, key: str, *, plan: Any = None) -> AgreementAlert | None:
    """The warning a key names (`kind:agreement:YYYY-MM`), if it still stands for `user`."""
    parts = key.split(":")
    if len(parts) != 3 or parts[0] not in PromotionWarningKind.values:
        return None
    try:
        month = dt.date(int(parts[2][:4]), int(parts[2][5:7]), 1)
        agreement_id = int(parts[1])
    except ValueError:
        return None
    return next((a for a in agreement_alerts(user, month, plan=plan, agreement_id=agreement_id)
                 if a.kind == parts[0]), None)
