"""The OC4IDS 0.9.4 project package (Open Contracting for Infrastructure Data Standard) of the disclosed
projects: the same approved content the portal shows, in the standard's fields. docs/oc4ids.md maps them.

Identifiers are `<TOUZI_OC4IDS_PREFIX>-<national project code>` (a project without code uses its internal id).
Amounts are in yuan (CNY): the platform's 万元 × 10,000.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from touzi.disclosure.choices import ItemKind, PartyRole
from touzi.disclosure.models import Consultation, DisclosureItem
from touzi.disclosure.public import approved_versions, portal_projects, published_projects
from touzi.disclosure.services import disclosable
from touzi.projects.choices import FundingSource, Stage
from touzi.projects.models import Project
from touzi.reports.models import CountedYear

VERSION = "0.9"  # the package's `version` is major.minor; the schema is 0.9.4
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"  # the standard's schema, vendored (schema/README.md)

STATUS = {
    Stage.RESERVE: "identification", Stage.PRELIMINARY: "preparation", Stage.NEW_START: "implementation",
    Stage.CONTINUING: "implementation", Stage.SCALED_DOWN: "implementation", Stage.SUSPENDED: "implementation",
    Stage.COMPLETED: "completion", Stage.IN_OPERATION: "maintenance", Stage.CANCELLED: "cancelled",
}
# The plan's domains (and their ancestors) to the projectSector codelist; the first key found up the tree wins.
SECTORS = {
    "railway": "transport.rail", "highway": "transport.road", "waterway": "transport.water",
    "aviation": "transport.air", "transport": "transport", "energy": "energy", "water": "waterAndWaste",
    "urbanization": "socialHousing", "new-infra": "communications", "agriculture": "naturalResources",
    "ecology": "naturalResources", "education": "education", "health": "health",
    "fitness": "cultureSportsAndRecreation", "tourism": "cultureSportsAndRecreation", "civil-affairs": "governance",
    "services": "economy", "industry": "economy",
}
METHODS = {"open": "open", "invited": "selective", "negotiation": "limited", "consultation": "limited",
           "single": "direct", "inquiry": "limited"}
PARTY_ROLES = {PartyRole.DESIGNER: "supplier", PartyRole.SUPERVISOR: "supplier", PartyRole.CONTRACTOR: "supplier"}
DOCUMENT_TYPES = {ItemKind.SCOPE: "projectScope", ItemKind.NECESSITY: "needsAssessment",
                  ItemKind.FUNDING: "budgetApproval", ItemKind.TENDERS: "tenderNotice",
                  ItemKind.PARTIES: "contractSummary", ItemKind.COMPLETION: "financialAuditReport"}
YUAN = Decimal(10000)


def project_id(project: Project) -> str:
    return f"{settings.OC4IDS_PREFIX}-{project.code or f'touzi-{project.pk}'}"


def _money(wan: Any) -> dict[str, Any]:
    try:
        amount = Decimal(str(wan)) * YUAN
    except Exception:
        amount = Decimal(0)
    return {"amount": float(amount.quantize(Decimal("0.01"))), "currency": "CNY"}


def _datetime(day: Any) -> str | None:
    if not day:
        return None
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day[:10])
        except ValueError:
            return None
    return f"{day.isoformat()}T00:00:00+08:00"


def _sector(project: Project) -> list[str]:
    domain: Any = project.domain
    while domain is not None:
        if domain.key in SECTORS:
            return [SECTORS[domain.key]]
        domain = domain.parent
    return ["economy"]


def _org(parties: dict[str, dict[str, Any]], name: str, role: str) -> dict[str, str]:
    name = str(name).strip()
    org_id = f"org-{len(parties) + 1}" if name not in parties else parties[name]["id"]
    entry = parties.setdefault(name, {"id": org_id, "name": name, "roles": []})
    if role not in entry["roles"]:
        entry["roles"].append(role)
    return {"id": entry["id"], "name": name}


def project_record(project: Project, base_url: str) -> dict[str, Any]:
    """One project in OC4IDS fields, from its approved items only."""
    items = {item.kind: item for item in project.disclosure_items.all()}
    current = {kind: (getattr(item, "public_versions", []) or [None])[0] for kind, item in items.items()}
    parties: dict[str, dict[str, Any]] = {}
    owner = _org(parties, project.owner.name, "publicAuthority")
    _org(parties, project.owner.name, "buyer")
    record: dict[str, Any] = {
        "id": project_id(project),
        "updated": _datetime(max((i.published_on for i in items.values() if i.published_on), default=None)
                             or timezone.localdate()),
        "language": "zh",
        "identifiers": [{"id": project.code or str(project.pk),
                         "scheme": "CN-投资项目统一代码" if project.code else "touzi"}],
        "title": project.name,
        "status": STATUS[Stage(project.stage)],
        "type": "rehabilitation" if any(w in project.name for w in ("改造", "改扩建", "维修")) else "construction",
        "sector": _sector(project),
        "publicAuthority": owner,
        "budget": {"amount": _money(project.total_investment)},
        "period": {k: v for k, v in {"startDate": _datetime(project.planned_start),
                                     "endDate": _datetime(project.planned_completion)}.items() if v},
        "locations": [{"id": "1", "description": project.county.name}],
    }
    scope = current.get(ItemKind.SCOPE)
    if scope is not None:
        record["description"] = scope.text
    necessity = current.get(ItemKind.NECESSITY)
    if necessity is not None:
        record["purpose"] = necessity.text
    funding = current.get(ItemKind.FUNDING)
    if funding is not None:
        lines = [line for line in funding.data.get("lines", []) if isinstance(line, dict)]
        record["budget"]["description"] = funding.text
        if lines:
            record["budget"]["budgetBreakdowns"] = [{"id": "by-source", "description": "资金来源", "budgetBreakdown": [
                {"id": str(n), "description": str(FundingSource(line["source"]).label)
                 if line.get("source") in FundingSource.values else str(line.get("source", "")),
                 "amount": _money(line.get("amount", 0))} for n, line in enumerate(lines, 1)]}]
    processes = []
    tenders = current.get(ItemKind.TENDERS)
    if tenders is not None:
        for n, tender in enumerate(t for t in tenders.data.get("tenders", []) if isinstance(t, dict)):
            summary: dict[str, Any] = {"title": str(tender.get("title") or tenders.item.get_kind_display()),
                                       "status": "active" if tender.get("winner") else "pre-award",
                                       "tender": {"procuringEntity": owner}}
            if tender.get("method") in METHODS:
                summary["tender"]["procurementMethod"] = METHODS[tender["method"]]
            if tender.get("date"):
                summary["tender"]["datePublished"] = _datetime(tender["date"])
            if tender.get("winner"):
                summary["suppliers"] = [_org(parties, tender["winner"], "supplier")]
            if tender.get("amount") not in (None, ""):
                summary["contractValue"] = _money(tender["amount"])
            if tender.get("link"):
                summary["documents"] = [{"id": "1", "documentType": "awardNotice", "url": str(tender["link"])}]
            processes.append({"id": f"{project_id(project)}-cp{n + 1}", "summary": summary})
    if processes:
        record["contractingProcesses"] = processes
    roles = current.get(ItemKind.PARTIES)
    if roles is not None:
        for role in PartyRole:
            for name in roles.data.get(role.value, []) or []:
                _org(parties, name, PARTY_ROLES[role])
    completion = current.get(ItemKind.COMPLETION)
    if completion is not None:
        done: dict[str, Any] = {"finalScopeDetails": completion.text}
        if completion.data.get("amount") not in (None, ""):
            done["finalValue"] = _money(completion.data["amount"])
        if completion.data.get("date") or project.actual_completion:
            done["endDate"] = _datetime(completion.data.get("date") or project.actual_completion)
        record["completion"] = done
    spent = sorted(project.counted_years.all(), key=lambda c: c.year)
    if spent:
        record["transactions"] = [{"id": f"year-{c.year}", "source": "统计台账计入投资",
                                   "date": _datetime(dt.date(c.year, 12, 31)), "value": _money(c.ytd12)}
                                  for c in spent]
    url = f"{base_url}/open/p/{project.pk}/"
    record["documents"] = [
        {"id": kind, "documentType": DOCUMENT_TYPES[ItemKind(kind)], "title": str(ItemKind(kind).label),
         "description": version.text, "url": f"{url}#{kind}",
         "datePublished": _datetime(items[kind].first_published_on),
         "dateModified": _datetime(items[kind].published_on)}
        for kind, version in current.items() if version is not None]
    decided = [c for c in project.consultations.all() if c.decided_on]
    for consultation in decided:
        record["documents"].append({"id": f"consultation-{consultation.pk}", "documentType": "minutes",
                                    "title": consultation.title, "description": consultation.decision,
                                    "url": f"{base_url}/open/consultations/{consultation.pk}/",
                                    "datePublished": _datetime(consultation.decided_on)})
    if not record["documents"]:
        del record["documents"]
    record["parties"] = list(parties.values())
    return record


def _projects(qs: QuerySet[Project]) -> QuerySet[Project]:
    items = DisclosureItem.objects.filter(published_on__isnull=False).prefetch_related(
        Prefetch("versions", approved_versions(), to_attr="public_versions"))
    return (qs.select_related("owner", "county", "domain__parent__parent")
            .prefetch_related(Prefetch("disclosure_items", items),
                              Prefetch("counted_years", CountedYear.objects.order_by("year")),
                              Prefetch("consultations", Consultation.objects.order_by("id")))
            .order_by("code", "id"))


def package(*, published_only: bool = True, base_url: str = "", project: Project | None = None) -> dict[str, Any]:
    """The project package: the published projects (or every disclosable one), or one project."""
    if project is not None:
        qs = portal_projects().filter(pk=project.pk)
    else:
        qs = published_projects() if published_only else disclosable()
    projects = [project_record(p, base_url) for p in _projects(qs)]
    updated = max((p["updated"] for p in projects), default=None)
    return {
        "uri": f"{base_url or 'https://example.invalid'}/open/oc4ids.json"
               if project is None else f"{base_url or 'https://example.invalid'}/open/p/{project.pk}/oc4ids.json",
        "publishedDate": updated or _datetime(timezone.localdate()),
        "publisher": {"name": settings.OC4IDS_PUBLISHER},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "version": VERSION,
        "projects": projects,
    }


def validate(data: dict[str, Any]) -> list[str]:
    """The package's errors against the OC4IDS 0.9.4 schema (empty: valid). Needs jsonschema (a dev package)."""
    import jsonschema
    from referencing import Registry, Resource

    package_schema = json.loads((SCHEMA_DIR / "project-package-schema.json").read_text())
    project_schema = json.loads((SCHEMA_DIR / "project-schema.json").read_text())
    registry = Registry().with_resources([
        (package_schema["id"], Resource.from_contents(package_schema, default_specification=_draft4())),
        (project_schema["id"], Resource.from_contents(project_schema, default_specification=_draft4())),
    ])
    validator = jsonschema.Draft4Validator(package_schema, registry=registry,
                                           format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def _draft4() -> Any:
    from referencing.jsonschema import DRAFT4

    return DRAFT4
