"""Reading approvals, always through the scoping function; the time-limit arithmetic and the figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from touzi.approvals.choices import OWNER_TO_DO, RUNNING, UNIT_TO_DO, ApprovalState
from touzi.approvals.models import Approval, ApprovalKind, ReviewSession
from touzi.approvals.workdays import workdays_between
from touzi.core.actor import Actor
from touzi.core.roles import Role
from touzi.core.scoping import Action, scope, scope_of
from touzi.lib.periods import judged_on


def visible_approvals(user: Actor, action: Action = Action.VIEW) -> QuerySet[Approval]:
    return scope(user, Approval.objects.all(), action).select_related("project", "kind", "approving_unit")


def visible_sessions(user: Actor, action: Action = Action.VIEW) -> QuerySet[ReviewSession]:
    return scope(user, ReviewSession.objects.all(), action).select_related("convened_by")


def as_of(month: dt.date, today: dt.date | None = None) -> dt.date:
    """The day a month is judged at: its last day, or today while it runs."""
    return judged_on(month, today or timezone.localdate())


def unit_queue(user: Actor) -> QuerySet[Approval]:
    """待办 of an approving unit: what was submitted to it and what runs against its time limit."""
    units = scope_of(user).unit_ids
    return visible_approvals(user).filter(approving_unit_id__in=units, state__in=UNIT_TO_DO).order_by(
        F("due_on").asc(nulls_first=True), "submitted_on", "pk")


def applicant_queue(user: Actor) -> QuerySet[Approval]:
    """待办 of an owner or agent: approvals to submit or resubmit, and 容缺 papers still to supply."""
    from touzi.approvals.models import ApprovalProfile
    from touzi.projects.models import Project

    who = scope_of(user)
    units = who.unit_ids
    mine = Q(project__owner_id__in=units) | Q(project__in=ApprovalProfile.objects.filter(
        agent_unit_id__in=units).values("project_id"))
    if who.role == Role.COUNTY:
        mine |= Q(project__in=scope(user, Project.objects.all(), Action.CHANGE).values("id"))
    to_do = Q(state__in=OWNER_TO_DO) | (Q(state__in=RUNNING) & ~Q(missing_papers="")
                                        & Q(papers_supplied_on__isnull=True))
    return visible_approvals(user).filter(mine, to_do).exclude(exempt=True).order_by("project_id", "kind__order")


def to_do_count(user: Actor) -> int:
    who = scope_of(user)
    if not who.unit_ids:
        return 0
    return unit_queue(user).count() + (0 if who.role == Role.APPROVER else applicant_queue(user).count())


@dataclass(frozen=True)
class Overdue:
    approval_id: int
    project_id: int
    project: str | None  # the national project code
    project_name: str
    kind: str
    kind_name: str
    unit: str
    due: dt.date
    days_overdue: int  # working days


def overdue(approvals: QuerySet[Approval], on: dt.date) -> list[Overdue]:
    """Running approvals whose time limit (in working days) has passed by `on`, most overdue first."""
    rows = (approvals.filter(state__in=RUNNING, due_on__lt=on)
            .values_list("pk", "project_id", "project__code", "project__name", "kind__key", "kind__name",
                         "approving_unit__short_name", "approving_unit__name", "due_on")
            .order_by("due_on", "pk"))
    return [Overdue(pk, pid, code, name, key, kind_name, short or unit or "", due, workdays_between(due, on))
            for pk, pid, code, name, key, kind_name, short, unit, due in rows if due is not None]


@dataclass(frozen=True)
class Figure:
    """One approving unit's (or the city's) record on one kind of approval."""

    unit: str
    kind: str
    kind_name: str
    count: int
    median: int | None
    p90: int | None
    within: int
    within_share: Decimal | None  # percent


def _nth(qs: QuerySet[Approval], count: int, share: Decimal) -> int | None:
    """The nearest-rank percentile of the working days, read at its offset (one indexed query, no loop)."""
    if not count:
        return None
    index = max(int((share * count).to_integral_value(rounding="ROUND_CEILING")) - 1, 0)
    return qs.order_by("working_days").values_list("working_days", flat=True)[index]


def figures(approvals: QuerySet[Approval], *, by_unit: bool = True) -> list[Figure]:
    """For each approving unit and kind (or, with by_unit=False, each kind city-wide): the count of approvals
    done, the median and 90th-percentile working days to completion, and the share done within the limit.

    Counts and shares are one grouped query; each percentile reads one row at its rank.
    """
    done = approvals.filter(state=ApprovalState.DONE, working_days__isnull=False).order_by()
    within = Q(working_days__lte=F("legal_days")) & (Q(promised_days__isnull=True)
                                                     | Q(working_days__lte=F("promised_days")))
    keys = ["approving_unit_id", "approving_unit__short_name", "approving_unit__name"] if by_unit else []
    groups = (done.values(*keys, "kind_id", "kind__key", "kind__name", "kind__order")
              .annotate(n=Count("id"), ok=Count("id", filter=within))
              .order_by(*(["approving_unit__name"] if by_unit else []), "kind__order"))
    out = []
    for g in groups:
        members = done.filter(kind_id=g["kind_id"], **({"approving_unit_id": g["approving_unit_id"]}
                                                       if by_unit else {}))
        n = g["n"]
        label = (g["approving_unit__short_name"] or g["approving_unit__name"] or "—") if by_unit else "全市"
        out.append(Figure(label, g["kind__key"], g["kind__name"], n, _nth(members, n, Decimal("0.5")),
                          _nth(members, n, Decimal("0.9")), g["ok"],
                          (Decimal(g["ok"] * 100) / n).quantize(Decimal("0.1")) if n else None))
    return out


def kinds() -> QuerySet[ApprovalKind]:
    return ApprovalKind.objects.all()


def done_and_required(project_ids: Any) -> dict[int, tuple[int, int]]:
    """审批办结 / 应办 per project (exempted items count as done), one grouped query."""
    rows = (Approval.objects.filter(project__in=project_ids).order_by().values("project_id")
            .annotate(done=Count("id", filter=Q(state=ApprovalState.DONE) | Q(exempt=True)), total=Count("id")))
    return {r["project_id"]: (r["done"], r["total"]) for r in rows}
