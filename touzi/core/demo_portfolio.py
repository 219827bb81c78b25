"""The demo portfolio: a deterministic, realistic project library for the Beihai plan, made by `touzi demo`.

Every project the plan names (玖龙纸业(北海)林浆纸一体化项目, 合浦至湛江铁路, the schools and hospitals
of 二(一)8 …) is there in its domain, with a realistic total investment; generated projects fill the
library up to `size` across every leaf domain, county and park. Each project under construction reports
monthly from 2021-02 (1—2月) to 2023-12; its spending follows a gentle S-curve over its life, shaped
month by month by the national seasonal pattern (data/seasonal_shape.csv), so that the sums land near
the plan's targets: the major-project list's 500/620/790 亿元 and each domain's 2021–2023 total, some
domains deliberately above and some below. Months up to 2023-11 are accepted and locked; 2023-12 is
open with a mix of statuses.

The work is split in two: `plan_portfolio` decides everything in memory from `random.Random(seed)`
(no database, no clock), and `ensure_demo_portfolio` writes it with a handful of bulk inserts in one
transaction and one audit record. All money is in 万元 (1 亿元 = 10,000 万元).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from touzi.core.actor import System
from touzi.reports.bulk import load_ledger
from touzi.reports.keys import audit_id

DATA_DIR = Path(__file__).parent / "data"
TZ = ZoneInfo("Asia/Shanghai")
YI = 10_000  # 万元 in one 亿元

YEARS = (2021, 2022, 2023)
OPEN_MONTH = (2023, 12)  # the month still under review
OWNER_KEY_PREFIX = "demo-owner-"


def _mi(year: int, month: int) -> int:
    """A month as one integer, so that months add and compare."""
    return year * 12 + month - 1


def _month(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _parse(value: str) -> int:
    year, month = value.split("-")
    return _mi(int(year), int(month))


WINDOW_START = _mi(2021, 1)  # January is reported with February (1—2月)
FIRST_REPORT = _mi(2021, 2)
LAST_REPORT = _mi(*OPEN_MONTH)
LAST_LOCKED = LAST_REPORT - 1
REPORT_MONTHS = [m for m in range(FIRST_REPORT, LAST_REPORT + 1) if m % 12 != 0]

# ---------------------------------------------------------------------------------------------------
# Targets (亿元) as the plan states them, and the outcome the demo shows: a factor above or below.
# ---------------------------------------------------------------------------------------------------
MAJOR_TARGETS = {2021: 500, 2022: 620, 2023: 790}
MAJOR_OUTCOME = {2021: 1.04, 2022: 0.96, 2023: 1.03}

# Leaf domain → (2021–2023 target in 亿元, outcome factor).
# Transport 650 = railway + highway + waterway + aviation.
DOMAIN_GOALS: dict[str, tuple[float, float]] = {
    "industry": (1000, 1.12),
    "railway": (230, 0.88),
    "highway": (150, 1.06),
    "waterway": (260, 0.93),
    "aviation": (10, 1.15),
    "energy": (200, 1.08),
    "water": (80, 0.91),
    "urbanization": (2000, 1.05),
    "new-infra": (100, 0.85),
    "agriculture": (500, 1.10),
    "services": (600, 0.94),
    "ecology": (100, 1.07),
    "education": (120, 1.09),
    "health": (100, 0.90),
    "fitness": (60, 0.82),
    "tourism": (100, 1.13),
    "civil-affairs": (20, 1.06),
}
LEAF_DOMAINS = tuple(DOMAIN_GOALS)
# Named projects may take at most this share of their domain's goal; generated projects fill the rest.
NAMED_SHARE_CAP = 0.6

# ---------------------------------------------------------------------------------------------------
# Places and units (keys from plans/beihai-2021-2023.yaml).
# ---------------------------------------------------------------------------------------------------
COUNTY_CODES = {"haicheng": "450502", "yinhai": "450503", "tieshangang": "450512", "hepu": "450521"}
COUNTY_NAMES = {"haicheng": "海城区", "yinhai": "银海区", "tieshangang": "铁山港区", "hepu": "合浦县"}
COUNTY_WEIGHTS = {"haicheng": 0.24, "yinhai": 0.24, "tieshangang": 0.17, "hepu": 0.35}
# Where each park lies (the plan gives parents for three; the others are chosen).
PARK_COUNTY = {"hitech-zone": "haicheng", "bonded-zone": "yinhai", "marine-park": "yinhai",
               "fucheng-park": "yinhai", "hepu-forestry-park": "hepu", "weizhou": "haicheng"}
PARK_NAMES = {"hitech-zone": "北海高新区", "bonded-zone": "北海综合保税区", "marine-park": "北海海洋产业科技园区",
              "fucheng-park": "福成产业园", "hepu-forestry-park": "合浦林产循环经济产业园", "weizhou": "涠洲岛"}
TOWNS = {
    "haicheng": ["地角街道", "驿马街道", "高德街道", "东街街道", "中街街道", "西街街道", "海角街道", "涠洲镇"],
    "yinhai": ["福成镇", "银滩镇", "平阳镇", "侨港镇"],
    "tieshangang": ["南康镇", "营盘镇", "兴港镇"],
    "hepu": ["廉州镇", "党江镇", "沙岗镇", "西场镇", "乌家镇", "闸口镇", "公馆镇", "白沙镇", "山口镇", "沙田镇",
             "石湾镇", "石康镇", "常乐镇", "星岛湖镇", "曲樟乡"],
}


def _short_town(town: str) -> str:
    return town.removesuffix("街道").removesuffix("镇").removesuffix("乡")


# The bureau that leads each domain's projects (二(一)1–8 of the plan).
LEAD_UNITS = {
    "industry": "industry", "railway": "transport", "highway": "transport", "waterway": "transport",
    "aviation": "transport", "energy": "drc", "water": "water", "urbanization": "housing",
    "new-infra": "bigdata", "agriculture": "agri", "services": "drc", "ecology": "ecoenv",
    "education": "education", "health": "health", "fitness": "tourism", "tourism": "tourism",
    "civil-affairs": "civil-affairs",
}
# The owner of a city-level government project in each domain.
CITY_OWNERS = {
    "industry": "industry", "railway": "rail-office", "highway": "transport", "waterway": "transport",
    "aviation": "airport", "energy": "drc", "water": "water", "urbanization": "housing",
    "new-infra": "bigdata", "agriculture": "agri", "services": "commerce", "ecology": "ecoenv",
    "education": "education", "health": "health", "fitness": "tourism", "tourism": "tourism",
    "civil-affairs": "civil-affairs",
}
# GB/T 4754-2017 divisions that fit each domain (the first is the default).
INDUSTRY_CODES = {
    "industry": ["26", "22", "39", "30", "32", "13", "20", "35", "14", "27", "33", "38"],
    "railway": ["53"], "highway": ["54"], "waterway": ["55"], "aviation": ["56"],
    "energy": ["44", "45"], "water": ["76"], "urbanization": ["78", "47", "48", "46"],
    "new-infra": ["63", "65", "64"], "agriculture": ["01", "04", "05", "03", "02"],
    "services": ["59", "72", "58", "52", "61", "73", "65", "66"], "ecology": ["77", "46", "78"],
    "education": ["83"], "health": ["84"], "fitness": ["89"], "tourism": ["78", "90"],
    "civil-affairs": ["85", "80"],
}
WUWANG_DOMAINS = ("railway", "highway", "waterway", "aviation", "energy", "water", "new-infra")


# ---------------------------------------------------------------------------------------------------
# The seasonal shape
# ---------------------------------------------------------------------------------------------------
def derive_seasonal_shape(rows: Iterable[dict[str, str]]) -> dict[int, float]:
    """Month (2 = 1—2月 … 12) → average share of the year's investment, from a year-to-date series."""
    by_year: dict[int, dict[int, float]] = {}
    for row in rows:
        by_year.setdefault(int(row["year"]), {})[int(row["month"])] = float(row["ytd_value_100m_yuan"])
    shares: dict[int, list[float]] = {m: [] for m in range(2, 13)}
    for year in sorted(by_year):
        values = by_year[year]
        previous = 0.0
        for month in range(2, 13):
            shares[month].append((values[month] - previous) / values[12])
            previous = values[month]
    return {month: statistics.fmean(items) for month, items in shares.items()}


@cache
def seasonal_shape() -> dict[int, float]:
    """The shipped shape (data/seasonal_shape.csv), normalised to sum to one."""
    with (DATA_DIR / "seasonal_shape.csv").open(encoding="utf-8") as handle:
        raw = {int(row["month"]): float(row["share"]) for row in csv.DictReader(handle)}
    total = sum(raw.values())
    return {month: share / total for month, share in raw.items()}


def _calendar_weights() -> list[float]:
    """Weight of each calendar month (0 = January): 12 × its share, January and February halving 1—2月."""
    shape = seasonal_shape()
    return [6 * shape[2], 6 * shape[2], *(12 * shape[m] for m in range(3, 13))]


# ---------------------------------------------------------------------------------------------------
# The projects the plan names
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seed:
    """A project the plan names. `start`/`end` are actual (or, before the start, planned) months."""

    name: str
    domain: str
    county: str
    total: int  # 万元
    stage: str
    start: str
    end: str
    owner: str  # "@unit-key" of a plan unit, else an enterprise name
    park: str | None = None
    gov: bool = False
    collections: tuple[str, ...] = ()
    industry: str = ""


