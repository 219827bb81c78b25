"""Promotion acts (招商引资): register an agreement, move it along its road, report and review funds arrived.

Each act is atomic, checks the acting user's rights through the scoping function and writes its audit record
in the same transaction. The actor is a User or the platform (`System(reason)`, which skips the checks).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import record, snapshot
from touzi.core.actor import Actor, allowed, is_system, user_of
from touzi.core.roles import Role
from touzi.core.scoping import Action, can, scope, scope_of
from touzi.lib.bounds import money_problem
from touzi.lib.errors import AlreadyExists, BusinessError, Conflict, Forbidden
from touzi.lib.evidence import check_upload, stored_name
from touzi.projects.models import Project
from touzi.promotion.choices import DATE_OF, ORDER, AgreementState, Currency, FundsStatus, ThreeEnterprises
from touzi.promotion.models import Agreement, AgreementStep, ExchangeRate, FundsReport, PromotionEvent
from touzi.reports.models import MonthLock
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

WAN = Decimal("0.0001")
EDITABLE = ["name", "investor", "investor_kind", "investor_region", "investor_country", "three_enterprises",
            "sector", "event", "unit", "park", "due_registration", "due_land", "due_start", "due_production"]


def _may(actor: Actor, obj: Any, action: Action) -> bool:
    return allowed(actor, lambda user: can(user, obj, action))


def _subject(agreement: Agreement) -> str:
    return f"agreement:{agreement.pk}"


def _money(value: Decimal | None, field: str, *, required: bool = True) -> Decimal:
    if value is None:
        if required:
            raise BusinessError(_("请填写金额"), field=field)
        return Decimal(0)
    problem = money_problem(Decimal(value))
    if problem:
        raise BusinessError(problem, field=field)
    return Decimal(value)


def rate_of(month: dt.date) -> Decimal | None:
    """The month's US$ rate (yuan per dollar), if the office has one."""
    return ExchangeRate.objects.filter(month=month.replace(day=1)).values_list("rate", flat=True).first()


def to_wan(usd: Decimal, rate: Decimal) -> Decimal:
    """万美元 at a rate of yuan per dollar is 万元, kept to four places (exact to the yuan)."""
    return (usd * rate).quantize(WAN, rounding=ROUND_HALF_UP)


def _rate(rate: Decimal | None, month: dt.date) -> Decimal:
    rate = rate if rate is not None else rate_of(month)
    if rate is None:
        raise BusinessError(_("%(month)s 没有美元汇率,请填写汇率") % {"month": f"{month:%Y-%m}"}, field="exchange_rate")
    if rate <= 0 or rate > 100:
        raise BusinessError(_("汇率应为每美元折合人民币元数(大于0)"), field="exchange_rate")
    return Decimal(rate)


