"""How the planned portfolio is stored: a handful of bulk inserts, in one transaction the caller opens.

The writer draws the details the planner leaves open (days, times, farmland plans, approvals, returns,
adjustments) from its own `random.Random`, in a fixed order: the steps below run in that order and each
consumes the generator as the single function before it did, so a seed still gives the same database.

Bulk inserts bypass the service layer on purpose (2,000 projects and 32,000 reports in seconds). The counted
ledger (CountedYear) follows the reports' and adjustments' bulk inserts as their QuerySet keeps it today; when
the reports' service layer gets its bulk path, these two inserts are the calls to re-point. The history the
reports would have had (returns and corrections) is recorded as audit records of the system.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from touzi.audit.choices import Event
from touzi.audit.services import record, record_many
from touzi.core.actor import System
from touzi.demo.catalog import (
    ADJUST_DOWN,
    ADJUST_UP,
    COUNTY_NAMES,
    LEAF_DOMAINS,
    PROBLEMS,
    PRODUCTIVE,
    RETURN_REASONS,
    YI,
)
from touzi.demo.drafts import DONE, OWNER_KEY_PREFIX, PortfolioDraft, ProjectDraft
from touzi.demo.months import LAST_LOCKED, LAST_REPORT, REPORT_MONTHS, YEARS, month_at, month_index
from touzi.plans.models import Collection, Domain
from touzi.projects.choices import ApprovalItem, Clarity, FundingSource, Stage
from touzi.projects.clarities import refresh_clarities
from touzi.projects.models import AnnualPlan, FundingLine, KeyApproval, Membership, Project
from touzi.reports.bulk import load_ledger
from touzi.reports.choices import Flag, ReportStatus
from touzi.reports.keys import audit_id
from touzi.reports.models import Adjustment, MonthLock, MonthlyReport
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

TZ = ZoneInfo("Asia/Shanghai")
BATCH = 1000
# The key approvals of every project and how many months before its start each is due; industry and energy
# projects also need the energy review (inserted before planning).
APPROVALS = [(ApprovalItem.PROJECT, 10), (ApprovalItem.LAND, 7), (ApprovalItem.ENVIRONMENT, 5),
             (ApprovalItem.PLANNING, 3), (ApprovalItem.CONSTRUCTION, 1)]
ENERGY_REVIEW = (ApprovalItem.ENERGY, 5)
# A report's history before it was accepted: (report, original amount, reason, first submitted, returned,
# resubmitted); original None: returned in the open month and not corrected yet.
History = tuple[MonthlyReport, float | None, str, dt.datetime, dt.datetime, dt.datetime | None]


@dataclass
class PortfolioSummary:
    created: bool
    projects: int = 0
    owners: int = 0
    reports: int = 0
    annual_plans: int = 0
    memberships: int = 0
    funding_lines: int = 0
    approvals: int = 0
    adjustments: int = 0
    month_locks: int = 0
    audit_records: int = 0

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if k != "created"}


def write_portfolio(draft: PortfolioDraft, rng: random.Random) -> PortfolioSummary:
    """Store the draft (the Beihai plan must be loaded: its units, domains and collections are looked up)."""
    writer = _Writer(draft, rng)
    writer.units()
    writer.projects()
    writer.links()
    writer.annual_plans()
    histories = writer.reports()
    audit = writer.report_histories(histories)
    writer.adjustments()
    writer.month_locks()
    record_many(audit, actor=System("demo"))
    writer.summary.audit_records = len(audit) + 1
    record(Event.CREATE, actor=System("demo"), object_type="core.demo_portfolio", object_repr="演示项目库",
           after=writer.summary.counts(), message="生成演示数据")
    return writer.summary


class _Writer:
    def __init__(self, draft: PortfolioDraft, rng: random.Random) -> None:
        self.draft, self.rng = draft, rng
        self.summary = PortfolioSummary(created=True)
        self.unit_ids: dict[str, int] = {}
        self.project_ids: dict[int, int] = {}  # id() of a draft → its project's primary key
        self.report_rows: list[MonthlyReport] = []

    def units(self) -> None:
        """The enterprise owners (kept if an earlier run left them), then every unit key the projects use."""
        draft = self.draft
        existing = set(Unit.objects.filter(key__startswith=OWNER_KEY_PREFIX).values_list("key", flat=True))
        Unit.objects.bulk_create([Unit(key=o.key, name=o.name, short_name=o.short, kind=UnitKind.ENTERPRISE)
                                  for o in draft.owners if o.key not in existing], batch_size=BATCH)
        self.summary.owners = len(draft.owners)
        keys = {p.owner for p in draft.projects} | {p.lead for p in draft.projects if p.lead}
        keys |= {p.county for p in draft.projects} | {p.park for p in draft.projects if p.park}
        self.unit_ids = dict(Unit.objects.filter(key__in=sorted(keys)).values_list("key", "id"))
        missing_units = sorted(keys - set(self.unit_ids))
        if missing_units:
            raise LookupError(f"演示项目库需要先载入北海市行动方案(缺少单位:{', '.join(missing_units)})")

    def projects(self) -> None:
        rng, units = self.rng, self.unit_ids
        domains = dict(Domain.objects.filter(key__in=LEAF_DOMAINS).values_list("key", "id"))
        rows = []
        for p in self.draft.projects:
            planned_start = month_at(p.start - p.delay) if p.start is not None else None
            farmland_plan = ""
            if p.farmland_mu and Clarity.FARMLAND not in p.missing:
                farmland_plan = rng.choice((
                    f"占用耕地约{p.farmland_mu}亩,通过{COUNTY_NAMES[p.county]}{p.town}土地整治项目补充耕地,实现占补平衡",
                    f"占用耕地约{p.farmland_mu}亩,购买自治区统筹补充耕地指标落实占补平衡",
                    f"占用耕地约{p.farmland_mu}亩,由{COUNTY_NAMES[p.county]}统筹垦造水田指标落实占补平衡",
                ))
            rows.append(Project(
                code=p.code, name=p.name, domain_id=domains[p.domain], county_id=units[p.county],
                park_id=units[p.park] if p.park else None, owner_id=units[p.owner],
                lead_unit_id=units[p.lead] if p.lead else None, total_investment=_money(p.total),
                planned_start=planned_start, planned_completion=month_at(p.end) if p.end is not None else None,
                actual_start=_day(rng, p.known_start, 1, 28) if p.started else None,
                actual_completion=_day(rng, p.known_end, 1, 28) if p.stage in DONE else None,
                stage=p.stage, is_government=p.gov, fiscal_contribution=_money(p.fiscal),
                is_real_estate=p.real_estate, industry=p.industry, occupies_farmland=bool(p.farmland_mu),
                farmland_plan=farmland_plan, is_demo=True,
                description=(f"项目位于{COUNTY_NAMES[p.county]}{p.town},总投资约{p.total / YI:.2f}亿元。"
                             if not p.named else f"{p.name}:北海市扩大有效投资三年攻坚行动方案点名推进的重点项目。"),
            ))
        Project.objects.bulk_create(rows, batch_size=BATCH)
        if any(row.pk is None for row in rows):  # databases that do not return ids from bulk inserts
            ids = dict(Project.objects.filter(is_demo=True).values_list("name", "id"))
            for row in rows:
                row.pk = row.id = ids[row.name]
        self.project_ids = {id(p): row.pk for p, row in zip(self.draft.projects, rows, strict=True)}
        self.summary.projects = len(rows)

    def links(self) -> None:
        """Memberships of collections, funding lines and key approvals."""
        rng, pid = self.rng, self.project_ids
        collections = dict(Collection.objects.values_list("key", "id"))
        memberships, funding, approvals = [], [], []
        for p in self.draft.projects:
            lines = [] if p.stage == Stage.CANCELLED else _funding(rng, p)
            if any(source == FundingSource.SOCIAL_CAPITAL for source, _amount in lines):
                p.collections.append("ppp")
            for key in dict.fromkeys(p.collections):
                memberships.append(Membership(project_id=pid[id(p)], collection_id=collections[key]))
            for year in p.major_years:
                memberships.append(Membership(project_id=pid[id(p)], collection_id=collections["major-list"],
                                              year=year))
            if p.stage == Stage.CANCELLED:
                continue
            for source, amount in lines:
                funding.append(FundingLine(project_id=pid[id(p)], source=source, amount=_money(amount)))
            approvals += self._approvals(p)
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        FundingLine.objects.bulk_create(funding, batch_size=BATCH)
        KeyApproval.objects.bulk_create(approvals, batch_size=BATCH)
        refresh_clarities(Project.objects.filter(is_demo=True))  # the stored five-clarities flags
        self.summary.memberships, self.summary.funding_lines = len(memberships), len(funding)
        self.summary.approvals = len(approvals)

    def _approvals(self, p: ProjectDraft) -> list[KeyApproval]:
        rng, project_id = self.rng, self.project_ids[id(p)]
        if Clarity.APPROVALS in p.missing and rng.random() < 0.3:
            return []  # no approval plan at all
        items = list(APPROVALS)
        if p.domain in ("industry", "energy"):
            items.insert(3, ENERGY_REVIEW)
        open_item = rng.randrange(len(items)) if Clarity.APPROVALS in p.missing else -1
        plan_start = p.known_start - p.delay
        approvals = []
        for index, (item, lead_months) in enumerate(items):
            due = _day(rng, plan_start - lead_months + rng.randint(-1, 1), 1, 28)
            if index == open_item:
                approvals.append(KeyApproval(project_id=project_id, item=item))
                continue
            done = None
            if p.started:
                late = rng.random() >= 0.88  # some approvals took longer than their time limit
                done = due + dt.timedelta(days=rng.randint(11, 60) if late else rng.randint(-40, 10))
                done = min(done, _day(rng, p.known_start, 1, 1))
            elif due < dt.date(2023, 12, 1) and rng.random() < 0.8:
                done = due - dt.timedelta(days=rng.randint(0, 30))
            approvals.append(KeyApproval(project_id=project_id, item=item, deadline=due, done_on=done))
        return approvals

    def annual_plans(self) -> None:
        rng = self.rng
        plans = []
        for p in self.draft.projects:
            for year in YEARS:
                first, last = month_index(year, 1), month_index(year, 12)
                if p.started and p.known_start <= last and p.known_end >= first:
                    category = Stage.NEW_START if p.known_start >= first else Stage.CONTINUING
                elif year in p.prelim_years:
                    category = Stage.PRELIMINARY
                else:
                    continue
                if category == Stage.PRELIMINARY:
                    planned = Decimal(0)
                    target = f"完成可行性研究、用地预审、环评等前期工作,力争{year + 1}年开工"
                else:
                    done = sum(a for m, a in p.amounts.items() if m // 12 == year)
                    planned = _money(min(p.total, round(done * rng.uniform(0.9, 1.3) / 10) * 10))
                    if p.known_end <= last:
                        target = f"{year}年{p.known_end % 12 + 1}月建成" + ("投产" if p.domain in PRODUCTIVE else "并投入使用")
                    elif category == Stage.NEW_START:
                        phase = _phase((last - p.known_start) / (p.known_end - p.known_start + 1), p.domain)
                        target = f"{year}年{p.known_start % 12 + 1}月开工建设,年底前{phase}"
                    else:
                        target = _phase((last - p.known_start + 1) / (p.known_end - p.known_start + 1), p.domain)
                plans.append(AnnualPlan(
                    project_id=self.project_ids[id(p)], year=year, category=category,
                    planned_investment=None if Clarity.INVESTMENT in p.missing else planned,
                    progress_target="" if Clarity.PROGRESS in p.missing else target,
                    planned_start=(month_at(p.known_start - p.delay)
                                   if category != Stage.CONTINUING and p.known_start // 12 >= year else None),
                    planned_completion=month_at(p.end) if p.end is not None and p.end // 12 == year else None,
                ))
        AnnualPlan.objects.bulk_create(plans, batch_size=BATCH)
        self.summary.annual_plans = len(plans)

    def reports(self) -> list[History]:
        """Every month's report; returns the histories of those returned or corrected on the way."""
        rng = self.rng
        reports: list[MonthlyReport] = []
        histories: list[History] = []
        for p in self.draft.projects:
            life = p.known_end - p.known_start + 1 if p.started else 1
            for month in sorted(p.amounts):
                amount = p.amounts[month]
                status = ReportStatus.ACCEPTED if month < LAST_REPORT else p.open_status
                if status is None:  # the planner gives no amount for an open month without a report
                    raise ValueError(f"{p.name}: an amount for {month_at(month):%Y-%m} without a report")
                late = rng.random() < 0.05
                submitted = _moment(rng, _day(rng, month + 1, 11, 25) if late else _day(rng, month + 1, 1, 10))
                reviewed = submitted + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6))
                corrected = month < LAST_REPORT and rng.random() < 0.02
                report = MonthlyReport(
                    project_id=self.project_ids[id(p)], month=month_at(month), amount=_money(amount),
                    status=status, progress=_phase((month - p.known_start + 1) / life, p.domain),
                    problems=rng.choice(PROBLEMS) if rng.random() < 0.05 else "",
                    flags=[Flag.LATE.value] if late else [], submitted_at=submitted,
                    reviewed_at=None if status == ReportStatus.SUBMITTED else reviewed,
                    version=1 if status == ReportStatus.SUBMITTED else 2,
                )
                if status == ReportStatus.RETURNED:
                    report.return_reason = rng.choice(RETURN_REASONS)
                    histories.append((report, None, report.return_reason, submitted, reviewed, None))
                elif corrected:
                    first = submitted - dt.timedelta(days=rng.randint(4, 8))
                    returned = first + dt.timedelta(days=rng.randint(1, 2))
                    original = amount * rng.choice((rng.uniform(1.1, 1.8), rng.uniform(0.4, 0.9)))
                    histories.append((report, original, rng.choice(RETURN_REASONS), first, returned, submitted))
                    report.version = 4
                reports.append(report)
        load_ledger(reports, actor=System("demo"))
        if any(r.pk is None for r in reports):
            ids = {(r["project_id"], r["month"]): r["id"] for r in
                   MonthlyReport.objects.filter(project__is_demo=True).values("project_id", "month", "id")}
            for r in reports:
                r.pk = r.id = ids[(r.project_id, r.month)]
        self.summary.reports = len(reports)
        self.report_rows = reports
        return histories

    def report_histories(self, histories: list[History]) -> list[dict[str, Any]]:
        """Returns and corrections, as the audit trail of the reports."""
        names = {self.project_ids[id(p)]: p.name for p in self.draft.projects}
        submitted, returned_, accepted = ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.ACCEPTED
        audit: list[dict[str, Any]] = []
        for report, original, reason, first, returned, resubmitted in histories:
            base = {"event": Event.UPDATE, "object_type": "reports.monthlyreport", "object_id": audit_id(report.project_id, report.month),
                    "object_repr": f"{names[report.project_id]} {report.month:%Y-%m}",
                    "subject": f"project:{report.project_id}"}
            if original is None:  # returned in the open month, awaiting the owner's correction
                audit.append({**base, "before": {"status": submitted}, "after": {"status": returned_},
                              "message": f"{reason}(退回于 {returned:%Y-%m-%d})"})
                continue
            assert resubmitted is not None and report.reviewed_at is not None
            audit += [
                {**base, "before": {"status": submitted, "amount": _money(original)},
                 "after": {"status": returned_},
                 "message": f"{reason}(报送于 {first:%Y-%m-%d},退回于 {returned:%Y-%m-%d})"},
                {**base, "before": {"status": returned_, "amount": _money(original)},
                 "after": {"status": submitted, "amount": report.amount},
                 "message": f"更正后重新报送({resubmitted:%Y-%m-%d})"},
                {**base, "before": {"status": submitted}, "after": {"status": accepted},
                 "message": f"审核通过({report.reviewed_at:%Y-%m-%d})"},
            ]
        return audit

    def adjustments(self) -> None:
        """Adjustments to locked months: mostly down (a check found too much), every fifth up."""
        rng, reports = self.rng, self.report_rows
        locked = [r for r in reports if r.month <= month_at(LAST_LOCKED) and r.amount >= 200]
        reported: dict[int, Decimal] = {}
        for r in reports:
            reported[r.project_id] = reported.get(r.project_id, Decimal(0)) + r.amount
        totals = {self.project_ids[id(p)]: _money(p.total) for p in self.draft.projects}
        adjustments: list[Adjustment] = []
        for r in rng.sample(locked, min(20, len(locked))):
            if len(adjustments) % 5 == 4:
                room = totals[r.project_id] - reported[r.project_id]
                wanted = min(float(r.amount) * rng.uniform(0.03, 0.15), float(room))
                delta = Decimal(math.floor(wanted * 100)).scaleb(-2)  # rounded down: never past the total
                reason = rng.choice(ADJUST_UP)
            else:
                delta = -_money(float(r.amount) * rng.uniform(0.05, 0.3))
                reason = rng.choice(ADJUST_DOWN)
            if delta:
                reported[r.project_id] += delta
                adjustments.append(Adjustment(project_id=r.project_id, month=r.month, delta=delta, reason=reason))
        load_ledger((), adjustments, actor=System("demo"))
        self.summary.adjustments = len(adjustments)
        if any(reported[k] > totals[k] for k in reported):
            raise AssertionError("演示数据的累计完成投资超过总投资")  # a bug in the generator, never in use

    def month_locks(self) -> None:
        """Every reporting month up to the last closed one."""
        months = [month_at(m) for m in REPORT_MONTHS if m <= LAST_LOCKED]
        MonthLock.objects.bulk_create([MonthLock(month=m) for m in months], ignore_conflicts=True)
        self.summary.month_locks = MonthLock.objects.filter(month__in=months).count()