C, N, P, D, OP = "continuing", "new_start", "preliminary", "completed", "in_operation"
SEEDS: tuple[Seed, ...] = (
    # 二(一)1 industry
    Seed("玖龙纸业(北海)林浆纸一体化项目", "industry", "tieshangang", 3_200_000, C, "2021-03", "2025-12",
         "玖龙纸业(北海)有限公司", collections=("sanqi", "shuangbai", "region-coordinated"), industry="22"),
    Seed("四川能投川桂绿色化工产业园", "industry", "tieshangang", 1_500_000, C, "2021-09", "2025-06",
         "四川能投(北海)绿色化工有限公司", collections=("sanqi", "shuangbai", "region-coordinated"), industry="26"),
    Seed("北部湾(合浦)林产循环经济产业园(一期)标准厂房项目", "industry", "hepu", 80_000, D, "2020-06", "2021-11",
         "@hepu-forestry-park", park="hepu-forestry-park", gov=True, industry="20"),
    Seed("北海高新区标准厂房项目", "industry", "haicheng", 60_000, D, "2020-05", "2021-10", "@hitech-zone",
         park="hitech-zone", gov=True, industry="39"),
    Seed("北海综合保税区A区B-4地块物联网智能终端产业园标准厂房项目", "industry", "yinhai", 45_000, D, "2020-08",
         "2021-12", "@bonded-zone", park="bonded-zone", gov=True, industry="39"),
    Seed("北海海洋产业科技园区科研创新园标准厂房项目", "industry", "yinhai", 35_000, D, "2020-09", "2021-12",
         "@marine-park", park="marine-park", gov=True, industry="27"),
    Seed("北海市福成产业园(一期)标准厂房项目", "industry", "yinhai", 50_000, D, "2020-07", "2021-11",
         "@fucheng-park", park="fucheng-park", gov=True, industry="33"),
    # 二(一)2 railway, highway, waterway, aviation
    Seed("合浦至湛江铁路", "railway", "hepu", 1_600_000, C, "2021-12", "2025-12", "合湛铁路广西有限责任公司",
         collections=("region-coordinated",)),
    Seed("合浦至铁山港铁路", "railway", "tieshangang", 450_000, C, "2021-06", "2024-12", "北海沿海铁路投资有限公司",
         collections=("region-coordinated",)),
    Seed("铁山港至石头埠支线铁路", "railway", "tieshangang", 180_000, D, "2020-10", "2023-06",
         "北海沿海铁路投资有限公司"),
    Seed("廉州湾大道", "highway", "haicheng", 420_000, C, "2020-08", "2024-06", "@transport", gov=True),
    Seed("向海大道", "highway", "yinhai", 350_000, C, "2021-04", "2024-10", "@transport", gov=True),
    Seed("合浦泮塘至平阳一级公路", "highway", "hepu", 160_000, C, "2021-10", "2024-03", "@hepu", gov=True),
    Seed("铁山港30万吨进港航道及码头项目", "waterway", "tieshangang", 850_000, C, "2021-05", "2025-04",
         "北海港铁山港港务有限公司", collections=("region-coordinated",)),
    Seed("北海国际客运港航道扩建", "waterway", "haicheng", 90_000, D, "2021-09", "2023-06", "@transport", gov=True),
    Seed("铁山港航道三期", "waterway", "tieshangang", 280_000, C, "2020-12", "2024-06", "@transport", gov=True),
    Seed("北海邮轮母港", "waterway", "haicheng", 600_000, C, "2022-06", "2026-06", "北海国际邮轮母港投资有限公司"),
    Seed("北海北部湾国际机场", "aviation", "hepu", 1_500_000, N, "2023-09", "2028-12", "@airport", gov=True,
         collections=("region-coordinated",)),
    # 二(一)2 energy
    Seed("北海市绿色智能电网建设工程", "energy", "haicheng", 300_000, C, "2021-03", "2024-12", "广西电网北海供电有限公司"),
    Seed("神华国华广投北海电厂", "energy", "tieshangang", 780_000, OP, "2019-03", "2022-06", "国华广投北海发电有限公司",
         collections=("sanqi", "region-coordinated")),
    Seed("广西广投北海电厂二期工程", "energy", "tieshangang", 650_000, N, "2023-06", "2026-06",
         "广投北海发电有限公司"),
    Seed("北海液化天然气(LNG)接收站二期工程", "energy", "tieshangang", 400_000, C, "2021-03", "2024-06",
         "北海液化天然气有限责任公司", industry="45"),
    Seed("北海液化天然气(LNG)接收站三期工程", "energy", "tieshangang", 550_000, P, "2024-06", "2027-06",
         "北海液化天然气有限责任公司", industry="45"),
    Seed("北海天然气发电项目", "energy", "tieshangang", 250_000, P, "2024-03", "2026-06", "北海燃气发电有限公司"),
    Seed("合浦县“县县通”天然气工程", "energy", "hepu", 30_000, D, "2020-11", "2022-06", "合浦港华燃气有限公司",
         industry="45"),
    Seed("北海市海上风电项目", "energy", "tieshangang", 2_000_000, P, "2024-09", "2027-12", "北海海上风电开发有限公司"),
    Seed("北海市陆上风电项目", "energy", "hepu", 80_000, C, "2022-03", "2024-03", "北海风能发电有限公司"),
    Seed("北海市陆上光伏发电项目", "energy", "hepu", 120_000, C, "2022-08", "2024-06", "北海光伏能源有限公司"),
    Seed("北海市新能源汽车充电基础设施建设项目", "energy", "haicheng", 25_000, C, "2021-07", "2024-06",
         "北海充电设施运营有限公司"),
    # 二(一)2 water (the kinds of project the plan names)
    Seed("北海市水库水闸除险加固工程", "water", "hepu", 45_000, C, "2021-04", "2024-06", "@water", gov=True),
    Seed("合浦县大中型灌区续建配套和节水改造工程", "water", "hepu", 60_000, C, "2021-10", "2024-12", "@hepu", gov=True),
    Seed("北海市海河堤标准化建设工程", "water", "yinhai", 55_000, C, "2021-06", "2024-06", "@water", gov=True),
    Seed("北海市农村供水巩固提升工程", "water", "hepu", 30_000, C, "2021-05", "2023-12", "@water", gov=True),
    # 二(一)3 urbanization
    Seed("廉州湾新城建设项目", "urbanization", "haicheng", 2_000_000, C, "2020-03", "2027-12", "@haicheng", gov=True,
         collections=("region-coordinated",)),
    Seed("银滩东片区开发建设项目", "urbanization", "yinhai", 1_200_000, C, "2021-06", "2026-12", "@yinhai", gov=True),
    Seed("党江康养集聚区建设项目", "urbanization", "hepu", 500_000, C, "2021-09", "2025-12", "@hepu", gov=True),
    Seed("白沙高铁站产城融合新区建设项目", "urbanization", "hepu", 800_000, N, "2023-08", "2028-12", "@hepu", gov=True),
    Seed("北海市城镇老旧小区改造项目", "urbanization", "haicheng", 150_000, C, "2021-03", "2024-06", "@housing",
         gov=True),
    Seed("北海市城市地下管线升级改造工程", "urbanization", "haicheng", 200_000, C, "2021-05", "2024-12", "@municipal",
         gov=True),
    Seed("合浦县县城城镇化补短板强弱项项目", "urbanization", "hepu", 300_000, C, "2021-04", "2024-12", "@hepu",
         gov=True),
    Seed("北海市公共就业服务中心建设项目", "urbanization", "haicheng", 20_000, D, "2021-08", "2023-05", "@hrss",
         gov=True),
    # 二(一)4 new infrastructure
    Seed("壮美广西·北海政务云", "new-infra", "haicheng", 35_000, OP, "2021-04", "2022-12", "@bigdata", gov=True,
         industry="65"),
    Seed("北海市5G网络建设工程", "new-infra", "haicheng", 150_000, C, "2021-03", "2024-12", "北海移动通信有限公司"),
    Seed("北海市大数据中心项目", "new-infra", "yinhai", 120_000, C, "2022-03", "2024-12", "北海云数据科技有限公司",
         industry="64"),
    Seed("智慧平安北海城管警务综合云建设项目", "new-infra", "haicheng", 30_000, C, "2022-05", "2024-06", "@police",
         gov=True, industry="65"),
    Seed("北海市公安大数据智能化应用建设项目", "new-infra", "haicheng", 25_000, C, "2021-09", "2024-03", "@police",
         gov=True, industry="65"),
    Seed("数字平安北海建设项目", "new-infra", "haicheng", 20_000, D, "2021-06", "2023-06", "@police", gov=True,
         industry="65"),
    Seed("北海市智慧教育工程", "new-infra", "haicheng", 18_000, C, "2022-02", "2024-08", "@education", gov=True,
         industry="65"),
    Seed("北海市智慧医疗工程", "new-infra", "haicheng", 22_000, C, "2022-04", "2024-12", "@health", gov=True,
         industry="65"),
    Seed("北海市智慧旅游工程", "new-infra", "yinhai", 12_000, D, "2021-05", "2023-03", "@tourism", gov=True,
         industry="65"),
    Seed("北海市智慧交通工程", "new-infra", "haicheng", 28_000, C, "2022-06", "2024-12", "@transport", gov=True,
         industry="65"),
    Seed("北海市城乡4G网络完善工程", "new-infra", "hepu", 60_000, D, "2021-03", "2023-09", "北海移动通信有限公司"),
    # 二(一)6 services
    Seed("天下秀数字科技创新产业基地", "services", "haicheng", 300_000, C, "2021-07", "2025-06",
         "天下秀数字科技(北海)有限公司", park="hitech-zone", collections=("sanqi",), industry="65"),
    Seed("新奥南方总部", "services", "yinhai", 250_000, C, "2021-11", "2025-06", "新奥(北海)南方总部有限公司",
         collections=("sanqi",), industry="72"),
    Seed("红树林现代金融产业城", "services", "yinhai", 300_000, C, "2021-05", "2025-12", "北海红树林金融产业城有限公司",
         industry="66"),
    Seed("银基国际滨海旅游度假中心", "services", "yinhai", 1_200_000, C, "2020-10", "2026-12",
         "银基(北海)文旅发展有限公司", collections=("sanqi", "region-coordinated"), industry="61"),
    Seed("海丝首港旅游项目", "services", "hepu", 500_000, C, "2021-12", "2026-06", "合浦海丝首港文旅投资有限公司",
         industry="90"),
    Seed("高德滨海文旅综合体项目", "services", "haicheng", 400_000, C, "2022-03", "2026-03", "北海高德滨海文旅有限公司",
         industry="90"),
    Seed("中国电子北部湾信息港", "services", "haicheng", 400_000, C, "2020-09", "2025-12", "中电北部湾信息港有限公司",
         park="hitech-zone", collections=("sanqi",), industry="65"),
    Seed("北海高新区现代服务业集聚区提质升级项目", "services", "haicheng", 60_000, C, "2022-02", "2024-12",
         "@hitech-zone", park="hitech-zone", gov=True, industry="72"),
    # 二(一)7 ecology
    Seed("北海市红树林保护修复工程", "ecology", "hepu", 30_000, C, "2021-06", "2024-06", "@natres", gov=True),
    Seed("北部湾典型滨海湿地生态系统保护和修复工程", "ecology", "yinhai", 50_000, C, "2021-09", "2024-12", "@natres",
         gov=True),
    Seed("北海市生物多样性保护工程", "ecology", "haicheng", 8_000, C, "2022-03", "2024-06", "@ecoenv", gov=True),
    Seed("北海市短轮伐期用材林树种结构调整项目", "ecology", "hepu", 12_000, C, "2021-04", "2024-12", "@forestry",
         gov=True, industry="02"),
    Seed("南流江流域水环境综合治理工程", "ecology", "hepu", 200_000, C, "2021-03", "2024-12", "@hepu", gov=True,
         collections=("region-coordinated",)),
    Seed("武利江流域水环境综合治理工程", "ecology", "hepu", 60_000, C, "2021-08", "2024-06", "@hepu", gov=True),
    Seed("南康江流域水环境综合治理工程", "ecology", "tieshangang", 50_000, C, "2021-10", "2024-06", "@tieshangang",
         gov=True),
    Seed("白沙河流域水环境综合治理工程", "ecology", "hepu", 40_000, C, "2022-03", "2024-12", "@hepu", gov=True),
    Seed("北海市大气污染防治能力提升项目", "ecology", "haicheng", 10_000, D, "2021-05", "2023-04", "@ecoenv", gov=True),
    Seed("北海市土壤污染风险防控和治理修复项目", "ecology", "tieshangang", 15_000, C, "2022-04", "2024-06",
         "@ecoenv", gov=True),
    Seed("北海市生态环境保护和综合治理工程", "ecology", "yinhai", 60_000, C, "2021-07", "2024-12", "@ecoenv",
         gov=True),
    Seed("北海市固体废弃物综合利用和危险废物处置能力提升项目", "ecology", "tieshangang", 45_000, C, "2021-11",
         "2024-06", "北海环保固废处置有限公司"),
    Seed("北海市城镇污水处理厂提标改造工程", "ecology", "haicheng", 40_000, D, "2021-04", "2023-08", "@municipal",
         gov=True, industry="46"),
    # 二(一)8 education
    Seed("银海区第二实验学校", "education", "yinhai", 35_000, D, "2020-09", "2022-08", "@yinhai", gov=True),
    Seed("海城区第二十一小学", "education", "haicheng", 18_000, D, "2021-03", "2022-08", "@haicheng", gov=True),
    Seed("海城区第二十三小学", "education", "haicheng", 20_000, D, "2021-06", "2023-08", "@haicheng", gov=True),
    Seed("北海市职教园区", "education", "yinhai", 300_000, C, "2021-06", "2025-08", "@education", gov=True),
    Seed("北海职业学院异地搬迁工程", "education", "yinhai", 180_000, C, "2021-10", "2024-08", "@education",
         gov=True),
    Seed("北海康养职业学院", "education", "hepu", 120_000, C, "2022-03", "2024-08", "北海康养职业学院投资有限公司"),
    Seed("北海市第十四中学", "education", "haicheng", 40_000, D, "2021-05", "2023-08", "@education", gov=True),
    Seed("北海市第十五中学", "education", "yinhai", 38_000, C, "2021-11", "2024-02", "@education", gov=True),
    Seed("北海市第十六中学", "education", "haicheng", 42_000, C, "2022-06", "2024-08", "@education", gov=True),
    Seed("北海市涠洲实验学校", "education", "haicheng", 15_000, D, "2021-09", "2023-08", "@education",
         park="weizhou", gov=True),
    Seed("北海市教师培训综合楼项目", "education", "haicheng", 9_000, D, "2021-08", "2023-02", "@education", gov=True),
    Seed("迁建合浦县第四中学高中部", "education", "hepu", 45_000, C, "2021-12", "2024-08", "@hepu", gov=True),
    Seed("海城区第十幼儿园", "education", "haicheng", 4_500, D, "2021-07", "2022-08", "@haicheng", gov=True),
    Seed("涠洲岛幼儿园", "education", "haicheng", 3_000, D, "2022-03", "2023-08", "@weizhou", park="weizhou",
         gov=True),
    Seed("北海市普惠性幼儿园建设项目", "education", "hepu", 12_000, C, "2021-09", "2024-08", "@education", gov=True),
    Seed("广西电子信息工程学院", "education", "yinhai", 250_000, P, "2024-06", "2027-08", "@education", gov=True),
    # 二(一)8 health
    Seed("广西海上紧急医学救援中心", "health", "haicheng", 60_000, C, "2022-01", "2024-12", "@health", gov=True),
    Seed("北海市人民医院搬迁提升工程", "health", "haicheng", 150_000, C, "2021-08", "2025-06", "@health", gov=True),
    Seed("北海市第二人民医院改扩建工程", "health", "haicheng", 60_000, C, "2021-10", "2024-10", "@health", gov=True),
    Seed("北海市中医医院搬迁工程", "health", "yinhai", 80_000, C, "2022-03", "2025-06", "@health", gov=True),
    Seed("北海市妇幼保健院改扩建工程", "health", "haicheng", 40_000, C, "2021-07", "2024-06", "@health", gov=True),
    Seed("北海市结核病防治院提升改造工程", "health", "haicheng", 12_000, D, "2021-09", "2023-06", "@health",
         gov=True),
    Seed("北海市皮肤病防治院提升改造工程", "health", "haicheng", 8_000, D, "2022-03", "2023-09", "@health",
         gov=True),
    Seed("北海市海城区高德医院新建项目", "health", "haicheng", 45_000, C, "2021-11", "2024-06", "@haicheng",
         gov=True),
    Seed("铁山港区人民医院新院区", "health", "tieshangang", 50_000, C, "2021-06", "2024-03", "@tieshangang",
         gov=True),
    # 二(一)8 fitness
    Seed("大江埠足球公园", "fitness", "haicheng", 18_000, D, "2021-05", "2022-10", "@haicheng", gov=True),
    Seed("东郡足球公园", "fitness", "yinhai", 12_000, D, "2021-08", "2022-12", "@yinhai", gov=True),
    Seed("银投足球基地", "fitness", "yinhai", 25_000, C, "2022-01", "2024-06", "北海银投体育发展有限公司"),
    Seed("北部湾体育中心", "fitness", "yinhai", 300_000, N, "2023-03", "2026-12", "@tourism", gov=True),
    # 二(一)8 tourism
    Seed("银滩旅游基础设施建设工程项目", "tourism", "yinhai", 80_000, C, "2021-05", "2024-06", "@yinhai", gov=True),
    Seed("银滩度假区智慧管理项目", "tourism", "yinhai", 6_000, D, "2021-09", "2023-03", "@yinhai", gov=True),
    Seed("涠洲岛南湾鳄鱼山景区旅游基础设施项目", "tourism", "haicheng", 20_000, C, "2021-10", "2024-06",
         "@weizhou", park="weizhou", gov=True),
    Seed("涠洲岛珊瑚礁国家级海洋公园保护设施项目", "tourism", "haicheng", 8_000, D, "2021-06", "2023-06",
         "@weizhou", park="weizhou", gov=True),
    Seed("星岛湖旅游度假屋旅游基础设施提升项目", "tourism", "hepu", 12_000, C, "2022-02", "2024-06", "@hepu",
         gov=True),
    Seed("银滩旅游度假区旅游交通设施改造提升项目", "tourism", "yinhai", 30_000, C, "2022-04", "2024-12",
         "@yinhai", gov=True),
    Seed("海泰特色旅游小镇旅游基础设施改造升级项目", "tourism", "yinhai", 25_000, C, "2021-12", "2024-06",
         "北海海泰旅游开发有限公司", industry="90"),
    Seed("《印象·1876》历史文化景区", "tourism", "haicheng", 60_000, C, "2021-04", "2024-12",
         "北海印象文化旅游有限公司", industry="90"),
    # 二(一)8 civil affairs
    Seed("银海区社会老年服务中心", "civil-affairs", "yinhai", 9_000, D, "2021-06", "2023-06", "@yinhai", gov=True),
    Seed("银海区公墓", "civil-affairs", "yinhai", 6_000, C, "2022-03", "2024-03", "@yinhai", gov=True,
         industry="80"),
    Seed("北海市养老综合服务示范院", "civil-affairs", "haicheng", 25_000, C, "2021-11", "2024-06", "@civil-affairs",
         gov=True),
    Seed("北海市儿童福利院", "civil-affairs", "haicheng", 8_000, C, "2022-05", "2024-03", "@civil-affairs",
         gov=True),
    Seed("北海市市县镇村四级公益性墓园建设项目", "civil-affairs", "hepu", 20_000, C, "2021-10", "2024-12",
         "@civil-affairs", gov=True, industry="80"),
    Seed("北海市城企联动普惠养老服务工程", "civil-affairs", "haicheng", 15_000, C, "2021-08", "2024-06",
         "北海康颐养老服务有限公司"),
    Seed("北海市医养结合养老示范工程", "civil-affairs", "yinhai", 12_000, C, "2022-01", "2024-06",
         "@civil-affairs", gov=True),
    Seed("北海市殡葬服务设施建设项目", "civil-affairs", "hepu", 10_000, C, "2022-06", "2024-06", "@civil-affairs",
         gov=True, industry="80"),
)