def _next_code(county: Unit, year: int) -> str:
    prefix = f"ZS{year}-{county.division_code or county.key}-"
    taken = Agreement.objects.filter(code__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def create_event(name: str, held_on: dt.date, place: str = "", *, actor: Actor) -> PromotionEvent:
    """签约活动: added by whoever enters agreements (a county, the promotion bureau, the office)."""
    who = None if is_system(actor) else scope_of(actor)
    if who is not None and not (who.is_office or who.role in (Role.COUNTY, Role.LEAD_UNIT)):
        raise Forbidden(_("您不能添加签约活动"))
    if not (name or "").strip():
        raise BusinessError(_("请填写活动名称"), field="name")
    event, created = PromotionEvent.objects.get_or_create(name=name.strip(), held_on=held_on,
                                                          defaults={"place": (place or "").strip()})
    if created:
        record(Event.CREATE, actor=actor, obj=event, after=snapshot(event))
    return event


def _check_places(county: Unit, park: Unit | None, unit: Unit) -> None:
    if county.kind != UnitKind.COUNTY:
        raise BusinessError(_("「%(unit)s」不是县区") % {"unit": county}, field="county")
    if park is not None and (park.kind != UnitKind.PARK or park.parent_id not in (None, county.pk)):
        raise BusinessError(_("「%(park)s」不是%(county)s的园区") % {"park": park, "county": county}, field="park")
    if unit.kind in (UnitKind.ENTERPRISE, UnitKind.BANK):
        raise BusinessError(_("责任单位应为政府部门、县区或园区"), field="unit")


def _check_dates(values: dict[str, Any]) -> None:
    signed = values["signed_on"]
    if signed > timezone.localdate():
        raise BusinessError(_("签约日期不能晚于今天"), field="signed_on")
    for name in ("due_registration", "due_land", "due_start", "due_production"):
        when = values.get(name)
        if when is not None and when < signed:
            raise BusinessError(_("约定日期不能早于签约日期"), field=name)
    if values["due_production"] < values["due_start"]:
        raise BusinessError(_("约定投产日期不能早于约定开工日期"), field="due_production")


@transaction.atomic
def register_agreement(*, name: str, investor: str, investor_kind: str, sector: str, signed_on: dt.date,
                       county: Unit, unit: Unit, due_start: dt.date, due_production: dt.date,
                       agreed_investment: Decimal | None = None, currency: str = Currency.CNY,
                       agreed_usd: Decimal | None = None, exchange_rate: Decimal | None = None,
                       park: Unit | None = None, event: PromotionEvent | None = None, investor_region: str = "",
                       investor_country: str = "中国", three_enterprises: str = "",
                       due_registration: dt.date | None = None, due_land: dt.date | None = None,
                       is_demo: bool = False, actor: Actor) -> Agreement:
    """签约登记: a county for its area, the promotion bureau for its agreements, the office for any."""
    _check_places(county, park, unit)
    values: dict[str, Any] = {
        "name": (name or "").strip(), "investor": (investor or "").strip(), "investor_kind": investor_kind,
        "investor_region": investor_region.strip(), "investor_country": (investor_country or "中国").strip(),
        "three_enterprises": three_enterprises or ThreeEnterprises.NONE, "sector": (sector or "").strip().upper(),
        "signed_on": signed_on, "event": event, "county": county, "park": park, "unit": unit,
        "due_registration": due_registration, "due_land": due_land, "due_start": due_start,
        "due_production": due_production, "currency": currency, "is_demo": is_demo}
    if not values["name"]:
        raise BusinessError(_("请填写项目名称"), field="name")
    if not values["investor"]:
        raise BusinessError(_("请填写投资方"), field="investor")
    _check_dates(values)
    if currency == Currency.USD:
        usd = _money(agreed_usd, "agreed_usd")
        rate = _rate(exchange_rate, signed_on)
        values.update(agreed_usd=usd, exchange_rate=rate, agreed_investment=to_wan(usd, rate))
    else:
        values.update(agreed_investment=_money(agreed_investment, "agreed_investment"))
    if values["agreed_investment"] <= 0:
        raise BusinessError(_("协议投资应大于0"), field="agreed_investment")
    agreement = Agreement(code=_next_code(county, signed_on.year), state=AgreementState.SIGNED,
                          state_since=signed_on,
                          created_by=user_of(actor), **values)
    _clean(agreement)
    if not _would_change(actor, agreement):
        raise Forbidden(_("您不能为该县区或单位登记签约项目"))
    agreement.save()
    AgreementStep.objects.create(agreement=agreement, state=AgreementState.SIGNED, on=signed_on,
                                 note=str(event) if event else "",
                                 by=user_of(actor))
    record(Event.CREATE, actor=actor, obj=agreement, subject=_subject(agreement), after=snapshot(agreement))
    return agreement


def _clean(agreement: Agreement) -> None:
    """The model's own checks (the sector code, lengths, choices) as a refusal in words, never a server error."""
    try:
        agreement.full_clean(exclude=["created_by", "project", "event", "park"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise BusinessError("；".join(messages), field=None if field == "__all__" else field) from exc


def _would_change(actor: Actor, agreement: Agreement) -> bool:
    """Whether the actor could change this (maybe unsaved) agreement: its county, park and unit decide."""
    from touzi.promotion.scoping import may_hold

    return allowed(actor, lambda user: may_hold(scope_of(user), agreement.county, agreement.park, agreement.unit))


def _lock(agreement: Agreement, expected_version: int | None) -> Agreement:
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    return locked


def _save(agreement: Agreement, before: dict, actor: Actor, message: str = "") -> Agreement:
    agreement.version = F("version") + 1
    agreement.save()
    agreement.refresh_from_db()
    record(Event.UPDATE, actor=actor, obj=agreement, subject=_subject(agreement), before=before,
           after=snapshot(agreement, list(before)), message=message)
    return agreement


@transaction.atomic
def update_agreement(agreement: Agreement, changes: dict[str, Any], *, actor: Actor,
                     expected_version: int | None = None) -> Agreement:
    """Correct the investor, sector, event, responsible unit or the contract's milestones."""
    if not _may(actor, agreement, Action.CHANGE):
        raise Forbidden(_("您不能修改该签约项目"))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Forbidden(_("不能修改这些字段:%(fields)s") % {"fields": "、".join(sorted(unknown))})
    locked = _lock(agreement, expected_version)
    names = [f"{k}_id" if k in ("event", "unit", "park") else k for k in changes]
    before = snapshot(locked, names)
    for key, value in changes.items():
        setattr(locked, key, value.strip() if isinstance(value, str) else value)
    locked.sector = locked.sector.upper()
    _check_places(locked.county, locked.park, locked.unit)
    _check_dates({f: getattr(locked, f) for f in ("signed_on", "due_registration", "due_land", "due_start",
                                                   "due_production")})
    _clean(locked)
    if not _would_change(actor, locked):
        raise Forbidden(_("不能把签约项目移交到您权限范围以外的单位"))
    return _save(locked, before, actor)


@transaction.atomic
def advance(agreement: Agreement, to: str, on: dt.date, *, note: str = "", project: Project | None = None,
            actor: Actor, expected_version: int | None = None) -> Agreement:
    """Move an agreement forward (注册 → 落地 → 开工 → 投产 → 达产); a state passed over takes the same date.

    落地 links the registry project the agreement became: it must lie in the agreement's county.
    """
    if not _may(actor, agreement, Action.CHANGE):
        raise Forbidden(_("您不能办理该签约项目"))
    if to not in ORDER[1:]:
        raise BusinessError(_("未知状态"), field="state")
    locked = _lock(agreement, expected_version)
    if locked.state == AgreementState.TERMINATED:
        raise BusinessError(_("签约项目已终止"))
    here, there = ORDER.index(AgreementState(locked.state)), ORDER.index(AgreementState(to))
    if there <= here:
        raise BusinessError(_("签约项目已处于「%(state)s」,不能回到「%(to)s」") % {
            "state": AgreementState(locked.state).label, "to": AgreementState(to).label}, field="state")
    if on > timezone.localdate():
        raise BusinessError(_("日期不能晚于今天"), field="on")
    if on < locked.state_since:
        raise BusinessError(_("日期不能早于上一进展日期 %(date)s") % {"date": locked.state_since}, field="on")
    landed = ORDER.index(AgreementState.LANDED)
    if there >= landed and locked.project_id is None:
        if project is None:
            raise BusinessError(_("落地须关联项目库中的项目"), field="project")
        if project.county_id != locked.county_id:
            raise BusinessError(_("关联项目应位于签约项目所在县区"), field="project")
        if not is_system(actor) and not scope(actor, Project.objects.filter(pk=project.pk)).exists():
            raise Forbidden(_("您看不到该项目"))
        if Agreement.objects.filter(project=project).exclude(pk=locked.pk).exists():
            raise BusinessError(_("该项目已关联其他签约项目"), field="project")
        locked.project = project
    before = snapshot(locked, ["state", "state_since", "project_id", *[DATE_OF[s] for s in ORDER[1:]]])
    who = user_of(actor)
    for state in ORDER[here + 1:there + 1]:
        field = DATE_OF[state]
        if getattr(locked, field) is None:
            setattr(locked, field, on)
        AgreementStep.objects.create(agreement=locked, state=state, on=on, note=(note or "").strip(), by=who)
    locked.state, locked.state_since = to, on
    return _save(locked, before, actor, message=(note or "").strip())


@transaction.atomic
def terminate(agreement: Agreement, on: dt.date, reason: str, *, actor: Actor,
              expected_version: int | None = None) -> Agreement:
    """终止: the agreement will not go on; the reason is kept and the rates count it as not honoured."""
    if not _may(actor, agreement, Action.CHANGE):
        raise Forbidden(_("您不能办理该签约项目"))
    if not (reason or "").strip():
        raise BusinessError(_("请填写终止原因"), field="reason")
    locked = _lock(agreement, expected_version)
    if locked.state in (AgreementState.TERMINATED, AgreementState.AT_CAPACITY):
        raise BusinessError(_("签约项目处于「%(state)s」,不能终止") % {"state": AgreementState(locked.state).label})
    if on > timezone.localdate() or on < locked.state_since:
        raise BusinessError(_("终止日期应在上一进展日期与今天之间"), field="on")
    before = snapshot(locked, ["state", "state_since", "terminated_on", "termination_reason"])
    locked.state, locked.state_since, locked.terminated_on = AgreementState.TERMINATED, on, on
    locked.termination_reason = reason.strip()
    AgreementStep.objects.create(agreement=locked, state=AgreementState.TERMINATED, on=on, note=reason.strip(),
                                 by=user_of(actor))
    return _save(locked, before, actor, message=reason.strip())


def _check_funds_month(agreement: Agreement, month: dt.date) -> None:
    if month.day != 1:
        raise BusinessError(_("报告期应为月份(YYYY-MM)"), field="month")
    if month > timezone.localdate().replace(day=1):
        raise BusinessError(_("不能填报未来月份"), field="month")
    if month < agreement.signed_on.replace(day=1):
        raise BusinessError(_("报告期早于签约月份"), field="month")
    if MonthLock.objects.filter(month=month).exists():
        raise BusinessError(_("%(month)s 已锁定,不能再填报或修改") % {"month": f"{month:%Y-%m}"}, field="month")


@transaction.atomic
def report_funds(agreement: Agreement, month: dt.date, *, domestic: Decimal | None = None,
                 foreign_usd: Decimal | None = None, exchange_rate: Decimal | None = None, note: str = "",
                 evidence: UploadedFile | None = None, actor: Actor,
                 expected_version: int | None = None) -> FundsReport:
    """到位资金月报: report (or correct, until it is accepted) one month's funds arrived of an agreement."""
    if not _may(actor, agreement, Action.CHANGE):
        raise Forbidden(_("您不能填报该签约项目的到位资金"))
    _check_funds_month(agreement, month)
    domestic = _money(domestic, "domestic", required=False)
    foreign_usd = _money(foreign_usd, "foreign_usd", required=False)
    if domestic < 0 or foreign_usd < 0:
        raise BusinessError(_("到位资金不能为负数"), field="domestic" if domestic < 0 else "foreign_usd")
    if domestic == 0 and foreign_usd == 0:
        raise BusinessError(_("请填写内资或外资到位金额"), field="domestic")
    rate = _rate(exchange_rate, month) if foreign_usd else None
    foreign = to_wan(foreign_usd, rate) if rate is not None else Decimal(0)
    existing = FundsReport.objects.select_for_update().filter(agreement=agreement, month=month).first()
    if existing is not None:
        if existing.status == FundsStatus.ACCEPTED:
            raise AlreadyExists(_("%(month)s 的到位资金已审核,不能修改") % {"month": f"{month:%Y-%m}"})
        if expected_version is not None and existing.version != expected_version:
            raise Conflict()
        report, event = existing, Event.UPDATE
        before = snapshot(report, ["domestic", "foreign_usd", "exchange_rate", "status"])
        report.version = F("version") + 1
    else:
        report, event, before = FundsReport(agreement=agreement, month=month), Event.CREATE, None
    report.domestic, report.foreign_usd, report.exchange_rate = domestic, foreign_usd, rate
    report.foreign, report.total = foreign, domestic + foreign
    report.note, report.status, report.return_reason = (note or "").strip(), FundsStatus.SUBMITTED, ""
    report.submitted_by = user_of(actor)
    if evidence is not None:
        checked = check_upload(evidence)
        report.evidence.save(stored_name(checked), evidence, save=False)
        report.evidence_name, report.evidence_type = checked.name, checked.content_type
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise AlreadyExists(_("该月到位资金已填报")) from exc
    report.refresh_from_db()
    record(event, actor=actor, obj=report, subject=_subject(agreement), before=before,
           after=snapshot(report, ["domestic", "foreign_usd", "exchange_rate", "status"]))
    return report


def _review(report: FundsReport, actor: Actor, expected_version: int | None) -> FundsReport:
    if not is_system(actor) and not scope(actor, FundsReport.objects.filter(pk=report.pk),
                                             Action.REVIEW).exists():
        raise Forbidden(_("只有统计局或领导小组办公室可以审核到位资金"))
    locked = FundsReport.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    if locked.status != FundsStatus.SUBMITTED:
        raise BusinessError(_("只有已报送的到位资金可以审核"))
    if MonthLock.objects.filter(month=locked.month).exists():
        raise BusinessError(_("%(month)s 已锁定") % {"month": f"{locked.month:%Y-%m}"})
    return locked


def _reviewed(report: FundsReport, actor: Actor, message: str = "") -> FundsReport:
    report.reviewed_by = user_of(actor)
    report.reviewed_at = timezone.now()
    report.version = F("version") + 1
    report.save()
    report.refresh_from_db()
    record(Event.UPDATE, actor=actor, obj=report, subject=_subject(report.agreement),
           before={"status": FundsStatus.SUBMITTED}, after={"status": report.status}, message=message)
    return report


@transaction.atomic
def accept_funds(report: FundsReport, *, actor: Actor, expected_version: int | None = None) -> FundsReport:
    locked = _review(report, actor, expected_version)
    locked.status = FundsStatus.ACCEPTED
    return _reviewed(locked, actor)


@transaction.atomic
def return_funds(report: FundsReport, reason: str, *, actor: Actor,
                 expected_version: int | None = None) -> FundsReport:
    if not (reason or "").strip():
        raise BusinessError(_("退回时请说明原因"), field="reason")
    locked = _review(report, actor, expected_version)
    locked.status, locked.return_reason = FundsStatus.RETURNED, reason.strip()
    return _reviewed(locked, actor, message=reason.strip())


@transaction.atomic
def set_exchange_rate(month: dt.date, rate: Decimal, *, actor: Actor) -> ExchangeRate:
    """The office corrects or adds a month's US$ rate (new agreements and reports of that month use it)."""
    if not is_system(actor) and not scope_of(actor).is_office:
        raise Forbidden(_("只有领导小组办公室可以设置汇率"))
    if rate <= 0 or rate > 100:
        raise BusinessError(_("汇率应为每美元折合人民币元数(大于0)"), field="rate")
    month = month.replace(day=1)
    found = ExchangeRate.objects.filter(month=month).first()
    before = {"rate": found.rate} if found else None
    obj, _created = ExchangeRate.objects.update_or_create(month=month, defaults={"rate": rate})
    record(Event.UPDATE if found else Event.CREATE, actor=actor, obj=obj, before=before,
           after={"rate": rate})
    return obj
