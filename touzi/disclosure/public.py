"""What the public portal reads: approved content of the projects the seed says must be published.

The portal has no user, so nothing here goes through `scope()`: these queries are the public's rule. A row is
public only when every condition holds — the project is government-invested with fiscal funding at or above
the plan's threshold (services.disclosable), and the row itself is approved (an item version in state
approved, an opinion approved, a consultation opened by its owner). Pending, refused and rejected rows are
never selected. Each page is a handful of queries whatever the number of projects (tests assert it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet

from touzi.disclosure.choices import ItemKind, OpinionState, VersionState
from touzi.disclosure.models import Consultation, DisclosureItem, ItemVersion, Opinion
from touzi.disclosure.services import disclosable
from touzi.plans.models import Domain
from touzi.projects.choices import Stage
from touzi.projects.models import Project
from touzi.reports.models import CountedYear

PAGE = 30


def published_items() -> QuerySet[DisclosureItem]:
    return DisclosureItem.objects.filter(published_on__isnull=False)


def published_projects() -> QuerySet[Project]:
    """The disclosable projects with at least one approved item: the portal's projects."""
    return disclosable().filter(id__in=published_items().values("project_id"))


def portal_projects() -> QuerySet[Project]:
    """Published projects, and government-invested projects consulting the public (a 前期 project consults
    before any item is published, whatever its fiscal money)."""
    consulting = Consultation.objects.values("project_id")
    return Project.objects.filter(Q(id__in=published_projects().values("id"))
                                  | Q(is_government=True, id__in=consulting))


@dataclass
class Filters:
    q: str = ""
    county: str = ""
    domain: str = ""
    stage: str = ""
    year: int | None = None

    @classmethod
    def from_query(cls, data: Any) -> Filters:
        year_text = str(data.get("year", "") or "")
        year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
        stage = str(data.get("stage", "") or "")
        return cls(q=str(data.get("q", "") or "").strip()[:100], county=str(data.get("county", "") or "")[:64],
                   domain=str(data.get("domain", "") or "")[:64], stage=stage if stage in Stage.values else "",
                   year=year)


def _domain_ids(key: str) -> list[int]:
    """The domain and its sub-domains (two levels below are enough for the plan's tree)."""
    ids = list(Domain.objects.filter(Q(key=key) | Q(parent__key=key) | Q(parent__parent__key=key))
               .values_list("id", flat=True))
    return ids


def search(filters: Filters) -> QuerySet[Project]:
    qs = portal_projects()
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    if filters.county:
        qs = qs.filter(county__key=filters.county)
    if filters.domain:
        qs = qs.filter(domain_id__in=_domain_ids(filters.domain))
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.year:
        # In that year's plan, or with investment counted in it.
        qs = qs.filter(Q(id__in=CountedYear.objects.filter(year=filters.year).values("project_id"))
                       | Q(annual_plans__year=filters.year)).distinct()
    return (qs.select_related("county", "domain", "owner")
            .annotate(last_published=Max("disclosure_items__published_on"))
            .order_by("-last_published", "name", "id"))


def facets() -> dict[str, Any]:
    """The choices of the filters: only counties and domains that have public projects."""
    base = portal_projects()
    counties = base.values_list("county__key", "county__name").distinct().order_by("county__key")
    domains = base.values_list("domain__key", "domain__name").distinct().order_by("domain__key")
    return {"counties": list(counties), "domains": list(domains), "stages": Stage.choices}


@dataclass
class PublicItem:
    kind: str
    label: str
    responsible: str
    published_on: dt.date | None
    first_published_on: dt.date | None
    current: ItemVersion | None
    history: list[ItemVersion] = field(default_factory=list)  # earlier approved versions, newest first


@dataclass
class Progress:
    stage: str
    stage_label: str
    actual_start: dt.date | None
    actual_completion: dt.date | None
    by_year: list[tuple[int, Decimal]]
    to_date: Decimal
    responsible: str
    as_of: dt.date | None


@dataclass
class ProjectPage:
    project: Project
    items: list[PublicItem]
    progress: Progress
    consultations: list[Consultation]


def public_project(pk: int) -> Project | None:
    return portal_projects().select_related("county", "domain", "owner", "lead_unit").filter(pk=pk).first()


def approved_versions() -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(state=VersionState.APPROVED).order_by("-number")


def project_page(project: Project) -> ProjectPage:
    items = {item.kind: item for item in DisclosureItem.objects.filter(project=project, published_on__isnull=False)
             .select_related("responsible").prefetch_related(Prefetch("versions", approved_versions(),
                                                                      to_attr="public_versions"))}
    rows: list[PublicItem] = []
    for kind in ItemKind:
        item = items.get(kind.value)
        versions: list[ItemVersion] = getattr(item, "public_versions", []) if item else []
        rows.append(PublicItem(kind.value, str(kind.label), item.responsible.name if item else "",
                               item.published_on if item else None, item.first_published_on if item else None,
                               versions[0] if versions else None, versions[1:]))
    return ProjectPage(project, rows, progress_of(project), consultations_of(project))


def progress_of(project: Project) -> Progress:
    """Stage and investment completed to date by year: the reports' counted totals (ytd12), not months."""
    years = list(CountedYear.objects.filter(project=project).order_by("year").values_list("year", "ytd12"))
    by_year = [(year, amount or Decimal(0)) for year, amount in years]
    as_of = ItemVersion.objects.filter(item__project=project, state=VersionState.APPROVED).aggregate(
        m=Max("published_on"))["m"]
    return Progress(project.stage, str(Stage(project.stage).label), project.actual_start, project.actual_completion,
                    by_year, sum((a for _, a in by_year), Decimal(0)), project.owner.name, as_of)


def consultations_of(project: Project) -> list[Consultation]:
    return list(Consultation.objects.filter(project=project).prefetch_related(
        Prefetch("opinions", Opinion.objects.filter(state=OpinionState.APPROVED), to_attr="public_opinions")))


def public_consultation(pk: int) -> Consultation | None:
    return (Consultation.objects.filter(pk=pk, project__is_government=True).select_related("project")
            .prefetch_related(Prefetch("opinions", Opinion.objects.filter(state=OpinionState.APPROVED),
                                       to_attr="public_opinions")).first())


def feed_entries(limit: int = 50) -> list[ItemVersion]:
    """The newest publications (approved versions, corrections included) of the portal's projects."""
    return list(ItemVersion.objects.filter(state=VersionState.APPROVED, item__project__in=disclosable())
                .select_related("item__project", "item__responsible").order_by("-published_on", "-id")[:limit])

