"""The project sets a figure is computed over, named wherever a figure is shown.

A plan office reports on three sets, and a table that mixes them sends numbers that cannot agree:

- **the year's list** (年度重大项目清单, the plan's own name for it): the projects on the collection the plan's
  headline target is measured on, *as listed in each year* — a project on the 2022 list but not on the 2023
  one counts in 2022's figures only;
- **every project in the library** (全部在库项目);
- **the list's projects at or above the briefing threshold** (e.g. 总投资10亿元以上): a subset of the list.

Every figure of a set over a year uses `members(year)`: this year's figures the year's list, the same
months of last year (上年同期) last year's list — the figures as they were published then. A plan without a
list-based headline target has no list: its "list" is the whole library.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from touzi.core.actor import Actor
from touzi.lib.regions import prefix
from touzi.plans.choices import Area, MeasureSource, PeriodKind
from touzi.plans.models import Plan, Target
from touzi.projects.models import Membership, Project
from touzi.projects.selectors import visible_projects
from touzi.units.models import Unit

YI = Decimal(10000)


@dataclass(frozen=True)
class ProjectSet:
    key: str  # "list", "all" or "big"
    name: str  # as a reader sees it: 市重大项目年度计划清单 / 全部在库项目 / 总投资10亿元以上项目
    collection_id: int | None = None
    floor: Decimal | None = None  # 万元 of total investment, inclusive

    def members(self, year: int) -> Q:
        """The projects of the set in `year` (a filter on Project)."""
        q = Q()
        if self.collection_id is not None:
            listed = Membership.objects.filter(collection_id=self.collection_id).filter(
                Q(year__isnull=True) | Q(year=year)).values("project_id")
            q &= Q(id__in=listed)
        if self.floor is not None:
            q &= Q(total_investment__gte=self.floor)
        return q

    def members_in(self, first: int, last: int) -> Q:
        """Projects of the set in any year from `first` to `last` (the candidates of a multi-year figure)."""
        if first == last:
            return self.members(first)
        q = Q()
        if self.collection_id is not None:
            listed = Membership.objects.filter(collection_id=self.collection_id).filter(
                Q(year__isnull=True) | Q(year__range=(first, last))).values("project_id")
            q &= Q(id__in=listed)
        if self.floor is not None:
            q &= Q(total_investment__gte=self.floor)
        return q

    @property
    def is_yearly(self) -> bool:
        return self.collection_id is not None


def plan_projects(user: Actor, plan: Plan) -> QuerySet[Project]:
    """The projects of the plan's region that the user may see: every figure of a plan is over these."""
    return visible_projects(user).filter(region_projects(plan.region_code))


def region_projects(code: str) -> Q:
    """projects_in(code) as the region's county ids (one small query first): the same projects, but PostgreSQL
    estimates `county_id IN (…)` from the projects' own statistics, where through a join to the units it took a
    region holding every project for 5 % of them (the units' share) and chose a million index probes."""
    return Q(county_id__in=sorted(counties_under(prefix(code)).values_list("pk", flat=True)))


def counties_under(digits: str) -> QuerySet[Unit]:
    """The units whose GB/T 2260 code starts with `digits` (a region's prefix): the counties of the region."""
    return Unit.objects.filter(division_code__startswith=digits)


def headline_target(plan: Plan, year: int) -> Target | None:
    """The plan's overall annual ledger target for `year` (e.g. 2023年全市重大项目完成投资 790 亿元)."""
    candidates = plan.targets.filter(area=Area.OVERALL, measure_source=MeasureSource.LEDGER,
                                     period_kind__in=(PeriodKind.YEAR, PeriodKind.EACH),
                                     period_start__lte=year, period_end__gte=year,
                                     unit_of_measure__in=("亿元", "万元", "元")).order_by("order", "pk")
    return candidates.first()


def all_projects() -> ProjectSet:
    return ProjectSet("all", _("全部在库项目"))


def year_list(plan: Plan, year: int) -> ProjectSet:
    """The list the headline target is measured on, or the whole library when there is none."""
    target = headline_target(plan, year)
    if target is None or target.measure_collection is None:
        return all_projects()
    return ProjectSet("list", target.measure_collection.label, collection_id=target.measure_collection_id)


def threshold_wan(plan: Plan) -> Decimal:
    """The plan's briefing threshold (10 亿元 in Beihai) in 万元."""
    target = plan.targets.filter(key=settings.BRIEFING_THRESHOLD_TARGET).first()
    if target is None:
        return Decimal(10) * YI
    factor = {"亿元": YI, "万元": Decimal(1)}.get(target.unit_of_measure, YI)
    return target.value * factor


def big_projects(plan: Plan, year: int) -> ProjectSet:
    """The list's projects at or above the briefing threshold."""
    base = year_list(plan, year)
    floor = threshold_wan(plan)
    amount = (floor / YI).normalize()
    return ProjectSet("big", _("%(list)s中总投资%(amount)s亿元以上项目") % {"list": base.name, "amount": f"{amount:f}"},
                      collection_id=base.collection_id, floor=floor)