# ---------------------------------------------------------------------------------------------------
# Generated projects: name templates and words
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Template:
    pattern: str
    sector: str  # the kind of enterprise that owns it (see TRADES)
    gov: float  # chance it is a government project ({co} patterns: 0)
    codes: tuple[str, ...] = ()
    lead: str | None = None  # overrides the domain's lead bureau
    park: float = 0.0  # chance it lies in a park (the template's parks)
    parks: tuple[str, ...] = ()
    real_estate: bool = False
    weight: float = 1.0
    scale: float = 1.0  # size relative to the domain's median


T = Template
INDUSTRIAL_PARKS = ("hitech-zone", "bonded-zone", "marine-park", "fucheng-park", "hepu-forestry-park")
TEMPLATES: dict[str, tuple[Template, ...]] = {
    "industry": (
        T("{co}年产{n}万吨{chem}项目", "industry:chem", 0, ("26",), weight=3),
        T("{co}年产{n}万吨{paper}项目", "industry:paper", 0, ("22",), park=0.3, parks=("hepu-forestry-park",),
          weight=2),
        T("{co}{glass}生产线项目", "industry:glass", 0, ("30",), weight=1.5),
        T("{co}年产{n}万台{device}项目", "industry:electronics", 0, ("39",), park=0.6,
          parks=("bonded-zone", "hitech-zone"), weight=3),
        T("{co}{elec}生产基地项目", "industry:electronics", 0, ("39",), park=0.6,
          parks=("bonded-zone", "hitech-zone"), weight=2),
        T("{co}年产{n}万吨{metal}项目", "industry:metal", 0, ("32", "31"), weight=2),
        T("{co}年加工{n}万吨{food}项目", "industry:food", 0, ("13",), park=0.3, parks=("fucheng-park",), weight=2),
        T("{co}{food2}精深加工项目", "industry:food", 0, ("13", "14"), park=0.3, parks=("fucheng-park",), weight=2),
        T("{co}年产{n}万立方米{wood}项目", "industry:wood", 0, ("20",), park=0.7, parks=("hepu-forestry-park",),
          weight=2),
        T("{co}{equip}制造项目", "industry:equipment", 0, ("35", "37", "34", "36"), park=0.3,
          parks=("fucheng-park",), weight=2),
        T("{co}{marine}项目", "industry:marine", 0, ("27", "14"), park=0.8, parks=("marine-park",), weight=1),
        T("{co}{tech}技术改造项目", "industry:*", 0, ("26", "22", "39", "13", "30", "33", "38"), weight=4,
          scale=0.3),
        T("{park}标准厂房(二期)建设项目", "construction", 0.9, ("47",), park=1.0,
          parks=INDUSTRIAL_PARKS, weight=0.5),
        T("{park}园区基础设施配套工程", "construction", 0.9, ("48",), park=1.0,
          parks=INDUSTRIAL_PARKS, weight=0.5),
    ),
    "railway": (
        T("{railplace}铁路专用线工程", "transport", 0.2, weight=3),
        T("{place}站货场扩建工程", "transport", 0.3),
        T("北海站{thing_rail}工程", "transport", 0.5),
    ),
    "highway": (
        T("{county}{place}至{place2}二级公路改建工程", "transport", 0.9, weight=3),
        T("{county}{place}至{place2}三级公路工程", "transport", 0.9, weight=2),
        T("{gway}{county}段改扩建工程", "transport", 0.9),
        T("{county}{year}年农村公路提级改造工程", "transport", 1.0, weight=1.5),
        T("{county}{place}旅游公路工程", "transport", 0.8),
        T("{county}{place}互通立交工程", "transport", 0.8),
    ),
    "waterway": (
        T("北海港铁山港{zone}港区{b1}号至{b2}号泊位工程", "transport", 0.1, weight=3),
        T("北海港石步岭港区{b1}号泊位改造工程", "transport", 0.1),
        T("{county}{place}渔港建设工程", "transport", 0.8),
        T("涠洲岛{wharf}码头工程", "transport", 0.6),
        T("北海港铁山港{zone}港区锚地及航道整治工程", "transport", 0.6),
        T("{co}港口物流堆场项目", "transport", 0),
    ),
    "aviation": (
        T("北海福成机场{airport_part}工程", "aviation", 0.5),
    ),
    "energy": (
        T("{county}{place}{mw}MW农光互补光伏发电项目", "energy", 0, weight=3),
        T("{county}{place}{mw}MW风电场项目", "energy", 0, weight=2),
        T("北海{place}220千伏输变电工程", "energy", 0, weight=1.5),
        T("北海{place}110千伏输变电工程", "energy", 0, weight=2),
        T("{county}城镇天然气管网工程", "energy:gas", 0.2, ("45",)),
        T("{co}分布式光伏发电项目", "energy", 0, weight=2),
        T("{county}电动汽车充电站建设项目", "energy", 0.1),
        T("{county}{year}年农村电网巩固提升工程", "energy", 0),
        T("{co}储能电站项目", "energy", 0),
    ),
    "water": (
        T("{county}{reservoir}水库除险加固工程", "environment", 1.0, weight=3),
        T("{county}{town}农村供水巩固提升工程", "environment", 0.9, weight=3),
        T("{county}{seawall}海堤标准化建设工程", "environment", 1.0, weight=2),
        T("{county}{river}({place}段)综合治理工程", "environment", 1.0, weight=2),
        T("{county}{place}灌区续建配套与节水改造工程", "environment", 1.0, weight=2),
        T("{county}{town}水闸除险加固工程", "environment", 1.0),
    ),
    "urbanization": (
        T("{county}{area}片区城市更新项目", "construction", 0.6, ("78",), weight=2, scale=2.0),
        T("{county}{year}年城镇老旧小区改造项目", "construction", 1.0, ("47",), weight=1.5, scale=0.3),
        T("北海市{road}道路工程", "construction", 0.8, ("48",), lead="municipal", weight=3),
        T("{county}{area}安置小区建设项目", "construction", 0.8, ("47",), weight=2),
        T("{county}{area}保障性租赁住房项目", "construction", 0.6, ("47",), weight=1.5, scale=0.4),
        T("{county}{town}基础设施提升工程", "construction", 1.0, ("48",), weight=2, scale=0.25),
        T("{county}{area}地下综合管廊工程", "construction", 0.8, ("48",), lead="municipal"),
        T("{county}城区{utility}提升改造工程", "construction", 0.9, ("46", "48"), lead="municipal", weight=2,
          scale=0.3),
        T("{county}{area}公共停车场建设项目", "construction", 0.5, ("78",), lead="municipal", scale=0.1),
        T("{co}{estate}商品住宅小区项目", "real-estate", 0, ("70",), real_estate=True, weight=0, scale=3.0),
    ),
    "new-infra": (
        T("{county}{year}年5G基站建设工程", "digital", 0, ("63",), weight=2),
        T("{co}数据中心项目", "digital", 0, ("64",)),
        T("{county}智慧城管建设项目", "digital", 1.0, ("65",)),
        T("{county}{smart}智慧化改造项目", "digital", 0.8, ("65",), weight=2),
        T("{co}工业互联网平台建设项目", "digital", 0, ("64",)),
        T("{county}数字乡村建设项目", "digital", 1.0, ("65",)),
        T("{county}雪亮工程提升项目", "digital", 1.0, ("65",)),
        T("{county}千兆光网建设工程", "digital", 0, ("63",)),
    ),
    "agriculture": (
        T("{county}{town}高标准农田建设项目", "agriculture", 1.0, ("01",), weight=3, scale=0.25),
        T("{county}{crop}现代农业产业园建设项目", "agriculture:crops", 0.5, ("01", "05"), weight=1.5, scale=2.5),
        T("{co}{crop}种植基地项目", "agriculture:crops", 0, ("01",), weight=2),
        T("{co}{aqua}标准化养殖基地项目", "agriculture:aqua", 0, ("04",), weight=2),
        T("{county}{town}海水养殖尾水治理项目", "agriculture", 1.0, ("04",), scale=0.3),
        T("{county}{town}乡村振兴示范村建设项目", "agriculture", 1.0, ("05",), weight=2, scale=0.3),
        T("{county}{town}农村人居环境整治项目", "agriculture", 1.0, ("05",), weight=1.5, scale=0.25),
        T("{co}农产品冷链物流中心项目", "agriculture:coldchain", 0, ("05",)),
        T("{county}{town}脱贫村基础设施巩固提升项目", "agriculture", 1.0, ("05",), scale=0.2),
        T("{county}{town}乡村旅游融合发展项目", "agriculture", 0.6, ("05",)),
        T("{co}{animal}养殖项目", "agriculture:livestock", 0, ("03",)),
    ),
    "services": (
        T("{co}{logistic}物流园项目", "services:logistics", 0, ("59", "58"), weight=3),
        T("{co}总部大楼项目", "services:commerce", 0, ("72",), park=0.3, parks=("hitech-zone",)),
        T("{co}商业综合体项目", "services:commerce", 0, ("52",), weight=2),
        T("{co}跨境电商产业园项目", "services:logistics", 0, ("52", "59"), park=0.5, parks=("bonded-zone",)),
        T("{co}科技服务中心项目", "services:tech", 0, ("73", "75"), park=0.5, parks=("hitech-zone",)),
        T("{co}{hotel}酒店项目", "services:hotel", 0, ("61",), weight=1.5),
        T("{county}{place}商贸物流中心项目", "services:logistics", 0.2, ("51", "59")),
        T("{co}供应链管理中心项目", "services:logistics", 0, ("72",)),
        T("{co}服务外包基地项目", "services:tech", 0, ("65",), park=0.5, parks=("hitech-zone",)),
        T("{co}{estate}商业街区项目", "real-estate", 0, ("70",), real_estate=True, weight=0, scale=2.0),
    ),
    "ecology": (
        T("{river}流域({county}段)水环境综合治理工程", "environment", 1.0, ("77",), weight=2),
        T("{county}{town}污水处理设施建设工程", "environment", 1.0, ("46",), lead="municipal", weight=2),
        T("{county}城区污水管网完善工程", "environment", 1.0, ("46",), lead="municipal"),
        T("{county}生活垃圾{garbage}项目", "environment", 0.6, ("78", "77"), lead="municipal"),
        T("{county}{coast}海岸带生态保护修复工程", "environment", 1.0, ("77",), lead="natres"),
        T("{county}{place}红树林生态修复项目", "environment", 1.0, ("77",), lead="natres"),
        T("{county}废弃矿山生态修复项目", "environment", 1.0, ("77",), lead="natres"),
        T("{co}固体废物综合利用项目", "environment", 0, ("42", "77")),
        T("{county}{town}农村黑臭水体治理项目", "environment", 1.0, ("77",), weight=1.5, scale=0.3),
    ),
    "education": (
        T("{county}第{num}小学建设项目", "education", 1.0, weight=2),
        T("{county}第{num}中学扩建项目", "education", 1.0, weight=1.5),
        T("{county}{town}中心学校改扩建项目", "education", 1.0, weight=2),
        T("{county}第{num}幼儿园建设项目", "education", 1.0, weight=1.5),
        T("{county}{town}中心幼儿园建设项目", "education", 1.0),
        T("{county}{town}初级中学学生宿舍建设项目", "education", 1.0, scale=0.3),
        T("{co}民办学校建设项目", "education", 0),
    ),
    "health": (
        T("{county}人民医院{ward}建设项目", "health", 1.0, weight=2),
        T("{county}{town}卫生院改扩建项目", "health", 1.0, weight=3, scale=0.3),
        T("{county}疾病预防控制中心实验室建设项目", "health", 1.0),
        T("{county}中医医院{ward}建设项目", "health", 1.0),
        T("{county}{town}社区卫生服务中心建设项目", "health", 1.0, scale=0.3),
        T("{co}专科医院项目", "health", 0),
    ),
    "fitness": (
        T("{county}全民健身中心建设项目", "sports", 1.0),
        T("{county}{place}体育公园建设项目", "sports", 0.8, weight=2),
        T("{county}{town}社会足球场建设项目", "sports", 0.8, weight=2, scale=0.2),
        T("{county}{town}健身步道建设项目", "sports", 1.0, scale=0.2),
        T("{co}体育综合体项目", "sports", 0),
    ),
    "tourism": (
        T("{scenic}旅游基础设施提升项目", "tourism", 0.8, ("78",), weight=2),
        T("{county}{town}旅游厕所及游客服务设施建设项目", "tourism", 1.0, ("78",), scale=0.15),
        T("{scenic}游客服务中心建设项目", "tourism", 0.8, ("78",)),
        T("{co}{scenic}文旅项目", "tourism", 0, ("90",), weight=2),
        T("{co}{estate}文旅小镇项目", "real-estate", 0, ("70",), real_estate=True, weight=0, scale=3.0),
    ),
    "civil-affairs": (
        T("{county}{town}敬老院改扩建项目", "care", 1.0, ("85",), weight=3, scale=0.5),
        T("{county}社会福利院建设项目", "care", 1.0, ("85",)),
        T("{county}殡仪馆改扩建项目", "care", 1.0, ("80",)),
        T("{county}{place}公益性公墓建设项目", "care", 1.0, ("80",)),
        T("{county}{town}社区养老服务中心建设项目", "care", 0.8, ("85",), weight=2),
        T("{co}养老服务中心项目", "care", 0, ("85",)),
    ),
}
WORDS: dict[str, tuple[str, ...]] = {
    "n": ("1", "2", "3", "5", "6", "8", "10", "12", "15", "20", "30", "50", "60", "100"),
    "chem": ("环氧树脂", "聚碳酸酯", "双氧水", "电子化学品", "顺酐", "聚醚多元醇", "精细化工中间体", "碳酸二甲酯",
             "工业气体", "烧碱", "聚丙烯"),
    "paper": ("高档生活用纸", "白卡纸", "文化用纸", "瓦楞原纸", "纸制品包装"),
    "glass": ("日熔量1200吨光伏玻璃", "光伏压延玻璃", "超白浮法玻璃", "光伏组件", "电子级多晶硅"),
    "device": ("智能终端", "平板电脑", "液晶显示模组", "服务器", "笔记本电脑", "智能穿戴设备", "光通信模块"),
    "elec": ("电子信息产品", "新型显示器件", "集成电路封装测试", "电子元器件", "智能家电"),
    "metal": ("不锈钢冷轧板", "精密铜板带", "铝合金型材", "镍铁合金", "高端不锈钢棒线材"),
    "food": ("海产品", "饲料", "木薯淀粉", "果蔬", "食用植物油"),
    "food2": ("南珠", "对虾", "生蚝", "罗非鱼", "沙蟹汁", "海鸭蛋", "香蕉", "火龙果"),
    "wood": ("中高密度纤维板", "刨花板", "胶合板", "定向结构板"),
    "equip": ("海洋工程装备", "船舶修造", "港口机械", "新能源汽车零部件", "电力装备", "游艇"),
    "marine": ("海洋生物医药产业化", "海藻生物制品", "海洋功能食品"),
    "tech": ("生产线智能化", "节能降耗", "数字化车间", "清洁生产"),
    "railplace": ("铁山港东港区", "铁山港西港区", "石步岭港区", "铁山港临海工业区", "龙港新区", "福成产业园",
              "合浦工业园区", "啄罗作业区"),
    "thing_rail": ("站房改造及配套", "综合交通枢纽", "站前广场提升"),
    "gway": ("G325线", "G228线", "S312线", "S315线"),
    "zone": ("东", "西"),
    "b1": ("1", "3", "5", "7", "9", "11", "13", "15"),
    "b2": ("2", "4", "6", "8", "10", "12", "14", "16"),
    "wharf": ("西角", "南湾", "北港", "石螺口"),
    "airport_part": ("航站楼改扩建", "站坪扩建", "货运区", "飞行区道面改造", "空管设施提升", "消防救援站",
                     "能源中心改造", "综合交通中心"),
    "mw": ("20", "30", "50", "100", "150", "200"),
    "road": ("北部湾中路延长线", "广东路东延", "湖南路北段", "西藏路南延", "金海岸大道", "银滩大道提升",
             "北海大道东延", "四川南路", "新世纪大道", "重庆路", "上海路北延", "海南路", "站前路"),
    "utility": ("供水管网", "燃气管网", "雨污分流", "排水防涝", "老旧管网"),
    "estate": ("海景", "银湾", "金沙", "蓝湾", "云海", "珠城", "椰林", "海岸"),
    "smart": ("智慧社区", "智慧停车", "智慧水务", "智慧园区", "智慧校园"),
    "crop": ("火龙果", "香蕉", "荔枝", "龙眼", "红薯", "百香果", "茉莉花", "中药材"),
    "aqua": ("对虾", "南珠贝", "大蚝", "罗非鱼", "石斑鱼", "方格星虫"),
    "animal": ("生猪", "肉鸡", "肉牛", "海鸭"),
    "logistic": ("冷链", "保税", "港口", "电商", "城乡配送"),
    "hotel": ("滨海", "银滩", "星级", "度假"),
    "garbage": ("焚烧发电", "分类转运", "无害化处理"),
    "num": ("三", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十七", "十八", "十九", "二十",
            "二十二", "二十五"),
    "ward": ("住院综合楼", "急诊急救中心", "感染性疾病科", "门诊医技楼", "康复中心"),
}
# Words that belong to a place: areas and sights of each county.
LOCAL_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "area": {"haicheng": ("老城", "外沙", "高德", "西街", "冠岭", "地角", "驿马", "廉州湾"),
             "yinhai": ("银滩", "福成", "侨港", "平阳", "冯家江", "金海湾"),
             "tieshangang": ("龙港", "南康", "兴港", "营盘"),
             "hepu": ("廉东", "星岛湖", "党江", "西场", "白沙", "廉州")},
    "scenic": {"haicheng": ("冠头岭", "北海老城", "斜阳岛", "涠洲岛火山口", "地角渔港"),
               "yinhai": ("金海湾红树林", "侨港风情街", "北海银滩", "冯家江湿地"),
               "tieshangang": ("营盘南珠", "铁山港海滨", "南康古镇"),
               "hepu": ("南流江湿地", "合浦汉墓群", "东坡亭", "大士阁", "星岛湖七星岛")},
    "coast": {"haicheng": ("冠头岭", "地角"), "yinhai": ("银滩", "金海湾", "侨港"),
              "tieshangang": ("营盘", "铁山港东岸"), "hepu": ("沙田", "西场", "党江")},
    "river": {"haicheng": ("冯家江",), "yinhai": ("冯家江", "七星江"), "tieshangang": ("南康江",),
              "hepu": ("南流江", "武利江", "西门江", "廉州江", "大风江", "白沙河")},
    "reservoir": {"haicheng": ("涠洲",), "yinhai": ("福成", "平阳"), "tieshangang": ("南康", "营盘"),
                  "hepu": ("洪潮江", "牛尾岭", "清水江", "旺盛江", "石湾", "公馆", "闸口", "常乐", "曲樟", "山口")},
    "seawall": {"haicheng": ("地角", "外沙"), "yinhai": ("侨港", "银滩"), "tieshangang": ("营盘", "铁山港"),
                "hepu": ("南流江口", "大风江", "党江", "西场", "沙田")},
}
RURAL_DOMAINS = ("agriculture", "water")
RURAL_TOWNS = {"haicheng": ["涠洲镇"]}
DOMAIN_COUNTY_WEIGHTS = {
    "agriculture": {"haicheng": 0.03, "yinhai": 0.22, "tieshangang": 0.17, "hepu": 0.58},
    "water": {"haicheng": 0.05, "yinhai": 0.22, "tieshangang": 0.18, "hepu": 0.55},
}
TRADES: dict[str, tuple[str, ...]] = {
    "industry:chem": ("化工", "新材料", "石化"),
    "industry:paper": ("纸业", "浆纸"),
    "industry:glass": ("光电", "硅业", "玻璃"),
    "industry:electronics": ("电子科技", "智能科技", "光电科技"),
    "industry:metal": ("金属制品", "不锈钢", "铜业"),
    "industry:food": ("食品", "农产品加工"),
    "industry:wood": ("木业", "林业", "板业"),
    "industry:equipment": ("装备制造", "重工", "机械"),
    "industry:marine": ("海洋生物", "海洋科技"),
    "industry:misc": ("实业", "科技"),
    "construction": ("城建投资", "建设发展", "城市开发", "建设投资"),
    "transport": ("交通投资", "港口", "航运", "港务"),
    "aviation": ("航空服务",),
    "energy": ("新能源", "能源", "电力", "光伏"),
    "energy:gas": ("燃气",),
    "environment": ("环保科技", "水务", "环境工程", "再生资源"),
    "digital": ("信息技术", "数字科技", "通信", "网络科技"),
    "agriculture": ("农业发展", "生态农业"),
    "agriculture:crops": ("农业发展", "生态农业", "果业"),
    "agriculture:aqua": ("水产", "海洋渔业"),
    "agriculture:livestock": ("农牧", "畜牧"),
    "agriculture:coldchain": ("冷链物流", "农产品物流"),
    "services:logistics": ("物流", "国际贸易", "商贸物流"),
    "services:commerce": ("商贸", "投资", "实业", "商业管理"),
    "services:tech": ("数字科技", "科技服务", "信息服务"),
    "services:hotel": ("酒店管理", "旅游发展"),
    "real-estate": ("置业", "房地产开发"),
    "education": ("教育投资", "教育科技"),
    "health": ("医疗", "健康产业", "医院管理"),
    "sports": ("体育发展", "体育文化"),
    "tourism": ("旅游开发", "文旅", "度假区开发"),
    "care": ("养老服务", "健康养老"),
}
BRANDS = ("恒达", "鑫源", "海润", "泰丰", "中恒", "华港", "盛邦", "金湾", "银湾", "蓝海", "广润", "宏图", "嘉禾",
          "瑞丰", "永泰", "德盛", "汇通", "天成", "海丰", "东昇", "诚信", "合盛", "南珠", "北港", "华晟", "富源",
          "新桂", "桂海", "洋浦", "振华", "顺达", "晨光", "信达", "华美", "祥和", "利民", "兴隆", "昌盛", "佳和",
          "远航", "明珠", "海星", "红树", "椰城", "金沙", "碧海", "丰泽", "宏远", "聚力", "星海", "亿鑫", "天润")
