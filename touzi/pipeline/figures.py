"""The pipeline's figures, each computed in the database over what the caller may see.

- concepts proposed and accepted by county and by domain (concepts proposed in the year; accepted: those of
  them screened 入库);
- reserve depth: the total investment of the reserve (projects in 储备 or 前期) in 亿元 against next year's
  investment target of the plan (the overall 完成投资 target of that year), and their ratio;
- time from concept to start: months from a concept's proposal to its project's actual start, on average;
- 统计入库 by county: started projects and how many of them (and how much investment) are 入库;
- 前期经费 by county: allocated and spent in the year against the plan's county target (≥ 2000 万元 a year);
- the summary `touzi pipeline --year` prints: concepts, accepted, reserve_investment (亿元), ready_to_start
  (the reserve and preliminary projects the roll of that year would propose as new starts: planned to start in
  the year and not held back by their milestones).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from touzi.core.scoping import scope
from touzi.pipeline.choices import ConceptStatus, RegisterStatus
from touzi.pipeline.models import Concept, PreliminaryFund
from touzi.pipeline.readiness import not_ready
from touzi.pipeline.rules import rules
from touzi.plans.choices import Area, Comparator, Metric, PeriodKind
from touzi.plans.models import Plan, Target
from touzi.projects.choices import Stage
from touzi.projects.models import Project

WAN_PER_YI = Decimal(10000)
RESERVE = [Stage.RESERVE, Stage.PRELIMINARY]
STARTED = [Stage.NEW_START, Stage.CONTINUING, Stage.COMPLETED, Stage.IN_OPERATION]
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=4))


def yi(wan: Decimal | None) -> Decimal:
    return ((wan or Decimal(0)) / WAN_PER_YI).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def visible_concepts(user: Any) -> QuerySet[Concept]:
    return scope(user, Concept.objects.all())


def visible_projects(user: Any, plan: Plan | None = None) -> QuerySet[Project]:
    qs = scope(user, Project.objects.all())
    if plan is not None:
        from touzi.lib.regions import projects_in

        qs = qs.filter(projects_in(plan.region_code))
    return qs


def concepts_by(user: Any, year: int | None, by: str) -> list[dict[str, Any]]:
    """Concepts proposed (in `year`) and accepted, by county ("county") or domain ("domain")."""
    qs = visible_concepts(user)
    if year:
        qs = qs.filter(proposed_on__year=year)
    key = {"county": "county__short_name", "domain": "domain__name"}[by]
    rows = (qs.values(key).annotate(proposed=Count("id"),
                                    accepted=Count("id", filter=Q(status=ConceptStatus.ACCEPTED)),
                                    investment=Coalesce(Sum("estimated_investment"), ZERO),
                                    accepted_investment=Coalesce(Sum("estimated_investment",
                                                                     filter=Q(status=ConceptStatus.ACCEPTED)), ZERO))
            .order_by(key))
    return [{"name": r[key], "proposed": r["proposed"], "accepted": r["accepted"], "investment": yi(r["investment"]),
             "accepted_investment": yi(r["accepted_investment"])} for r in rows]


def next_year_target(plan: Plan | None, year: int) -> Decimal | None:
    """The plan's overall 完成投资 target for `year` in 亿元 (None when the plan sets none)."""
    if plan is None:
        return None
    target = (Target.objects.filter(plan=plan, area=Area.OVERALL, metric=Metric.INVESTMENT,
                                    period_kind=PeriodKind.YEAR, period_start=year,
                                    comparator__in=[Comparator.GTE, Comparator.GT],
                                    unit_of_measure__in=["亿元", "万元"]).order_by("order").first())
    if target is None:
        return None
    return target.value if target.unit_of_measure == "亿元" else yi(target.value)


def reserve_depth(user: Any, plan: Plan | None, year: int) -> dict[str, Any]:
    """The reserve's total investment (亿元) against the plan's investment target of the next year."""
    reserve = visible_projects(user, plan).filter(stage__in=RESERVE).aggregate(
        n=Count("id"), total=Coalesce(Sum("total_investment"), ZERO))
    total = yi(reserve["total"])
    target = next_year_target(plan, year + 1)
    ratio = (total / target).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if target else None
    return {"projects": reserve["n"], "reserve_investment": total, "next_year": year + 1,
            "next_year_target": target, "ratio": ratio}


