"""Financing acts: secure and report funds, review arrivals, allocate and follow special bonds, keep PPP projects
and the fiscal budget, publish financing needs, record a bank's steps and loans, events and 融资服务专员.

Each act is atomic, checks the acting user's rights through the scoping function and writes its audit record
in the same transaction. The actor is a User or the platform (`System(reason)`, which skips the checks).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import record, snapshot
from touzi.core.actor import Actor, allowed, is_system, user_of
from touzi.core.roles import Role
from touzi.core.scoping import Action, can, scope, scope_of
from touzi.financing.choices import (
    OPEN_NEEDS,
    PPP_ORDER,
    STEP_ORDER,
    ArrivalStatus,
    EventKind,
    NeedKind,
    NeedStatus,
    PPPStage,
    StepKind,
)
from touzi.financing.models import (
    BondAllocation,
    Commissioner,
    FinancingEvent,
    FinancingNeed,
    FiscalBudget,
    FundsArrival,
    Loan,
    NeedStep,
    PPPProject,
    SecuredFunds,
)
from touzi.lib.bounds import money_problem
from touzi.lib.errors import AlreadyExists, BusinessError, Conflict, Forbidden
from touzi.lib.evidence import check_upload, stored_name
from touzi.projects.choices import FundingSource
from touzi.projects.models import Project
from touzi.reports.models import MonthLock
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

# Special bonds used as 资本金: at most this share of a project's allocation (the policy's "25% 左右").
BOND_CAPITAL_SHARE = Decimal("0.25")


def _money(value: Decimal | int | None, field: str, *, positive: bool = True) -> Decimal:
    if value is None:
        raise BusinessError(_("请填写金额"), field=field)
    value = Decimal(value)
    problem = money_problem(value)
    if problem:
        raise BusinessError(problem, field=field)
    if value < 0 or (positive and value == 0):
        raise BusinessError(_("金额应大于0") if positive else _("金额不能为负数"), field=field)
    return value


def _keeps(actor: Actor, project: Project) -> None:
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("您不能填报该项目的资金"))


def _office(actor: Actor, message: str) -> None:
    if not is_system(actor) and not scope_of(actor).is_office:
        raise Forbidden(message)


def _bump(obj: Any) -> None:
    obj.version = F("version") + 1


def _locked(model: type[Model], pk: int, expected_version: int | None) -> Any:
    found: Any = model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and found.version != expected_version:
        raise Conflict()
    return found


def _source(source: str) -> str:
    if source not in FundingSource.values:
        raise BusinessError(_("未知资金来源:%(s)s") % {"s": source}, field="source")
    return source


def _month(month: dt.date) -> dt.date:
    if month.day != 1:
        month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise BusinessError(_("不能填报未来月份"), field="month")
    if MonthLock.objects.filter(month=month).exists():
        raise BusinessError(_("%(month)s 已锁定,不能再填报或修改") % {"month": f"{month:%Y-%m}"}, field="month")
    return month


# --- each project's money -------------------------------------------------------------------------------------


@transaction.atomic
def secure_funds(project: Project, source: str, year: int, amount: Decimal, *, note: str = "",
                 actor: Actor) -> SecuredFunds:
    """资金落实: the amount of a source approved or secured for the project in a year (set, or corrected)."""
    _keeps(actor, project)
    amount = _money(amount, "amount", positive=False)
    found = SecuredFunds.objects.select_for_update().filter(project=project, source=_source(source), year=year).first()
    before = snapshot(found, ["amount", "note"]) if found else None
    obj = found or SecuredFunds(project=project, source=source, year=year)
    obj.amount, obj.note, obj.by = amount, (note or "").strip(), user_of(actor)
    if found:
        _bump(obj)
    obj.save()
    obj.refresh_from_db()
    record(Event.UPDATE if found else Event.CREATE, actor=actor, obj=obj, subject=f"project:{project.pk}",
           before=before, after=snapshot(obj, ["amount", "note"]))
    return obj


@transaction.atomic
def report_arrival(project: Project, source: str, month: dt.date, amount: Decimal, *, note: str = "",
                   bank: Unit | None = None, evidence: UploadedFile | None = None, is_demo: bool = False,
                   actor: Actor) -> FundsArrival:
    """资金到位: report money of a source that arrived in a month, with evidence; reviewed afterwards."""
    _keeps(actor, project)
    if bank is not None and bank.kind != UnitKind.BANK:
        raise BusinessError(_("「%(u)s」不是金融机构") % {"u": bank}, field="bank")
    arrival = FundsArrival(project=project, source=_source(source), month=_month(month),
                           amount=_money(amount, "amount"), bank=bank, note=(note or "").strip(),
                           submitted_by=user_of(actor), is_demo=is_demo)
    if evidence is not None:
        checked = check_upload(evidence)
        arrival.evidence.save(stored_name(checked), evidence, save=False)
        arrival.evidence_name, arrival.evidence_type = checked.name, checked.content_type
    arrival.save()
    record(Event.CREATE, actor=actor, obj=arrival, subject=f"project:{project.pk}",
           after=snapshot(arrival, ["source", "month", "amount", "status"]))
    return arrival


def _review(arrival: FundsArrival, actor: Actor, expected_version: int | None) -> FundsArrival:
    if not is_system(actor) and not scope(actor, FundsArrival.objects.filter(pk=arrival.pk), Action.REVIEW).exists():
        raise Forbidden(_("只有统计局或领导小组办公室可以审核到位资金"))
    locked = _locked(FundsArrival, arrival.pk, expected_version)
    if locked.status != ArrivalStatus.SUBMITTED:
        raise BusinessError(_("只有已报送的到位资金可以审核"))
    if MonthLock.objects.filter(month=locked.month).exists():
        raise BusinessError(_("%(month)s 已锁定") % {"month": f"{locked.month:%Y-%m}"})
    return locked


def _reviewed(arrival: FundsArrival, actor: Actor, message: str = "") -> FundsArrival:
    arrival.reviewed_by, arrival.reviewed_at = user_of(actor), timezone.now()
    _bump(arrival)
    arrival.save()
    arrival.refresh_from_db()
    record(Event.UPDATE, actor=actor, obj=arrival, subject=f"project:{arrival.project_id}",
           before={"status": ArrivalStatus.SUBMITTED}, after={"status": arrival.status}, message=message)
    return arrival


@transaction.atomic
def accept_arrival(arrival: FundsArrival, *, actor: Actor, expected_version: int | None = None) -> FundsArrival:
    locked = _review(arrival, actor, expected_version)
    locked.status = ArrivalStatus.ACCEPTED
    return _reviewed(locked, actor)


@transaction.atomic
def return_arrival(arrival: FundsArrival, reason: str, *, actor: Actor,
                   expected_version: int | None = None) -> FundsArrival:
    if not (reason or "").strip():
        raise BusinessError(_("退回时请说明原因"), field="reason")
    locked = _review(arrival, actor, expected_version)
    locked.status, locked.return_reason = ArrivalStatus.RETURNED, reason.strip()
    return _reviewed(locked, actor, message=reason.strip())


# --- special bonds ---------------------------------------------------------------------------------------------


def _check_bond(bond: BondAllocation) -> None:
    if bond.capital > bond.amount * BOND_CAPITAL_SHARE:
        raise BusinessError(_("用作资本金的专项债券不能超过分配额度的 %(p)s%%") % {
            "p": int(BOND_CAPITAL_SHARE * 100)}, field="capital")
    if not (bond.spent <= bond.disbursed <= bond.issued <= bond.amount):
        raise BusinessError(_("应满足:已支出 ≤ 已拨付 ≤ 已发行 ≤ 分配额度"), field="disbursed")
    if bond.disbursed and bond.disbursed_on is None:
        raise BusinessError(_("请填写拨付日期"), field="disbursed_on")
    today = timezone.localdate()
    for name in ("issued_on", "disbursed_on", "spent_as_of"):
        when = getattr(bond, name)
        if when is not None and when > today:
            raise BusinessError(_("日期不能晚于今天"), field=name)


BOND_PROGRESS = ["issued", "issued_on", "disbursed", "disbursed_on", "spent", "spent_as_of", "capital"]


@transaction.atomic
def allocate_bond(project: Project, *, batch: str, year: int, amount: Decimal, capital: Decimal = Decimal(0),
                  is_demo: bool = False, actor: Actor, **progress: Any) -> BondAllocation:
    """专项债券额度分配: a batch's quota for a project (the office or the project's county enters it)."""
    _keeps(actor, project)
    if not (batch or "").strip():
        raise BusinessError(_("请填写批次"), field="batch")
    if BondAllocation.objects.filter(project=project, batch=batch.strip(), year=year).exists():
        raise AlreadyExists(_("该项目已有这一批次的专项债券额度"))
    bond = BondAllocation(project=project, batch=batch.strip(), year=year, amount=_money(amount, "amount"),
                          capital=_money(capital, "capital", positive=False), is_demo=is_demo)
    for name in BOND_PROGRESS[:-1]:
        if name in progress and progress[name] is not None:
            setattr(bond, name, progress[name])
    _check_bond(bond)
    bond.save()
    record(Event.CREATE, actor=actor, obj=bond, subject=f"project:{project.pk}", after=snapshot(bond))
    return bond


@transaction.atomic
def update_bond(bond: BondAllocation, changes: dict[str, Any], *, actor: Actor,
                expected_version: int | None = None) -> BondAllocation:
    """Issued, disbursed and spent (支出进度) as they move."""
    _keeps(actor, bond.project)
    unknown = set(changes) - set(BOND_PROGRESS)
    if unknown:
        raise Forbidden(_("不能修改这些字段:%(f)s") % {"f": "、".join(sorted(unknown))})
    locked = _locked(BondAllocation, bond.pk, expected_version)
    before = snapshot(locked, list(changes))
    for name, value in changes.items():
        if name in ("issued", "disbursed", "spent", "capital"):
            value = _money(value, name, positive=False)
        setattr(locked, name, value)
    _check_bond(locked)
    _bump(locked)
    locked.save()
    locked.refresh_from_db()
    record(Event.UPDATE, actor=actor, obj=locked, subject=f"project:{locked.project_id}", before=before,
           after=snapshot(locked, list(changes)))
    return locked


# --- PPP and the fiscal budget ---------------------------------------------------------------------------------


@transaction.atomic
def keep_ppp(project: Project, *, added_year: int, investment: Decimal, annual_fiscal: Decimal,
             stage: str = PPPStage.IDENTIFY, term_years: int = 20, joint_review_on: dt.date | None = None,
             joint_review_result: str = "", is_demo: bool = False, actor: Actor) -> PPPProject:
    """Register a project as PPP or correct it: stage (forward only), size, fiscal responsibility, joint review."""
    _keeps(actor, project)
    if stage not in PPPStage.values:
        raise BusinessError(_("未知阶段"), field="stage")
    found = PPPProject.objects.select_for_update().filter(project=project).first()
    if found and PPP_ORDER.index(PPPStage(stage)) < PPP_ORDER.index(PPPStage(found.stage)):
        raise BusinessError(_("PPP项目已处于「%(s)s」,不能退回") % {"s": PPPStage(found.stage).label}, field="stage")
    if stage in (PPPStage.PROCURE, PPPStage.EXECUTE, PPPStage.HANDOVER) and joint_review_on is None and not (
            found and found.joint_review_on):
        raise BusinessError(_("进入采购前须经联审"), field="joint_review_on")
    fields = ["stage", "added_year", "investment", "annual_fiscal", "term_years", "joint_review_on",
              "joint_review_result"]
    before = snapshot(found, fields) if found else None
    obj = found or PPPProject(project=project, is_demo=is_demo)
    obj.stage, obj.added_year, obj.term_years = stage, added_year, term_years
    obj.investment = _money(investment, "investment")
    obj.annual_fiscal = _money(annual_fiscal, "annual_fiscal", positive=False)
    if joint_review_on is not None:
        obj.joint_review_on = joint_review_on
    if joint_review_result:
        obj.joint_review_result = joint_review_result.strip()
    if found:
        _bump(obj)
    obj.save()
    obj.refresh_from_db()
    record(Event.UPDATE if found else Event.CREATE, actor=actor, obj=obj, subject=f"project:{project.pk}",
           before=before, after=snapshot(obj, fields))
    return obj


@transaction.atomic
def set_budget(year: int, expenditure: Decimal, *, ceiling_pct: Decimal = Decimal(10), actor: Actor) -> FiscalBudget:
    """一般公共预算支出 of a year and the ceiling on government-invested projects' fiscal payments (office)."""
    _office(actor, _("只有领导小组办公室可以填报一般公共预算支出"))
    expenditure = _money(expenditure, "expenditure")
    if not (0 < Decimal(ceiling_pct) <= 100):
        raise BusinessError(_("上限应在0到100之间"), field="ceiling_pct")
    found = FiscalBudget.objects.select_for_update().filter(year=year).first()
    before = snapshot(found, ["expenditure", "ceiling_pct"]) if found else None
    obj = found or FiscalBudget(year=year)
    obj.expenditure, obj.ceiling_pct, obj.by = expenditure, Decimal(ceiling_pct), user_of(actor)
    if found:
        _bump(obj)
    obj.save()
    obj.refresh_from_db()
    record(Event.UPDATE if found else Event.CREATE, actor=actor, obj=obj, before=before,
           after=snapshot(obj, ["expenditure", "ceiling_pct"]))
    return obj


