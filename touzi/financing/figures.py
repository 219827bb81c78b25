"""The financing figures, computed in the database (docs/financing.md says them for people).

Money is stored in 万元 and summed in the database; the summaries print 亿元 (four places).

- Sources of a year: planned — the funding plans (projects.FundingLine) of the projects in the year's annual
  plan; secured — SecuredFunds of the year; arrived — accepted FundsArrival of the year's months.
- Gap of a project: planned (its whole funding plan) minus secured (all years), per source and in total.
- Bonds of a year: the special-bond quota allocated in that year, and how much of it is disbursed and spent.
- Needs of a year: needs published that year; needs with a loan granted that year; the loans' amount.
- Plan measures (`measure: {source: financing, figure: …}`): bonds-approved — the quota allocated in the
  window's years; bank-loans — loans granted in the window; social-financing — bank loans plus accepted
  arrivals from bonds, REITs, social capital, foreign money and the policy tools in the window;
  subsidised-loan-industry-share — subsidised (桂惠贷) loans to industry (GB/T 4754 divisions 06–46) over all
  subsidised loans in the window, %; ppp-count / ppp-investment — PPP projects added in the window's years.
- Fiscal affordability of a year: the annual fiscal expenditure responsibility of the PPP projects past
  identification against 10% of the general public budget expenditure (the PPP test); the government-invested
  projects' fiscal payments (accepted 财政资金 arrivals of the year) plus that PPP responsibility against the
  budget's ceiling (FiscalBudget.ceiling_pct).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from touzi.financing.choices import PPP_COUNTED, ArrivalStatus, Figure
from touzi.financing.models import (
    BondAllocation,
    FinancingNeed,
    FiscalBudget,
    FundsArrival,
    Loan,
    PPPProject,
    SecuredFunds,
)
from touzi.lib.bounds import MONEY_COLUMN
from touzi.projects.choices import FundingSource
from touzi.projects.models import AnnualPlan, FundingLine, Project

MONEY = DecimalField(**MONEY_COLUMN)
ZERO = Value(Decimal(0), output_field=MONEY)
YI = Decimal(10000)
PLACES = Decimal("0.0001")
PPP_LIMIT_PCT = Decimal(10)  # 财政承受能力论证: PPP responsibility at most 10% of the general public budget
SOCIAL_SOURCES = [FundingSource.SPECIAL_BONDS, FundingSource.GENERAL_BONDS, FundingSource.REITS,
                  FundingSource.SOCIAL_CAPITAL, FundingSource.FOREIGN, FundingSource.POLICY_TOOLS]
INDUSTRY = Q(industry__gte="06", industry__lte="46")  # 工业: mining, manufacturing, utilities (GB/T 4754 B–D)


def yi(wan: Decimal | int | None) -> Decimal:
    return (Decimal(wan or 0) / YI).quantize(PLACES, rounding=ROUND_HALF_UP)


def pct(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _sum(qs: QuerySet, field: str) -> Decimal:
    return qs.aggregate(v=Coalesce(Sum(field), ZERO))["v"]


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def plan_projects(plan: Any) -> QuerySet[Project]:
    """The projects of a plan's region (all of them when the plan names no region)."""
    from touzi.lib.regions import projects_in

    qs = Project.objects.all()
    return qs.filter(projects_in(plan.region_code)) if getattr(plan, "region_code", "") else qs


def sources(projects: QuerySet[Project], year: int) -> list[dict[str, Any]]:
    """Per source: planned, secured and arrived of the year (万元), in the enum's order; three queries."""
    ids = projects.values("pk")
    planned_ids = AnnualPlan.objects.filter(year=year, project__in=ids).values("project_id")
    planned = dict(FundingLine.objects.filter(project__in=planned_ids).values("source")
                   .annotate(v=Sum("amount")).values_list("source", "v"))
    secured = dict(SecuredFunds.objects.filter(project__in=ids, year=year).values("source")
                   .annotate(v=Sum("amount")).values_list("source", "v"))
    first, last = _year(year)
    arrived = dict(FundsArrival.objects.filter(project__in=ids, status=ArrivalStatus.ACCEPTED,
                                               month__range=(first, last)).values("source")
                   .annotate(v=Sum("amount")).values_list("source", "v"))
    return [{"source": s.value, "label": s.label, "planned": planned.get(s.value) or Decimal(0),
             "secured": secured.get(s.value) or Decimal(0), "arrived": arrived.get(s.value) or Decimal(0)}
            for s in FundingSource]


