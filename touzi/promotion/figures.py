"""The four rates (四个率), funds arrived and FDI, computed in the database over a register of any size.

Definitions (docs/promotion.md says them for people), for the agreements of a cohort as of a day D:

- 履约率 honoured: among agreements *due* — at least one contract milestone (注册, 供地, 开工, 投产) on or before
  D, or terminated by D — those not terminated whose every milestone due by D was reached on or before its date.
- 资金到位率 funds: funds arrived (accepted reports up to D's month) over the agreed investment due — the
  agreements whose contract production date is on or before D, or terminated by D. Each agreement counts its
  funds up to its agreed investment, so one over-funded agreement does not hide another's shortfall.
- 开工率 started: among agreements whose contract start date is on or before D, those started by D.
- 投产率 in production: among agreements whose contract production date is on or before D, those in
  production by D.

Terminated agreements stay in every denominator they are due in: a terminated agreement was not honoured.
Funds arrived of a year (`funds_arrived`) are the accepted reports of that year's months, of every agreement;
growth compares them with the same months of the year before. FDI is the foreign part, in US$.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, Least, Substr
from django.utils.translation import gettext as _

from touzi.lib.bounds import MONEY_COLUMN
from touzi.promotion.choices import MILESTONES, FundsStatus, GroupBy
from touzi.promotion.models import Agreement, FundsReport, PromotionEvent
from touzi.units.models import unit_labels

MONEY = DecimalField(**MONEY_COLUMN)
ZERO = Value(Decimal(0), output_field=MONEY)
YI = Decimal(10000)  # 万元 in one 亿元 (and 万美元 in one 亿美元)
RATE_PLACES = Decimal("0.0001")
KEYS = {GroupBy.COUNTY: "county_id", GroupBy.UNIT: "unit_id", GroupBy.EVENT: "event_id",
        GroupBy.SECTOR: "section", GroupBy.YEAR: "signed_year"}


def ratio(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) / Decimal(whole)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def yi(wan: Decimal | None) -> Decimal:
    return (Decimal(wan or 0) / YI).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def _terminated(on: dt.date) -> Q:
    return Q(terminated_on__isnull=False, terminated_on__lte=on)


def due_q(on: dt.date) -> Q:
    """Agreements with a milestone due by `on`, or terminated by then."""
    q = _terminated(on)
    for due, _actual, _label in MILESTONES:
        q |= Q(**{f"{due}__lte": on})
    return q


def honoured_q(on: dt.date) -> Q:
    """Not terminated, and every milestone due by `on` reached on or before its date."""
    q = ~_terminated(on)
    for due, actual, _label in MILESTONES:
        q &= (Q(**{f"{due}__isnull": True}) | Q(**{f"{due}__gt": on})
              | Q(**{f"{actual}__isnull": False, f"{actual}__lte": F(due)}))
    return q


def funds_due_q(on: dt.date) -> Q:
    return Q(due_production__lte=on) | _terminated(on)


def _arrived_by(on: dt.date) -> Subquery:
    """Each agreement's accepted funds arrived up to `on`'s month (万元)."""
    rows = (FundsReport.objects.filter(agreement=OuterRef("pk"), status=FundsStatus.ACCEPTED,
                                       month__lte=on.replace(day=1))
            .order_by().values("agreement").annotate(s=Sum("total")).values("s"))
    return Subquery(rows, output_field=MONEY)


def _grouped(qs: QuerySet[Agreement], by: str) -> QuerySet:
    return qs.annotate(section=Substr("sector", 1, 1), signed_year=ExtractYear("signed_on"))


@dataclass
class Rates:
    rows: list[dict[str, Any]]
    total: dict[str, Any]

    def as_json(self, label: str = "county") -> dict[str, Any]:
        def one(row: dict[str, Any]) -> dict[str, Any]:
            out = {label: row["label"], "signed": row["signed"]}
            for name in ("honoured_rate", "funds_rate", "started_rate", "production_rate"):
                out[name] = None if row[name] is None else float(row[name])
            out["funds_arrived"] = float(row["funds_arrived"])
            return out

        return {"rows": [one(r) for r in self.rows], "total": one(self.total)}


def rates(agreements: QuerySet[Agreement], *, as_of: dt.date, year: int | None = None,
          by: str = GroupBy.COUNTY) -> Rates:
    """The four rates of the agreements signed in `year` (all years when None), as of `as_of`, grouped `by`;
    `funds_arrived` is the year's funds arrived (亿元) of every agreement in the group (to `as_of`)."""
    base = _grouped(agreements.filter(signed_on__lte=as_of).order_by(), by)
    cohort = base.filter(signed_on__year=year) if year else base
    key = KEYS[GroupBy(by)]
    figures = dict(
        signed=Count("id"),
        due=Count("id", filter=due_q(as_of)),
        honoured=Count("id", filter=due_q(as_of) & honoured_q(as_of)),
        start_due=Count("id", filter=Q(due_start__lte=as_of)),
        started=Count("id", filter=Q(due_start__lte=as_of, started_on__lte=as_of)),
        production_due=Count("id", filter=Q(due_production__lte=as_of)),
        in_production=Count("id", filter=Q(due_production__lte=as_of, in_production_on__lte=as_of)),
        agreed_due=Coalesce(Sum("agreed_investment", filter=funds_due_q(as_of)), ZERO),
        arrived_due=Coalesce(Sum("capped", filter=funds_due_q(as_of)), ZERO),
    )
    cohort = cohort.annotate(capped=Least(Coalesce(_arrived_by(as_of), ZERO), F("agreed_investment")))
    grouped = {row[key]: row for row in cohort.values(key).annotate(**figures)}
    total = cohort.aggregate(**figures)
    flows = _flows(base, key, as_of, year)
    labels = _labels(by, set(grouped) | set(flows))
    rows = [_row(labels.get(k, str(k)), grouped.get(k), flows.get(k, Decimal(0)))
            for k in sorted(set(grouped) | set(flows), key=lambda k: labels.get(k, str(k)))]
    return Rates(rows, _row(_("合计"), total, sum(flows.values(), Decimal(0))))