# --- 政金企 matchmaking -----------------------------------------------------------------------------------------


@transaction.atomic
def publish_need(project: Project, *, amount: Decimal, term_months: int, kind: str, contact: str,
                 purpose: str = "", pledge: str = "", published_on: dt.date | None = None, is_demo: bool = False,
                 actor: Actor) -> FinancingNeed:
    """A project publishes a financing need to the banks on the platform."""
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("您不能为该项目发布融资需求"))
    if kind not in NeedKind.values:
        raise BusinessError(_("未知融资方式"), field="kind")
    if not (contact or "").strip():
        raise BusinessError(_("请填写联系人及电话"), field="contact")
    if not (0 < int(term_months) <= 600):
        raise BusinessError(_("期限应为1至600个月"), field="term_months")
    need = FinancingNeed(project=project, amount=_money(amount, "amount"), term_months=term_months, kind=kind,
                         contact=contact.strip(), purpose=(purpose or "").strip(), pledge=(pledge or "").strip(),
                         published_on=published_on or timezone.localdate(), published_by=user_of(actor),
                         is_demo=is_demo)
    need.save()
    record(Event.CREATE, actor=actor, obj=need, subject=f"project:{project.pk}", after=snapshot(need))
    return need


@transaction.atomic
def close_need(need: FinancingNeed, reason: str, *, actor: Actor, expected_version: int | None = None) -> FinancingNeed:
    if not allowed(actor, lambda user: can(user, need, Action.CHANGE)):
        raise Forbidden(_("您不能关闭该融资需求"))
    if not (reason or "").strip():
        raise BusinessError(_("请说明关闭原因"), field="reason")
    locked = _locked(FinancingNeed, need.pk, expected_version)
    before = snapshot(locked, ["status", "close_reason"])
    locked.status, locked.close_reason = NeedStatus.CLOSED, reason.strip()
    _bump(locked)
    locked.save()
    locked.refresh_from_db()
    record(Event.UPDATE, actor=actor, obj=locked, subject=f"project:{locked.project_id}", before=before,
           after=snapshot(locked, ["status", "close_reason"]), message=reason.strip())
    return locked


