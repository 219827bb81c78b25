from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from touzi.core.http import TouziRequest
from touzi.core.scoping import scope
from touzi.units.choices import UnitKind
from touzi.units.models import Unit


@login_required
def unit_list(request: TouziRequest) -> HttpResponse:
    """The unit directory, grouped by kind: bureaus, counties (with GB/T 2260 codes), parks …"""
    units = list(scope(request.user, Unit.objects.select_related("parent")))
    sections = [{"kind": kind, "units": [u for u in units if u.kind == kind]} for kind in UnitKind]
    return render(request, "units/list.html", {"sections": [s for s in sections if s["units"]]})