def _flows(base: QuerySet[Agreement], key: str, as_of: dt.date, year: int | None) -> dict[Any, Decimal]:
    """Funds arrived in the year's months (to as_of), grouped like the rates."""
    reports = FundsReport.objects.filter(agreement__in=base.values("id"), status=FundsStatus.ACCEPTED,
                                         month__lte=as_of.replace(day=1))
    if year:
        reports = reports.filter(month__year=year)
    reports = reports.annotate(section=Substr("agreement__sector", 1, 1),
                               signed_year=ExtractYear("agreement__signed_on"))
    path = key if key in ("section", "signed_year") else f"agreement__{key}"
    return {row[path]: row["s"] for row in reports.order_by().values(path).annotate(s=Sum("total"))}


def _labels(by: str, keys: set[Any]) -> dict[Any, str]:
    if by in (GroupBy.COUNTY, GroupBy.UNIT):
        return unit_labels(sorted(k for k in keys if k is not None))
    if by == GroupBy.EVENT:
        names = {e.pk: str(e) for e in PromotionEvent.objects.filter(pk__in=[k for k in keys if k])}
        return {**names, None: _("未经签约活动")}
    if by == GroupBy.SECTOR:
        from touzi.promotion.sectors import section_names

        sections = section_names()
        return {k: f"{k} {sections.get(k, '')}".strip() for k in keys}
    return {k: str(k) for k in keys}


def _row(label: str, row: dict[str, Any] | None, flow: Decimal) -> dict[str, Any]:
    row = row or {}
    return {"label": label, "signed": row.get("signed") or 0,
            "honoured_rate": ratio(row.get("honoured"), row.get("due")),
            "funds_rate": ratio(row.get("arrived_due"), row.get("agreed_due")),
            "started_rate": ratio(row.get("started"), row.get("start_due")),
            "production_rate": ratio(row.get("in_production"), row.get("production_due")),
            "funds_arrived": yi(flow), "due": row.get("due") or 0, "honoured": row.get("honoured") or 0,
            "agreed_due": row.get("agreed_due") or Decimal(0), "arrived_due": row.get("arrived_due") or Decimal(0)}