def _bank_of(actor: Actor, bank: Unit | None) -> Unit:
    if is_system(actor):
        if bank is None or bank.kind != UnitKind.BANK:
            raise BusinessError(_("请指定金融机构"), field="bank")
        return bank
    unit = getattr(actor, "unit", None)
    if scope_of(actor).role != Role.BANK or unit is None:
        raise Forbidden(_("只有金融机构可以登记对接进展"))
    return unit


def _grant(project: Project, bank: Unit, amount: Decimal, on: dt.date, *, need: FinancingNeed | None,
           subsidised: bool, scheme: str, term_months: int | None, actor: Actor, is_demo: bool) -> Loan:
    """A loan and the arrived funds it makes (accepted: the bank's own record is the evidence)."""
    loan = Loan.objects.create(project=project, bank=bank, need=need, amount=amount, granted_on=on,
                               term_months=term_months, subsidised=subsidised, scheme=scheme.strip(),
                               industry=project.industry or "", by=user_of(actor), is_demo=is_demo)
    arrival = FundsArrival.objects.create(
        project=project, source=FundingSource.BANK_LOANS, month=on.replace(day=1), amount=amount, bank=bank,
        loan=loan, note=_("%(bank)s 放款") % {"bank": bank}, status=ArrivalStatus.ACCEPTED,
        submitted_by=user_of(actor), reviewed_at=timezone.now(), is_demo=is_demo)
    record(Event.CREATE, actor=actor, obj=loan, subject=f"project:{project.pk}", after=snapshot(loan))
    record(Event.CREATE, actor=actor, obj=arrival, subject=f"project:{project.pk}",
           after=snapshot(arrival, ["source", "month", "amount", "status", "loan_id"]))
    return loan


