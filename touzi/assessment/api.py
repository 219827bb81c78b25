"""The assessment over the API (/api/v1/assessment): the scores of a plan's scheme, a unit's records, quality.

The scores are those of `touzi assessment --format json`, limited to the units the caller may see."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from touzi.assessment.engine import assess
from touzi.assessment.models import AssessmentScheme
from touzi.assessment.period import Period
from touzi.assessment.quality import quality_pooled
from touzi.assessment.scoping import visible_unit_ids
from touzi.assessment.selectors import may_adjust, visible_schemes
from touzi.assessment.services import add_adjustment
from touzi.core.http import TouziRequest
from touzi.lib.apischema import Key, Text, Year, errors
from touzi.lib.errors import BusinessError, Forbidden
from touzi.plans.models import Plan
from touzi.plans.selectors import visible_plans
from touzi.units.models import Unit

router = Router(tags=["assessment"])
Month = Annotated[int, Field(ge=1, le=12)]


def _year(plan: Plan, year: int | None) -> int:
    """The year asked for; by default this year, kept within the plan's years."""
    return year if year is not None else min(max(timezone.localdate().year, plan.start_year), plan.end_year)


def _scheme(request: TouziRequest, key: str, scheme: str, year: int | None) -> tuple[AssessmentScheme, int]:
    plan = get_object_or_404(visible_plans(request.user), key=key)
    found = get_object_or_404(visible_schemes(request.user, plan), key=scheme)
    year = _year(plan, year)
    if year not in found.years:
        raise BusinessError(f"考核方案 {found.key} 不考核 {year} 年", field="year")
    return found, year


@router.get("/{key}/schemes", response={200: list[dict[str, Any]], **errors(400, 404, 422)}, summary="考核方案")
def list_schemes(request: TouziRequest, key: Key):
    plan = get_object_or_404(visible_plans(request.user), key=key)
    return [{"key": s.key, "name": s.name, "years": s.years, "spec": s.spec,
             "units": list(s.units.values_list("key", flat=True))} for s in visible_schemes(request.user, plan)]


@router.get("/{key}/schemes/{scheme}/scores", response={200: dict[str, Any], **errors(400, 404, 422)},
            summary="考核得分、名次和各指标得分(本单位或全部)")
def get_scores(request: TouziRequest, key: Key, scheme: Key, year: Year | None = None, month: Month = 12):
    found, year = _scheme(request, key, scheme, year)
    result = assess(found, Period(year, month))
    return result.as_json(visible_unit_ids(request.user, set(result.units)))


@router.get("/{key}/schemes/{scheme}/quality", response={200: list[dict[str, Any]], **errors(400, 404, 422)},
            summary="各单位数据质量")
def get_quality(request: TouziRequest, key: Key, scheme: Key, year: Year | None = None, month: Month = 12):
    found, year = _scheme(request, key, scheme, year)
    units = list(found.units.filter(pk__in=visible_unit_ids(request.user, set(found.units.values_list("pk", flat=True)))))
    pooled = quality_pooled(found.plan, units, Period(year, month))
    return [{"unit": u.key, "submitted": q.submitted, "on_time": q.on_time, "returned": q.returned,
             "corrections": q.corrections, "spikes": q.spikes, "evidence_missing": q.evidence_missing,
             "score": None if q.score is None else float(q.score), "return_reasons": q.reasons}
            for u in units for q in [pooled[u.pk]]]


class AdjustmentIn(Schema):
    unit: Key
    year: Year
    points: Annotated[Decimal, Field(ge=-100, le=100, max_digits=6, decimal_places=2)]
    reason: Text
    month: Month | None = None
    document: Annotated[str, Field(max_length=255)] = ""


@router.post("/{key}/schemes/{scheme}/adjustments", response={201: dict[str, Any], **errors(400, 403, 404, 422)},
             summary="人工调整(行动方案办公室)")
def post_adjustment(request: TouziRequest, key: Key, scheme: Key, body: AdjustmentIn):
    found, _ = _scheme(request, key, scheme, body.year)
    if not may_adjust(request.user, found):
        raise Forbidden("只有行动方案办公室可以调整考核得分")
    unit = get_object_or_404(Unit, key=body.unit)
    made = add_adjustment(found, unit, year=body.year, points=body.points, reason=body.reason, month=body.month,
                          document=body.document, actor=request.user)
    return 201, {"id": made.pk, "unit": unit.key, "year": made.year, "month": made.month,
                 "points": float(made.points), "reason": made.reason}
