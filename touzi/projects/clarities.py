"""The stored part of the five clarities (五明确): two flags on the project row, kept by the services.

`Project.has_clear_funding` (资金筹措方案明确: the funding lines add up to the total investment, which is > 0) and
`Project.has_clear_approvals` (重要审批环节办理时限明确: at least one key approval, and each has a deadline or is
done) are what used to be two subqueries per project in every five-clarities query; at a nation's million
projects that query was ~10 s. The other three need no flag: 耕地占补平衡 is two columns of the project row, and
年度进度目标 / 年度投资计划 are columns of the year's annual plan (one row per project and year).

Every service that changes what the flags depend on — the project's total investment, its funding lines, its
key approvals — calls `refresh_clarities` for its project in its own transaction (no signals). Bulk writers
(the demo, the benchmark data sets) call it once for their projects; `touzi clarities --check` finds rows whose
flags differ from their source and `touzi clarities` rewrites them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.lookups import GreaterThanOrEqual

from touzi.lib.bounds import MONEY_COLUMN


def clarity_expressions(funding_model: Any, approval_model: Any) -> dict[str, Any]:
    """{flag: the expression that computes it} for an UPDATE or annotate of projects (models passed in, so the
    migration that fills the flags uses the same expressions on its historical models)."""
    funding = (funding_model.objects.filter(project=OuterRef("pk")).order_by().values("project")
               .annotate(total=Sum("amount")).values("total"))
    approvals = approval_model.objects.filter(project=OuterRef("pk"))
    funded = Q(total_investment__gt=0) & GreaterThanOrEqual(
        Subquery(funding, output_field=DecimalField(**MONEY_COLUMN)), F("total_investment"))
    timed = Exists(approvals) & ~Exists(approvals.filter(deadline__isnull=True, done_on__isnull=True))
    return {
        "has_clear_funding": Case(When(funded, then=Value(True)), default=Value(False),
                                  output_field=BooleanField()),
        "has_clear_approvals": Case(When(timed, then=Value(True)), default=Value(False),
                                    output_field=BooleanField()),
    }


def refresh_clarities(projects: QuerySet | list[int] | None = None) -> int:
    """Rewrite the stored clarity flags of `projects` (a queryset of projects or their ids; None: all) from
    their funding lines and key approvals, in one UPDATE; the number of rows written."""
    from touzi.projects.models import FundingLine, KeyApproval, Project

    qs = Project.objects.all()
    if isinstance(projects, QuerySet):
        qs = qs.filter(pk__in=projects.values("pk"))
    elif projects is not None:
        qs = qs.filter(pk__in=list(projects))
    return qs.update(**clarity_expressions(FundingLine, KeyApproval))


def stale_clarities(limit: int = 20) -> tuple[int, list[int]]:
    """How many projects' stored flags differ from what their rows say now, and the first `limit` of their ids."""
    from touzi.projects.models import FundingLine, KeyApproval, Project

    fresh = {f"fresh_{k}": v for k, v in clarity_expressions(FundingLine, KeyApproval).items()}
    qs = Project.objects.annotate(**fresh).filter(
        ~Q(has_clear_funding=F("fresh_has_clear_funding")) | ~Q(has_clear_approvals=F("fresh_has_clear_approvals")))
    return qs.count(), list(qs.order_by("pk").values_list("pk", flat=True)[:limit])