@transaction.atomic
def take_step(need: FinancingNeed, kind: str, *, on: dt.date | None = None, amount: Decimal | None = None,
              note: str = "", subsidised: bool = False, scheme: str = "", bank: Unit | None = None,
              is_demo: bool = False, actor: Actor) -> NeedStep:
    """A bank's step on a need: 意向 → 对接 → 尽调 → 授信 → 放款 (forward only), or 婉拒 with a reason.
    放款 records the loan, which arrives in the project's funds and counts in the bank-loan figures."""
    bank = _bank_of(actor, bank)
    if not is_system(actor) and not scope(actor, FinancingNeed.objects.filter(pk=need.pk)).exists():
        raise Forbidden(_("您看不到该融资需求"))
    if kind not in StepKind.values:
        raise BusinessError(_("未知进展"), field="kind")
    locked = FinancingNeed.objects.select_for_update().get(pk=need.pk)
    if locked.status == NeedStatus.CLOSED:
        raise BusinessError(_("融资需求已关闭"))
    on = on or timezone.localdate()
    if on > timezone.localdate() or on < locked.published_on:
        raise BusinessError(_("日期应在发布日期与今天之间"), field="on")
    mine = list(NeedStep.objects.filter(need=locked, bank=bank).values_list("kind", flat=True))
    if StepKind.DECLINED in mine:
        raise BusinessError(_("贵行已婉拒该需求"))
    if kind == StepKind.DECLINED:
        if not (note or "").strip():
            raise BusinessError(_("婉拒时请说明原因"), field="note")
    else:
        reached = max((STEP_ORDER.index(StepKind(k)) for k in mine), default=-1)
        if STEP_ORDER.index(StepKind(kind)) <= reached and kind != StepKind.LOAN:
            raise BusinessError(_("贵行已登记到「%(s)s」") % {"s": STEP_ORDER[reached].label}, field="kind")
    if kind in (StepKind.CREDIT, StepKind.LOAN):
        amount = _money(amount, "amount")
    elif amount is not None:
        amount = _money(amount, "amount", positive=False)
    loan = None
    if kind == StepKind.LOAN:
        loan = _grant(locked.project, bank, amount or Decimal(0), on, need=locked, subsidised=subsidised,
                      scheme=scheme, term_months=locked.term_months, actor=actor, is_demo=is_demo)
    step = NeedStep.objects.create(need=locked, bank=bank, kind=kind, amount=amount, on=on, note=(note or "").strip(),
                                   loan=loan, by=user_of(actor))
    before = snapshot(locked, ["status", "granted_on"])
    if kind == StepKind.LOAN:
        locked.status = NeedStatus.GRANTED
        locked.granted_on = locked.granted_on or on
    elif kind != StepKind.DECLINED and locked.status == NeedStatus.OPEN:
        locked.status = NeedStatus.MATCHING
    if snapshot(locked, ["status", "granted_on"]) != before:
        _bump(locked)
        locked.save()
    record(Event.CREATE, actor=actor, obj=step, subject=f"project:{locked.project_id}",
           after=snapshot(step, ["need_id", "bank_id", "kind", "amount", "on", "note"]))
    return step


