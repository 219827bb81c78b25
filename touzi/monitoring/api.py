from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router

from touzi.core.http import TouziRequest
from touzi.lib.apischema import Key, Period, errors
from touzi.lib.errors import BusinessError
from touzi.lib.periods import month_of
from touzi.monitoring.cache import dashboard_for
from touzi.monitoring.periods import reporting_month
from touzi.monitoring.presenters import api_data
from touzi.monitoring.rows import target_rows
from touzi.plans.selectors import targets_for, visible_plans
from touzi.reports.selectors import default_month

router = Router(tags=["monitoring"])


def _month(period: str | None) -> dt.date:
    if not period:
        return reporting_month(default_month())
    try:
        return reporting_month(month_of(period))
    except ValueError as exc:
        raise BusinessError(str(exc), field="period") from exc


@router.get("/plans/{key}/dashboard", response={200: dict[str, Any], **errors(400, 404, 422)},
            summary="监测:目标完成、分组、预测、预警")
def get_dashboard(request: TouziRequest, key: Key, period: Period | None = None):
    plan = get_object_or_404(visible_plans(request.user), key=key)
    return api_data(dashboard_for(request.user, plan, _month(period)))


@router.get("/plans/{key}/status", response={200: list[dict[str, Any]], **errors(400, 404, 422)},
            summary="每个目标的完成值、完成率和状态")
def get_status(request: TouziRequest, key: Key, period: Period | None = None):
    plan = get_object_or_404(visible_plans(request.user), key=key)
    return api_data(dashboard_for(request.user, plan, _month(period), with_alerts=False))["targets"]


@router.get("/plans/{key}/warnings", response={200: list[dict[str, Any]], **errors(400, 404, 422)}, summary="预警")
def get_warnings(request: TouziRequest, key: Key, period: Period | None = None):
    plan = get_object_or_404(visible_plans(request.user), key=key)
    return api_data(dashboard_for(request.user, plan, _month(period)))["warnings"]


@router.get("/plans/{key}/targets/{target}/rows", response={200: dict[str, Any], **errors(400, 404, 422)},
            summary="数出有据:目标完成值及其构成明细(各行之和等于完成值)")
def get_target_rows(request: TouziRequest, key: Key, target: Key, period: Period | None = None):
    plan = get_object_or_404(visible_plans(request.user), key=key)
    found = get_object_or_404(targets_for(request.user, plan), key=target)
    return target_rows(plan, _month(period), found, request.user).as_dict()
