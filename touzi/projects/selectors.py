"""Read queries for projects, through the scoping function, with every figure computed in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    FilteredRelation,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Combinable

from touzi.core.actor import Actor
from touzi.core.scoping import Action, scope
from touzi.lib.regions import projects_in
from touzi.projects.choices import Clarity
from touzi.projects.ledger import ledger
from touzi.projects.models import Project

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Figures(TypedDict):
    """What `project_list` annotates on each project: its totals for the month and the five clarities."""

    month_amount: Decimal
    ytd: Decimal
    since_start: Decimal
    clear_funding: bool
    clear_farmland: bool
    clear_progress: bool
    clear_investment: bool
    clear_approvals: bool


# A project of `project_list`, with its figures.
ProjectWithFigures: TypeAlias = "WithAnnotations[Project, Figures]"

CLARITY_FIELDS = {
    Clarity.FUNDING: "clear_funding",
    Clarity.FARMLAND: "clear_farmland",
    Clarity.PROGRESS: "clear_progress",
    Clarity.INVESTMENT: "clear_investment",
    Clarity.APPROVALS: "clear_approvals",
}


def _flag(condition: Q | Combinable) -> Case:
    # Real-estate projects are exempt from the five clarities (the seed: 房地产项目除外).
    return Case(When(is_real_estate=True, then=Value(True)), When(condition, then=Value(True)), default=Value(False),
                output_field=BooleanField())


def with_clarities(projects: QuerySet, year: int) -> QuerySet:
    """Annotate the five clarities (五明确) of `year` as booleans `clear_funding` … `clear_approvals`.

    Each flag is written once over a stored flag or the year's annual plan joined once: annotating helpers first
    and the flags on them made Django copy every subquery into each flag that named it.
    """
    # Funding (the funding lines add up to a total investment > 0) and approvals (at least one key approval, each
    # with a deadline or done) are flags the services keep on the project row (touzi/projects/clarities.py).
    # Progress and investment read the year's annual plan, joined (one per project and year: no fan-out) rather
    # than probed twice per row: a nation's count of unclear projects spent ~6 s on two million probes.
    return projects.annotate(
        clarity_plan=FilteredRelation("annual_plans", condition=Q(annual_plans__year=year)),
    ).annotate(
        clear_funding=_flag(Q(has_clear_funding=True)),
        clear_farmland=_flag(Q(occupies_farmland=False) | ~Q(farmland_plan="")),
        # `gt ""`, not a negation: without a plan the column is NULL, and a negated lookup would count it as set.
        clear_progress=_flag(Q(clarity_plan__progress_target__gt="")),
        clear_investment=_flag(Q(clarity_plan__planned_investment__isnull=False)),
        clear_approvals=_flag(Q(has_clear_approvals=True)),
    )


def clarity_list(project: Any) -> list[tuple[Clarity, bool]]:
    return [(clarity, bool(getattr(project, name))) for clarity, name in CLARITY_FIELDS.items()]


@dataclass
class ProjectFilters:
    q: str = ""
    domain: str = ""
    county: str = ""
    stage: str = ""
    collection: str = ""
    year: int | None = None
    region: str = ""  # the plan's region code: the list of a plan holds the projects of its region only

    @classmethod
    def from_query(cls, data: Any, *, plan: Any = None) -> ProjectFilters:
        year = data.get("year", "")
        return cls(q=(data.get("q") or "").strip(), domain=data.get("domain", ""), county=data.get("county", ""),
                   stage=data.get("stage", ""), collection=data.get("collection", ""),
                   year=int(year) if str(year).isdigit() else None, region=plan.region_code if plan else "")


def visible_projects(user: Actor, action: Action = Action.VIEW) -> QuerySet[Project]:
    return scope(user, Project.objects.all(), action)


def filtered_projects(user: Actor, filters: ProjectFilters) -> QuerySet[Project]:
    """The scoped, filtered project list, without figures."""
    qs = visible_projects(user)
    if filters.region:
        qs = qs.filter(projects_in(filters.region))
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    if filters.domain:
        from touzi.plans.models import Domain

        root = Domain.objects.filter(key=filters.domain).first()
        ids = [root.pk, *root.children.values_list("pk", flat=True)] if root else []
        qs = qs.filter(domain_id__in=ids)
    if filters.county:
        qs = qs.filter(Q(county__key=filters.county) | Q(park__key=filters.county))
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.collection:
        membership = Q(memberships__collection__key=filters.collection)
        if filters.year:
            membership &= Q(memberships__year__isnull=True) | Q(memberships__year=filters.year)
        qs = qs.filter(id__in=Project.objects.filter(membership).values("id"))
    return qs


def _with_figures(qs: QuerySet[Project], month: dt.date) -> QuerySet[ProjectWithFigures]:
    return with_clarities(ledger().with_totals(qs.select_related("domain", "county", "owner", "lead_unit", "park"), month),
                          month.year)


def project_list(user: Actor, filters: ProjectFilters, month: dt.date) -> QuerySet[ProjectWithFigures]:
    """The scoped, filtered project list with totals for `month` and the five clarities of its year."""
    return _with_figures(filtered_projects(user, filters), month)


def project_page(user: Actor, filters: ProjectFilters, month: dt.date, number: Any, per_page: int = 50) -> Page:
    """One page of the list. The page's projects are chosen on the plain list (its indexed order and one
    count), then only they get their totals and clarities: annotating the whole list first lets the
    database hash every annual plan of the year for each clarity (0.3 s at 20,000 projects)."""
    ordering = Project._meta.ordering or []
    # The page of pks, whose object_list then becomes their projects.
    page: Page[Any] = Paginator(filtered_projects(user, filters).order_by(*ordering).values_list("pk", flat=True),
                                per_page).get_page(number)
    ids = list(page.object_list)
    rows = {p.pk: p for p in _with_figures(Project.objects.filter(pk__in=ids), month)}
    page.object_list = [rows[pk] for pk in ids]
    return page
