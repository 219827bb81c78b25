"""Reading the factor ledgers, always through the scoping function."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from touzi.core.scoping import Action, scope, scope_of
from touzi.factors.choices import ISSUE_KINDS
from touzi.factors.figures import LedgerRow, ledger
from touzi.factors.models import Allocation, FactorKeeper, IdleParcel, Quota
from touzi.factors.scoping import kept_kinds
from touzi.projects.models import FactorIssue
from touzi.projects.selectors import visible_projects


def visible_quotas(user: Any) -> QuerySet[Quota]:
    return scope(user, Quota.objects.all()).select_related("county", "park", "granted_by")


def visible_allocations(user: Any) -> QuerySet[Allocation]:
    return scope(user, Allocation.objects.all()).select_related("quota", "quota__county", "quota__park", "project")


def visible_parcels(user: Any) -> QuerySet[IdleParcel]:
    return scope(user, IdleParcel.objects.all()).select_related("county", "park", "project")


def keepers() -> QuerySet[FactorKeeper]:
    return FactorKeeper.objects.select_related("unit").order_by("kind", "unit__key")


def user_kinds(user: Any) -> set[str]:
    """The kinds the user may enter quotas of (every kind for the office)."""
    from touzi.factors.choices import QuotaKind

    who = scope_of(user)
    return set(QuotaKind.values) if who.is_office else kept_kinds(who)


def may_decide(user: Any) -> QuerySet[Allocation]:
    return scope(user, Allocation.objects.all(), Action.REVIEW)


def filtered(qs: QuerySet[Quota], params: Any) -> QuerySet[Quota]:
    if str(params.get("year") or "").isdigit():
        qs = qs.filter(year=int(params["year"]))
    if params.get("kind"):
        qs = qs.filter(kind=params["kind"])
    if params.get("county"):
        qs = qs.filter(Q(county__key=params["county"]) | Q(park__key=params["county"]))
    return qs


def blocked_projects(user: Any, year: int) -> list[dict[str, Any]]:
    """要素保障问题 linked to the ledger: each open land, sea, forest or energy problem of a project the user sees,
    with the headroom of its county's quotas of the matching kinds in `year` (a project blocked for land points
    to its county's land headroom). projects imports none of this app: the link is made here."""
    issues = list(FactorIssue.objects.filter(project__in=visible_projects(user).values("pk"), resolved_at__isnull=True,
                                             kind__in=list(ISSUE_KINDS))
                  .select_related("project", "project__county", "owed_by").order_by("project__county_id", "due"))
    if not issues:
        return []
    counties = {i.project.county_id for i in issues}
    rows: dict[tuple[int, str], list[LedgerRow]] = {}
    ids = {i.project.county.key: i.project.county_id for i in issues}
    # Only the quotas the user may read: an owner sees its problem, the county and the keeper its headroom.
    for row in ledger(scope(user, Quota.objects.filter(year=year, county_id__in=counties, park__isnull=True))):
        rows.setdefault((ids[row.county_key], row.kind), []).append(row)
    out = []
    for issue in issues:
        found = [r for kind in ISSUE_KINDS[issue.kind] for r in rows.get((issue.project.county_id, kind), [])]
        out.append({"issue": issue, "project": issue.project, "county": issue.project.county, "headroom": found})
    return out
