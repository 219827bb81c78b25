"""The one place that decides what a user may see and change.

Every list, API call and export passes its queryset through `scope(user, qs)`.
A model without a rule here is refused (fails closed), so a new model cannot
leak by being forgotten. Later domains (projects, reports …) add their rule
to `_RULES` below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from django.db.models import Model, Q, QuerySet

from touzi.accounts.choices import NO_BUSINESS, SEE_EVERYTHING, Role
from touzi.lib.regions import prefix


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"  # edit; for monthly reports: report and correct (the reporting unit's act)
    REVIEW = "review"  # accept or return monthly reports (the statistics bureau)


@dataclass(frozen=True)
class Scope:
    """What one user answers for, worked out once per request."""

    role: str | None
    everything: bool  # reads every business record
    business: bool  # sees business data at all (the 三员 and anonymous do not)
    unit_ids: frozenset[int]  # own unit and the units below it (a county's parks)
    domain_ids: frozenset[int]  # a subgroup's domains and their sub-domains
    plan_ids: frozenset[int] | None  # None: no restriction by plan
    user_id: int | None = None  # whose own records (background jobs) these are
    # The region (GB/T 2260 prefix: "4505" a city, "45" a province) a user who reads everything reads it in;
    # None: the whole installation. A city's plan office sees its city's projects in every plan.
    region: str | None = None

    @property
    def is_office(self) -> bool:
        return self.role == Role.PLAN_OFFICE


NOBODY = Scope(role=None, everything=False, business=False, unit_ids=frozenset(), domain_ids=frozenset(),
               plan_ids=frozenset())


def _descendants(model: type[Model], roots: set[int]) -> set[int]:
    """Ids of the given nodes and all below them (trees are shallow: a few queries at most)."""
    found, frontier = set(roots), set(roots)
    while frontier:
        frontier = set(model.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found


class _System:
    """The platform itself, for acts no account makes (a command run without --user): sees everything."""

    is_authenticated = True
    is_active = True
    pk = None

    def __str__(self) -> str:
        return "system"


SYSTEM = _System()
_SYSTEM_SCOPE = Scope(role=Role.PLAN_OFFICE, everything=True, business=True, unit_ids=frozenset(),
                      domain_ids=frozenset(), plan_ids=None)


def scope_of(user: Any) -> Scope:
    if user is SYSTEM:
        return _SYSTEM_SCOPE
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    cached = getattr(user, "_touzi_scope", None)
    if cached is not None:
        return cached
    from touzi.plans.models import Domain
    from touzi.units.models import Unit

    role = user.role
    if role in NO_BUSINESS:  # the 三员, and an account still waiting for its role
        result = Scope(role, False, False, frozenset(), frozenset(), frozenset())
    elif role in SEE_EVERYTHING:
        unit_ids = frozenset(_descendants(Unit, {user.unit_id})) if user.unit_id else frozenset()
        code = Unit.objects.filter(pk=user.unit_id).values_list("region_code", flat=True).first() or ""
        result = Scope(role, True, True, unit_ids, frozenset(), None, region=prefix(code) if code else None)
    elif role == Role.SUBGROUP and user.work_group_id:
        group = user.work_group
        units = set(group.host_units.values_list("id", flat=True))
        domains = _descendants(Domain, set(group.domains.values_list("id", flat=True)))
        result = Scope(role, False, True, frozenset(units), frozenset(domains), frozenset({group.plan_id}))
    elif user.unit_id:
        units = _descendants(Unit, {user.unit_id})
        plans = frozenset(Unit.objects.filter(id=user.unit_id).values_list("plans__id", flat=True)) - {None}
        result = Scope(role, False, True, frozenset(units), frozenset(), plans)
    else:
        result = NOBODY
    if result is not NOBODY:
        result = replace(result, user_id=user.pk)
    user._touzi_scope = result
    return result


def _plans(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if action == Action.CHANGE:
        # An office changes the plans of its own region (a province's office also its cities' plans).
        if not scope.is_office:
            return qs.none()
        return qs.filter(region_code__startswith=scope.region) if scope.region else qs
    if scope.plan_ids is None:
        return qs
    return qs.filter(id__in=scope.plan_ids)


def _plan_bound(scope: Scope, qs: QuerySet) -> QuerySet:
    return qs if scope.plan_ids is None else qs.filter(plan_id__in=scope.plan_ids)


def _duty_filter(scope: Scope) -> Q:
    """Tasks and targets a unit leads or cooperates on, directly or through a unit group."""
    return Q(duties__unit_id__in=scope.unit_ids) | Q(duties__group__members__id__in=scope.unit_ids)


def _targets(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if action == Action.CHANGE:
        return qs if scope.is_office else qs.none()
    if scope.everything:
        return qs
    from touzi.plans.choices import Area

    mine = Q(area__in=[Area.OVERALL, Area.GOVERNANCE]) | _duty_filter(scope)
    if scope.role == Role.BANK:
        # A bank takes part in the plan's financing (new loans, aggregate financing, listings): it reads those
        # targets and so the indicators behind them; never a project's ledger.
        mine |= Q(area=Area.FINANCING)
    mine |= Q(scope_unit_id__in=scope.unit_ids) | Q(scope_group__members__id__in=scope.unit_ids)
    if scope.domain_ids:
        mine |= Q(scope_domain_id__in=scope.domain_ids) | Q(measure_domain_id__in=scope.domain_ids)
    ids = _plan_bound(scope, qs.model.objects.filter(mine)).values("id")
    return qs.filter(id__in=ids)


def _tasks(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if action == Action.CHANGE:
        return qs if scope.is_office else qs.none()
    if scope.everything:
        return qs
    mine = _duty_filter(scope)
    if scope.domain_ids:
        mine |= Q(targets__scope_domain_id__in=scope.domain_ids) | Q(targets__measure_domain_id__in=scope.domain_ids)
    ids = _plan_bound(scope, qs.model.objects.filter(mine)).values("id")
    return qs.filter(id__in=ids)


def _indicators(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Everyone reads the indicators behind the targets they see; only the reporting unit enters them."""
    if scope.everything and action == Action.VIEW:
        return qs
    if action == Action.CHANGE:
        return _plan_bound(scope, qs.filter(reported_by_id__in=scope.unit_ids)) if scope.unit_ids else qs.none()
    from touzi.plans.models import Target

    behind = _targets(scope, Target.objects.all(), Action.VIEW).values("indicator_id")
    return _plan_bound(scope, qs.filter(Q(reported_by_id__in=scope.unit_ids) | Q(id__in=behind)))