def bonds(projects: QuerySet[Project], year: int | None = None) -> dict[str, Decimal]:
    qs = BondAllocation.objects.filter(project__in=projects.values("pk"))
    if year is not None:
        qs = qs.filter(year=year)
    return qs.aggregate(allocated=Coalesce(Sum("amount"), ZERO), issued=Coalesce(Sum("issued"), ZERO),
                        disbursed=Coalesce(Sum("disbursed"), ZERO), spent=Coalesce(Sum("spent"), ZERO),
                        capital=Coalesce(Sum("capital"), ZERO))


def needs(needs_qs: QuerySet[FinancingNeed], year: int) -> dict[str, Any]:
    first, last = _year(year)
    loans = Loan.objects.filter(need__in=needs_qs.values("pk"), granted_on__range=(first, last))
    found = loans.aggregate(n=Count("need_id", distinct=True), amount=Coalesce(Sum("amount"), ZERO))
    return {"published": needs_qs.filter(published_on__range=(first, last)).count(), "granted": found["n"],
            "amount_granted": found["amount"]}


def funding_summary(projects: QuerySet[Project], needs_qs: QuerySet[FinancingNeed], year: int) -> dict[str, Any]:
    """The payload of `touzi funding --year Y --format json` and GET /api/v1/financing/summary (亿元 strings)."""
    b = bonds(projects, year)
    n = needs(needs_qs, year)
    return {
        "year": year,
        "sources": [{"source": r["source"], "planned": str(yi(r["planned"])), "secured": str(yi(r["secured"])),
                     "arrived": str(yi(r["arrived"]))} for r in sources(projects, year)],
        "bonds": {"allocated": str(yi(b["allocated"])), "disbursed": str(yi(b["disbursed"])),
                  "spent": str(yi(b["spent"]))},
        "needs": {"published": n["published"], "granted": n["granted"], "amount_granted": str(yi(n["amount_granted"]))},
    }


