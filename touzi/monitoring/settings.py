"""The monitoring thresholds of a plan, with the defaults of MonitoringSettings when none were set."""

from __future__ import annotations

from decimal import Decimal

from touzi.monitoring.models import MonitoringSettings
from touzi.plans.models import Plan


def settings_for(plan: Plan) -> MonitoringSettings:
    found = MonitoringSettings.objects.filter(plan=plan).first()
    return found or MonitoringSettings(plan=plan)


def thresholds(plan: Plan) -> tuple[Decimal, Decimal]:
    chosen = settings_for(plan)
    return chosen.yellow_ratio, chosen.red_ratio