PREFIXES = ("北海", "北海", "北海", "广西北海", "广西", "北部湾")

# Generated projects per leaf domain (weights), their size (median 万元, spread) and life (months).
COUNT_WEIGHTS = {
    "industry": 380, "railway": 20, "highway": 90, "waterway": 40, "aviation": 6, "energy": 90, "water": 95,
    "urbanization": 400, "new-infra": 70, "agriculture": 280, "services": 190, "ecology": 90, "education": 95,
    "health": 55, "fitness": 30, "tourism": 60, "civil-affairs": 36,
}
SIZES = {
    "industry": (28_000, 1.0), "railway": (100_000, 0.6), "highway": (12_000, 0.8), "waterway": (65_000, 0.8),
    "aviation": (19_000, 0.5), "energy": (13_000, 0.9), "water": (8_000, 0.8), "urbanization": (100_000, 0.7),
    "new-infra": (7_000, 0.8), "agriculture": (35_000, 0.8), "services": (32_000, 0.9),
    "ecology": (10_000, 0.8), "education": (11_000, 0.7), "health": (28_000, 0.8), "fitness": (40_000, 0.7),
    "tourism": (23_000, 0.8), "civil-affairs": (5_300, 0.6),
}
LIVES = {
    "industry": (12, 30), "railway": (30, 54), "highway": (18, 36), "waterway": (24, 42),
    "aviation": (12, 30), "energy": (12, 36), "water": (10, 24), "urbanization": (18, 42),
    "new-infra": (8, 20), "agriculture": (8, 24), "services": (18, 42), "ecology": (10, 30),
    "education": (12, 30), "health": (15, 36), "fitness": (10, 24), "tourism": (10, 30), "civil-affairs": (8, 20),
}
# Stage mix of generated projects (at the end of 2023).
STAGE_WEIGHTS = {"reserve": 0.05, "preliminary": 0.06, "cancelled": 0.015, "completed": 0.245,
                 "new_start": 0.19, "continuing": 0.44}
