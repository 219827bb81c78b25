"""Acts on the factor ledgers: name a keeper, enter a quota, request, approve, refuse or take back an allocation,
record an idle parcel and its disposal, set the reuse goal.

Each act is atomic, checks the acting user's rights through the scoping function and writes its audit record
in the same transaction. The actor is a User or the platform (`System(reason)`, which skips the checks).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import record, snapshot
from touzi.core.actor import Actor, allowed, is_system, user_of
from touzi.core.scoping import Action, can, scope_of
from touzi.factors.choices import (
    LAND_KINDS,
    REUSED,
    UNIT_OF,
    AllocationStatus,
    BalanceSource,
    Disposal,
    ParcelKind,
    QuotaKind,
)
from touzi.factors.figures import exact, with_headroom
from touzi.factors.models import Allocation, FactorKeeper, IdleParcel, Quota, ReuseGoal
from touzi.factors.scoping import kept_kinds
from touzi.lib.bounds import money_problem
from touzi.lib.errors import BusinessError, Conflict, Forbidden
from touzi.projects.models import Project
from touzi.units.choices import UnitKind
from touzi.units.models import Unit


def _may(actor: Actor, obj: Any, action: Action) -> bool:
    return allowed(actor, lambda user: can(user, obj, action))


def _amount(value: Decimal | None, field: str, *, positive: bool = True) -> Decimal:
    if value is None:
        raise BusinessError(_("请填写数量"), field=field)
    value = Decimal(value)
    problem = money_problem(value)
    if problem:
        raise BusinessError(problem, field=field)
    if value < 0 or (positive and value == 0):
        raise BusinessError(_("数量应大于0") if positive else _("数量不能为负"), field=field)
    return value


def _keeps(actor: Actor, kind: str) -> bool:
    if is_system(actor):
        return True
    who = scope_of(actor)
    return who.is_office or kind in kept_kinds(who)


def _place(county: Unit, park: Unit | None) -> None:
    if county.kind != UnitKind.COUNTY:
        raise BusinessError(_("「%(unit)s」不是县区") % {"unit": county}, field="county")
    if park is not None and (park.kind != UnitKind.PARK or park.parent_id not in (None, county.pk)):
        raise BusinessError(_("「%(park)s」不是%(county)s的园区") % {"park": park, "county": county}, field="park")


def _check_version(obj: Any, expected: int | None) -> None:
    if expected is not None and obj.version != expected:
        raise Conflict()


@transaction.atomic
def set_keeper(unit: Unit, kind: str, *, keeps: bool = True, actor: Actor) -> None:
    """要素主管部门: the office says which bureau keeps which kind of quota."""
    if not allowed(actor, lambda user: scope_of(user).is_office):
        raise Forbidden(_("只有领导小组办公室可以指定要素主管部门"))
    if kind not in QuotaKind.values:
        raise BusinessError(_("未知的要素类别"), field="kind")
    if unit.kind not in (UnitKind.BUREAU, UnitKind.OFFICE):
        raise BusinessError(_("要素主管部门应为市直部门"), field="unit")
    found = FactorKeeper.objects.filter(unit=unit, kind=kind).first()
    if keeps and found is None:
        keeper = FactorKeeper.objects.create(unit=unit, kind=kind)
        record(Event.CREATE, actor=actor, obj=keeper, after=snapshot(keeper))
    elif not keeps and found is not None:
        record(Event.DELETE, actor=actor, obj=found, before=snapshot(found))
        found.delete()


@transaction.atomic
def enter_quota(*, year: int, kind: str, county: Unit, amount: Decimal, document: str, park: Unit | None = None,
                granted_by: Unit | None = None, granted_on: dt.date | None = None, balance_source: str = "",
                intensity_limit: Decimal | None = None, note: str = "", is_demo: bool = False,
                expected_version: int | None = None, actor: Actor) -> Quota:
    """下达指标: the keeping bureau (or the office) enters a county's or park's quota of the year, with the
    document granting it; entering it again corrects it (never below what is already allocated)."""
    if kind not in QuotaKind.values:
        raise BusinessError(_("未知的要素类别"), field="kind")
    if not _keeps(actor, kind):
        raise Forbidden(_("您不是%(kind)s的主管部门,不能下达该类指标") % {"kind": QuotaKind(kind).label})
    _place(county, park)
    if not 2000 <= int(year) <= 2100:
        raise BusinessError(_("年度无效"), field="year")
    amount = _amount(amount, "amount", positive=False)
    if not (document or "").strip():
        raise BusinessError(_("请填写下达指标的文件"), field="document")
    if balance_source and balance_source not in BalanceSource.values:
        raise BusinessError(_("未知的占补平衡来源"), field="balance_source")
    if kind == QuotaKind.FARMLAND_SUPPLEMENT and not balance_source:
        raise BusinessError(_("补充耕地指标请填写占补平衡来源"), field="balance_source")
    if intensity_limit is not None and kind != QuotaKind.ENERGY:
        raise BusinessError(_("能耗强度只适用于能耗指标"), field="intensity_limit")
    values = {"amount": amount, "document": document.strip(), "granted_by": granted_by, "granted_on": granted_on,
              "balance_source": balance_source or "", "intensity_limit": intensity_limit, "note": note.strip()}
    quota = Quota.objects.select_for_update().filter(year=year, kind=kind, county=county, park=park).first()
    if quota is None:
        quota = Quota.objects.create(year=year, kind=kind, county=county, park=park, is_demo=is_demo,
                                     created_by=user_of(actor), **values)
        record(Event.CREATE, actor=actor, obj=quota, after=snapshot(quota))
        return quota
    _check_version(quota, expected_version)
    allocated = exact(with_headroom(Quota.objects.filter(pk=quota.pk)).values_list("allocated", flat=True)[0])
    if amount < allocated:
        raise BusinessError(_("指标量不能少于已配置的 %(n)s %(unit)s") % {"n": allocated, "unit": UNIT_OF[kind]},
                            field="amount")
    before = snapshot(quota)
    for name, value in values.items():
        setattr(quota, name, value)
    quota.version = F("version") + 1
    quota.save()
    quota.refresh_from_db()
    record(Event.UPDATE, actor=actor, obj=quota, before=before, after=snapshot(quota))
    return quota


def _fits(quota: Quota, project: Project) -> None:
    if project.county_id != quota.county_id or (quota.park_id is not None and project.park_id != quota.park_id):
        raise BusinessError(_("项目不在该指标所属的县区或园区"), field="project")


@transaction.atomic
def request_allocation(quota: Quota, project: Project, requested: Decimal, *, requested_on: dt.date | None = None,
                       intensity: Decimal | None = None, note: str = "", actor: Actor) -> Allocation:
    """申请指标: the project's county (or owner) asks for part of its county's quota."""
    if not _may(actor, project, Action.CHANGE):
        raise Forbidden(_("您不能为该项目申请要素指标"))
    _fits(quota, project)
    requested = _amount(requested, "requested")
    if intensity is not None and quota.kind != QuotaKind.ENERGY:
        raise BusinessError(_("能耗强度只适用于能耗指标"), field="intensity")
    if Allocation.objects.filter(quota=quota, project=project, status=AllocationStatus.REQUESTED).exists():
        raise BusinessError(_("该项目已有待批的申请"), field="project")
    allocation = Allocation.objects.create(quota=quota, project=project, requested=requested,
                                           requested_on=requested_on or timezone.localdate(), intensity=intensity,
                                           note=note.strip(), requested_by=user_of(actor))
    record(Event.CREATE, actor=actor, obj=allocation, after=snapshot(allocation))
    return allocation


def _decide(allocation: Allocation, actor: Actor, expected_version: int | None) -> tuple[Allocation, dict]:
    if not _may(actor, allocation, Action.REVIEW):
        raise Forbidden(_("您不是该类要素的主管部门"))
    locked = Allocation.objects.select_for_update().select_related("quota").get(pk=allocation.pk)
    _check_version(locked, expected_version)
    return locked, snapshot(locked)


def _save(allocation: Allocation, before: dict, actor: Actor) -> Allocation:
    allocation.version = F("version") + 1
    allocation.decided_by = user_of(actor)
    allocation.save()
    allocation.refresh_from_db()
    record(Event.UPDATE, actor=actor, obj=allocation, before=before, after=snapshot(allocation))
    return allocation


@transaction.atomic
def approve_allocation(allocation: Allocation, approved: Decimal | None = None, *, document: str,
                       approved_on: dt.date | None = None, expected_version: int | None = None,
                       actor: Actor) -> Allocation:
    """批准: the keeper grants up to the request and never more than the quota has left; an energy request
    must keep to the quota's 能耗强度 rule."""
    allocation, before = _decide(allocation, actor, expected_version)
    if allocation.status != AllocationStatus.REQUESTED:
        raise BusinessError(_("只能批准待批的申请"))
    amount = _amount(approved if approved is not None else allocation.requested, "approved")
    if amount > allocation.requested:
        raise BusinessError(_("批准量不能超过申请量"), field="approved")
    quota = Quota.objects.select_for_update().get(pk=allocation.quota_id)
    headroom = exact(with_headroom(Quota.objects.filter(pk=quota.pk)).values_list("headroom", flat=True)[0])
    if amount > headroom:
        raise BusinessError(_("批准量超过指标余量 %(n)s %(unit)s") % {"n": headroom, "unit": UNIT_OF[quota.kind]},
                            field="approved")
    if quota.intensity_limit is not None:
        if allocation.intensity is None:
            raise BusinessError(_("请先填写项目能耗强度"), field="intensity")
        if allocation.intensity > quota.intensity_limit:
            raise BusinessError(_("项目能耗强度 %(p)s 超过上限 %(l)s 吨标准煤/万元") % {
                "p": allocation.intensity, "l": quota.intensity_limit}, field="intensity")
    if not (document or "").strip():
        raise BusinessError(_("请填写批准文件"), field="document")
    allocation.approved, allocation.status = amount, AllocationStatus.APPROVED
    allocation.approved_on, allocation.document = approved_on or timezone.localdate(), document.strip()
    return _save(allocation, before, actor)


