"""Business acts of the assessment: storing the plan file's schemes, adding a manual adjustment (audited)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from touzi.assessment.models import AssessmentScheme, ManualAdjustment
from touzi.assessment.schema import parse_section
from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import Actor, allowed, is_user
from touzi.core.roles import Role
from touzi.core.scoping import scope
from touzi.lib.errors import BusinessError, Forbidden
from touzi.plans.models import Plan, UnitGroup
from touzi.units.models import Unit


def _units(plan: Plan, refs: list[str]) -> list[Unit]:
    units: list[Unit] = []
    for ref in refs:
        if ref.startswith("@"):
            group = UnitGroup.objects.get(plan=plan, key=ref[1:])
            units.extend(group.members.order_by("pk"))
        else:
            units.append(Unit.objects.get(key=ref))
    seen: set[int] = set()
    return [u for u in units if not (u.pk in seen or seen.add(u.pk))]  # type: ignore[func-returns-value]


def store_section(plan: Plan, value: Any, actor: Actor) -> bool:
    """The plan file's `assessment:` section into the plan's schemes (touzi.plans.sections); True if it changed.

    Runs inside load_plan's transaction; each scheme created, changed or removed is audited."""
    specs = parse_section(value) if value is not None else []
    changed = False
    keep = set()
    for order, spec in enumerate(specs):
        keep.add(spec.key)
        data = spec.model_dump(mode="json", exclude={"key", "name", "years", "units"})
        unit_ids = [u.pk for u in _units(plan, spec.units)]
        scheme = AssessmentScheme.objects.filter(plan=plan, key=spec.key).first()
        before = None
        if scheme is not None:
            before = {"name": scheme.name, "years": scheme.years, "spec": scheme.spec,
                      "units": list(scheme.units.order_by("pk").values_list("pk", flat=True))}
        after = {"name": spec.name, "years": spec.years, "spec": data, "units": sorted(unit_ids)}
        if before == after and scheme is not None and scheme.order == order:
            continue
        if scheme is None:
            scheme = AssessmentScheme(plan=plan, key=spec.key)
        scheme.name, scheme.years, scheme.spec, scheme.order = spec.name, spec.years, data, order
        scheme.save()
        scheme.units.set(unit_ids)
        record(Event.CREATE if before is None else Event.UPDATE, actor=actor, obj=scheme, before=before,
               after=after)
        changed = True
    for scheme in AssessmentScheme.objects.filter(plan=plan).exclude(key__in=keep):
        record(Event.DELETE, actor=actor, obj=scheme, before={"key": scheme.key, "name": scheme.name})
        scheme.delete()
        changed = True
    return changed


@transaction.atomic
def add_adjustment(scheme: AssessmentScheme, unit: Unit, *, year: int, points: Decimal, reason: str,
                   actor: Actor, month: int | None = None, document: str = "") -> ManualAdjustment:
    """人工调整: the plan office adds (points > 0) or deducts points for a unit's year, with its reason."""
    if not allowed(actor, lambda user: user.role == Role.PLAN_OFFICE
                   and user.has_perm("assessment.adjust_assessment")
                   and scope(user, AssessmentScheme.objects.filter(pk=scheme.pk)).exists()):
        raise Forbidden(_("只有行动方案办公室可以调整考核得分"))
    if not reason.strip():
        raise BusinessError(_("请填写调整理由"))
    if points == 0:
        raise BusinessError(_("调整分值不能为 0"))
    if year not in scheme.years:
        raise BusinessError(_("该考核方案不考核 %(year)s 年") % {"year": year})
    if not scheme.units.filter(pk=unit.pk).exists():
        raise BusinessError(_("%(unit)s 不是该考核方案的考核对象") % {"unit": unit})
    if month is not None and not 1 <= month <= 12:
        raise BusinessError(_("月份应为 1—12"))
    adjustment = ManualAdjustment.objects.create(
        scheme=scheme, unit=unit, year=year, month=month, points=points, reason=reason.strip(), document=document,
        created_by=actor if is_user(actor) else None)
    record(Event.CREATE, actor=actor, obj=adjustment,
           after={"scheme": scheme.key, "unit": unit.key, "year": year, "month": month, "points": str(points),
                  "reason": adjustment.reason, "document": document})
    return adjustment
