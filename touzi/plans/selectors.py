"""Read queries for plans, always through the scoping function."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from touzi.core.actor import Actor, Viewer
from touzi.core.http import AnyUserRequest
from touzi.core.scoping import scope
from touzi.plans.choices import Area
from touzi.plans.models import Plan, Responsibility, Target, Task, WorkGroup

SESSION_KEY = "touzi_plan"

_DUTIES = Prefetch("duties", queryset=Responsibility.objects.select_related("unit", "group").order_by("duty", "order"))


def visible_plans(user: Viewer) -> QuerySet[Plan]:
    return scope(user, Plan.objects.all())


def current_plan(request: AnyUserRequest) -> Plan | None:
    """The plan the user chose last; else the plan whose office is the user's unit (a province's office starts
    in the province's plan); else the installation's default plan; else any plan the user may see."""
    plans = visible_plans(request.user)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if chosen:
        plan = plans.filter(key=chosen).first()
        if plan is not None:
            return plan
    unit_id = getattr(request.user, "unit_id", None)
    own = plans.filter(office_unit_id=unit_id).first() if unit_id else None
    return own or plans.filter(key=settings.DEFAULT_PLAN_KEY).first() or plans.first()


def targets_for(user: Actor, plan: Plan) -> QuerySet[Target]:
    return (scope(user, Target.objects.filter(plan=plan))
            .select_related("task", "scope_domain", "scope_collection", "scope_unit", "scope_group",
                            "indicator", "indicator__reported_by", "base_indicator", "measure_domain", "measure_collection",
                            "scope_domain__parent")
            .prefetch_related(_DUTIES).order_by("order"))


def tasks_for(user: Actor, plan: Plan) -> QuerySet[Task]:
    return scope(user, Task.objects.filter(plan=plan)).prefetch_related(_DUTIES).order_by("order")


def work_groups_for(user: Actor, plan: Plan) -> QuerySet[WorkGroup]:
    return (scope(user, WorkGroup.objects.filter(plan=plan))
            .prefetch_related("host_units", "domains").order_by("order"))


AREA_ORDER = [Area.OVERALL, Area.DOMAIN, Area.FINANCING, Area.PROMOTION, Area.GOVERNANCE]


def grouped_targets(targets: list[Target]) -> list[dict[str, Any]]:
    """Targets by area; domain targets further grouped under their top-level domain, in plan order."""
    sections = []
    for area in AREA_ORDER:
        items = [t for t in targets if t.area == area]
        if not items:
            continue
        section: dict[str, Any] = {"area": area, "label": area.label, "targets": items, "domains": []}
        if area == Area.DOMAIN:
            by_root: dict[int | None, dict[str, Any]] = {}
            for target in items:
                domain = target.scope_domain or target.measure_domain
                root = domain
                while root is not None and root.parent_id is not None:
                    root = root.parent
                bucket = by_root.setdefault(root.pk if root else None, {"domain": root, "targets": []})
                bucket["targets"].append(target)
            section["domains"] = list(by_root.values())
        sections.append(section)
    return sections
