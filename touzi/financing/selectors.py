"""Reads of the financing records, all through the scoping function."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from touzi.core.scoping import scope
from touzi.financing.models import (
    BondAllocation,
    FinancingEvent,
    FinancingNeed,
    FundsArrival,
    Loan,
    NeedStep,
    PPPProject,
    SecuredFunds,
)
from touzi.projects.models import Project


def visible_needs(user: Any) -> QuerySet[FinancingNeed]:
    return scope(user, FinancingNeed.objects.select_related("project", "project__county"))


def visible_steps(user: Any) -> QuerySet[NeedStep]:
    return scope(user, NeedStep.objects.select_related("bank", "by", "need"))


def visible_loans(user: Any) -> QuerySet[Loan]:
    return scope(user, Loan.objects.select_related("bank", "project"))


def visible_arrivals(user: Any) -> QuerySet[FundsArrival]:
    return scope(user, FundsArrival.objects.select_related("project", "bank"))


def visible_bonds(user: Any) -> QuerySet[BondAllocation]:
    return scope(user, BondAllocation.objects.select_related("project", "project__county"))


def visible_ppp(user: Any) -> QuerySet[PPPProject]:
    return scope(user, PPPProject.objects.select_related("project", "project__county"))


def visible_secured(user: Any) -> QuerySet[SecuredFunds]:
    return scope(user, SecuredFunds.objects.all())


def visible_events(user: Any) -> QuerySet[FinancingEvent]:
    return scope(user, FinancingEvent.objects.all())


def visible_projects(user: Any) -> QuerySet[Project]:
    return scope(user, Project.objects.all())
