"""The consulting register over the API (/api/v1/consulting): the year's firms with their deviations."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router

from touzi.consulting.figures import firm_years
from touzi.consulting.models import Firm
from touzi.core.http import TouziRequest
from touzi.core.scoping import scope
from touzi.lib.apischema import RowId, Year, errors
from touzi.projects.selectors import visible_projects
from touzi.reports.selectors import default_year

router = Router(tags=["consulting"])


@router.get("/evaluation", response={200: dict[str, Any], **errors(400, 422)},
            summary="工程咨询单位评价:偏差中位数、离散度、超±10%占比、逾期交付、等级")
def get_evaluation(request: TouziRequest, year: Year | None = None):
    year = year or default_year()
    firms = firm_years(year, projects=visible_projects(request.user), firms=scope(request.user, Firm.objects.all()))
    return {"year": year, "firms": [f.as_json() for f in firms]}


@router.get("/firms/{pk}", response={200: dict[str, Any], **errors(400, 404, 422)}, summary="咨询单位及其当年偏差")
def get_firm(request: TouziRequest, pk: RowId, year: Year | None = None):
    year = year or default_year()
    firm = get_object_or_404(scope(request.user, Firm.objects.all()), pk=pk)
    found = firm_years(year, projects=visible_projects(request.user), firms=Firm.objects.filter(pk=pk))
    return {"id": firm.pk, "name": firm.name, "credit_grade": firm.credit_grade,
            "year": found[0].as_json() if found else None}
