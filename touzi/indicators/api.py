from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from annotated_types import MaxLen
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import ConfigDict

from touzi.core.http import TouziRequest
from touzi.core.scoping import scope
from touzi.indicators.models import IndicatorValue
from touzi.indicators.services import enter_value
from touzi.lib.apischema import Measure, Period, Text, errors
from touzi.lib.errors import BusinessError
from touzi.lib.periods import month_of
from touzi.plans.models import Indicator
from touzi.projects.api import if_match
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

router = Router(tags=["indicators"])


class ValueOut(Schema):
    period: str
    county: str | None = None  # a county's own value (unit key); None: the whole plan's
    domain: str | None = None
    value: Decimal
    source: str
    note: str
    evidence: str
    entered_by: str | None
    version: int


class ValueIn(Schema):
    model_config = ConfigDict(extra="forbid")

    period: Period
    value: Measure
    source: Annotated[Text, MaxLen(255)]
    note: Text = ""
    reason: Annotated[Text, MaxLen(500)] = ""
    county: Annotated[Text, MaxLen(64)] | None = None  # unit key of a county: that county's value


class IndicatorOut(Schema):
    id: int
    key: str
    plan: str
    name: str
    unit: str
    reported_by: str
    frequency: str


def _out(v: IndicatorValue) -> dict:
    return {"period": v.period, "county": v.county.key if v.county is not None else None,
            "domain": v.domain.key if v.domain is not None else None, "value": v.value, "source": v.source, "note": v.note, "evidence": v.evidence_name,
            "entered_by": v.entered_by.username if v.entered_by is not None else None, "version": v.version}


@router.get("", response={200: list[IndicatorOut], **errors()}, summary="指标(按权限范围)")
def list_indicators(request: TouziRequest):
    rows = scope(request.user, Indicator.objects.select_related("plan", "reported_by"))
    return [{"id": i.pk, "key": i.key, "plan": i.plan.key, "name": i.name, "unit": i.unit_of_measure,
             "reported_by": i.reported_by.key, "frequency": i.frequency} for i in rows]


@router.get("/{pk}/values", response={200: list[ValueOut], **errors(404, 422)}, summary="指标填报值")
def list_values(request: TouziRequest, pk: int):
    indicator = get_object_or_404(scope(request.user, Indicator.objects.all()), pk=pk)
    rows = scope(request.user, IndicatorValue.objects.filter(indicator=indicator)).select_related("entered_by", "county",
                                                                                                 "domain")
    return [_out(v) for v in rows.order_by("-month")]


@router.post("/{pk}/values", response={201: ValueOut, **errors(400, 403, 404, 412, 422)}, summary="填报或更正指标值(填报单位)")
def post_value(request: TouziRequest, pk: int, body: ValueIn):
    indicator = get_object_or_404(scope(request.user, Indicator.objects.all()), pk=pk)
    try:
        month = month_of(body.period)
    except ValueError as exc:
        raise BusinessError(str(exc), field="period") from exc
    county = None
    if body.county:
        county = Unit.objects.filter(key=body.county, kind=UnitKind.COUNTY).first()
        if county is None:
            raise BusinessError(_("没有这个县区:%(key)s") % {"key": body.county}, field="county")
    item = enter_value(indicator, month, body.value, source=body.source, note=body.note, reason=body.reason,
                       actor=request.user, expected_version=if_match(request), county=county)
    return 201, _out(item)
