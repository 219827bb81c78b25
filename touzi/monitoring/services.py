"""Monitoring acts: the plan office sets its plan's thresholds (audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import diff, record, snapshot
from touzi.core.actor import Actor, allowed
from touzi.core.scoping import scope_of
from touzi.lib.errors import BusinessError, Forbidden
from touzi.monitoring.models import MonitoringSettings
from touzi.plans.models import Plan

FIELDS = ["yellow_ratio", "red_ratio", "project_yellow_ratio", "project_red_ratio", "report_deadline_day",
          "late_red_months"]


@transaction.atomic
def save_settings(plan: Plan, values: dict[str, Any], *, actor: Actor) -> MonitoringSettings:
    if not allowed(actor, lambda user: scope_of(user).is_office):
        raise Forbidden(_("只有领导小组办公室可以设置监测参数"))
    item, created = MonitoringSettings.objects.select_for_update().get_or_create(plan=plan)
    before = snapshot(item, FIELDS)
    for name in FIELDS:
        if name in values:
            setattr(item, name, values[name])
    if item.red_ratio > item.yellow_ratio or item.project_red_ratio > item.project_yellow_ratio:
        raise BusinessError(_("红色阈值不能高于黄色阈值"))
    item.save()
    old, new = diff(before, snapshot(item, FIELDS))
    if new or created:
        record(Event.UPDATE, actor=actor, obj=item, before=old, after=new)
    return item
