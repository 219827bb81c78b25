"""The ledgers' figures, computed in the database: each quota's allocated amount and headroom (余量), the
requests waiting on it, and the land put back to use against the plan's goal.

- allocated (已配置): the approved amounts of its approved allocations (one taken back no longer counts);
- headroom (余量) = quota − allocated, exactly;
- pending (待批): the requested amounts of the requests not yet decided; a county whose pending requests
  exceed its headroom gets the warning `factor_over_headroom`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from touzi.factors.choices import REUSED, UNIT_OF, AllocationStatus, QuotaKind
from touzi.factors.models import IdleParcel, Quota, ReuseGoal
from touzi.lib.numbers import plain

FOUR = Decimal("0.0001")
_AMOUNT = DecimalField(max_digits=16, decimal_places=4)
ZERO = Value(Decimal(0), output_field=_AMOUNT)


def exact(value: object) -> Decimal:
    """A sum as exact as the ledger keeps it (SQLite adds decimals as floats: four places remove the noise)."""
    return Decimal(str(value or 0)).quantize(FOUR)


def with_headroom(quotas: QuerySet[Quota]) -> QuerySet[Any]:
    """Each quota with `allocated`, `headroom`, `pending` and `waiting` (requests undecided), in one query."""
    approved = Q(allocations__status=AllocationStatus.APPROVED)
    pending = Q(allocations__status=AllocationStatus.REQUESTED)
    return quotas.annotate(
        allocated=Coalesce(Sum("allocations__approved", filter=approved), ZERO, output_field=_AMOUNT),
        pending=Coalesce(Sum("allocations__requested", filter=pending), ZERO, output_field=_AMOUNT),
        waiting=Count("allocations", filter=pending),
    ).annotate(headroom=F("amount") - F("allocated"))


@dataclass(frozen=True)
class LedgerRow:
    id: int
    year: int
    kind: str
    county_key: str
    county: str
    unit: str
    quota: Decimal
    allocated: Decimal
    headroom: Decimal
    pending: Decimal
    waiting: int
    document: str

    @property
    def kind_label(self) -> str:
        return str(QuotaKind(self.kind).label)

    @property
    def over(self) -> bool:
        """The requests waiting exceed what is left."""
        return self.pending > self.headroom

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "county": self.county_key, "county_name": self.county, "unit": self.unit,
                "quota": number(self.quota), "allocated": number(self.allocated),
                "headroom": number(self.headroom), "pending": number(self.pending), "year": self.year,
                "document": self.document}


def number(value: Decimal) -> int | float:
    """A JSON number written exactly as the ledger holds it (1200, 35.5)."""
    value = plain(value)
    return int(value) if value == value.to_integral_value() else float(value)


def ledger(quotas: QuerySet[Quota]) -> list[LedgerRow]:
    """The ledger's rows (kind, place, quota, allocated, headroom), places by their county then park."""
    from touzi.units.models import unit_labels

    rows = list(with_headroom(quotas.order_by()).order_by("year", "kind", "county__division_code", "county__key",
                                                          "park__key")
                .values_list("id", "year", "kind", "county_id", "park_id", "county__key", "park__key", "amount",
                             "allocated", "headroom", "pending", "waiting", "document"))
    labels = unit_labels({r[3] for r in rows} | {r[4] for r in rows if r[4]})
    out = []
    for (pk, year, kind, county_id, park_id, county_key, park_key, amount, allocated, headroom, pending, waiting,
         document) in rows:
        quota, used = exact(amount), exact(allocated)
        out.append(LedgerRow(pk, year, kind, park_key or county_key, labels.get(park_id or county_id, ""),
                             UNIT_OF[kind], quota, used, exact(headroom), exact(pending), waiting, document))
    return out


def by_kind(quotas: QuerySet[Quota], rows: list[LedgerRow]) -> list[dict[str, Any]]:
    """The city's totals by kind (quota, allocated, headroom, pending), summed in the database; `over` counts the
    ledger's rows (places) whose pending requests exceed their headroom."""
    from touzi.factors.models import Allocation

    base = quotas.order_by()
    granted = dict(base.values("kind").annotate(total=Sum("amount")).values_list("kind", "total"))
    used = Allocation.objects.filter(quota__in=base.values("pk")).order_by().values("quota__kind").annotate(
        allocated=Coalesce(Sum("approved", filter=Q(status=AllocationStatus.APPROVED)), ZERO, output_field=_AMOUNT),
        pending=Coalesce(Sum("requested", filter=Q(status=AllocationStatus.REQUESTED)), ZERO, output_field=_AMOUNT))
    figures: dict[str, dict[str, Any]] = {r["quota__kind"]: dict(r) for r in used}
    over: dict[str, int] = {}
    for row in rows:
        over[row.kind] = over.get(row.kind, 0) + int(row.over)
    out = []
    for kind in QuotaKind.values:
        if kind not in granted:
            continue
        quota = exact(granted[kind])
        allocated = exact(figures.get(kind, {}).get("allocated"))
        out.append({"kind": kind, "label": QuotaKind(kind).label, "unit": UNIT_OF[kind], "quota": quota,
                    "allocated": allocated, "headroom": quota - allocated,
                    "pending": exact(figures.get(kind, {}).get("pending")), "over": over.get(kind, 0)})
    return out


def reuse(parcels: QuerySet[IdleParcel], year: int | None = None) -> dict[str, Any]:
    """盘活存量土地: idle area, area reused (in `year` if given) and the goal of that year (亩)."""
    base = parcels.order_by()
    reused_q = Q(disposal__in=REUSED) & (Q(disposed_on__year=year) if year else Q())
    totals = base.aggregate(parcels=Count("id"), area=Coalesce(Sum("area"), ZERO, output_field=_AMOUNT),
                            reused=Coalesce(Sum("disposed_area", filter=reused_q), ZERO, output_field=_AMOUNT),
                            pending=Count("id", filter=Q(disposal="pending")))
    goal = None
    if year is not None:
        goal = ReuseGoal.objects.filter(year=year, county__isnull=True).values_list("area", flat=True).first()
    reused, area = exact(totals["reused"]), exact(totals["area"])
    return {"parcels": totals["parcels"], "pending": totals["pending"], "area": area, "reused": reused,
            "goal": exact(goal) if goal is not None else None,
            "rate": (reused / exact(goal)).quantize(Decimal("0.0001")) if goal else None}


def reuse_by_county(parcels: QuerySet[IdleParcel], year: int | None = None) -> list[dict[str, Any]]:
    from touzi.units.models import unit_labels

    reused_q = Q(disposal__in=REUSED) & (Q(disposed_on__year=year) if year else Q())
    rows = list(parcels.order_by().values("county_id", "county__division_code").annotate(
        n=Count("id"), total_area=Coalesce(Sum("area"), ZERO, output_field=_AMOUNT),
        reused_area=Coalesce(Sum("disposed_area", filter=reused_q), ZERO, output_field=_AMOUNT),
        idle_area=Coalesce(Sum("area", filter=Q(disposal="pending")), ZERO, output_field=_AMOUNT),
    ).order_by("county__division_code"))
    goals = dict(ReuseGoal.objects.filter(year=year, county__isnull=False).values_list("county_id", "area")) \
        if year else {}
    labels = unit_labels([r["county_id"] for r in rows])
    return [{"county": labels.get(r["county_id"], ""), "parcels": r["n"], "area": exact(r["total_area"]),
             "idle": exact(r["idle_area"]), "reused": exact(r["reused_area"]),
             "goal": exact(goals[r["county_id"]]) if r["county_id"] in goals else None} for r in rows]
