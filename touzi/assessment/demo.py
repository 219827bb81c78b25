"""Demo assessment: the schemes come with Beihai's plan file; the demo adds one documented manual adjustment
of each kind for 2022, so the scoreboard, a unit's breakdown and the year-end report show them apart."""

from __future__ import annotations

from decimal import Decimal

from touzi.assessment.models import AssessmentScheme, ManualAdjustment
from touzi.assessment.services import add_adjustment
from touzi.core.actor import System
from touzi.plans.models import Plan

ADJUSTMENTS = [
    ("counties", "hepu", Decimal("1.5"), "获自治区2022年度PPP工作绩效考评通报表扬", "桂财金〔2023〕5号"),
    ("counties", "yinhai", Decimal("-1"), "2022年9月月报虚报完成投资,经核实更正", "北统字〔2022〕41号"),
]


def seed(plan: Plan) -> int:
    """Once: nothing when the plan's schemes already carry an adjustment."""
    schemes = {s.key: s for s in AssessmentScheme.objects.filter(plan=plan)}
    if not schemes or ManualAdjustment.objects.filter(scheme__plan=plan).exists():
        return 0
    made = 0
    for key, unit_key, points, reason, document in ADJUSTMENTS:
        scheme = schemes.get(key)
        unit = scheme.units.filter(key=unit_key).first() if scheme else None
        if scheme is None or unit is None:
            continue
        add_adjustment(scheme, unit, year=2022, points=points, reason=reason, document=document,
                       actor=System("demo"))
        made += 1
    return made