@transaction.atomic
def refuse_allocation(allocation: Allocation, reason: str, *, expected_version: int | None = None,
                      actor: Actor) -> Allocation:
    allocation, before = _decide(allocation, actor, expected_version)
    if allocation.status != AllocationStatus.REQUESTED:
        raise BusinessError(_("只能退回待批的申请"))
    if not (reason or "").strip():
        raise BusinessError(_("请填写不予批准的理由"), field="note")
    allocation.status, allocation.note = AllocationStatus.REFUSED, reason.strip()
    return _save(allocation, before, actor)


@transaction.atomic
def take_back(allocation: Allocation, reason: str, *, expected_version: int | None = None,
              actor: Actor) -> Allocation:
    """收回: an approved allocation whose project did not start goes back to the pool."""
    allocation, before = _decide(allocation, actor, expected_version)
    if allocation.status != AllocationStatus.APPROVED:
        raise BusinessError(_("只能收回已批准的指标"))
    if not (reason or "").strip():
        raise BusinessError(_("请填写收回理由"), field="note")
    allocation.status, allocation.note = AllocationStatus.RETURNED, reason.strip()
    return _save(allocation, before, actor)


def _may_hold_parcel(actor: Actor, county: Unit, park: Unit | None) -> bool:
    if is_system(actor):
        return True
    who = scope_of(actor)
    if who.is_office or set(kept_kinds(who)) & set(LAND_KINDS):
        return True
    return who.role == "county" and (county.pk in who.unit_ids or (park is not None and park.pk in who.unit_ids))