def _plan_directory(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Work groups and unit groups of the plans the user sees; read-only except for the office."""
    if action == Action.CHANGE:
        return qs if scope.is_office else qs.none()
    return _plan_bound(scope, qs)


def _directory(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Units, domains and collections: a shared directory every government user may read."""
    if action == Action.CHANGE:
        return qs if scope.is_office else qs.none()
    return qs


def _project_filter(scope: Scope, action: Action, prefix: str = "") -> Q | None:
    """The projects a user may see or change; None means all of them. `prefix` reaches them from a child."""

    def q(**lookups: Any) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    region = q(county__division_code__startswith=scope.region) if scope.region else None
    if action == Action.REVIEW:
        return region if scope.role == Role.STATISTICS else Q(pk__in=[])
    if scope.is_office:
        return region
    if action == Action.VIEW and scope.everything:
        return region
    units = scope.unit_ids
    area = q(county_id__in=units) | q(park_id__in=units)
    if action == Action.CHANGE:
        if scope.role == Role.COUNTY:
            return area
        if scope.role == Role.OWNER:
            return q(owner_id__in=units)
        if scope.role == Role.LEAD_UNIT:
            return q(lead_unit_id__in=units)
        return Q(pk__in=[])
    mine = area | q(owner_id__in=units) | q(lead_unit_id__in=units)
    if scope.domain_ids:
        mine |= q(domain_id__in=scope.domain_ids)
    return mine


def _projects(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    allowed = _project_filter(scope, action)
    return qs if allowed is None else qs.filter(allowed)


def _project_children(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Annual plans, reports, evidence, adjustments …: whoever may see or change the project.

    The filters follow forward foreign keys only, so no row is repeated.
    """
    prefix = "report__project__" if qs.model._meta.model_name == "evidence" else "project__"
    allowed = _project_filter(scope, action, prefix)
    return qs if allowed is None else qs.filter(allowed)


def _indicator_values(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """A unit enters its own indicators; everyone who sees the indicator sees its values."""
    visible = _indicators(scope, qs.model._meta.get_field("indicator").related_model.objects.all(), action)
    return qs.filter(indicator__in=visible)


def _supervision(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """The office raises and verifies; the responsible unit answers; who sees the project sees its tasks."""
    if action == Action.CHANGE:
        return qs if scope.is_office else qs.filter(responsible_unit_id__in=scope.unit_ids)
    if scope.everything:
        return qs
    from touzi.projects.models import Project

    projects = _projects(scope, Project.objects.all(), Action.VIEW).values("id")
    return qs.filter(Q(responsible_unit_id__in=scope.unit_ids) | Q(co_responsible_unit_id__in=scope.unit_ids)
                     | Q(project_id__in=projects))


def _briefings(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Drafts are the office's; a published briefing goes to everyone who works on the plan."""
    if scope.is_office:
        return qs
    if action != Action.VIEW:
        return qs.none()
    return _plan_bound(scope, qs.filter(status="published"))


def _notifications(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    return qs.filter(unit_id__in=scope.unit_ids)


def _month_locks(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if action == Action.VIEW:
        return qs
    return qs if scope.role in (Role.PLAN_OFFICE, Role.STATISTICS) else qs.none()


def _audit_records(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """The audit trail is read whole by the roles that hold audit.view_auditrecord; nobody changes it."""
    from touzi.accounts.roles import ROLE_PERMISSIONS

    if action != Action.VIEW or "audit.view_auditrecord" not in ROLE_PERMISSIONS.get(scope.role or "", ()):
        return qs.none()
    return qs


def _background_jobs(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """A job is its starter's; every system administrator sees the backups (they answer for them together)."""
    from touzi.core.models import JobKind

    if action != Action.VIEW or scope.user_id is None:
        return qs.none()
    mine = Q(user_id=scope.user_id)
    return qs.filter(mine | Q(kind=JobKind.BACKUP) if scope.role == Role.SYSTEM_ADMIN else mine)


def _rules() -> dict[type[Model], Callable[[Scope, QuerySet, Action], QuerySet]]:
    from touzi.audit.models import AuditRecord
    from touzi.briefings.models import BriefingRecord
    from touzi.core.models import BackgroundJob
    from touzi.indicators.models import IndicatorValue
    from touzi.plans.models import Collection, Domain, Indicator, Plan, Target, Task, UnitGroup, WorkGroup
    from touzi.projects.models import AnnualPlan, FactorIssue, FundingLine, KeyApproval, Membership, Project
    from touzi.promotion import scoping as promotion
    from touzi.promotion.models import Agreement, AgreementStep, ExchangeRate, FundsReport, PromotionEvent
    from touzi.reports.models import Adjustment, Evidence, MonthLock, MonthlyReport
    from touzi.supervision.models import Notification, SupervisionTask
    from touzi.units.models import Unit

    return {
        AuditRecord: _audit_records,
        BackgroundJob: _background_jobs,
        Project: _projects,
        AnnualPlan: _project_children,
        Membership: _project_children,
        FundingLine: _project_children,
        KeyApproval: _project_children,
        FactorIssue: _project_children,
        MonthlyReport: _project_children,
        Evidence: _project_children,
        Adjustment: _project_children,
        MonthLock: _month_locks,
        SupervisionTask: _supervision,
        BriefingRecord: _briefings,
        Notification: _notifications,
        IndicatorValue: _indicator_values,
        Plan: _plans,
        Target: _targets,
        Task: _tasks,
        Indicator: _indicators,
        WorkGroup: _plan_directory,
        UnitGroup: _plan_directory,
        Unit: _directory,
        Domain: _directory,
        Collection: _directory,
        Agreement: promotion.agreements,
        AgreementStep: promotion.agreement_children,
        FundsReport: promotion.agreement_children,
        PromotionEvent: promotion.events,
        ExchangeRate: promotion.exchange_rates,
    }


_RULES: dict[type[Model], Callable[[Scope, QuerySet, Action], QuerySet]] = {}


def scope(user: Any, qs: QuerySet, action: Action = Action.VIEW) -> QuerySet:
    """The part of `qs` that `user` may see (or, with Action.CHANGE, change)."""
    if not _RULES:
        _RULES.update(_rules())
    rule = _RULES.get(qs.model)
    if rule is None:
        raise LookupError(f"no scoping rule for {qs.model._meta.label}: add one in touzi.core.scoping")
    who = scope_of(user)
    if who.role is None:
        return qs.none()
    # The 三员 keep accounts and audit: they may read the unit directory, nothing of the plan.
    if not who.business and rule not in (_directory, _audit_records, _background_jobs):
        return qs.none()
    return rule(who, qs, action)


def can(user: Any, obj: Model, action: Action = Action.VIEW) -> bool:
    """Whether `user` may see or change this one object (for detail pages and API lookups)."""
    return scope(user, type(obj).objects.filter(pk=obj.pk), action).exists()