PRODUCTIVE = {"industry", "energy", "services", "agriculture"}
RETURN_REASONS = (
    "与佐证材料不符,请核实", "本月完成投资与形象进度不匹配,请补充说明", "设备购置款未附发票等佐证材料",
    "累计完成投资与上月数据衔接有误,请核实", "将土地购置费计入完成投资,请剔除后重报", "未上传工程进度款支付凭证",
)
ADJUST_DOWN = (
    "统计局核查后调减重复计入的设备购置款", "审计发现土地出让金不应计入完成投资,予以调减", "核减未实际支付的预付工程款",
    "剔除已在上月计入的材料款", "核查发现误将下月计量款计入本月,予以调减", "核减未签证确认的工程变更费用",
)
ADJUST_UP = ("补报漏统的安装工程款", "补报当月已支付但漏报的设备款", "补录分包单位已完成的工程量")
PROBLEMS = ("征地拆迁进度滞后", "资金到位不及时", "用林用海手续待批", "受雨季影响施工进度放缓", "施工许可办理中",
            "原材料价格上涨,施工单位进场人员不足", "管线迁改协调难度大")


# ---------------------------------------------------------------------------------------------------
# The portfolio in memory
# ---------------------------------------------------------------------------------------------------
@dataclass(eq=False)
class ProjectDraft:
    name: str
    domain: str
    county: str
    park: str | None
    owner: str  # unit key
    lead: str | None
    total: float  # 万元
    stage: str
    start: int | None  # month index: actual start (started projects) or planned start
    end: int | None  # actual completion (finished) or planned completion
    gov: bool
    industry: str
    named: bool = False
    real_estate: bool = False
    delay: int = 0  # months between planned and actual start
    collections: list[str] = field(default_factory=list)
    code: str | None = None
    amounts: dict[int, float] = field(default_factory=dict)  # report month → 万元 (Feb holds Jan too)
    open_status: str = "accepted"  # what the open month (2023-12) ends as; "missing" = no report
    missing: tuple[str, ...] = ()  # clarities left out (funding, farmland, progress, investment, approvals)
    prelim_years: tuple[int, ...] = ()
    farmland_mu: int = 0
    fiscal: float = 0.0
    town: str = ""
    major_years: list[int] = field(default_factory=list)

    @property
    def started(self) -> bool:
        return self.stage in ("new_start", "continuing", "completed", "in_operation")

    def counted(self, year: int | None = None) -> float:
        """What the ledger counts: accepted reports (the open month only when accepted)."""
        return sum(amount for month, amount in self.amounts.items()
                   if (year is None or month // 12 == year)
                   and (month != LAST_REPORT or self.open_status == "accepted"))


@dataclass(eq=False)
class OwnerDraft:
    key: str
    name: str
    sector: str

    @property
    def short(self) -> str:
        return self.name.removesuffix("股份有限公司").removesuffix("有限公司")


@dataclass
class PortfolioDraft:
    projects: list[ProjectDraft]
    owners: list[OwnerDraft]


class _Words(dict):
    """Fills a name pattern, drawing each placeholder from the word lists once."""

    def __init__(self, rng: random.Random, county_key: str, towns: list[str], **given: str) -> None:
        super().__init__(**given)
        self.rng, self.county_key, self.towns = rng, county_key, towns

    def __missing__(self, key: str) -> str:
        if key == "town":
            value = self.rng.choice(self.towns)
        elif key in LOCAL_WORDS:
            value = self.rng.choice(LOCAL_WORDS[key][self.county_key])
        elif key == "place2":
            others = [t for t in self.towns if t != self["town"]] or self.towns
            value = _short_town(self.rng.choice(others))
        elif key == "place":
            value = _short_town(self["town"])
        else:
            value = self.rng.choice(WORDS[key])
        self[key] = value
        return value


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _allocate(total: int, weights: dict[str, float], minimum: int = 1) -> dict[str, int]:
    """Split `total` by weights (largest remainder), each at least `minimum` when there is enough."""
    if total <= 0:
        return dict.fromkeys(weights, 0)
    floor = minimum if total >= minimum * len(weights) else 0
    rest = total - floor * len(weights)
    whole = sum(weights.values())
    exact = {k: rest * w / whole for k, w in weights.items()}
    counts = {k: floor + int(v) for k, v in exact.items()}
    short = total - sum(counts.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - int(exact[k])), k))[:short]:
        counts[key] += 1
    return counts