@transaction.atomic
def record_parcel(*, code: str, location: str, kind: str, county: Unit, area: Decimal, park: Unit | None = None,
                  reason: str = "", holder: str = "", approved_year: int | None = None, note: str = "",
                  is_demo: bool = False, actor: Actor) -> IdleParcel:
    """登记存量土地: the land keeper or the county records an idle parcel (again: corrects it)."""
    _place(county, park)
    if not _may_hold_parcel(actor, county, park):
        raise Forbidden(_("您不能登记该县区的存量土地"))
    if kind not in ParcelKind.values:
        raise BusinessError(_("未知的存量土地类型"), field="kind")
    code, location = (code or "").strip(), (location or "").strip()
    if not code:
        raise BusinessError(_("请填写地块编号"), field="code")
    if not location:
        raise BusinessError(_("请填写坐落"), field="location")
    values = {"location": location, "kind": kind, "county": county, "park": park,
              "area": _amount(area, "area"), "reason": reason.strip(), "holder": holder.strip(),
              "approved_year": approved_year, "note": note.strip()}
    parcel = IdleParcel.objects.select_for_update().filter(code=code).first()
    if parcel is None:
        parcel = IdleParcel.objects.create(code=code, is_demo=is_demo, **values)
        record(Event.CREATE, actor=actor, obj=parcel, after=snapshot(parcel))
        return parcel
    if not _may(actor, parcel, Action.CHANGE):
        raise Forbidden(_("您不能修改该地块"))
    if Decimal(str(values["area"])) < parcel.disposed_area:
        raise BusinessError(_("面积不能小于已盘活面积"), field="area")
    before = snapshot(parcel)
    for name, value in values.items():
        setattr(parcel, name, value)
    parcel.version = F("version") + 1
    parcel.save()
    parcel.refresh_from_db()
    record(Event.UPDATE, actor=actor, obj=parcel, before=before, after=snapshot(parcel))
    return parcel