def _money(value: float) -> Decimal:
    return Decimal(round(value * 100)).scaleb(-2)


def _day(rng: random.Random, month: int, first: int, last: int) -> dt.date:
    date = month_at(month)
    return date.replace(day=rng.randint(first, last))


def _moment(rng: random.Random, day: dt.date, *, hours: tuple[int, int] = (8, 18)) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, rng.randint(*hours), rng.randint(0, 59),
                       rng.randint(0, 59), tzinfo=TZ)


def _phase(fraction: float, domain: str) -> str:
    linear = domain in ("railway", "highway", "water", "ecology")
    if fraction < 0.15:
        return "完成征地及场地平整,开展基础施工" if not linear else "完成征地拆迁,开展路基(基础)施工"
    if fraction < 0.45:
        return "主体工程施工" if not linear else "主体工程全面施工"
    if fraction < 0.75:
        return "主体结构基本完成,开展设备安装及附属工程" if not linear else "主体工程基本完成,开展附属工程"
    if fraction < 0.95:
        return "附属工程及设备安装调试"
    return "收尾工程及竣工验收准备"


def _funding(rng: random.Random, p: ProjectDraft) -> list[tuple[FundingSource, float]]:
    total = p.total
    if Clarity.FUNDING in p.missing:
        total *= rng.uniform(0.45, 0.85)  # a funding gap: the sources do not cover the total
    if p.gov:
        parts = [(FundingSource.FISCAL, min(p.fiscal, total))]
        rest = total - parts[0][1]
        sources = [FundingSource.SPECIAL_BONDS, FundingSource.CENTRAL_BUDGET, FundingSource.GENERAL_BONDS,
                   FundingSource.BANK_LOANS]
        if rng.random() < 0.08:
            sources.append(FundingSource.SOCIAL_CAPITAL)
        shares = [rng.random() for _ in sources]
        keep = [(s, w) for s, w in zip(sources, shares, strict=True) if w > 0.35] or [(sources[0], 1.0)]
        whole = sum(w for _, w in keep)
        parts += [(s, rest * w / whole) for s, w in keep]
    else:
        own = rng.uniform(0.3, 0.6)
        parts = [(FundingSource.SELF_RAISED, total * own)]
        if "sanqi" in p.collections and rng.random() < 0.4:
            foreign = total * rng.uniform(0.1, 0.3)
            parts.append((FundingSource.FOREIGN, foreign))
            parts.append((FundingSource.BANK_LOANS, total * (1 - own) - foreign))
        else:
            parts.append((FundingSource.BANK_LOANS, total * (1 - own)))
    cents = [round(a * 100) for _, a in parts]
    cents[-1] = round(total * 100) - sum(cents[:-1])
    return [(s, c / 100) for (s, _), c in zip(parts, cents, strict=True) if c > 0]