def with_gaps(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Projects annotated with planned, secured, arrived (万元, all years) and gap = planned − secured."""

    def total(model: Any, field: str, **filters: Any) -> Coalesce:
        rows = (model.objects.filter(project=OuterRef("pk"), **filters).order_by().values("project")
                .annotate(v=Sum(field)).values("v"))
        return Coalesce(Subquery(rows, output_field=MONEY), ZERO)

    return projects.annotate(
        planned=total(FundingLine, "amount"), secured=total(SecuredFunds, "amount"),
        arrived=total(FundsArrival, "amount", status=ArrivalStatus.ACCEPTED),
    ).annotate(gap=F("planned") - F("secured"))


def project_sources(project: Project) -> list[dict[str, Any]]:
    """One project's money by source over all years: planned, secured, arrived, gap (万元)."""
    planned = dict(project.funding.values_list("source", "amount"))
    secured = dict(SecuredFunds.objects.filter(project=project).values("source").annotate(v=Sum("amount"))
                   .values_list("source", "v"))
    arrived = dict(FundsArrival.objects.filter(project=project, status=ArrivalStatus.ACCEPTED).values("source")
                   .annotate(v=Sum("amount")).values_list("source", "v"))
    rows = []
    for s in FundingSource:
        p, sec, arr = (d.get(s.value) or Decimal(0) for d in (planned, secured, arrived))
        if p or sec or arr:
            rows.append({"source": s.value, "label": s.label, "planned": p, "secured": sec, "arrived": arr,
                         "gap": p - sec})
    return rows


def ppp_pipeline(ppp: QuerySet[PPPProject]) -> list[dict[str, Any]]:
    from touzi.financing.choices import PPP_ORDER

    found: dict[str, dict[str, Any]] = {
        r["stage"]: dict(r) for r in ppp.values("stage").annotate(n=Count("id"), investment=Sum("investment"))}
    return [{"stage": s.value, "label": s.label, "n": found.get(s.value, {}).get("n", 0),
             "investment": found.get(s.value, {}).get("investment") or Decimal(0)} for s in PPP_ORDER]


def ppp_added(ppp: QuerySet[PPPProject]) -> list[dict[str, Any]]:
    """Count and size of the PPP projects added each year (the seed asks them to grow)."""
    return [dict(r) for r in ppp.order_by().values("added_year").annotate(n=Count("id"), investment=Sum("investment"))
            .order_by("added_year")]


def affordability(year: int, projects: QuerySet[Project] | None = None) -> dict[str, Any]:
    """The PPP 10% test and the ceiling on government-invested projects' fiscal payments, for a year."""
    budget = FiscalBudget.objects.filter(year=year).first()
    ppp = PPPProject.objects.filter(stage__in=PPP_COUNTED, added_year__lte=year)
    arrivals = FundsArrival.objects.filter(project__is_government=True, source=FundingSource.FISCAL,
                                           status=ArrivalStatus.ACCEPTED, month__range=_year(year))
    if projects is not None:
        ppp = ppp.filter(project__in=projects.values("pk"))
        arrivals = arrivals.filter(project__in=projects.values("pk"))
    ppp_total = _sum(ppp, "annual_fiscal")
    payments = _sum(arrivals, "amount")
    expenditure = budget.expenditure if budget else None
    ceiling_pct = budget.ceiling_pct if budget else None
    total = payments + ppp_total
    ppp_share, total_share = pct(ppp_total, expenditure), pct(total, expenditure)
    return {
        "year": year, "budget": expenditure, "ceiling_pct": ceiling_pct,
        "ppp_responsibility": ppp_total, "ppp_share": ppp_share, "ppp_limit_pct": PPP_LIMIT_PCT,
        "ppp_passes": None if ppp_share is None else ppp_share <= PPP_LIMIT_PCT,
        "government_payments": payments, "fiscal_total": total, "fiscal_share": total_share,
        "over_ceiling": None if total_share is None or ceiling_pct is None else total_share > ceiling_pct,
    }


def by_bank(needs_qs: QuerySet[FinancingNeed]) -> list[dict[str, Any]]:
    """Per bank: needs taken up (any step), loans granted, their amount, and the mean days from publication to
    loan (computed in Python over the per-bank aggregates only)."""
    from touzi.financing.models import NeedStep
    from touzi.units.models import unit_labels

    steps = NeedStep.objects.filter(need__in=needs_qs.values("pk"))
    worked = dict(steps.values("bank").annotate(n=Count("need", distinct=True)).values_list("bank", "n"))
    loans = Loan.objects.filter(need__in=needs_qs.values("pk"))
    granted: dict[Any, dict[str, Any]] = {r["bank"]: dict(r) for r in loans.values("bank").annotate(
        n=Count("need", distinct=True), amount=Sum("amount"))}
    days = _mean_days(loans, "bank")
    labels = unit_labels(sorted(set(worked) | set(granted)))
    return [{"bank": labels.get(b, ""), "bank_id": b, "matched": worked.get(b, 0),
             "granted": granted.get(b, {}).get("n", 0), "amount": granted.get(b, {}).get("amount") or Decimal(0),
             "days": days.get(b)} for b in sorted(set(worked) | set(granted), key=lambda b: labels.get(b, ""))]


def by_county(needs_qs: QuerySet[FinancingNeed]) -> list[dict[str, Any]]:
    """Per county: needs published, matched (a bank took a step), granted, amount granted, days to loan."""
    from touzi.units.models import unit_labels

    published: dict[Any, dict[str, Any]] = {
        r["project__county"]: dict(r) for r in needs_qs.order_by().values("project__county").annotate(
            n=Count("id"), amount=Sum("amount"))}
    matched = dict(needs_qs.filter(steps__isnull=False).order_by().values("project__county")
                   .annotate(n=Count("id", distinct=True)).values_list("project__county", "n"))
    loans = Loan.objects.filter(need__in=needs_qs.values("pk"))
    granted: dict[Any, dict[str, Any]] = {r["project__county"]: dict(r) for r in loans.values(
        "project__county").annotate(n=Count("need", distinct=True), amount=Sum("amount"))}
    days = _mean_days(loans, "project__county")
    labels = unit_labels(sorted(published))
    return [{"county": labels.get(c, ""), "published": published[c]["n"], "asked": published[c]["amount"],
             "matched": matched.get(c, 0), "granted": granted.get(c, {}).get("n", 0),
             "amount": granted.get(c, {}).get("amount") or Decimal(0), "days": days.get(c)}
            for c in sorted(published, key=lambda c: labels.get(c, ""))]


def _mean_days(loans: QuerySet[Loan], key: str) -> dict[Any, Decimal]:
    """Mean days from a need's publication to its loan, grouped by `key` (the date difference in the DB)."""
    from django.db.models import Avg, DurationField, ExpressionWrapper

    gap = ExpressionWrapper(F("granted_on") - F("need__published_on"), output_field=DurationField())
    out: dict[Any, Decimal] = {}
    for row in loans.values(key).annotate(d=Avg(gap)):
        value = row["d"]
        if value is None:
            continue
        days = value.total_seconds() / 86400 if isinstance(value, dt.timedelta) else float(value) / 86400e6
        out[row[key]] = Decimal(days).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return out


def figure_value(figure: str, projects: QuerySet[Project], start: dt.date, end: dt.date) -> Decimal | None:
    """A plan figure over the months start..end (万元, %, or a count)."""
    ids = projects.values("pk")
    last = end.replace(day=28) + dt.timedelta(days=4)
    last = last - dt.timedelta(days=last.day)  # the last day of `end`'s month
    loans = Loan.objects.filter(project__in=ids, granted_on__range=(start, last))
    if figure == Figure.BONDS_APPROVED:
        return _sum(BondAllocation.objects.filter(project__in=ids, year__gte=start.year, year__lte=end.year), "amount")
    if figure == Figure.BANK_LOANS:
        return _sum(loans, "amount")
    if figure == Figure.SOCIAL_FINANCING:
        other = FundsArrival.objects.filter(project__in=ids, status=ArrivalStatus.ACCEPTED, source__in=SOCIAL_SOURCES,
                                            month__range=(start, last))
        return _sum(loans, "amount") + _sum(other, "amount")
    if figure == Figure.SUBSIDISED_INDUSTRY_SHARE:
        sub = loans.filter(subsidised=True)
        return pct(_sum(sub.filter(INDUSTRY), "amount"), _sum(sub, "amount"))
    ppp = PPPProject.objects.filter(project__in=ids, added_year__gte=start.year, added_year__lte=end.year)
    if figure == Figure.PPP_COUNT:
        return Decimal(ppp.count())
    if figure == Figure.PPP_INVESTMENT:
        return _sum(ppp, "investment")
    return None


def target_value(plan: Any, target: Any, span: Any, month: dt.date) -> tuple[Decimal | None, dict[str, Any]]:
    """A plan target measured from the financing records (`measure: {source: financing, figure: …}`), in the
    target's unit: 亿元 / 万元 for money, % for the share, 个 / 家 / 项 for counts."""
    if not span.started:
        return None, {}
    figure = (target.measure or {}).get("figure", "")
    if figure not in Figure.values:
        return None, {"error": f"unknown figure {figure!r}"}
    projects = plan_projects(plan)
    if target.measure_county_id:
        projects = projects.filter(Q(county_id=target.measure_county_id) | Q(park_id=target.measure_county_id))
    value = figure_value(figure, projects, span.start, span.end)
    if value is None:
        return None, {}
    if figure in (Figure.SUBSIDISED_INDUSTRY_SHARE, Figure.PPP_COUNT):
        return value, {"figure": figure}
    factor = {"亿元": YI, "万元": Decimal(1)}.get(target.unit_of_measure)
    if factor is None:
        return None, {}
    return value / factor, {"figure": figure}
