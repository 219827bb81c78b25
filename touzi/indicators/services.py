"""Entering reported indicators: only the responsible unit, audited, and after the month's lock only with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import diff, record, snapshot
from touzi.core.actor import Actor, allowed, user_of
from touzi.core.scoping import Action, can
from touzi.indicators.models import IndicatorValue
from touzi.lib.bounds import MEASURE_LIMIT, MEASURE_PLACES, day_problem, decimal_problem
from touzi.lib.errors import BusinessError, Conflict, Forbidden
from touzi.lib.evidence import check_upload, stored_name
from touzi.plans.models import Domain, Indicator
from touzi.reports.services import is_locked
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

_FIELDS = ["value", "source", "note", "evidence_name"]


@transaction.atomic
def enter_value(indicator: Indicator, month: dt.date, value: Decimal, *, source: str, actor: Actor,
                note: str = "", evidence: UploadedFile | None = None, reason: str = "",
                expected_version: int | None = None, county: Unit | None = None,
                domain: Domain | None = None) -> IndicatorValue:
    """Enter or correct the indicator's value as of `month`. A locked month needs a correction reason.

    With a `county` (and/or a `domain`) the value is that county's (domain's) part, kept beside the whole."""
    if not allowed(actor, lambda user: can(user, indicator, Action.CHANGE)):
        raise Forbidden(_("只有指标的填报单位可以填报该指标"))
    if month.day != 1:
        raise BusinessError(_("所属月份应为 YYYY-MM"), field="month")
    if month > timezone.localdate().replace(day=1):
        raise BusinessError(_("不能填报未来月份 %(month)s") % {"month": f"{month:%Y-%m}"}, field="month")
    out_of_range = day_problem(month)
    if out_of_range:
        raise BusinessError(out_of_range, field="month")
    if value is None:
        raise BusinessError(_("请填写数值"), field="value")
    problem = decimal_problem(value, limit=MEASURE_LIMIT, places=MEASURE_PLACES, negative=True)
    if problem:
        raise BusinessError(_("数值%(problem)s") % {"problem": problem}, field="value")
    if not (source or "").strip():
        raise BusinessError(_("请注明数据来源"), field="source")
    if county is not None and county.kind != UnitKind.COUNTY:
        raise BusinessError(_("「%(unit)s」不是县区") % {"unit": county}, field="county")
    item = IndicatorValue.objects.select_for_update().filter(indicator=indicator, month=month, county=county,
                                                             domain=domain).first()
    if item is not None and expected_version is not None and item.version != expected_version:
        raise Conflict()
    locked = is_locked(month)
    if locked and item is not None and not (reason or "").strip():
        raise BusinessError(_("%(month)s 已锁定,更正须说明原因") % {"month": f"{month:%Y-%m}"}, field="reason")
    before = snapshot(item, _FIELDS) if item else None
    item = item or IndicatorValue(indicator=indicator, month=month, county=county, domain=domain)
    item.value, item.source, item.note = value, source.strip(), note
    item.entered_by = user_of(actor)
    if evidence is not None:
        checked = check_upload(evidence)
        item.evidence.save(stored_name(checked), evidence, save=False)
        item.evidence_name, item.evidence_type = checked.name, checked.content_type
        item.evidence_flags = checked.flags
    if item.pk:
        item.version = F("version") + 1
    item.save()
    item.refresh_from_db()
    old, new = diff(before, snapshot(item, _FIELDS))
    if before is None or new:
        record(Event.CREATE if before is None else Event.UPDATE, actor=actor, obj=item,
               subject=f"indicator:{indicator.pk}", before=old or None, after=new,
               message=(reason or "").strip() if locked else "")
    return item
