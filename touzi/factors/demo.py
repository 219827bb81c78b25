"""Demo factor ledgers (要素保障): who keeps which kind, quotas of 2021–2023 for the four counties (and 北海高新区),
allocations to demo projects, a few idle parcels and the reuse goals.

Deterministic (no randomness: the amounts come from the tables below and the projects in code order) and run
once (nothing when a demo quota exists). The figures are set so the ledger has something to say: 合浦县 has
asked for more construction land in 2023 than it has left (the over-headroom warning), one allocation of 2022
went to a project that has not started (the not-started warning, quota to go back to the pool), one was taken
back, an energy request broke the intensity rule and was refused, and two land-blocked projects point to
their county's headroom.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import System
from touzi.factors.choices import AllocationStatus, BalanceSource, Disposal, ParcelKind, QuotaKind
from touzi.factors.models import Allocation, FactorKeeper, IdleParcel, Quota
from touzi.factors.services import (
    approve_allocation,
    dispose_parcel,
    record_parcel,
    refuse_allocation,
    request_allocation,
    set_keeper,
    set_reuse_goal,
    take_back,
)
from touzi.projects.models import Project
from touzi.units.models import Unit

DEMO = System("demo")
KEEPERS = [("natres", QuotaKind.CONSTRUCTION_LAND), ("natres", QuotaKind.FARMLAND_OCCUPIED),
           ("natres", QuotaKind.FARMLAND_SUPPLEMENT), ("natres", QuotaKind.SEA), ("ocean", QuotaKind.SEA),
           ("forestry", QuotaKind.FOREST), ("drc", QuotaKind.ENERGY), ("ecoenv", QuotaKind.POLLUTANT)]
COUNTIES = ["haicheng", "yinhai", "tieshangang", "hepu"]
# kind → (county → yearly quota), the same each year but for the growth below; sea only for the coast.
BASE: dict[str, dict[str, int]] = {
    QuotaKind.CONSTRUCTION_LAND: {"haicheng": 520, "yinhai": 680, "tieshangang": 1500, "hepu": 600},
    QuotaKind.FARMLAND_OCCUPIED: {"haicheng": 120, "yinhai": 210, "tieshangang": 480, "hepu": 260},
    QuotaKind.FARMLAND_SUPPLEMENT: {"haicheng": 120, "yinhai": 210, "tieshangang": 480, "hepu": 260},
    QuotaKind.SEA: {"haicheng": 35, "yinhai": 60, "tieshangang": 180},
    QuotaKind.FOREST: {"haicheng": 18, "yinhai": 40, "tieshangang": 65, "hepu": 120},
    QuotaKind.ENERGY: {"haicheng": 60000, "yinhai": 90000, "tieshangang": 450000, "hepu": 80000},
    QuotaKind.POLLUTANT: {"haicheng": 300, "yinhai": 420, "tieshangang": 1600, "hepu": 380},
}
DOCUMENT: dict[str, str] = {QuotaKind.CONSTRUCTION_LAND: "北自然资发〔{y}〕{n}号", QuotaKind.FARMLAND_OCCUPIED: "北自然资发〔{y}〕{n}号",
            QuotaKind.FARMLAND_SUPPLEMENT: "北自然资发〔{y}〕{n}号", QuotaKind.SEA: "北海洋发〔{y}〕{n}号",
            QuotaKind.FOREST: "北林发〔{y}〕{n}号", QuotaKind.ENERGY: "北发改环资〔{y}〕{n}号",
            QuotaKind.POLLUTANT: "北环发〔{y}〕{n}号"}
SOURCES = {"haicheng": BalanceSource.CITY_POOL, "yinhai": BalanceSource.LAND_CONSOLIDATION,
           "tieshangang": BalanceSource.PROVINCE_POOL, "hepu": BalanceSource.OWN}
INTENSITY = Decimal("0.45")  # 能耗强度上限, 吨标准煤/万元
# Share of a county's yearly quota each of its first projects asks for (land and energy), approved unless noted.
SHARES = [Decimal("0.40"), Decimal("0.35")]
PARCELS = [
    ("BH-PD-2019-001", "海城区西南大道与北京路交叉口东北侧", ParcelKind.APPROVED_NOT_SUPPLIED, "haicheng", "42.6",
     "征地补偿未到位", "", 2019, (Disposal.SUPPLIED, "2022-06-15", "42.6")),
    ("BH-PD-2020-007", "银海区银滩大道东段南侧", ParcelKind.SUPPLIED_NOT_USED, "yinhai", "86.3",
     "企业资金链紧张,未按期动工", "北海某置业有限公司", 2020, (Disposal.BUILDING, "2023-03-20", "86.3")),
    ("BH-PD-2020-012", "铁山港区临港工业区南康片区", ParcelKind.APPROVED_NOT_SUPPLIED, "tieshangang", "156.0",
     "规划调整,待重新招商", "", 2020, (Disposal.REPURPOSED, "2023-08-10", "120.0")),
    ("BH-PD-2018-004", "合浦县廉州镇工业园北区", ParcelKind.SUPPLIED_NOT_USED, "hepu", "63.8",
     "项目投资方退出", "合浦某实业有限公司", 2018, (Disposal.RECLAIMED, "2021-11-30", "63.8")),
    ("BH-PD-2021-003", "合浦县党江镇沿海片区", ParcelKind.APPROVED_NOT_SUPPLIED, "hepu", "74.5",
     "耕地占补平衡指标不足", "", 2021, None),
    ("BH-PD-2021-009", "银海区福成镇福成产业园东区", ParcelKind.INEFFICIENT, "yinhai", "28.2",
     "容积率低、亩均产出低", "北海某电子有限公司", 2015, None),
    ("BH-PD-2022-002", "海城区高新区台湾路西侧", ParcelKind.SUPPLIED_NOT_USED, "haicheng", "19.7",
     "企业设计方案未稳定", "北海某科技有限公司", 2022, None),
]
GOALS = {2021: "150", 2022: "200", 2023: "250"}


def _projects(county: Unit) -> list[Project]:
    return list(Project.objects.filter(county=county, park__isnull=True).exclude(stage="cancelled")
                .order_by(F("code").asc(nulls_last=True), "pk")[:6])


def seed() -> int:
    """Write the demo ledgers once; returns how many quotas (0 when they exist already)."""
    if Quota.objects.filter(is_demo=True).exists():
        return 0
    units = {u.key: u for u in Unit.objects.filter(key__in=[*COUNTIES, "natres", "ocean", "forestry", "drc",
                                                            "ecoenv", "hitech-zone"])}
    if not all(k in units for k in COUNTIES):
        raise LookupError("演示要素保障台账需要先载入北海市行动方案(缺少县区)")
    with transaction.atomic():
        for key, kind in KEEPERS:
            if key in units and not FactorKeeper.objects.filter(unit=units[key], kind=kind).exists():
                set_keeper(units[key], kind, actor=DEMO)
        quotas = _quotas(units)
        _allocations(units, quotas)
        _parcels(units)
    return len(quotas)


def _quotas(units: dict[str, Unit]) -> dict[tuple[int, str, str], Quota]:
    """The quotas in bulk (the demo writes them as one act, audited once below), as the keepers would grant them."""
    drafts: dict[tuple[int, str, str], Quota] = {}
    number = 0
    for year in (2021, 2022, 2023):
        growth = Decimal(1) + Decimal("0.05") * (year - 2021)
        for kind, by_county in BASE.items():
            number += 1
            for county_key, base in by_county.items():
                drafts[(year, kind, county_key)] = Quota(
                    year=year, kind=kind, county=units[county_key], amount=(Decimal(base) * growth).quantize(Decimal(1)),
                    document=DOCUMENT[kind].format(y=year, n=number), granted_by=units.get(_keeper(kind)),
                    granted_on=dt.date(year, 2, 20),
                    balance_source=SOURCES[county_key] if kind == QuotaKind.FARMLAND_SUPPLEMENT else "",
                    intensity_limit=INTENSITY if kind == QuotaKind.ENERGY else None, is_demo=True)
        if "hitech-zone" in units:  # a park's own land quota (北海高新区, in 海城区)
            drafts[(year, "park", "hitech-zone")] = Quota(
                year=year, kind=QuotaKind.CONSTRUCTION_LAND, county=units["haicheng"], park=units["hitech-zone"],
                amount=Decimal(150), document=f"北自然资发〔{year}〕{number + 1}号", granted_by=units.get("natres"),
                granted_on=dt.date(year, 3, 5), is_demo=True)
    Quota.objects.bulk_create(drafts.values())
    ids = {(q.year, q.kind, q.county_id, q.park_id): q.pk for q in Quota.objects.filter(is_demo=True)}
    for q in drafts.values():
        q.pk = q.id = ids[(q.year, q.kind, q.county_id, q.park_id)]
    record(Event.CREATE, actor=DEMO, object_type="factors.demo", object_repr="演示要素保障台账",
           after={"quotas": len(drafts)}, message="生成演示要素指标(2021—2023年)")
    return drafts


def _keeper(kind: str) -> str:
    return next(key for key, k in KEEPERS if k == kind)


def _allocations(units: dict[str, Unit], quotas: dict[tuple[int, str, str], Quota]) -> None:
    for county_key in COUNTIES:
        projects = _projects(units[county_key])
        if len(projects) < 4:
            continue
        for year in (2021, 2022, 2023):
            land, energy = quotas[(year, QuotaKind.CONSTRUCTION_LAND, county_key)], \
                quotas[(year, QuotaKind.ENERGY, county_key)]
            asked_on = dt.date(year, 4, 10)
            for i, share in enumerate(SHARES):
                project = projects[(i + year) % len(projects)]
                a = request_allocation(land, project, (land.amount * share).quantize(Decimal(1)),
                                       requested_on=asked_on, note="演示申请", actor=DEMO)
                if year == 2023 and county_key == "hepu" and i == len(SHARES) - 1:
                    continue  # still waiting (合浦县 2023: the request beyond its headroom, below)
                approve_allocation(a, document=f"北自然资批〔{year}〕{10 + i}号", approved_on=dt.date(year, 5, 20),
                                   actor=DEMO)
            e = request_allocation(energy, projects[year % len(projects)], (energy.amount * SHARES[0]).quantize(
                Decimal(1)), requested_on=asked_on, intensity=Decimal("0.38"), actor=DEMO)
            approve_allocation(e, document=f"北发改环资批〔{year}〕3号", approved_on=dt.date(year, 6, 1), actor=DEMO)
        # an energy-hungry request refused for the intensity rule (2022)
        energy = quotas[(2022, QuotaKind.ENERGY, county_key)]
        refused = request_allocation(energy, projects[-1], Decimal(15000), requested_on=dt.date(2022, 7, 1),
                                     intensity=Decimal("0.72"), actor=DEMO)
        refuse_allocation(refused, "项目能耗强度 0.72 吨标准煤/万元,超过 0.45 的控制要求", actor=DEMO)
    # 合浦县 2023: more construction land asked than is left.
    hepu_land = quotas[(2023, QuotaKind.CONSTRUCTION_LAND, "hepu")]
    projects = _projects(units["hepu"])
    if projects:
        request_allocation(hepu_land, projects[-1], Decimal(200), requested_on=dt.date(2023, 9, 12),
                           note="园区扩区用地", actor=DEMO)
    # A 2022 allocation taken back: its project did not start in the months the plan sets.
    taken = (Allocation.objects.filter(quota__year=2022, quota__county=units["yinhai"], status=AllocationStatus.APPROVED,
                                       quota__kind=QuotaKind.CONSTRUCTION_LAND).order_by("id").first())
    if taken is not None:
        take_back(taken, "批准后逾期未开工,指标收回市级统筹", actor=DEMO)
    # An allocation of 2022 whose project has not started yet: the not-started warning (quota back to the pool).
    waiting = (Project.objects.filter(county=units["tieshangang"], park__isnull=True, actual_start__isnull=True)
               .exclude(stage="cancelled").order_by("pk").first())
    if waiting is not None:
        idle = request_allocation(quotas[(2022, QuotaKind.CONSTRUCTION_LAND, "tieshangang")], waiting, Decimal(60),
                                  requested_on=dt.date(2022, 3, 1), note="前期工作中", actor=DEMO)
        approve_allocation(idle, document="北自然资批〔2022〕30号", approved_on=dt.date(2022, 4, 15), actor=DEMO)
    # Projects blocked for land point to their county's headroom.
    from touzi.projects.services import raise_factor_issue

    for county_key, text in (("hepu", "项目用地缺新增建设用地指标约 80 亩"), ("tieshangang", "占用耕地需落实占补平衡")):
        blocked = _projects(units[county_key])
        if blocked and "natres" in units:
            raise_factor_issue(blocked[0], "land", text, owed_by=units["natres"], due=dt.date(2023, 12, 31),
                               actor=DEMO)


def _parcels(units: dict[str, Unit]) -> None:
    for code, location, kind, county_key, area, reason, holder, year, disposal in PARCELS:
        parcel = record_parcel(code=code, location=location, kind=kind, county=units[county_key], area=Decimal(area),
                               reason=reason, holder=holder, approved_year=year, is_demo=True, actor=DEMO)
        if disposal is not None:
            how, on, reused = disposal
            dispose_parcel(parcel, how, disposed_on=dt.date.fromisoformat(on), disposed_area=Decimal(reused),
                           actor=DEMO)
    for year, area in GOALS.items():
        set_reuse_goal(year, Decimal(area), actor=DEMO)
    IdleParcel.objects.filter(code__in=[p[0] for p in PARCELS]).update(is_demo=True)