@transaction.atomic
def record_loan(project: Project, *, amount: Decimal, granted_on: dt.date, subsidised: bool = False,
                scheme: str = "", term_months: int | None = None, bank: Unit | None = None, is_demo: bool = False,
                actor: Actor) -> Loan:
    """A loan made outside a published need (a 桂惠贷 loan, say): by the lending bank or the plan office."""
    if is_system(actor) or scope_of(actor).is_office:
        if bank is None or bank.kind != UnitKind.BANK:
            raise BusinessError(_("请指定金融机构"), field="bank")
    else:
        bank = _bank_of(actor, None)
    if granted_on > timezone.localdate():
        raise BusinessError(_("日期不能晚于今天"), field="granted_on")
    return _grant(project, bank, _money(amount, "amount"), granted_on, need=None, subsidised=subsidised,
                  scheme=scheme, term_months=term_months, actor=actor, is_demo=is_demo)


@transaction.atomic
def record_event(*, name: str, kind: str, held_on: dt.date, place: str = "", projects: list[Project] | None = None,
                 banks: list[Unit] | None = None, intentions: int = 0, intention_amount: Decimal = Decimal(0),
                 outcome: str = "", is_demo: bool = False, actor: Actor) -> FinancingEvent:
    """路演 / 对接会: the office records an event, who took part and what was signed."""
    _office(actor, _("只有领导小组办公室可以登记融资对接活动"))
    if not (name or "").strip():
        raise BusinessError(_("请填写活动名称"), field="name")
    if kind not in EventKind.values:
        raise BusinessError(_("未知活动类型"), field="kind")
    if any(b.kind != UnitKind.BANK for b in banks or []):
        raise BusinessError(_("参会机构应为金融机构"), field="banks")
    event = FinancingEvent.objects.create(name=name.strip(), kind=kind, held_on=held_on, place=(place or "").strip(),
                                          intentions=intentions,
                                          intention_amount=_money(intention_amount, "intention_amount",
                                                                  positive=False),
                                          outcome=(outcome or "").strip(), is_demo=is_demo)
    event.projects.set(projects or [])
    event.banks.set(banks or [])
    record(Event.CREATE, actor=actor, obj=event, after={**snapshot(event), "projects": [p.pk for p in projects or []],
                                                         "banks": [b.pk for b in banks or []]})
    return event