class _Planner:
    def __init__(self, size: int, seed: int) -> None:
        self.size, self.rng = size, random.Random(seed)
        self.projects: list[ProjectDraft] = []
        self.owners: list[OwnerDraft] = []
        self.owner_names: dict[str, OwnerDraft] = {}
        self.by_sector: dict[str, list[OwnerDraft]] = {}
        self.names: set[str] = set()
        self.weights = _calendar_weights()

    # -- owners ---------------------------------------------------------------------------------
    def _new_owner(self, sector: str, name: str | None = None) -> OwnerDraft:
        rng = self.rng
        if name is not None and name in self.owner_names:
            return self.owner_names[name]  # a named firm with several projects
        pooled = name is None  # the firms the plan names build only their own projects
        while name is None or name in self.owner_names:
            suffix = "股份有限公司" if rng.random() < 0.1 else "有限公司"
            name = f"{rng.choice(PREFIXES)}{rng.choice(BRANDS)}{rng.choice(TRADES[sector])}{suffix}"
        owner = OwnerDraft(f"{OWNER_KEY_PREFIX}{len(self.owners) + 1:04d}", name, sector)
        self.owners.append(owner)
        self.owner_names[name] = owner
        if pooled:
            self.by_sector.setdefault(sector, []).append(owner)
        return owner

    def _owner_for(self, sector: str) -> OwnerDraft:
        if sector == "industry:*":  # technical renovation: any manufacturer
            pool = [o for key, owners in self.by_sector.items() if key.startswith("industry:")
                    for o in owners]
            sector = "industry:misc"
        else:
            pool = self.by_sector.get(sector, [])
        if pool and self.rng.random() < 0.55:
            # Reuse, favouring the first firms of the sector (a few firms build many projects).
            return pool[int(len(pool) * self.rng.random() ** 2)]
        return self._new_owner(sector)

    def _unique(self, name: str) -> str:
        base, phase = name, 2
        while name in self.names:
            stem = base.removesuffix("项目").removesuffix("工程")
            tail = base[len(stem):]
            name = f"{stem}({'二三四五六七八九'[min(phase - 2, 7)]}期){tail}"
            if phase > 9:
                name = f"{stem}({phase}){tail}"
            phase += 1
        self.names.add(name)
        return name

    # -- projects -------------------------------------------------------------------------------
    def named(self) -> None:
        for seed in SEEDS:
            if seed.owner.startswith("@"):
                owner = seed.owner[1:]
            else:
                owner = self._new_owner(seed.domain, seed.owner).key
            start, end = _parse(seed.start), _parse(seed.end)
            lead = LEAD_UNITS[seed.domain]
            if seed.domain == "water" and seed.owner == "@hepu":
                lead = "hepu"  # county-level water works are run by the county
            draft = ProjectDraft(
                name=seed.name, domain=seed.domain, county=seed.county, park=seed.park, owner=owner,
                lead=lead, total=float(seed.total), stage=seed.stage, start=start, end=end, gov=seed.gov,
                industry=seed.industry or INDUSTRY_CODES[seed.domain][0], named=True,
                collections=list(seed.collections), town=self.rng.choice(TOWNS[seed.county]),
            )
            self.names.add(seed.name)
            self.projects.append(draft)

    def generated(self, count: int) -> None:
        counts = _allocate(count, COUNT_WEIGHTS)
        real_estate = _allocate(round(self.size * 0.03),
                                {"urbanization": 0.7, "services": 0.2, "tourism": 0.1}, minimum=0)
        for domain in LEAF_DOMAINS:
            n = counts[domain]
            n_re = min(real_estate.get(domain, 0), n)
            for i in range(n):
                self.projects.append(self._one(domain, re=i < n_re))

    def _one(self, domain: str, *, re: bool) -> ProjectDraft:
        for attempt in range(6):  # a name already taken is drawn again a few times before it gets a phase
            draft = self._draw(domain, re=re, last=attempt == 5)
            if draft is not None:
                return draft
        raise AssertionError("unreachable")

    def _draw(self, domain: str, *, re: bool, last: bool) -> ProjectDraft | None:
        rng = self.rng
        templates = [t for t in TEMPLATES[domain] if t.real_estate == re] or list(TEMPLATES[domain])
        template = rng.choices(templates, weights=[t.weight or 1.0 for t in templates])[0]
        park = rng.choice(template.parks) if template.parks and rng.random() < template.park else None
        if park is None and domain == "tourism" and rng.random() < 0.15:
            park = "weizhou"
        county = PARK_COUNTY[park] if park else _pick(rng, DOMAIN_COUNTY_WEIGHTS.get(domain, COUNTY_WEIGHTS))
        if domain in ("railway", "waterway") and not park:
            county = rng.choice(["tieshangang", "tieshangang", "haicheng", "hepu"])
        gov = "{co}" not in template.pattern and rng.random() < template.gov
        city_level = gov and rng.random() < 0.3
        lead = template.lead or LEAD_UNITS[domain]
        if gov:
            owner = park if park else (CITY_OWNERS[domain] if city_level else county)
            if domain == "water" and not city_level:
                lead = county  # county-level water works are run by the county (measure water-city)
            words = _Words(rng, county, self._towns(domain, county),
                           county="北海市" if city_level else COUNTY_NAMES[county])
        else:
            owner_draft = self._owner_for(template.sector)
            owner = owner_draft.key
            words = _Words(rng, county, self._towns(domain, county), county=COUNTY_NAMES[county],
                           co=owner_draft.short)
        if domain == "aviation":
            owner = "airport"
        if park:
            words["park"] = PARK_NAMES[park]
        median, spread = SIZES[domain]
        median *= template.scale
        total = min(max(rng.lognormvariate(math.log(median), spread), median / 10), median * 10)
        draft = ProjectDraft(
            name="", domain=domain, county=county, park=park, owner=owner, lead=lead, total=total,
            stage=_pick(rng, STAGE_WEIGHTS), start=None, end=None, gov=gov,
            industry=rng.choice(template.codes or tuple(INDUSTRY_CODES[domain])), real_estate=re,
        )
        self._schedule(draft)
        words["year"] = str(draft.start // 12)  # a yearly programme is named for the year it starts
        name = template.pattern.format_map(words)
        if name in self.names and not last:
            return None
        draft.name = self._unique(name)
        draft.town = words.get("town") or rng.choice(self._towns(domain, county))
        return draft

    @staticmethod
    def _towns(domain: str, county: str) -> list[str]:
        return RURAL_TOWNS.get(county, TOWNS[county]) if domain in RURAL_DOMAINS else TOWNS[county]

    def dates(self) -> None:
        """Named projects: delays and preparation years (generated ones are scheduled as they are drawn)."""
        rng = self.rng
        for p in self.projects:
            if not p.named:
                continue
            if p.stage in ("continuing", "new_start") and rng.random() < 0.3:
                p.delay = rng.randint(1, 3)
            if p.stage == "preliminary":
                p.prelim_years = (2023,) if p.start >= _mi(2024, 6) else (2022, 2023)
            self._prepared(p)

    def _schedule(self, p: ProjectDraft) -> None:
        """Start and completion months consistent with a generated project's stage."""
        rng = self.rng
        lo, hi = LIVES[p.domain]
        median = SIZES[p.domain][0]
        bigness = min(max(0.5 + math.log(p.total / median) / 3 + rng.uniform(-0.25, 0.25), 0), 1)
        life = round(lo + (hi - lo) * bigness)
        if p.stage == "completed":
            end = rng.randint(_mi(2021, 3), LAST_LOCKED)
            p.start, p.end = end - life + 1, end
            if p.domain in PRODUCTIVE and not p.gov and end <= _mi(2023, 9) and rng.random() < 0.6:
                p.stage = "in_operation"
        elif p.stage == "new_start":
            p.start = rng.randint(_mi(2023, 1), _mi(2023, 11))
            p.end = max(p.start + life - 1, _mi(2024, 1) + rng.randint(0, 6))
        elif p.stage == "continuing":
            p.start = _mi(2019, 1) + int((_mi(2022, 12) - _mi(2019, 1)) * rng.random() ** 0.6)
            p.end = max(p.start + life - 1, _mi(2024, 1) + rng.randint(0, 18))
        elif p.stage == "preliminary":
            p.start = rng.randint(_mi(2024, 1), _mi(2024, 12))
            p.end = p.start + life - 1
            p.prelim_years = (2023,) if rng.random() < 0.6 else (2022, 2023)
        elif p.stage == "reserve":
            p.start = rng.randint(_mi(2024, 3), _mi(2025, 12))
            p.end = p.start + life - 1
        else:  # cancelled: planned, then dropped before it started
            p.start = rng.randint(_mi(2022, 3), _mi(2023, 12))
            p.end = p.start + life - 1
            p.prelim_years = tuple(y for y in YEARS if y < p.start // 12 and rng.random() < 0.7) or (2021,)
        if p.started and rng.random() < 0.3:
            p.delay = rng.randint(1, 4)
        self._prepared(p)

    def _prepared(self, p: ProjectDraft) -> None:
        """Half the projects starting in 2022 or 2023 were in the year before's plan as preliminary work."""
        if p.started and p.start // 12 - 1 in YEARS and self.rng.random() < 0.5:
            p.prelim_years = (p.start // 12 - 1,)

    def spending(self) -> None:
        """Each started project's monthly figures: an S-curve over its life shaped by the seasonal weights."""
        rng, weights = self.rng, self.weights
        for p in self.projects:
            if not p.started:
                continue
            life = p.end - p.start + 1
            finished = p.stage in ("completed", "in_operation")
            ratio = rng.uniform(0.9, 0.99) if finished else rng.uniform(0.95, 1.0)
            raw = []
            for i in range(life):
                month = p.start + i
                curve = 0.35 + math.sin(math.pi * (i + 0.5) / life)
                raw.append(curve * weights[month % 12] * rng.lognormvariate(0, 0.22))
            scale = p.total * ratio / sum(raw)
            for i, value in enumerate(raw):
                month = p.start + i
                if WINDOW_START <= month <= LAST_REPORT:
                    report = month + 1 if month % 12 == 0 else month
                    p.amounts[report] = p.amounts.get(report, 0.0) + value * scale
            if LAST_REPORT in p.amounts:
                u = rng.random()
                p.open_status = ("missing" if u < 0.03 else "returned" if u < 0.06 else
                                 "submitted" if u < 0.14 else "accepted")
                if p.open_status == "missing":
                    del p.amounts[LAST_REPORT]

    def scale_to_goals(self) -> dict[str, float]:
        """Scale each domain so that its counted 2021–2023 total lands on target × outcome."""
        factors = {}
        for domain, (target, outcome) in DOMAIN_GOALS.items():
            goal = target * outcome * YI
            named = [p for p in self.projects if p.domain == domain and p.named]
            rest = [p for p in self.projects if p.domain == domain and not p.named]
            named_sum = sum(p.counted() for p in named)
            if named_sum > NAMED_SHARE_CAP * goal and rest:
                cut = NAMED_SHARE_CAP * goal / named_sum
                for p in named:
                    p.amounts = {m: a * cut for m, a in p.amounts.items()}
                named_sum *= cut
            rest_sum = sum(p.counted() for p in rest)
            factor = (goal - named_sum) / rest_sum if rest_sum else 1.0
            factors[domain] = factor
            for p in rest:
                p.total *= factor
                p.amounts = {m: a * factor for m, a in p.amounts.items()}
        return factors

    def round_money(self) -> None:
        """Totals up to whole 10 万元 (generated); figures down to 0.01 万元, so no project passes its total."""
        for p in self.projects:
            if not p.named:
                step = 10 if p.total >= 1000 else 1
                p.total = float(math.ceil(p.total / step) * step)
            p.amounts = {m: math.floor(a * 100) / 100 for m, a in p.amounts.items()}

    def codes(self) -> None:
        rng, used = self.rng, set()
        no_code = [p for p in self.projects if p.stage == "reserve" and not p.named]
        rng.shuffle(no_code)
        skip = {id(p) for p in no_code[:round(self.size * 0.03)]}
        for p in self.projects:
            if id(p) in skip:
                continue
            year = min(max(p.start // 12 - rng.choice((0, 0, 1)), 2017), 2023)  # issued by the end of 2023
            kind = "01" if p.gov else ("02" if p.domain in ("energy", "railway", "waterway") else "03")
            while True:
                serial = f"{rng.randrange(100000):05d}"
                check = sum((i + 2) * int(c) for i, c in enumerate(serial)) % 10
                code = f"{year}-{COUNTY_CODES[p.county]}-{p.industry}-{kind}-{serial}{check}"
                if code not in used:
                    break
            used.add(code)
            p.code = code

    def clarities(self) -> None:
        """Most projects have the five clarities; a realistic minority leaves one or two out."""
        rng = self.rng
        for p in self.projects:
            if p.real_estate or p.stage == "cancelled":
                continue
            p.farmland_mu = (rng.choice((0, 0, 0, 30, 50, 80, 120, 200, 350, 600))
                             if p.domain in ("industry", "railway", "highway", "urbanization", "energy",
                                             "agriculture", "services", "aviation", "waterway") else 0)
            if rng.random() < 0.2:
                kinds = ["funding", "approvals", "progress", "investment"]
                if p.farmland_mu:
                    kinds.append("farmland")
                p.missing = tuple(rng.sample(kinds, 2 if rng.random() < 0.3 else 1))

    def fiscal(self) -> None:
        """Government projects' fiscal money: about a third at or above 1000 万元."""
        rng = self.rng
        gov = [p for p in self.projects if p.gov]
        big = [p for p in gov if p.total >= 2500]
        chosen = {id(p) for p in rng.sample(big, min(len(big), round(len(gov) / 3)))}
        for p in gov:
            if id(p) in chosen:
                p.fiscal = round(rng.uniform(1000, max(1000, min(p.total * 0.5, 60_000))), 2)
            else:
                p.fiscal = round(min(rng.uniform(0.05, 0.4) * p.total, rng.uniform(100, 999)), 2)

    def collections(self) -> None:
        rng = self.rng
        active = [p for p in self.projects if p.stage != "cancelled"]
        for p in active:
            if p.domain in WUWANG_DOMAINS:
                p.collections.append("wuwang")
            if p.domain == "industry" and not p.gov and "shuangbai" not in p.collections and (
                    p.total >= 50_000 or (("技术改造" in p.name or p.total >= 20_000) and rng.random() < 0.3)):
                p.collections.append("shuangbai")
            owned = p.owner.startswith(OWNER_KEY_PREFIX)
            if (owned and "sanqi" not in p.collections
                    and p.domain in ("industry", "services", "energy", "tourism") and rng.random() < 0.14):
                p.collections.append("sanqi")
            if p.gov:
                p.collections.append("gov-invest")
        biggest = sorted((p for p in active if p.stage != "reserve"), key=lambda p: (-p.total, p.name))[:45]
        for p in biggest:
            if "region-coordinated" not in p.collections:
                p.collections.append("region-coordinated")

    def major_lists(self) -> None:
        """Each year's major-project list: named and carried-over projects first, then others, to the goal."""
        rng = self.rng
        previous: set[int] = set()
        for year in YEARS:
            goal = MAJOR_TARGETS[year] * MAJOR_OUTCOME[year] * YI
            amount = {id(p): p.counted(year) for p in self.projects}
            eligible = [p for p in self.projects if amount[id(p)] > 0 and (p.named or p.total >= 5_000)]
            named = [p for p in eligible if p.named]
            carried = [p for p in eligible if not p.named and id(p) in previous]
            keyed = [p for p in eligible if not p.named and id(p) not in previous]
            rng.shuffle(keyed)
            chosen, total = [], 0.0
            for p in [*named, *carried, *keyed]:
                if total >= goal * 0.997:
                    break
                if total + amount[id(p)] <= goal * 1.003:
                    chosen.append(p)
                    total += amount[id(p)]
            # Big projects still in preparation are listed too (预备项目), with nothing to count yet.
            chosen += [p for p in self.projects if p.stage == "preliminary" and year in p.prelim_years
                       and p.total >= 100_000]
            for p in chosen:
                p.major_years.append(year)
            previous = {id(p) for p in chosen}


def _renumber(projects: list[ProjectDraft], owners: list[OwnerDraft]) -> list[OwnerDraft]:
    """Keep the owners that own something (a redrawn name can leave one idle), numbered in order."""
    used = {p.owner for p in projects}
    kept = [o for o in owners if o.key in used]
    keys = {o.key: f"{OWNER_KEY_PREFIX}{i:04d}" for i, o in enumerate(kept, start=1)}
    for p in projects:
        p.owner = keys.get(p.owner, p.owner)
    for o in kept:
        o.key = keys[o.key]
    return kept


def plan_portfolio(*, size: int = 2000, seed: int = 2021) -> PortfolioDraft:
    """Decide the whole portfolio in memory; the same size and seed give the same portfolio."""
    planner = _Planner(size, seed)
    planner.named()
    planner.generated(max(0, size - len(SEEDS)))
    planner.dates()
    planner.spending()
    planner.scale_to_goals()
    planner.round_money()
    planner.codes()
    planner.clarities()
    planner.fiscal()
    planner.collections()
    planner.major_lists()
    return PortfolioDraft(planner.projects, _renumber(planner.projects, planner.owners))


# ---------------------------------------------------------------------------------------------------
# Writing it
# ---------------------------------------------------------------------------------------------------
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


def _existing_summary() -> PortfolioSummary:
    from touzi.audit.models import AuditRecord
    from touzi.projects.models import AnnualPlan, FundingLine, KeyApproval, Membership, Project
    from touzi.reports.models import Adjustment, MonthLock, MonthlyReport
    from touzi.units.models import Unit

    demo = {"project__is_demo": True}
    subjects = [f"project:{pk}" for pk in Project.objects.filter(is_demo=True).values_list("pk", flat=True)]
    history = AuditRecord.objects.filter(object_type="reports.monthlyreport", subject__in=subjects,
                                         actor__isnull=True).count()
    return PortfolioSummary(
        created=False,
        projects=Project.objects.filter(is_demo=True).count(),
        owners=Unit.objects.filter(key__startswith=OWNER_KEY_PREFIX).count(),
        reports=MonthlyReport.objects.filter(**demo).count(),
        annual_plans=AnnualPlan.objects.filter(**demo).count(),
        memberships=Membership.objects.filter(**demo).count(),
        funding_lines=FundingLine.objects.filter(**demo).count(),
        approvals=KeyApproval.objects.filter(**demo).count(),
        adjustments=Adjustment.objects.filter(**demo).count(),
        month_locks=MonthLock.objects.count(),
        audit_records=AuditRecord.objects.filter(object_type="core.demo_portfolio").count() + history,
    )


def _money(value: float) -> Decimal:
    return Decimal(round(value * 100)).scaleb(-2)


def _day(rng: random.Random, month: int, first: int, last: int) -> dt.date:
    date = _month(month)
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


def _funding(rng: random.Random, p: ProjectDraft) -> list[tuple[str, float]]:
    total = p.total
    if "funding" in p.missing:
        total *= rng.uniform(0.45, 0.85)  # a funding gap: the sources do not cover the total
    if p.gov:
        parts = [("fiscal", min(p.fiscal, total))]
        rest = total - parts[0][1]
        sources = ["special_bonds", "central_budget", "general_bonds", "bank_loans"]
        if rng.random() < 0.08:
            sources.append("social_capital")
        shares = [rng.random() for _ in sources]
        keep = [(s, w) for s, w in zip(sources, shares, strict=True) if w > 0.35] or [(sources[0], 1.0)]
        whole = sum(w for _, w in keep)
        parts += [(s, rest * w / whole) for s, w in keep]
    else:
        own = rng.uniform(0.3, 0.6)
        parts = [("self_raised", total * own)]
        if "sanqi" in p.collections and rng.random() < 0.4:
            foreign = total * rng.uniform(0.1, 0.3)
            parts.append(("foreign", foreign))
            parts.append(("bank_loans", total * (1 - own) - foreign))
        else:
            parts.append(("bank_loans", total * (1 - own)))
    cents = [round(a * 100) for _, a in parts]
    cents[-1] = round(total * 100) - sum(cents[:-1])
    return [(s, c / 100) for (s, _), c in zip(parts, cents, strict=True) if c > 0]


def ensure_demo_portfolio(*, size: int = 2000, seed: int = 2021) -> PortfolioSummary:
    """Create the demo portfolio once; if any demo project exists already, change nothing."""
    from touzi.projects.models import Project

    if Project.objects.filter(is_demo=True).exists():
        return _existing_summary()
    draft = plan_portfolio(size=size, seed=seed)
    with transaction.atomic():
        return _write(draft, random.Random(seed + 1))


def _write(draft: PortfolioDraft, rng: random.Random) -> PortfolioSummary:
    from touzi.audit.choices import Event
    from touzi.audit.services import record, record_many
    from touzi.plans.models import Collection, Domain
    from touzi.projects.models import AnnualPlan, FundingLine, KeyApproval, Membership, Project
    from touzi.reports.choices import Flag, ReportStatus
    from touzi.reports.models import Adjustment, MonthLock, MonthlyReport
    from touzi.units.choices import UnitKind
    from touzi.units.models import Unit

    batch = 1000
    summary = PortfolioSummary(created=True)

    # Units: the enterprise owners (kept if an earlier run left them), then every key the projects use.
    existing = set(Unit.objects.filter(key__startswith=OWNER_KEY_PREFIX).values_list("key", flat=True))
    Unit.objects.bulk_create([Unit(key=o.key, name=o.name, short_name=o.short, kind=UnitKind.ENTERPRISE)
                              for o in draft.owners if o.key not in existing], batch_size=batch)
    summary.owners = len(draft.owners)
    keys = {p.owner for p in draft.projects} | {p.lead for p in draft.projects if p.lead}
    keys |= {p.county for p in draft.projects} | {p.park for p in draft.projects if p.park}
    units = dict(Unit.objects.filter(key__in=sorted(keys)).values_list("key", "id"))
    missing_units = sorted(keys - set(units))
    if missing_units:
        raise LookupError(f"演示项目库需要先载入北海市行动方案(缺少单位:{', '.join(missing_units)})")
    domains = dict(Domain.objects.filter(key__in=LEAF_DOMAINS).values_list("key", "id"))
    collections = dict(Collection.objects.values_list("key", "id"))

    # Projects.
    rows = []
    for p in draft.projects:
        planned_start = _month(p.start - p.delay) if p.start is not None else None
        started = p.started
        finished = p.stage in ("completed", "in_operation")
        farmland_plan = ""
        if p.farmland_mu and "farmland" not in p.missing:
            farmland_plan = rng.choice((
                f"占用耕地约{p.farmland_mu}亩,通过{COUNTY_NAMES[p.county]}{p.town}土地整治项目补充耕地,实现占补平衡",
                f"占用耕地约{p.farmland_mu}亩,购买自治区统筹补充耕地指标落实占补平衡",
                f"占用耕地约{p.farmland_mu}亩,由{COUNTY_NAMES[p.county]}统筹垦造水田指标落实占补平衡",
            ))
        rows.append(Project(
            code=p.code, name=p.name, domain_id=domains[p.domain], county_id=units[p.county],
            park_id=units[p.park] if p.park else None, owner_id=units[p.owner],
            lead_unit_id=units[p.lead] if p.lead else None, total_investment=_money(p.total),
            planned_start=planned_start, planned_completion=_month(p.end) if p.end is not None else None,
            actual_start=_day(rng, p.start, 1, 28) if started else None,
            actual_completion=_day(rng, p.end, 1, 28) if finished else None,
            stage=p.stage, is_government=p.gov, fiscal_contribution=_money(p.fiscal),
            is_real_estate=p.real_estate, industry=p.industry, occupies_farmland=bool(p.farmland_mu),
            farmland_plan=farmland_plan, is_demo=True,
            description=(f"项目位于{COUNTY_NAMES[p.county]}{p.town},总投资约{p.total / YI:.2f}亿元。"
                         if not p.named else f"{p.name}:北海市扩大有效投资三年攻坚行动方案点名推进的重点项目。"),
        ))
    Project.objects.bulk_create(rows, batch_size=batch)
    if any(row.pk is None for row in rows):  # databases that do not return ids from bulk inserts
        ids = dict(Project.objects.filter(is_demo=True).values_list("name", "id"))
        for row in rows:
            row.pk = row.id = ids[row.name]
    pid = {id(p): row.pk for p, row in zip(draft.projects, rows, strict=True)}
    summary.projects = len(rows)

    # Memberships, funding, approvals.
    memberships, funding, approvals = [], [], []
    for p in draft.projects:
        lines = [] if p.stage == "cancelled" else _funding(rng, p)
        if any(source == "social_capital" for source, _amount in lines):
            p.collections.append("ppp")
        for key in dict.fromkeys(p.collections):
            memberships.append(Membership(project_id=pid[id(p)], collection_id=collections[key]))
        for year in p.major_years:
            memberships.append(Membership(project_id=pid[id(p)], collection_id=collections["major-list"],
                                          year=year))
        if p.stage == "cancelled":
            continue
        for source, amount in lines:
            funding.append(FundingLine(project_id=pid[id(p)], source=source, amount=_money(amount)))
        if "approvals" in p.missing and rng.random() < 0.3:
            continue  # no approval plan at all
        items = [("project", 10), ("land", 7), ("environment", 5), ("planning", 3), ("construction", 1)]
        if p.domain in ("industry", "energy"):
            items.insert(3, ("energy", 5))
        open_item = rng.randrange(len(items)) if "approvals" in p.missing else -1
        plan_start = p.start - p.delay
        for index, (item, lead_months) in enumerate(items):
            due = _day(rng, plan_start - lead_months + rng.randint(-1, 1), 1, 28)
            if index == open_item:
                approvals.append(KeyApproval(project_id=pid[id(p)], item=item))
                continue
            done = None
            if p.started:
                late = rng.random() >= 0.88  # some approvals took longer than their time limit
                done = due + dt.timedelta(days=rng.randint(11, 60) if late else rng.randint(-40, 10))
                done = min(done, _day(rng, p.start, 1, 1))
            elif due < dt.date(2023, 12, 1) and rng.random() < 0.8:
                done = due - dt.timedelta(days=rng.randint(0, 30))
            approvals.append(KeyApproval(project_id=pid[id(p)], item=item, deadline=due, done_on=done))
    Membership.objects.bulk_create(memberships, batch_size=batch)
    FundingLine.objects.bulk_create(funding, batch_size=batch)
    KeyApproval.objects.bulk_create(approvals, batch_size=batch)
    summary.memberships, summary.funding_lines = len(memberships), len(funding)
    summary.approvals = len(approvals)

    # Annual plans.
    plans = []
    for p in draft.projects:
        for year in YEARS:
            first, last = _mi(year, 1), _mi(year, 12)
            if p.started and p.start <= last and p.end >= first:
                category = "new_start" if p.start >= first else "continuing"
            elif year in p.prelim_years:
                category = "preliminary"
            else:
                continue
            if category == "preliminary":
                planned = Decimal(0)
                target = f"完成可行性研究、用地预审、环评等前期工作,力争{year + 1}年开工"
            else:
                done = sum(a for m, a in p.amounts.items() if m // 12 == year)
                planned = _money(min(p.total, round(done * rng.uniform(0.9, 1.3) / 10) * 10))
                if p.end <= last:
                    target = f"{year}年{p.end % 12 + 1}月建成" + ("投产" if p.domain in PRODUCTIVE else "并投入使用")
                elif category == "new_start":
                    phase = _phase((last - p.start) / (p.end - p.start + 1), p.domain)
                    target = f"{year}年{p.start % 12 + 1}月开工建设,年底前{phase}"
                else:
                    target = _phase((last - p.start + 1) / (p.end - p.start + 1), p.domain)
            plans.append(AnnualPlan(
                project_id=pid[id(p)], year=year, category=category,
                planned_investment=None if "investment" in p.missing else planned,
                progress_target="" if "progress" in p.missing else target,
                planned_start=(_month(p.start - p.delay) if category != "continuing" and p.start // 12 >= year
                               else None),
                planned_completion=_month(p.end) if p.end is not None and p.end // 12 == year else None,
            ))
    AnnualPlan.objects.bulk_create(plans, batch_size=batch)
    summary.annual_plans = len(plans)

    # Monthly reports.
    # histories: (report, original amount, reason, first submitted, returned, resubmitted)
    reports, histories = [], []
    for p in draft.projects:
        life = p.end - p.start + 1 if p.started else 1
        for month in sorted(p.amounts):
            amount = p.amounts[month]
            status = ReportStatus.ACCEPTED if month < LAST_REPORT else ReportStatus(p.open_status)
            late = rng.random() < 0.05
            submitted = _moment(rng, _day(rng, month + 1, 11, 25) if late else _day(rng, month + 1, 1, 10))
            reviewed = submitted + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6))
            corrected = month < LAST_REPORT and rng.random() < 0.02
            report = MonthlyReport(
                project_id=pid[id(p)], month=_month(month), amount=_money(amount), status=status,
                progress=_phase((month - p.start + 1) / life, p.domain),
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
    summary.reports = len(reports)
    names = {pid[id(p)]: p.name for p in draft.projects}

    # Returns and corrections, as the audit trail of the reports.
    audit = []
    for report, original, reason, first, returned, resubmitted in histories:
        base = {"event": Event.UPDATE, "object_type": "reports.monthlyreport", "object_id": audit_id(report.project_id, report.month),
                "object_repr": f"{names[report.project_id]} {report.month:%Y-%m}",
                "subject": f"project:{report.project_id}"}
        if original is None:  # returned in the open month, awaiting the owner's correction
            audit.append({**base, "before": {"status": "submitted"}, "after": {"status": "returned"},
                          "message": f"{reason}(退回于 {returned:%Y-%m-%d})"})
            continue
        audit += [
            {**base, "before": {"status": "submitted", "amount": _money(original)},
             "after": {"status": "returned"},
             "message": f"{reason}(报送于 {first:%Y-%m-%d},退回于 {returned:%Y-%m-%d})"},
            {**base, "before": {"status": "returned", "amount": _money(original)},
             "after": {"status": "submitted", "amount": report.amount},
             "message": f"更正后重新报送({resubmitted:%Y-%m-%d})"},
            {**base, "before": {"status": "submitted"}, "after": {"status": "accepted"},
             "message": f"审核通过({report.reviewed_at:%Y-%m-%d})"},
        ]

    # Adjustments to locked months.
    locked = [r for r in reports if r.month <= _month(LAST_LOCKED) and r.amount >= 200]
    reported = {}
    for r in reports:
        reported[r.project_id] = reported.get(r.project_id, Decimal(0)) + r.amount
    totals = {pid[id(p)]: _money(p.total) for p in draft.projects}
    adjustments = []
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
    summary.adjustments = len(adjustments)
    if any(reported[k] > totals[k] for k in reported):
        raise AssertionError("演示数据的累计完成投资超过总投资")  # a bug in the generator, never in use

    # Month locks: every reporting month up to the last closed one.
    months = [_month(m) for m in REPORT_MONTHS if m <= LAST_LOCKED]
    MonthLock.objects.bulk_create([MonthLock(month=m) for m in months], ignore_conflicts=True)
    summary.month_locks = MonthLock.objects.filter(month__in=months).count()

    record_many(audit, actor=System("demo"))
    summary.audit_records = len(audit) + 1
    record(Event.CREATE, actor=System("demo"), object_type="core.demo_portfolio", object_repr="演示项目库",
           after=summary.counts(), message="生成演示数据")
    return summary


def portfolio_totals() -> dict[str, Any]:
    """The counted totals of Beihai's demo (亿元): the major list per year and each leaf domain's 2021–2023 sum
    (the example province's 钦州 projects are not Beihai's)."""
    from django.db.models import Sum

    from touzi.reports.choices import COUNTED
    from touzi.reports.models import Adjustment, MonthlyReport

    beihai = {"project__is_demo": True, "project__county__division_code__startswith": "4505"}
    reports = MonthlyReport.objects.filter(status__in=COUNTED, **beihai)
    adjustments = Adjustment.objects.filter(**beihai)
    result: dict[str, Any] = {"major": {}, "domains": {}}
    for year in YEARS:
        listed = {"project__memberships__collection__key": "major-list", "project__memberships__year": year,
                  "month__year": year}
        amount = (reports.filter(**listed).aggregate(s=Sum("amount"))["s"] or 0) + (
            adjustments.filter(**listed).aggregate(s=Sum("delta"))["s"] or 0)
        result["major"][year] = float(amount) / YI
    by_domain = dict(reports.values_list("project__domain__key").annotate(s=Sum("amount")).order_by())
    for key, value in adjustments.values_list("project__domain__key").annotate(s=Sum("delta")).order_by():
        by_domain[key] = by_domain.get(key, 0) + value
    result["domains"] = {key: float(by_domain.get(key, 0)) / YI for key in LEAF_DOMAINS}
    return result