def funds_between(agreements: QuerySet[Agreement], start: dt.date, end: dt.date) -> tuple[Decimal, Decimal]:
    """(funds arrived 万元, foreign part 万美元) of accepted reports in the months start..end."""
    found = FundsReport.objects.filter(agreement__in=agreements.values("id"), status=FundsStatus.ACCEPTED,
                                       month__gte=start.replace(day=1), month__lte=end.replace(day=1)).aggregate(
        total=Coalesce(Sum("total"), ZERO), usd=Coalesce(Sum("foreign_usd"), ZERO))
    return found["total"], found["usd"]


def growth(agreements: QuerySet[Agreement], year: int, through: dt.date) -> dict[str, Any]:
    """Funds arrived in `year` up to `through`'s month against the same months of the year before; FDI in US$."""
    end = min(through.replace(day=1), dt.date(year, 12, 1))
    now, usd = funds_between(agreements, dt.date(year, 1, 1), end)
    before, _usd = funds_between(agreements, dt.date(year - 1, 1, 1), end.replace(year=year - 1))
    rate = None if not before else ((now / before - 1) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"year": year, "through": f"{end:%Y-%m}", "funds_arrived": yi(now), "previous": yi(before),
            "growth": rate, "fdi_usd": yi(usd)}


def plan_agreements(plan: Any, target: Any = None) -> QuerySet[Agreement]:
    """The agreements of a plan's region (and of the target's county, when its measure names one)."""
    from touzi.lib.regions import prefix

    qs = Agreement.objects.all()
    if getattr(plan, "region_code", ""):
        qs = qs.filter(county__division_code__startswith=prefix(plan.region_code))
    if target is not None and target.measure_county_id:
        qs = qs.filter(Q(county_id=target.measure_county_id) | Q(park_id=target.measure_county_id))
    return qs


def target_value(plan: Any, target: Any, span: Any, month: dt.date) -> tuple[Decimal | None, dict[str, Any]]:
    """A plan target measured from the register (`measure: {source: promotion}`), in the target's unit.

    A growth target is the funds arrived of the window's year against the same months of the year before (a
    target over several years: the geometric mean of its years); a target in 亿美元 / 万美元 is the foreign
    funds arrived (FDI) over the window; one in 亿元 / 万元 the funds arrived over the window.
    """
    from touzi.monitoring.attainment import average_growth, geometric_mean_growth, year_parts
    from touzi.plans.choices import Metric

    if not span.started:
        return None, {}
    qs = plan_agreements(plan, target)
    if target.metric == Metric.GROWTH:
        parts = year_parts(span) if average_growth(target) else [(span.end.year, span)]
        years: list[dict[str, Any]] = []
        for year, part in parts:
            end = part.end if part.end.year == year else dt.date(year, 12, 1)
            start = max(part.start, dt.date(year, 1, 1))
            now, _usd = funds_between(qs, start, end)
            before, _usd = funds_between(qs, start.replace(year=year - 1), end.replace(year=year - 1))
            if before:
                years.append({"year": year, "value": now, "previous": before,
                              "growth": ((now / before - 1) * 100).quantize(Decimal("0.01"))})
        if not years:
            return None, {"years": years}
        value = geometric_mean_growth([(Decimal(y["value"]) / Decimal(y["previous"]) - 1) * 100 for y in years])
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), {"years": years}
    total, usd = funds_between(qs, span.start, span.end)
    unit = target.unit_of_measure
    factors = {"亿美元": (usd, YI), "万美元": (usd, Decimal(1)), "亿元": (total, YI), "万元": (total, Decimal(1))}
    if unit not in factors:
        return None, {}
    amount, factor = factors[unit]
    return amount / factor, {}