@transaction.atomic
def appoint_commissioner(user: Any, *, county: Unit | None = None, projects: list[Project] | None = None,
                         actor: Actor) -> Commissioner:
    """融资服务专员: the office assigns a bank's person to a county or to projects."""
    _office(actor, _("只有领导小组办公室可以指定融资服务专员"))
    if user.role != Role.BANK or user.unit is None:
        raise BusinessError(_("融资服务专员应为金融机构的账号"), field="user")
    if county is not None and county.kind != UnitKind.COUNTY:
        raise BusinessError(_("「%(u)s」不是县区") % {"u": county}, field="county")
    if county is None and not projects:
        raise BusinessError(_("请指定服务县区或项目"), field="county")
    obj = Commissioner.objects.create(user=user, bank=user.unit, county=county)
    obj.projects.set(projects or [])
    record(Event.CREATE, actor=actor, obj=obj, after={**snapshot(obj), "projects": [p.pk for p in projects or []]})
    return obj


def commissioner_needs(user: Any) -> Any:
    """The open needs of the counties and projects a 融资服务专员 serves (their 待办)."""
    from django.db.models import Q

    posts = Commissioner.objects.filter(user=user)
    if not posts.exists():
        return FinancingNeed.objects.none()
    counties = posts.exclude(county=None).values("county_id")
    projects = Project.objects.filter(pk__in=posts.values("projects"))
    return FinancingNeed.objects.filter(status__in=OPEN_NEEDS).filter(
        Q(project__county_id__in=counties) | Q(project__in=projects.values("pk")))
