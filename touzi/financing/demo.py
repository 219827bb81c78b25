"""Demo financing (投融资): secured and arrived funds by source for the demo projects, special-bond batches
2021–2023 with some idle money, a dozen PPP projects, the city's general public budget, a few hundred financing
needs with the banks' steps and loans, roadshows and matchmaking events, and a 融资服务专员.

Everything follows from `random.Random(seed)` and is written in bulk (one row per record, not a service call
each); running it again changes nothing. It needs the demo projects (touzi/demo/portfolio.py) and their
funding plans (projects.FundingLine).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.financing.choices import (
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
from touzi.projects.choices import FundingSource
from touzi.projects.models import FundingLine, Project
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

LAST_MONTH = dt.date(2023, 11, 1)
RECENT_ARRIVALS = dt.date(2023, 9, 1)  # arrivals from here on may still await the statistics bureau
BANKS = [("bank-icbc", "中国工商银行北海分行", "工行北海分行"), ("bank-abc", "中国农业银行北海分行", "农行北海分行"),
         ("bank-ccb", "中国建设银行北海分行", "建行北海分行"), ("bank-bbgu", "广西北部湾银行北海分行", "北部湾银行北海分行"),
         ("bank-cdb", "国家开发银行广西分行", "国开行广西分行")]
# 一般公共预算支出 of Beihai (万元), as the plan office enters it.
BUDGETS = {2021: Decimal("2046000"), 2022: Decimal("2118000"), 2023: Decimal("2173000")}
EVENTS = [("北海市2021年政金企融资对接会", EventKind.MATCHMAKING, dt.date(2021, 4, 22)),
          ("北海市重大项目融资路演(第一期)", EventKind.ROADSHOW, dt.date(2021, 9, 15)),
          ("北海市2022年政金企融资对接会", EventKind.MATCHMAKING, dt.date(2022, 4, 20)),
          ("“桂惠贷”政策宣讲暨项目对接会", EventKind.MATCHMAKING, dt.date(2022, 7, 8)),
          ("北海市重大项目融资路演(第二期)", EventKind.ROADSHOW, dt.date(2022, 11, 10)),
          ("北海市2023年政金企融资对接会", EventKind.MATCHMAKING, dt.date(2023, 5, 18))]
W = Decimal


def _money(value: float) -> Decimal:
    return W(str(round(value, 2)))


def _day(rng: random.Random, year: int, first: int = 1, last: int = 12) -> dt.date:
    return dt.date(year, rng.randint(first, last), rng.randint(1, 28))


def _banks() -> list[Unit]:
    found = []
    for key, name, short in BANKS:
        unit, _ = Unit.objects.get_or_create(key=key, defaults={"name": name, "short_name": short,
                                                                "kind": UnitKind.BANK})
        found.append(unit)
    demo = Unit.objects.filter(key="demo-bank").first()
    return ([demo] if demo else []) + found


def seed(*, rng_seed: int = 2021, needs: int = 300) -> dict[str, int]:
    """Write the demo financing once (nothing when demo needs exist); returns what it wrote."""
    if FinancingNeed.objects.filter(is_demo=True).exists():
        return {}
    projects = list(Project.objects.filter(is_demo=True).order_by("code", "id")
                    .values_list("id", "county_id", "industry", "is_government", "total_investment"))
    if not projects:
        raise LookupError("演示投融资需要先生成演示项目")
    rng = random.Random(rng_seed)
    with transaction.atomic():
        banks = _banks()
        lines: dict[int, dict[str, Decimal]] = {}
        for pid, source, amount in FundingLine.objects.filter(project__is_demo=True).values_list(
                "project_id", "source", "amount"):
            lines.setdefault(pid, {})[source] = amount
        counts = {"secured": 0, "arrivals": 0}
        secured, arrivals = [], []
        funded = [p for p in projects if p[0] in lines][:600]
        for pid, _county, _industry, _gov, _total in funded:
            for source, amount in lines[pid].items():
                share = rng.uniform(0.5, 1.0)
                for year in (2021, 2022, 2023):
                    part = amount * W(str(round(share / 3, 4)))
                    if part <= 0:
                        continue
                    secured.append(SecuredFunds(project_id=pid, source=source, year=year, amount=part.quantize(W("0.01"))))
                    if source == FundingSource.BANK_LOANS:
                        continue  # bank loans arrive through the loans below
                    for _i in range(rng.randint(1, 3)):
                        month = dt.date(year, rng.randint(1, 12 if year < 2023 else 11), 1)
                        amount = (part * W(str(round(rng.uniform(0.15, 0.3), 3)))).quantize(W("0.01")) or W(1)
                        # Awaiting review: some of the last months' reports, as in a bureau that reviews monthly
                        # (earlier months were reviewed long ago; a 2021 report still waiting would be a scandal).
                        waiting = rng.random() >= 0.9 and month >= RECENT_ARRIVALS
                        arrivals.append(FundsArrival(
                            project_id=pid, source=source, month=month, amount=amount,
                            status=ArrivalStatus.SUBMITTED if waiting else ArrivalStatus.ACCEPTED,
                            note="演示数据", is_demo=True))
        SecuredFunds.objects.bulk_create(secured, batch_size=1000, ignore_conflicts=True)
        FundsArrival.objects.bulk_create([a for a in arrivals if a.amount > 0], batch_size=1000)
        counts["secured"], counts["arrivals"] = len(secured), len(arrivals)
        counts["bonds"] = _bonds(rng, projects, lines)
        counts["ppp"] = _ppp(rng, projects)
        for year, amount in BUDGETS.items():
            FiscalBudget.objects.get_or_create(year=year, defaults={"expenditure": amount})
        counts["needs"], counts["loans"] = _needs(rng, projects, banks, needs)
        counts["events"] = _events(rng, projects, banks)
        _commissioner(banks)
        record(Event.CREATE, object_type="financing.demo", object_repr="演示投融资数据", after=counts,
               message="生成演示资金到位、专项债券、PPP、融资需求与对接活动")
    return counts


def _bonds(rng: random.Random, projects: list[tuple], lines: dict[int, dict[str, Decimal]]) -> int:
    """Special bonds: three batches a year for the projects whose plan counts on them; about one in six is idle
    (disbursed months ago, little spent)."""
    bonded = [p for p in projects if FundingSource.SPECIAL_BONDS in lines.get(p[0], {})][:90]
    rows = []
    for i, (pid, *_rest) in enumerate(bonded):
        year = 2021 + i % 3
        batch = f"{year}年第{1 + (i // 3) % 3}批"
        amount = (lines[pid][FundingSource.SPECIAL_BONDS] * W(str(round(rng.uniform(0.3, 0.6), 3)))).quantize(W("0.01"))
        if amount <= 0:
            continue
        disbursed_on = _day(rng, year, 3, 10)
        idle = rng.random() < 0.18
        spent_share = rng.uniform(0.05, 0.3) if idle else 1.0  # the others spent it all
        disbursed = (amount * W(str(round(rng.uniform(0.7, 1.0), 3)))).quantize(W("0.01"))
        rows.append(BondAllocation(
            project_id=pid, batch=batch, year=year, amount=amount,
            capital=(amount * W("0.2")).quantize(W("0.01")) if rng.random() < 0.3 else W(0),
            issued=amount, issued_on=disbursed_on - dt.timedelta(days=20), disbursed=disbursed,
            disbursed_on=disbursed_on, spent=(disbursed * W(str(round(spent_share, 3)))).quantize(W("0.01")),
            spent_as_of=dt.date(2023, 11, 30), is_demo=True))
    BondAllocation.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _ppp(rng: random.Random, projects: list[tuple]) -> int:
    """A dozen PPP projects along the pipeline, added 2021–2023, with their fiscal responsibility."""
    pool = [p for p in projects if not p[3]]
    rng.shuffle(pool)
    stages = [PPPStage.IDENTIFY, PPPStage.PREPARE, PPPStage.PROCURE, PPPStage.EXECUTE, PPPStage.EXECUTE,
              PPPStage.HANDOVER]
    rows = []
    for i, (pid, _county, _industry, _gov, total) in enumerate(pool[:12]):
        stage = stages[i % len(stages)]
        added = 2021 + i % 3
        investment = total or W(50000)
        reviewed = stage in (PPPStage.PROCURE, PPPStage.EXECUTE, PPPStage.HANDOVER)
        rows.append(PPPProject(project_id=pid, stage=stage, added_year=added, investment=investment,
                               annual_fiscal=(investment * W(str(round(rng.uniform(0.02, 0.05), 3))) / 1).quantize(
                                   W("0.01")), term_years=rng.choice([15, 20, 25, 30]),
                               joint_review_on=_day(rng, added, 3, 9) if reviewed else None,
                               joint_review_result="原则同意,按程序推进" if reviewed else "", is_demo=True))
    PPPProject.objects.bulk_create(rows)
    return len(rows)


def _needs(rng: random.Random, projects: list[tuple], banks: list[Unit], size: int) -> tuple[int, int]:
    """Needs published 2021–2023; banks contact most, lend to about a third; some decline, some needs close."""
    pool = list(projects)
    rng.shuffle(pool)
    kinds = list(NeedKind.values)
    needs = []
    for i in range(size):
        pid, *_rest = pool[i % len(pool)]
        published = _day(rng, 2021 + i % 3, 1, 10)
        needs.append(FinancingNeed(
            project_id=pid, amount=_money(rng.choice([500, 800, 1000, 2000, 3000, 5000, 8000, 12000, 20000])),
            term_months=rng.choice([12, 24, 36, 60, 96, 120]), kind=rng.choice(kinds),
            purpose=rng.choice(["购置生产设备", "项目建设资金", "补充流动资金", "厂房建设"]),
            pledge=rng.choice(["土地使用权抵押", "在建工程抵押", "应收账款质押", "担保公司担保", ""]),
            contact=f"项目联系人 0779-{2000000 + i}", published_on=published, is_demo=True))
    FinancingNeed.objects.bulk_create(needs, batch_size=500)
    needs = list(FinancingNeed.objects.filter(is_demo=True).order_by("id"))
    industry = dict((p[0], p[2]) for p in projects)
    steps, loans, granted = [], [], {}
    for need in needs:
        fate = rng.random()
        bank = rng.choice(banks)
        day = need.published_on
        if fate < 0.15:
            continue  # nobody yet
        path = [StepKind.INTEREST, StepKind.CONTACT]
        if fate >= 0.35:
            path += [StepKind.DILIGENCE]
        if fate >= 0.5:
            path += [StepKind.CREDIT, StepKind.LOAN]
        for kind in path:
            day = min(day + dt.timedelta(days=rng.randint(5, 40)), dt.date(2023, 12, 20))
            amount = need.amount if kind in (StepKind.CREDIT, StepKind.LOAN) else None
            if kind == StepKind.LOAN:
                amount = (need.amount * W(str(rng.choice([0.6, 0.8, 1.0])))).quantize(W("0.01"))
                loans.append((need, bank, amount, day))
                granted[need.pk] = day
            steps.append(NeedStep(need=need, bank=bank, kind=kind, amount=amount, on=day, note="演示数据"))
        if 0.35 <= fate < 0.5 and rng.random() < 0.5:
            other = rng.choice([b for b in banks if b != bank])
            steps.append(NeedStep(need=need, bank=other, kind=StepKind.DECLINED, on=day,
                                  note=rng.choice(["抵押物不足", "行业授信额度已满", "项目资本金未到位"])))
    NeedStep.objects.bulk_create(steps, batch_size=1000)
    loan_rows = [Loan(project_id=n.project_id, bank=b, need=n, amount=a, granted_on=d, term_months=n.term_months,
                      subsidised=rng.random() < 0.3, scheme="桂惠贷", industry=industry.get(n.project_id) or "",
                      is_demo=True) for n, b, a, d in loans]
    for loan in loan_rows:
        if not loan.subsidised:
            loan.scheme = ""
    Loan.objects.bulk_create(loan_rows, batch_size=500)
    saved = list(Loan.objects.filter(is_demo=True).order_by("id"))
    FundsArrival.objects.bulk_create([
        FundsArrival(project_id=loan.project_id, source=FundingSource.BANK_LOANS, month=loan.granted_on.replace(day=1),
                     amount=loan.amount, bank_id=loan.bank_id, loan=loan, status=ArrivalStatus.ACCEPTED,
                     note="贷款放款(演示数据)", is_demo=True) for loan in saved], batch_size=500)
    for need in needs:
        if need.pk in granted:
            need.status, need.granted_on = NeedStatus.GRANTED, granted[need.pk]
    matched = set(NeedStep.objects.filter(need__is_demo=True).values_list("need_id", flat=True))
    for need in needs:
        if need.pk not in granted and need.pk in matched:
            need.status = NeedStatus.MATCHING
        if need.pk not in matched and need.published_on.year == 2021 and rng.random() < 0.4:
            need.status, need.close_reason = NeedStatus.CLOSED, "已通过其他渠道解决"
    FinancingNeed.objects.bulk_update(needs, ["status", "granted_on", "close_reason"], batch_size=500)
    return len(needs), len(saved)


def _events(rng: random.Random, projects: list[tuple], banks: list[Unit]) -> int:
    ids = [p[0] for p in projects]
    for name, kind, day in EVENTS:
        event, created = FinancingEvent.objects.get_or_create(name=name, held_on=day, defaults={
            "kind": kind, "place": "北海市", "intentions": rng.randint(8, 30), "is_demo": True,
            "intention_amount": _money(rng.uniform(200000, 900000)),
            "outcome": "意向项目已陆续进入尽调和授信,部分已放款"})
        if created:
            event.projects.set(rng.sample(ids, min(15, len(ids))))
            event.banks.set(rng.sample(banks, min(4, len(banks))))
    return len(EVENTS)


def _commissioner(banks: list[Unit]) -> None:
    """The demo bank's account serves 合浦县 as 融资服务专员."""
    from touzi.accounts.models import User

    user = User.objects.filter(username="bank").first()
    county = Unit.objects.filter(key="hepu").first()
    if user is None or county is None or user.unit is None:
        return
    if not Commissioner.objects.filter(user=user).exists():
        Commissioner.objects.create(user=user, bank=user.unit, county=county)
