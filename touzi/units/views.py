from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render

from touzi.core.http import TouziRequest
from touzi.core.roles import Role
from touzi.core.scoping import scope, scope_of
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

# Kinds a list opens with; the enterprises (hundreds of project owners) stay folded until searched.
OPEN_KINDS = frozenset({UnitKind.BUREAU, UnitKind.COUNTY, UnitKind.PARK, UnitKind.OFFICE})
OUTSIDE_ROLES = frozenset({Role.OWNER, Role.BANK})  # an enterprise or a bank: not the whole directory


@login_required
def unit_list(request: TouziRequest) -> HttpResponse:
    """The unit directory, searchable, grouped by kind (bureaus, counties with GB/T 2260 codes, parks …), in the
    order of the administrative codes and then the Chinese names. An owner or a bank sees the government units
    and its own, not the other enterprises and banks."""
    units = scope(request.user, Unit.objects.select_related("parent"))
    who = scope_of(request.user)
    if who.role in OUTSIDE_ROLES:
        units = units.filter(~Q(kind__in=[UnitKind.ENTERPRISE, UnitKind.BANK]) | Q(pk__in=who.unit_ids))
    q = (request.GET.get("q") or "").strip()
    if q:
        units = units.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(name_en__icontains=q)
                             | Q(key__icontains=q) | Q(division_code__startswith=q))
    rows = list(units.order_by("division_code", "name"))
    sections = [{"kind": kind, "units": [u for u in rows if u.kind == kind], "open": bool(q) or kind in OPEN_KINDS}
                for kind in UnitKind]
    return render(request, "units/list.html", {"sections": [s for s in sections if s["units"]], "q": q,
                                               "total": len(rows)})
