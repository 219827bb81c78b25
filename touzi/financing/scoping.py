"""Who sees and changes the financing records (rules for touzi.core.scoping, registered from ready()).

A project's money (secured, arrived, bonds, PPP) is the project's: whoever sees or keeps the project sees or
keeps it (touzi.projects.scoping). A bank (金融机构) sees none of it: it sees the open financing needs, the
needs it has taken a step on, its own steps and loans, the events and its own 融资服务专员 — nothing else.
The project's side sees every bank's steps on its needs. Arrived funds are reviewed by the statistics bureau
and the plan office. The fiscal budget is read by those who read everything and kept by the plan office.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from touzi.core import scoping
from touzi.core.roles import Role
from touzi.core.scoping import Action, Scope
from touzi.financing.choices import OPEN_NEEDS
from touzi.financing.models import (
    BondAllocation,
    Commissioner,
    FinancingEvent,
    FinancingNeed,
    FiscalBudget,
    FundsArrival,
    Loan,
    NeedStep,
    PPPProject,
    SecuredFunds,
)
from touzi.projects.scoping import project_children, project_filter

NONE = Q(pk__in=[])


def _apply(qs: QuerySet, allowed: Q | None) -> QuerySet:
    return qs if allowed is None else qs.filter(allowed)


def is_bank(scope: Scope) -> bool:
    return scope.role == Role.BANK


def arrivals(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Arrived funds: the project's; reviewed by the statistics bureau and the plan office of the region."""
    if action == Action.REVIEW:
        if scope.role in (Role.STATISTICS, Role.PLAN_OFFICE):
            return _apply(qs, scoping.region_filter(scope, "project__county__division_code"))
        return qs.none()
    return _apply(qs, project_filter(scope, action, "project__"))


def needs(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """A bank sees the open needs and those it has worked on; the project's side sees and keeps its needs."""
    if is_bank(scope):
        if action != Action.VIEW:
            return qs.none()
        return qs.filter(Q(status__in=OPEN_NEEDS) | Q(steps__bank_id__in=scope.unit_ids)).distinct()
    return _apply(qs, project_filter(scope, action, "project__"))


def steps(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """A bank sees and records its own steps; the project's side (and the office) see every bank's."""
    if is_bank(scope):
        return qs.filter(bank_id__in=scope.unit_ids)
    if action != Action.VIEW:
        return qs.none()
    return _apply(qs, project_filter(scope, action, "need__project__"))


def loans(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Loans: the lending bank's, and the project's to see; entered by the bank or the plan office."""
    if is_bank(scope):
        return qs.filter(bank_id__in=scope.unit_ids)
    if action != Action.VIEW:
        return _apply(qs, scoping.region_filter(scope, "project__county__division_code")) if scope.is_office \
            else qs.none()
    return _apply(qs, project_filter(scope, action, "project__"))


def events(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Roadshows and matchmaking events: read by everyone with business data (banks too), kept by the office."""
    if action == Action.VIEW or scope.is_office:
        return qs
    return qs.none()


def commissioners(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """融资服务专员: appointed by the office; a bank sees its own people, the others read the list."""
    if scope.is_office:
        return qs
    if action != Action.VIEW:
        return qs.none()
    if is_bank(scope):
        return qs.filter(bank_id__in=scope.unit_ids)
    return qs


def budgets(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """The general public budget expenditure (一般公共预算支出): a published figure, which the fiscal page shows
    every government user beside the affordability it sets (a county saw this year's figure above an empty table
    of the years); a bank reads none of the projects' money. Kept by the plan office."""
    if scope.is_office or (action == Action.VIEW and scope.business and not is_bank(scope)):
        return qs
    return qs.none()


def register() -> None:
    children = project_children()
    for model in (SecuredFunds, BondAllocation, PPPProject):
        scoping.register(model, children)
    scoping.register(FundsArrival, arrivals)
    scoping.register(FinancingNeed, needs)
    scoping.register(NeedStep, steps)
    scoping.register(Loan, loans)
    scoping.register(FinancingEvent, events)
    scoping.register(Commissioner, commissioners)
    scoping.register(FiscalBudget, budgets)