@transaction.atomic
def dispose_parcel(parcel: IdleParcel, disposal: str, *, disposed_on: dt.date | None = None,
                   disposed_area: Decimal | None = None, project: Project | None = None, note: str = "",
                   expected_version: int | None = None, actor: Actor) -> IdleParcel:
    """处置: how the parcel was put back to use (供地, 动工, 收回, 置换 …) and the area reused."""
    if not _may(actor, parcel, Action.CHANGE):
        raise Forbidden(_("您不能处置该地块"))
    if disposal not in Disposal.values:
        raise BusinessError(_("未知的处置方式"), field="disposal")
    parcel = IdleParcel.objects.select_for_update().get(pk=parcel.pk)
    _check_version(parcel, expected_version)
    before = snapshot(parcel)
    if disposal in REUSED:
        area = _amount(disposed_area if disposed_area is not None else parcel.area, "disposed_area")
        if area > parcel.area:
            raise BusinessError(_("盘活面积不能超过地块面积"), field="disposed_area")
        parcel.disposed_area, parcel.disposed_on = area, disposed_on or timezone.localdate()
    else:
        parcel.disposed_area, parcel.disposed_on = Decimal(0), None
    parcel.disposal, parcel.project = disposal, project
    if note.strip():
        parcel.note = note.strip()
    parcel.version = F("version") + 1
    parcel.save()
    parcel.refresh_from_db()
    record(Event.UPDATE, actor=actor, obj=parcel, before=before, after=snapshot(parcel))
    return parcel


@transaction.atomic
def set_reuse_goal(year: int, area: Decimal, *, county: Unit | None = None, actor: Actor) -> ReuseGoal:
    """盘活存量土地目标 of a year (city-wide, or for one county): the office or the land keeper."""
    if not allowed(actor, lambda user: scope_of(user).is_office or bool(kept_kinds(scope_of(user))
                                                                         & set(LAND_KINDS))):
        raise Forbidden(_("只有领导小组办公室或自然资源主管部门可以设定盘活目标"))
    area = _amount(area, "area")
    goal = ReuseGoal.objects.filter(year=year, county=county).first()
    if goal is None:
        goal = ReuseGoal.objects.create(year=year, county=county, area=area)
        record(Event.CREATE, actor=actor, obj=goal, after=snapshot(goal))
    elif goal.area != area:
        before = snapshot(goal)
        goal.area = area
        goal.save(update_fields=["area"])
        record(Event.UPDATE, actor=actor, obj=goal, before=before, after=snapshot(goal))
    return goal