def concept_to_start(user: Any) -> dict[str, Any]:
    """Months from proposal to actual start of the concepts whose project has started (average, and how many)."""
    months = ((ExtractYear("project__actual_start") - ExtractYear("proposed_on")) * 12
              + ExtractMonth("project__actual_start") - ExtractMonth("proposed_on"))
    found = (visible_concepts(user).filter(project__actual_start__isnull=False)
             .annotate(months=months).aggregate(n=Count("id"), average=Avg("months", output_field=DecimalField())))
    average = found["average"]
    return {"started": found["n"],
            "average_months": Decimal(average).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if average is not None else None}


def registered_by_county(user: Any, plan: Plan | None = None) -> list[dict[str, Any]]:
    """Started projects by county: how many, how many 入库, and the investment 入库 and not."""
    done = Q(registration__status=RegisterStatus.REGISTERED)
    rows = (visible_projects(user, plan).filter(stage__in=STARTED).values("county__short_name", "county_id")
            .annotate(started=Count("id"), registered=Count("id", filter=done),
                      investment=Coalesce(Sum("total_investment", filter=done), ZERO),
                      missing=Coalesce(Sum("total_investment", filter=~done), ZERO))
            .order_by("county__short_name"))
    return [{"county": r["county__short_name"], "started": r["started"], "registered": r["registered"],
             "registered_investment": yi(r["investment"]), "not_registered_investment": yi(r["missing"])}
            for r in rows]


def funds_by_county(user: Any, year: int, plan: Plan | None = None) -> list[dict[str, Any]]:
    """前期经费 of the year by county against the plan's county target (万元)."""
    rows = (scope(user, PreliminaryFund.objects.filter(year=year)).values("county__short_name", "county_id")
            .annotate(allocated=Coalesce(Sum("allocated"), ZERO), spent=Coalesce(Sum("spent"), ZERO),
                      projects=Count("project", distinct=True))
            .order_by("county__short_name"))
    target = county_fund_target(plan)
    return [{"county": r["county__short_name"], "allocated": r["allocated"], "spent": r["spent"],
             "projects": r["projects"], "target": target,
             "met": None if target is None else r["allocated"] >= target} for r in rows]


def county_fund_target(plan: Plan | None) -> Decimal | None:
    """The plan's yearly 前期经费 target per county in 万元 (the county target measured by an indicator)."""
    if plan is None:
        return None
    target = Target.objects.filter(plan=plan, key=rules().county_fund_target).first()
    if target is None or target.unit_of_measure not in ("万元", "亿元"):
        return None
    return target.value if target.unit_of_measure == "万元" else target.value * WAN_PER_YI


def ready_to_start(user: Any, year: int, plan: Plan | None = None) -> QuerySet[Project]:
    """The reserve and preliminary projects the roll of `year` would propose as new starts."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    planned = Q(planned_start__range=(first, last)) | Q(annual_plans__year=year,
                                                         annual_plans__planned_start__range=(first, last))
    candidates = visible_projects(user, plan).filter(stage__in=RESERVE).filter(planned)
    return Project.objects.filter(pk__in=candidates.values("pk")).exclude(not_ready(year))


def summary(user: Any, year: int, plan: Plan | None = None) -> dict[str, Any]:
    """The four figures of `touzi pipeline --year`."""
    concepts = visible_concepts(user).filter(proposed_on__year=year).aggregate(
        n=Count("id"), accepted=Count("id", filter=Q(status=ConceptStatus.ACCEPTED)))
    reserve = visible_projects(user, plan).filter(stage__in=RESERVE).aggregate(
        total=Coalesce(Sum("total_investment"), ZERO))
    return {"concepts": concepts["n"], "accepted": concepts["accepted"], "reserve_investment": yi(reserve["total"]),
            "ready_to_start": ready_to_start(user, year, plan).count()}


