"""Deviation of a project's investment from stage to stage, and each firm's figures of a year (docs/consulting.md).

- A deviation is a stage's total investment against the stage before it that the project has (概算 against
  估算, 预算 against 概算, 决算 against 预算 — or against the latest earlier stage when one is missing):
  `(later − earlier) / earlier × 100`, in %, to 0.01. It is the accuracy of the earlier figure, so it counts
  for the firm that prepared the earlier figure, in the year of the later figure's date.
- Per firm and year: the median of its deviations, their spread (largest less smallest), the share beyond
  ±10% (the usual tolerance of 概算 over 估算), and late deliverables (engagements due in the year delivered
  after the due date, or not delivered by the year's end or today, whichever is earlier).
- Grade: 优秀 none beyond ±10% and no late deliverable; 良好 at most a quarter beyond and at most one late;
  合格 at most half beyond; 不合格 otherwise; 不予评价 without any deviation or engagement due in the year.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from touzi.consulting.choices import STAGE_RANK, Grade, Stage
from touzi.consulting.models import Engagement, Firm, StageFigure

CENT = Decimal("0.01")
TOLERANCE = Decimal(10)
RANK = Case(*[When(stage=stage, then=Value(rank)) for stage, rank in STAGE_RANK.items()],
            output_field=IntegerField())


def _earlier(column: str) -> Subquery:
    rows = (StageFigure.objects.filter(project=OuterRef("project")).annotate(r=RANK)
            .filter(r__lt=OuterRef("r")).order_by("-r").values(column)[:1])
    return Subquery(rows)


def deviations(figures: QuerySet[StageFigure] | None = None) -> QuerySet[StageFigure]:
    """Each stage figure that has an earlier one, with `earlier_amount`, `earlier_stage`, `earlier_firm_id` and
    found in the database (the deviation itself: `deviation`)."""
    qs = (figures if figures is not None else StageFigure.objects.all()).annotate(r=RANK).annotate(
        earlier_amount=_earlier("amount"), earlier_stage=_earlier("stage"), earlier_firm_id=_earlier("firm_id"))
    return qs.filter(earlier_amount__gt=0)


def deviation(later: Decimal, earlier: Decimal) -> Decimal:
    """(later − earlier) / earlier × 100, exact, to 0.01 (half up). In Python on the two exact amounts: SQLite
    would divide two whole numbers of 万元 as integers."""
    return cents((Decimal(later) - Decimal(earlier)) * 100 / Decimal(earlier))


def cents(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class FirmYear:
    firm: Firm
    year: int
    engagements: int = 0
    late: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)  # the deviations with their projects

    @property
    def values(self) -> list[Decimal]:
        return [r["deviation"] for r in self.rows]

    @property
    def median(self) -> Decimal | None:
        return cents(statistics.median(self.values)) if self.values else None

    @property
    def spread(self) -> Decimal | None:
        return cents(max(self.values) - min(self.values)) if self.values else None

    @property
    def beyond(self) -> int:
        return sum(1 for v in self.values if abs(v) > TOLERANCE)

    @property
    def beyond_share(self) -> Decimal | None:
        return cents(Decimal(self.beyond) * 100 / len(self.values)) if self.values else None

    @property
    def grade(self) -> str:
        if not self.values and not self.engagements:
            return Grade.NONE
        share = self.beyond_share or Decimal(0)
        if share == 0 and self.late == 0:
            return Grade.EXCELLENT
        if share <= 25 and self.late <= 1:
            return Grade.GOOD
        if share <= 50:
            return Grade.PASS
        return Grade.FAIL

    @property
    def grade_label(self) -> str:
        return str(Grade(self.grade).label)

    def as_json(self) -> dict[str, Any]:
        def num(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        return {"firm": self.firm.name, "firm_id": self.firm.pk, "engagements": self.engagements,
                "late_deliverables": self.late, "median": num(self.median), "spread": num(self.spread),
                "beyond_10": self.beyond, "beyond_10_share": num(self.beyond_share), "grade": self.grade,
                "grade_label": self.grade_label,
                "deviations": [{"project": r["project"], "project_id": r["project_id"], "from_stage": r["from"],
                                "to_stage": r["to"], "from_amount": float(r["from_amount"]),
                                "to_amount": float(r["to_amount"]), "deviation": float(r["deviation"]),
                                "dated": r["dated"].isoformat()} for r in self.rows]}


def firm_years(year: int, *, projects: QuerySet | None = None, firms: QuerySet[Firm] | None = None,
               today: dt.date | None = None) -> list[FirmYear]:
    """Every firm's figures of `year` (firms with nothing that year are left out), by name."""
    today = today or timezone.localdate()
    cutoff = min(dt.date(year, 12, 31), today)
    figures = StageFigure.objects.filter(dated__year=year)
    engagements = Engagement.objects.filter(due_on__year=year)
    if projects is not None:
        figures, engagements = figures.filter(project__in=projects), engagements.filter(project__in=projects)
    found: dict[int, FirmYear] = {}
    firm_qs = firms if firms is not None else Firm.objects.all()
    by_id = {f.pk: f for f in firm_qs}
    annotated: Any = deviations(figures)  # annotated columns the stubs do not know
    for row in annotated.filter(earlier_firm_id__in=list(by_id)).values(
            "project_id", "project__name", "stage", "earlier_stage", "amount", "earlier_amount", "dated",
            "earlier_firm_id").order_by("project__name", "r"):
        entry = found.setdefault(row["earlier_firm_id"], FirmYear(by_id[row["earlier_firm_id"]], year))
        entry.rows.append({"project": row["project__name"], "project_id": row["project_id"],
                           "from": row["earlier_stage"], "to": row["stage"],
                           "from_label": str(Stage(row["earlier_stage"]).label), "to_label": str(Stage(row["stage"]).label), "from_amount": row["earlier_amount"],
                           "to_amount": row["amount"], "deviation": deviation(row["amount"], row["earlier_amount"]), "dated": row["dated"]})
    late = Q(delivered_on__gt=F("due_on")) | Q(delivered_on__isnull=True, due_on__lt=cutoff)
    for row in engagements.filter(firm_id__in=list(by_id)).values("firm_id").order_by("firm_id").annotate(
            n=Count("id"), late=Count("id", filter=late)):
        entry = found.setdefault(row["firm_id"], FirmYear(by_id[row["firm_id"]], year))
        entry.engagements, entry.late = row["n"], row["late"]
    return sorted(found.values(), key=lambda f: f.firm.name)
