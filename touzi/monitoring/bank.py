"""The first page of a bank (金融机构). A bank sees no project's ledger, so the dashboard would show it 0 projects
and empty tables; instead it reads what it can use today (the plan's overall and financing targets with their
figures, the financing indicators) and what it will see once financing needs are collected (a later issue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from touzi.core.http import TouziRequest
from touzi.monitoring.attainment import target_figures
from touzi.monitoring.presenters import STATUS_CLASS
from touzi.plans.choices import Area
from touzi.plans.models import Plan
from touzi.plans.selectors import targets_for

SHOWN = (Area.FINANCING, Area.OVERALL)  # financing first: it is what the bank takes part in


def bank_home(request: TouziRequest, plan: Plan, month: dt.date) -> HttpResponse:
    targets = [t for t in targets_for(request.user, plan) if t.area in SHOWN]
    figures = target_figures(plan, month, targets)
    sections: list[dict[str, Any]] = [
        {"area": area.value, "label": area.label, "figures": [f for f in figures if f.target.area == area]}
        for area in SHOWN]
    return render(request, "monitoring/bank_home.html", {
        "plan": plan, "month": month, "sections": [s for s in sections if s["figures"]],
        "status_class": STATUS_CLASS})
