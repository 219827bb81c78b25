"""Demo promotion register (招商引资): a few hundred agreements signed 2021–2023 and what became of them.

`seed(...)` decides everything from `random.Random(seed)` and writes it in bulk (the demo's 2000 projects are
already there; one row per agreement, step and month of funds, not one service call each). Running it again
changes nothing. The fates are mixed on purpose so the four rates, warnings and the 通报 section have
something to say: most agreements keep to their contract, some run late, some stall in one state (no funds
for months), some are terminated, and the foreign ones are signed and paid in US$ at the month's rate.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.promotion.choices import (
    DATE_OF,
    AgreementState,
    Currency,
    FundsStatus,
    InvestorKind,
    ThreeEnterprises,
)
from touzi.promotion.models import Agreement, AgreementStep, ExchangeRate, FundsReport, PromotionEvent
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

CUTOFF = dt.date(2023, 12, 31)  # the demo's "today": nothing happens after it
LAST_MONTH = dt.date(2023, 11, 1)  # the last month of funds reported (December is still open)
COUNTIES = {"haicheng": 0.24, "yinhai": 0.26, "tieshangang": 0.22, "hepu": 0.28}
PARKS = {"haicheng": ["hitech-zone", "weizhou"], "yinhai": ["bonded-zone", "marine-park", "fucheng-park"],
         "tieshangang": [], "hepu": ["hepu-forestry-park"]}
BUREAU = "invest-promo"  # 北海市投资促进局 answers for part of the agreements
# (name, day, place): the signing events of 2021–2023.
EVENTS = [
    ("北海市2021年重大项目集中签约活动", dt.date(2021, 3, 18), "北海市"),
    ("粤港澳大湾区(深圳)招商推介会", dt.date(2021, 6, 10), "深圳市"),
    ("第18届中国—东盟博览会", dt.date(2021, 9, 10), "南宁市"),
    ("北海市2022年一季度项目集中签约", dt.date(2022, 3, 25), "北海市"),
    ("长三角(上海)投资推介会", dt.date(2022, 5, 19), "上海市"),
    ("第19届中国—东盟博览会", dt.date(2022, 9, 16), "南宁市"),
    ("\"三企入桂\"北海项目对接会", dt.date(2023, 2, 23), "北海市"),
    ("粤港澳大湾区(香港)招商推介会", dt.date(2023, 4, 20), "香港特别行政区"),
    ("第20届中国—东盟博览会", dt.date(2023, 9, 16), "南宁市"),
]
# (investor kind, weight, three enterprises, currency share in US$)
KINDS = [(InvestorKind.PRIVATE, 0.55, ThreeEnterprises.PRIVATE, 0.0),
         (InvestorKind.CENTRAL_SOE, 0.14, ThreeEnterprises.CENTRAL, 0.0),
         (InvestorKind.FOREIGN, 0.13, ThreeEnterprises.FOREIGN, 1.0),
         (InvestorKind.HMT, 0.10, ThreeEnterprises.NONE, 0.5),
         (InvestorKind.OTHER, 0.08, ThreeEnterprises.NONE, 0.0)]
SECTORS = [("C36", "新能源汽车零部件生产基地"), ("C39", "电子信息产业园"), ("C26", "化工新材料项目"),
           ("C31", "不锈钢精深加工项目"), ("C13", "海产品精深加工项目"), ("C27", "生物医药产业园"),
           ("D44", "海上风电装备项目"), ("G59", "冷链物流中心"), ("I65", "数字经济产业园"),
           ("R88", "文旅综合体项目"), ("K70", "滨海康养社区"), ("A04", "现代渔业产业园")]
DOMESTIC = [("深圳", "广东"), ("广州", "广东"), ("上海", "上海"), ("杭州", "浙江"), ("南宁", "广西"),
            ("成都", "四川"), ("北京", "北京"), ("厦门", "福建")]
FOREIGN = [("新加坡", ""), ("马来西亚", ""), ("泰国", ""), ("越南", ""), ("日本", ""), ("德国", "")]
HMT = [("中国香港", "香港"), ("中国台湾", "台湾"), ("中国澳门", "澳门")]
COMPANY = ["华信", "海润", "南方", "中科", "远东", "金桥", "蓝海", "恒泰", "嘉禾", "瑞丰", "鼎盛", "新港"]
STALL_REASONS = ["投资方资金链紧张,项目暂缓", "用地指标未落实", "环评未通过", "投资方战略调整"]
WAN = Decimal("0.0001")


@dataclass
class _Draft:
    a: Agreement
    fate: str  # on_time, late, stalled, terminated
    steps: list[tuple[str, dt.date]] = field(default_factory=list)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _month_rate(rates: dict[dt.date, Decimal], day: dt.date) -> Decimal:
    return rates.get(day.replace(day=1)) or Decimal("6.7")


def _pick(rng: random.Random, weighted: list[tuple]) -> tuple:
    return rng.choices(weighted, weights=[w[1] for w in weighted])[0]


def seed(*, size: int = 300, rng_seed: int = 2021) -> int:
    """Write the demo register once (nothing when a demo agreement exists); returns how many agreements."""
    if Agreement.objects.filter(is_demo=True).exists():
        return 0
    keys = [*COUNTIES, BUREAU, *[p for parks in PARKS.values() for p in parks]]
    units = {u.key: u for u in Unit.objects.filter(key__in=keys)}
    counties = [k for k in COUNTIES if k in units and units[k].kind == UnitKind.COUNTY]
    if not counties:
        raise LookupError("演示招商台账需要先载入北海市行动方案(缺少县区)")
    rng = random.Random(rng_seed)
    rates = dict(ExchangeRate.objects.values_list("month", "rate"))
    with transaction.atomic():
        events = [PromotionEvent.objects.get_or_create(name=n, held_on=d, defaults={"place": p})[0]
                  for n, d, p in EVENTS]
        drafts = _plan(rng, size, counties, units, events, rates)
        _land(rng, drafts)
        Agreement.objects.bulk_create([d.a for d in drafts], batch_size=500)
        if any(d.a.pk is None for d in drafts):
            ids = dict(Agreement.objects.filter(is_demo=True).values_list("code", "id"))
            for d in drafts:
                d.a.pk = d.a.id = ids[d.a.code]
        AgreementStep.objects.bulk_create(
            [AgreementStep(agreement=d.a, state=s, on=on, note=note(d, s)) for d in drafts for s, on in d.steps],
            batch_size=1000)
        funds = [r for d in drafts for r in _funds(rng, d, rates)]
        FundsReport.objects.bulk_create(funds, batch_size=1000)
        record(Event.CREATE, object_type="promotion.demo", object_repr="演示招商台账",
               after={"agreements": len(drafts), "events": len(events), "funds_reports": len(funds)},
               message="生成演示招商签约项目与到位资金")
    return len(drafts)


def note(d: _Draft, state: str) -> str:
    if state == AgreementState.TERMINATED:
        return d.a.termination_reason
    if state == AgreementState.SIGNED and d.a.event is not None:
        return str(d.a.event)
    return ""


def _plan(rng: random.Random, size: int, counties: list[str], units: dict[str, Unit],
          events: list[PromotionEvent], rates: dict[dt.date, Decimal]) -> list[_Draft]:
    drafts: list[_Draft] = []
    numbers: dict[str, int] = {}
    first, last = dt.date(2021, 1, 4), dt.date(2023, 11, 30)
    span = (last - first).days
    for _i in range(size):
        # Later years sign more (the register grows): a skew towards the end of the window.
        signed = first + dt.timedelta(days=int(span * rng.random() ** 0.8))
        near = [e for e in events if 0 <= (signed - e.held_on).days < 25]
        event = near[0] if near and rng.random() < 0.8 else None
        if event is not None:
            signed = event.held_on
        county_key = rng.choices(counties, weights=[COUNTIES[c] for c in counties])[0]
        county = units[county_key]
        parks = [units[p] for p in PARKS[county_key] if p in units and units[p].parent_id in (None, county.pk)]
        park = rng.choice(parks) if parks and rng.random() < 0.4 else None
        unit = units[BUREAU] if BUREAU in units and rng.random() < 0.2 else (park or county)
        kind, _w, three, usd_share = _pick(rng, KINDS)
        sector, project_kind = rng.choice(SECTORS)
        if kind == InvestorKind.FOREIGN:
            country, region = rng.choice(FOREIGN)
        elif kind == InvestorKind.HMT:
            country, region = rng.choice(HMT)
        else:
            country, region = "中国", rng.choice(DOMESTIC)[1]
        company = rng.choice(COMPANY) + rng.choice(["集团有限公司", "控股有限公司", "科技股份有限公司", "实业有限公司"])
        investor = (country if country != "中国" else rng.choice(DOMESTIC)[0]) + company
        amount = min(500_000.0, 3_000 * rng.lognormvariate(1.3, 1.0))  # 万元, median about 1.1亿元
        currency = Currency.USD if rng.random() < usd_share else Currency.CNY
        year = signed.year
        code_key = f"{year}-{county.division_code or county.key}"
        numbers[code_key] = numbers.get(code_key, 0) + 1
        a = Agreement(code=f"ZS{code_key}-{numbers[code_key]:04d}",
                      name=f"{company[:2]}{project_kind}", investor=investor, investor_kind=kind,
                      investor_region=region, investor_country=country,
                      three_enterprises=three if rng.random() < 0.6 else ThreeEnterprises.NONE,
                      sector=sector, signed_on=signed, event=event, county=county, park=park, unit=unit,
                      currency=currency, state=AgreementState.SIGNED, state_since=signed, is_demo=True)
        if currency == Currency.USD:
            rate = _month_rate(rates, signed)
            a.agreed_usd = _money(amount / float(rate))
            a.exchange_rate = rate
            a.agreed_investment = (a.agreed_usd * rate).quantize(WAN, rounding=ROUND_HALF_UP)
        else:
            a.agreed_investment = _money(amount)
        a.due_registration = _add_months(signed, rng.randint(1, 2))
        a.due_land = _add_months(signed, rng.randint(3, 6)) if rng.random() < 0.8 else None
        a.due_start = _add_months(signed, rng.randint(6, 12))
        a.due_production = _add_months(a.due_start, rng.randint(10, 24))
        roll = rng.random()
        fate = "on_time" if roll < 0.55 else "late" if roll < 0.78 else "stalled" if roll < 0.92 else "terminated"
        d = _Draft(a, fate, [(AgreementState.SIGNED, signed)])
        _road(rng, d)
        drafts.append(d)
    return drafts


def _road(rng: random.Random, d: _Draft) -> None:
    """Where the agreement got to by the cutoff, stamping each state's date."""
    a = d.a
    due = [(AgreementState.REGISTERED, a.due_registration), (AgreementState.LANDED, a.due_land or a.due_registration),
           (AgreementState.STARTED, a.due_start), (AgreementState.IN_PRODUCTION, a.due_production),
           (AgreementState.AT_CAPACITY, _add_months(a.due_production, 12))]
    stop_at = len(due)
    if d.fate == "stalled":
        stop_at = rng.randint(0, 2)  # stuck in 签约, 注册 or 落地
    elif d.fate == "terminated":
        stop_at = rng.randint(0, 3)
    on = a.signed_on
    for index, (state, when) in enumerate(due):
        if index >= stop_at:
            break
        assert when is not None  # the demo gives every agreement its milestones
        slip = 0 if d.fate == "on_time" else rng.randint(1, 5) if d.fate == "late" else rng.randint(0, 1)
        when = max(_add_months(when, slip) - dt.timedelta(days=rng.randint(0, 10)), on)
        if when > CUTOFF:
            break
        setattr(a, DATE_OF[state], when)
        d.steps.append((state, when))
        a.state, a.state_since, on = state, when, when
    if d.fate == "terminated":
        when = max(_add_months(on, rng.randint(2, 8)), on)
        if when <= CUTOFF:
            a.terminated_on = when
            a.termination_reason = rng.choice(STALL_REASONS)
            a.state, a.state_since = AgreementState.TERMINATED, when
            d.steps.append((AgreementState.TERMINATED, when))


