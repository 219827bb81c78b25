"""An assessment computed: a scheme's units scored for January to a month of a year, ranked, with their parts,
bonus, deductions and manual adjustments (touzi.assessment.scoring does the arithmetic)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from touzi.assessment.choices import DeductionSource, Source
from touzi.assessment.models import AssessmentScheme, ManualAdjustment
from touzi.assessment.period import Period
from touzi.assessment.ppp import ppp_rewards
from touzi.assessment.schema import SchemeSpec
from touzi.assessment.scoring import UnitScore, score_units
from touzi.assessment.sources import RAW, deduction_counts
from touzi.plans.models import Plan
from touzi.units.models import Unit


def spec_of(scheme: AssessmentScheme) -> SchemeSpec:
    return SchemeSpec.model_validate({**scheme.spec, "key": scheme.key, "name": scheme.name,
                                      "years": scheme.years, "units": []})


def schemes_for(plan: Plan, year: int) -> list[AssessmentScheme]:
    return [s for s in AssessmentScheme.objects.filter(plan=plan) if year in s.years]


@dataclass
class Assessment:
    scheme: AssessmentScheme
    spec: SchemeSpec
    period: Period
    scores: list[UnitScore]  # best first
    units: dict[int, Unit]

    def names(self) -> dict[str, str]:
        return {i.key: i.name or str(Source(i.source).label) for i in self.spec.indicators}

    def ppp(self) -> dict[str, Any]:
        """PPP performance rewards from the financing module's PPP records and the region's list (touzi.assessment.ppp)."""
        return ppp_rewards(self.scheme.plan, self.spec.ppp_rewards,
                           list(self.units.values()), self.period)

    def as_json(self, visible: set[int] | None = None) -> dict[str, Any]:
        units = []
        for result in self.scores:
            if visible is not None and result.unit not in visible:
                continue
            unit = self.units[result.unit]
            units.append({
                "unit": unit.label, "unit_key": unit.key, "rank": result.rank, "score": float(result.score),
                "bonus": float(result.bonus), "deduction": float(result.deduction),
                "parts": [{"indicator": p.indicator, "weight": float(p.weight),
                           "raw": None if p.raw is None else float(p.raw), "score": float(p.score)}
                          for p in result.parts],
                "bonus_items": [{"indicator": i["indicator"], "points": float(i["points"])}
                                for i in result.bonus_items],
                "deduction_items": [{"source": i["source"], "records": i["records"], "points": float(i["points"])}
                                    for i in result.deduction_items],
                "adjustments": [{"points": float(a["points"]), "reason": a["reason"]} for a in result.adjustments],
            })
        return {"plan": self.scheme.plan.key, "scheme": self.scheme.key, "name": self.scheme.name,
                "year": self.period.year, "month": self.period.month, "units": units, "ppp_rewards": self.ppp()}


def assess(scheme: AssessmentScheme, period: Period) -> Assessment:
    spec = spec_of(scheme)
    plan = scheme.plan
    units = list(scheme.units.order_by("pk"))
    sources = {str(i.source) for i in spec.indicators}
    raw_by_source = {source: RAW[source](plan, units, period) for source in sources}
    raws = {i.key: raw_by_source[str(i.source)] for i in spec.indicators}
    counts = deduction_counts(plan, units, period) if spec.deductions.rules else {}
    adjustments: dict[int, list[tuple[Decimal, str]]] = defaultdict(list)
    for unit_id, points, reason in ManualAdjustment.objects.filter(
            Q(month__isnull=True) | Q(month__lte=period.month), scheme=scheme, year=period.year
    ).values_list("unit_id", "points", "reason"):
        adjustments[unit_id].append((points, reason))
    scores = score_units(spec, [u.pk for u in units], raws, counts, adjustments)
    return Assessment(scheme, spec, period, scores, {u.pk: u for u in units})


DEDUCTION_LABELS = dict(DeductionSource.choices)
