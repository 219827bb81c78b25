"""The one place that decides what a user may see and change: the mechanism. The rules live in the apps.

Every list, API call and export passes its queryset through `scope(user, qs)`. Each app registers the rule
for each of its models in its own `scoping.py`, imported from its AppConfig.ready() (NetBox's restricted
querysets: the mechanism here, the rules beside the models):

    scoping.register(Project, projects_rule)

A model without a rule is refused (fails closed), so a new model cannot leak by being forgotten; the system
check touzi.E020 (touzi.core.checks) names it at start-up. A model that is never listed through `scope` says
so with `scoping.exempt(Model, "why")` in the same module. core imports no app: what a user answers for
(their units, domains, plans) is worked out by the resolver the accounts app registers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Model, Q, QuerySet

from touzi.core.actor import System, Viewer
from touzi.core.roles import Role

if TYPE_CHECKING:
    from touzi.accounts.models import User


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

# A rule: the part of a queryset a scope may see (VIEW) or act on (CHANGE, REVIEW).
Rule = Callable[[Scope, QuerySet, Action], QuerySet]
# Works out the scope of a signed-in, active account (registered by touzi.accounts).
UserScope = Callable[["User"], Scope]

_RULES: dict[type[Model], Rule] = {}
# Models the 三员 (who see no business data) still read through their rule: the unit directory, the audit
# trail, their own background jobs.
_ADMINISTRATIVE: set[type[Model]] = set()
_EXEMPT: dict[type[Model], str] = {}
_user_scope: UserScope | None = None


def register(model: type[Model], rule: Rule, *, administrative: bool = False) -> None:
    """Make `rule` decide what of `model` each user sees. `administrative`: the 三员 read it too."""
    existing = _RULES.get(model)
    if existing is not None and existing is not rule:
        raise ValueError(f"{model._meta.label} already has a scoping rule: {existing.__qualname__}")
    _RULES[model] = rule
    if administrative:
        _ADMINISTRATIVE.add(model)


def exempt(model: type[Model], reason: str) -> None:
    """Declare that `model` is never listed through `scope` (reached only through a scoped parent, or the
    user's own rows): the system check then accepts it having no rule; `scope()` still refuses it."""
    _EXEMPT[model] = reason


def rule_for(model: type[Model]) -> Rule | None:
    return _RULES.get(model)


def exemptions() -> dict[type[Model], str]:
    return dict(_EXEMPT)


def register_user_scope(resolver: UserScope) -> None:
    """The accounts app tells core how to work out a signed-in user's scope (their units, domains, plans)."""
    global _user_scope
    _user_scope = resolver


def descendants(model: type[Model], roots: set[int]) -> set[int]:
    """Ids of the given nodes and all below them (trees are shallow: a few queries at most)."""
    found, frontier = set(roots), set(roots)
    while frontier:
        frontier = set(model._default_manager.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found


def plan_bound(scope: Scope, qs: QuerySet) -> QuerySet:
    """Rows of the plans the scope works in (rows with a `plan` foreign key)."""
    return qs if scope.plan_ids is None else qs.filter(plan_id__in=scope.plan_ids)


def directory(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """A shared directory every government user may read (units, domains, collections); the office keeps it."""
    if action == Action.CHANGE:
        return qs if scope.is_office else qs.none()
    return qs


def region_filter(scope: Scope, lookup: str) -> Q | None:
    """Rows whose GB/T 2260 code (`lookup`) lies in the scope's region; None when it has none (everything)."""
    return Q(**{f"{lookup}__startswith": scope.region}) if scope.region else None


_SYSTEM_SCOPE = Scope(role=Role.PLAN_OFFICE, everything=True, business=True, unit_ids=frozenset(),
                      domain_ids=frozenset(), plan_ids=None)


def scope_of(user: Viewer | None) -> Scope:
    if isinstance(user, System):
        return _SYSTEM_SCOPE
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached: Scope | None = getattr(user, "_touzi_scope", None)
    if cached is not None:
        return cached
    result = _user_scope(user) if _user_scope is not None else NOBODY  # no resolver: nobody sees anything
    if result is not NOBODY:
        result = replace(result, user_id=user.pk)
    user._touzi_scope = result  # type: ignore[attr-defined]  # cached on the account for the request
    return result


def scope(user: Viewer | None, qs: QuerySet, action: Action = Action.VIEW) -> QuerySet:
    """The part of `qs` that `user` may see (or, with Action.CHANGE, change)."""
    rule = _RULES.get(qs.model)
    if rule is None:
        raise LookupError(f"no scoping rule for {qs.model._meta.label}: register one in its app's scoping.py "
                          "(see docs/adding-a-model.md)")
    who = scope_of(user)
    if who.role is None:
        return qs.none()
    # The 三员 keep accounts and audit: they may read the unit directory, nothing of the plan.
    if not who.business and qs.model not in _ADMINISTRATIVE:
        return qs.none()
    return rule(who, qs, action)


def can(user: Viewer | None, obj: Model, action: Action = Action.VIEW) -> bool:
    """Whether `user` may see or change this one object (for detail pages and API lookups)."""
    return scope(user, type(obj)._default_manager.filter(pk=obj.pk), action).exists()
