"""数据质量: how well a reporting unit reports, month by month — and the score the assessment may use.

For the monthly reports of a unit's projects (touzi.assessment.sources.unit_projects) in a month:

- submitted: reports with a submission time; on time: submitted and not flagged late (逾期报送);
- returned: reports the statistics bureau returned (a return reason is kept), with the reasons;
- corrections after lock: adjustments (调整) to the month after it was locked;
- spikes: reports flagged as far above the project's usual level (本月投资远高于项目以往水平);
- evidence missing: submitted reports without any evidence file (佐证材料).

The quality score (0–100, to 0.01) of a month, or of January to a month pooled:
`100 × (0.4 × on-time share + 0.2 × (1 − returned share) + 0.2 × (1 − spike share) + 0.2 × (1 − evidence-missing
share)) − 2 × corrections after lock`, never below 0; shares are of the reports submitted. No report submitted:
no score (None).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from touzi.assessment.period import Period
from touzi.assessment.sources import _corrections, _reports, unit_projects
from touzi.plans.models import Plan
from touzi.reports.models import Evidence
from touzi.units.models import Unit

WEIGHTS = {"on_time": Decimal("0.4"), "not_returned": Decimal("0.2"), "no_spike": Decimal("0.2"),
           "evidence": Decimal("0.2")}
PER_CORRECTION = Decimal(2)


@dataclass
class Quality:
    unit_id: int
    month: int | None  # None: January to the period's month pooled
    submitted: int = 0
    on_time: int = 0
    returned: int = 0
    spikes: int = 0
    evidence_missing: int = 0
    corrections: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        if not self.submitted:
            return None
        n = Decimal(self.submitted)
        value = 100 * (WEIGHTS["on_time"] * self.on_time / n
                       + WEIGHTS["not_returned"] * (1 - self.returned / n)
                       + WEIGHTS["no_spike"] * (1 - self.spikes / n)
                       + WEIGHTS["evidence"] * (1 - self.evidence_missing / n)) - PER_CORRECTION * self.corrections
        return max(value, Decimal(0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _figures(plan: Plan, units: Sequence[Unit], period: Period, *, by_month: bool) -> dict[tuple[int, int | None],
                                                                                           Quality]:
    out: dict[tuple[int, int | None], Quality] = {}
    reports = _reports(plan, period).annotate(
        has_evidence=Exists(Evidence.objects.filter(report=OuterRef("pk"))))
    submitted = Q(submitted_at__isnull=False)
    for unit in units:  # one grouped query per unit (a unit's projects are an OR of three columns)
        mine = unit_projects(unit, "project__")
        figures = dict(
            submitted=Count("id", filter=submitted),
            on_time=Count("id", filter=submitted & ~Q(flags_text__contains='"late"')),
            returned=Count("id", filter=~Q(return_reason="")),
            spikes=Count("id", filter=Q(flags_text__contains='"spike"')),
            evidence_missing=Count("id", filter=submitted & Q(has_evidence=False)))
        mine_reports = reports.filter(mine).order_by()
        rows: list[Any] = (list(mine_reports.values("month").annotate(**figures)) if by_month
                                      else [{"month": None, **mine_reports.aggregate(**figures)}])
        for row in rows:
            if not by_month and not any(row[k] for k in figures):
                continue
            month = row["month"].month if by_month else None
            out[(unit.pk, month)] = Quality(unit.pk, month, row["submitted"], row["on_time"], row["returned"],
                                            row["spikes"], row["evidence_missing"])
        corrections = _corrections(plan, period).filter(mine).order_by()
        if by_month:
            for month_date, n in corrections.values("month").annotate(n=Count("id")).values_list("month", "n"):
                out.setdefault((unit.pk, month_date.month), Quality(unit.pk, month_date.month)).corrections = n
        else:
            n = corrections.count()
            if n:
                out.setdefault((unit.pk, None), Quality(unit.pk, None)).corrections = n
        reasons = (_reports(plan, period).filter(mine).exclude(return_reason="")
                   .values_list("month", "return_reason")[:200])
        for month_date, reason in reasons:
            key = (unit.pk, month_date.month if by_month else None)
            out.setdefault(key, Quality(unit.pk, key[1])).reasons.append(reason)
    return out


def quality_by_month(plan: Plan, units: Sequence[Unit], period: Period) -> dict[tuple[int, int | None], Quality]:
    """{(unit id, month): Quality} for each month of the period with a report or a correction."""
    return _figures(plan, units, period, by_month=True)


def quality_pooled(plan: Plan, units: Sequence[Unit], period: Period) -> dict[int, Quality]:
    found = _figures(plan, units, period, by_month=False)
    return {u.pk: found.get((u.pk, None), Quality(u.pk, None)) for u in units}


def quality_scores(plan: Plan, units: Sequence[Unit], period: Period) -> dict[int, Decimal | None]:
    return {pk: q.score for pk, q in quality_pooled(plan, units, period).items()}