def _land(rng: random.Random, drafts: list[_Draft]) -> None:
    """落地 links a registry project of the same county, one agreement each (non-government demo projects)."""
    from touzi.projects.models import Project

    landed = [d for d in drafts if d.a.landed_on is not None]
    pool: dict[int, list[int]] = {}
    for pid, county_id in (Project.objects.filter(is_demo=True, is_government=False)
                           .order_by("code", "id").values_list("id", "county_id")):
        pool.setdefault(county_id, []).append(pid)
    for ids in pool.values():
        rng.shuffle(ids)
    for d in landed:
        ids = pool.get(d.a.county.pk) or []
        if ids:
            d.a.project_id = ids.pop()
            continue
        # No project left to link: the agreement stays registered (it cannot be 落地 without one).
        d.steps = [(s, on) for s, on in d.steps if s in (AgreementState.SIGNED, AgreementState.REGISTERED)]
        for name in ("landed_on", "started_on", "in_production_on", "at_capacity_on"):
            setattr(d.a, name, None)
        d.a.terminated_on, d.a.termination_reason = None, ""
        d.a.state, d.a.state_since = d.steps[-1]


def _funds(rng: random.Random, d: _Draft, rates: dict[dt.date, Decimal]) -> list[FundsReport]:
    """Monthly funds arrived from registration on, spread over the road to production; accepted but the last month."""
    a = d.a
    if a.registered_on is None:
        return []  # stalled or terminated before registering: nothing arrived
    share = {"on_time": rng.uniform(0.85, 1.0), "late": rng.uniform(0.5, 0.85), "stalled": rng.uniform(0.05, 0.2),
             "terminated": rng.uniform(0.0, 0.15)}[d.fate]
    first = _add_months(a.registered_on, 1).replace(day=1)
    end = a.in_production_on or a.due_production
    if d.fate in ("stalled", "terminated"):
        end = a.terminated_on or _add_months(a.state_since, 2)
    last = min(end.replace(day=1), LAST_MONTH)
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = _add_months(month, 1)
    if not months:
        return []
    # The share of the agreed investment due by the last month (the rest arrives after the cutoff).
    total_months = max(1, (end.year - first.year) * 12 + end.month - first.month + 1)
    paid = Decimal(str(share)) * a.agreed_investment * Decimal(len(months)) / Decimal(total_months)
    weights = [rng.uniform(0.3, 1.7) if rng.random() < 0.8 else 0 for _m in months]
    if not any(weights):
        weights[-1] = 1.0
    rows = []
    for month, weight in zip(months, weights, strict=True):
        if not weight:
            continue
        amount = (paid * Decimal(str(weight / sum(weights)))).quantize(Decimal("0.01"))
        if amount <= 0:
            continue
        # The last month's reports await the statistics bureau (the review queue has work); earlier ones are done.
        status = FundsStatus.SUBMITTED if month == LAST_MONTH else FundsStatus.ACCEPTED
        r = FundsReport(agreement=a, month=month, status=status, note="演示数据")
        if a.currency == Currency.USD:
            rate = _month_rate(rates, month)
            r.foreign_usd = (amount / rate).quantize(Decimal("0.01"))
            r.exchange_rate = rate
            r.foreign = (r.foreign_usd * rate).quantize(WAN, rounding=ROUND_HALF_UP)
        else:
            r.domestic = amount
        r.total = r.domestic + r.foreign
        rows.append(r)
    return rows
